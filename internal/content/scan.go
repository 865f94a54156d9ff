package content

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/diag"
)

// scanKeys maps every key path of a TOML document to the place where its key
// is written: "title", "indicators[1]" (the [[indicators]] header),
// "indicators[1].items[0].score", "tags[2]" (an array element).
//
// BurntSushi/toml reports type errors at the last occurrence of a key, which
// inside [[indicators]] is the wrong block; its MetaData has no positions at
// all. So the loader decodes into map[string]any and takes positions from
// here. The scanner only has to be right for documents the TOML parser has
// accepted, but it is also fed anything a fuzzer invents, so every read is
// bounds-checked and every loop makes progress: on bad input it returns
// wrong positions, never a panic.
//
// Columns count characters (runes), not bytes, as an editor shows them.
func scanKeys(src []byte, file string) map[string]diag.Pos {
	pos, _ := scan(src, file)
	return pos
}

// scan returns scanKeys's map and the text of every float written as the
// value of a key ("indicators[1].score" → "26.50"): BurntSushi/toml hands
// floats over as float64, which has lost trailing zeros and, beyond 15
// digits, the digits themselves, and a figure must be read and shown as
// written.
func scan(src []byte, file string) (map[string]diag.Pos, map[string]string) {
	s := scanner{src: src, file: file, line: 1, out: make(map[string]diag.Pos, estimateKeys(src))}
	if len(src) >= 3 && string(src[:3]) == "\uFEFF" {
		// The loader strips a byte-order mark before parsing; skip one here
		// too, so that the scanner agrees with the parser on any input.
		s.i, s.lc, s.lineStart = 3, 3, 3
	}
	s.document()
	return s.out, s.floats
}

// maxDepth bounds the nesting of arrays and inline tables the scanner follows.
// Real records nest two or three levels; the bound keeps a fuzzer's
// "[[[[[[…" from recursing without end.
const maxDepth = 64

type scanner struct {
	src  []byte
	i    int
	file string
	out  map[string]diag.Pos
	// arrays counts the elements seen so far of each array of tables, by
	// resolved path ("indicators", "indicators[1].items").
	arrays map[string]int
	// floats holds the text of each float value by key path.
	floats map[string]string

	// The line counter runs lazily behind i: positions are asked for in
	// increasing offset order, so counting newlines up to the asked offset
	// spares every skipping loop from tracking lines.
	lc        int // offset up to which line and lineStart are valid
	line      int
	lineStart int
	// colAt is the offset col was last counted up to, on the current line:
	// the elements of a one-line array of a megabyte are counted from the
	// previous element, not each from the start of the line.
	colAt, col int
}

// posAt returns the position of offset o, which must not be before any
// offset asked for earlier.
func (s *scanner) posAt(o int) diag.Pos {
	if o > len(s.src) {
		o = len(s.src)
	}
	for s.lc < o {
		if s.src[s.lc] == '\n' {
			s.line++
			s.lineStart = s.lc + 1
		}
		s.lc++
	}
	if o < s.lineStart {
		return diag.Pos{File: s.file, Line: s.line, Col: 1}
	}
	if s.colAt < s.lineStart || s.col == 0 {
		s.colAt, s.col = s.lineStart, 1
	}
	s.col += utf8.RuneCount(s.src[s.colAt:o])
	s.colAt = o
	return diag.Pos{File: s.file, Line: s.line, Col: s.col}
}

func (s *scanner) set(path string, o int) {
	if _, ok := s.out[path]; !ok {
		s.out[path] = s.posAt(o)
	}
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

// skipWS skips spaces and tabs (and a stray '\r', so CRLF files scan alike).
func (s *scanner) skipWS() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
			s.i++
		default:
			return
		}
	}
}

// skipBlank skips whitespace, newlines and comments.
func (s *scanner) skipBlank() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves past the next newline.
func (s *scanner) skipLine() {
	for s.i < len(s.src) {
		c := s.src[s.i]
		s.i++
		if c == '\n' {
			return
		}
	}
}

func (s *scanner) document() {
	table := ""
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			table = s.header()
		} else {
			s.keyval(table, 0)
		}
		if s.i == start {
			s.i++ // garbage: make progress whatever it is
		}
	}
}

