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
	// or its [[documents]] list, and that may be published, to be written
	// beside the page.
	Files []File
	// Documents describe the record's [[documents]] for the page, in the
	// record's order.
	Documents []Document
}

// Document is one of a record's original files ([[documents]]) as its
// page lists it.
type Document struct {
	Title string // the record's title for it, else the file's name
	// Href leads from the page to the file published beside it, escaped
	// for a URL ("%E8%87%AA%E8%AF%84%E8%A1%A8.pdf").
	Href string
	Type string // the kind of file, as a reader says it: "PDF 文档"
	Size int64  // in bytes
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
