package privacy

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/content/contenttest"
	"github.com/evalpress/evalpress/internal/diag"
)

// messages returns l's diagnostics as "pos severity field message".
func messages(l *diag.List) []string {
	var out []string
	for _, d := range l.Items() {
		out = append(out, d.Pos.String()+" "+d.Severity.String()+" "+d.Field+" "+d.Message)
	}
	return out
}

// TestEveryPublishedField checks the fields the check once skipped: a
// phone number in series is published in the open data.
func TestEveryPublishedField(t *testing.T) {
	const file = "content/2023/evaluations/x.toml"
	r := &content.Record{
		File: file, Slug: "x", Title: "补贴", Department: "民政局",
		Series: "hotline-13812345678",
		Grade:  "优",
		Indicators: []*content.Indicator{{
			Key: "indicators[0]", Name: "产出",
			Items: []*content.Indicator{{Key: "indicators[0].items[0]", Name: "回访", Target: "13912345678"}},
		}},
		Pos: content.KeyPositions(map[string]diag.Pos{
			"series":                        {File: file, Line: 6, Col: 1},
			"indicators[0].items[0].target": {File: file, Line: 14, Col: 1},
		}),
	}
	var l diag.List
	CheckRecord(r, nil, &l)
	want := []string{
		file + ":6:1 error series 疑似手机号 138****5678：公开的内容不得含有个人信息",
		file + ":14:1 error indicators[0].items[0].target 疑似手机号 139****5678：公开的内容不得含有个人信息",
	}
	if got := messages(&l); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckReportFigures(t *testing.T) {
	const file = "content/2023/report.toml"
	rep := &content.Report{
		File: file, Title: "工作情况说明",
		Figures: []content.Figure{
			{Label: "咨询电话 13812345678", Value: "1"},
			{Label: "联系人", Value: "139 1234 5678", Unit: "a@b.cn"},
		},
		Pos: content.KeyPositions(map[string]diag.Pos{
			"figures[0].label": {File: file, Line: 3, Col: 1},
			"figures[1].value": {File: file, Line: 8, Col: 1},
			"figures[1].unit":  {File: file, Line: 9, Col: 1},
		}),
	}
	var l diag.List
	CheckReport(rep, nil, &l)
	want := []string{
		file + ":3:1 error figures[0].label 疑似手机号 138****5678：公开的内容不得含有个人信息",
		file + ":8:1 error figures[1].value 疑似手机号 139 **** 5678：公开的内容不得含有个人信息",
		file + ":9:1 error figures[1].unit 疑似电子邮箱 a***@b.cn：公开的内容不得含有个人信息",
	}
	if got := messages(&l); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckSite(t *testing.T) {
	var l diag.List
	c := content.Load(os.DirFS("testdata/site"), "content", &l)
	if len(l.Items()) != 0 {
		t.Fatalf("loading: %v", l.Items())
	}
	CheckSite(&c.Site, &l)
	want := []string{
		"content/site.toml:1:1 error title 疑似电子邮箱 c***@example.gov.cn：公开的内容不得含有个人信息",
		"content/site.toml:2:1 error organization 疑似手机号 138****5678：公开的内容不得含有个人信息",
		"content/site.toml:6:1 error grades.优13912345678 疑似手机号 139****5678：公开的内容不得含有个人信息",
	}
	if got := messages(&l); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, d := range l.Items() {
		if strings.Contains(d.Hint, AllowKey) {
			t.Errorf("%s: hint %q offers an acknowledgement site.toml cannot hold", d.Pos, d.Hint)
		}
	}
}

// TestNarrativeAsRead checks that the narrative is scanned as the reader
// sees it: every way of splitting a number in the source that the page
// joins again is found, and reported at its paragraph's line.
func TestNarrativeAsRead(t *testing.T) {
	const shown = " (shown)"
	tests := []struct {
		src  string
		want string // "line kind masked", "" for no finding; shown marks a finding of the page's text only
	}{
		// Format characters, in the source as in the page.
		{"电话 138\u200b1234\u200b5678", "1 手机号 138****5678"},
		{"电话 138\u00ad1234\u00ad5678", "1 手机号 138****5678"},
		{"电话 \u20601381234\u20605678", "1 手机号 138****5678"},
		{"\ufeff电话 13812345678", "1 手机号 138****5678"},
		{"电话 138&#8203;1234&#x200B;5678", "1 手机号 138****5678" + shown},
		// Markdown escapes, emphasis, code, links.
		{"标题\n\n电话 138\\-1234\\-5678。", "3 手机号 138-****-5678" + shown},
		{"电话 138**1234**5678", "1 手机号 138****5678" + shown},
		{"电话 **138**12345678", "1 手机号 138****5678" + shown},
		{"电话 138_1234_5678", ""}, // intraword _ is no emphasis: shown as written
		{"电话 _138_ 1234 5678", "1 手机号 138 **** 5678" + shown},
		{"电话 138~~~~1234~~5678", ""}, // not strikethrough: shown as written
		{"电话 138~~1234~~5678", "1 手机号 138****5678" + shown},
		{"电话 138`1234`5678", "1 手机号 138****5678" + shown},
		{"电话 138[1234](https://example.com)5678", "1 手机号 138****5678" + shown},
		{"电话 138[1234][r]5678\n\n[r]: https://example.com", "1 手机号 138****5678" + shown},
		{"# 一\n\n- 第一项\n- 电话 138\n  1234\n  5678", "4 手机号 138 **** 5678" + shown}, // the list item's line
		{"电话 138<br>1234<br>5678", "1 手机号 138 **** 5678" + shown},
		// Character references.
		{"电话 &#49;3812345678", "1 手机号 138****5678" + shown},
		{"电话 &#x31;&#x33;&#x38;12345678", "1 手机号 138****5678" + shown},
		{"邮箱 zhang&#64;example.com", "1 电子邮箱 z***@example.com" + shown},
		{"邮箱 zhang&commat;example.com", "1 电子邮箱 z***@example.com" + shown},
		{"身份证 110101\\*19900307\\*123X", ""}, // \* shows *: not a number
		// Full-width digits around the markup.
		{"电话 １３８**１２３４**５６７８", "1 手机号 138****5678" + shown},
		// Once is enough: the source's finding is not repeated.
		{"电话 **13812345678**", "1 手机号 138****5678"},
		// What the page does not join is not a finding.
		{"| 号段 | 中段 | 尾号 |\n|---|---|---|\n| 138 | 1234 | 5678 |", ""},
		{"**2023**年共**138**个项目，**1234**人受益，**5678**万元。", ""},
		{"（潜财绩[2023]1号）和 [2023]16号", ""},
		{"见[附件1](a.pdf)，`13812345678` 为示例", "1 手机号 138****5678"},
		{"<span>138</span>12345678", ""},
	}
	for _, tt := range tests {
		var l diag.List
		r := &content.Record{File: "x.toml", Slug: "x", Narrative: []byte(tt.src), NarrativeFile: "x.md"}
		CheckRecord(r, nil, &l)
		var got []string
		for _, d := range l.Items() {
			what, _, _ := strings.Cut(strings.TrimPrefix(d.Message, "疑似"), "：")
			what, note, _ := strings.Cut(what, "（")
			if note != "" {
				what += shown
			}
			got = append(got, fmt.Sprintf("%d %s", d.Line, what))
		}
		if strings.Join(got, ";") != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, strings.Join(got, ";"), tt.want)
		}
	}
}

