package search

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s as the index and the queries see it. The rules, which
// assets/js/search.js repeats exactly as
//
//	s.normalize("NFKC").toLowerCase().replace(/ς/g, "σ").replace(WS, " ").trim()
//
// are, in order:
//
//  1. Unicode NFKC: full-width Latin letters, digits and punctuation become
//     their ASCII forms (ＰＰＰ → PPP, １２ → 12, （ → (), the ideographic space
//     becomes a space, compatibility ideographs become unified ones.
//  2. Lower case by the Unicode default (full) mapping of the root locale,
//     which is what JavaScript's toLowerCase does: PPP → ppp, İ → i̇.
//  3. Every final sigma ς becomes σ, so that the one context-dependent rule
//     of step 2 cannot make a query and a text disagree.
//  4. Runs of whitespace (the characters of wsChars, the union of Go's
//     unicode.IsSpace and JavaScript's \s) become one space; leading and
//     trailing whitespace is dropped.
//
// Lower case rather than case folding (cases.Fold) because JavaScript has no
// folding: Fold maps ß to ss and JavaScript cannot follow. Both sides use
// Unicode 17 (golang.org/x/text v0.44 tables and the ICU of Node 20 and
// current Chromium); testdata/normalize.json holds every code point the rules
// change, and both the Go and the node tests check it.
func Normalize(s string) string {
	if out, ok := fastNormalize(s); ok {
		return out
	}
	return slowNormalize(s)
}

// wsChars are the whitespace characters of step 4 of Normalize.
const wsChars = "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

func isSpace(r rune) bool {
	switch {
	case r == ' ' || r >= '\t' && r <= '\r':
		return true
	case r < 0x85 || r > 0x3000 && r != 0xfeff:
		// Most text is ASCII or CJK: answer without the search below,
		// which otherwise costs a tenth of the indexing time.
		return false
	}
	return strings.ContainsRune(wsChars, r)
}

var lowerPool = sync.Pool{New: func() any { c := cases.Lower(language.Und); return &c }}

// slowNormalize applies the rules of Normalize literally.
func slowNormalize(s string) string {
	s = norm.NFKC.String(s)
	c := lowerPool.Get().(*cases.Caser)
	s = c.String(s)
	lowerPool.Put(c)
	s = strings.ReplaceAll(s, "ς", "σ")
	return collapse(s)
}

// collapse turns runs of whitespace into one space and trims both ends.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fastTable maps each rune of the Basic Multilingual Plane to what Normalize
// makes of it alone, when that is one rune and the rune can never interact
// with its neighbours under NFKC (a normalization boundary before it); 0
// marks runes that need the slow path and -1 whitespace. It is computed from
// the x/text tables, not written by hand, and the tests check it against
// slowNormalize for every code point.
//
// Why: the slow path runs two x/text transforms over every text; for the
// 23 million characters of a 10,000-evaluation site the table makes
// normalising about 5× faster (see BenchmarkNormalize).
var fastTable = sync.OnceValue(func() []int32 {
	t := make([]int32, 0x10000)
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if isSpace(r) {
			t[r] = -1
			continue
		}
		s := string(r)
		if !norm.NFKC.PropertiesString(s).BoundaryBefore() {
			continue
		}
		out := slowNormalize(s)
		if utf8.RuneCountInString(out) != 1 {
			continue
		}
		o, _ := utf8.DecodeRuneInString(out)
		// The mapped rune must itself start a normalization segment, so
		// that it cannot compose with what precedes it. Nothing can
		// compose with it from behind: every rune the fast path accepts
		// has a boundary before it.
		if !norm.NFKC.PropertiesString(out).BoundaryBefore() {
			continue
		}
		t[r] = o
	}
	return t
})

// fastNormalize normalises s rune by rune through fastTable; ok is false
// when some rune needs the slow path, which then normalises the whole
// string so that composition across runes stays exact.
func fastNormalize(s string) (string, bool) {
	t := fastTable()
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= 0x10000 {
			return "", false
		}
		m := t[r]
		switch m {
		case 0:
			return "", false
		case -1:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(m)
	}
	return b.String(), true
}

// appendNormalized appends the runes of Normalize(s) to dst. The index
// tokenises runes: building each document's text as a string, only to
// decode it again, cost a third of the tokenising.
func appendNormalized(dst []rune, s string) []rune {
	t := fastTable()
	start := len(dst)
	space := false
	for _, r := range s {
		if r >= 0x10000 {
			return appendRunes(dst[:start], slowNormalize(s))
		}
		m := t[r]
		switch m {
		case 0:
			return appendRunes(dst[:start], slowNormalize(s))
		case -1:
			space = len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, m)
	}
	return dst
}

// appendRunes appends the runes of s to dst, as ranging over s gives them.
func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}
