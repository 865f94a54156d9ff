package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeLayoutListsEveryPackage checks that the README's layout section
// names every Go package of the tree, so that the next engineer's map of
// the code is never missing a room.
func TestReadmeLayoutListsEveryPackage(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, top := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join("../..", top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			rel, _ := filepath.Rel("../..", filepath.Dir(p))
			if pkg := "`" + filepath.ToSlash(rel) + "`"; !strings.Contains(string(readme), pkg) {
				t.Errorf("README.md's layout does not name %s", pkg)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
