package linkcheck

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// element is a start tag as the tokenizer saw it, with the line it starts on.
type element struct {
	tag   string
	attrs []html.Attribute
	line  int
}

func (e element) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// attrNames are the attributes the checks read (see element.attr and
// elementRefs), each mapped to itself so that a key needs no allocation.
var attrNames = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"id", "name", "href", "xlink:href", "src", "srcset", "action",
		"formaction", "poster", "data", "ping", "rel", "style", "type"} {
		m[k] = k
	}
	return m
}()

// tagNames are the common tag names, so that most tags need no allocation.
var tagNames = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{"a", "p", "li", "td", "th", "tr", "span", "div", "img", "link", "meta",
		"script", "style", "section", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
		"ul", "ol", "nav", "main", "header", "footer", "figure", "figcaption", "caption", "button",
		"input", "form", "label", "svg", "path", "rect", "g", "text", "dl", "dt", "dd", "strong", "em",
		"small", "time", "abbr", "br", "hr", "html", "head", "body", "title", "details", "summary",
		"select", "option", "colgroup", "col", "article", "aside", "base", "area", "image", "use"} {
		m[t] = t
	}
	return m
}()

// walkHTML calls onElement for every start tag of the document, and onText
// for the contents of every <script> and <style> element. It uses the
// tokenizer, not the tree builder, because the checks need line numbers and
// no tree; the tokenizer reads <script> and <style> contents as raw text as a
// browser does.
func walkHTML(data []byte, onElement func(element), onText func(parent element, text string, line int)) {
	z := html.NewTokenizer(bytes.NewReader(data))
	line := 1
	var raw *element // the open <script> or <style>, if any
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		start := line
		line += bytes.Count(z.Raw(), []byte{'\n'})
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			e := element{line: start}
			name, more := z.TagName()
			if e.tag = tagNames[string(name)]; e.tag == "" {
				e.tag = string(name)
			}
			// Only the attributes a check reads are made strings: the
			// tokenizer's Token would copy every attribute of every
			// tag, and build checks every page it writes.
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if key := attrNames[string(k)]; key != "" {
					e.attrs = append(e.attrs, html.Attribute{Key: key, Val: string(v)})
				}
			}
			onElement(e)
			raw = nil
			if tt == html.StartTagToken && (e.tag == "script" || e.tag == "style") {
				raw = &e
			}
		case html.TextToken:
			if raw != nil && onText != nil {
				onText(*raw, string(z.Text()), start)
			}
		default:
			raw = nil
		}
	}
}

// parseHTML extracts into f the references an HTML (or SVG) file makes
// and the fragment ids it defines. Their strings may alias data.
func parseHTML(f *parse, data []byte) {
	f.reset()
	f.hasIDs = true
	visit := func(e element) {
		if id, ok := e.attr("id"); ok && id != "" {
			f.ids = append(f.ids, id)
		}
		if e.tag == "a" {
			// Browsers still scroll to <a name>, an obsolete but working anchor.
			if name, ok := e.attr("name"); ok && name != "" {
				f.ids = append(f.ids, name)
			}
		}
		if e.tag == "base" {
			if _, ok := e.attr("href"); ok && !f.hasBase {
				f.hasBase, f.baseLine = true, e.line
			}
			return
		}
		f.refs = appendRefs(f.refs, e)
	}
	if !scanTags(data, visit) {
		f.reset()
		f.hasIDs = true
		walkHTML(data, visit, nil)
	}
}

// elementRefs returns the URLs that the element refers to.
func elementRefs(e element) []ref { return appendRefs(nil, e) }

// appendRefs appends the URLs that the element refers to to out.
func appendRefs(out []ref, e element) []ref {
	add := func(attr, v string, nav, image bool) {
		out = append(out, ref{tag: e.tag, attr: attr, value: v, line: e.line, nav: nav, image: image})
	}
	rel, _ := e.attr("rel")
	for _, a := range e.attrs {
		switch a.Key {
		case "href", "xlink:href":
			nav := e.tag == "a" || e.tag == "area" || (e.tag == "link" && hyperlinkRel(rel))
			add(a.Key, a.Val, nav, e.tag == "image")
		case "src":
			add(a.Key, a.Val, false, e.tag == "img" || e.tag == "input")
		case "srcset":
			for _, u := range srcsetURLs(a.Val) {
				add(a.Key, u, false, true)
			}
		case "action":
			if e.tag == "form" {
				add(a.Key, a.Val, false, false)
			}
		case "formaction":
			add(a.Key, a.Val, false, false)
		case "poster":
			add(a.Key, a.Val, false, true)
		case "data":
			if e.tag == "object" {
				add(a.Key, a.Val, false, false)
			}
		case "ping":
			// Following the link sends a request to each of these.
			for _, u := range strings.Fields(a.Val) {
				add(a.Key, u, false, false)
			}
		}
	}
	return out
}

