package privacy

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The kinds of personal data, as shown to web staff.
const (
	KindID       = "身份证号"
	KindMobile   = "手机号"
	KindBankCard = "银行卡号"
	KindEmail    = "电子邮箱"
)

// Finding is one match of personal data in a text.
type Finding struct {
	Kind   string // KindID, KindMobile, KindBankCard or KindEmail
	Match  string // the text as written, separators and prefixes included
	Masked string // Match with most digits or characters replaced by '*'
	// Offset is the byte offset of Match in the scanned text.
	Offset int
	// Line and Col give where Match starts, from 1; Col counts characters
	// (runes), as an editor shows them.
	Line, Col int
}

// key is what identifies the finding's data whatever its spelling: the digits
// without separators or +86 for numbers, the lower-cased address for e-mail.
// An acknowledgement matches a finding when their keys are equal.
func (f Finding) key() string {
	if f.Kind == KindEmail {
		return f.Kind + ":" + strings.ToLower(fold(f.Match))
	}
	d := digitsOf(f.Match)
	if f.Kind == KindMobile && len(d) > 11 {
		d = d[len(d)-11:]
	}
	return f.Kind + ":" + strings.ToUpper(d)
}

// cell is one character of the text after folding: c is the character itself
// if ASCII, its ASCII form if full-width, or 0 for any other character, none
// of which plays a part in a match. A run of 0 cells (most of a Chinese text)
// is merged into one, so the matchers look at far fewer cells than runes.
//
// A cell ends where the next begins, so it holds only its start: at eight
// bytes a cell, a 7 KB narrative needs one 14 KB allocation.
type cell struct {
	c     byte
	start int32 // byte offset in the text
}

// wide maps U+FF00–U+FF5F (full-width forms) to ASCII by NFKC, keeping only
// the characters the matchers use. It is built from the norm tables so that
// the scanner agrees with NFKC without normalising the whole text, which would
// shift every offset and cost a copy.
var wide = func() (t [0x60]byte) {
	for r := rune(0xFF00); r < 0xFF60; r++ {
		if s := norm.NFKC.String(string(r)); len(s) == 1 && kept(s[0]) {
			t[r-0xFF00] = s[0]
		}
	}
	return t
}()

// kept reports whether an ASCII character takes part in matching. Others
// (the full-width comma among them: "共5，13812345678" is not a decimal) fold
// to 0 when they come from a non-ASCII form.
func kept(c byte) bool {
	return isDigit(c) || isLetter(c) || strings.IndexByte("+-.@_% ", c) >= 0
}

// foldRune returns the ASCII form of a non-ASCII rune, or 0.
func foldRune(r rune) byte {
	switch {
	case r >= 0xFF00 && r < 0xFF60:
		return wide[r-0xFF00]
	case r == 0x3000 || r == 0xA0: // ideographic and no-break space: NFKC ' '
		return ' '
	case r >= 0x2010 && r <= 0x2013, r == 0x2212:
		// Hyphens, figure dash, en dash and minus sign: not NFKC, but
		// Word's autocorrect writes them in 138–1234–5678.
		return '-'
	}
	return 0
}

