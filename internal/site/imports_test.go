package site

import (
	"go/build"
	"slices"
	"testing"
)

// TestRendersOnly checks that the renderer stays a renderer: the search
// index is fed by the pipeline from the assembled documents, and the files
// beside records are read by the assemble stage, not here.
func TestRendersOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{
		"github.com/evalpress/evalpress/internal/search",
		"github.com/evalpress/evalpress/internal/attach",
		"github.com/evalpress/evalpress/internal/assemble",
	} {
		if slices.Contains(pkg.Imports, banned) {
			t.Errorf("internal/site imports %s", banned)
		}
	}
}
