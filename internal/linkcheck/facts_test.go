package linkcheck

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestFactsCheckAsTheFile adds each file of the bad site once as it is
// and once by its facts, kept through a FactsWriter as a build's cache
// keeps them: the problems found are the same, whichever files come by
// their facts and in whichever order.
func TestFactsCheckAsTheFile(t *testing.T) {
	fsys := os.DirFS("testdata/bad")
	var names []string
	data := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		names, data[name] = append(names, name), b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	whole := NewSite("/jxgk")
	var stream bytes.Buffer
	fw := NewFactsWriter(&stream)
	whole.Capture(func(string) bool { return true }, func(name string, f *Facts) {
		if err := fw.Write(name, f); err != nil {
			t.Fatal(err)
		}
	})
	for _, n := range names {
		if err := whole.Write(n, data[n]); err != nil {
			t.Fatal(err)
		}
	}
	facts := map[string]*Facts{}
	fr := NewFactsReader(&stream)
	for {
		name, f, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		c := *f
		c.IDs, c.Problems, c.Links = slices.Clone(f.IDs), slices.Clone(f.Problems), slices.Clone(f.Links)
		facts[name] = &c
	}
	want := whole.Problems()
	if len(want) == 0 || len(facts) == 0 {
		t.Fatalf("the bad site gave %d problems and %d files' facts", len(want), len(facts))
	}
	// A build promises the files it adds by their facts before it adds
	// any (Promise), and adds their facts last.
	for _, promised := range []bool{false, true} {
		for _, reversed := range []bool{false, true} {
			order := slices.Clone(names)
			if reversed {
				slices.Reverse(order)
			}
			for i := range 2 {
				s := NewSite("/jxgk")
				byFacts := func(j int, n string) bool { return facts[n] != nil && j%2 == i }
				if promised {
					for j, n := range order {
						if byFacts(j, n) {
							s.Promise(n)
						}
					}
				}
				for j, n := range order {
					if byFacts(j, n) && !promised {
						s.AddFacts(n, facts[n])
					} else if !byFacts(j, n) {
						if err := s.Write(n, data[n]); err != nil {
							t.Fatal(err)
						}
					}
				}
				if promised {
					for j, n := range order {
						if byFacts(j, n) {
							s.AddFacts(n, facts[n])
						}
					}
				}
				if got := s.Problems(); !slices.Equal(got, want) {
					t.Errorf("promised=%v reversed=%v, every other file by its facts from %d:\ngot  %s\nwant %s", promised, reversed, i, joinLines(got), joinLines(want))
				}
			}
		}
	}
}

// TestFactsStream reads back what a FactsWriter wrote, also past the
// point where the writer forgets its numbered strings, and refuses a
// stream cut short.
func TestFactsStream(t *testing.T) {
	type file struct {
		name  string
		facts Facts
	}
	var files []file
	for i := range 3 {
		f := file{name: fmt.Sprintf("%d/index.html", i), facts: Facts{HasIDs: true, HasBase: i == 1, BaseLine: i,
			Problems: []Problem{{Line: 3, Ref: "/abs/", Reason: "absolute path"}},
			Links:    []Link{{Line: 1, Value: "../site.css", Target: "site.css"}, {Line: 2, Value: "#top", Frag: "top"}}}}
		// Enough ids that the writer forgets its strings at the third file.
		for j := range 80000 {
			f.facts.IDs = append(f.facts.IDs, fmt.Sprintf("id-%d", j+i*60000))
		}
		files = append(files, f)
	}
	var stream bytes.Buffer
	fw := NewFactsWriter(&stream)
	for _, f := range files {
		if err := fw.Write(f.name, &f.facts); err != nil {
			t.Fatal(err)
		}
	}
	data := stream.Bytes()
	fr := NewFactsReader(bytes.NewReader(data))
	for _, want := range files {
		name, got, err := fr.Next()
		if err != nil {
			t.Fatalf("%s: %v", want.name, err)
		}
		if name != want.name || got.HasIDs != want.facts.HasIDs || got.HasBase != want.facts.HasBase || got.BaseLine != want.facts.BaseLine ||
			!slices.Equal(got.IDs, want.facts.IDs) || !slices.Equal(got.Problems, want.facts.Problems) || !slices.Equal(got.Links, want.facts.Links) {
			t.Errorf("%s: read back as %s, not as written", want.name, name)
		}
	}
	if _, _, err := fr.Next(); err != io.EOF {
		t.Errorf("after the last file: %v, want io.EOF", err)
	}
	if len(fr.strs) > 80000+10 {
		t.Errorf("the reader numbers %d strings at the end, want those of the last file only", len(fr.strs))
	}
	for _, n := range []int{0, 5, len(data) / 3, len(data) - 1} {
		fr := NewFactsReader(bytes.NewReader(data[:n]))
		var err error
		for range files {
			if _, _, err = fr.Next(); err != nil {
				break
			}
		}
		if err == nil || err == io.EOF && n > len(factsMagic) {
			t.Errorf("a stream cut at %d of %d bytes: %v, want an error", n, len(data), err)
		}
	}
}

