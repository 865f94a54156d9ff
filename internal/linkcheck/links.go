package linkcheck

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
)

// Problem is one fault found in a file of a built site.
type Problem struct {
	Page   string // the file, as a slash path relative to the site root
	Line   int    // 1-based line of the element or rule; 0 when unknown
	Ref    string // the reference as written, or the rule that failed
	Reason string // what is wrong, in words a web staffer can act on
}

func (p Problem) String() string {
	pos := p.Page
	if p.Line > 0 {
		pos = fmt.Sprintf("%s:%d", p.Page, p.Line)
	}
	if p.Ref == "" {
		return pos + ": " + p.Reason
	}
	return fmt.Sprintf("%s: %q: %s", pos, p.Ref, p.Reason)
}

// Sort orders problems by file, line and reference, so that reports
// are stable from run to run.
func Sort(ps []Problem) {
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Page, b.Page),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Ref, b.Ref),
			cmp.Compare(a.Reason, b.Reason),
		)
	})
}

// Links checks every reference in the HTML and CSS files under root: the
// href, src, srcset, action, formaction, poster and object data of every
// element, and the url() and @import of style sheets.
//
// A relative reference must resolve to a file under root (a path ending in
// "/" means its index.html; ?query is ignored), and its #fragment must name an
// element of that page by id. A reference by absolute path ("/x") is a
// problem, because the site must work under any base path. A reference to
// another host is a problem for anything the browser loads (scripts, styles,
// images, frames, form actions); only hyperlinks (<a>, <area>, and <link>
// with a relation such as canonical or alternate) may lead to other sites.
// mailto: and tel: links are allowed, javascript: URLs never are.
//
// The error is for a site that cannot be read at all; the faults are in the
// problems, sorted by file and line.
func Links(fsys fs.FS) ([]Problem, error) {
	return LinksUnder(fsys, "")
}

// notFoundPage is the page a server sends for any missing URL.
const notFoundPage = "404.html"

// LinksUnder is Links for a site that is served under basePath (such as
// "/jxgk/"). It differs in one page: the server sends the root 404.html for
// any missing URL, at any depth, where a relative reference would resolve
// against that URL. So in 404.html references must be absolute paths under
// basePath, and are checked as the files they name; a relative one is a
// problem. An empty basePath means unknown: 404.html is checked as any page.
func LinksUnder(fsys fs.FS, basePath string) ([]Problem, error) {
	s := NewSite(basePath)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var data []byte
		if s.wants(name) {
			if data, err = fs.ReadFile(fsys, name); err != nil {
				return err
			}
		}
		s.Add(name, data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Problems(), nil
}

// Site collects a site's files one at a time, for a check of a site that
// is never on disk whole (evalpress check renders to memory): Add keeps only
// what the check needs — the references and ids of pages and style sheets,
// the existence of every other file — not the files themselves.
type Site struct {
	base  string // the base path the site is served under, "" when unknown
	mu    sync.Mutex
	order []string
	files map[string]*parsedFile
	svg   map[string]*parsedFile // fragment targets that are not pages
	exist map[string]bool        // every file added
	dirs  map[string]bool        // every folder that holds a file
	// strs holds one copy of each reference and id: pages repeat the
	// same ones ("../../assets/css/site.css"), and build keeps them all.
	strs interner
}

// NewSite starts a site served under basePath ("" when unknown; see
// LinksUnder).
func NewSite(basePath string) *Site {
	s := &Site{files: map[string]*parsedFile{}, svg: map[string]*parsedFile{},
		exist: map[string]bool{}, dirs: map[string]bool{}}
	if basePath != "" {
		s.base = "/" + strings.Trim(basePath, "/") + "/"
		if s.base == "//" {
			s.base = "/"
		}
	}
	return s
}

// wants reports whether Add needs the contents of the file name.
func (s *Site) wants(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".css", ".svg":
		return true
	}
	return false
}

// Add records one file of the site, name a slash path relative to its root.
// It is safe for concurrent use, and it implements the writer interface of
// the site's renderer (Write), so pages can be checked as they are made.
func (s *Site) Add(name string, data []byte) {
	var f *parsedFile
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		f = parseHTML(data, &s.strs)
	case ".css":
		f = parseCSSFile(data)
	case ".svg":
		f = parseHTML(data, &s.strs)
	}
	if f != nil {
		// Exactly as long as needed: build keeps the references of every
		// page it writes until the end.
		f.refs = slices.Clone(f.refs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exist[name] = true
	for d := path.Dir(name); d != "." && !s.dirs[d]; d = path.Dir(d) {
		s.dirs[d] = true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".css":
		s.order = append(s.order, name)
		s.files[name] = f
	case ".svg":
		s.svg[name] = f
	}
}

// Write is Add for the site's renderer; it never fails.
func (s *Site) Write(name string, data []byte) error {
	if !s.wants(name) {
		data = nil
	}
	s.Add(name, data)
	return nil
}

// Problems checks every reference of every page and style sheet added.
func (s *Site) Problems() []Problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	order := slices.Clone(s.order)
	slices.Sort(order)
	var out []Problem
	for _, name := range order {
		f := s.files[name]
		if f.hasBase {
			out = append(out, Problem{Page: name, Line: f.baseLine, Ref: "<base>",
				Reason: "a <base> element changes how every relative reference on the page resolves; use plain relative references"})
		}
		for _, r := range f.refs {
			if reason := s.check(name, r); reason != "" {
				out = append(out, Problem{Page: name, Line: r.line, Ref: r.value, Reason: reason})
			}
		}
	}
	Sort(out)
	return out
}

