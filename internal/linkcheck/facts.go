package linkcheck

import (
	"path"
	"slices"
	"strings"
)

// Facts are what the check makes of one page, style sheet or SVG image on
// its own, before anything of the rest of the site is known: its ids, the
// faults of references that the file alone shows, and every other
// reference resolved to the file and element it leads to. A build keeps
// the facts of each evaluation page it renders (Capture), and adds a page
// it takes unchanged from the previous output by them (AddFacts), without
// reading, parsing or resolving it again: at 100,000 evaluations the
// pages taken are gigabytes, and resolving their references alone took
// longer than judging them.
//
// What a reference resolves to depends on the file's name, the reference
// and the base path the site is served under (see LinksUnder): facts are
// for a site of the base path they were made in.
type Facts struct {
	IDs      []string
	HasIDs   bool
	HasBase  bool
	BaseLine int
	// Problems are the faults the file alone shows, without Page.
	Problems []Problem
	// Links are the references the rest of the site decides.
	Links []Link
	// from is the FactsReader that read these facts, if one did, and
	// nums the number in its table (+1; 0 for none) of each id, then of
	// each link's value and target (see FactsReader.notes).
	from *FactsReader
	nums []uint32
}

// Clone returns a copy of f that stays as it is: facts a FactsReader
// gives are the reader's until its next call (their strings are the
// caller's already). The copy keeps what lets AddFacts judge the
// references by the reader's notes.
func (f *Facts) Clone() *Facts {
	c := *f
	c.IDs = slices.Clone(f.IDs)
	c.Problems = slices.Clone(f.Problems)
	c.Links = slices.Clone(f.Links)
	c.nums = slices.Clone(f.nums)
	return &c
}

