package sysfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestFolderLstat: a folder held open tells of its regular files what
// os.Lstat of their paths does, refuses a folder and a link as not
// regular, and, released or never opened, says it is not held, so that
// the caller looks by path.
func TestFolderLstat(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "b", "f.txt"), []byte("甲乙"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("f.txt", filepath.Join(dir, "a", "b", "l.txt")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	f := HoldFolder(dir)
	st, held, err := f.Lstat("a/b/f.txt")
	if runtime.GOOS != "linux" {
		if held {
			t.Fatal("a folder held open where only paths are looked at")
		}
		return
	}
	fi, lerr := os.Lstat(filepath.Join(dir, "a", "b", "f.txt"))
	if !held || err != nil || lerr != nil || st.Size != fi.Size() || st.MTime != fi.ModTime().UnixNano() || st.Ino == 0 || st.CTime == 0 {
		t.Errorf("Lstat(a/b/f.txt) = %+v, %v, %v; os.Lstat size %d, mtime %d", st, held, err, fi.Size(), fi.ModTime().UnixNano())
	}
	for _, name := range []string{"a/b", "a/b/l.txt"} {
		if _, held, err := f.Lstat(name); !held || !errors.Is(err, ErrNotRegular) {
			t.Errorf("Lstat(%s) = %v, %v; want held and not regular", name, held, err)
		}
	}
	if _, held, err := f.Lstat("a/missing"); !held || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Lstat(a/missing) = %v, %v; want held and not there", held, err)
	}
	f.Release()
	f.Release()
	if _, held, _ := f.Lstat("a/b/f.txt"); held {
		t.Error("a released folder is still held")
	}
	if _, held, _ := HoldFolder(filepath.Join(dir, "none")).Lstat("f.txt"); held {
		t.Error("a missing folder is held")
	}
}
