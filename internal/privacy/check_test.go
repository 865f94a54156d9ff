package privacy

import (
	"os"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
)

// TestDefaultContent checks that the bureau's own content, which is
// published as it is, has no finding.
func TestDefaultContent(t *testing.T) {
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/seed"), "content", &l)
	if len(c.Records) == 0 || len(c.Reports) == 0 {
		t.Fatalf("loaded %d records and %d reports; want the default content", len(c.Records), len(c.Reports))
	}
	var p diag.List
	for _, r := range c.Records {
		CheckRecord(r, nil, &p)
	}
	for _, r := range c.Reports {
		CheckReport(r, nil, &p)
	}
	for _, d := range p.Items() {
		t.Errorf("default content: %s", d)
	}
}

func record() *content.Record {
	const file = "content/2023/evaluations/x.toml"
	return &content.Record{
		File:       file,
		Slug:       "x",
		Title:      "残疾人补贴项目",
		Department: "民政局（联系电话 139-1234-5678）",
		Tags:       []string{"民生", "a@b.cn"},
		Indicators: []*content.Indicator{{
			Key:  "indicators[0]",
			Name: "项目决策",
			Items: []*content.Indicator{{
				Key: "indicators[0].items[0]", Name: "补贴发放", Actual: "卡号 " + card19,
			}},
		}},
		Narrative:     []byte("## 二、指标情况\n\n服务热线 13800001234。\n受助人 " + id + "\n"),
		NarrativeFile: "content/2023/evaluations/x.md",
		Pos: content.KeyPositions(map[string]diag.Pos{
			"department":                    {File: file, Line: 2, Col: 1},
			"tags[1]":                       {File: file, Line: 5, Col: 16},
			"indicators[0].items[0].actual": {File: file, Line: 20, Col: 1},
			AllowKey + "[0]":                {File: file, Line: 7, Col: 24},
			AllowKey + "[1]":                {File: file, Line: 7, Col: 40},
			AllowKey + "[2]":                {File: file, Line: 7, Col: 60},
		}),
	}
}

func TestCheckRecord(t *testing.T) {
	var l diag.List
	CheckRecord(record(), []string{"＋86 138-0000-1234", "13912340000", "0728-6221234"}, &l)
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.Pos.String()+" "+d.Severity.String()+" "+d.Field+" "+d.Message)
	}
	want := []string{
		"content/2023/evaluations/x.md:4:5 error  疑似身份证号 110101********" + id[14:] + "：公开的内容不得含有个人信息",
		"content/2023/evaluations/x.toml:2:1 error department 疑似手机号 139-****-5678：公开的内容不得含有个人信息",
		"content/2023/evaluations/x.toml:5:16 error tags[1] 疑似电子邮箱 a***@b.cn：公开的内容不得含有个人信息",
		"content/2023/evaluations/x.toml:7:40 warning allow_personal_data[1] allow_personal_data 中确认公开的手机号 139****0000 在公开的内容中没有出现",
		`content/2023/evaluations/x.toml:7:60 warning allow_personal_data[2] allow_personal_data 中的 "0728-6221234" 不是可识别的身份证号、手机号、银行卡号或电子邮箱`,
		"content/2023/evaluations/x.toml:20:1 error indicators[0].items[0].actual 疑似银行卡号 " + card19[:4] + "***********" + card19[15:] + "：公开的内容不得含有个人信息",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, d := range l.Items() {
		if d.Severity == diag.Error && !strings.Contains(d.Hint, "allow_personal_data = [") {
			t.Errorf("%s: hint %q does not say how to acknowledge", d.Pos, d.Hint)
		}
		if strings.Contains(d.String(), id) || strings.Contains(d.String(), card19) {
			t.Errorf("%s: message repeats the number unmasked", d)
		}
	}
}

func TestCheckRecordAllowed(t *testing.T) {
	var l diag.List
	// Every finding acknowledged, in spellings other than the text's.
	CheckRecord(record(), []string{"13912345678", "A@B.CN", split(card19, " ", 4, 4, 4, 4), "+86 13800001234", id}, &l)
	for _, d := range l.Items() {
		t.Errorf("unexpected: %s", d)
	}
}

func TestCheckReport(t *testing.T) {
	const file = "content/2023/report.toml"
	rep := &content.Report{
		File:  file,
		Title: "工作情况说明",
		Figures: []content.Figure{
			{Label: "批复项目绩效目标", Value: "448", Unit: "个"},
			{Label: "联系人", Value: "1", Note: "联系电话 13812345678"},
		},
		Narrative:     []byte("## 一、概况\n\n联系邮箱 jxb@example.gov.cn\n"),
		NarrativeFile: "content/2023/report.md",
		Pos:           content.KeyPositions(map[string]diag.Pos{"figures[1].note": {File: file, Line: 12, Col: 1}}),
	}
	var l diag.List
	CheckReport(rep, []string{"jxb@example.gov.cn"}, &l)
	items := l.Items()
	if len(items) != 1 || items[0].Pos.String() != file+":12:1" || items[0].Field != "figures[1].note" ||
		!strings.Contains(items[0].Message, "138****5678") {
		t.Errorf("CheckReport = %v, want one error at figures[1].note", items)
	}
}

// BenchmarkCheckRecord checks a record of the default content with a
// narrative of about 7 KB, the per-record cost of the build's check.
func BenchmarkCheckRecord(b *testing.B) {
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/seed"), "content", &l)
	r := *c.Records[0]
	r.Narrative = []byte(benchNarrative(b))
	b.SetBytes(int64(len(r.Narrative)))
	for b.Loop() {
		var p diag.List
		CheckRecord(&r, r.AllowPersonalData, &p)
		if len(p.Items()) != 0 {
			b.Fatal(p.Items())
		}
	}
}
