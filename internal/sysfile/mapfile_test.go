package sysfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestMapFile: the contents are the file's; a file replaced by a rename
// leaves them as they were (the cache's records share them for the rest
// of a build); an empty file is empty, and a missing file or a folder is
// the error a read gives.
func TestMapFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "part")
	want := bytes.Repeat([]byte("预算绩效评价"), 5000) // more than a page
	if err := os.WriteFile(name, want, 0o644); err != nil {
		t.Fatal(err)
	}
	b, release, err := MapFile(name)
	if err != nil || !bytes.Equal(b, want) {
		t.Fatalf("MapFile = %d bytes, %v; want the file's %d", len(b), err, len(want))
	}
	next := filepath.Join(dir, "next")
	if err := os.WriteFile(next, []byte("另一个文件"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, name); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Error("the contents changed when the file was replaced by a rename")
	}
	release()

	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, release, err := MapFile(empty); err != nil || len(b) != 0 {
		t.Errorf("MapFile(empty) = %q, %v", b, err)
	} else {
		release()
	}
	if _, _, err := MapFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("MapFile(missing) = %v, want not exist", err)
	}
	if _, _, err := MapFile(dir); err == nil {
		t.Error("MapFile(a folder) gave no error")
	}
}
