package site

import (
	"fmt"

	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/score"
)

// DataFiles are the open-data files of every build, relative to the site
// root; each year adds data/<year>.csv.
const (
	DataJSON = "data/evaluations.json"
	DataCSV  = "data/evaluations.csv"
)

// yearCSV is the path of a year's CSV file.
func yearCSV(y int) string { return fmt.Sprintf("data/%d.csv", y) }

// public returns evals without those a preview shows but are not public
// yet: open data is what the public may have, even in a preview.
func (m *Model) public(evals []*score.Evaluation) []*score.Evaluation {
	if len(m.NotPublic) == 0 {
		return evals
	}
	out := make([]*score.Evaluation, 0, len(evals))
	for _, e := range evals {
		if m.NotPublic[e] == "" {
			out = append(out, e)
		}
	}
	return out
}

// data writes the open-data files: all evaluations as JSON and CSV, and
// one CSV per year.
func (r *Renderer) data(w Writer) error {
	m := r.model
	// Newest year first, each year in the order of the bureau's report
	// (附件1, 附件2, …), as the year pages list them; the file of all
	// evaluations is the yearly files' rows in that order.
	all := make([]*score.Evaluation, 0, len(m.Evaluations))
	var rows [][]byte
	for _, y := range m.Years {
		if len(y.Evaluations) == 0 {
			continue
		}
		evals := m.public(y.Evaluations)
		all = append(all, evals...)
		r, err := export.CSVRows(m.Config.BaseURL, evals)
		if err != nil {
			return fmt.Errorf("%s: %w", yearCSV(y.Year), err)
		}
		if err := w.Write(yearCSV(y.Year), export.CSVFile(r)); err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := w.Write(DataCSV, export.CSVFile(rows...)); err != nil {
		return err
	}
	b, err := export.JSON(m.Config, all)
	if err != nil {
		return fmt.Errorf("%s: %w", DataJSON, err)
	}
	return w.Write(DataJSON, b)
}
