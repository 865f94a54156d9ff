package site

import (
	"html/template"

	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
)

// Assembly gives the renderer what the assemble stage (internal/assemble)
// prepared for a page beyond the model: converted narratives, charts and
// the files a page publishes. The renderer asks for each page's material
// as it renders the page, so that material lives no longer than its page.
// It must be safe for concurrent use.
type Assembly interface {
	// Evaluation returns the material of e's page.
	Evaluation(e *score.Evaluation) (*EvaluationParts, error)
	// Year returns the material of y's page; its charts also serve the
	// home page.
	Year(y *Year) (*YearParts, error)
	// BookletNarrative returns the narrative HTML of e as written for its
	// own page, for a print booklet to reprint; "" when e has none.
	BookletNarrative(e *score.Evaluation) (template.HTML, error)
}

// EvaluationParts is the assembled material of an evaluation's page.
type EvaluationParts struct {
	Narrative narrative.Doc
	// Indicators is the chart of the score table; Trend the chart of the
	// evaluation's series, nil when it has no other year.
	Indicators, Trend *chart.Chart
	// Files are the files beside the record that the narrative references
	// and that may be published, to be written beside the page.
	Files []File
}

// File is one output file: a path relative to the site root and its bytes.
type File struct {
	Name string
	Data []byte
}

// YearParts is the assembled material of a year's page.
type YearParts struct {
	// Narrative is the year report's narrative, empty without one.
	Narrative narrative.Doc
	// Charts are the year's charts, in page order.
	Charts []*chart.Chart
}

// BookletEvaluations are the evaluations of y that its print booklet
// gathers: those marked congress = true, or all when none is marked (all
// is then true).
func (y *Year) BookletEvaluations() (evals []*score.Evaluation, all bool) {
	for _, e := range y.Evaluations {
		if e.Congress {
			evals = append(evals, e)
		}
	}
	if len(evals) == 0 {
		return y.Evaluations, true
	}
	return evals, false
}

// Year returns the year y of the model, nil when it has none.
func (m *Model) Year(y int) *Year { return m.byYear[y] }
