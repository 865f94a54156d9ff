package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withSeam sets a test seam for one test.
func withSeam[T any](t *testing.T, seam *T, v T) {
	old := *seam
	*seam = v
	t.Cleanup(func() { *seam = old })
}

func TestKilledBuildDebrisIsRemovedAndReported(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "site"})
	ours := []string{".public.new-123", ".public.new-456.old", ".public.new-7", ".public.new-8.work"}
	theirs := []string{".public.new-abc", ".public.keep", "public.new-1", ".public2.new-1", ".other.new-1", ".public.new-8.works"}
	for _, n := range append(slices.Clone(ours), theirs...) {
		writeTree(t, filepath.Join(root, n), map[string]string{"index.html": "x"})
	}
	// A file or symlink named like our folders is not ours either.
	if err := os.WriteFile(filepath.Join(root, ".public.new-9"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, ".public.keep"), filepath.Join(root, ".public.new-10")); err != nil {
		t.Fatal(err)
	}
	d := commit(t, out, map[string]string{"index.html": "new"})
	left := beside(t, root)
	for _, n := range ours {
		if slices.Contains(left, n) {
			t.Errorf("debris %s was not removed", n)
		}
		if !strings.Contains(strings.Join(d.Notices(), "\n"), n) {
			t.Errorf("no notice names the removed %s: %q", n, d.Notices())
		}
	}
	for _, n := range append(theirs, ".public.new-9", ".public.new-10") {
		if !slices.Contains(left, n) {
			t.Errorf("%s is not ours and was removed", n)
		}
	}
}

// The build's working folder holds the search index's temporary files,
// a gigabyte and more at 100,000 evaluations: it is beside the output,
// never in it, and gone once the build ends, whichever way it ends.
func TestScratchIsRemovedWhenTheBuildEnds(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	for _, end := range []string{"commit", "abort"} {
		d := open(t, out)
		dir, err := d.Scratch()
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := d.Scratch(); again != dir {
			t.Errorf("a second Scratch gave %s, the first %s", again, dir)
		}
		if filepath.Dir(dir) != root {
			t.Errorf("the working folder %s is not beside the output", dir)
		}
		if err := os.WriteFile(filepath.Join(dir, "texts"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := d.Write("index.html", []byte(end)); err != nil {
			t.Fatal(err)
		}
		if end == "commit" {
			if err := d.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			d.Abort()
		}
		if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
			t.Errorf("after %s, left beside the output: %v", end, got)
		}
		if _, err := os.Stat(filepath.Join(out, "texts")); err == nil {
			t.Errorf("after %s a temporary file is in the output", end)
		}
	}
}

func TestTwoRenameFallbackAndItsRepair(t *testing.T) {
	withSeam(t, &exchange, func(a, b string) error { return syscall.EINVAL })
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one"})
	commit(t, out, map[string]string{"index.html": "two"})
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "two" {
		t.Fatalf("after the fallback swap the page is %q", got)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}

	// A build killed between the two renames leaves the old output aside
	// and none in place; the next build puts it back before it builds.
	if err := os.Rename(out, filepath.Join(root, ".public.new-42.old")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, filepath.Join(root, ".public.new-42"), map[string]string{"index.html": "three"})
	d := open(t, out)
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "two" {
		t.Errorf("while the next build runs the output holds %q, want the previous site back", got)
	}
	if !strings.Contains(strings.Join(d.Notices(), "\n"), "放回原处") {
		t.Errorf("notices %q do not say the output was put back", d.Notices())
	}
	d.Abort()
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}
}

func TestExchangeIsUsedWhereOffered(t *testing.T) {
	// With a working exchange the output never goes missing: the swap
	// is one step. Seen from the seam, the output exists on both sides.
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one"})
	var missing []string
	withSeam(t, &atStage, func(stage string) {
		if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
			missing = append(missing, stage)
		}
	})
	commit(t, out, map[string]string{"index.html": "two"})
	if len(missing) > 0 {
		t.Errorf("the output was missing at %v", missing)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "two" {
		t.Errorf("page = %q", got)
	}
}

func TestUndeletableOldOutputIsANotice(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one"})
	withSeam(t, &removeAll, func(string) error { return syscall.EACCES })
	d := open(t, out)
	if err := d.Write("index.html", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatalf("Commit failed on an old output it could not delete: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "two" {
		t.Errorf("page = %q, want the new site in place", got)
	}
	if n := d.Notices(); len(n) != 1 || !strings.Contains(n[0], "未能全部删除") {
		t.Errorf("notices = %q, want one about the old output", n)
	}
}

func TestConcurrentBuildsWait(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	first := open(t, out)
	if err := first.Write("index.html", []byte("first")); err != nil {
		t.Fatal(err)
	}
	waited := make(chan string, 1)
	second := make(chan error, 1)
	go func() {
		d, err := Open(context.Background(), out, Options{Waiting: func(lock string) { waited <- lock }})
		if err == nil {
			err = d.Write("index.html", []byte("second"))
			if err == nil {
				err = d.Commit()
			}
		}
		second <- err
	}()
	select {
	case lock := <-waited:
		if filepath.Dir(lock) != root || strings.HasPrefix(lock, out+string(filepath.Separator)) {
			t.Errorf("lock file %s is not beside the output", lock)
		}
	case err := <-second:
		t.Fatalf("the second build did not wait for the first: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the second build was not told it waits")
	}
	select {
	case err := <-second:
		t.Fatalf("the second build went on while the first held the output: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "second" {
		t.Errorf("page = %q, want the later build's", got)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}
}

func TestWaitingBuildCanBeCancelled(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := open(t, out)
	defer first.Abort()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if d, err := Open(ctx, out, Options{}); !errors.Is(err, context.DeadlineExceeded) {
		if d != nil {
			d.Abort()
		}
		t.Errorf("Open while another build holds the output = %v, want the context's error", err)
	}
}
