package search

import (
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/synth"
)

// synthDocs returns the Docs of a synthetic site of n evaluations (seed 1),
// generated once per test binary and size, through the same stages as a
// build: load, score, render the narrative.
func synthDocs(tb testing.TB, n int) []Doc {
	tb.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if docs, ok := corpora[n]; ok {
		return docs
	}
	dir := filepath.Join(os.TempDir(), "evalpress-search-synth-"+strconv.Itoa(synth.Version)+"-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "site.toml")); err != nil {
		tmp, err := os.MkdirTemp(os.TempDir(), "synth")
		if err != nil {
			tb.Fatal(err)
		}
		if err := synth.Generate(tmp, n, 1); err != nil {
			tb.Fatal(err)
		}
		os.RemoveAll(dir)
		if err := os.Rename(tmp, dir); err != nil {
			tb.Fatal(err)
		}
	}
	var l diag.List
	c := content.Load(os.DirFS(dir), dir, &l)
	if e, _ := l.Count(); e > 0 {
		tb.Fatalf("synthetic content has %d errors", e)
	}
	evals := score.Evaluate(c.Records, score.DefaultBands, &l)
	docs := make([]Doc, len(evals))
	var wg sync.WaitGroup
	r := narrative.New()
	for i, e := range evals {
		wg.Go(func() {
			var text string
			var prose iter.Seq[string]
			if e.Narrative != nil {
				doc, err := r.Render(e.Narrative)
				if err != nil {
					tb.Error(err)
					return
				}
				text, prose = doc.Text, doc.ProseLines()
			}
			docs[i] = DocOf(e, text, prose)
		})
	}
	wg.Wait()
	corpora[n] = docs
	return docs
}

var (
	corpusMu sync.Mutex
	corpora  = map[int][]Doc{}
)
