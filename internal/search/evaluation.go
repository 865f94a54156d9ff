package search

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// DocOf returns the Doc of an evaluation whose narrative has the plain text
// text and the lines of prose prose (narrative.Doc.Text and ProseLines;
// "" and nil when there is no narrative). Its URL is the evaluation page's
// path, <year>/<slug>/.
func DocOf(e *score.Evaluation, text string, prose iter.Seq[string]) Doc {
	d := Doc{
		URL:        e.Path(),
		Title:      e.Title,
		Department: e.Department,
		Evaluator:  e.Evaluator,
		Year:       fmt.Sprint(e.Year),
		Grade:      e.GradeShown,
		Kind:       e.Kind,
		Text:       text,
	}
	if e.HasTotal {
		d.Score = e.Total.String()
	}
	var walk func([]*content.Indicator)
	walk = func(list []*content.Indicator) {
		for _, ind := range list {
			d.Indicators = append(d.Indicators, ind.Name)
			walk(ind.Items)
		}
	}
	walk(e.IndicatorTree())
	d.Details = details(e)
	if prose != nil {
		d.Head, d.More = head(prose)
	}
	if d.Head == "" {
		d.Head, d.More = head(slices.Values([]string{e.Goal, e.Outcome}))
	}
	return d
}

// head returns the first headRunes runes of the lines, one space between
// lines and for each run of whitespace, and whether they go on.
func head(lines iter.Seq[string]) (string, bool) {
	var b strings.Builder
	n := 0
	space := false
	for line := range lines {
		for _, r := range line {
			if isSpace(r) {
				space = b.Len() > 0
				continue
			}
			if n == headRunes {
				return b.String(), true
			}
			if space {
				b.WriteByte(' ')
				space = false
				n++
			}
			b.WriteRune(r)
			n++
		}
		space = b.Len() > 0
	}
	return b.String(), false
}

// details returns the form's texts that a reader searches besides the
// indicators (see Doc.Details); empty ones are left out.
func details(e *score.Evaluation) []string {
	var ds []string
	add := func(s ...string) {
		for _, s := range s {
			if s != "" {
				ds = append(ds, s)
			}
		}
	}
	add(e.Goal, e.Outcome)
	for _, f := range e.Findings {
		add(f.Problem, f.Measure, f.Result)
	}
	if u := e.ResultUse; u != nil {
		// A reader searches 调减, not reduce. The loader accepts only the
		// decisions it names, so the key itself is never indexed.
		add(cmp.Or(e.DecisionName(), u.Decision), u.Note)
	}
	return ds
}
