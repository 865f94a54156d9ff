package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
)

// fullContent is a site of one record with every field of the second
// edition of the record (see testdata/full in the repository's root).
const fullContent = "../../testdata/full"

// TestFullRecordChecks checks the whole-site fixture of the second edition:
// its one discrepancy is acknowledged, so check and -strict pass, and the
// build succeeds.
func TestFullRecordChecks(t *testing.T) {
	now := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	var l diag.List
	if _, err := Check(context.Background(), Options{Content: fullContent, Strict: true, Now: now}, &l); err != nil {
		t.Fatalf("check -strict: %v\n%v", err, l.Items())
	}
	items := l.Items()
	if len(items) != 1 || items[0].Severity != diag.Note || items[0].Field != "indicators[1].grade" {
		t.Errorf("diagnostics = %v, want one note", items)
	}
	l = diag.List{}
	if _, err := Run(context.Background(), Options{Content: fullContent, Out: filepath.Join(t.TempDir(), "public"), Now: now}, &l); err != nil {
		t.Fatalf("build: %v\n%v", err, l.Items())
	}
}

// TestMissingDocument checks that a document listed in a record but
// absent from its folder fails the check, at the record's line.
func TestMissingDocument(t *testing.T) {
	dir := t.TempDir()
	rec := "2023/evaluations/road-maintenance.toml"
	for _, name := range []string{"site.toml", rec} {
		b, err := os.ReadFile(filepath.Join(fullContent, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var l diag.List
	if _, err := Check(context.Background(), Options{Content: dir}, &l); err == nil {
		t.Fatal("check passed with a missing document")
	}
	src, _ := os.ReadFile(filepath.Join(dir, rec))
	line := 0
	for i, s := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(s, "file = ") {
			line = i + 1
		}
	}
	found := false
	for _, d := range l.Items() {
		if d.Severity == diag.Error && strings.HasSuffix(d.File, rec) && d.Line == line && d.Field == "documents[0].file" &&
			strings.Contains(d.Message, "不存在") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error for the missing document at line %d: %v", line, l.Items())
	}
}
