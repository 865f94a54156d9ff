package pipeline

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/assemble"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/synth"
)

// files is an output that keeps every file whole, by name, and the order
// they were written in.
type files struct {
	mu    sync.Mutex
	m     map[string][]byte
	order []string
}

func (f *files) Write(name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string][]byte{}
	}
	f.m[name] = bytes.Clone(data)
	f.order = append(f.order, name)
	return nil
}

// TestBuildReleasesRecords checks that a build forgets each record's
// indicator tree, goal and outcome once the pages that read them are
// made (kept to the end, they were most of what a build held per
// evaluation), and that the pages are the same as a render that keeps
// them: the evaluation pages, the print booklets (one year with no
// evaluation for the congress, whose booklet gathers all of them) and
// the open data read them, while the lists are made beside them.
func TestBuildReleasesRecords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := synth.Generate(dir, 120, 3); err != nil {
		t.Fatal(err)
	}
	opts := Options{Content: dir, Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	var l diag.List
	load := func() *prepared {
		p, _, err := prepare(opts, true, nil, &l)
		if err != nil {
			t.Fatalf("%v\n%v", err, l.Items())
		}
		return p
	}

	// What a render that keeps every record whole makes.
	keep := load()
	want := &files{}
	sel := site.All(keep.model)
	asm := assemble.New(keep.model, keep.files, sel.Booklets)
	asm.ReadSources(keep.fsys)
	r, err := site.NewRenderer(keep.model, keep.opts.files(), keep.override, asm)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(context.Background(), want, sel); err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, e := range keep.model.Evaluations {
		if len(e.Indicators) > 0 && e.Goal != "" {
			held++
		}
	}
	if held == 0 {
		t.Fatal("the corpus has no record with indicators and a goal: nothing to release")
	}

	p := load()
	got := &files{}
	var stats Stats
	if err := p.build(context.Background(), tee{got, linkcheck.NewSite("")}, &stats, &l); err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	for _, e := range p.model.Evaluations {
		if e.Indicators != nil || e.Goal != "" || e.Outcome != "" {
			t.Errorf("%s: the build kept the record's indicators, goal or outcome", e.Path())
		}
	}
	// The open data is written before the first evaluation page, so that
	// each record goes as soon as its page is done: with the two made
	// side by side, the data fell behind and a large site held every
	// indicator tree half-way through its render.
	sums := slices.Index(got.order, site.DataDir+export.SumsFile)
	if sums < 0 {
		t.Fatal("no open data written")
	}
	for i, name := range got.order {
		if p.evaluationAt(name) != nil && i < sums {
			t.Errorf("the evaluation page %s was written before the open data was done", name)
			break
		}
	}
	booklets := 0
	for name, w := range want.m {
		if bytes.Contains([]byte(name), []byte("print/")) {
			booklets++
		}
		if g, ok := got.m[name]; !ok {
			t.Errorf("%s: not built", name)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s differs from a render that keeps the records", name)
		}
	}
	if booklets == 0 {
		t.Error("no print booklet made: the test does not cover them")
	}
}
