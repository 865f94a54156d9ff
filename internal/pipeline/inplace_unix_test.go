//go:build unix

package pipeline_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// inodes returns the inode of every file under dir, by slash path: a file
// written again (to a temporary file renamed into place) has a new one.
func inodes(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	m := map[string]uint64{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = st.Sys().(*syscall.Stat_t).Ino
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIncrementalRewritesOnlyWhatChanged edits one record: the rebuild
// updates the output in place, writing the files whose bytes changed and
// no other (the other year's pages, the assets, the other evaluations'
// pages keep their very files), and leaves nothing beside the output to
// remove but the spare the full build left.
func TestIncrementalRewritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	s.build("second build") // the first with a manifest of the output
	before := inodes(t, s.out)

	s.edit("2023/evaluations/disability-subsidies.toml", "score = 20\n", "score = 19\n")
	s.edit("2023/evaluations/disability-subsidies.toml", "score = 93.5\n", "score = 92.5\n")
	b := s.build("a record's score")
	s.reused("a record's score", b, 5)
	after := inodes(t, s.out)

	var rewritten []string
	for name, ino := range after {
		if before[name] != ino {
			rewritten = append(rewritten, name)
		}
	}
	slices.Sort(rewritten)
	for _, name := range []string{"2023/disability-subsidies/index.html", "2023/index.html", "data/evaluations.csv"} {
		if !slices.Contains(rewritten, name) {
			t.Errorf("%s changed and was not written: rewritten %q", name, rewritten)
		}
	}
	for _, name := range []string{"2022/index.html", "2022/rural-water/index.html", "2023/school-meals/index.html",
		"assets/css/site.css", "about/index.html"} {
		if _, ok := after[name]; !ok {
			t.Errorf("the output has no %s", name)
		}
		if slices.Contains(rewritten, name) {
			t.Errorf("%s did not change and was written again", name)
		}
	}
	if len(rewritten)*2 > len(after) {
		t.Errorf("%d of %d files written again after one record's score: %q", len(rewritten), len(after), rewritten)
	}
	entries, err := os.ReadDir(s.root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public.") && !strings.HasSuffix(e.Name(), ".evalpress-cache") && !strings.HasSuffix(e.Name(), ".lock") &&
			e.Name() != ".public.spare" {
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
	if b.stats.RemoveOld != nil {
		if n := b.stats.RemoveOld(); len(n) > 0 {
			t.Errorf("removing the old output: %q", n)
		}
	}
}
