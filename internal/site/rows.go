package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/evalpress/evalpress/internal/score"
)

// The big lists (a year's congress table: some 16,000 rows, 17 MB at
// 100,000 evaluations) are rendered in chunks of RowChunk evaluations,
// each by a template of the page's own that starts in HTML text and is
// placed where the page's template calls rows, as the fragments are
// (fragment.go). A rebuild that renders such a page again, one of its
// evaluations edited, asks the build (RowCache) for each chunk: one
// whose evaluations are unchanged is copied from the previous output's
// page instead of being rendered. The head of the page (its counts and
// filter choices) and its foot are rendered every time.

// RowChunk is how many evaluations a chunk of a list's rows has.
const RowChunk = 64

// RowCache lets a build take chunks of a list's rows from its previous
// output. The writer a page is rendered to may be one.
type RowCache interface {
	// TakeRows returns chunk j of the rows of file, made of the
	// template tmpl and the evaluations evals, as the previous build
	// wrote it; ok is false when it is to be rendered.
	TakeRows(file, tmpl string, j int, evals []*score.Evaluation) (b []byte, ok bool)
	// MadeRows notes where the chunks of file's rows lie in it: the
	// first at off, chunk j lens[j] bytes long and made of the
	// evaluations evals[j*RowChunk:(j+1)*RowChunk] (the last fewer).
	MadeRows(file, tmpl string, off int64, lens []int64, evals []*score.Evaluation)
}

// rowList is a page's list of rows, rendered by rows.
type rowList struct {
	// page is the page's template, tmpl the template of a chunk of rows
	// in it, given data(lo, hi) for the rows [lo, hi), each of which
	// shows evals[i]. What the template reads must be of the page's
	// depth and of those evaluations alone.
	page, tmpl string
	evals      []*score.Evaluation
	data       func(lo, hi int) any
	file       string
	cache      RowCache
	// out is the page's buffer (render); off is where the rows begin in
	// it, lens each chunk's length, html what rows returned, calls how
	// many times the template called rows.
	out   *bytes.Buffer
	off   int
	lens  []int64
	html  string
	calls int
	// mark is set when rows returned rowsMark instead of the rows, to
	// be replaced by the chunks (splice); direct when the page is
	// rendered again with the rows themselves.
	mark, direct bool
	// chunks are the rows' chunks, size bytes in all, once gathered.
	chunks   [][]byte
	size     int
	gathered bool
}

// rowsMark is what rows returns in place of a list of rows when the
// site's templates are the default ones, which place it once, as it is,
// in HTML text: render then puts the chunks there as it makes the page
// (splice), instead of the list being joined into one string, copied
// by the template's printing into a buffer of its own and from there
// into the page's (four copies of 17 MB for a year's congress table at
// 100,000 evaluations, each into memory new to the process). No text of
// a page can hold it: the template's own text has no NUL byte, and
// escaping and the Markdown renderer replace any in what is shown.
const rowsMark = "\x00evalpress-rows\x00"

// rows renders a page's list of rows (see above).
func (r *Renderer) rows(p *Page) (template.HTML, error) {
	l := p.list
	if l == nil {
		return "", fmt.Errorf("rows: %s has no list of rows", p.Path)
	}
	l.calls++
	if l.out != nil {
		l.off = l.out.Len()
	}
	if !l.gathered {
		if err := r.gatherRows(l); err != nil {
			return "", err
		}
	}
	if r.spliceRows && !l.direct {
		l.mark = true
		return rowsMark, nil
	}
	var b strings.Builder
	b.Grow(l.size)
	for _, c := range l.chunks {
		b.Write(c)
	}
	l.html = b.String()
	if l.out != nil {
		// The page's buffer takes the list whole, with room for its foot.
		l.out.Grow(len(l.html) + len(l.html)/16)
	}
	return template.HTML(l.html), nil
}

// gatherRows takes or renders each chunk of l's rows, once per page
// however often its template calls rows. The chunks are gathered, then
// joined at their size: a list of megabytes grown by doubling, and the
// page's buffer after it, were much of what a rebuild spends on the page
// once its chunks are taken.
func (r *Renderer) gatherRows(l *rowList) error {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.putBuf(buf)
	l.chunks, l.lens, l.size = l.chunks[:0], l.lens[:0], 0
	for lo := 0; lo < len(l.evals); lo += RowChunk {
		hi := min(lo+RowChunk, len(l.evals))
		var chunk []byte
		ok := false
		if l.cache != nil {
			chunk, ok = l.cache.TakeRows(l.file, l.tmpl, lo/RowChunk, l.evals[lo:hi])
		}
		if !ok {
			buf.Reset()
			if err := r.templates[l.page].ExecuteTemplate(buf, l.tmpl, l.data(lo, hi)); err != nil {
				return fmt.Errorf("%s: %w", l.tmpl, err)
			}
			chunk = bytes.Clone(buf.Bytes())
		}
		l.chunks = append(l.chunks, chunk)
		l.lens = append(l.lens, int64(len(chunk)))
		l.size += len(chunk)
	}
	l.gathered = true
	return nil
}

// splice returns the page rendered into buf with the chunks in place of
// rowsMark, and tells the list's cache where they lie; ok is false when
// the template did not place the mark once (a call of rows that printed
// nothing, or twice), and the page is to be rendered with the rows
// themselves.
func (l *rowList) splice(buf []byte) (page []byte, ok bool) {
	i := bytes.Index(buf, []byte(rowsMark))
	if l.calls != 1 || i < 0 || bytes.Contains(buf[i+len(rowsMark):], []byte(rowsMark)) {
		return nil, false
	}
	page = make([]byte, 0, len(buf)-len(rowsMark)+l.size)
	page = append(page, buf[:i]...)
	for _, c := range l.chunks {
		page = append(page, c...)
	}
	page = append(page, buf[i+len(rowsMark):]...)
	if l.cache != nil {
		l.cache.MadeRows(l.file, l.tmpl, int64(i), l.lens, l.evals)
	}
	return page, true
}

// madeRows tells the list's cache where its chunks lie in the page
// rendered into buf: only when the template placed what rows returned
// once and as it is (a site's own template might print it twice, or
// escape it in an attribute), else nothing, and the next build renders
// every chunk.
func (l *rowList) madeRows(buf []byte) {
	if l == nil || l.cache == nil || l.calls != 1 {
		return
	}
	if l.off+len(l.html) > len(buf) || string(buf[l.off:l.off+len(l.html)]) != l.html {
		return
	}
	l.cache.MadeRows(l.file, l.tmpl, int64(l.off), l.lens, l.evals)
}
