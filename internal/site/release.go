package site

import (
	"sync/atomic"

	"github.com/evalpress/evalpress/internal/score"
)

// ReleaseRecords makes Render forget each evaluation's indicator tree,
// goal and outcome (content.Record.ReleasePageData) as soon as every page
// that reads them is made: its own page, its abstract in the print
// booklet and the open data. Kept to the last page, they were most of
// what a build holds per evaluation (some 2 KB of a 3 KB record), and the
// collector scanned them at every collection.
//
// Only a one-shot render of a site without templates of its own may set
// it: the default templates read these fields on those pages alone, but
// a site's own year or department page may read any evaluation's, and
// must see them. The model's records are changed: it renders once.
func (r *Renderer) ReleaseRecords() { r.releasing = true }

// tally counts, for each evaluation of a render, the pages still to read
// what ReleasePageData forgets.
type tally struct {
	left map[*score.Evaluation]*atomic.Int32
}

// newTally counts the readers of each evaluation in sel: its page, the
// open data of its year and its year's booklet. nil when r does not
// release records.
func (r *Renderer) newTally(sel Selection, booklets []*Year) *tally {
	if !r.releasing {
		return nil
	}
	t := &tally{left: map[*score.Evaluation]*atomic.Int32{}}
	add := func(evals []*score.Evaluation) {
		for _, e := range evals {
			n := t.left[e]
			if n == nil {
				n = new(atomic.Int32)
				t.left[e] = n
			}
			n.Add(1)
		}
	}
	add(sel.Evaluations)
	if sel.Data {
		for _, y := range r.model.dataYears() {
			add(r.model.public(y.Evaluations))
		}
	}
	for _, y := range booklets {
		evals, _ := y.BookletEvaluations()
		add(evals)
	}
	return t
}

// done notes that one reader has finished with evals, and releases those
// that no reader needs any more. It does nothing on a nil tally.
func (t *tally) done(evals ...*score.Evaluation) {
	if t == nil {
		return
	}
	for _, e := range evals {
		if n := t.left[e]; n != nil && n.Add(-1) == 0 {
			e.Record.ReleasePageData()
		}
	}
}
