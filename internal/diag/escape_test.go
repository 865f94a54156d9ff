package diag

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Unchanged: Chinese, punctuation, a literal backslash.
		{"潜江市民政局（2023）", "潜江市民政局（2023）"},
		{`C:\path`, `C:\path`},
		// C0, DEL and C1.
		{"a\x1b[2Jb", `a\u001b[2Jb`},
		{"\x00NUL\x07BEL", `\u0000NUL\u0007BEL`},
		{"tab\there\nnew\rline", `tab\u0009here\u000anew\u000dline`},
		{"del\x7f", `del\u007f`},
		{"c1\u0085\u009b31m", `c1\u0085\u009b31m`},
		// Bidi controls and other format characters.
		{"标题\u202E反转", `标题\u202e反转`},
		{"\u2066x\u2069\u200e\u200f\u061c", `\u2066x\u2069\u200e\u200f\u061c`},
		{"138\u200b1234\u00ad5678\ufeff", `138\u200b1234\u00ad5678\ufeff`},
		{"tag\U000E0001", `tag\U000e0001`},
		{"sep\u2028\u2029", `sep\u2028\u2029`},
		// A byte that is not UTF-8.
		{"bad\xffbyte", `bad\xffbyte`},
	} {
		got := Escape(c.in)
		if got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := Escape(got); again != got {
			t.Errorf("Escape is not idempotent on %q: %q", got, again)
		}
	}
}

// hostile is a diagnostic whose every part quotes hostile text, as check
// would report an indicator named with an escape sequence.
var hostile = Diagnostic{
	Pos:     Pos{File: "content/2023/evaluations/\x1b]0;x\x07.toml", Line: 3, Col: 1},
	Field:   "indicators[0].name\u202e",
	Message: "指标名称 \"a\x1b[2Jb\" 与 indicators[1] 重复\x00\u0085\u202e\u2066",
	Hint:    "删除\x07\u200b",
}

// rawControl reports the first character of b that a terminal acts on.
func rawControl(b []byte) (rune, bool) {
	for _, r := range string(b) {
		if r != '\n' && needsEscape(r, utf8.RuneLen(r)) {
			return r, true
		}
	}
	return 0, false
}

func TestNoRawControlInOutput(t *testing.T) {
	for _, add := range []func(*List){
		func(l *List) { l.Add(hostile) },
		func(l *List) {
			l.Errorf(hostile.Pos, hostile.Field, hostile.Hint, "%s", hostile.Message)
		},
		func(l *List) { l.Warnf(hostile.Pos, hostile.Field, hostile.Hint, "%s", hostile.Message) },
	} {
		var l List
		add(&l)
		var text, js bytes.Buffer
		if err := l.Write(&text); err != nil {
			t.Fatal(err)
		}
		if err := l.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string][]byte{"Write": text.Bytes(), "WriteJSON": js.Bytes()} {
			if r, ok := rawControl(out); ok {
				t.Errorf("%s printed a raw U+%04X:\n%q", name, r, out)
			}
		}
		if !strings.Contains(text.String(), `"a\u001b[2Jb"`) {
			t.Errorf("Write does not show the escape sequence escaped:\n%s", text.String())
		}
		// JSON carries the visible escape, not one a consumer decodes back
		// into ESC.
		if !strings.Contains(js.String(), `a\\u001b[2Jb`) {
			t.Errorf("WriteJSON does not show the escape sequence escaped:\n%s", js.String())
		}
	}
	// A Diagnostic printed without a List is escaped too.
	if r, ok := rawControl([]byte(hostile.String() + hostile.Pos.String())); ok {
		t.Errorf("Diagnostic.String printed a raw U+%04X", r)
	}
}
