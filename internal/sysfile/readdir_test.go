package sysfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadDirAsOS: DirFS lists a folder as os.ReadDir does (names, in
// order, types and what Info says), here with more entries than one
// read of the system gives (os reads 8 KB at a time), names in Chinese
// and hidden ones, a folder and a link.
func TestReadDirAsOS(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "2023", "evaluations")
	if err := os.MkdirAll(filepath.Join(sub, "road-maintenance"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		name := fmt.Sprintf("评价-%04d-%s.toml", i, strings.Repeat("x", i%40))
		if err := os.WriteFile(filepath.Join(sub, name), []byte(strings.Repeat("a", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{".hidden.toml", "残疾人两项补贴.md"} {
		if err := os.WriteFile(filepath.Join(sub, name), []byte("甲"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Symlink("残疾人两项补贴.md", filepath.Join(sub, "link.md"))

	want, err := os.ReadDir(sub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadDir(DirFS(dir), "2023/evaluations")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name() != w.Name() || g.Type() != w.Type() || g.IsDir() != w.IsDir() {
			t.Fatalf("entry %d: %s %v, want %s %v", i, g.Name(), g.Type(), w.Name(), w.Type())
		}
		gi, gerr := g.Info()
		wi, werr := w.Info()
		if (gerr == nil) != (werr == nil) || gerr == nil && (gi.Size() != wi.Size() || gi.Mode() != wi.Mode() || !gi.ModTime().Equal(wi.ModTime())) {
			t.Fatalf("entry %s: Info %v, %v; want %v, %v", g.Name(), gi, gerr, wi, werr)
		}
	}
	if empty, err := fs.ReadDir(DirFS(dir), "2023/evaluations/road-maintenance"); err != nil || len(empty) != 0 {
		t.Errorf("an empty folder listed %v, %v", empty, err)
	}
	if _, err := fs.ReadDir(DirFS(dir), "2023/evaluations/残疾人两项补贴.md"); err == nil {
		t.Error("a file was listed as a folder")
	}
}