// header reads a [table] or [[array.of.tables]] line and returns the
// resolved path of the table it opens.
func (s *scanner) header() string {
	start := s.i
	s.i++
	isArray := s.i < len(s.src) && s.src[s.i] == '['
	if isArray {
		s.i++
	}
	segs := s.key()
	s.skipLine()
	path := ""
	for k, seg := range segs {
		path = join(path, seg)
		if k == len(segs)-1 && isArray {
			if s.arrays == nil {
				s.arrays = make(map[string]int)
			}
			n := s.arrays[path]
			s.arrays[path] = n + 1
			s.set(path, start)
			path = path + "[" + strconv.Itoa(n) + "]"
		} else if n := s.arrays[path]; n > 0 {
			path = path + "[" + strconv.Itoa(n-1) + "]"
		}
		s.set(path, start)
	}
	return path
}

// keyval reads key = value and records the key and everything inside the
// value.
func (s *scanner) keyval(table string, depth int) {
	start := s.i
	segs := s.key()
	if len(segs) == 0 {
		s.skipLine()
		return
	}
	path := table
	for _, seg := range segs {
		path = join(path, seg)
		s.set(path, start)
	}
	s.skipWS()
	if s.i < len(s.src) && s.src[s.i] == '=' {
		s.i++
	}
	s.skipWS()
	start = s.i
	s.value(path, depth)
	if lit := s.src[start:s.i]; isFloat(lit) {
		if s.floats == nil {
			s.floats = make(map[string]string)
		}
		s.floats[path] = string(lit)
	}
}

// literal is a float as written after a key's '=', and its value.
type literal struct {
	text []byte
	f    float64
}

// floatLiterals lists every float written as the value of a key, in one
// pass that only skips strings and comments: no key paths, no positions,
// a few allocations per record. The decoder matches a float64 to its text
// by value, and asks the full scan (Positions.Float) only when two
// different texts have the same value (26.5 and 26.50 in one record).
func floatLiterals(src []byte) []literal {
	s := scanner{src: src}
	var out []literal
	for s.i < len(src) {
		switch src[s.i] {
		case '#':
			s.skipLine()
		case '"', '\'':
			s.skipString()
		case '=':
			s.i++
			s.skipWS()
			start := s.i
			s.skipAtom()
			if lit := src[start:s.i]; isFloat(lit) {
				text := string(lit)
				if bytes.IndexByte(lit, '_') >= 0 {
					text = strings.ReplaceAll(text, "_", "")
				}
				if f, err := strconv.ParseFloat(text, 64); err == nil {
					out = append(out, literal{text: lit, f: f})
				}
			}
		default:
			s.i++
		}
	}
	return out
}

// isFloat reports whether an atom is written like a decimal float: a
// digit, sign or point first, a point or an exponent, and a sign only
// first or after the exponent's e, which leaves out dates (2024-04-30),
// times and nan and inf, whose text has no digits to keep.
func isFloat(lit []byte) bool {
	if len(lit) == 0 || !(isDigit(lit[0]) || lit[0] == '+' || lit[0] == '-' || lit[0] == '.') {
		return false
	}
	point := false
	for i, c := range lit {
		switch {
		case c == '.' || c == 'e' || c == 'E':
			point = true
		case (c == '+' || c == '-') && i > 0 && lit[i-1] != 'e' && lit[i-1] != 'E':
			return false
		case c == ':' || c == 'n' || c == 'i':
			return false
		}
	}
	return point
}

// key reads a possibly dotted key and returns its segments, unquoted.
func (s *scanner) key() []string {
	var segs []string
	for {
		s.skipWS()
		if s.eof() {
			return segs
		}
		var seg string
		switch s.src[s.i] {
		case '"':
			start := s.i
			s.skipBasic()
			raw := s.src[start:s.i]
			if u, err := strconv.Unquote(string(raw)); err == nil {
				seg = u
			} else if len(raw) >= 2 {
				seg = string(raw[1 : len(raw)-1])
			}
		case '\'':
			start := s.i + 1
			s.skipLiteral()
			end := s.i - 1
			if end < start {
				end = start
			}
			seg = string(s.src[start:end])
		default:
			start := s.i
			for s.i < len(s.src) && !isKeyStop(s.src[s.i]) {
				s.i++
			}
			if s.i == start {
				return segs
			}
			seg = string(s.src[start:s.i])
		}
		segs = append(segs, seg)
		s.skipWS()
		if s.i < len(s.src) && s.src[s.i] == '.' {
			s.i++
			continue
		}
		return segs
	}
}

