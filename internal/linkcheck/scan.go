package linkcheck

import (
	"bytes"
	"html"
	"unsafe"

	xhtml "golang.org/x/net/html"
)

// scanTags is walkHTML's onElement pass for the pages evalpress writes,
// without the tokenizer: build checks every page it writes, and the
// tokenizer, which reads byte by byte and copies every attribute, would
// cost about an eighth of a build. It follows the tokenizer's rules for what it
// meets (tags, attributes quoted or not, comments, declarations, the
// raw text of <script>, <style>, <title> and <textarea>) and reports
// false on anything else it is not sure to read the same way: the caller
// then discards what onElement was given and uses walkHTML.
// TestScanTagsAgrees holds it to walkHTML.
//
// The elements it passes alias data, to spare build a copy of every
// attribute it reads, and their attrs are reused for the next element:
// onElement must copy what it keeps.
func scanTags(data []byte, onElement func(element)) bool {
	if bytes.IndexByte(data, 0) >= 0 || bytes.IndexByte(data, '\r') >= 0 {
		return false // the tokenizer replaces NUL, and CR by LF
	}
	line := 1
	pos := 0
	var attrs []xhtml.Attribute // reused from element to element
	for {
		i := bytes.IndexByte(data[pos:], '<')
		if i < 0 {
			break
		}
		i += pos
		line += bytes.Count(data[pos:i], newline)
		pos = i
		if i+1 >= len(data) {
			break
		}
		c := data[i+1]
		switch {
		case isLetter(c):
			e, end, ok := scanStartTag(data, i, line, attrs[:0])
			if !ok {
				return false
			}
			onElement(e)
			attrs = e.attrs
			line += bytes.Count(data[i:end], newline)
			pos = end
			if raw := rawEnd(e.tag); raw != nil {
				j := indexFold(data[pos:], raw)
				if j < 0 {
					return false
				}
				content := data[pos : pos+j]
				if e.tag == "script" && bytes.Contains(content, []byte("<!--")) {
					return false // the script data escape states
				}
				line += bytes.Count(content, newline)
				pos += j
			}
		case c == '!':
			if bytes.HasPrefix(data[i:], []byte("<!--")) {
				if bytes.HasPrefix(data[i:], []byte("<!-->")) || bytes.HasPrefix(data[i:], []byte("<!--->")) {
					return false
				}
				j := bytes.Index(data[i+4:], []byte("-->"))
				if j < 0 || bytes.Contains(data[i+4:i+4+j], []byte("--!")) {
					return false
				}
				end := i + 4 + j + 3
				line += bytes.Count(data[i:end], newline)
				pos = end
				continue
			}
			fallthrough
		case c == '?':
			j := bytes.IndexByte(data[i:], '>')
			if j < 0 {
				return false
			}
			line += bytes.Count(data[i:i+j], newline)
			pos = i + j + 1
		case c == '/':
			j := bytes.IndexByte(data[i:], '>')
			if j < 0 || bytes.ContainsAny(data[i:i+j], `"'`) {
				return false
			}
			line += bytes.Count(data[i:i+j], newline)
			pos = i + j + 1
		default:
			pos = i + 1 // a '<' in text
		}
	}
	return true
}

var newline = []byte{'\n'}

// rawEnd returns the end tag that ends the raw text of tag, or nil. These
// are the tokenizer's raw text elements (it reads <noscript> as raw text
// too, so the links in one are not checked either way); <plaintext>,
// which never ends, is left to the tokenizer.
func rawEnd(tag string) []byte {
	switch tag {
	case "script", "style", "title", "textarea", "iframe", "noembed", "noframes", "noscript", "xmp":
		return rawEnds[tag]
	case "plaintext":
		return []byte("</plaintext\x00") // never found: declined
	}
	return nil
}

// rawEnds are rawEnd's end tags, made once.
var rawEnds = func() map[string][]byte {
	m := map[string][]byte{}
	for _, t := range []string{"script", "style", "title", "textarea", "iframe", "noembed", "noframes", "noscript", "xmp"} {
		m[t] = []byte("</" + t)
	}
	return m
}()

// attrName returns the name of the attribute key as attrNames holds it,
// or "": a switch, which is quicker than the map for every attribute of
// every tag of every page build writes.
func attrName(key []byte) string {
	switch string(key) {
	case "id":
		return "id"
	case "name":
		return "name"
	case "href":
		return "href"
	case "xlink:href":
		return "xlink:href"
	case "src":
		return "src"
	case "srcset":
		return "srcset"
	case "action":
		return "action"
	case "formaction":
		return "formaction"
	case "poster":
		return "poster"
	case "data":
		return "data"
	case "ping":
		return "ping"
	case "rel":
		return "rel"
	case "style":
		return "style"
	case "type":
		return "type"
	}
	return ""
}

