package export

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/content/contenttest"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

func TestNestRebuildsTheTree(t *testing.T) {
	rows := []score.Row{
		{Level: 1, Name: "决策"},
		{Level: 2, Name: "立项"},
		{Level: 3, Name: "依据"},
		{Level: 3, Name: "程序"},
		{Level: 2, Name: "目标"},
		{Level: 1, Name: "产出"},
	}
	b, err := json.Marshal(nest(rows))
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"name":"决策","max":0,"score":0,"rate":0,"items":[{"name":"立项","max":0,"score":0,"rate":0,"items":[` +
		`{"name":"依据","max":0,"score":0,"rate":0},{"name":"程序","max":0,"score":0,"rate":0}]},` +
		`{"name":"目标","max":0,"score":0,"rate":0}]},{"name":"产出","max":0,"score":0,"rate":0}]`
	if string(b) != want {
		t.Errorf("nest =\n%s\nwant\n%s", b, want)
	}
}

func TestTextGuardsFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		// A spreadsheet would run these as formulas.
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+86", "'+86"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		// Plain text is left alone.
		{"", ""},
		{"残疾人补贴", "残疾人补贴"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDataPublishesTheList checks that the open data of an evaluation hold
// exactly the texts of its record and site.toml that content's field lists
// mark Data, at every level of indicators: a field added to the record, to
// the lists or to Evaluation fails here until they agree. evaluations.json
// holds every such text; the CSV files, a summary, hold no other.
func TestDataPublishesTheList(t *testing.T) {
	r := new(content.Record)
	names := contenttest.Fill(r, contenttest.Marks)
	r.Year = 2023
	var site content.Site
	maps.Copy(names, contenttest.Fill(&site, func(name string, level int) string {
		return contenttest.Marks("site "+name, level)
	}))
	evals := score.Evaluate([]*content.Record{r}, score.DefaultBands, new(diag.List))
	inJSON, inCSV := map[string]bool{}, map[string]bool{}
	for _, tx := range r.PublishedTexts() {
		if tx.In&content.Data != 0 {
			inJSON[tx.Value], inCSV[tx.Value] = true, false
		}
	}
	for _, tx := range site.PublishedTexts() {
		// The names of grades are published where an evaluation's grade
		// is one of them; the fields of the site itself always are.
		if tx.In&content.Data != 0 {
			inJSON[tx.Value], inCSV[tx.Value] = !strings.HasPrefix(tx.Key, "grades."), false
		}
	}
	b, err := JSON(site, evals)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contenttest.Compare(string(b), inJSON, names) {
		t.Errorf("evaluations.json: %s", p)
	}
	b, err = CSV(site.BaseURL, evals)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contenttest.Compare(string(b), inCSV, names) {
		t.Errorf("evaluations.csv: %s", p)
	}
}