// parsedFile is what the checks need of one file: the references it makes
// and the fragment identifiers it defines.
type parsedFile struct {
	refs     []ref
	ids      map[string]bool
	hasBase  bool
	baseLine int
}

// ref is one reference found in a file.
type ref struct {
	tag   string // element name, or "css" for a style sheet's url() and @import
	attr  string
	value string
	line  int
	// nav is true for hyperlinks, which may lead to other hosts: they
	// make no request until the reader follows them.
	nav bool
	// image is true where the policy allows data: URLs (img-src 'self' data:).
	image bool
}

func parseCSSFile(data []byte) *parsedFile {
	f := &parsedFile{}
	for _, u := range cssURLs(string(data), 1) {
		f.refs = append(f.refs, ref{tag: "css", attr: u.kind, value: u.value, line: u.line, image: true})
	}
	return f
}

// check returns why the reference r in the file page is broken, or "".
func (s *Site) check(page string, r ref) string {
	v := strings.TrimSpace(r.value)
	lower := strings.ToLower(v)
	switch {
	case v == "":
		if r.nav || r.attr == "action" || r.attr == "formaction" {
			return "" // the page itself
		}
		return "empty URL: the browser requests the page itself"
	case strings.HasPrefix(lower, "javascript:"):
		return "javascript: URL: it is blocked by the Content Security Policy; use a link or a script file"
	case strings.HasPrefix(lower, "mailto:"), strings.HasPrefix(lower, "tel:"):
		if r.nav {
			return ""
		}
		return "a mailto: or tel: URL only makes sense in a link"
	case strings.HasPrefix(lower, "data:"):
		if r.image {
			return ""
		}
		return "data: URL: the Content Security Policy allows data: only for images"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "malformed URL: " + err.Error()
	}
	if u.Scheme != "" || u.Host != "" || strings.HasPrefix(v, "//") {
		switch {
		case r.nav:
			return ""
		case r.attr == "action" || r.attr == "formaction":
			return "sends the form to another host; the site's forms must stay on the site"
		}
		return "loads a resource from another host; the site must ship every script, style, font and image itself"
	}
	if page == notFoundPage && s.base != "" {
		switch rest, ok := strings.CutPrefix(u.Path, s.base); {
		case ok:
			u.Path = cmp.Or(rest, "./")
		case u.Path+"/" == s.base:
			u.Path = "./"
		case strings.HasPrefix(u.Path, "/"):
			return fmt.Sprintf("leaves the base path %s", s.base)
		case u.Path != "":
			return fmt.Sprintf("the server sends 404.html for any missing URL, where a relative reference leads elsewhere; write it under the base path (%s…)", s.base)
		}
	}
	if strings.HasPrefix(u.Path, "/") {
		return "absolute path: the site must work under any base path, so use a reference relative to this file"
	}

	base := path.Dir(page)
	target := page
	if u.Path != "" {
		joined := path.Join(base, u.Path)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return "points outside the site"
		}
		last := u.Path[strings.LastIndex(u.Path, "/")+1:]
		if strings.HasSuffix(u.Path, "/") || last == "." || last == ".." {
			target = path.Join(joined, "index.html")
		} else {
			target = joined
		}
		switch {
		case s.dirs[target]:
			return fmt.Sprintf("names the folder %s without a trailing slash; write %q", target, u.Path+"/")
		case !s.exist[target]:
			return fmt.Sprintf("no file %s in the site", target)
		}
	}

	if u.Fragment == "" {
		return ""
	}
	ids := s.idsOf(target)
	if ids == nil {
		return "" // a fragment of a file that has no ids, such as a PDF page
	}
	if ids[u.Fragment] {
		return ""
	}
	if strings.EqualFold(u.Fragment, "top") {
		return "" // "#top" scrolls to the top of any page
	}
	return fmt.Sprintf("no element with id=%q in %s", u.Fragment, target)
}

// idsOf returns the ids defined in the file target, or nil when the file is
// not a kind that defines fragment ids.
func (s *Site) idsOf(target string) map[string]bool {
	if f, ok := s.files[target]; ok && f.ids != nil {
		return f.ids
	}
	if f, ok := s.svg[target]; ok {
		return f.ids
	}
	return nil
}