// indexFold finds the end tag prefix end (lower case) in s, in any case,
// where it is followed by what ends a tag name.
func indexFold(s, end []byte) int {
	for off := 0; ; {
		i := bytes.Index(s[off:], end[:2])
		if i < 0 {
			return -1
		}
		i += off
		if i+len(end) <= len(s) && bytes.EqualFold(s[i:i+len(end)], end) {
			if k := i + len(end); k == len(s) || isTagEnd(s[k]) {
				return i
			}
		}
		off = i + 1
	}
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isTagEnd(c byte) bool { return isSpace(c) || c == '/' || c == '>' }

// scanStartTag reads the start tag at data[i] ('<' then a letter) and
// returns it with the offset after its '>', its attributes appended to
// attrs.
func scanStartTag(data []byte, i, line int, attrs []xhtml.Attribute) (element, int, bool) {
	e := element{line: line, attrs: attrs}
	p := i + 1
	start := p
	for p < len(data) && !isTagEnd(data[p]) {
		p++
	}
	name := data[start:p]
	if hasUpper(name) {
		e.tag = string(asciiLower(name))
	} else {
		e.tag = unsafe.String(unsafe.SliceData(name), len(name)) // aliases data
	}
	for {
		for p < len(data) && (isSpace(data[p]) || data[p] == '/') {
			p++
		}
		if p >= len(data) {
			return e, 0, false
		}
		if data[p] == '>' {
			return e, p + 1, true
		}
		if data[p] == '=' || data[p] == '"' || data[p] == '\'' || data[p] == '<' {
			return e, 0, false
		}
		ks := p
		for p < len(data) && !isTagEnd(data[p]) && data[p] != '=' {
			if data[p] == '"' || data[p] == '\'' || data[p] == '<' {
				return e, 0, false
			}
			p++
		}
		key := data[ks:p]
		for p < len(data) && isSpace(data[p]) {
			p++
		}
		var val []byte
		if p < len(data) && data[p] == '=' {
			p++
			for p < len(data) && isSpace(data[p]) {
				p++
			}
			if p >= len(data) {
				return e, 0, false
			}
			if q := data[p]; q == '"' || q == '\'' {
				j := bytes.IndexByte(data[p+1:], q)
				if j < 0 {
					return e, 0, false
				}
				val = data[p+1 : p+1+j]
				p += j + 2
			} else {
				vs := p
				for p < len(data) && !isSpace(data[p]) && data[p] != '>' {
					p++
				}
				val = data[vs:p]
			}
		}
		k := attrName(key)
		if k == "" {
			if hasUpper(key) {
				return e, 0, false
			}
			continue
		}
		if _, dup := e.attr(k); dup {
			continue // the tokenizer keeps the first of duplicates
		}
		v, ok := attrValue(val)
		if !ok {
			return e, 0, false
		}
		e.attrs = append(e.attrs, xhtml.Attribute{Key: k, Val: v})
	}
}

// asciiLower lower-cases the ASCII letters of b, as the tokenizer does.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func hasUpper(b []byte) bool {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// attrValue decodes an attribute value's character references as the
// tokenizer does, when each is one html/template writes (&amp; &lt; &gt;
// &quot; &apos; and numeric ones); ok is false for any other '&', whose
// reading depends on the tokenizer's rules for legacy references. A value
// without references aliases v.
func attrValue(v []byte) (string, bool) {
	if bytes.IndexByte(v, '&') < 0 {
		return unsafe.String(unsafe.SliceData(v), len(v)), true
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '&' {
			continue
		}
		n := plainRef(v[i:])
		if n == 0 {
			return "", false
		}
		i += n - 1
	}
	return html.UnescapeString(string(v)), true
}

// plainRef returns the length of the character reference at the start
// of b if it is one attrValue reads, else 0.
func plainRef(b []byte) int {
	for _, named := range []string{"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"} {
		if bytes.HasPrefix(b, []byte(named)) {
			return len(named)
		}
	}
	if !bytes.HasPrefix(b, []byte("&#")) {
		return 0
	}
	j, hex := 2, false
	if j < len(b) && (b[j] == 'x' || b[j] == 'X') {
		j, hex = j+1, true
	}
	start := j
	for j < len(b) && j-start < 8 && ('0' <= b[j] && b[j] <= '9' || hex && 'a' <= b[j]|0x20 && b[j]|0x20 <= 'f') {
		j++
	}
	if j == start || j >= len(b) || b[j] != ';' {
		return 0
	}
	return j + 1
}
