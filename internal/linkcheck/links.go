package linkcheck

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/par"
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
//
// build checks every page it writes and keeps all this until its last
// page, so Add keeps it small: it judges each reference as far as its own
// file can tell (another host, javascript:, an absolute path ...), and
// one to a file already added, fragment and all, as the rest of the site
// tells (that file's ids are all known); it keeps only the references to
// files not added yet, as numbers into one table of strings. Such a
// reference waits for its file and is judged when it comes, as Problems
// would judge it, and then forgotten: pages link to pages made after
// them (a department's other evaluations, the lists), and kept to the
// end such references took some 25 bytes a reference, 26 of them a page.
type Site struct {
	base  string // the base path the site is served under, "" when unknown
	mu    sync.Mutex
	order []string
	// files holds every file added: what is kept of a page or style
	// sheet, nil for any other file (one map for both: at 100,000
	// evaluations the site has some 120,000 files).
	files map[string]*parsedFile
	svg   map[string]*parsedFile // fragment targets that are not pages
	dirs  map[string]bool        // every folder that holds a file
	// promised are the files that are in the site and whose facts are
	// to come (Promise).
	promised map[string]bool
	// clash is set once a name is both a file (added or promised) and a
	// folder, which no site on disk has: until then a file is no folder.
	clash bool
	// strs numbers each reference, path and id once: pages repeat the
	// same ones ("../../assets/css/site.css"). The files' names are kept
	// in its slabs too.
	strs strTable
	// ids, pending and pages hold what is kept of each page (its ids,
	// its pending references, the rest) in large shared arrays: see
	// chunks.
	ids     chunks[uint32]
	pending chunks[pending]
	pages   chunks[parsedFile]
	scratch []uint32 // for a page's ids, while they are sorted
	// waiting are the references to files not added yet, by the number
	// of their target in strs.
	waiting map[uint32][]waiter
	// capture, when set, is given the facts of the files it wants (see
	// Capture).
	capture *capture
	// linked has a bit set for every file, numbered in strs, that a
	// reference of a file added leads to (Linked): bits, not a map of
	// strings, so that the collector has no pointer to follow for each
	// of a large site's pages.
	linked []uint64
}

// waiter is a reference that waits for its target file: made in the page
// order[page], at line, value its number in strs.
type waiter struct {
	page, line, value uint32
}

// NewSite starts a site served under basePath ("" when unknown; see
// LinksUnder).
func NewSite(basePath string) *Site {
	s := &Site{files: map[string]*parsedFile{}, svg: map[string]*parsedFile{},
		dirs: map[string]bool{}, promised: map[string]bool{}, waiting: map[uint32][]waiter{}}
	if basePath != "" {
		s.base = "/" + strings.Trim(basePath, "/") + "/"
		if s.base == "//" {
			s.base = "/"
		}
	}
	return s
}