// TestNarrativeAsReadAllowed checks that an acknowledgement covers a number
// however the source splits it.
func TestNarrativeAsReadAllowed(t *testing.T) {
	var l diag.List
	r := &content.Record{File: "x.toml", Slug: "x", Narrative: []byte("热线 138**1234**5678"), NarrativeFile: "x.md",
		Pos: content.KeyPositions(nil)}
	CheckRecord(r, []string{"138-1234-5678"}, &l)
	if items := l.Items(); len(items) != 0 {
		t.Errorf("diagnostics = %v, want none", items)
	}
}

// TestMayHide checks the fast test that spares most narratives a parse:
// whatever the table of TestNarrativeAsRead needs the page's text for, it
// must say may hide.
func TestMayHide(t *testing.T) {
	for _, src := range []string{
		"138\\-1234", "138**1234", "**138", "138_1", "a~~1", "1`2", "1<br>", "a&#49;", "&commat;", "[a](b)", "[a][b]", "[a]: b",
		"138\n1234", "138  \n> 1234", "１３８**", "8\u200b**", "**\u00ad1",
	} {
		if !mayHide([]byte(src)) {
			t.Errorf("mayHide(%q) = false", src)
		}
	}
	for _, src := range []string{
		"## 一、基本情况\n\n项目资金**到位**，共**发放**补贴。\n\n1. 项目决策\n2. 项目过程", "（潜财绩[2023]1号）", "A & B", "a|b",
	} {
		if mayHide([]byte(src)) {
			t.Errorf("mayHide(%q) = true, want false (it parses for nothing)", src)
		}
	}
}

