package linkcheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"path"
	"slices"
	"strings"
)

// A build that keeps a page unchanged from a previous build whose check
// passed need not judge the page's references again when nothing they
// lead to went away: no file of the previous site is missing, no file is
// also a folder, and no file made again lost an id it had. What stays to
// be judged are the references of the pages made again that lead into
// the pages kept, with a fragment: they wait for the ids of their target
// (Awaited). A reference that the page made in the previous build too
// passes (PassedBefore): its target is unchanged. The others are judged
// once AddIDs gives their target's ids. The pipeline decides whether
// anything went away (Has, Clash and IDsSum are what it asks); when
// something did, it adds the kept pages by their facts (AddFacts)
// instead.

// IDsSum returns a hash of the ids the facts define, and of whether the
// file has any notion of them: two files have the same sum when a
// fragment names an element in one exactly when it does in the other.
func (f *Facts) IDsSum() [sha256.Size]byte {
	ids := slices.Clone(f.IDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	h := sha256.New()
	if f.HasIDs {
		h.Write([]byte{1})
	} else {
		h.Write([]byte{0})
	}
	var n [binary.MaxVarintLen64]byte
	for _, id := range ids {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(id)))])
		h.Write([]byte(id))
	}
	var s [sha256.Size]byte
	h.Sum(s[:0])
	return s
}

// Has reports whether the file name is in the site: added, or promised.
func (s *Site) Has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.files[name]
	return ok || s.promised[name]
}

// Clash reports whether some name of the site is both a file and a
// folder: a reference to it that passed before may not pass now.
func (s *Site) Clash() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clash
}

