package linkcheck

import (
	"path"
	"strings"
)

// Facts are what the check reads of one page, style sheet or SVG image:
// its references and ids as its parse finds them, before anything of the
// rest of the site is known. A build keeps the facts of each evaluation
// page it renders (Capture), and adds a page it takes unchanged from the
// previous output by them (AddFacts), without reading or parsing it
// again: at 100,000 evaluations the pages taken are gigabytes.
type Facts struct {
	Refs     []FactRef
	IDs      []string
	HasIDs   bool
	HasBase  bool
	BaseLine int
}

// FactRef is one reference of Facts (see ref).
type FactRef struct {
	Tag, Attr, Value string
	Line             int
	Nav, Image       bool
}

// capture is a Capture hook.
type capture struct {
	want func(name string) bool
	got  func(name string, f *Facts)
}

// Capture makes Add give got the facts of every file it reads whose name
// want accepts, as it reads it; got is called from the goroutine that
// adds the file, and owns f. It must be set before the first file is
// added.
func (s *Site) Capture(want func(name string) bool, got func(name string, f *Facts)) {
	s.capture = &capture{want: want, got: got}
}

// factsOf copies what p found: its strings alias the file's data.
func factsOf(p *parse) *Facts {
	f := &Facts{HasIDs: p.hasIDs, HasBase: p.hasBase, BaseLine: p.baseLine}
	if len(p.refs) > 0 {
		f.Refs = make([]FactRef, len(p.refs))
		for i, r := range p.refs {
			f.Refs[i] = FactRef{Tag: strings.Clone(r.tag), Attr: strings.Clone(r.attr), Value: strings.Clone(r.value),
				Line: r.line, Nav: r.nav, Image: r.image}
		}
	}
	if len(p.ids) > 0 {
		f.IDs = make([]string, len(p.ids))
		for i, id := range p.ids {
			f.IDs[i] = strings.Clone(id)
		}
	}
	return f
}

// AddFacts records the file name as Add would record it, from the facts
// of its earlier parse (Capture). The references are judged again: what
// they lead to is the site's of this build.
func (s *Site) AddFacts(name string, f *Facts) {
	p := &parse{hasIDs: f.HasIDs, hasBase: f.HasBase, baseLine: f.BaseLine, ids: f.IDs}
	if len(f.Refs) > 0 {
		p.refs = make([]ref, len(f.Refs))
		for i, r := range f.Refs {
			p.refs[i] = ref{tag: r.Tag, attr: r.Attr, value: r.Value, line: r.Line, nav: r.Nav, image: r.Image}
		}
	}
	s.add(name, strings.ToLower(path.Ext(name)), p)
}
