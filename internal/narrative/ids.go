package narrative

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs makes heading ids that keep Chinese text. goldmark's own
// generator keeps only ASCII letters and digits, which turns every Chinese
// heading into "heading", "heading-1" …, useless in a shared link.
//
// One headingIDs serves one document; the zero value needs init.
type headingIDs struct {
	used map[string]bool
	// next is, for each id that had a repeat, the suffix to try first on
	// its next repeat: every smaller one was taken when it was tried, and
	// ids are never freed, so 20,000 identical headings take 20,000 tries
	// in all, not 200 million.
	next map[string]int
	buf  []byte
}

var _ parser.IDs = (*headingIDs)(nil)

func (s *headingIDs) init() {
	s.used = make(map[string]bool, 8)
	s.next = nil
}

// Generate returns a unique id for a heading whose plain text is value:
// letters, digits and marks are kept (Latin lower-cased), ASCII space,
// punctuation and symbols and any Unicode space become a single '-',
// non-ASCII punctuation and symbols (、，（）“”《》) are dropped, '-' is
// trimmed from both ends, "section" stands in for an empty result, and a
// repeat gets the first free suffix of -1, -2 ….
func (s *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	b := s.buf[:0]
	dash := false // a '-' is pending: written only before the next kept rune
	for i := 0; i < len(value); {
		c, size := utf8.DecodeRune(value[i:])
		i += size
		switch {
		case c < utf8.RuneSelf && ('a' <= c && c <= 'z' || '0' <= c && c <= '9'):
			// fast path for the common ASCII case
		case c < utf8.RuneSelf && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == utf8.RuneError && size == 1:
			continue
		case unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.IsMark(c):
			c = unicode.ToLower(c)
		case c < utf8.RuneSelf || unicode.IsSpace(c):
			dash = true
			continue
		default:
			continue
		}
		if dash && len(b) > 0 {
			b = append(b, '-')
		}
		dash = false
		b = utf8.AppendRune(b, c)
	}
	if len(b) == 0 {
		b = append(b, "section"...)
	}
	s.buf = b
	id := string(b)
	if s.used[id] {
		if s.next == nil {
			s.next = make(map[string]int)
		}
		n := max(s.next[id], 1)
		for s.used[id+"-"+strconv.Itoa(n)] {
			n++
		}
		s.next[id] = n + 1
		id += "-" + strconv.Itoa(n)
	}
	s.used[id] = true
	return []byte(id)
}

// Put marks value as used, so that Generate does not return it.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}
