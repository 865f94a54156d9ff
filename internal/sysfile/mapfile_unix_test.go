//go:build unix

package sysfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestMappedCountsTheMappings: Mapped tells the bytes mapped and not let
// go, which the build's memory limit leaves room for; letting go twice
// takes them off once.
func TestMappedCountsTheMappings(t *testing.T) {
	name := filepath.Join(t.TempDir(), "part")
	if err := os.WriteFile(name, bytes.Repeat([]byte("绩效"), 10000), 0o644); err != nil {
		t.Fatal(err)
	}
	before := Mapped()
	b, release, err := MapFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := Mapped() - before; got != int64(len(b)) || got != 60000 {
		t.Errorf("mapped %d bytes more after mapping a file of 60,000, want 60,000", got)
	}
	release()
	release()
	if got := Mapped(); got != before {
		t.Errorf("mapped %d bytes after letting go (twice), want %d as before", got, before)
	}
}
