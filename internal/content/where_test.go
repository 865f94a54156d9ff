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
