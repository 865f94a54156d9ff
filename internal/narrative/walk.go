package narrative

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// walker makes one pass over a parsed narrative before it is rendered: it
// rewrites what must not reach the HTML (raw HTML, links and images with
// unsafe or remote URLs), wraps tables, names headings and collects the
// plain text. Doing it all in one pass keeps Render to one walk of the tree
// besides goldmark's own.
//
// It walks with its own loops rather than ast.Walk because it replaces the
// node it stands on; each loop takes the next sibling before handling a node.
type walker struct {
	source   []byte
	ids      headingIDs
	text     []byte
	headings []Heading
	nodes    []*ast.Heading // parallel to headings, to shift their levels
	// resolve, if not nil, may rewrite local references (RenderWith).
	resolve Resolver

	// reading is set by Read: table cells are set apart by " | ", white
	// space is made a space, and starts records where each line of text
	// begins in the source (lineStart, for the line being collected).
	reading   bool
	starts    []int
	lineStart int
}

func (w *walker) blocks(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		w.block(c)
		c = next
	}
}

func (w *walker) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading:
		start := len(w.text)
		w.inlines(n)
		t := bytes.TrimSpace(w.text[start:])
		id := w.ids.Generate(t, ast.KindHeading)
		n.SetAttributeString("id", id)
		w.headings = append(w.headings, Heading{Level: n.Level, Text: string(t), ID: string(id)})
		w.nodes = append(w.nodes, n)
		w.endLine()
	case *ast.Paragraph, *ast.TextBlock:
		w.inlines(n)
		w.endLine()
	case *ast.HTMLBlock:
		p := htmlBlockAsText(n, w.source)
		n.Parent().ReplaceChild(n.Parent(), n, p)
		w.inlines(p)
		w.endLine()
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			w.mark(seg.Start)
			w.appendText(seg.Value(w.source), true)
			w.endLine()
		}
	case *east.Table:
		w.blocks(n)
		wrap := &tableScroll{}
		n.Parent().ReplaceChild(n.Parent(), n, wrap)
		wrap.AppendChild(wrap, n)
	case *east.TableHeader, *east.TableRow:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			w.space()
			if w.reading && c != n.FirstChild() {
				w.text = append(w.text, '|', ' ')
			}
			w.inlines(c)
		}
		w.endLine()
	default:
		w.blocks(n)
	}
}

// htmlBlockAsText turns an HTML block into a paragraph of its source lines
// as raw text: the renderer escapes raw text, and raw text does not resolve
// entities, so the reader sees exactly what the author wrote. Each segment
// keeps its newline because goldmark renders no soft line break after raw
// text.
func htmlBlockAsText(n *ast.HTMLBlock, source []byte) *ast.Paragraph {
	p := ast.NewParagraph()
	lines := n.Lines()
	for i := range lines.Len() {
		p.AppendChild(p, ast.NewRawTextSegment(lines.At(i)))
	}
	if n.HasClosure() {
		p.AppendChild(p, ast.NewRawTextSegment(n.ClosureLine))
	}
	if last, ok := p.LastChild().(*ast.Text); ok {
		last.Segment = last.Segment.TrimRightSpace(source)
	}
	return p
}

func (w *walker) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		w.inline(c)
		c = next
	}
}

