package content

import "testing"

// A type error deep in the indicator tree was named only by a zero-based
// key; the message now starts with the names and 1-based counts a staffer
// finds the row by, and keeps the key in Field for searching the file.
func TestMessagesNameThePath(t *testing.T) {
	src := minimal + `
[[indicators]]
name = "项目决策"
max = 20
score = 18
  [[indicators.items]]
  name = "项目立项"
  max = 20
  score = 18
    [[indicators.items.items]]
    name = "立项依据充分性"
    max = 10
    score = 10
    [[indicators.items.items]]
    name = "立项程序规范性"
    max = 10
    score = "8分"

[[funds]]
source = "本年财政拨款"
budget = "100万"

[[findings]]
problem = "绩效目标不够细化"
deadline = 2025/6/30
`
	// The date is a syntax error, which stops the file; test it apart.
	_, ds := load(t, map[string]string{rec: src[:len(src)-len("deadline = 2025/6/30\n")] + "deadline = \"2025年6月30日\"\n"})
	want := map[string]string{
		"indicators[0].items[0].items[1].score": "第1个一级指标「项目决策」 › 第1个二级指标「项目立项」 › 第2个三级指标「立项程序规范性」的得分：",
		"funds[0].budget":                       "第1项资金「本年财政拨款」的预算金额（万元）：",
		"findings[0].deadline":                  "第1条问题「绩效目标不够细化」的整改期限：",
	}
	seen := 0
	for _, d := range ds {
		w, ok := want[d.Field]
		if !ok {
			continue
		}
		seen++
		if len(d.Message) < len(w) || d.Message[:len(w)] != w {
			t.Errorf("%s: message %q, want it to start with %q", d.Field, d.Message, w)
		}
	}
	if seen != len(want) {
		t.Errorf("got %d of the %d diagnostics: %v", seen, len(want), ds)
	}
}

func TestWhere(t *testing.T) {
	names := map[string]string{"indicators[1]": "项目过程", "indicators[1].items[0]": ""}
	nameOf := func(p string) string { return names[p] }
	tests := []struct{ key, want string }{
		{"indicators[1].items[0].score", "第2个一级指标「项目过程」 › 第1个二级指标的得分"},
		{"indicators[1]", "第2个一级指标「项目过程」"},
		{"indicators[1].items", "第2个一级指标「项目过程」的下级指标"},
		{"score", ""},
		{"review.score", ""},
		{"tags[1]", ""},
		{"documents[0].file", ""},
		{"indicators[x].score", ""},
	}
	for _, tt := range tests {
		if got := Where(tt.key, nameOf); got != tt.want {
			t.Errorf("Where(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// The loader's messages about an indicator's field start with where it
// stands (第2个一级指标「项目过程」的等级：) and then named the key again
// (indicators[1].grade（等级） 应为…). Each is checked whole, from the exact
// input that produced the repetition; a top-level field, which no prefix
// names, keeps its key.
func TestIndicatorMessagesNameTheFieldOnce(t *testing.T) {
	ind := func(lines string) string {
		return minimal + "[[indicators]]\nname = \"项目决策\"\nmax = 20\nscore = 18\n[[indicators]]\nname = \"项目过程\"\n" + lines
	}
	tests := []struct{ name, src, field, want string }{
		{"type", ind("max = 30\nscore = 26\ngrade = 1\n"), "indicators[1].grade",
			"第2个一级指标「项目过程」的等级：应为文本，这里写的是整数 1"},
		{"not a band", ind("max = 30\nscore = 26\ngrade = \"A\"\n"), "indicators[1].grade",
			`第2个一级指标「项目过程」的等级：只能是 优、良、中、差，这里写的是 "A"`},
		{"places", ind("max = 30\nscore = 26.125\n"), "indicators[1].score",
			"第2个一级指标「项目过程」的得分：最多两位小数，这里写的是 26.125"},
		{"range", ind("max = 3000\nscore = 26\n"), "indicators[1].max",
			"第2个一级指标「项目过程」的分值：超出范围：这里写的是 3000，应在 0 到 1000 之间"},
		{"nan", ind("max = nan\nscore = 26\n"), "indicators[1].max",
			"第2个一级指标「项目过程」的分值：不是有效的数（nan/inf）"},
		{"empty name", minimal + "[[indicators]]\nname = \" \"\nmax = 1\nscore = 1\n", "indicators[0].name",
			"第1个一级指标的指标名称：不能为空"},
		{"line break", ind("max = 30\nscore = 26\ntarget = \"100%\\n以上\"\n"), "indicators[1].target",
			"第2个一级指标「项目过程」的年度指标值：只能写一行，这里有换行符 U+000A（LF）（第 5 个字符）"},
		{"control", ind("max = 30\nscore = 26\ntarget = \"100\\u001b%\"\n"), "indicators[1].target",
			"第2个一级指标「项目过程」的年度指标值：其中有控制字符 U+001B（ESC）（第 4 个字符）：它会进入网页和下载的数据"},
		{"missing name", minimal + "[[indicators]]\nmax = 1\nscore = 1\n", "indicators[0].name",
			"第1个一级指标的指标名称：缺少必填字段"},
		{"fund amount", minimal + "[[funds]]\nsource = \"本年财政拨款\"\nbudget = -1\n", "funds[0].budget",
			"第1项资金「本年财政拨款」的预算金额（万元）：不能为负数，这里写的是 -1"},
		{"top level keeps its key", minimal + "budget = -1\n", "budget",
			"budget（预算金额（万元）） 不能为负数，这里写的是 -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, map[string]string{rec: tt.src})
			var got []string
			for _, d := range ds {
				if d.Field == tt.field {
					got = append(got, d.Message)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("messages at %s:\ngot  %q\nwant %q\nall: %v", tt.field, got, tt.want, ds)
			}
		})
	}
}
