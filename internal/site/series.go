package site

import "github.com/evalpress/evalpress/internal/score"

// A programme evaluated in several years (records that share a series
// key) is followed across them: a later year's page shows what became of
// the findings of the earlier years, and an earlier page leads to the
// later ones. The findings stay on their own record: the ledger lists
// each once, under the year that found it.

// EarlierFindings returns the findings of the evaluations of the page's
// programme in earlier years, oldest year first and each record's in its
// order, with their state on the build's date; nil when there are none.
func (p *Page) EarlierFindings() *Ledger {
	e := p.Evaluation
	if e == nil {
		return nil
	}
	var out []*LedgerEntry
	for _, o := range p.Series {
		if o.Year < e.Year {
			out = append(out, entries(p.Site, o)...)
		}
	}
	if len(out) == 0 {
		return nil
	}
	l := &ledger{today: e.Today}
	return l.ledgerOn(out, "")
}

// LaterEvaluations returns the evaluations of the page's programme in
// later years, oldest first: where an earlier year's findings are
// followed up.
func (p *Page) LaterEvaluations() []*score.Evaluation {
	e := p.Evaluation
	if e == nil {
		return nil
	}
	var out []*score.Evaluation
	for _, o := range p.Series {
		if o.Year > e.Year {
			out = append(out, o)
		}
	}
	return out
}

// SeriesUses reports whether any evaluation of the page's series states
// its result use: the series table then has a column for it, as the
// trend chart has a line.
func (p *Page) SeriesUses() bool {
	for _, o := range p.Series {
		if o.ResultUse != nil {
			return true
		}
	}
	return false
}