func (w *walker) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		w.mark(n.Segment.Start)
		value := n.Segment.Value(w.source)
		w.appendText(value, n.IsRaw())
		switch {
		case n.HardLineBreak():
			w.space()
		case n.SoftLineBreak():
			// The same decision as goldmark's renderer with
			// EastAsianLineBreaksCSS3Draft, so Text reads like the page.
			next, ok := n.NextSibling().(*ast.Text)
			if !ok || len(value) == 0 {
				break
			}
			nv := next.Segment.Value(w.source)
			if len(nv) == 0 {
				break
			}
			last, _ := utf8.DecodeLastRune(value)
			first, _ := utf8.DecodeRune(nv)
			if softBreakIsSpace(last, first) {
				w.space()
			}
		}
	case *ast.String:
		w.appendText(n.Value, n.IsRaw() || n.IsCode())
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				w.appendText(bytes.TrimSuffix(t.Segment.Value(w.source), []byte("\n")), true)
			}
		}
	case *ast.Link:
		w.inlines(n)
		switch classifyURL(n.Destination) {
		case urlBad:
			unwrap(n)
		case urlLocal:
			n.Destination = w.local(n, n.Destination, false)
		}
	case *ast.AutoLink:
		label := n.Label(w.source)
		w.appendText(label, true)
		if classifyURL(n.URL(w.source)) == urlBad {
			s := ast.NewString(label)
			s.SetRaw(true)
			n.Parent().ReplaceChild(n.Parent(), n, s)
		}
	case *ast.Image:
		w.inlines(n)
		switch classifyURL(n.Destination) {
		case urlLocal:
			n.Destination = w.local(n, n.Destination, true)
		case urlRemote:
			// No request to another host: link to the image instead.
			link := ast.NewLink()
			link.Destination = n.Destination
			link.Title = n.Title
			if n.FirstChild() == nil {
				s := ast.NewString(decodeURL(n.Destination))
				s.SetRaw(true)
				link.AppendChild(link, s)
				w.appendText(s.Value, true)
			}
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				link.AppendChild(link, c)
				c = next
			}
			n.Parent().ReplaceChild(n.Parent(), n, link)
		default:
			unwrap(n)
		}
	case *ast.RawHTML:
		p := n.Parent()
		if isBR(n, w.source) {
			p.ReplaceChild(p, n, &lineBreak{})
			w.space()
			return
		}
		segs := n.Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			w.appendText(seg.Value(w.source), true)
			p.InsertBefore(p, n, ast.NewRawTextSegment(seg))
		}
		p.RemoveChild(p, n)
	default:
		w.inlines(n)
	}
}

// local offers the local destination dest of the link or image n to the
// resolver and returns the destination to keep: dest, or the resolver's.
func (w *walker) local(n ast.Node, dest []byte, image bool) []byte {
	if w.resolve == nil {
		return dest
	}
	decoded := strings.TrimSpace(string(decodeURL(dest)))
	p, suffix := decoded, ""
	if i := strings.IndexAny(decoded, "?#"); i >= 0 {
		p, suffix = decoded[:i], decoded[i:]
	}
	// A path as written may hold percent-escapes (%E7%85%A7.png) or not
	// (照片.png); a '%' that starts no escape is a plain '%'.
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "\\") {
		return dest // an absolute path: the link check reports it
	}
	out, ok := w.resolve(Ref{Path: p, Suffix: suffix, Dest: string(dest), Image: image, Line: w.lineOf(n, dest)})
	if !ok {
		return dest
	}
	return []byte(out)
}

// lineOf returns the 1-based line of the source that holds dest, the
// destination of the inline node n: the first occurrence of dest at or
// after the start of n's block.
func (w *walker) lineOf(n ast.Node, dest []byte) int {
	start := 0
	for b := n.Parent(); b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			start = b.Lines().At(0).Start
			break
		}
	}
	if i := bytes.Index(w.source[start:], dest); i >= 0 && len(dest) > 0 {
		start += i
	}
	return bytes.Count(w.source[:start], []byte("\n")) + 1
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	p := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		p.InsertBefore(p, n, c)
		c = next
	}
	p.RemoveChild(p, n)
}

// isBR reports whether n is <br>, <br/> or <br />, in any case.
func isBR(n *ast.RawHTML, source []byte) bool {
	if n.Segments.Len() != 1 {
		return false
	}
	seg := n.Segments.At(0)
	v := seg.Value(source)
	if len(v) < 4 || !asciiEqualFold(v[1:3], "br") {
		return false
	}
	rest := bytes.TrimSpace(v[3 : len(v)-1])
	return len(rest) == 0 || len(rest) == 1 && rest[0] == '/'
}