// Awaited returns the files promised (Promise) whose facts have not come
// and that a reference waits for with a fragment, in order: such a
// reference is judged only once its target's ids are known. (One without
// fragment passes: Problems judges it as the file promised it is.)
func (s *Site) Awaited() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for target, ws := range s.waiting {
		if name := s.strs.str(target); s.promised[name] && slices.ContainsFunc(ws, s.hasFrag) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// hasFrag reports whether the waiting reference w names an element.
// s.mu must be held.
func (s *Site) hasFrag(w waiter) bool {
	v := s.strs.str(w.value)
	return strings.Contains(v, "#") && fragOf(v) != ""
}

// Awaiting returns the pages whose references wait with a fragment for
// files promised whose facts have not come (Awaited), in order.
func (s *Site) Awaiting() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	pages := map[string]bool{}
	for target, ws := range s.waiting {
		if s.promised[s.strs.str(target)] {
			for _, w := range ws {
				if s.hasFrag(w) {
					pages[s.order[w.page]] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(pages))
}

// PassedBefore takes data as the file page of a previous build of this
// site whose check passed every reference, and passes each reference of
// page that waits for a file promised whose facts have not come, when
// the page made it then too: the file it leads to is unchanged (it is
// kept, not made again), and so are its ids. At 100,000 evaluations a
// year's congress table made again leads to a few thousand evaluation
// pages kept, each with a fragment, as it did before; reading and
// parsing each of them took longer than reading the facts of them all.
//
// A reference whose href the previous version has as written passes
// without the page being parsed (passedAsWritten); the page is parsed
// only for those left.
func (s *Site) PassedBefore(page string, data []byte) {
	ext := strings.ToLower(path.Ext(page))
	if ext != ".html" && ext != ".htm" && ext != ".css" {
		return
	}
	if ext != ".css" && s.passedAsWritten(page, data) {
		return
	}
	p := parsePool.Get().(*parse)
	defer func() {
		p.reset()
		parsePool.Put(p)
	}()
	if ext == ".css" {
		parseCSSFile(p, data)
	} else {
		parseHTML(p, data)
	}
	type link struct{ target, frag string }
	before := map[link]bool{}
	for _, r := range p.refs {
		if res := s.resolve(page, r); res.reason == "" && res.hasPath && res.frag != "" {
			before[link{res.target, res.frag}] = true
		}
	}
	s.pass(page, func(target, value string) bool { return before[link{target, fragOf(value)}] })
}

// pass takes out of the references of page that wait for a file promised
// each one that passed(its target, its value) says passed before, and
// reports whether any left waits with a fragment.
func (s *Site) pass(page string, passed func(target, value string) bool) (left bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for target, ws := range s.waiting {
		name := s.strs.str(target)
		if !s.promised[name] {
			continue
		}
		kept := ws[:0]
		for _, w := range ws {
			if s.order[w.page] != page || !passed(name, s.strs.str(w.value)) {
				kept = append(kept, w)
				left = left || s.order[w.page] == page && s.hasFrag(w)
			}
		}
		if len(kept) == 0 {
			delete(s.waiting, target)
		} else {
			s.waiting[target] = kept
		}
	}
	return left
}

// passedAsWritten passes each reference of page that waits with a
// fragment whose href the previous version data has as written, and
// reports whether none is left to judge. A year's congress table made
// again for one edited row is megabytes, and its previous version was
// parsed whole for references that are, but for that row, the same
// bytes: at 100,000 evaluations, 0.46 s of the 12 s of CPU of a rebuild
// after one edited title; this search takes 0.3 s.
//
// The text searched for is ` href="value"` in a start tag other than
// <base> (which sets no reference), and only for a value with no
// character an attribute escapes: it then reads as value, as the parser
// would read it. The pages this is given are the previous build's, made
// by html/template, which writes a quote inside a text or an attribute
// as &#34; and keeps no comment: the text is an attribute there and
// nowhere else. Same value on the same page is the same target and
// fragment, which the previous check passed; the target is kept, and its
// ids with it.
func (s *Site) passedAsWritten(page string, data []byte) bool {
	s.mu.Lock()
	want := map[string]bool{}
	for target, ws := range s.waiting {
		if !s.promised[s.strs.str(target)] {
			continue
		}
		for _, w := range ws {
			if s.order[w.page] == page && s.hasFrag(w) {
				if v := s.strs.str(w.value); !strings.ContainsAny(v, "&\"<>'+ \t\n\r") {
					want[v] = false
				}
			}
		}
	}
	s.mu.Unlock()
	if len(want) == 0 {
		return false
	}
	attr := []byte(` href="`)
	for at := 0; ; {
		i := bytes.Index(data[at:], attr)
		if i < 0 {
			break
		}
		tag, start := at+i, at+i+len(attr)
		end := bytes.IndexByte(data[start:], '"')
		if end < 0 {
			break
		}
		// Most links of a list lead to a page, not into it: only one
		// with a fragment is looked up.
		if v := data[start : start+end]; bytes.IndexByte(v, '#') >= 0 {
			if seen, ok := want[string(v)]; ok && !seen && inStartTag(data, tag) {
				want[string(v)] = true
			}
		}
		at = start + end + 1
	}
	return !s.pass(page, func(_, value string) bool { return want[value] })
}

// inStartTag reports whether the attribute at i of data is in the start
// tag of an element other than <base>: the nearest '<' before it opens an
// element's name, with no '>' between.
func inStartTag(data []byte, i int) bool {
	lt := bytes.LastIndexByte(data[:i], '<')
	if lt < 0 || bytes.IndexByte(data[lt:i], '>') >= 0 {
		return false
	}
	name := data[lt+1 : i]
	if j := bytes.IndexAny(name, " \t\n\r\f/"); j >= 0 {
		name = name[:j]
	}
	if len(name) == 0 || !('a' <= name[0]|0x20 && name[0]|0x20 <= 'z') {
		return false
	}
	return !strings.EqualFold(string(name), "base")
}

// AddIDs records the promised file name, whose contents are data, by its
// ids alone, and judges the references that wait for it: its own
// references are not judged. It is for a file kept unchanged from a build
// whose check passed it, when nothing its references lead to went away
// (see above); it keeps nothing of data.
func (s *Site) AddIDs(name string, data []byte) {
	ext := strings.ToLower(path.Ext(name))
	p := parsePool.Get().(*parse)
	defer func() {
		p.reset()
		parsePool.Put(p)
	}()
	switch ext {
	case ".html", ".htm", ".svg":
		parseHTML(p, data)
	case ".css":
		parseCSSFile(p, data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var f *parsedFile
	switch ext {
	case ".html", ".htm", ".svg", ".css":
		f = &s.pages.take(1)[0]
		*f = parsedFile{hasIDs: p.hasIDs}
		s.keepIDs(f, p.ids)
	}
	s.register(name, ext, f)
}