// fold returns s with full-width characters in ASCII and other non-ASCII
// characters dropped.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else if c := foldRune(r); c != 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; isDigit(c) || c == 'X' || c == 'x' {
			b.WriteByte(c)
		}
	}
	if b.Len() == len(s) {
		return s
	}
	f := fold(s)
	b.Reset()
	for i := 0; i < len(f); i++ {
		if c := f[i]; isDigit(c) || c == 'X' || c == 'x' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// Scan returns the personal data found in text, in order of position.
// Line and column are counted within text.
//
// It makes one pass over the runes to fold them into cells and one over the
// cells; there is no regular expression, so the time is linear in the text
// whatever it holds.
func Scan(text string) []Finding {
	if len(text) > math.MaxInt32 {
		// Cells hold 32-bit offsets; no content file comes near 2 GiB.
		text = text[:math.MaxInt32]
	}
	// Prose has a cell for every few bytes; sizing for one in four spares
	// the slice's regrowth. With the 8-byte cell this took a 7 KB narrative
	// from 27 µs to 16 µs.
	cs := cellPool.Get().(*[]cell)
	if need := len(text)/4 + 16; cap(*cs) < need {
		*cs = make([]cell, 0, need)
	}
	s := scanner{text: text, cs: toCells(text, (*cs)[:0])}
	defer func() {
		// Findings hold substrings of text, never cells, so the cells can
		// serve the next scan. A buffer grown for an unusually long text is
		// let go rather than kept for the rest of the build.
		if cap(s.cs) <= maxPooledCells {
			*cs = s.cs[:0]
			cellPool.Put(cs)
		}
	}()
	for i := 0; i < len(s.cs); {
		switch c := s.cs[i].c; {
		case isDigit(c):
			i = s.numbers(i)
		case c == '@':
			s.email(i)
			i++
		default:
			i++
		}
	}
	return s.finish()
}

// cellPool keeps the cell buffers of finished scans. Every narrative and
// record is scanned once, on both cores at once; a new buffer of a quarter of
// the text's size each time, allocated and zeroed, was about 2 % of a
// 10,000-evaluation build.
var cellPool = sync.Pool{New: func() any { return new([]cell) }}

// maxPooledCells bounds the buffers cellPool keeps (8 bytes a cell: 4 MB).
const maxPooledCells = 1 << 19

func toCells(text string, cs []cell) []cell {
	for i := 0; i < len(text); {
		if b := text[i]; b < utf8.RuneSelf {
			cs = append(cs, cell{b, int32(i)})
			i++
			continue
		}
		var c byte
		n := 3
		if b := text[i]; b >= 0xE4 && b <= 0xED && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			// U+4000–U+DFFF, the CJK ideographs among them: nothing there
			// folds, and skipping the decoding halves the scan of Chinese
			// prose.
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			if isFormat(r) {
				// Invisible: 138<U+200B>1234<U+00AD>5678 reads as one
				// number, so it must scan as one.
				i += n
				continue
			}
			c = foldRune(r)
		}
		if last := len(cs) - 1; c != 0 || last < 0 || cs[last].c != 0 {
			cs = append(cs, cell{c, int32(i)})
		}
		i += n
	}
	return cs
}

// isFormat reports whether r is a format character (Unicode category Cf:
// zero-width space and joiners, soft hyphen, word joiner, byte-order mark,
// bidi controls …). A reader does not see one, so the scan skips it.
//
// The common characters of Chinese text are answered without a look in the
// Unicode tables: full-width punctuation （，：） and quotes “” are in every
// paragraph.
func isFormat(r rune) bool {
	switch {
	case r < 0xAD, r >= 0x2010 && r <= 0x2029:
		return false // ASCII and Latin-1; dashes, quotes, ellipsis
	case r >= 0x3000 && r <= 0xFFFF:
		return r == 0xFEFF || r >= 0xFFF9 && r <= 0xFFFB
	}
	return unicode.Is(unicode.Cf, r)
}

type scanner struct {
	text  string
	cs    []cell
	out   []Finding
	today time.Time // set on first use
}

// at returns the folded character of cell i, or 0 outside the text.
func (s *scanner) at(i int) byte {
	if i < 0 || i >= len(s.cs) {
		return 0
	}
	return s.cs[i].c
}

func (s *scanner) add(kind string, from, to int) {
	start, end := int(s.cs[from].start), len(s.text)
	if to < len(s.cs) {
		end = int(s.cs[to].start)
	}
	m := s.text[start:end]
	s.out = append(s.out, Finding{Kind: kind, Match: m, Masked: Mask(kind, m), Offset: start})
}

// group is one run of digits in a chain of runs joined by single spaces or
// hyphens (138 1234 5678, 6222-0212-3456-7890).
type group struct {
	from, to int  // cells of the digits
	x        bool // an X or x follows the digits (the last character of an ID)
	sep      byte // the separator before the group; 0 for the first
}

func (g group) len() int { return g.to - g.from }

// maxGroups bounds a chain; a longer one is read as several chains.
const maxGroups = 8

