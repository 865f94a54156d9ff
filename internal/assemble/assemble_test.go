package assemble

import (
	"os"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
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

// TestReleaseSourcesDropsConvertedNarratives checks that a one-shot
// render lets go of each narrative's Markdown once its page has the HTML,
// except those its booklet may still convert, and that a render for the
// preview (which renders the same records again) keeps every one.
func TestReleaseSourcesDropsConvertedNarratives(t *testing.T) {
	m := seed(t)
	a := New(m, nil, nil)
	for _, e := range m.Evaluations {
		had := e.Narrative != nil
		p, err := a.Evaluation(e)
		if err != nil {
			t.Fatal(err)
		}
		if had && (e.Narrative == nil || p.Narrative.HTML == "") {
			t.Fatalf("%s: a render that keeps sources lost the narrative", e.Slug)
		}
	}

	// Once with the year's booklet in the render, once without: the
	// sources the booklet may convert are kept, the others dropped.
	for _, booklets := range [][]int{{2023}, nil} {
		m := seed(t)
		inBooklet := map[*score.Evaluation]bool{}
		if booklets != nil {
			gathered, _ := m.Year(2023).BookletEvaluations()
			for _, e := range gathered {
				inBooklet[e] = true
			}
		}
		a := New(m, nil, booklets)
		a.ReleaseSources()
		kept, dropped := 0, 0
		for _, e := range m.Evaluations {
			had := e.Narrative != nil
			p, err := a.Evaluation(e)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case !had:
			case p.Narrative.HTML == "":
				t.Errorf("%s: the page lost its narrative", e.Slug)
			case inBooklet[e] && e.Narrative == nil:
				t.Errorf("%s: the source its booklet may convert again was dropped", e.Slug)
			case !inBooklet[e] && e.Narrative != nil:
				t.Errorf("%s: the converted source was kept", e.Slug)
			case inBooklet[e]:
				kept++
			default:
				dropped++
			}
		}
		if (booklets != nil && kept == 0) || (booklets == nil && dropped == 0) {
			t.Errorf("booklets %v: kept %d, dropped %d: the test proves nothing", booklets, kept, dropped)
		}
	}
}
