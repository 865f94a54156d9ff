package content

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/diag"
)

// TestControlCharacters checks that control characters, line breaks in
// single-line fields and bidi controls are errors that name the file, the
// line, the field and the character, wherever the content holds them.
func TestControlCharacters(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // short(d) + "|" + a part of its message
	}{
		{"NUL, BEL and ESC in a title", map[string]string{rec: `title = "补贴\u0000项目"` + minimal[len(`title = "t"`):]},
			[]string{"content/2023/evaluations/a.toml:1:1 error title|U+0000（NUL）"}},
		{"BEL", map[string]string{rec: `title = "补贴\u0007项目"` + minimal[len(`title = "t"`):]},
			[]string{"content/2023/evaluations/a.toml:1:1 error title|U+0007（BEL）"}},
		{"ESC, twice", map[string]string{rec: `title = "\u001b[2J补贴\u001b[0m"` + minimal[len(`title = "t"`):]},
			[]string{"content/2023/evaluations/a.toml:1:1 error title|U+001B（ESC）（第 1 个字符，共 2 处）"}},
		{"DEL and C1, escaped and raw", map[string]string{rec: minimal + "evaluator = \"x\\u007f\"\nattachment = \"附件\u0085\"\n"},
			[]string{
				"content/2023/evaluations/a.toml:5:1 error evaluator|U+007F（DEL）",
				"content/2023/evaluations/a.toml:6:1 error attachment|U+0085（C1 控制字符）",
			}},
		{"RLO in a title", map[string]string{rec: "title = \"项目\u202E补贴\"" + minimal[len(`title = "t"`):]},
			[]string{"content/2023/evaluations/a.toml:1:1 error title|U+202E（RLO）"}},
		{"bidi marks and isolates in single-line fields", map[string]string{rec: minimal +
			"tags = [\"民生\", \"\u2066x\u2069\"]\nseries = \"ab\u200f\"\n"},
			[]string{
				"content/2023/evaluations/a.toml:5:15 error tags[1]|U+2066（LRI）（第 1 个字符，共 2 处）",
				"content/2023/evaluations/a.toml:6:1 error series|U+200F（RLM）（第 3 个字符）",
				"content/2023/evaluations/a.toml:6:1 warning series|不是规范的名称", // as any series not a slug
			}},
		{"a line break and a tab in single-line fields", map[string]string{rec: "title = \"\"\"两项\n补贴\"\"\"\ndepartment = \"民政\\t局\"\nyear = 2023\nscore = 90\n"},
			[]string{
				"content/2023/evaluations/a.toml:1:1 error title|只能写一行，这里有换行符 U+000A（LF）",
				"content/2023/evaluations/a.toml:3:1 error department|只能写一行，这里有制表符 U+0009（HT）",
			}},
		{"an escape sequence in an indicator's name, target and actual", map[string]string{rec: minimal +
			"[[indicators]]\nname = \"a\\u001b[2Jb\"\nmax = 100\nscore = 90\ntarget = \"\\u001b]0;x\\u0007\"\nactual = \"ok\"\n"},
			[]string{
				"content/2023/evaluations/a.toml:6:1 error indicators[0].name|U+001B（ESC）",
				"content/2023/evaluations/a.toml:9:1 error indicators[0].target|U+001B（ESC）",
			}},
		{"a year report", map[string]string{"2023/report.toml": "title = \"工作\\u001b情况\"\n[[figures]]\nlabel = \"项目\u202e数\"\nvalue = \"448\\u0000\"\nunit = \"个\"\n" +
			"note = \"\"\"多行说明，\r\n可以换行\t对齐，也可以有 \u202B方向控制\u202C。\"\"\"\n[[figures]]\nlabel = \"x\"\nvalue = 1\nnote = \"第一行\\n第二行\\u0008\"\n"},
			[]string{
				"content/2023/report.toml:1:1 error title|U+001B（ESC）",
				"content/2023/report.toml:3:1 error figures[0].label|U+202E（RLO）",
				"content/2023/report.toml:4:1 error figures[0].value|U+0000（NUL）",
				"content/2023/report.toml:11:1 error figures[1].note|U+0008（BS）（第 2 行第 4 个字符）",
			}},
		{"site.toml", map[string]string{"site.toml": "title = \"公开\u202E网站\"\norganization = \"财政局\\u0007\"\nbase_url = \"https://x.example/\"\n[grades]\n\"优\\u001b\" = 90\n\"差\" = 0\n"},
			[]string{
				"content/site.toml:1:1 error title|U+202E（RLO）",
				"content/site.toml:2:1 error organization|U+0007（BEL）",
				"content/site.toml:5:1 error grades.优\\u001b|U+001B（ESC）",
			}},
		{"NUL, BEL, ESC and C1 in a narrative", map[string]string{rec: minimal,
			"2023/evaluations/a.md": "## 一、基本情况\r\n\r\n项目\x00资金\t到位。\n响铃\x07和 \x1b[31m红字\x1b[0m\n\u0085下一行\n孤立的\r回车\n方向 \u202E 可以\n"},
			[]string{
				"content/2023/evaluations/a.md:3:3 error|U+0000（NUL）",
				"content/2023/evaluations/a.md:4:3 error|U+0007（BEL）",
				"content/2023/evaluations/a.md:4:6 error|U+001B（ESC）",
				"content/2023/evaluations/a.md:4:13 error|U+001B（ESC）",
				"content/2023/evaluations/a.md:5:1 error|U+0085（C1 控制字符）",
				"content/2023/evaluations/a.md:6:4 error|U+000D（CR）",
			}},
		{"a year report's narrative", map[string]string{"2023/report.toml": "title = \"t\"\n", "2023/report.md": "ok\n\x1b\n"},
			[]string{"content/2023/report.md:2:1 error|U+001B（ESC）"}},
		{"what text may hold", map[string]string{rec: "title = \"两项补贴（2023）——“民生”…\"" + minimal[len(`title = "t"`):] + "evaluator = \"a\u00a0b\u00bfc\"\n",
			"2023/evaluations/a.md": "一\r\n二\t三\n\n\u00a0四\u2026\u202e五\u2066六\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, tt.files)
			var got []string
			for _, d := range ds {
				got = append(got, short(d)+" "+d.Message)
				if r, ok := raw(d.String()); ok {
					t.Errorf("%q holds a raw U+%04X", d.String(), r)
				}
				if d.Hint == "" {
					t.Errorf("%s: no hint", d)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				short, part, _ := strings.Cut(w, "|")
				if !strings.HasPrefix(got[i], short+" ") || !strings.Contains(got[i], part) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s … %s", i, got[i], short, part)
				}
			}
		})
	}
}

