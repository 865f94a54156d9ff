package output

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOldOutputRemovedOutOfTheLock: the previous output is removed only
// once the new one is in place and the lock released, so that it costs
// neither the site's time to go live nor another build's wait.
func TestOldOutputRemovedOutOfTheLock(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one", "2023/a/index.html": "a"})
	var free, live, asked bool
	withSeam(t, &removeAll, func(p string) error {
		if asked { // the other build's own removals
			return os.RemoveAll(p)
		}
		asked = true
		if b, err := os.ReadFile(filepath.Join(out, "index.html")); err == nil && string(b) == "two" {
			live = true
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if d, err := Open(ctx, out, Options{}); err == nil {
			free = true
			d.Abort()
		}
		return os.RemoveAll(p)
	})
	commit(t, out, map[string]string{"index.html": "two"})
	if !live || !free {
		t.Errorf("while the old output was removed, the new site was in place: %v, the lock free: %v", live, free)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}
}

// TestDeferredRemoval: with DeferRemoval, Commit leaves the previous
// output moved aside, never in the way of the site, and RemoveOld
// removes it; an old output whose removal was cut short (the build was
// killed) is removed by the next build, and nothing else is.
func TestDeferredRemoval(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one"})
	d := open(t, out)
	d.DeferRemoval()
	if err := d.Write("index.html", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "two" {
		t.Fatalf("after Commit the page is %q", got)
	}
	left := beside(t, root)
	if len(left) != 2 || !strings.HasPrefix(left[0], ".public.old-") {
		t.Fatalf("after Commit, beside the output: %v, want the old one moved aside", left)
	}
	if got, _ := os.ReadFile(filepath.Join(root, left[0], "index.html")); string(got) != "one" {
		t.Errorf("the folder moved aside holds %q, want the previous site", got)
	}
	// Another build may start at once: the lock is released.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	other, err := Open(ctx, out, Options{})
	if err != nil {
		t.Fatalf("a build after Commit, before RemoveOld: %v", err)
	}
	other.Abort() // and removes what it found moved aside
	if n := d.RemoveOld(); len(n) != 0 {
		t.Errorf("RemoveOld: %q", n)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}

	// A removal cut short, and things named like it that are not ours.
	writeTree(t, filepath.Join(root, ".public.old-77"), map[string]string{"2023/x/index.html": "old"})
	writeTree(t, filepath.Join(root, ".public.old-x"), map[string]string{"index.html": "mine"})
	if err := os.WriteFile(filepath.Join(root, ".public.old-78"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	commit(t, out, map[string]string{"index.html": "three"})
	if got := beside(t, root); !slices.Equal(got, []string{".public.old-78", ".public.old-x", "public"}) {
		t.Errorf("left beside the output: %v, want only what is not ours", got)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "three" {
		t.Errorf("page = %q", got)
	}
}
