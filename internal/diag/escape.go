package diag

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that a terminal, a log viewer or a
// browser would act on instead of showing written out as \u001b (or
// \U000e0001, or \xff for a byte that is not UTF-8): C0 and C1 control
// characters, DEL, line and paragraph separators, and format characters
// (Unicode category Cf: bidi controls such as U+202E, zero-width spaces,
// soft hyphens, byte-order marks). Messages quote the user's text, and a
// title holding ESC [2J would otherwise clear the staffer's terminal when
// check echoes it; a U+202E would reverse the rest of the line.
//
// Other characters, Chinese and a backslash included, are kept as they are,
// so that ordinary messages read unchanged. Escape(Escape(s)) == Escape(s).
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s // the common case: nothing to escape, no copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i]), 16))
		case needsEscape(r, n) && r > 0xFFFF:
			b.WriteString(`\U`)
			writeHex(&b, r, 8)
		case needsEscape(r, n):
			b.WriteString(`\u`)
			writeHex(&b, r, 4)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func writeHex(b *strings.Builder, r rune, width int) {
	h := strconv.FormatInt(int64(r), 16)
	for range width - len(h) {
		b.WriteByte('0')
	}
	b.WriteString(h)
}

// needsEscape reports whether the rune r, n bytes long, is one Escape
// writes out.
func needsEscape(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true // a byte that is not UTF-8
	case r < 0x20 || r == 0x7F:
		return true // C0, DEL
	case r < 0x80:
		return false
	case r <= 0x9F:
		return true // C1
	case r == '\u2028' || r == '\u2029':
		return true // line and paragraph separators break lines and JSON-in-JS
	}
	return unicode.Is(unicode.Cf, r)
}

// escaped returns d with every text it prints escaped.
func (d Diagnostic) escaped() Diagnostic {
	d.File = Escape(d.File)
	d.Field = Escape(d.Field)
	d.Message = Escape(d.Message)
	d.Hint = Escape(d.Hint)
	return d
}
