package site

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// BookletPath is the path of a year's print booklet, relative to the site
// root.
func BookletPath(y int) string { return fmt.Sprintf("congress/%d/print/", y) }

func bookletPath(y int) string { return BookletPath(y) }

// Abstract is one evaluation in a print booklet, with its narrative.
type Abstract struct {
	*score.Evaluation
	// Anchor is the abstract's id in the booklet.
	Anchor string
	// asm gives the narrative, base the path from the booklet to the
	// evaluation's page (see reanchor).
	asm  Assembly
	base string
}

// Narrative is the narrative's HTML with its heading ids prefixed by
// Anchor and its headings one level down, under the abstract's title. It
// is made when the booklet's template asks for it, so that a booklet in
// the making holds one narrative besides the page: at 100,000
// evaluations a year's booklet reprints 50 MB of them.
func (a Abstract) Narrative() (template.HTML, error) {
	html, err := a.asm.BookletNarrative(a.Evaluation)
	if err != nil {
		return "", err
	}
	return reanchor(html, a.Anchor, a.base), nil
}

// Booklet is a year's print booklet: the abstracts sent to the congress.
type Booklet struct {
	Abstracts []Abstract
	// All is true when the year marks no evaluation for the congress and
	// the booklet gathers all of them instead.
	All bool
	// Date is the cover's date: site.toml's [booklet] date, else the
	// latest publication date of the abstracts (zero when none states
	// one), so that the cover is dated without the build's own clock and
	// two builds stay byte-identical.
	Date content.Date
}

// reanchor makes a narrative fit in a booklet of several: its ids and
// in-page links get the abstract's prefix (two narratives may both have a
// heading 二、存在的问题), its headings go one level down, and its relative
// links and images, written for the evaluation's page, are rebased on
// base, the path from the booklet to that page ("../../../2023/roads/"),
// since the booklet sits at another depth. The HTML is the narrative
// renderer's, whose attribute values escape quotes and angle brackets, so
// every tag ends at the first '>' and ` id="` starts an id attribute
// wherever it stands in a tag. A scan, not regular expressions: the
// booklets of 10,000 evaluations reprint 18 MB of narrative.
//
// A rebased reference keeps the page's reference whole after base
// ("../../../2023/roads/../bridges/"), which browsers resolve like any
// other, so that a broken one can be traced back to the narrative's line.
func reanchor(html template.HTML, anchor, base string) template.HTML {
	s := string(html)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		b.WriteString(s[:i])
		retag(&b, s[i:i+end+1], anchor, base)
		s = s[i+end+1:]
	}
	b.WriteString(s)
	return template.HTML(b.String()) // still the narrative renderer's safe HTML
}

// retag writes one tag, a heading h2–h5 one level down, its id and
// in-page link prefixed with anchor, a relative href or src with base.
func retag(b *strings.Builder, tag, anchor, base string) {
	name := tag[1:]
	if strings.HasPrefix(name, "/") {
		name = name[1:]
	}
	if len(name) > 2 && name[0] == 'h' && '2' <= name[1] && name[1] <= '5' && !isWordByte(name[2]) {
		start := len(tag) - len(name)
		b.WriteString(tag[:start+1])
		b.WriteByte(name[1] + 1)
		tag = tag[start+2:]
	}
	for tag != "" {
		i, at := attrStart(tag)
		if i < 0 {
			b.WriteString(tag)
			return
		}
		b.WriteString(tag[:i+len(at)])
		tag = tag[i+len(at):]
		switch {
		case at == ` id="` || strings.HasPrefix(tag, "#"):
			if at != ` id="` {
				b.WriteByte('#')
				tag = tag[1:]
			}
			b.WriteString(anchor)
			b.WriteByte('-')
		case relativeRef(tag):
			b.WriteString(base)
		}
	}
}

// attrStart finds the first ` id="`, ` href="` or ` src="` in tag.
func attrStart(tag string) (int, string) {
	best, at := -1, ""
	for _, a := range [...]string{` id="`, ` href="`, ` src="`} {
		if i := strings.Index(tag, a); i >= 0 && (best < 0 || i < best) {
			best, at = i, a
		}
	}
	return best, at
}

// relativeRef reports whether the attribute value at the start of v (up
// to its closing quote) is a reference relative to the page's folder: not
// a fragment, an absolute path, another host or a URL with a scheme.
func relativeRef(v string) bool {
	if end := strings.IndexByte(v, '"'); end >= 0 {
		v = v[:end]
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "\\") {
		return false
	}
	if i := strings.IndexAny(v, ":/?#"); i >= 0 && v[i] == ':' {
		return false // a scheme: https:, mailto:
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// booklet renders a year's print booklet.
func (r *Renderer) booklet(w Writer, y *Year) error {
	evals, all := y.BookletEvaluations()
	if len(evals) == 0 {
		return nil
	}
	b := &Booklet{All: all}
	for _, e := range evals {
		b.Abstracts = append(b.Abstracts, Abstract{Evaluation: e, Anchor: "e-" + e.Slug,
			asm: r.asm, base: rootOf(bookletPath(y.Year)) + e.Path()})
		if p := e.Record.Published; p != nil && p.After(b.Date) {
			b.Date = *p
		}
	}
	if d := r.model.Config.Booklet.Date; !d.IsZero() {
		b.Date = d
	}
	p := &Page{Site: r.model, Year: y, Path: bookletPath(y.Year), Section: "congress", Booklet: b,
		Title: fmt.Sprintf("%d年预算绩效评价报告摘要汇编", y.Year)}
	p.Root = rootOf(p.Path)
	p.Crumbs = []Crumb{{"首页", ""}, {"人大审查", CongressIndexPath}, {fmt.Sprintf("%d年对照表", y.Year), congressPath(y.Year)}, {"打印本", ""}}
	p.Description = fmt.Sprintf("%s%d年%d份预算绩效评价报告摘要汇编，供人大参阅，可打印或存为 PDF。",
		r.model.Config.Organization, y.Year, len(b.Abstracts))
	return r.render(w, "booklet.html", p.Path+"index.html", p)
}
