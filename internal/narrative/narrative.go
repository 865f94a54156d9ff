package narrative

import (
	"bytes"
	"fmt"
	"html/template"
	"iter"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer converts narratives to HTML. It is safe for concurrent use and
// meant to be built once per build, so that goldmark's parsers and renderer
// table are built once rather than per narrative.
type Renderer struct {
	md goldmark.Markdown
	// bufs holds output buffers between calls, so that a call does not grow
	// a fresh buffer to the ~8 KB of HTML a 6 KB narrative makes (not
	// measured separately; the whole call is BenchmarkRender).
	bufs sync.Pool
}

// Doc is a rendered narrative.
type Doc struct {
	// HTML is the narrative's body, safe to insert in a page as it is: it
	// holds no raw HTML from the source and no link with a dangerous scheme.
	HTML template.HTML
	// Headings lists the document's headings in order, with the levels they
	// have in HTML (2 to 6), for a table of contents.
	Headings []Heading
	// Text is the plain text of the narrative, one line per paragraph,
	// heading, list item or table row (cells separated by a space), with no
	// markup and no trailing newline. It is meant for the search index and
	// for page descriptions.
	Text string
}

// ProseLines yields the lines of Text that are not its headings: the text
// a search excerpt is cut from, so that an excerpt never runs a heading
// such as "二、项目绩效评价分数和等级" into the paragraph that follows it.
// Headings are matched in order, each to the first line after the
// previous one that reads the same, so a paragraph that repeats a
// heading's words stays. It copies nothing: an excerpt wants only the
// first hundred characters of a text of thousands.
func (d Doc) ProseLines() iter.Seq[string] {
	return func(yield func(string) bool) {
		next := 0
		for line := range strings.Lines(d.Text) {
			line = strings.TrimSuffix(line, "\n")
			if next < len(d.Headings) && line == collapse(d.Headings[next].Text) {
				next++
				continue
			}
			if !yield(line) {
				return
			}
		}
	}
}

// collapse makes runs of spaces one, as Text has them.
func collapse(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Heading is one heading of a narrative.
type Heading struct {
	// Level is the heading's level in the HTML output, 2 to 6.
	Level int
	// Text is the heading's plain text.
	Text string
	// ID is the heading's id attribute, unique in the document: its letters
	// and digits, Chinese included, with Latin letters lower-cased, ASCII
	// spaces and punctuation turned into '-', other punctuation (、，（）“”)
	// dropped, a "-1", "-2" … suffix for repeats and "section" when nothing
	// is left. 一、项目绩效评价分数和等级 gets 一项目绩效评价分数和等级.
	ID string
}

// New returns a Renderer. Every goldmark option of the project is set here.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			// GFM, less task lists, which evaluation reports do not use.
			extension.Table,
			extension.Strikethrough,
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
			// CSS3Draft rather than Simple: Simple only drops a break between
			// two "wide" runes and does not count full-width punctuation
			// (，。（）), so "成效显著，\n但" would get a space.
			extension.NewCJK(
				extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksCSS3Draft),
				extension.WithEscapedSpace(),
			),
		),
		// No parser.WithAutoHeadingID: ids are made from the heading's plain
		// text during Render's walk, not from its Markdown source line, and
		// no parser.WithAttribute, so the source cannot set attributes.
		goldmark.WithRendererOptions(
			// Never html.WithUnsafe: raw HTML is turned into text before
			// rendering anyway; this is the second lock.
			renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 100)),
		),
	)
	return &Renderer{md: md}
}

// Render converts src to HTML and returns it with the document's headings
// (for a table of contents) and its plain text (for the search index and page
// descriptions). The same src always gives the same Doc. An error means a
// bug in this package or goldmark, not bad input: every input renders.
func (r *Renderer) Render(src []byte) (doc Doc, err error) {
	return r.RenderWith(src, nil)
}

// Ref is a local reference of a narrative (a link or image whose
// destination is a relative path), as a Resolver sees it.
type Ref struct {
	// Path is the destination's path, decoded (backslash escapes, entity
	// references and percent-escapes resolved): what names a file. It is
	// "" for a reference to a fragment or query of the page itself.
	Path string
	// Suffix is the destination's "?query#fragment" as written, "" when
	// it has none.
	Suffix string
	// Dest is the destination as written in the source.
	Dest string
	// Image is true for an image (![alt](dest)), false for a link.
	Image bool
	// Line is the 1-based line of the source that holds the destination.
	Line int
}

// Resolver decides what a local reference becomes in the HTML: the
// destination to write instead, percent-encoded as it will stand in the
// href or src attribute, and true; or false to keep the reference as
// written. Evaluation pages use it for the files placed beside a record.
type Resolver func(Ref) (dest string, ok bool)

// RenderWith is Render with each local reference offered to resolve (nil
// keeps them all as written).
func (r *Renderer) RenderWith(src []byte, resolve Resolver) (doc Doc, err error) {
	// goldmark v1.8.7 panics on some invalid UTF-8 (util.ToRune in the CJK
	// soft-break path, found by FuzzRender with "\x86\n0"), and invalid
	// UTF-8 has no place in a page anyway: replace it first.
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	// Any other panic in goldmark becomes an error naming the bug, so a
	// build reports it with the file instead of crashing.
	defer func() {
		if p := recover(); p != nil {
			doc, err = Doc{}, fmt.Errorf("narrative: goldmark panicked (a bug; please report it with this file): %v", p)
		}
	}()
	root := r.md.Parser().Parse(text.NewReader(src))
	// The plain text is about as long as the source: sized once, not
	// regrown a dozen times for every narrative.
	w := walker{source: src, resolve: resolve, text: make([]byte, 0, len(src))}
	w.ids.init()
	w.blocks(root)
	w.shiftHeadings()

	buf, _ := r.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		buf.Reset()
		r.bufs.Put(buf)
	}()
	if err := r.md.Renderer().Render(buf, src, root); err != nil {
		return Doc{}, fmt.Errorf("narrative: render: %w", err)
	}
	return Doc{
		HTML:     template.HTML(buf.String()),
		Headings: w.headings,
		Text:     w.plainText(),
	}, nil
}
