package linkcheck

import (
	"slices"
	"testing"
)

// TestKeptPageByItsIDs: a page made again that links an element of a page
// kept (promised, its facts never added) is judged by the kept page's
// ids once AddIDs gives them, with the problems a whole check finds. A
// link the page made in the previous build too passes without them
// (PassedBefore), found as written or by parsing; one it did not make
// waits all the same.
func TestKeptPageByItsIDs(t *testing.T) {
	const keptName, listName = "2023/kept/index.html", "2023/list/index.html"
	kept := []byte(`<!doctype html><h2 id="a">A</h2><a href="../list/#gone">x</a>`)
	now := []byte(`<!doctype html><a href="../kept/#a">a</a><a href="../kept/#c">c</a><a href="../kept/">page</a>`)

	whole := NewSite("")
	whole.Add(keptName, kept)
	whole.Add(listName, now)
	var want []Problem
	for _, p := range whole.Problems() {
		if p.Page == listName {
			want = append(want, p)
		}
	}
	if len(want) != 1 || want[0].Ref != "../kept/#c" {
		t.Fatalf("the whole check found %v, want the link to #c", want)
	}

	cases := []struct {
		name   string
		page   []byte
		before []byte // the page as the previous build left it
		wait   []string
		want   []Problem
	}{
		{"no previous version", now, nil, []string{keptName}, want},
		{"one link made before", now, []byte(`<a href="../kept/#a">a</a>`), []string{keptName}, want},
		{"only links made before", []byte(`<a href="../kept/#a">a</a>`), []byte(`<p><a href="../kept/#a">a</a>`), nil, nil},
		// Written otherwise before, the link is found by the parser.
		{"made before in other words", []byte(`<a href="../kept/#a">a</a>`), []byte(`<p><a class=x href='../kept/#a'>a</a>`), nil, nil},
		// The same text outside a start tag, or in <base>, is no link.
		{"the text in a paragraph", []byte(`<a href="../kept/#a">a</a>`), []byte(`<p>write href="../kept/#a" to link it</p>`), []string{keptName}, nil},
		{"the text in a base element", []byte(`<a href="../kept/#a">a</a>`), []byte(`<base href="../kept/#a">`), []string{keptName}, nil},
	}
	for _, c := range cases {
		s := NewSite("")
		s.Promise(keptName)
		s.Add(listName, c.page)
		if got := s.Awaiting(); !slices.Equal(got, []string{listName}) {
			t.Errorf("%s: pages awaiting %q, want the list", c.name, got)
		}
		if c.before != nil {
			s.PassedBefore(listName, c.before)
		}
		got := s.Awaited()
		if !slices.Equal(got, c.wait) {
			t.Errorf("%s: files awaited %q, want %q", c.name, got, c.wait)
		}
		for _, name := range got {
			s.AddIDs(name, kept)
		}
		// The kept page's own broken link is not judged again.
		if probs := s.Problems(); !slices.Equal(probs, c.want) {
			t.Errorf("%s: problems\n%v\nwant\n%v", c.name, probs, c.want)
		}
	}
}

// TestPassedAsWritten: the links a page's previous version has as written
// pass without a parse, and the page is parsed only for what is left.
func TestPassedAsWritten(t *testing.T) {
	const keptName, listName = "2023/kept/index.html", "2023/list/index.html"
	page := []byte(`<a href="../kept/#a">a</a><a href="../kept/#b">b</a>`)
	cases := []struct {
		name   string
		before string
		done   bool // nothing left for the parser
	}{
		{"both as written", `<table><tr><th><a class="x" href="../kept/#b">b</a><tr><td><a href="../kept/#a">a</a></table>`, true},
		{"one as written", `<a href="../kept/#a">a</a>`, false},
		{"one in a paragraph's words", `<p>href="../kept/#b"</p><a href="../kept/#a">a</a>`, false},
		{"none", `<p>nothing</p>`, false},
	}
	for _, c := range cases {
		s := NewSite("")
		s.Promise(keptName)
		s.Add(listName, page)
		if got := s.passedAsWritten(listName, []byte(c.before)); got != c.done {
			t.Errorf("%s: passedAsWritten = %v, want %v", c.name, got, c.done)
		}
	}
}
