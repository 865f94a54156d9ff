package pipeline

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestStatAsByPath: the cache of loaded records looks at a content file
// through the content folder held open as it did by path (size,
// modification and change times, inode and device), refuses a folder,
// a link and a missing file, and once the load is done (save) looks by
// path again.
func TestStatAsByPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "2023", "evaluations"), 0o755); err != nil {
		t.Fatal(err)
	}
	name := "2023/evaluations/a.toml"
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(`title = "甲"`), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink("a.toml", filepath.Join(dir, "2023", "evaluations", "b.toml")); err != nil {
			t.Fatal(err)
		}
	}
	byPath := func() fileID {
		t.Helper()
		st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		id := fileID{Name: name, Size: st.Size(), MTime: st.ModTime().UnixNano()}
		identify(&id, st)
		return id
	}
	rc := newRecordCache(nil, dir, "content", [32]byte{}, true, time.Now(), nil, nil)
	got, err := rc.stat(name)
	if err != nil || got != byPath() {
		t.Errorf("stat(%s) = %+v, %v; by path %+v", name, got, err, byPath())
	}
	for _, other := range []string{"2023/evaluations", "2023/evaluations/b.toml", "2023/evaluations/none.toml"} {
		if _, err := rc.stat(other); err == nil {
			t.Errorf("stat(%s) gave no error", other)
		}
	}
	rc.dir.Release()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(`title = "乙乙"`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := rc.stat(name); err != nil || got != byPath() {
		t.Errorf("after release, stat(%s) = %+v, %v; by path %+v", name, got, err, byPath())
	}
}