// Link is a reference of Facts that leads into the site.
type Link struct {
	Line  int
	Value string // the reference as written
	// Target is the file it leads to, "" for the file itself, and Frag
	// the id of the element it names there, "" for none (never for the
	// file itself).
	Target, Frag string
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

// factsOf copies what p found and what resolve made of it (p.res, none
// for an SVG image): the parse's strings alias the file's data.
func factsOf(p *parse) *Facts {
	f := &Facts{HasIDs: p.hasIDs, HasBase: p.hasBase, BaseLine: p.baseLine}
	if len(p.ids) > 0 {
		f.IDs = make([]string, len(p.ids))
		for i, id := range p.ids {
			f.IDs[i] = strings.Clone(id)
		}
	}
	n := 0
	for _, r := range p.res {
		if r.reason == "" && r.site {
			n++
		}
	}
	if n > 0 {
		f.Links = make([]Link, 0, n)
	}
	for i, r := range p.res {
		switch {
		case r.reason != "":
			f.Problems = append(f.Problems, Problem{Line: p.refs[i].line, Ref: strings.Clone(p.refs[i].value), Reason: r.reason})
		case r.site:
			l := Link{Line: p.refs[i].line, Value: strings.Clone(p.refs[i].value), Frag: strings.Clone(r.frag)}
			if r.hasPath {
				l.Target = strings.Clone(r.target)
			}
			f.Links = append(f.Links, l)
		}
	}
	return f
}

// AddFacts records the file name as Add would record it, from its facts
// (Capture) in a site of the same base path. What its references lead to
// is judged again, as the rest of this site tells. It keeps nothing of f
// but its strings.
func (s *Site) AddFacts(name string, f *Facts) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".html", ".htm", ".css", ".svg":
	default:
		s.add(name, ext, nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.from != nil && len(f.nums) != len(f.IDs)+2*len(f.Links) {
		f = &Facts{IDs: f.IDs, HasIDs: f.HasIDs, HasBase: f.HasBase, BaseLine: f.BaseLine, Problems: f.Problems, Links: f.Links}
	}
	pf := &s.pages.take(1)[0]
	*pf = parsedFile{hasBase: f.HasBase, baseLine: f.BaseLine, hasIDs: f.HasIDs}
	ids := s.scratch[:0]
	for i, id := range f.IDs {
		ids = append(ids, s.factID(f, i, id))
	}
	s.keepIDNums(pf, ids)
	if len(f.Problems) > 0 {
		pf.problems = append([]Problem(nil), f.Problems...)
	}
	// The file is added before its references are judged: one that leads
	// to the file itself is then judged at once, as it would be when it
	// arrived.
	name = s.register(name, ext, pf)
	if ext == ".svg" {
		return
	}
	page := uint32(len(s.order) - 1)
	for i := range f.Links {
		l := &f.Links[i]
		value := len(f.IDs) + 2*i // l.Value's place in f.nums, l.Target's next
		// A reference to a target that another passed at once, without
		// fragment, passes too while no file is also a folder: the
		// target is here or promised, and stays so.
		var note *strNote
		if l.Target != "" {
			if f.from != nil {
				note = f.from.note(s, f.nums[value+1], l.Target)
			}
			// Once a reader's string is noted linked, its other
			// references to it are not looked up again.
			if note == nil || !note.linked {
				s.link(l.Target)
			}
			if note != nil {
				note.linked = true
			}
		}
		if note != nil && l.Frag == "" && !s.clash && note.passes {
			continue
		}
		if s.judge(name, pf, page, f, i) && note != nil {
			note.passes = true
		}
	}
}

// factID returns the number in s.strs of str, the n-th string of f
// (Facts.nums). s.mu must be held.
func (s *Site) factID(f *Facts, n int, str string) uint32 {
	if f.from != nil {
		if note := f.from.note(s, f.nums[n], str); note != nil {
			if note.id == 0 {
				note.id = s.strs.id(str) + 1
			}
			return note.id - 1
		}
	}
	return s.strs.id(str)
}

// Promise records that the file name is in the site, its facts to come
// (AddFacts) before Problems is called: a reference to it passes at once
// unless it names an element in it, which waits for its facts. A build
// promises each page it keeps in place as it takes it, and adds their
// facts after the render; the pages link to one another, and at 100,000
// evaluations two references in five of the pages taken waited for a
// page taken after theirs. A file promised whose facts never come is
// judged as one without ids.
func (s *Site) Promise(name string) {
	s.PromiseAll([]string{name})
}

// PromiseAll is Promise for each of names, taking the check's lock once:
// a rebuild promises every page it keeps, from all its workers.
func (s *Site) PromiseAll(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range names {
		if _, ok := s.files[name]; ok || s.promised[name] {
			continue
		}
		name = s.strs.keep(name)
		s.promised[name] = true
		s.clash = s.clash || s.dirs[name]
		s.addDirs(name)
	}
}

// judge judges the i-th reference of the facts fs of the file name,
// which is the page numbered page in s.order and kept as f, as keep
// judges a reference resolved: at once when its target is here (or it
// leads to the file itself), else when the target comes. It reports
// whether the reference passed at once for its target is another file,
// here or promised, and no folder, and it names no element. s.mu must
// be held.
func (s *Site) judge(name string, f *parsedFile, page uint32, fs *Facts, i int) (passed bool) {
	l := &fs.Links[i]
	value := len(fs.IDs) + 2*i
	var reason string
	switch {
	case l.Target == "" && f.hasIDs:
		reason = s.fragProblem(l.Frag, f.ids, name)
	case l.Target == "":
		f.pending = append(f.pending, pending{line: uint32(l.Line), value: s.factID(fs, value, l.Value), target: noTarget})
		return
	default:
		_, here := s.files[l.Target]
		promised := !here && s.promised[l.Target]
		// A file added or promised is no folder unless some file is
		// (s.clash): the lookup in s.dirs, a miss for nearly every
		// reference, is spared.
		folder := (s.clash || !here && !promised) && s.dirs[l.Target]
		switch {
		case folder:
			reason = s.check(name, l.Value, l.Target)
		case here:
			if l.Frag == "" {
				return true
			}
			ids, ok := s.idsOf(l.Target)
			if !ok {
				return // a fragment of a file that has no ids, such as a PDF page
			}
			reason = s.fragProblem(l.Frag, ids, l.Target)
		case promised && l.Frag == "":
			return true
		default:
			target := s.factID(fs, value+1, l.Target)
			s.waiting[target] = append(s.waiting[target], waiter{page: page, line: uint32(l.Line), value: s.factID(fs, value, l.Value)})
			return
		}
	}
	if reason != "" {
		f.problems = append(f.problems, Problem{Line: l.Line, Ref: l.Value, Reason: reason})
	}
	return false
}