// Expect tells the check that the site will have about n files, most of
// them promised (a rebuild keeps most of the previous site's): its tables
// are then made once at their size instead of doubled as they fill. It
// must be called before the first file is added.
func (s *Site) Expect(n int) {
	s.promised = make(map[string]bool, n)
	s.dirs = make(map[string]bool, n)
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
// It keeps nothing of data.
func (s *Site) Add(name string, data []byte) {
	ext := strings.ToLower(path.Ext(name))
	var p *parse
	switch ext {
	case ".html", ".htm", ".svg", ".css":
		p = parsePool.Get().(*parse)
		defer func() {
			p.reset() // drop the strings that alias data before pooling
			parsePool.Put(p)
		}()
		if ext == ".css" {
			parseCSSFile(p, data)
		} else {
			parseHTML(p, data)
		}
	}
	s.add(name, ext, p)
}

// add records the file name whose parse is p (nil for a file that is not
// read).
func (s *Site) add(name, ext string, p *parse) {
	// Judge the references outside the lock: it is most of the work.
	if p != nil && ext != ".svg" {
		for _, r := range p.refs {
			p.res = append(p.res, s.resolve(name, r))
		}
	}
	if p != nil && s.capture != nil && s.capture.want(name) {
		s.capture.got(name, factsOf(p))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var f *parsedFile
	if p != nil {
		f = s.keep(name, p, p.res, uint32(len(s.order)))
	}
	s.register(name, ext, f)
}

// register records that the file name is in the site, kept as f (nil for
// a file that is not read), and judges the references that waited for
// it; it returns the name as the site keeps it. s.mu must be held.
func (s *Site) register(name, ext string, f *parsedFile) string {
	// The name the caller made goes with its page: the site keeps a
	// copy in its slabs, and the folders' names are parts of it.
	if _, ok := s.files[name]; !ok {
		name = s.strs.keep(name)
	}
	s.files[name] = nil
	delete(s.promised, name)
	s.clash = s.clash || s.dirs[name]
	s.addDirs(name)
	switch ext {
	case ".html", ".htm", ".css":
		s.order = append(s.order, name)
		s.files[name] = f
	case ".svg":
		s.svg[name] = f
	}
	s.arrived(name)
	return name
}

// addDirs notes the folders that hold the file name. s.mu must be held.
func (s *Site) addDirs(name string) {
	for d := path.Dir(name); d != "." && !s.dirs[d]; d = path.Dir(d) {
		s.dirs[d] = true
		if _, ok := s.files[d]; ok || s.promised[d] {
			s.clash = true
		}
	}
}

// arrived judges the references that wait for the file name, which has
// just been added, and forgets them. s.mu must be held.
func (s *Site) arrived(name string) {
	id, ok := s.strs.lookup(name)
	if !ok {
		return
	}
	ws, ok := s.waiting[id]
	if !ok {
		return
	}
	delete(s.waiting, id)
	for _, w := range ws {
		s.settle(w, id)
	}
}

// settle judges the waiting reference w to the file numbered target, and
// keeps what is wrong with it among its page's problems. s.mu must be
// held.
func (s *Site) settle(w waiter, target uint32) {
	page := s.order[w.page]
	if reason := s.checkTarget(page, pending{line: w.line, value: w.value, target: target}); reason != "" {
		f := s.files[page]
		f.problems = append(f.problems, Problem{Line: int(w.line), Ref: s.strs.str(w.value), Reason: reason})
	}
}

// keep turns what parse found in the file name, and what resolve made of
// its references, into what the site keeps of it; the references to files
// not added yet wait for them, from the page numbered page in s.order (the
// file's number once added). s.mu must be held.
func (s *Site) keep(name string, p *parse, res []resolved, page uint32) *parsedFile {
	f := &s.pages.take(1)[0]
	*f = parsedFile{hasBase: p.hasBase, baseLine: p.baseLine, hasIDs: p.hasIDs}
	s.keepIDs(f, p.ids)
	n := 0
	for _, r := range res {
		if r.reason == "" && r.site && !r.hasPath && !f.hasIDs {
			n++
		}
	}
	if n > 0 {
		f.pending = s.pending.take(n)[:0]
	}
	for i, r := range res {
		if r.site && r.hasPath {
			s.link(r.target)
		}
		reason := r.reason
		if reason == "" && r.site && !r.hasPath && f.hasIDs {
			// A fragment of the page itself: its ids are all here.
			reason = s.fragProblem(r.frag, f.ids, r.target)
		} else if reason == "" && r.site && s.passed(r, p.refs[i].value) {
			continue
		} else if reason == "" && r.site && r.hasPath && s.exists(r.target) {
			// The file it leads to is here, and so are its ids: judged
			// now, as Problems would judge it. Kept to the end, the
			// references with a fragment ("../../2023/x/#finding-1")
			// were most of what a build held of its pages.
			reason = s.check(name, p.refs[i].value, r.target)
		} else if reason == "" && r.site {
			pd := pending{line: uint32(p.refs[i].line), value: s.strs.id(p.refs[i].value), target: noTarget}
			if r.hasPath {
				pd.target = s.strs.id(r.target)
				s.waiting[pd.target] = append(s.waiting[pd.target], waiter{page: page, line: pd.line, value: pd.value})
				continue
			}
			f.pending = append(f.pending, pd)
			continue
		}
		if reason != "" {
			// Problems of the file alone are rare: kept whole, with a
			// copy of the reference (the parse's strings may alias data).
			f.problems = append(f.problems, Problem{Line: p.refs[i].line,
				Ref: strings.Clone(p.refs[i].value), Reason: reason})
		}
	}
	return f
}

// keepIDs keeps the ids of the file f, numbered in s.strs and sorted.
// s.mu must be held.
func (s *Site) keepIDs(f *parsedFile, names []string) {
	ids := s.scratch[:0]
	for _, id := range names {
		ids = append(ids, s.strs.id(id))
	}
	s.keepIDNums(f, ids)
}

// keepIDNums is keepIDs for ids numbered in s.strs already, in
// s.scratch's array or another. s.mu must be held.
func (s *Site) keepIDNums(f *parsedFile, ids []uint32) {
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	f.ids = s.ids.take(len(ids))
	copy(f.ids, ids)
	s.scratch = ids
}

// passed reports whether the reference value, resolved as r, leads to a
// file already added or promised, without fragment: checkTarget would
// pass it now and at the end (a file is never also a folder), so it need
// not be kept. Pages link back to the pages made before them (a series'
// earlier years, the lists): kept to the end, the references of 100,000
// pages took 150 MB. s.mu must be held.
func (s *Site) passed(r resolved, value string) bool {
	return r.hasPath && (s.exists(r.target) || s.promised[r.target]) && !s.dirs[r.target] && !strings.Contains(value, "#")
}

// link notes that a reference leads to the file target. s.mu must be
// held.
func (s *Site) link(target string) {
	n := s.strs.id(target)
	for int(n/64) >= len(s.linked) {
		s.linked = append(s.linked, 0)
	}
	s.linked[n/64] |= 1 << (n % 64)
}

// Linked reports whether a reference of a file added so far, by Add or
// AddFacts, leads to the file name (whatever its fragment, and whether
// or not it passed). A build that keeps pages without adding them
// (Promise) learns nothing of theirs.
func (s *Site) Linked(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.linkedLocked(name)
}

// linkedLocked is Linked with s.mu held; it only reads.
func (s *Site) linkedLocked(name string) bool {
	n, ok := s.strs.lookup(name)
	return ok && int(n/64) < len(s.linked) && s.linked[n/64]&(1<<(n%64)) != 0
}

// LinkedAll reports Linked for each of names, on all cores: at the end of
// a build, for every file of the output (140,000 at 100,000
// evaluations), when nothing is added any more. The lookups only read
// the table, under the lock held once for them all.
func (s *Site) LinkedAll(names []string) []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	linked := make([]bool, len(names))
	_ = par.Ranges(context.Background(), len(names), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			linked[i] = s.linkedLocked(names[i])
		}
		return nil
	})
	return linked
}

