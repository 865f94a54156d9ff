package search

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/normalize.json")

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		// Full-width Latin, digits and punctuation fold to ASCII.
		{"ＰＰＰ", "ppp"},
		{"ＰＰＰ项目", "ppp项目"},
		{"１２３４５", "12345"},
		{"（一）", "(一)"},
		{"资金，", "资金,"},
		// Upper case to lower.
		{"PPP", "ppp"},
		{"Ｐpp", "ppp"},
		// Whitespace: every kind, collapsed and trimmed.
		{"  生活\u3000\u3000补贴\n\t", "生活 补贴"},
		{"a\u00a0b\u2028c\ufeffd\u0085e", "a b c d e"},
		// Chinese is unchanged; compatibility ideographs become unified.
		{"残疾人“两项补贴”", "残疾人“两项补贴”"},
		{"\uf900", "\u8c48"},
		// Context: composition across characters, final sigma.
		{"e\u0301", "\u00e9"},
		{"ΟΔΟΣ ΟΔΟΣ", "οδοσ οδοσ"},
		{"ς", "σ"},
		{"İ", "i\u0307"},
		{"ß", "ß"},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

// TestFastTable checks the fast path against the literal rules for every
// code point of the table and for random strings mixing the characters
// that interact: combining marks, jamo, sigma, full-width forms.
func TestFastTable(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		if got, ok := fastNormalize(s); ok && got != slowNormalize(s) {
			t.Errorf("fast %U = %+q, slow %+q", r, got, slowNormalize(s))
		}
	}
	alphabet := []rune("aAeEpPσΣςİ资金补贴生活 \u3000\u0301\u0308\u3099\u1100\u1161\u11a8가ＡＰ１（，。ﬁ①㎡\uf900")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]rune, 1+rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		if got, want := Normalize(s), slowNormalize(s); got != want {
			t.Fatalf("Normalize(%+q) = %+q, slow path %+q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ＰＰＰ", "e\u0301", "ΟΔΟΣ", "生活 补贴", "\u1100\u1161"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Even of invalid UTF-8, the runes the index tokenises are those
		// of the normalised string.
		if got, want := appendNormalized([]rune("前"), s), append([]rune("前"), []rune(Normalize(s))...); !slices.Equal(got, want) {
			t.Fatalf("appendNormalized(%+q) = %+q, want %+q", s, string(got), string(want))
		}
		if !utf8.ValidString(s) {
			return
		}
		n := Normalize(s)
		if n != slowNormalize(s) {
			t.Fatalf("fast and slow paths disagree on %+q", s)
		}
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 from %+q", s)
		}
		for _, tok := range Tokens(s) {
			if c := utf8.RuneCountInString(tok); c < 1 || c > 2 {
				t.Fatalf("token %+q of %+q", tok, s)
			}
		}
	})
}

// vectors are testdata/normalize.json: every code point that Normalize
// changes, and some strings, with their normal forms. The node test
// (tools/searchtest) checks search.js's normalize against the same file.
//
// Go's lower-case tables are Unicode 15's while Node 20 and Chromium have
// Unicode 17's: JavaScript also lowers the 92 capitals added since (Garay,
// Latin Extended-D additions …). Unassigned lists the ranges of code points
// that Unicode 15 leaves unassigned, where the node test accepts that
// difference: no Chinese evaluation will contain them.
type vectors struct {
	Note       string      `json:"note"`
	CodePoints [][2]any    `json:"codePoints"`
	Strings    [][2]string `json:"strings"`
	Unassigned [][2]rune   `json:"unassigned"`
}

func makeVectors() vectors {
	v := vectors{Note: "Normalize of internal/search: [code point, normal form] for every code point it changes; regenerate with go test ./internal/search -run TestNormalizeVectors -update"}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if n := Normalize(string(r)); n != string(r) {
			v.CodePoints = append(v.CodePoints, [2]any{r, n})
		}
	}
	start := rune(-1)
	for r := rune(0); r <= utf8.MaxRune+1; r++ {
		if r <= utf8.MaxRune && !assigned(r) {
			if start < 0 {
				start = r
			}
		} else if start >= 0 {
			v.Unassigned = append(v.Unassigned, [2]rune{start, r - 1})
			start = -1
		}
	}
	for _, s := range []string{"ＰＰＰ 项目", "ΟΔΟΣ ΟΔΟΣ", "ς", "e\u0301", "\u1100\u1161\u11a8", "  生活\u3000补贴\n", "İstanbul", "ǅ", "ﬀ", "Ⅻ", "㍿", "①②", "（１２３４５）"} {
		v.Strings = append(v.Strings, [2]string{s, Normalize(s)})
	}
	return v
}

// assigned reports whether r has a general category in Go's tables.
func assigned(r rune) bool {
	return !unicode.Is(unicode.Cn, r)
}

func TestNormalizeVectors(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(makeVectors()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "normalize.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run with -update", err)
	}
	if !bytes.Equal(old, buf.Bytes()) {
		t.Errorf("%s is out of date: run go test ./internal/search -run TestNormalizeVectors -update and review the diff", path)
	}
}
