package pipeline

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/evalpress/evalpress/internal/buildcache"
)

// TestHashContentTakesLoadedSums checks that the files the load has
// hashed (incremental.reader) are not read again for the cache: their
// sums are taken as given, and only the other files are read.
func TestHashContentTakesLoadedSums(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"site.toml":                "title = \"t\"\n",
		"2023/evaluations/a.toml":  "title = \"a\"\n",
		"2023/evaluations/a/x.png": "png",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A sum no file has: taken, the file was not read again.
	loaded := buildcache.Sum{1, 2, 3}
	c, err := hashContent(context.Background(), dir, map[string]buildcache.Sum{
		"2023/evaluations/a.toml": loaded,
		// A file the load read and that is gone since is not content.
		"2023/evaluations/gone.toml": loaded,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]buildcache.Sum{
		"2023/evaluations/a.toml":  loaded,
		"2023/evaluations/a/x.png": sha256.Sum256([]byte("png")),
		"site.toml":                sha256.Sum256([]byte("title = \"t\"\n")),
	}
	if len(c.names) != len(want) || len(c.sums) != len(want) {
		t.Errorf("names %q, %d sums; want %d files", c.names, len(c.sums), len(want))
	}
	for name, s := range want {
		if c.sums[name] != s {
			t.Errorf("%s: sum %x, want %x", name, c.sums[name], s)
		}
	}
}