// TestEveryListedField fills every text field of a record, a year report
// and site.toml with a mobile number, and checks that the check reports it
// in each field that content's lists say is published, under that field's
// key, and in no other: the fields are those of the lists, not a hand-picked
// few, so a field added to them is checked without a change here.
func TestEveryListedField(t *testing.T) {
	phone := func(name string, level int) string { return contenttest.Marks(name, level) + " 13812345678" }
	check := func(what string, texts []content.Text, run func(*diag.List)) {
		t.Helper()
		want := map[string]int{}
		for _, tx := range texts {
			want[tx.Key]++
		}
		var l diag.List
		run(&l)
		got := map[string]int{}
		for _, d := range l.Items() {
			if d.Severity != diag.Error || !strings.Contains(d.Message, "138****5678") {
				t.Errorf("%s: unexpected %s", what, d)
			}
			got[d.Field]++
		}
		for key, n := range want {
			if got[key] != n {
				t.Errorf("%s: %d findings in %q, want %d", what, got[key], key, n)
			}
		}
		for key, n := range got {
			if want[key] == 0 {
				t.Errorf("%s: %d findings in %q, which is not published", what, n, key)
			}
		}
		if len(texts) < 3 {
			t.Errorf("%s: %d published texts; the fill reached too few fields", what, len(texts))
		}
	}

	r := new(content.Record)
	contenttest.Fill(r, phone)
	r.Narrative = nil // scanned on its own: TestNarrativeAsRead
	check("record", r.PublishedTexts(), func(l *diag.List) { CheckRecord(r, nil, l) })

	rep := new(content.Report)
	contenttest.Fill(rep, phone)
	rep.Narrative = nil
	check("year report", rep.PublishedTexts(), func(l *diag.List) { CheckReport(rep, nil, l) })

	s := new(content.Site)
	contenttest.Fill(s, phone)
	check("site.toml", s.PublishedTexts(), func(l *diag.List) { CheckSite(s, l) })
}

// TestSecondEditionFields checks that the personal-data check covers the
// texts of the second edition of the record, at their lines.
func TestSecondEditionFields(t *testing.T) {
	const file = "content/2023/evaluations/x.toml"
	src := `title = "补贴"
department = "民政局"
year = 2023
score = 90
goal = "联系人 13812345678"
[[indicators]]
name = "产出"
max = 100
score = 90
deviation = "回访 13912345678"
[[findings]]
problem = "拨付不及时"
owner = "张三 13712345678"
result = "已整改"
`
	var l diag.List
	c := content.Load(fstestFS(map[string]string{"2023/evaluations/x.toml": src}), "content", &l)
	if len(c.Records) != 1 {
		t.Fatalf("load: %v", l.Items())
	}
	CheckRecord(c.Records[0], nil, &l)
	want := []string{
		file + ":5:1 error goal 疑似手机号 138****5678：公开的内容不得含有个人信息",
		file + ":10:1 error indicators[0].deviation 疑似手机号 139****5678：公开的内容不得含有个人信息",
		file + ":13:1 error findings[0].owner 疑似手机号 137****5678：公开的内容不得含有个人信息",
	}
	if got := messages(&l); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func fstestFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"t\"\norganization = \"o\"\nbase_url = \"https://example.gov.cn/\"\n")}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}
