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
