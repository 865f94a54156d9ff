package output

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestLookAsLstat checks that a file of the output is looked at as
// os.Lstat and identity tell of it, through the output folder held open
// where the system allows: a regular file with its size and identity, a
// folder, a link or a missing name not; and that once a build has put a
// new output in place, a name is looked for in the new output, not in
// the folder held open before.
func TestLookAsLstat(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := tracked(t, out, nil, map[string]string{"a/index.html": "first", "b.txt": "b"})
	if runtime.GOOS != "windows" {
		if err := os.Symlink("b.txt", filepath.Join(out, "link.txt")); err != nil {
			t.Fatal(err)
		}
	}
	d := open(t, out)
	d.Track(first.Manifest())
	for _, name := range []string{"a/index.html", "b.txt"} {
		st, err := os.Lstat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		size, id, ok := d.look(name)
		if !ok || size != st.Size() || id != identity(st) {
			t.Errorf("look(%s) = %d, %+v, %v; want %d, %+v", name, size, id, ok, st.Size(), identity(st))
		}
		if !d.Kept(name) {
			t.Errorf("%s as the previous build left it is not kept", name)
		}
	}
	for _, name := range []string{"a", "link.txt", "missing.html", "a/missing.html"} {
		if _, _, ok := d.look(name); ok {
			t.Errorf("look(%s) found a regular file", name)
		}
	}
	// Edited in place, same size: the change time tells.
	if err := os.WriteFile(filepath.Join(out, "b.txt"), []byte("c"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d.Kept("b.txt") && runtime.GOOS != "windows" {
		t.Error("b.txt edited in the output is still kept")
	}
	if err := d.Write("a/index.html", []byte("second, longer")); err != nil {
		t.Fatal(err)
	}
	if err := d.Write("b.txt", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	for name, s := range d.Manifest() {
		if !d.intact(name, s) {
			t.Errorf("after the commit, %s is not looked at in the new output", name)
		}
	}
	if size, _, ok := d.look("a/index.html"); !ok || size != int64(len("second, longer")) {
		t.Errorf("after the commit, look(a/index.html) = %d, %v", size, ok)
	}
}
