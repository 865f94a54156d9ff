package content

import (
	"strings"
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

		// Numbers in Chinese numerals, as a document copied in writes them.
		{"a budget in chinese numerals", "budget_initial = 八十五点五万元", at("5:18"),
			"TOML 格式错误：“八十五点五万元” 是用汉字写的数字",
			"数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；去掉单位，改成：budget_initial = 85.5"},
		{"an amount with 万 and 零", "spent = 一万二千零五", at("5:9"),
			"TOML 格式错误：“一万二千零五” 是用汉字写的数字",
			"数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；改成：spent = 12005"},
		{"financial numerals", "budget_initial = 壹佰贰拾叁点肆", at("5:18"),
			"TOML 格式错误：“壹佰贰拾叁点肆” 是用汉字写的数字",
			"数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；改成：budget_initial = 123.4"},

		// A number in quotes, with its unit or in Chinese numerals: the
		// line as it should read.
		{"an amount in quotes with its unit", `budget = "45万元"`, at("5:1") + " budget",
			`budget（预算金额（万元）） 应为数字，这里写的是文本 "45万元"`,
			"数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；去掉单位，改成：budget = 45"},
		{"a number in quotes", `spent = "52.88"`, at("5:1") + " spent",
			`spent（实际支出（万元）） 应为数字，这里写的是文本 "52.88"`,
			"数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；改成：spent = 52.88"},
		{"an amount in 万 without 元 is not guessed", `budget = "四十五万"`, at("5:1") + " budget",
			`budget（预算金额（万元）） 应为数字，这里写的是文本 "四十五万"`,
			"数字不加引号、不带单位，例如 budget = 17 或 budget = 26.5"},
		{"an amount in yuan is not guessed", `budget = "4500元"`, at("5:1") + " budget",
			`budget（预算金额（万元）） 应为数字，这里写的是文本 "4500元"`,
			"数字不加引号、不带单位，例如 budget = 17 或 budget = 26.5"},

		// Mistakes the parser reports in English: said in Chinese.
		{"text without quotes", "goal = 道路养护", at("5:8"),
			"TOML 格式错误：等号后面的 “道路养护” 不是能识别的值",
			`文字要放在英文双引号里，例如 title = "道路养护项目"；数字、true/false 和日期不加引号`},
		{"a unit after a number", "budget_initial = 100万元", at("5:21"),
			"TOML 格式错误：值的后面多了 “万”",
			`一行只写一项“键 = 值”；数字后面不带单位（金额以万元计，写 budget = 100）；文字整个放在英文双引号里`},
		{"a key written twice", "title = \"再写一次\"", at("5:1"),
			"TOML 格式错误：“title” 写了不止一次",
			"同一项只能写一次：保留正确的一行，删掉其余的"},
		{"no equals sign", `goal "道路"`, at("5:6"),
			`TOML 格式错误：名称后面应是英文等号 =，这里是 “"”`,
			`写成“键 = 值”，例如 title = "道路养护项目"；名称里不要有空格`},
		{"a number with two points", "budget_initial = 9.5.1", at("5:18"),
			"TOML 格式错误：数字 “9.5.1” 的写法不对",
			"数字只含数字、一个小数点和开头的负号，例如 26.5；不写千分位逗号、空格或单位"},
		{"a string across lines", "goal = \"道路\n养护\"", at("5:11"),
			"TOML 格式错误：文字没有在本行结束",
			`检查英文双引号是否成对；要写多行文字，用三个英文双引号 """ 把它括起来`},
		{"a list without commas", `tags = ["民生" "教育"]`, at("5:14"),
			`TOML 格式错误：列表的写法不对：这里是 “"”`,
			`列表各项之间用英文逗号分隔，整个列表用英文方括号括起来，例如 tags = ["民生", "教育"]`},
		{"nothing after the equals sign", "goal =", at("5:7"),
			"TOML 格式错误：等号后面没有值",
			"在等号后面写上值；不填的项整行删掉"},
		{"nothing before the equals sign", "= 3", at("5:1"),
			"TOML 格式错误：等号前面缺少名称",
			"写成“键 = 值”，例如 score = 92"},
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
	_, ds := load(t, map[string]string{rec: minimal + "n = 0o9\n"})
	if len(ds) != 1 || ds[0].Hint != "检查这一行及上一行：引号、括号是否成对，文字是否加了英文双引号，等号两边是否完整" ||
		!strings.Contains(ds[0].Message, "0o9") {
		t.Fatalf("got %v", ds)
	}
}

// [[items]] written for a lower-level indicator was reported as an unknown
// field to delete, with a list of every record key.
func TestMisplacedItems(t *testing.T) {
	const top = "[[indicators]]\nname = \"项目决策\"\nmax = 20\nscore = 18\n"
	const second = "  [[indicators.items]]\n  name = \"项目立项\"\n  max = 10\n  score = 9\n"
	const item = "  [[items]]\n  name = \"立项程序规范性\"\n  max = 5\n  score = 5\n"
	tests := []struct {
		name, input, want, hint string
	}{
		{"after a first level", top + item, "9:3",
			"它在一级指标之后，是二级指标：把 [[items]] 改成 [[indicators.items]]"},
		{"after a second level", top + second + item, "13:3",
			"它在二级指标之后：是这个二级指标下的三级指标就改成 [[indicators.items.items]]，是又一个二级指标就改成 [[indicators.items]]"},
		{"after a third level", top + second + strings.ReplaceAll(second, "indicators.items", "indicators.items.items") + item, "17:3",
			"它在三级指标之后：是又一个三级指标就改成 [[indicators.items.items]]，是二级指标就改成 [[indicators.items]]"},
		{"without a first level", item, "5:3",
			"先写一级指标 [[indicators]]，它的二级指标写 [[indicators.items]]，三级指标写 [[indicators.items.items]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, map[string]string{rec: minimal + tt.input})
			var found bool
			for _, d := range ds {
				if d.Field != "items" {
					continue
				}
				found = true
				if got, want := short(d), "content/"+rec+":"+tt.want+" error items"; got != want {
					t.Errorf("at %s, want %s", got, want)
				}
				if want := "[[items]] 不是记录的字段：下级指标的段落头要从 indicators 写起"; d.Message != want {
					t.Errorf("message\n got %s\nwant %s", d.Message, want)
				}
				if d.Hint != tt.hint {
					t.Errorf("hint\n got %s\nwant %s", d.Hint, tt.hint)
				}
			}
			if !found {
				t.Fatalf("no diagnostic on items: %v", ds)
			}
		})
	}
}

// TestChineseNumber reads Chinese numerals as staff copy them from
// documents, and refuses what is not one number.
func TestChineseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"九十": "90", "十五": "15", "一百": "100", "一百零五": "105", "三千零五": "3005", "两百": "200",
		"八十五点五": "85.5", "零点五": "0.5", "二〇二三": "2023", "一万二千": "12000", "十万": "100000",
		"一亿二千万": "120000000", "三亿零五万": "300050000", "壹仟贰佰": "1200", "九十九点七五": "99.75", "一千零十": "1010",
	} {
		if got, ok := chineseNumber(in); !ok || got != want {
			t.Errorf("chineseNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "点五", "九十点", "百百", "万", "九十年代", "道路", "90", "一亿亿", "一亿一亿", "一万一万", "九九十"} {
		if got, ok := chineseNumber(in); ok {
			t.Errorf("chineseNumber(%q) = %q, want none", in, got)
		}
	}
}