// exists reports whether the file name has been added (not only
// promised: its ids are known). s.mu must be held.
func (s *Site) exists(name string) bool {
	_, ok := s.files[name]
	return ok
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
		for _, p := range f.problems {
			p.Page = name
			out = append(out, p)
		}
		for _, pd := range f.pending {
			if reason := s.checkTarget(name, pd); reason != "" {
				out = append(out, Problem{Page: name, Line: int(pd.line), Ref: s.strs.str(pd.value), Reason: reason})
			}
		}
	}
	// The references whose target never came.
	for target, ws := range s.waiting {
		for _, w := range ws {
			name := s.order[w.page]
			if reason := s.checkTarget(name, pending{line: w.line, value: w.value, target: target}); reason != "" {
				out = append(out, Problem{Page: name, Line: int(w.line), Ref: s.strs.str(w.value), Reason: reason})
			}
		}
	}
	Sort(out)
	return out
}

// parsedFile is what the site keeps of one page or style sheet (or SVG
// image, of which only the ids count).
type parsedFile struct {
	// problems are the faults of references that the file alone shows,
	// without Page.
	problems []Problem
	// pending are the references that the rest of the site decides.
	pending []pending
	// ids are the fragment identifiers the file defines, as sorted
	// numbers in Site.strs; hasIDs is false for a file that has no
	// notion of them (a style sheet).
	ids      []uint32
	hasIDs   bool
	hasBase  bool
	baseLine int
}

// pending is a reference whose target file or fragment is yet to be
// checked, its strings numbered in Site.strs. What else checkTarget needs
// (the fragment, the path as written) resolve makes again from the value.
type pending struct {
	line   uint32
	value  uint32 // the reference as written
	target uint32 // the file it leads to, or noTarget for the page itself
}

// noTarget is the target of a pending reference to its own page.
const noTarget = ^uint32(0)

// chunks hands out slices of large shared arrays, for what a Site keeps
// of each page to the end: one allocation for many pages rather than
// several of each.
type chunks[T any] struct {
	buf []T
}

// chunkLen is the length of a chunks' arrays.
const chunkLen = 4096

