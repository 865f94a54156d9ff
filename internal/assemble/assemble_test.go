package assemble

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/synth"
)

// seed is the model of the tests' copy of the default content.
func seed(t *testing.T) *site.Model {
	t.Helper()
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/seed"), "content", &l)
	if l.Failed(true) && len(c.Records) == 0 {
		t.Fatalf("seed: %v", l.Items())
	}
	evals := score.Evaluate(c.Records, score.DefaultBands, &l)
	return site.NewModel(c.Site, score.DefaultBands, c.Reports, evals)
}

// TestBookletKeepsNarrativesUntilTaken checks the one cache that holds a
// narrative's HTML beyond its page: only for a booklet of the same render,
// and only until the booklet takes it, so that a build's peak is never
// more than the booklets' narratives.
func TestBookletKeepsNarrativesUntilTaken(t *testing.T) {
	m := seed(t)
	y := m.Year(2023)
	gathered, _ := y.BookletEvaluations()
	if len(gathered) == 0 || gathered[0].Narrative == nil {
		t.Fatal("the seed's booklet gathers no narrative")
	}
	// Without the year's booklet in the render, nothing is kept.
	a := New(m, nil, nil)
	for _, e := range m.Evaluations {
		if _, err := a.Evaluation(e); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(a.booklet.html); n != 0 {
		t.Errorf("kept %d narratives for no booklet", n)
	}

	a = New(m, nil, []int{2023})
	pages := map[*score.Evaluation]*site.EvaluationParts{}
	for _, e := range m.Evaluations {
		p, err := a.Evaluation(e)
		if err != nil {
			t.Fatal(err)
		}
		pages[e] = p
	}
	if got, want := len(a.booklet.html), len(gathered); got != want {
		t.Errorf("kept %d narratives, want the booklet's %d", got, want)
	}
	for _, e := range gathered {
		html, err := a.BookletNarrative(e)
		if err != nil {
			t.Fatal(err)
		}
		if html != pages[e].Narrative.HTML {
			t.Errorf("%s: the booklet's narrative is not the page's", e.Slug)
		}
	}
	if n := len(a.booklet.html); n != 0 {
		t.Errorf("%d narratives still kept after the booklet took them", n)
	}
	// Asked again (a booklet rendered without its pages), the narrative
	// is converted again, the same.
	html, err := a.BookletNarrative(gathered[0])
	if err != nil || html != pages[gathered[0]].Narrative.HTML {
		t.Errorf("converted again: %v, not the page's narrative", err)
	}
	if got := len(a.Docs()); got != len(m.Evaluations) {
		t.Errorf("%d search documents, want one per evaluation (%d)", got, len(m.Evaluations))
	}
}

// TestReadSourcesConvertsDroppedNarratives checks a build's render: the
// records come without their narratives (content.Options.DropNarratives),
// and each page, and each booklet beyond what the bounded cache keeps,
// reads its narrative again and shows the same HTML as a render of
// records that kept theirs; a narrative edited since loading fails the
// render rather than publish an unchecked text.
func TestReadSourcesConvertsDroppedNarratives(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../testdata/seed")); err != nil {
		t.Fatal(err)
	}
	kept := seed(t)
	load := func() *site.Model {
		var l diag.List
		c := content.LoadWith(os.DirFS(dir), "content", content.Options{DropNarratives: true}, &l)
		evals := score.Evaluate(c.Records, score.DefaultBands, &l)
		return site.NewModel(c.Site, score.DefaultBands, c.Reports, evals)
	}
	m := load()
	if len(m.Evaluations) != len(kept.Evaluations) {
		t.Fatalf("%d evaluations, want %d", len(m.Evaluations), len(kept.Evaluations))
	}
	keptOf := map[string]*score.Evaluation{}
	for _, e := range kept.Evaluations {
		keptOf[e.Path()] = e
	}
	for _, cache := range []int{bookletCache, 0} {
		defer func(was int) { bookletCache = was }(bookletCache)
		bookletCache = cache
		want := New(kept, nil, []int{2023})
		a := New(m, nil, []int{2023})
		a.ReadSources(os.DirFS(dir))
		narratives := 0
		for i, e := range m.Evaluations {
			if e.Narrative != nil {
				t.Fatalf("%s: the narrative was not dropped", e.Slug)
			}
			got, err := a.Evaluation(e)
			if err != nil {
				t.Fatal(err)
			}
			w, err := want.Evaluation(kept.Evaluations[i])
			if err != nil {
				t.Fatal(err)
			}
			if got.Narrative.HTML != w.Narrative.HTML {
				t.Errorf("cache %d: %s: the page's narrative differs from the kept source's", cache, e.Slug)
			}
			if got.Narrative.HTML != "" {
				narratives++
			}
		}
		if narratives == 0 {
			t.Fatal("no narrative rendered: the test proves nothing")
		}
		if cache == 0 && len(a.booklet.html) != 0 {
			t.Errorf("kept %d narratives beyond the cache's bound", len(a.booklet.html))
		}
		gathered, _ := m.Year(2023).BookletEvaluations()
		for _, e := range gathered {
			got, err := a.BookletNarrative(e)
			if err != nil {
				t.Fatal(err)
			}
			if got == "" && e.NarrativeFile != "" {
				t.Errorf("cache %d: %s: the booklet lost the narrative", cache, e.Slug)
			}
			w, _ := want.BookletNarrative(keptOf[e.Path()])
			if got != w {
				t.Errorf("cache %d: %s: the booklet's narrative differs", cache, e.Slug)
			}
		}
	}

	m = load()
	var e *score.Evaluation
	for _, x := range m.Evaluations {
		if x.NarrativeFile != "" {
			e = x
			break
		}
	}
	name := filepath.Join(dir, strings.TrimPrefix(e.NarrativeFile, "content/"))
	if err := os.WriteFile(name, []byte("## 改过的说明\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a := New(m, nil, nil)
	a.ReadSources(os.DirFS(dir))
	if _, err := a.Evaluation(e); !errors.Is(err, content.ErrNarrativeChanged) {
		t.Errorf("a narrative edited after loading: %v, want content.ErrNarrativeChanged", err)
	}
}

// TestTrendsAreForgottenWhenTaken checks that a series' trend chart is
// drawn once and kept only until every page of the series has it: at
// 100,000 evaluations the charts kept to the end of the render took
// 60 MB.
func TestTrendsAreForgottenWhenTaken(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, 120, 1); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	evals := score.Evaluate(c.Records, score.DefaultBands, &l)
	m := site.NewModel(c.Site, score.DefaultBands, c.Reports, evals)
	a := New(m, nil, nil)
	charts := map[string]*chart.Chart{}
	shared := 0
	for _, e := range m.Evaluations {
		p, err := a.Evaluation(e)
		if err != nil {
			t.Fatal(err)
		}
		if p.Trend == nil {
			continue
		}
		if was, ok := charts[e.Series]; ok {
			shared++
			if was != p.Trend {
				t.Errorf("%s: the series' trend was drawn again", e.Slug)
			}
		}
		charts[e.Series] = p.Trend
	}
	if shared == 0 {
		t.Fatal("no series of two or more pages: the test proves nothing")
	}
	if n := len(a.trends.m); n != 0 {
		t.Errorf("%d trend charts still kept after every page took its own", n)
	}
}
