package linkcheck

import (
	"io"
	"testing"
)

// TestCreateChecksPagesAndNotesOtherFiles checks files written in pieces:
// a page is checked whole when it closes, and a data file, of which
// nothing is kept, still counts as there for the links to it.
func TestCreateChecksPagesAndNotesOtherFiles(t *testing.T) {
	s := NewSite("")
	write := func(name string, parts ...string) {
		f, err := s.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			if _, err := io.WriteString(f, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write("data/evaluations.csv", "\ufeff评价编号\r\n", "2023/a\r\n")
	write("index.html", `<!doctype html><html><body><a href="data/evaluations.csv">CSV</a>`,
		`<a href="data/missing.csv">gone</a></body></html>`)
	ps := s.Problems()
	if len(ps) != 1 || ps[0].Ref != "data/missing.csv" {
		t.Errorf("problems %v, want one, of data/missing.csv", ps)
	}
	if f := s.files["data/evaluations.csv"]; f != nil {
		t.Error("a data file's contents were kept")
	}
}