// take returns n zero values of T, in a slice whose capacity is n.
func (c *chunks[T]) take(n int) []T {
	if n > chunkLen/16 {
		return make([]T, n)
	}
	if cap(c.buf)-len(c.buf) < n {
		c.buf = make([]T, 0, chunkLen)
	}
	start := len(c.buf)
	c.buf = c.buf[:start+n]
	return c.buf[start : start+n : start+n]
}

// parse is what a file's parse finds. Its strings may alias the file's
// data: Add copies what it keeps. Add reuses them (parsePool), for build
// parses every page it writes.
type parse struct {
	refs     []ref
	ids      []string
	res      []resolved // what resolve makes of each of refs
	hasIDs   bool
	hasBase  bool
	baseLine int
}

var parsePool = sync.Pool{New: func() any { return new(parse) }}

// reset empties p for another file, keeping its memory but none of the
// last file's strings.
func (p *parse) reset() {
	clear(p.refs)
	clear(p.ids)
	clear(p.res)
	*p = parse{refs: p.refs[:0], ids: p.ids[:0], res: p.res[:0]}
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

func parseCSSFile(f *parse, data []byte) {
	f.reset()
	for _, u := range cssURLs(string(data), 1) {
		f.refs = append(f.refs, ref{tag: "css", attr: u.kind, value: u.value, line: u.line, image: true})
	}
}

// resolved is what a reference's own file tells of it: a fault, or
// whether the rest of the site decides (site) and what it must hold: the
// file target (when hasPath; path is the reference's path as written, after
// the base path of 404.html) and the element with id frag (when not "").
type resolved struct {
	reason       string
	site         bool
	hasPath      bool
	target, path string
	frag         string
}

// resolve judges the reference r in the file page as far as page alone
// tells; checkTarget finishes with the rest of the site. It reads nothing
// that Add changes, so it needs no lock.
func (s *Site) resolve(page string, r ref) resolved {
	v := strings.TrimSpace(r.value)
	lower := strings.ToLower(v)
	fault := func(reason string) resolved { return resolved{reason: reason} }
	switch {
	case v == "":
		if r.nav || r.attr == "action" || r.attr == "formaction" {
			return resolved{} // the page itself
		}
		return fault("empty URL: the browser requests the page itself")
	case strings.HasPrefix(lower, "javascript:"):
		return fault("javascript: URL: it is blocked by the Content Security Policy; use a link or a script file")
	case strings.HasPrefix(lower, "mailto:"), strings.HasPrefix(lower, "tel:"):
		if r.nav {
			return resolved{}
		}
		return fault("a mailto: or tel: URL only makes sense in a link")
	case strings.HasPrefix(lower, "data:"):
		if r.image {
			return resolved{}
		}
		return fault("data: URL: the Content Security Policy allows data: only for images")
	}
	upath, frag, plain := splitPlain(v)
	if !plain {
		u, err := url.Parse(v)
		if err != nil {
			return fault("malformed URL: " + err.Error())
		}
		if u.Scheme != "" || u.Host != "" || strings.HasPrefix(v, "//") {
			switch {
			case r.nav:
				return resolved{}
			case r.attr == "action" || r.attr == "formaction":
				return fault("sends the form to another host; the site's forms must stay on the site")
			}
			return fault("loads a resource from another host; the site must ship every script, style, font and image itself")
		}
		upath, frag = u.Path, u.Fragment
	}
	if page == notFoundPage && s.base != "" {
		switch rest, ok := strings.CutPrefix(upath, s.base); {
		case ok:
			upath = cmp.Or(rest, "./")
		case upath+"/" == s.base:
			upath = "./"
		case strings.HasPrefix(upath, "/"):
			return fault(fmt.Sprintf("leaves the base path %s", s.base))
		case upath != "":
			return fault(fmt.Sprintf("the server sends 404.html for any missing URL, where a relative reference leads elsewhere; write it under the base path (%s…)", s.base))
		}
	}
	if strings.HasPrefix(upath, "/") {
		return fault("absolute path: the site must work under any base path, so use a reference relative to this file")
	}

	out := resolved{target: page, frag: frag}
	if upath != "" {
		joined := joinRel(path.Dir(page), upath)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return fault("points outside the site")
		}
		last := upath[strings.LastIndex(upath, "/")+1:]
		if strings.HasSuffix(upath, "/") || last == "." || last == ".." {
			out.target = path.Join(joined, "index.html")
		} else {
			out.target = joined
		}
		out.hasPath, out.path = true, upath
	}
	out.site = out.hasPath || out.frag != ""
	return out
}