// numbers matches the chain of digit groups that starts at cell i and returns
// the cell after it.
func (s *scanner) numbers(i int) int {
	var buf [maxGroups]group
	gs := buf[:0]
	j := i
	for {
		from := j
		for isDigit(s.at(j)) {
			j++
		}
		g := group{from: from, to: j}
		if len(gs) > 0 {
			g.sep = s.at(from - 1)
		}
		if c := s.at(j); (c == 'X' || c == 'x') && !isDigit(s.at(j+1)) && !isLetter(s.at(j+1)) {
			g.x = true
		}
		gs = append(gs, g)
		if g.x || len(gs) == maxGroups {
			break
		}
		if c := s.at(j); (c == ' ' || c == '-') && isDigit(s.at(j+1)) {
			j++
			continue
		}
		break
	}

	// A run after "digit." or "digit," is the fraction of a decimal (or a
	// thousands group); a run before ".digit", ",digit" or '%' is the
	// integer part of a figure. Neither is an identifier.
	before, after := s.at(i-1), s.at(j)
	fracFirst := (before == '.' || before == ',') && isDigit(s.at(i-2))
	fracLast := (after == '.' || after == ',') && isDigit(s.at(j+1)) || after == '%'
	plus := before == '+'

	n := len(gs)
	for k := 0; k < n; {
		if m := s.chainAt(gs, k, plus && k == 0, fracFirst && k == 0, fracLast); m > 0 {
			k += m
		} else {
			k++
		}
	}
	return j
}

// A shape is one way an identifier is written: the digit groups of a chain
// it takes and the check its digits must pass. shapes lists them all;
// chainAt tries them in order and takes the first that matches.
//
// How a shape is bounded follows from its groups. A shape of several groups
// must stand alone in its chain or be set off by spaces, since a hyphen
// joins a code (2023-0728-6221-234), and must not be followed by a hyphen
// either; a country code in a group of its own opens a number wherever it
// stands. A single run of digits is one whatever joins it to its
// neighbours, being a maximal run already. Neither may be the integer part
// of a figure (13812345678.5, 13812345678%). An X after the last group is
// the number's own when the shape ends in X, which then requires it; else
// it ends a run like any letter, but a shape of several groups is then
// something else.
type shape struct {
	kind string
	// digits is the number of digits of each group: {11} is a run
	// (13812345678), {3, 4, 4} is 138 1234 5678.
	digits []int
	// more: a group of at most more digits that follows the last is part
	// of the number whenever it is there (a 19-digit card in 4-4-4-4-3).
	more int
	// x: the number ends in X, an identity number's check character.
	x bool
	// code is the country code the digits start with ("86", "0086"),
	// which valid does not see.
	code string
	// plus says what a '+' just before the number means.
	plus plusRule
	// valid is the check of the digits, without the code and with the
	// final X.
	valid check
}

// plusRule says what a '+' just before a number means to a shape.
type plusRule uint8

const (
	plusOutside plusRule = iota // not part of the number
	plusNeeded                  // required, and part of the number: +86
	plusTaken                   // part of the number if it is there: +0086
)

// check names the check a shape's digits must pass. It is a name, not a
// func value, so that the scanner and the digits do not escape to the heap
// through an indirect call: that cost an allocation per scan and one per
// candidate number.
type check uint8

const (
	checkMobile check = iota // validMobile
	checkID15                // validID15
	checkID18                // scanner.validID18
	checkCard                // validCard
)

// valid runs check c on the digits d.
func (s *scanner) valid(c check, d string) bool {
	switch c {
	case checkMobile:
		return validMobile(d)
	case checkID15:
		return validID15(d)
	case checkID18:
		return s.validID18(d)
	}
	return validCard(d)
}

// shapes are the shapes of identifiers, in the order they are tried: where
// two match at the same group, the earlier wins.
var shapes = []shape{
	// A mobile number after +86 or 0086 set apart:
	// +86 13812345678, 0086-13812345678, +86 138 1234 5678.
	{kind: KindMobile, code: "86", plus: plusNeeded, digits: []int{2, 11}, valid: checkMobile},
	{kind: KindMobile, code: "0086", plus: plusTaken, digits: []int{4, 11}, valid: checkMobile},
	{kind: KindMobile, code: "86", plus: plusNeeded, digits: []int{2, 3, 4, 4}, valid: checkMobile},
	{kind: KindMobile, code: "0086", plus: plusTaken, digits: []int{4, 3, 4, 4}, valid: checkMobile},

	// Numbers written in groups.
	{kind: KindID, digits: []int{6, 8, 4}, valid: checkID18},                   // 110101 19900307 1234
	{kind: KindID, digits: []int{6, 8, 3}, x: true, valid: checkID18},          // 110101 19900307 123X
	{kind: KindBankCard, digits: []int{4, 4, 4, 4}, more: 3, valid: checkCard}, // 6222 0212 3456 7890 123
	{kind: KindMobile, digits: []int{3, 4, 4}, valid: checkMobile},             // 138 1234 5678

	// Runs of digits.
	{kind: KindMobile, digits: []int{11}, valid: checkMobile},
	{kind: KindMobile, code: "86", plus: plusNeeded, digits: []int{13}, valid: checkMobile}, // +8613812345678
	{kind: KindMobile, code: "0086", digits: []int{15}, valid: checkMobile},                 // 008613812345678
	{kind: KindID, digits: []int{15}, valid: checkID15},                                     // legacy, before 1999
	{kind: KindID, digits: []int{17}, x: true, valid: checkID18},
	{kind: KindID, digits: []int{18}, valid: checkID18},
	{kind: KindBankCard, digits: []int{16}, valid: checkCard},
	{kind: KindBankCard, digits: []int{17}, valid: checkCard},
	{kind: KindBankCard, digits: []int{18}, valid: checkCard},
	{kind: KindBankCard, digits: []int{19}, valid: checkCard},
}

