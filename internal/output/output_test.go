package output

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestCommitReplacesAndAbortKeeps(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")

	first, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Write("a/index.html", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}

	failed, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := failed.Write("a/index.html", []byte("two")); err != nil {
		t.Fatal(err)
	}
	failed.Abort()
	if got, _ := os.ReadFile(filepath.Join(out, "a/index.html")); string(got) != "one" {
		t.Errorf("after an aborted build the page is %q, want the previous %q", got, "one")
	}

	second, _ := Create(out)
	_ = second.Write("b.txt", []byte("new"))
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "a/index.html")); !os.IsNotExist(err) {
		t.Errorf("a file of the previous build survived the new one")
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("left behind in the parent: %v", entries)
	}
}

func TestWriteRejectsEscapesAndDuplicates(t *testing.T) {
	d, err := Create(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, name := range []string{"../x", "/etc/x", "a/../../x", ".", "a//b"} {
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
	d, err := Create(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
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
