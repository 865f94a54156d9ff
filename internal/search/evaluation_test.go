package search

import (
	"fmt"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/content/contenttest"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// TestDocPublishesTheList checks that the search document of an evaluation
// holds exactly the texts of its record that content's field lists mark
// Search, at every level of indicators: a field added to the record, to the
// lists or to Doc fails here until the three agree.
func TestDocPublishesTheList(t *testing.T) {
	r := new(content.Record)
	names := contenttest.Fill(r, contenttest.Marks)
	r.Year = 2023
	e := score.Evaluate([]*content.Record{r}, score.DefaultBands, new(diag.List))[0]
	want := map[string]bool{}
	for _, tx := range r.PublishedTexts() {
		if tx.In&content.Search != 0 {
			want[tx.Value] = true
		}
	}
	// The narrative is searched as its plain text, which DocOf is given.
	d := DocOf(e, "")
	for _, p := range contenttest.Compare(fmt.Sprintf("%+v", d), want, names) {
		t.Errorf("search document: %s", p)
	}
}
