package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/xuri/excelize/v2"
)

// cellValue is what a test writes into a cell: a string, a float64 (as
// Excel stores a typed number) or a raw number (as Excel writes it, float
// noise included).
type rawNumber string

// book builds a workbook in memory: sheets of cells by A1 ref, merged
// ranges "A1:H1", and number formats by ref.
type sheetSpec struct {
	name    string
	cells   map[string]any
	merges  []string
	twoDecs []string // refs shown with the number format 0.00
	percent []string // refs shown with the number format 0.00%
}

func book(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for ref, v := range s.cells {
			var err error
			switch v := v.(type) {
			case rawNumber:
				err = f.SetCellDefault(s.name, ref, string(v))
			default:
				err = f.SetCellValue(s.name, ref, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.merges {
			a, b, _ := strings.Cut(m, ":")
			if err := f.MergeCell(s.name, a, b); err != nil {
				t.Fatal(err)
			}
		}
		if len(s.percent) > 0 {
			st, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range s.percent {
				if err := f.SetCellStyle(s.name, ref, ref, st); err != nil {
					t.Fatal(err)
				}
			}
		}
		if len(s.twoDecs) > 0 {
			st, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range s.twoDecs {
				if err := f.SetCellStyle(s.name, ref, ref, st); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nationalForm is a 项目支出绩效自评表 in the national layout, with merged
// cells, a blank total row over filled fund rows, an empty 二级 row, budget
// codes in front of names, amounts with three and four decimals (one of
// them stored with Excel's float noise and shown as 0.00), the money
// block's own 分值/得分 and a long-worded grade.
func nationalForm() sheetSpec {
	return sheetSpec{
		name: "自评表",
		cells: map[string]any{
			"A1": "项目支出绩效自评表（2022年度）",
			"A2": "项目名称", "B2": "棠溪镇农村道路养护项目",
			"A3": "主管部门", "B3": "219-池州市贵池区棠溪镇人民政府", "E3": "实施单位", "F3": "219001-池州市贵池区棠溪镇财政所",
			"A4": "项目资金（万元）", "C4": "年初预算数", "D4": "全年预算数", "E4": "全年执行数", "F4": "分值", "G4": "执行率", "H4": "得分",
			"B5": "年度资金总额", "F5": 10.0, "G5": rawNumber("0.9897"), "H5": 9.89,
			"B6": "其中：本年财政拨款", "C6": 90.0, "D6": 90.0, "E6": rawNumber("89.974000000000004"),
			"B7": "上年结转资金", "C7": 0.0, "D7": 10.0, "E7": 9.0001,
			"B8": "其他资金",
			"A9": "年度总体目标", "B9": "预期目标", "F9": "实际完成情况",
			"B10": "完成全镇农村公路日常养护 320 公里。", "F10": "完成日常养护 318 公里。",
			"A11": "一级指标", "B11": "二级指标", "C11": "三级指标", "D11": "年度指标值", "E11": "实际完成值", "F11": "分值", "G11": "得分", "H11": "偏差原因分析及改进措施",
			"A12": "产出指标（50分）", "B12": "数量指标", "C12": "养护里程", "D12": "≥320公里", "E12": "318公里", "F12": 30.0, "G12": 27.0, "H12": "两处路段汛期封闭",
			"C13": "桥梁巡查", "D13": "≥12次", "E13": "12次", "F13": 10.0, "G13": 10.0,
			"B14": "质量指标", "C14": "优良路率", "D14": "≥80%", "E14": "82%", "F14": 10.0, "G14": 9.5,
			"A15": "效益指标（30分）", "B15": "社会效益指标", "C15": "群众出行条件", "D15": "有所改善", "E15": "明显改善", "F15": 30.0, "G15": 28.47,
			"B16": "生态效益指标",
			"A17": "满意度指标（10分）", "B17": "服务对象满意度指标", "C17": "群众满意度", "D17": "≥90%", "E17": "95%", "F17": 10.0, "G17": 9.0,
			"A18": "总分", "F18": 100.0, "G18": 93.86,
			"A19": "自评等级", "B19": "优秀",
			"A20": "填报人：张三",
		},
		merges: []string{"A1:H1", "B2:H2", "B3:D3", "F3:H3", "A4:A8", "A9:A10", "B9:E9", "F9:H9", "B10:E10", "F10:H10",
			"A12:A14", "B12:B13", "A15:A16", "A18:E18", "B19:H19"},
		twoDecs: []string{"E6"},
		percent: []string{"G5"}, // Excel keeps 98.97% as 0.9897
	}
}

func TestReadXLSXNationalForm(t *testing.T) {
	drafts, err := ReadXLSX("棠溪镇.xlsx", book(t, nationalForm()))
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 {
		t.Fatalf("got %d drafts, want 1", len(drafts))
	}
	d := drafts[0]
	r := d.Record
	if r.Title != "棠溪镇农村道路养护项目" || r.Department != "池州市贵池区棠溪镇人民政府" || r.Evaluator != "池州市贵池区棠溪镇财政所" {
		t.Errorf("title %q, department %q, evaluator %q", r.Title, r.Department, r.Evaluator)
	}
	if r.Year != 2022 || r.Method != "self" || r.Kind != "project" {
		t.Errorf("year %d, method %q, kind %q", r.Year, r.Method, r.Kind)
	}
	// The total row is blank: no total is invented.
	if r.Budget != nil || r.Spent != nil || r.BudgetInitial != nil {
		t.Errorf("blank total row gave budget %v, spent %v, initial %v", r.Budget, r.Spent, r.BudgetInitial)
	}
	if r.ExecutionRate == nil || r.ExecutionRate.String() != "98.97" {
		t.Errorf("execution rate %v", r.ExecutionRate)
	}
	if len(r.Funds) != 2 {
		t.Fatalf("funds %d, want 2 (其他资金 has no amounts)", len(r.Funds))
	}
	f0, f1 := r.Funds[0], r.Funds[1]
	if f0.Source != "本年财政拨款" || f0.BudgetInitial.String() != "90" || f0.Budget.String() != "90" || f0.Spent.String() != "89.974" {
		t.Errorf("fund 0: %q %v %v %v", f0.Source, f0.BudgetInitial, f0.Budget, f0.Spent)
	}
	if f1.Source != "上年结转资金" || f1.BudgetInitial.String() != "0" || f1.Budget.String() != "10" || f1.Spent.String() != "9.0001" {
		t.Errorf("fund 1: %q %v %v %v", f1.Source, f1.BudgetInitial, f1.Budget, f1.Spent)
	}
	if r.Goal != "完成全镇农村公路日常养护 320 公里。" || r.Outcome != "完成日常养护 318 公里。" {
		t.Errorf("goal %q, outcome %q", r.Goal, r.Outcome)
	}
	if r.Score == nil || r.Score.String() != "93.86" || r.Grade != "优" {
		t.Errorf("score %v, grade %q", r.Score, r.Grade)
	}
	got := indicatorTree(r.Indicators)
	want := []string{
		"indicators[0] 预算执行率 10/9.89",
		"indicators[1] 产出指标 50/46.5",
		"indicators[1].items[0] 数量指标 40/37",
		"indicators[1].items[0].items[0] 养护里程 30/27 ≥320公里→318公里 偏差:两处路段汛期封闭",
		"indicators[1].items[0].items[1] 桥梁巡查 10/10 ≥12次→12次",
		"indicators[1].items[1] 质量指标 10/9.5",
		"indicators[1].items[1].items[0] 优良路率 10/9.5 ≥80%→82%",
		"indicators[2] 效益指标 30/28.47",
		"indicators[2].items[0] 社会效益指标 30/28.47",
		"indicators[2].items[0].items[0] 群众出行条件 30/28.47 有所改善→明显改善",
		"indicators[3] 满意度指标 10/9",
		"indicators[3].items[0] 服务对象满意度指标 10/9",
		"indicators[3].items[0].items[0] 群众满意度 10/9 ≥90%→95%",
	}
	if !slices.Equal(got, want) {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	mapped := mappings(d)
	for _, m := range []string{
		"自评表!A1→year", "自评表!A1→method",
		"自评表!B2→title", "自评表!B3→department", "自评表!F3→evaluator",
		"自评表!G5→execution_rate", // read as shown, 98.97%
		"自评表!B6→funds[0].source", "自评表!C6→funds[0].budget_initial", "自评表!D6→funds[0].budget", "自评表!E6→funds[0].spent",
		"自评表!B7→funds[1].source", "自评表!E7→funds[1].spent",
		"自评表!F5→indicators[0].max", "自评表!H5→indicators[0].score",
		"自评表!B10→goal", "自评表!F10→outcome",
		"自评表!A12→indicators[1].name", "自评表!A12→indicators[1].max",
		"自评表!B12→indicators[1].items[0].name",
		"自评表!C13→indicators[1].items[0].items[1].name",
		"自评表!G13→indicators[1].items[0].items[1].score",
		"自评表!H12→indicators[1].items[0].items[0].deviation",
		"自评表!G15→indicators[2].items[0].items[0].score",
		"自评表!G18→score", "自评表!B19→grade",
	} {
		if !slices.Contains(mapped, m) {
			t.Errorf("mapping %s missing; have:\n%s", m, strings.Join(mapped, "\n"))
		}
	}
	// The report shows a float cell as Excel does, without binary noise.
	for _, m := range d.Mapped {
		if m.Ref == "自评表!E6" && m.Text != "89.974" {
			t.Errorf("E6 reported as %q", m.Text)
		}
	}
	// In source order: row by row.
	last := 0
	for _, m := range d.Mapped {
		_, row, err := excelize.CellNameToCoordinates(strings.TrimPrefix(m.Ref, "自评表!"))
		if err != nil || row < last {
			t.Errorf("mapping %s out of source order (err %v)", m.Ref, err)
		}
		last = row
	}
	// A merged range is mapped once, at its top-left cell.
	for _, m := range mapped {
		if strings.HasPrefix(m, "自评表!A13→") || strings.HasPrefix(m, "自评表!B13→") {
			t.Errorf("covered cell mapped: %s", m)
		}
	}
	// The empty 二级 row is no indicator and is listed unused; so is the
	// signature line. Labels the reader knows are neither.
	unused := refs(d.Unused)
	if !slices.Equal(unused, []string{"自评表!B16", "自评表!A20"}) {
		t.Errorf("unused %v", unused)
	}
	notes := guessNotes(d)
	for _, want := range []string{
		"“219-池州市贵池区棠溪镇人民政府”前的预算代码 219 已去掉",
		"资金总额一行的全年执行数空着；各资金来源合计 98.9741 万元，未填入 spent",
		"资金总额一行的全年预算数空着；各资金来源合计 100 万元",
		"二级指标“生态效益指标”下没有下级指标",
		"等级“优秀”按“优”读取",
		"“数量指标”分值 40、得分 37",
		"一级指标“预算执行率”",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("no guess %q in:\n%s", want, notes)
		}
	}
}

// TestImportedFormChecks runs package score's checks on the imported
// record once the staffer writes the totals the guesses give: the scores
// add up at every level and the fund rows to the totals.
func TestImportedFormChecks(t *testing.T) {
	drafts, err := ReadXLSX("棠溪镇.xlsx", book(t, nationalForm()))
	if err != nil {
		t.Fatal(err)
	}
	r := drafts[0].Record
	r.File = "content/2022/evaluations/x.toml"
	for _, s := range []string{"90", "100", "98.9741"} {
		if !strings.Contains(guessNotes(drafts[0]), "= "+s) {
			t.Fatalf("no guess gives %s", s)
		}
	}
	r.BudgetInitial, r.Budget, r.Spent = amount(t, "90"), amount(t, "100"), amount(t, "98.9741")
	var l diag.List
	evs := score.Evaluate([]*content.Record{r}, score.DefaultBands, &l)
	for _, it := range l.Items() {
		t.Errorf("check: %s", it)
	}
	if len(evs) != 1 || evs[0].Total.String() != "93.86" {
		t.Errorf("evaluation %+v", evs)
	}
}

func TestFloatNoiseAndNumberFormat(t *testing.T) {
	s := sheetSpec{name: "Sheet1", cells: map[string]any{
		"A1": "项目名称", "B1": "测试项目",
		"A2": "项目资金", "C2": "年初预算数", "D2": "调整后预算数", "E2": "全年执行数", "F2": "执行率",
		"B3": "年度资金总额", "C3": 1234.5678, "D3": rawNumber("1234.5678000000001"), "E3": rawNumber("89.974000000000004"), "F3": 0.0,
		"A4": "年度总体目标", "B4": "预期目标", "C4": "x",
		"A5": "一级指标", "B5": "二级指标", "C5": "三级指标", "D5": "指标值", "E5": "完成值", "F5": "分值", "G5": "得分",
		"A6": "产出指标", "B6": "数量指标", "C6": "a", "F6": 100.0, "G6": 89.974,
		"A7": "合计", "G7": 89.974,
	}, twoDecs: []string{"C3", "D3", "E3", "G6"}}
	drafts, err := ReadXLSX("x.xlsx", book(t, s))
	if err != nil {
		t.Fatal(err)
	}
	r := drafts[0].Record
	if r.BudgetInitial.String() != "1234.5678" || r.Budget.String() != "1234.5678" || r.Spent.String() != "89.974" {
		t.Errorf("amounts %v %v %v", r.BudgetInitial, r.Budget, r.Spent)
	}
	if r.ExecutionRate == nil || r.ExecutionRate.String() != "0" {
		t.Errorf("a stated 0 rate is kept: %v", r.ExecutionRate)
	}
	if len(r.Indicators) != 1 || r.Indicators[0].Score.String() != "89.974" || r.Score.String() != "89.974" {
		t.Errorf("indicators %v score %v", indicatorTree(r.Indicators), r.Score)
	}
	// The first level has no (分) in its name: its max is the sum, said.
	notes := guessNotes(drafts[0])
	for _, w := range []string{"表头“调整后预算数”按“全年预算数”读取", "表头“指标值”按“年度指标值”读取", "表头“完成值”按“实际完成值”读取", "“产出指标”分值 100"} {
		if !strings.Contains(notes, w) {
			t.Errorf("no guess %q in\n%s", w, notes)
		}
	}
}

func TestZeroTotalRowIsKept(t *testing.T) {
	s := sheetSpec{name: "Sheet1", cells: map[string]any{
		"A1": "项目名称", "B1": "测试项目",
		"A2": "项目资金", "C2": "年初预算数", "D2": "全年预算数", "E2": "全年执行数",
		"B3": "年度资金总额", "C3": 0.0, "D3": 0.0, "E3": 0.0,
		"B4": "财政拨款", "C4": 12.5, "D4": 12.5, "E4": 12.25,
		"A5": "年度总体目标", "B5": "预期目标", "C5": "x",
		"A6": "一级指标", "B6": "二级指标", "C6": "三级指标", "F6": "分值", "G6": "得分",
		"A7": "产出指标（100分）", "B7": "数量指标", "C7": "a", "F7": 100.0, "G7": 90.0,
	}}
	drafts, err := ReadXLSX("x.xlsx", book(t, s))
	if err != nil {
		t.Fatal(err)
	}
	r := drafts[0].Record
	if r.Spent == nil || r.Spent.String() != "0" || r.Budget.String() != "0" {
		t.Errorf("a zero total is a stated value: %v %v", r.Budget, r.Spent)
	}
	if !strings.Contains(guessNotes(drafts[0]), "全年执行数填的是 0，而各资金来源合计 12.25 万元") {
		t.Errorf("guesses: %s", guessNotes(drafts[0]))
	}
	var l diag.List
	r.File = "x.toml"
	score.Evaluate([]*content.Record{r}, score.DefaultBands, &l)
	found := false
	for _, it := range l.Items() {
		found = found || strings.Contains(it.String(), "funds")
	}
	if !found {
		t.Errorf("check does not report the zero total: %v", l.Items())
	}
}

func TestReadXLSXRejectsOtherFiles(t *testing.T) {
	if _, err := ReadXLSX("a.xlsx", []byte("not a zip")); err == nil || !strings.Contains(err.Error(), "a.xlsx") {
		t.Errorf("err %v", err)
	}
	b := book(t, sheetSpec{name: "Sheet1", cells: map[string]any{"A1": "随便写的"}})
	if _, err := ReadXLSX("b.xlsx", b); err == nil || !strings.Contains(err.Error(), "既不是项目支出绩效自评表") {
		t.Errorf("err %v", err)
	}
}

func amount(t testing.TB, s string) *decimal.Amount {
	t.Helper()
	a, ok := amountOf(s)
	if !ok {
		t.Fatalf("amount %q", s)
	}
	return a
}

func indicatorTree(ins []*content.Indicator) []string {
	var out []string
	var walk func([]*content.Indicator)
	walk = func(ins []*content.Indicator) {
		for _, in := range ins {
			s := in.Key + " " + in.Name + " " + in.Max.String() + "/" + in.Score.String()
			if in.Target != "" || in.Actual != "" {
				s += " " + in.Target + "→" + in.Actual
			}
			if in.Deviation != "" {
				s += " 偏差:" + in.Deviation
			}
			out = append(out, s)
			walk(in.Items)
		}
	}
	walk(ins)
	return out
}

func mappings(d *Draft) []string {
	var out []string
	for _, m := range d.Mapped {
		out = append(out, m.Ref+"→"+m.Field)
	}
	return out
}

func refs(cs []Cell) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Ref)
	}
	return out
}

func guessNotes(d *Draft) string {
	var b strings.Builder
	for _, g := range d.Guesses {
		b.WriteString(g.Ref + " " + g.Note + "\n")
	}
	return b.String()
}

// TestDepartmentForm: a 部门整体支出 form has no 项目名称 and no 实施单位;
// its first levels are 部门决策 … and its title is made from the
// department and the year, said in a guess.
func TestDepartmentForm(t *testing.T) {
	s := sheetSpec{name: "Sheet1", cells: map[string]any{
		"A1": "部门整体支出绩效自评表（2023年度）",
		"A2": "部门名称", "B2": "219-潜江市民政局",
		"A3": "一级指标", "B3": "二级指标", "C3": "三级指标", "D3": "分值", "E3": "得分",
		"A4": "部门决策（20分）", "B4": "目标设定", "C4": "绩效目标合理性", "D4": 20.0, "E4": 18.0,
		"A5": "部门产出（80分）", "B5": "数量", "C5": "重点工作完成率", "D5": 80.0, "E5": 75.5,
		"A6": "总分", "D6": 100.0, "E6": 93.5,
	}}
	drafts, err := ReadXLSX("部门.xlsx", book(t, s))
	if err != nil {
		t.Fatal(err)
	}
	r := drafts[0].Record
	if r.Kind != "department" || r.Department != "潜江市民政局" || r.Title != "潜江市民政局2023年度部门整体支出绩效自评" || r.Score.String() != "93.5" {
		t.Errorf("%q %q %q %v", r.Kind, r.Department, r.Title, r.Score)
	}
	notes := guessNotes(drafts[0])
	for _, w := range []string{"表头“部门名称”按“主管部门”读取", "标题按部门和年度拟为"} {
		if !strings.Contains(notes, w) {
			t.Errorf("no guess %q in\n%s", w, notes)
		}
	}
	if m := mappings(drafts[0]); !slices.Contains(m, "Sheet1!A1→kind") || !slices.Contains(m, "Sheet1!B2→title") {
		t.Errorf("mapped %v", m)
	}
	if len(drafts[0].Unused) != 0 {
		t.Errorf("unused %v", drafts[0].Unused)
	}
}

// TestBlocksInAnotherOrder: a form that puts 年度总体目标 above the money
// block is read the same; each block ends where the next one begins.
func TestBlocksInAnotherOrder(t *testing.T) {
	s := sheetSpec{name: "Sheet1", cells: map[string]any{
		"A1": "项目名称", "B1": "测试项目",
		"A2": "年度总体目标", "B2": "预期目标", "C2": "目标甲", "D2": "实际完成情况", "E2": "完成甲",
		"A3": "项目资金", "C3": "年初预算数", "D3": "全年预算数", "E3": "全年执行数",
		"B4": "年度资金总额", "C4": 10.0, "D4": 10.0, "E4": 9.5,
		"B5": "本年财政拨款", "C5": 10.0, "D5": 10.0, "E5": 9.5,
		"A6": "一级指标", "B6": "二级指标", "C6": "三级指标", "F6": "分值", "G6": "得分",
		"A7": "产出指标（100分）", "B7": "数量指标", "C7": "a", "F7": 100.0, "G7": 90.0,
	}}
	drafts, err := ReadXLSX("x.xlsx", book(t, s))
	if err != nil {
		t.Fatal(err)
	}
	d := drafts[0]
	r := d.Record
	if r.Goal != "目标甲" || r.Outcome != "完成甲" || r.Spent.String() != "9.5" || len(r.Funds) != 1 || r.Funds[0].Source != "本年财政拨款" {
		t.Errorf("goal %q outcome %q spent %v funds %d", r.Goal, r.Outcome, r.Spent, len(r.Funds))
	}
	if len(d.Unused) != 0 {
		t.Errorf("unused %v", d.Unused)
	}
}