// shiftHeadings moves every heading by the same amount so that the highest
// level in the document becomes 2 (see the package doc).
func (w *walker) shiftHeadings() {
	if len(w.nodes) == 0 {
		return
	}
	top := 6
	for _, h := range w.nodes {
		top = min(top, h.Level)
	}
	shift := 2 - top
	for i, h := range w.nodes {
		h.Level = max(2, min(6, h.Level+shift))
		w.headings[i].Level = h.Level
	}
}

// appendText adds inline text, newlines made spaces, to the plain text. Unless raw, value is
// Markdown text: backslash escapes and entity references are resolved as the
// HTML renderer resolves them.
func (w *walker) appendText(value []byte, raw bool) {
	if raw || bytes.IndexByte(value, '\\') < 0 && bytes.IndexByte(value, '&') < 0 {
		start := len(w.text)
		w.text = append(w.text, value...)
		// Raw HTML and code keep their newlines; lines of Text are blocks.
		for i := start; i < len(w.text); i++ {
			if w.text[i] == '\n' || w.text[i] == '\r' || w.text[i] == '\t' {
				w.text[i] = ' '
			}
		}
		return
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case c == '\\' && i+1 < len(value) && value[i+1] == ' ':
			// WithEscapedSpace: "\ " joins words without a space.
			i++
		case c == '\\' && i+1 < len(value) && util.IsPunct(value[i+1]):
			i++
			w.text = append(w.text, value[i])
		case c == '&':
			end := bytes.IndexByte(value[i:min(len(value), i+40)], ';')
			if end > 1 {
				ref := string(value[i : i+end+1])
				if s := html.UnescapeString(ref); s != ref {
					w.text = append(w.text, s...)
					i += end
					continue
				}
			}
			w.text = append(w.text, c)
		default:
			w.text = append(w.text, c)
		}
	}
}

// mark notes, when reading, that the text about to be appended comes from
// offset in the source, if it is the first text of its line.
func (w *walker) mark(offset int) {
	if w.reading && w.lineStart < 0 {
		w.lineStart = offset
	}
}

// space separates two words of a line, once.
func (w *walker) space() {
	if n := len(w.text); n > 0 && w.text[n-1] != ' ' && w.text[n-1] != '\n' {
		w.text = append(w.text, ' ')
	}
}

// endLine ends the line of a block, if it has any text.
func (w *walker) endLine() {
	w.text = bytes.TrimRight(w.text, " ")
	if n := len(w.text); n > 0 && w.text[n-1] != '\n' {
		w.text = append(w.text, '\n')
		if w.reading {
			start := w.lineStart
			if start < 0 && len(w.starts) > 0 {
				start = w.starts[len(w.starts)-1] // a line of generated text only
			}
			w.starts = append(w.starts, max(start, 0))
		}
	}
	w.lineStart = -1
}

// plainText returns the collected text with runs of spaces made one and no
// space at either end of a line; a dropped image or tag can leave two.
func (w *walker) plainText() string {
	// Built in a strings.Builder, whose String does not copy: a page's
	// narrative text is thousands of bytes, made once per page.
	var out strings.Builder
	out.Grow(len(w.text))
	last := byte(0)
	for i, c := range w.text {
		if c == ' ' && (out.Len() == 0 || last == ' ' || last == '\n' ||
			i+1 == len(w.text) || w.text[i+1] == '\n') {
			continue
		}
		out.WriteByte(c)
		last = c
	}
	return strings.TrimRight(out.String(), "\n")
}

// softBreakIsSpace is goldmark's EastAsianLineBreaksCSS3Draft rule (CSS
// Text 3 segment break transformation), which goldmark does not export.
func softBreakIsSpace(before, after rune) bool {
	if before == '\u200B' || after == '\u200B' {
		return false
	}
	if wideOrHalf(before) && wideOrHalf(after) {
		return unicode.Is(unicode.Hangul, before) || unicode.Is(unicode.Hangul, after)
	}
	discard := func(r rune) bool {
		return util.IsSpaceDiscardingUnicodeRune(r) || unicode.IsPunct(r) || r == '\u3000'
	}
	return !discard(before) && !discard(after)
}

func wideOrHalf(r rune) bool {
	switch util.EastAsianWidth(r) {
	case "F", "W", "H":
		return true
	}
	return false
}
