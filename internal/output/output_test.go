package output

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// open starts an output at dir with no content folder to protect.
func open(t *testing.T, dir string) *Dir {
	t.Helper()
	d, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// commit writes files into a new output at dir and commits it.
func commit(t *testing.T, dir string, files map[string]string) *Dir {
	t.Helper()
	d := open(t, dir)
	for name, data := range files {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return d
}

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestCommitReplacesAndAbortKeeps(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"a/index.html": "one"})

	failed := open(t, out)
	if err := failed.Write("a/index.html", []byte("two")); err != nil {
		t.Fatal(err)
	}
	failed.Abort()
	if got, _ := os.ReadFile(filepath.Join(out, "a/index.html")); string(got) != "one" {
		t.Errorf("after an aborted build the page is %q, want the previous %q", got, "one")
	}

	commit(t, out, map[string]string{"b.txt": "new"})
	if _, err := os.Stat(filepath.Join(out, "a/index.html")); !os.IsNotExist(err) {
		t.Errorf("a file of the previous build survived the new one")
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left behind in the parent (a lock file, a temporary folder?): %v", got)
	}
	if got := names(t, out); !slices.Equal(got, []string{Marker, "b.txt"}) {
		t.Errorf("output holds %v, want the marker and b.txt", got)
	}
}

func TestMarkerIsDeterministic(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	commit(t, out, nil)
	got, err := os.ReadFile(filepath.Join(out, Marker))
	if err != nil || string(got) != markerText {
		t.Fatalf("marker = %q, %v", got, err)
	}
	for _, want := range []string{"evalpress", "替换", "replaces"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the marker does not say %q", want)
		}
	}
}

func TestWriteRejectsEscapesAndDuplicates(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "public"))
	defer d.Abort()
	for _, name := range []string{"../x", "/etc/x", "a/../../x", ".", "a//b", Marker} {
		if err := d.Write(name, nil); err == nil {
			t.Errorf("Write(%q) succeeded, want an error", name)
		}
	}
	if err := d.Write("x.html", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Write("x.html", nil); err == nil {
		t.Errorf("writing x.html twice succeeded, want an error")
	}
}

func TestConcurrentWritesIntoNewDirectories(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "public"))
	defer d.Abort()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for i := range 400 {
		wg.Go(func() {
			// Many writers land in each new directory at once.
			errs <- d.Write(fmt.Sprintf("d%d/e%d/f%d.html", i%5, i%20, i), []byte("x"))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if files, _ := d.Count(); files != 400 {
		t.Errorf("wrote %d files, want 400", files)
	}
}

// beside lists the folder that holds an output, leaving out the lock
// file that stays there on Windows.
func beside(t *testing.T, dir string) []string {
	t.Helper()
	all := names(t, dir)
	if runtime.GOOS != "windows" {
		return all
	}
	return slices.DeleteFunc(all, func(n string) bool { return strings.HasSuffix(n, ".lock") })
}