// splitPlain returns the path and fragment of the reference v as url.Parse
// reads them, when v is plain: made of letters, digits, "-._~/#" (and
// escapes "%XX" in the fragment, which is how evalpress writes the anchors
// of Chinese headings) and not starting with "//", so that it has no
// scheme, host, query or escaped path. Most references of a site are, and
// url.Parse allocates for each.
func splitPlain(v string) (p, frag string, ok bool) {
	if strings.HasPrefix(v, "//") {
		return "", "", false
	}
	inFrag, escaped := false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/':
		case c == '#':
			inFrag = true
		case c == '%' && inFrag:
			escaped = true
		default:
			return "", "", false
		}
	}
	p, frag, _ = strings.Cut(v, "#")
	if escaped {
		// url.Parse unescapes a fragment as PathUnescape does; a bad
		// escape is left to it, for its message.
		var err error
		if frag, err = url.PathUnescape(frag); err != nil {
			return "", "", false
		}
	}
	return p, frag, true
}

// joinRel is path.Join(dir, p) for a clean relative dir (path.Dir of a
// file of the site) and a relative p. A reference that climbs to the root
// ("../../assets/site.css" from "2024/x/index.html") is most of a site's,
// and its join is the rest of it, clean already: path.Clean then does not
// allocate, where path.Join does.
func joinRel(dir, p string) string {
	for dir != "." && strings.HasPrefix(p, "../") {
		last := dir
		if i := strings.LastIndexByte(dir, '/'); i >= 0 {
			last, dir = dir[i+1:], dir[:i]
		} else {
			dir = "."
		}
		if last == ".." || last == "." || last == "" {
			return path.Join(dir, last, p) // not a clean dir: path.Join's way
		}
		p = p[len("../"):]
	}
	if dir == "." && !strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	return path.Join(dir, p)
}

// checkTarget returns why the pending reference pd of the file page is
// broken, or "": whether its target file and fragment exist. s.mu must be
// held.
func (s *Site) checkTarget(page string, pd pending) string {
	target := ""
	if pd.target != noTarget {
		target = s.strs.str(pd.target)
	}
	return s.check(page, s.strs.str(pd.value), target)
}

// check is checkTarget for the reference value of the file page, which
// leads to the file target ("" for the page itself).
func (s *Site) check(page, value, target string) string {
	if target == "" {
		target = page
	} else {
		switch {
		case s.dirs[target]:
			return fmt.Sprintf("names the folder %s without a trailing slash; write %q", target, s.resolve(page, ref{value: value}).path+"/")
		case !s.exists(target) && !s.promised[target]:
			return fmt.Sprintf("no file %s in the site", target)
		}
	}
	if !strings.Contains(value, "#") {
		return "" // no fragment, whichever way the URL is read
	}
	frag := fragOf(value)
	if frag == "" {
		return ""
	}
	ids, ok := s.idsOf(target)
	if !ok {
		return "" // a fragment of a file that has no ids, such as a PDF page
	}
	return s.fragProblem(frag, ids, target)
}

// fragOf returns the fragment of the reference value as resolve reads
// it, for a value that resolve leaves to the rest of the site (not one of
// another host, javascript: and the like): the path is not joined, for a
// reference judged as its target arrives (arrived) needs only its
// fragment.
func fragOf(value string) string {
	v := strings.TrimSpace(value)
	if _, frag, ok := splitPlain(v); ok {
		return frag
	}
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	return u.Fragment
}

// fragProblem returns why the fragment frag (not "") names no element of
// the file target, whose ids are ids, or "". s.mu must be held.
func (s *Site) fragProblem(frag string, ids []uint32, target string) string {
	if id, ok := s.strs.lookup(frag); ok {
		if _, found := slices.BinarySearch(ids, id); found {
			return ""
		}
	}
	if strings.EqualFold(frag, "top") {
		return "" // "#top" scrolls to the top of any page
	}
	return fmt.Sprintf("no element with id=%q in %s", frag, target)
}

// idsOf returns the ids defined in the file target, and false when the
// file is not a kind that defines fragment ids.
func (s *Site) idsOf(target string) ([]uint32, bool) {
	if f := s.files[target]; f != nil && f.hasIDs {
		return f.ids, true
	}
	if f, ok := s.svg[target]; ok && f != nil {
		return f.ids, f.hasIDs
	}
	return nil, false
}
