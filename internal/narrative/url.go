package narrative

import (
	"bytes"

	"github.com/yuin/goldmark/util"
)

// urlKind is what a link or image destination points to.
type urlKind int

const (
	urlBad    urlKind = iota // a scheme other than http, https, mailto: never emitted
	urlLocal                 // relative, absolute path or fragment: this site
	urlRemote                // http, https or //host: another host
	urlMail                  // mailto:
)

// classifyURL decides what dest, a destination as written in the source,
// points to, the way a browser would read the href goldmark's renderer makes
// of it. The renderer resolves backslash escapes and entity references
// (java&#x09;script:) before it percent-encodes, so classifyURL resolves
// them too, once, exactly as the renderer does: callers keep the original
// destination in the node, never the decoded one, or the renderer would
// decode a second time (&amp;#58; → &#58; → ':').
//
// It is an allowlist: a browser strips leading and trailing controls and
// spaces and removes tabs and newlines anywhere, so "\tjava\nscript:" is a
// javascript: URL; those are removed here before the scheme is read, any
// other control character rejects the URL, and so does any scheme that is
// not http, https or mailto, including ones a browser would not accept as
// schemes ("java%09script:"), since rejecting them costs nothing.
func classifyURL(dest []byte) urlKind {
	dest = decodeURL(dest)
	dest = bytes.TrimFunc(dest, func(r rune) bool { return r <= ' ' })
	if bytes.ContainsAny(dest, "\t\n\r") {
		dest = bytes.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, dest)
	}
	for _, c := range dest {
		if c < ' ' || c == 0x7f {
			return urlBad
		}
	}
	for i, c := range dest {
		switch c {
		case '/', '\\', '?', '#':
			return localOrRemote(dest)
		case ':':
			switch {
			case asciiEqualFold(dest[:i], "http"), asciiEqualFold(dest[:i], "https"):
				return urlRemote
			case asciiEqualFold(dest[:i], "mailto"):
				return urlMail
			}
			return urlBad
		}
	}
	return urlLocal
}

// decodeURL resolves a destination's backslash escapes and entity
// references as goldmark's renderer does (util.URLEscape with
// resolveReference).
func decodeURL(dest []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
}

// localOrRemote tells a path from a protocol-relative URL; browsers read a
// backslash as a slash in http(s) URLs, so \\host and /\host are hosts too.
func localOrRemote(dest []byte) urlKind {
	if len(dest) >= 2 && (dest[0] == '/' || dest[0] == '\\') && (dest[1] == '/' || dest[1] == '\\') {
		return urlRemote
	}
	return urlLocal
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