func isKeyStop(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '.', '=', '[', ']', '{', '}', ',', '#', '"', '\'':
		return true
	}
	return false
}

// value skips one value, recording the elements of arrays and the keys of
// inline tables under path.
func (s *scanner) value(path string, depth int) {
	if s.eof() {
		return
	}
	switch s.src[s.i] {
	case '"', '\'':
		s.skipString()
	case '[':
		if depth >= maxDepth {
			s.i++
			return
		}
		s.i++
		for n := 0; ; {
			s.skipBlank()
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case ']':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			elem := path + "[" + strconv.Itoa(n) + "]"
			s.set(elem, s.i)
			start := s.i
			s.value(elem, depth+1)
			if s.i == start {
				s.i++
			}
			n++
		}
	case '{':
		if depth >= maxDepth {
			s.i++
			return
		}
		s.i++
		for {
			s.skipBlank()
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			start := s.i
			s.keyval(path, depth+1)
			if s.i == start {
				s.i++
			}
		}
	default:
		s.skipAtom()
	}
}

func (s *scanner) has(prefix string) bool {
	return len(s.src)-s.i >= len(prefix) && string(s.src[s.i:s.i+len(prefix)]) == prefix
}

// skipBasic skips a "basic string" with backslash escapes.
func (s *scanner) skipBasic() {
	s.i++
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return
		case '\n':
			return // unterminated: let the caller resync on the next line
		default:
			s.i++
		}
	}
	if s.i > len(s.src) {
		s.i = len(s.src)
	}
}

// skipLiteral skips a 'literal string'.
func (s *scanner) skipLiteral() {
	s.i++
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\'':
			s.i++
			return
		case '\n':
			return
		}
		s.i++
	}
}

// skipMulti skips a multi-line string delimited by three q. Up to two more
// quotes right before the closing delimiter belong to the content
// ("""a"""""), which the final loop takes care of.
func (s *scanner) skipMulti(q byte) {
	s.i += 3
	for s.i < len(s.src) {
		c := s.src[s.i]
		if c == '\\' && q == '"' {
			s.i += 2
			continue
		}
		if c == q && s.has(string([]byte{q, q, q})) {
			s.i += 3
			for k := 0; k < 2 && s.i < len(s.src) && s.src[s.i] == q; k++ {
				s.i++
			}
			return
		}
		s.i++
	}
	if s.i > len(s.src) {
		s.i = len(s.src)
	}
}

// skipAtom skips a number, boolean or date-time. A date and a time may be
// separated by one space (1979-05-27 07:32:00), which must not end the atom.
func (s *scanner) skipAtom() {
	start := s.i
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ':
			if s.i-start == 10 && s.src[start+4] == '-' && s.i+1 < len(s.src) && isDigit(s.src[s.i+1]) {
				s.i++
				continue
			}
			return
		case '\t', '\r', '\n', ',', ']', '}', '#':
			return
		}
		s.i++
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// join appends a key to a path with a dot.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// estimateKeys sizes the position map from the number of '=' and '[' in
// src, which bounds the keys, headers and array elements closely enough for
// records; growing the map instead costs about a fifth of the scan.
func estimateKeys(src []byte) int {
	return min(bytes.Count(src, []byte{'='})+bytes.Count(src, []byte{'['}), 4096)
}

// skipString skips the string that starts at s.i, of any of TOML's four
// kinds: basic or literal, on one line or several.
func (s *scanner) skipString() {
	q := s.src[s.i]
	switch {
	case q == '"' && s.has(`"""`):
		s.skipMulti('"')
	case q == '"':
		s.skipBasic()
	case s.has(`'''`):
		s.skipMulti('\'')
	default:
		s.skipLiteral()
	}
}
