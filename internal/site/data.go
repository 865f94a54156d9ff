package site

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/score"
)

// DataFiles are the open-data files of every build, relative to the site
// root; each year adds data/<year>.csv and data/<year>.zip. The data
// package's other files are named in package export.
const (
	DataDir  = "data/"
	DataJSON = DataDir + export.JSONFile
	DataCSV  = DataDir + export.EvaluationsCSV
)

// yearCSV is the path of a year's CSV file.
func yearCSV(y int) string { return DataDir + export.YearCSV(y) }

// yearZip is the path of a year's zip of all its files.
func yearZip(y int) string { return DataDir + export.YearZip(y) }

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

// dataYears are the years that have open data: those with evaluations.
func (m *Model) dataYears() []*Year {
	var out []*Year
	for _, y := range m.Years {
		if len(y.Evaluations) > 0 {
			out = append(out, y)
		}
	}
	return out
}

// summed writes files through to a Writer and records the digests of
// those of the data folder for SHA256SUMS, of files written whole or in
// pieces.
type summed struct {
	w    Writer
	sums export.Sums
}

func (s *summed) Write(name string, data []byte) error {
	if rest, ok := strings.CutPrefix(name, DataDir); ok {
		s.sums.Add(rest, data)
	}
	return s.w.Write(name, data)
}

// create opens a file of the data folder, name relative to it.
func (s *summed) create(name string) (io.WriteCloser, error) {
	f, err := Create(s.w, DataDir+name)
	if err != nil {
		return nil, err
	}
	return s.sums.Writer(name, f), nil
}

// data writes the open data: every evaluation in evaluations.json and in
// the CSV files of evaluations, indicators, findings and funds, the JSON
// Schema, one CSV of evaluations and one zip of all files per year, the
// 数据说明 page, and SHA256SUMS of them all. The files are streamed to the
// output (export.Builder): none is held whole.
func (r *Renderer) data(w Writer) error {
	m := r.model
	out := &summed{w: w}
	b, err := export.NewBuilder(m.Config, out.create)
	if err != nil {
		b.Close()
		return fmt.Errorf("%s: %w", DataJSON, err)
	}
	// Newest year first, each year in the order of the bureau's report
	// (附件1, 附件2, …), as the year pages list them; the files of all
	// evaluations are the yearly parts in that order.
	cache, _ := w.(DataCache)
	for _, y := range m.dataYears() {
		evals := m.public(y.Evaluations)
		part := DataYear{Year: y.Year, CSV: yearCSV(y.Year), Zip: yearZip(y.Year)}
		modified := r.zipDate(y.Year, evals)
		if err := r.dataYear(b, out, cache, part, evals, modified); err != nil {
			b.Close()
			return fmt.Errorf("%s: %w", yearZip(y.Year), err)
		}
		r.tally.done(evals...)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("%s: %w", DataJSON, err)
	}
	if err := r.openData(out); err != nil {
		return err
	}
	return w.Write(DataDir+export.SumsFile, out.sums.File())
}

// DataCache lets a build take a year's part of the open data from its
// previous output when the year's evaluations are unchanged, instead of
// making its rows again: at 100,000 evaluations the open data was most
// of a rebuild's render. The writer the data group is rendered to
// implements it when the build keeps such a cache (internal/pipeline).
type DataCache interface {
	// TakeYear keeps y's files (its CSV file and zip) of the previous
	// output, when the previous build made them from the same evals
	// dated modified and they are still as it wrote them. It returns the
	// digests of the two files and readers of the year's parts of the
	// files of all years, in the order of export.AllYears; ok is false
	// when y is to be made.
	TakeYear(y DataYear, evals []*score.Evaluation, modified time.Time) (sums [2][32]byte, parts [5]io.Reader, ok bool, err error)
	// YearChunks returns what lets Add take the chunks of y whose
	// evaluations are unchanged from the previous output (nil: none),
	// when the year as a whole is not taken.
	YearChunks(y DataYear, evals []*score.Evaluation) export.Reuse
	// MadeYear notes where y's parts lie in the files of all years of
	// this build, for the next one.
	MadeYear(y DataYear, evals []*score.Evaluation, modified time.Time, parts export.Parts)
}

// dataYear adds a year to the data package: taken from the previous
// output when cache can, else made.
func (r *Renderer) dataYear(b *export.Builder, out *summed, cache DataCache, y DataYear, evals []*score.Evaluation, modified time.Time) error {
	if cache == nil {
		_, err := b.Add(y.Year, evals, modified, nil)
		return err
	}
	sums, readers, ok, err := cache.TakeYear(y, evals, modified)
	if err != nil {
		return err
	}
	var parts export.Parts
	if ok {
		if parts, err = b.Take(len(evals), readers); err != nil {
			return err
		}
		out.sums.Set(strings.TrimPrefix(y.CSV, DataDir), sums[0])
		out.sums.Set(strings.TrimPrefix(y.Zip, DataDir), sums[1])
	} else if parts, err = b.Add(y.Year, evals, modified, cache.YearChunks(y, evals)); err != nil {
		return err
	}
	cache.MadeYear(y, evals, modified, parts)
	return nil
}

// zipDate is the date of the entries of a year's zip: the day its
// evaluations last changed (see changed), at midnight in the site's time
// zone; a year without public evaluations takes the first day after it.
// Never the build's clock: two builds of the same content give the same
// zip.
func (r *Renderer) zipDate(year int, evals []*score.Evaluation) time.Time {
	d := content.Date{Year: year + 1, Month: time.January, Day: 1}
	for i, e := range evals {
		if c := r.model.changed(e); i == 0 || c.After(d) {
			d = c
		}
	}
	return d.In(r.model.Config.Location)
}
