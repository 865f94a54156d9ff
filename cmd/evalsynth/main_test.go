package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-out", dir, "-n", "5", "-seed", "3"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "wrote 5 evaluations") {
		t.Errorf("output %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "site.toml")); err != nil {
		t.Error(err)
	}
	if err := run(context.Background(), nil, &out, &errOut); err == nil {
		t.Error("run without -out succeeded")
	}
}
