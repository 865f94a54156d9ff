package sysfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAndReadFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.html")
	big := bytes.Repeat([]byte("评价"), 1<<20) // 6 MB: more than one read or write may take
	for _, data := range [][]byte{[]byte("第一版，较长的内容"), []byte("短"), {}, big} {
		if err := WriteFile(name, data); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("os.ReadFile read back %d bytes (%v), want %d", len(got), err, len(data))
		}
		if got, err := ReadFile(name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("ReadFile read back %d bytes (%v), want %d", len(got), err, len(data))
		}
	}
	err := WriteFile(filepath.Join(dir, "missing", "b.html"), []byte("x"))
	var pe *os.PathError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), filepath.Join("missing", "b.html")) {
		t.Errorf("writing into a missing folder: %v, want an error naming the file", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.toml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("reading a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadFile(dir); err == nil {
		t.Errorf("reading a folder: no error")
	}
}

func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "2023", "evaluations"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2023", "evaluations", "x.toml"), []byte("title = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := DirFS(dir)
	if b, err := fs.ReadFile(fsys, "2023/evaluations/x.toml"); err != nil || string(b) != "title = \"x\"\n" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	for _, bad := range []string{"../x.toml", "/etc/passwd", "2023//x"} {
		if _, err := fs.ReadFile(fsys, bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("ReadFile(%q) = %v, want fs.ErrInvalid", bad, err)
		}
	}
	_, err := fs.ReadFile(fsys, "2023/evaluations/none.toml")
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Path != "2023/evaluations/none.toml" {
		t.Errorf("missing file: %v, want fs.ErrNotExist naming 2023/evaluations/none.toml", err)
	}
	// The rest is os.DirFS's: listing folders works as before.
	if entries, err := fs.ReadDir(fsys, "2023/evaluations"); err != nil || len(entries) != 1 {
		t.Errorf("ReadDir = %v, %v", entries, err)
	}
}