// shapesByFirst lists the shapes by the length of their first group, so
// that a year or an amount, most of the digits of a text, is tried
// against the few shapes that start with a group of its length.
var shapesByFirst = func() (t [20][]*shape) {
	for i := range shapes {
		sh := &shapes[i]
		t[sh.digits[0]] = append(t[sh.digits[0]], sh)
	}
	return t
}()

// chainAt tries every shape at group k and returns how many groups the
// match took, or 0. plus says that a '+' stands before group k; frac that
// group k is the fraction of a decimal and fracLast that the last group is
// the integer part of a figure.
func (s *scanner) chainAt(gs []group, k int, plus, frac, fracLast bool) int {
	l := gs[k].len()
	if frac || l >= len(shapesByFirst) {
		return 0
	}
	for _, sh := range shapesByFirst[l] {
		if m := s.match(sh, gs, k, plus, fracLast); m > 0 {
			return m
		}
	}
	return 0
}

// match reports how many groups from gs[k] the shape sh takes, or 0, and
// adds the finding.
func (s *scanner) match(sh *shape, gs []group, k int, plus, fracLast bool) int {
	m := len(sh.digits)
	if k+m > len(gs) || sh.plus == plusNeeded && !plus {
		return 0
	}
	for t, l := range sh.digits {
		if gs[k+t].len() != l {
			return 0
		}
	}
	if sh.more > 0 && k+m < len(gs) && gs[k+m].len() <= sh.more && !gs[k+m].x {
		m++
	}
	grouped := len(sh.digits) > 1
	last, end := gs[k+m-1], k+m
	switch {
	case sh.x != last.x && (sh.x || grouped): // the X, as the type says
		return 0
	case end == len(gs) && fracLast: // 13812345678.5
		return 0
	case grouped && end < len(gs) && gs[end].sep != ' ': // 138-1234-5678-90
		return 0
	case grouped && sh.code == "" && k > 0 && gs[k].sep != ' ': // 9-138-1234-5678
		return 0
	}
	d := s.digits(gs[k:end])
	if sh.x {
		d += "X"
	}
	if d[:len(sh.code)] != sh.code || !s.valid(sh.valid, d[len(sh.code):]) {
		return 0
	}
	from, to := gs[k].from, last.to
	if plus && sh.plus != plusOutside {
		from-- // the '+'
	}
	if sh.x {
		to++
	}
	s.add(sh.kind, from, to)
	return m
}

// digits returns the folded digits of gs, without any final X.
func (s *scanner) digits(gs []group) string {
	var buf [24]byte
	b := buf[:0]
	for _, g := range gs {
		for t := g.from; t < g.to; t++ {
			b = append(b, s.cs[t].c)
		}
	}
	return string(b)
}

// mobilePrefixes marks the three-digit prefixes allocated to 11-digit mobile
// numbers (MIIT numbering plan, 2024). 140–144 are 13-digit IoT numbers and
// 154 and 194 are unallocated.
var mobilePrefixes = func() (t [100]bool) {
	for _, r := range [][2]int{{30, 39}, {45, 49}, {50, 53}, {55, 59}, {62, 62}, {65, 67},
		{70, 78}, {80, 89}, {90, 93}, {95, 99}} {
		for p := r[0]; p <= r[1]; p++ {
			t[p] = true
		}
	}
	return t
}()

func validMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && mobilePrefixes[int(d[1]-'0')*10+int(d[2]-'0')]
}