// hyperlinkRel reports whether a <link> with this rel only names another
// document (canonical, alternate, ...), which the browser does not fetch. A
// link that is fetched (stylesheet, icon, preload, manifest, ...) or whose rel
// is unknown is not.
func hyperlinkRel(rel string) bool {
	tokens := strings.Fields(strings.ToLower(rel))
	if len(tokens) == 0 {
		return false
	}
	for _, t := range tokens {
		switch t {
		case "alternate", "author", "bookmark", "canonical", "external", "help",
			"license", "me", "next", "nofollow", "noopener", "noreferrer", "prev":
		default:
			return false
		}
	}
	return true
}

// srcsetURLs returns the URLs of a srcset attribute: comma-separated image
// candidates, each a URL and an optional descriptor ("a.png 2x, b.png 640w").
func srcsetURLs(s string) []string {
	const space = " \t\n\r\f"
	var out []string
	for {
		s = strings.TrimLeft(s, space+",")
		if s == "" {
			return out
		}
		end := strings.IndexAny(s, space)
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		if trimmed := strings.TrimRight(u, ","); trimmed != u {
			out = append(out, trimmed) // a candidate with no descriptor
			continue
		}
		out = append(out, u)
		// Skip the descriptor up to the comma that ends the candidate.
		depth, i := 0, 0
		for ; i < len(s); i++ {
			if c := s[i]; c == '(' {
				depth++
			} else if c == ')' && depth > 0 {
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
		s = s[i:]
	}
}

// cssURL is a reference in a style sheet.
type cssURL struct {
	kind  string // "url" or "@import"
	value string
	line  int
}

var (
	cssCommentRe = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssURLRe     = regexp.MustCompile(`(?i)\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)`)
	cssImportRe  = regexp.MustCompile(`(?i)@import\s+(?:"([^"]*)"|'([^']*)')`)
)

// cssURLs returns the url() and @import references of a style sheet whose
// first line is firstLine.
func cssURLs(css string, firstLine int) []cssURL {
	// Blank out comments but keep their newlines, so lines stay right.
	css = cssCommentRe.ReplaceAllStringFunc(css, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
	var out []cssURL
	for _, m := range cssURLRe.FindAllStringSubmatchIndex(css, -1) {
		out = append(out, cssURL{"url", firstGroup(css, m), firstLine + strings.Count(css[:m[0]], "\n")})
	}
	for _, m := range cssImportRe.FindAllStringSubmatchIndex(css, -1) {
		out = append(out, cssURL{"@import", firstGroup(css, m), firstLine + strings.Count(css[:m[0]], "\n")})
	}
	return out
}

// firstGroup returns the first submatch of m that matched.
func firstGroup(s string, m []int) string {
	for i := 2; i+1 < len(m); i += 2 {
		if m[i] >= 0 {
			return s[m[i]:m[i+1]]
		}
	}
	return ""
}

// jsURLRe matches a string literal that starts with the URL of another host
// ("https://h/...", "//h/..."). A script that names such a URL is about to
// request it; comments and regular expressions rarely start with a quote.
var jsURLRe = regexp.MustCompile("[\"'`]((?:(?i:https?|wss?):)?//[A-Za-z0-9\\[][^\"'`\\s]*)")

// jsURL is a URL of another host in a script.
type jsURL struct {
	value string
	line  int
}

// jsURLs returns the URLs of other hosts in string literals of a script.
// XML namespace names (http://www.w3.org/2000/svg ...) are names, not
// requests, and are left out: chart and SVG code is full of them.
func jsURLs(js string, firstLine int) []jsURL {
	var out []jsURL
	for _, m := range jsURLRe.FindAllStringSubmatchIndex(js, -1) {
		v := js[m[2]:m[3]]
		if strings.HasPrefix(v, "http://www.w3.org/") {
			continue
		}
		out = append(out, jsURL{v, firstLine + strings.Count(js[:m[0]], "\n")})
	}
	return out
}

// isScript reports whether a <script> with this type attribute holds code (and
// not a data block such as application/json).
func isScript(e element) bool {
	t, ok := e.attr("type")
	if !ok {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "", "module", "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript":
		return true
	}
	return false
}
