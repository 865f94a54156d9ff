package export

import (
	"encoding/json"
	"testing"

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
