package content

import (
	"errors"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/evalpress/evalpress/internal/diag"
)

// TestDropNarrativesReadsThemAgain checks what a build loads: every
// record, drafts included, is inspected with its narrative in memory, then
// holds none; ReadNarrative gives back exactly the text that was checked
// (without its byte-order mark), and refuses a file edited since, whose
// text no check has seen.
func TestDropNarrativesReadsThemAgain(t *testing.T) {
	const (
		pub   = "## 成效\n\n公开的说明。\n"
		draft = "## 成效\n\n草稿的说明。\n"
	)
	fsys := fstest.MapFS{
		"site.toml":                   {Data: []byte(siteTOML)},
		"2023/evaluations/a.toml":     {Data: []byte(minimal)},
		"2023/evaluations/a.md":       {Data: []byte("\xEF\xBB\xBF" + pub)},
		"2023/evaluations/b.toml":     {Data: []byte(minimal + "draft = true\n")},
		"2023/evaluations/b.md":       {Data: []byte(draft)},
		"2023/evaluations/c.toml":     {Data: []byte(minimal)},
		"2023/evaluations/empty.toml": {Data: []byte(minimal)},
		"2023/evaluations/empty.md":   {Data: []byte{}},
	}
	var l diag.List
	var mu sync.Mutex
	seen := map[string]string{}
	c := LoadWith(fsys, "content", Options{
		Inspect: func(_ *Site, r *Record, _ *diag.List) {
			mu.Lock()
			seen[r.Slug] = string(r.Narrative)
			mu.Unlock()
		},
		DropNarratives: true,
	}, &l)
	if l.Failed(true) || len(c.Records) != 4 {
		t.Fatalf("%d records, %v", len(c.Records), l.Items())
	}
	want := map[string]string{"a": pub, "b": draft, "c": "", "empty": ""}
	for _, r := range c.Records {
		if seen[r.Slug] != want[r.Slug] {
			t.Errorf("%s: inspected with narrative %q, want %q", r.Slug, seen[r.Slug], want[r.Slug])
		}
		if len(r.Narrative) != 0 {
			t.Errorf("%s: the narrative is still held after loading", r.Slug)
		}
		got, err := r.ReadNarrative(fsys)
		if err != nil || string(got) != want[r.Slug] {
			t.Errorf("%s: read again %q, %v; want %q", r.Slug, got, err, want[r.Slug])
		}
	}

	// Without DropNarratives, records keep theirs (the preview server).
	c = LoadWith(fsys, "content", Options{}, &l)
	if string(c.Records[0].Narrative) != pub {
		t.Errorf("a kept narrative %q, want %q", c.Records[0].Narrative, pub)
	}

	// A narrative edited after the checks is never published.
	c = LoadWith(fsys, "content", Options{DropNarratives: true}, &l)
	fsys["2023/evaluations/a.md"] = &fstest.MapFile{Data: []byte(pub + "联系人手机 13800001234\n")}
	if _, err := c.Records[0].ReadNarrative(fsys); !errors.Is(err, ErrNarrativeChanged) {
		t.Errorf("edited narrative read again: %v, want ErrNarrativeChanged", err)
	}
	delete(fsys, "2023/evaluations/a.md")
	if _, err := c.Records[0].ReadNarrative(fsys); err == nil {
		t.Error("deleted narrative read again without error")
	}
}

// TestReadHookSeesEveryFileOnce checks Options.Read: each file the load
// reads (settings, records, narratives, the year report) is given once,
// as it is on disk, byte-order mark included, so that a build hashes
// the content for its cache without reading any of it a second time.
func TestReadHookSeesEveryFileOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                 {Data: []byte(siteTOML)},
		"2023/report.toml":          {Data: []byte("title = \"2023年工作情况\"\nyear = 2023\n")},
		"2023/report.md":            {Data: []byte("## 概况\n")},
		"2023/evaluations/a.toml":   {Data: []byte(minimal)},
		"2023/evaluations/a.md":     {Data: []byte("\xEF\xBB\xBF## 成效\n")},
		"2023/evaluations/b.toml":   {Data: []byte(minimal + "draft = true\n")},
		"2023/evaluations/a/x.png":  {Data: []byte("not read by the load")},
		"templates/evaluation.html": {Data: []byte("not read by the load")},
	}
	var l diag.List
	var mu sync.Mutex
	got := map[string][]string{}
	LoadWith(fsys, "content", Options{DropNarratives: true, Read: func(name string, data []byte) {
		mu.Lock()
		got[name] = append(got[name], string(data))
		mu.Unlock()
	}}, &l)
	if l.Failed(true) {
		t.Fatal(l.Items())
	}
	for _, name := range []string{"site.toml", "2023/report.toml", "2023/report.md", "2023/evaluations/a.toml", "2023/evaluations/a.md", "2023/evaluations/b.toml"} {
		if want := string(fsys[name].Data); len(got[name]) != 1 || got[name][0] != want {
			t.Errorf("%s: Read got %q, want it once with %q", name, got[name], want)
		}
		delete(got, name)
	}
	for name := range got {
		t.Errorf("Read got %s, which the load does not read", name)
	}
}