// raw returns the first character of s that a terminal acts on.
func raw(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 || r == 0x7F || r >= 0x80 && r <= 0x9F || bidiNames[r] != "" {
			return r, true
		}
	}
	return 0, false
}

// TestNarrativeControlLeavesRecordOut checks that a record whose narrative
// holds a control character is left out like any record with an error, and
// that its record's own problems are reported in the same run.
func TestNarrativeControlLeavesRecordOut(t *testing.T) {
	c, ds := load(t, map[string]string{
		rec:                     minimal + "scroe = 1\n",
		"2023/evaluations/a.md": "x\x1by\n",
	})
	if len(c.Records) != 0 {
		t.Errorf("the record was loaded: %+v", c.Records[0])
	}
	if len(ds) != 2 || ds[0].File != "content/2023/evaluations/a.md" || ds[1].Field != "scroe" {
		t.Errorf("diagnostics = %v, want the narrative's and the record's", ds)
	}
}

// TestManyControlCharacters checks that a binary file saved as a narrative
// gives a few errors and a count, not one per byte.
func TestManyControlCharacters(t *testing.T) {
	_, ds := load(t, map[string]string{rec: minimal, "2023/evaluations/a.md": strings.Repeat("\x00\x01", 5000)})
	if len(ds) != maxNarrativeReports+1 || !strings.Contains(ds[0].Message, "共有 10000 个控制字符") {
		t.Errorf("got %d diagnostics, first %v; want %d and a count", len(ds), ds[0], maxNarrativeReports+1)
	}
}

// TestSingleLine checks the one list of multi-line fields.
func TestSingleLine(t *testing.T) {
	for key, want := range map[string]bool{
		"title": true, "department": true, "tags[3]": true, "series": true,
		"indicators[0].items[1].name": true, "indicators[0].target": true,
		"figures[2].label": true, "grades.优": true, "organization": true,
		"figures[2].note": false, "goal": false, "outcome": false,
		"indicators[1].deviation": false, "findings[0].measure": false, "findings[0].result": false,
	} {
		if got := singleLine(key); got != want {
			t.Errorf("singleLine(%q) = %v, want %v", key, got, want)
		}
	}
}

// FuzzPlainAgrees checks the fast paths against the full checks: a text
// they call plain has no problem.
func FuzzPlainAgrees(f *testing.F) {
	for _, s := range []string{"项目\u202e", "a\x00", "\u0085", "\r\n", "\r", "\u00a0", "\u061c", "\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if isPlain(s) {
			c, lb, b := textProblems(s, true)
			if c.n+lb.n+b.n > 0 {
				t.Errorf("isPlain(%q) but %v %v %v", s, c, lb, b)
			}
		}
		if narrativePlain([]byte(s)) {
			var l diag.List
			if !checkNarrative([]byte(s), "x.md", &l) {
				t.Errorf("narrativePlain(%q) but checkNarrative reports %v", s, l.Items())
			}
		}
	})
}

// TestIsBidi checks the fast test against the table of names.
func TestIsBidi(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if isBidi(r) != (bidiNames[r] != "") {
			t.Errorf("isBidi(%U) = %v", r, isBidi(r))
		}
	}
}
