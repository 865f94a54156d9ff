package privacy

import (
	"sync"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/narrative"
)

// reader renders narratives to the text a reader sees. A Renderer is
// immutable once made and safe for concurrent use; making one builds
// goldmark's parsers, which is worth doing once per process, not once per
// narrative.
var reader = sync.OnceValue(narrative.New)

// mayHide reports whether the page may show personal data that a scan of the
// Markdown source src misses: whether src holds markup that the page drops
// or resolves (an escape, a character reference, emphasis or code marks, a
// link's brackets and address, a tag or autolink, a line break) next to a
// character of a match. It is a fast test, so that the narratives that cannot
// hide anything (nearly all of them) are not parsed a second time; a false
// true only costs that parse.
func mayHide(src []byte) bool {
	at := func(i int) byte {
		if i < 0 || i >= len(src) {
			return 0
		}
		return src[i]
	}
	for i, c := range src {
		if !markup[c] {
			continue // most bytes: one load and a branch
		}
		switch c {
		case '\\':
			return true // 138\-1234, an escaped space, a hard line break
		case '&':
			if n := at(i + 1); n == '#' || isLetter(n) {
				return true // &#49;38…, &commat;
			}
		case '*', '_', '~', '`', '<', '>':
			// Emphasis, strikethrough, code, an autolink or <br> can only
			// join two parts of a match if it touches one.
			if matchBefore(src, i) || matchAfter(src, i+1) {
				return true
			}
		case ']':
			if n := at(i + 1); n == '(' || n == '[' || n == ':' {
				return true // a link or image, inline or by reference
			}
		case '\n':
			// A line break inside a paragraph shows as a space between
			// narrow characters: 138⏎1234⏎5678 reads 138 1234 5678.
			p := i
			for p > 0 && (src[p-1] == ' ' || src[p-1] == '\t' || src[p-1] == '\r') {
				p--
			}
			n := i + 1
			for n < len(src) && (src[n] == ' ' || src[n] == '\t' || src[n] == '>') {
				n++
			}
			if matchBefore(src, p) && (matchAfter(src, n) || at(n) == '+') {
				return true
			}
		}
	}
	return false
}

// markup marks the bytes mayHide looks at.
var markup = func() (t [256]bool) {
	for _, c := range []byte("\\&*_~`<>]\n") {
		t[c] = true
	}
	return t
}()

// matchChar reports whether c can be part of a match: a digit, an ASCII
// letter (the X of an identity number, an e-mail address), '@' or '.'.
func matchChar(c byte) bool { return isDigit(c) || isLetter(c) || c == '@' || c == '.' }

// matchBefore reports whether the character before src[i], format
// characters skipped as the scan skips them, can be part of a match; a
// full-width one counts as its ASCII form.
func matchBefore(src []byte, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRune(src[:i])
		if !isFormat(r) {
			return matchRune(r)
		}
		i -= n
	}
	return false
}

// matchAfter is matchBefore for the character at src[i].
func matchAfter(src []byte, i int) bool {
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		if !isFormat(r) {
			return matchRune(r)
		}
		i += n
	}
	return false
}

func matchRune(r rune) bool {
	if r < utf8.RuneSelf {
		return matchChar(byte(r))
	}
	return matchChar(foldRune(r))
}
