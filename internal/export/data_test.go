package export

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/content/contenttest"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

func TestNestRebuildsTheTree(t *testing.T) {
	rows := []score.Row{
		{Level: 1, Name: "决策"},
		{Level: 2, Name: "立项"},
		{Level: 3, Name: "依据"},
		{Level: 3, Name: "程序"},
		{Level: 2, Name: "目标"},
		{Level: 1, Name: "产出"},
	}
	b, err := json.Marshal(nest(rows))
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"name":"决策","max":0,"score":0,"rate":0,"items":[{"name":"立项","max":0,"score":0,"rate":0,"items":[` +
		`{"name":"依据","max":0,"score":0,"rate":0},{"name":"程序","max":0,"score":0,"rate":0}]},` +
		`{"name":"目标","max":0,"score":0,"rate":0}]},{"name":"产出","max":0,"score":0,"rate":0}]`
	if string(b) != want {
		t.Errorf("nest =\n%s\nwant\n%s", b, want)
	}
}

func TestTextGuardsFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		// A spreadsheet would run these as formulas.
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+86", "'+86"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		// Plain text is left alone.
		{"", ""},
		{"残疾人补贴", "残疾人补贴"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDataPublishesTheList checks that the open data of an evaluation hold
// exactly the texts of its record and site.toml that content's field lists
// mark Data, at every level of indicators: a field added to the record, to
// the lists or to Evaluation fails here until they agree. evaluations.json
// holds every such text; the CSV files, a summary, hold no other.
func TestDataPublishesTheList(t *testing.T) {
	r := new(content.Record)
	names := contenttest.Fill(r, contenttest.Marks)
	r.Year = 2023
	var site content.Site
	maps.Copy(names, contenttest.Fill(&site, func(name string, level int) string {
		return contenttest.Marks("site "+name, level)
	}))
	evals := score.Evaluate([]*content.Record{r}, score.DefaultBands, new(diag.List))
	inJSON, inCSV := map[string]bool{}, map[string]bool{}
	for _, tx := range r.PublishedTexts() {
		if tx.In&content.Data != 0 {
			inJSON[tx.Value], inCSV[tx.Value] = true, false
		}
	}
	for _, tx := range site.PublishedTexts() {
		// The names of grades are published where an evaluation's grade
		// is one of them; the fields of the site itself always are.
		if tx.In&content.Data != 0 {
			inJSON[tx.Value], inCSV[tx.Value] = !strings.HasPrefix(tx.Key, "grades."), false
		}
	}
	b, err := JSON(site, evals)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contenttest.Compare(string(b), inJSON, names) {
		t.Errorf("evaluations.json: %s", p)
	}
	b, err = CSV(site.BaseURL, evals)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range contenttest.Compare(string(b), inCSV, names) {
		t.Errorf("evaluations.csv: %s", p)
	}
}

// loadFull evaluates the fixture record with every field of the second
// edition (testdata/full in the repository's root) on 2024-07-01, when its
// second finding is overdue.
func loadFull(t *testing.T) (content.Site, []*score.Evaluation) {
	t.Helper()
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/full"), "content", &l)
	if len(l.Items()) != 0 || len(c.Records) != 1 {
		t.Fatalf("loading the fixture: %v", l.Items())
	}
	evals := score.EvaluateAt(c.Records, score.DefaultBands, content.Date{Year: 2024, Month: 7, Day: 1}, new(diag.List))
	return c.Site, evals
}

// TestJSONSecondEdition checks the second edition's fields in
// evaluations.json: amounts as written (89.974 万元 is neither rounded nor
// padded), the official result and the other one, findings with their
// state on the build's date, the result use, the documents' addresses,
// corrections and acknowledgements.
func TestJSONSecondEdition(t *testing.T) {
	site, evals := loadFull(t)
	b, err := JSON(site, evals)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"budget":100,"spent":89.974,`,
		`"budget_initial":90,"execution_rate":89.97,"execution":89.97,"execution_computed":89.97,`,
		`"funds":[{"source":"本年财政拨款","budget_initial":90,"budget":90,"spent":80.974},{"source":"上年结转资金","budget_initial":0,"budget":10,"spent":9}]`,
		`"goal":"完成全县农村公路日常养护 320 公里，优良路率不低于 80%。","outcome":"完成日常养护 318 公里，优良路率 82%。"`,
		`"method":"self","method_name":"单位自评"`,
		// The official review drives total and grade; the self-evaluation
		// is the other result.
		`"total":86,"max":100,"rate":86,"grade":"良"`,
		`"official":"复核结果","other":{"label":"单位自评结果","by":"示例县交通运输局","total":91,"rate":91,"grade":"优"}`,
		`"review":{"by":"示例县财政局","score":86,"grade":"良","official":true}`,
		`"deviation":"两处路段因汛期封闭未能养护；下年度汛前完成。"`,
		`{"problem":"部分养护资金拨付不及时","measure":"建立按月拨付台账","owner":"示例县交通运输局","deadline":"2024-03-31","status":"done","status_name":"已整改","done":"2024-03-20","result":"已按月拨付","overdue":false}`,
		`{"problem":"养护巡查记录不完整","measure":"补齐巡查记录，纳入考核","owner":"示例县公路养护中心","deadline":"2024-06-30","status":"in-progress","status_name":"整改中","overdue":true}`,
		`"result_use":{"decision":"reduce","decision_name":"调减","next_budget":80.5,"note":"按执行情况调减下年度预算。"}`,
		`"documents":[{"file":"road-maintenance/自评表.pdf","title":"项目支出绩效自评表（盖章版）","url":"https://czj.example.gov.cn/jxgk/2023/road-maintenance/%E8%87%AA%E8%AF%84%E8%A1%A8.pdf","type":"PDF 文档"}]`,
		`"corrections":[{"date":"2024-05-10","note":"更正满意度指标得分的表述"}],"updated":"2024-05-10"`,
		`"accepts":[{"key":"indicators[1].grade","reason":"按公布文件原样公开","note":"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("evaluations.json lacks\n%s\nin\n%s", want, got)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("evaluations.json does not parse: %v", err)
	}
	again, _ := JSON(site, evals)
	if string(again) != got {
		t.Error("two encodings of the same evaluations differ")
	}
}

// TestCSVSecondEdition checks the CSV columns of the second edition: they
// follow the first edition's, so that a consumer reading those by position
// keeps working, and the amount 89.974 is written as published.
func TestCSVSecondEdition(t *testing.T) {
	site, evals := loadFull(t)
	b, err := CSV(site.BaseURL, evals)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	first := []string{"年度", "附件", "项目名称", "部门", "类型", "评价机构", "预算（万元）", "实际支出（万元）",
		"综合得分", "满分", "得分率（%）", "评价等级", "公布得分", "公布等级", "指标计算得分", "核对不一致",
		"报送人大", "公开日期", "标签", "系列", "网址"}
	if len(rows) != 2 || !slices.Equal(rows[0][:len(first)], first) {
		t.Fatalf("header = %q, want the first edition's columns first", rows[0])
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	for h, want := range map[string]string{
		"实际支出（万元）": "89.974",
		"预算（万元）":   "100",
		"综合得分":     "86",
		"评价等级":     "良",
		"执行率（%）":   "89.97",
		"年初预算（万元）": "90",
		"评价方式":     "单位自评",
		"正式结果":     "复核结果",
		"问题数":      "2",
		"已整改":      "1",
		"逾期未整改":    "1",
		"结果应用":     "调减",
	} {
		if col[h] != want {
			t.Errorf("column %s = %q, want %q", h, col[h], want)
		}
	}
}
