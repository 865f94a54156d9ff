package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
)

// wc is a Word table cell for tests: text, columns spanned, vertical
// merge ("restart", "continue" or "").
type wc struct {
	text string
	span int
	vm   string
}

// docx builds a minimal .docx: paragraphs (a leading "#" makes a
// Heading1 paragraph), then a table, then paragraphs.
func docx(t *testing.T, before []string, rows [][]wc, after []string) []byte {
	t.Helper()
	var b strings.Builder
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	para := func(s string) {
		if h, ok := strings.CutPrefix(s, "#"); ok {
			b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>` + esc(h) + `</w:t></w:r></w:p>`)
			return
		}
		b.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc(s) + `</w:t></w:r></w:p>`)
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS + `"><w:body>`)
	for _, p := range before {
		para(p)
	}
	b.WriteString(`<w:tbl><w:tblGrid>` + strings.Repeat(`<w:gridCol w:w="1000"/>`, 8) + `</w:tblGrid>`)
	for _, row := range rows {
		b.WriteString(`<w:tr>`)
		for _, c := range row {
			b.WriteString(`<w:tc><w:tcPr>`)
			if c.span > 1 {
				b.WriteString(`<w:gridSpan w:val="` + string(rune('0'+c.span)) + `"/>`)
			}
			switch c.vm {
			case "restart":
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				b.WriteString(`<w:vMerge/>`)
			}
			b.WriteString(`</w:tcPr><w:p>`)
			if c.text != "" {
				b.WriteString(`<w:r><w:t>` + esc(c.text) + `</w:t></w:r>`)
			}
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	for _, p := range after {
		para(p)
	}
	b.WriteString(`</w:body></w:document>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   b.String(),
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadDOCXForm(t *testing.T) {
	c := func(s string) wc { return wc{text: s} }
	cont := wc{vm: "continue"}
	rows := [][]wc{
		{{text: "项目支出绩效自评表（2023年度）", span: 8}},
		{c("项目名称"), {text: "潜江市残疾人两项补贴项目", span: 7}},
		{c("主管部门"), {text: "219-潜江市民政局", span: 3}, c("实施单位"), {text: "潜江市残疾人联合会", span: 3}},
		{{text: "项目资金（万元）", vm: "restart"}, c(""), c("年初预算数"), c("全年预算数"), c("全年执行数"), c("分值"), c("执行率"), c("得分")},
		{cont, c("年度资金总额"), c("100"), c("100"), c("89.974"), c("10"), c("89.97%"), c("8.99")},
		{cont, c("其中：本年财政拨款"), c("90"), c("90"), c("80.9741"), c(""), c(""), c("")},
		{cont, c("上年结转资金"), c("10"), c("10"), c("8.9999"), c(""), c(""), c("")},
		{{text: "年度总体目标", vm: "restart"}, {text: "预期目标", span: 4}, {text: "实际完成情况", span: 3}},
		{cont, {text: "按时足额发放补贴。", span: 4}, {text: "已按月发放。", span: 3}},
		{c("一级指标"), c("二级指标"), c("三级指标"), c("年度指标值"), c("实际完成值"), c("分值"), c("得分"), c("偏差原因分析及改进措施")},
		{{text: "产出指标（50分）", vm: "restart"}, {text: "数量指标", vm: "restart"}, c("补贴人数"), c("≥5000人"), c("5120人"), c("30"), c("27"), c("少数对象资格复核未完成")},
		{cont, cont, c("发放次数"), c("12次"), c("12次"), c("20"), c("20"), c("")},
		{{text: "效益指标（30分）", vm: "restart"}, c("社会效益指标"), c("生活改善"), c("有所改善"), c("明显改善"), c("30"), c("28"), c("")},
		{cont, c("生态效益指标"), c(""), c(""), c(""), c(""), c(""), c("")},
		{c("满意度指标（10分）"), c("服务对象满意度指标"), c("群众满意度"), c("≥90%"), c("95%"), c("10"), c("9"), c("")},
		{{text: "总分", span: 5}, c("100"), c("92.99"), c("")},
		{c("自评等级"), {text: "优", span: 7}},
	}
	data := docx(t, []string{"#一、项目基本情况", "项目覆盖全市残疾人。"}, rows, []string{"#二、存在的问题", "部分资格复核滞后。"})
	drafts, err := ReadDOCX("自评表.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 {
		t.Fatalf("%d drafts", len(drafts))
	}
	d := drafts[0]
	r := d.Record
	if r.Title != "潜江市残疾人两项补贴项目" || r.Department != "潜江市民政局" || r.Year != 2023 {
		t.Errorf("%q %q %d", r.Title, r.Department, r.Year)
	}
	if r.Spent.String() != "89.974" || r.Budget.String() != "100" || r.ExecutionRate.String() != "89.97" ||
		len(r.Funds) != 2 || r.Funds[0].Spent.String() != "80.9741" || r.Funds[1].Spent.String() != "8.9999" {
		t.Errorf("money %v %v %v %d", r.Spent, r.Budget, r.ExecutionRate, len(r.Funds))
	}
	if r.Goal != "按时足额发放补贴。" || r.Outcome != "已按月发放。" || r.Score.String() != "92.99" || r.Grade != "优" {
		t.Errorf("goal %q outcome %q score %v grade %q", r.Goal, r.Outcome, r.Score, r.Grade)
	}
	tree := indicatorTree(r.Indicators)
	want := []string{
		"indicators[0] 预算执行率 10/8.99",
		"indicators[1] 产出指标 50/47",
		"indicators[1].items[0] 数量指标 50/47",
		"indicators[1].items[0].items[0] 补贴人数 30/27 ≥5000人→5120人 偏差:少数对象资格复核未完成",
		"indicators[1].items[0].items[1] 发放次数 20/20 12次→12次",
		"indicators[2] 效益指标 30/28",
		"indicators[2].items[0] 社会效益指标 30/28",
		"indicators[2].items[0].items[0] 生活改善 30/28 有所改善→明显改善",
		"indicators[3] 满意度指标 10/9",
		"indicators[3].items[0] 服务对象满意度指标 10/9",
		"indicators[3].items[0].items[0] 群众满意度 10/9 ≥90%→95%",
	}
	if !slices.Equal(tree, want) {
		t.Errorf("indicators:\n%s", strings.Join(tree, "\n"))
	}
	mapped := mappings(d)
	for _, m := range []string{"表1 第2行第2列→title", "表1 第3行第2列→department", "表1 第5行第5列→spent",
		"表1 第6行第5列→funds[0].spent", "表1 第9行第2列→goal", "表1 第9行第6列→outcome",
		"表1 第11行第1列→indicators[1].name", "表1 第12行第3列→indicators[1].items[0].items[1].name",
		"表1 第16行第7列→score", "表1 第17行第2列→grade"} {
		if !slices.Contains(mapped, m) {
			t.Errorf("no mapping %s in\n%s", m, strings.Join(mapped, "\n"))
		}
	}
	for _, m := range mapped {
		if strings.HasPrefix(m, "表1 第12行第1列") || strings.HasPrefix(m, "表1 第12行第2列") {
			t.Errorf("a cell continuing a vertical merge was mapped: %s", m)
		}
	}
	if got := refs(d.Unused); !slices.Equal(got, []string{"表1 第14行第2列"}) {
		t.Errorf("unused %v", got)
	}
	wantMD := "## 一、项目基本情况\n\n项目覆盖全市残疾人。\n\n## 二、存在的问题\n\n部分资格复核滞后。\n"
	if string(d.Narrative) != wantMD {
		t.Errorf("narrative %q", d.Narrative)
	}
}

func TestReadDOCXRejectsOtherFiles(t *testing.T) {
	if _, err := ReadDOCX("a.docx", []byte("PK no zip")); err == nil || !strings.Contains(err.Error(), "a.docx") {
		t.Errorf("err %v", err)
	}
	data := docx(t, []string{"只有一段话"}, [][]wc{{{text: "甲"}, {text: "乙"}}}, nil)
	if _, err := ReadDOCX("b.docx", data); err == nil || !strings.Contains(err.Error(), "没有项目支出绩效自评表") {
		t.Errorf("err %v", err)
	}
}
