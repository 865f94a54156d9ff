package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
)

// rowsRecorder is a Writer and a RowCache: it keeps the pages written,
// gives chunk 1 of every list from "the previous output", and notes where
// the page said its chunks lie.
type rowsRecorder struct {
	pages  map[string][]byte
	taken  int
	made   bool
	off    int64
	lens   []int64
	chunk1 []byte
}

func (w *rowsRecorder) Write(name string, data []byte) error {
	w.pages[name] = bytes.Clone(data)
	return nil
}

func (w *rowsRecorder) TakeRows(file, tmpl string, j int, evals []*score.Evaluation) ([]byte, bool) {
	if j != 1 {
		return nil, false
	}
	w.taken++
	return w.chunk1, true
}

func (w *rowsRecorder) MadeRows(file, tmpl string, off int64, lens []int64, evals []*score.Evaluation) {
	w.made, w.off, w.lens = true, off, lens
}

// renderRows renders a page of the layout given, whose list has n rows,
// with the rows spliced into the page (splice) or printed by the
// template, and returns the page, what the writer saw and the list.
func renderRows(t *testing.T, layout string, n int, splice bool) (string, *rowsRecorder, *rowList) {
	t.Helper()
	r := &Renderer{model: &Model{}, templates: map[string]*template.Template{}, clock: par.NewClock("templates", "write"),
		sizes: map[string]*atomic.Int64{"list.html": new(atomic.Int64)}, spliceRows: splice}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	tmpl := template.New("").Funcs(template.FuncMap{"rows": r.rows})
	template.Must(tmpl.New("layout.html").Parse(layout))
	template.Must(tmpl.New("list-rows").Parse(`{{range .}}<tr><td>{{.}}</td></tr>{{end}}`))
	r.templates["list.html"] = tmpl
	evals := make([]*score.Evaluation, n)
	names := make([]string, n)
	for i := range evals {
		evals[i] = &score.Evaluation{}
		names[i] = fmt.Sprintf("项目<%d>", i)
	}
	w := &rowsRecorder{pages: map[string][]byte{}, chunk1: []byte("<tr><td>taken</td></tr>")}
	p := &Page{Path: "list/"}
	p.list = &rowList{page: "list.html", tmpl: "list-rows", evals: evals, file: "list/index.html", cache: w,
		data: func(lo, hi int) any { return names[lo:hi] }}
	if err := r.render(w, "list.html", "list/index.html", p); err != nil {
		t.Fatal(err)
	}
	return string(w.pages["list/index.html"]), w, p.list
}

// TestRowsSpliced checks that the rows of a list, placed once in HTML
// text as the default templates place them, are put into the page as it
// is made (no joined copy printed by the template), that the page is the
// one the template makes when it prints the rows itself, and that the
// chunks' places are told to the cache as they are in the page.
func TestRowsSpliced(t *testing.T) {
	const layout = `<h1>{{.Path}}</h1><table>{{rows .}}</table><p>{{len .Path}}</p>`
	n := 2*RowChunk + 5
	got, w, l := renderRows(t, layout, n, true)
	want, ww, _ := renderRows(t, layout, n, false)
	if got != want {
		t.Fatalf("the page spliced differs from the page printed:\n%q\n%q", got, want)
	}
	if !l.mark || l.direct {
		t.Errorf("the rows were not spliced (mark %v, direct %v)", l.mark, l.direct)
	}
	if strings.Contains(got, rowsMark) || !strings.Contains(got, "<tr><td>taken</td></tr>") || !strings.Contains(got, "项目&lt;0&gt;") {
		t.Errorf("the page lacks its rows or keeps the mark: %q", got)
	}
	if !w.made || w.off != ww.off || fmt.Sprint(w.lens) != fmt.Sprint(ww.lens) {
		t.Fatalf("the cache was told off %d lens %v, want off %d lens %v", w.off, w.lens, ww.off, ww.lens)
	}
	// The chunks lie where the cache was told.
	at := w.off
	for j, size := range w.lens {
		chunk := got[at : at+size]
		if !strings.HasPrefix(chunk, "<tr>") || !strings.HasSuffix(chunk, "</tr>") {
			t.Errorf("chunk %d at %d is %q", j, at, chunk)
		}
		at += size
	}
	if got[at:] != "</table><p>5</p>" {
		t.Errorf("the page after its chunks is %q", got[at:])
	}
}

// TestRowsPlacedOtherwise checks that a layout that prints its rows
// twice, in an attribute or not at all gets the page it would get with
// the rows printed, taking each chunk from the cache once, and that the
// cache is told nothing of places the page does not have once.
func TestRowsPlacedOtherwise(t *testing.T) {
	for _, layout := range []string{
		`<table>{{rows .}}</table><table>{{rows .}}</table>`,
		`<p title="{{rows .}}">x</p>`,
		`{{$r := rows .}}<p>{{len $r}}</p>`,
		`<p>no rows</p>`,
	} {
		got, w, _ := renderRows(t, layout, RowChunk+3, true)
		want, ww, _ := renderRows(t, layout, RowChunk+3, false)
		if got != want {
			t.Errorf("%s: the page differs from the page printed:\n%q\n%q", layout, got, want)
		}
		if strings.Contains(got, rowsMark) {
			t.Errorf("%s: the page keeps the mark", layout)
		}
		if w.taken != ww.taken || w.taken > 1 {
			t.Errorf("%s: chunk 1 taken %d times, want %d (at most once)", layout, w.taken, ww.taken)
		}
		if w.made != ww.made {
			t.Errorf("%s: cache told of the rows' places %v, printing the rows %v", layout, w.made, ww.made)
		}
	}
}
