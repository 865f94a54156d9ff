package search

import (
	"fmt"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// DocOf returns the Doc of an evaluation whose narrative has the plain text
// text (narrative.Doc.Text; "" when there is no narrative). Its URL is the
// evaluation page's path, <year>/<slug>/.
func DocOf(e *score.Evaluation, text string) Doc {
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
	walk(e.Indicators)
	return d
}
