package sysfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func names(t *testing.T, fsys fs.FS, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		t.Fatalf("ReadDir(%s): %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func touch(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestListingsHeldUntilForgotten: a folder's listing is read once and
// given again until a change of a name in it, or of the folder or one
// above, is forgotten; a hidden folder's is always read; what a caller
// does to a listing given does not change the one held.
func TestListingsHeldUntilForgotten(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"site.toml", "2023/evaluations/a.toml", "2023/evaluations/a/附件.pdf", "2024/evaluations/b.toml", ".git/x"} {
		touch(t, filepath.Join(dir, filepath.FromSlash(name)))
	}
	l := NewListings()
	fsys := DirFSListed(dir, l)
	for _, d := range []string{".", "2023/evaluations", "2023/evaluations/a", "2024/evaluations", ".git"} {
		names(t, fsys, d)
	}
	// Made without a word to the listings: the held ones do not show them.
	touch(t, filepath.Join(dir, "2023/evaluations/new.toml"))
	touch(t, filepath.Join(dir, "2023/evaluations/a/新.pdf"))
	touch(t, filepath.Join(dir, "2024/evaluations/c.toml"))
	touch(t, filepath.Join(dir, ".git/y"))
	if got := names(t, fsys, "2023/evaluations"); slices.Contains(got, "new.toml") {
		t.Errorf("the listing of 2023/evaluations was read again: %v", got)
	}
	if got := names(t, fsys, ".git"); !slices.Contains(got, "y") {
		t.Errorf("the hidden folder's listing was held: %v", got)
	}
	entries, _ := fs.ReadDir(fsys, "2024/evaluations")
	entries[0] = nil
	if got := names(t, fsys, "2024/evaluations"); !slices.Equal(got, []string{"b.toml"}) {
		t.Errorf("2024/evaluations held %v, want [b.toml]", got)
	}

	// A file written in place changes no listing; a name made does.
	l.Forget(map[string]bool{"2023/evaluations/new.toml": true})
	if got := names(t, fsys, "2023/evaluations"); !slices.Equal(got, []string{"a", "a.toml", "new.toml"}) {
		t.Errorf("after its change, 2023/evaluations lists %v", got)
	}
	if got := names(t, fsys, "2023/evaluations/a"); slices.Contains(got, "新.pdf") {
		t.Errorf("a change in its parent made the folder a read again: %v", got)
	}
	if got := names(t, fsys, "2024/evaluations"); slices.Contains(got, "c.toml") {
		t.Errorf("a change in another year's folder made 2024/evaluations read again: %v", got)
	}
	// A folder changed (renamed, replaced) drops its listing and those below.
	l.Forget(map[string]bool{"2023": true})
	if got := names(t, fsys, "2023/evaluations/a"); !slices.Contains(got, "新.pdf") {
		t.Errorf("after its year's folder changed, 2023/evaluations/a lists %v", got)
	}
	l.ForgetAll()
	if got := names(t, fsys, "2024/evaluations"); !slices.Contains(got, "c.toml") {
		t.Errorf("after ForgetAll, 2024/evaluations lists %v", got)
	}
	// Without listings, every ReadDir reads.
	touch(t, filepath.Join(dir, "2024/evaluations/d.toml"))
	if got := names(t, DirFSListed(dir, nil), "2024/evaluations"); !slices.Contains(got, "d.toml") {
		t.Errorf("DirFSListed(dir, nil) lists %v", got)
	}
}