// provinces marks the first two digits of administrative division codes in
// use in identity numbers (GB/T 2260), 83 being Taiwan residents' permits.
var provinces = func() (t [100]bool) {
	for _, p := range []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83} {
		t[p] = true
	}
	return t
}()

func num(d string) int {
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}

// validDate reports whether y-m-d is a calendar date.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

// china is the time zone of the birth dates; "today" is today there.
var china = time.FixedZone("CST", 8*3600)

// validID18 checks an 18-character identity number: province, birth date
// from 1900 to today, and the ISO 7064 MOD 11-2 check character.
func (s *scanner) validID18(d string) bool {
	if len(d) != 18 || !provinces[num(d[:2])] {
		return false
	}
	sum := 0
	for i := range 17 {
		sum += int(d[i]-'0') * idWeights[i]
	}
	if c := d[17]; c == 'x' {
		d = d[:17] + "X"
	}
	if "10X98765432"[sum%11] != d[17] {
		return false
	}
	y, m, day := num(d[6:10]), num(d[10:12]), num(d[12:14])
	if y < 1900 || !validDate(y, m, day) {
		return false
	}
	if s.today.IsZero() {
		s.today = time.Now().In(china)
	}
	ty, tm, td := s.today.Date()
	return y*10000+m*100+day <= ty*10000+int(tm)*100+td
}

// idWeights are 2^(17-i) mod 11, the ISO 7064 MOD 11-2 weights.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// validID15 checks a 15-digit legacy number (issued until 1999): province
// and a 19YYMMDD birth date.
func validID15(d string) bool {
	return len(d) == 15 && provinces[num(d[:2])] && validDate(1900+num(d[6:8]), num(d[8:10]), num(d[10:12]))
}

// validCard checks a bank card number: 16 to 19 digits, an issuer range used
// in China, and the Luhn check.
func validCard(d string) bool {
	return len(d) >= 16 && len(d) <= 19 && strings.IndexByte("34569", d[0]) >= 0 && luhn(d)
}

// luhn reports whether the digits of d pass the Luhn check.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		c := d[len(d)-1-i]
		if !isDigit(c) {
			return false
		}
		v := int(c - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

func isLocal(c byte) bool {
	return isDigit(c) || isLetter(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isDomain(c byte) bool { return isDigit(c) || isLetter(c) || c == '.' || c == '-' }

// email matches an address around the '@' in cell a.
func (s *scanner) email(a int) {
	from := a
	for from > 0 && isLocal(s.at(from-1)) {
		from--
	}
	for from < a && s.at(from) == '.' {
		from++
	}
	to := a + 1
	for to < len(s.cs) && isDomain(s.at(to)) {
		to++
	}
	// A sentence may end right after the address: 请发至 a@b.cn.
	for to > a+1 && (s.at(to-1) == '.' || s.at(to-1) == '-') {
		to--
	}
	if from == a || a-from > 64 || to == a+1 {
		return
	}
	var buf [256]byte
	dom := buf[:0]
	for t := a + 1; t < to && len(dom) < len(buf); t++ {
		dom = append(dom, s.cs[t].c)
	}
	if !validDomain(string(dom)) {
		return
	}
	s.add(KindEmail, from, to)
}

// validDomain reports whether d has two or more labels, none empty or
// starting or ending with '-', and a top-level label of two or more letters.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isLetter(tld[i]) {
			return false
		}
	}
	return true
}

// finish orders the findings, drops any that lies inside another (the
// digits of zhang13812345678@163.com are part of the address), and fills in
// lines and columns.
func (s *scanner) finish() []Finding {
	if len(s.out) == 0 {
		return nil
	}
	slices.SortFunc(s.out, func(a, b Finding) int {
		if a.Offset != b.Offset {
			return a.Offset - b.Offset
		}
		return len(b.Match) - len(a.Match)
	})
	out := s.out[:0]
	reach := -1
	for _, f := range s.out {
		if end := f.Offset + len(f.Match); end > reach {
			out = append(out, f)
			reach = end
		}
	}
	line, lineStart, pos := 1, 0, 0
	for i := range out {
		o := out[i].Offset
		seg := s.text[pos:o]
		if nl := strings.Count(seg, "\n"); nl > 0 {
			line += nl
			lineStart = pos + strings.LastIndexByte(seg, '\n') + 1
		}
		out[i].Line = line
		out[i].Col = utf8.RuneCountInString(s.text[lineStart:o]) + 1
		pos = o
	}
	return out
}
