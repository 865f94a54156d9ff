package content

import (
	"testing"
)

// Each row is a mistake a staffer typing with a Chinese input method makes,
// as typed; before, all got the parser's English message and the same
// generic hint.
func TestChineseInputMistakes(t *testing.T) {
	at := func(lc string) string { return "content/" + rec + ":" + lc + " error" }
	tests := []struct {
		name, input string // input follows minimal, from line 5
		want        string // short(d)
		msg, hint   string
	}{
		// Chinese quotes as string delimiters.
		{"double chinese quotes", `title2 = “残疾人补贴”`, at("5:10"),
			"TOML 格式错误：文字两边用了中文引号 “ ”",
			`字符串要用英文双引号 "…"，用英文输入法输入；改成：title2 = "残疾人补贴"`},
		{"single chinese quotes", `goal = ‘残疾人补贴’`, at("5:8"),
			"TOML 格式错误：文字两边用了中文引号 ‘ ’",
			`字符串要用英文双引号 "…"，用英文输入法输入；改成：goal = "残疾人补贴"`},
		{"english opening, chinese closing", `goal = "残疾人补贴”`, at("5:15"),
			"TOML 格式错误：文字两边用了中文引号 \" ”",
			`字符串要用英文双引号 "…"，用英文输入法输入；改成：goal = "残疾人补贴"`},

		// Full-width punctuation in the syntax.
		{"full-width equals", `kind ＝ "x"`, at("5:6"),
			"TOML 格式错误：用了全角字符「＝」",
			`把「＝」改成英文半角 =，用英文输入法输入；这一行应为：kind = "x"`},
		{"full-width brackets", "［［indicators］］\nname = \"a\"", at("5:1"),
			"TOML 格式错误：用了全角字符「［」",
			"把「［」改成英文半角 [，用英文输入法输入；这一行应为：[[indicators]]"},
		{"full-width closing brackets", "[[indicators］］\nname = \"a\"", at("5:13"),
			"TOML 格式错误：用了全角字符「］」",
			"把「］」改成英文半角 ]，用英文输入法输入；这一行应为：[[indicators]]"},
		{"full-width comma in array", `tags = ["民生"，"教育，培训"]`, at("5:13"),
			"TOML 格式错误：用了全角字符「，」",
			`把「，」改成英文半角 ,，用英文输入法输入；这一行应为：tags = ["民生","教育，培训"]`},
		{"full-width colon", `kind："x"`, at("5:5"),
			"TOML 格式错误：用了全角字符「：」",
			`把「：」改成等号 =，TOML 不用冒号，用英文输入法输入；这一行应为：kind = "x"`},

		// Dates as Chinese documents write them.
		{"date with 年月日", "published = 2025年4月30日", at("5:17"),
			"TOML 格式错误：日期 2025年4月30日 的写法不对",
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
		{"date with slashes", "published = 2025/4/30", at("5:17"),
			"TOML 格式错误：日期 2025/4/30 的写法不对",
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
		{"date with dots", "published = 2025.4.30", at("5:13"),
			"TOML 格式错误：日期 2025.4.30 的写法不对",
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
		{"date with one-digit month", "published = 2025-4-30", at("5:13"),
			"TOML 格式错误：日期 2025-4-30 的写法不对",
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
		{"no such date", "published = 2025/2/30", at("5:17"),
			"TOML 格式错误：日期 2025/2/30 的写法不对",
			"日期写作 2025-04-30（不加引号），月和日写两位；这个日期不存在，请核对"},
		{"date in quotes", `published = "2025-04-30"`, at("5:1") + " published",
			`published（公开日期） 应为日期，这里写的是文本 "2025-04-30"`,
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
		{"chinese date in quotes", `published = "2025年4月30日"`, at("5:1") + " published",
			`published（公开日期） 应为日期，这里写的是文本 "2025年4月30日"`,
			"日期写作 2025-04-30（不加引号），改成：published = 2025-04-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, map[string]string{rec: minimal + tt.input + "\n"})
			if len(ds) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(ds), ds)
			}
			d := ds[0]
			if got := short(d); got != tt.want {
				t.Errorf("at %s, want %s", got, tt.want)
			}
			if d.Message != tt.msg {
				t.Errorf("message\n got %s\nwant %s", d.Message, tt.msg)
			}
			if d.Hint != tt.hint {
				t.Errorf("hint\n got %s\nwant %s", d.Hint, tt.hint)
			}
		})
	}
}

// A syntax error that is none of the known mistakes keeps the parser's
// message and the general hint.
func TestSyntaxHelpLeavesOtherErrors(t *testing.T) {
	_, ds := load(t, map[string]string{rec: minimal + "title2 = \"t\n"})
	if len(ds) != 1 || ds[0].Hint != "检查这一行及上一行：引号、括号是否成对，文字是否加了英文双引号，等号两边是否完整" {
		t.Fatalf("got %v", ds)
	}
}