// TestFactsFileAlsoFolder: a name that is both a file and a folder, which
// no site on disk has, is judged by facts as by the file's bytes, in
// whichever order the files come.
func TestFactsFileAlsoFolder(t *testing.T) {
	data := map[string][]byte{
		"index.html":   []byte(`<a href="x">x</a> <a href="x/">x/</a> <a href="y#a">y</a>`),
		"x":            nil,
		"x/index.html": []byte(`<p id="a">`),
		"y":            nil,
		"y/index.html": nil,
	}
	var facts *Facts
	c := NewSite("")
	c.Capture(func(name string) bool { return name == "index.html" }, func(_ string, f *Facts) { facts = f })
	c.Add("index.html", data["index.html"])
	names := []string{"index.html", "x", "x/index.html", "y", "y/index.html"}
	var permute func(k int)
	permute = func(k int) {
		if k < len(names) {
			for i := k; i < len(names); i++ {
				names[k], names[i] = names[i], names[k]
				permute(k + 1)
				names[k], names[i] = names[i], names[k]
			}
			return
		}
		bytes, byFacts, promised := NewSite(""), NewSite(""), NewSite("")
		promised.Promise("index.html")
		for _, n := range names {
			bytes.Add(n, data[n])
			if n == "index.html" {
				byFacts.AddFacts(n, facts)
				continue
			}
			byFacts.Add(n, data[n])
			promised.Add(n, data[n])
		}
		promised.AddFacts("index.html", facts)
		want := bytes.Problems()
		if got := byFacts.Problems(); !slices.Equal(got, want) {
			t.Errorf("%q, index.html by its facts:\ngot  %s\nwant %s", names, joinLines(got), joinLines(want))
		}
		// Promised first, index.html's facts come last.
		bytes = NewSite("")
		for _, n := range names {
			if n != "index.html" {
				bytes.Add(n, data[n])
			}
		}
		bytes.Add("index.html", data["index.html"])
		want = bytes.Problems()
		if got := promised.Problems(); !slices.Equal(got, want) {
			t.Errorf("%q, index.html promised, its facts last:\ngot  %s\nwant %s", names, joinLines(got), joinLines(want))
		}
	}
	permute(0)
}

// TestFactsFromReader adds pages as a build adds the pages it takes: by
// the facts a FactsReader reads, one after another, promised first or
// not. The pages repeat the same references, and a file that comes on
// the way makes one of their targets a folder; the problems are those of
// the pages' bytes.
func TestFactsFromReader(t *testing.T) {
	page := func(i int) []byte {
		return fmt.Appendf(nil, `<h2 id="h">%d</h2><a href="a.css">a</a> <a href="gone.html">g</a> <a href="x">x</a>
<a href="p%d.html">next</a> <a href="p%d.html#h">next</a> <a href="p%d.html#nowhere">next</a> <a href="#h">h</a>`, i, i+1, i+1, i+1)
	}
	const pages = 6
	var stream bytes.Buffer
	fw := NewFactsWriter(&stream)
	c := NewSite("")
	c.Capture(func(string) bool { return true }, func(name string, f *Facts) {
		if err := fw.Write(name, f); err != nil {
			t.Fatal(err)
		}
	})
	for i := range pages {
		c.Add(fmt.Sprintf("p%d.html", i), page(i))
	}
	// The files as they come: x/y.txt makes the file x a folder too.
	order := []string{"a.css", "x", "p0.html", "p1.html", "p2.html", "x/y.txt", "p3.html", "p4.html", "p5.html"}
	bySite := NewSite("")
	for _, n := range order {
		var data []byte
		if strings.HasPrefix(n, "p") {
			data = page(int(n[1] - '0'))
		}
		bySite.Add(n, data)
	}
	want := bySite.Problems()
	// Every file a reference leads to is linked, whether it is there or
	// not, and whatever the fragment; p0.html and x/y.txt, which no
	// page leads to, are not, nor is a page for its links to itself.
	linked := func(s *Site) (got []string) {
		names := append(order, "gone.html", "p6.html", "never.html")
		all := s.LinkedAll(names)
		for i, n := range names {
			if s.Linked(n) {
				got = append(got, n)
			}
			if all[i] != s.Linked(n) {
				t.Errorf("LinkedAll says %s is linked: %v; Linked: %v", n, all[i], s.Linked(n))
			}
		}
		return got
	}
	wantLinked := []string{"a.css", "x", "p1.html", "p2.html", "p3.html", "p4.html", "p5.html", "gone.html", "p6.html"}
	if got := linked(bySite); !slices.Equal(got, wantLinked) {
		t.Errorf("the pages added link %q, want %q", got, wantLinked)
	}
	if !slices.ContainsFunc(want, func(p Problem) bool { return strings.Contains(p.Reason, "names the folder") }) {
		t.Fatalf("the pages' bytes give no folder without its slash:\n%s", joinLines(want))
	}
	for _, promised := range []bool{false, true} {
		s := NewSite("")
		if promised {
			for i := range pages {
				s.Promise(fmt.Sprintf("p%d.html", i))
			}
		}
		fr := NewFactsReader(bytes.NewReader(stream.Bytes()))
		for _, n := range order {
			if !strings.HasPrefix(n, "p") {
				s.Add(n, nil)
				continue
			}
			name, f, err := fr.Next()
			if err != nil || name != n {
				t.Fatalf("read %q, %v; want %s", name, err, n)
			}
			s.AddFacts(name, f)
		}
		if got := s.Problems(); !slices.Equal(got, want) {
			t.Errorf("promised=%v:\ngot  %s\nwant %s", promised, joinLines(got), joinLines(want))
		}
		if got := linked(s); !slices.Equal(got, wantLinked) {
			t.Errorf("promised=%v: the pages added by their facts link %q, want %q", promised, got, wantLinked)
		}
	}
}
