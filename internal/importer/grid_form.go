package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
)

// This file reads the national 项目支出绩效自评表 (FORMS.md §1) from a Grid,
// whatever file it came from: the title, the header rows, the money block
// with its fund rows, 年度总体目标, the indicator block at three levels and
// the 总分 and 自评等级 rows.

// IsForm reports whether a grid holds a self-evaluation form: an
// indicator block's header, or the money block and 年度总体目标.
func IsForm(g *Grid) bool {
	ind, money, goal := false, false, false
	for r := range min(g.Rows(), 200) {
		for _, t := range g.RowTexts(r) {
			switch n := norm(t); {
			case n == "三级指标" || n == "二级指标":
				ind = true
			case strings.HasPrefix(n, "全年执行数") || strings.HasPrefix(n, "全年预算数"):
				money = true
			case n == "年度总体目标" || n == "总体目标":
				goal = true
			}
		}
	}
	return ind || (money && goal)
}

// Labels of the header rows: the value is the next cell to the right.
var formLabels = []header{
	{"title", []string{"项目名称", "项目", "项目全称"}},
	{"department", []string{"主管部门", "主管单位", "预算部门", "部门名称"}},
	{"evaluator", []string{"实施单位", "项目实施单位", "项目单位", "预算单位"}},
}

// The money block's columns.
var moneyCols = []header{
	{"budget_initial", []string{"年初预算数", "年初预算", "年初预算金额"}},
	{"budget", []string{"全年预算数", "全年预算", "调整后预算数", "本年预算数", "预算数", "全年预算数(A)"}},
	{"spent", []string{"全年执行数", "全年执行", "实际执行数", "执行数", "实际支出数", "全年执行数(B)"}},
	{"max", []string{"分值"}},
	{"rate", []string{"执行率", "预算执行率", "执行率(B/A)"}},
	{"score", []string{"得分"}},
}

// The indicator block's columns.
var indicatorCols = []header{
	{"l1", []string{"一级指标"}},
	{"l2", []string{"二级指标"}},
	{"l3", []string{"三级指标", "指标内容", "具体指标"}},
	{"target", []string{"年度指标值", "指标值", "年度目标值", "预期指标值", "目标值", "预期值", "年度目标"}},
	{"actual", []string{"实际完成值", "完成值", "实际值", "实际完成情况", "全年实际完成值"}},
	{"max", []string{"分值", "权重", "标准分", "指标分值"}},
	{"score", []string{"得分", "自评得分", "评分", "实际得分"}},
	{"deviation", []string{"偏差原因分析及改进措施", "偏差原因分析及改进", "偏差原因分析", "偏差原因及改进措施", "未完成原因分析", "偏差原因"}},
}

// formReader reads one grid into one Draft.
type formReader struct {
	g *Grid
	d *Draft
	r *content.Record
	// mpos and gpos hold the position of each mapping and guess, so that
	// both can be given in source order at the end, whatever order the
	// blocks were read in.
	mpos, gpos [][2]int
	// dept is where the department's name was read, {-1, -1} if nowhere.
	dept [2]int
}

// ReadForm reads a self-evaluation form from a grid (see IsForm). source
// names the file for the Draft.
func ReadForm(source string, g *Grid) *Draft {
	f := &formReader{g: g, r: &content.Record{Kind: "project"}, dept: [2]int{-1, -1}}
	f.d = &Draft{Source: source, Record: f.r}
	moneyRow, goalRow, indRow := -1, -1, -1
	for row := range g.Rows() {
		for col, t := range g.RowTexts(row) {
			if g.Merged(row, col) {
				continue
			}
			switch n := norm(t); {
			case moneyRow < 0 && (strings.HasPrefix(n, "全年执行数") || strings.HasPrefix(n, "全年预算数")):
				moneyRow = row
			case goalRow < 0 && (n == "年度总体目标" || n == "总体目标"):
				goalRow = row
			case indRow < 0 && n == "一级指标":
				indRow = row
			}
		}
	}
	f.title()
	f.labels(nextAfter(-1, moneyRow, goalRow, indRow, g.Rows()))
	f.departmentTitle()
	money := []*content.Indicator(nil)
	if moneyRow >= 0 {
		money = f.money(moneyRow, nextAfter(moneyRow, goalRow, indRow, g.Rows()))
	}
	if goalRow >= 0 {
		f.goal(goalRow, nextAfter(goalRow, moneyRow, indRow, g.Rows()))
	}
	f.r.Indicators = money
	end := g.Rows()
	if indRow >= 0 {
		end = f.indicators(indRow)
	}
	f.totals(max(end, 0))
	f.d.Unused = g.Unused()
	f.d.Mapped = inOrder(f.d.Mapped, f.mpos)
	f.d.Guesses = inOrder(f.d.Guesses, f.gpos)
	return f.d
}

// nextAfter returns the smallest of rows after row: where the block that
// starts at row ends, whatever order a form puts its blocks in.
func nextAfter(row int, rows ...int) int {
	end := -1
	for _, r := range rows {
		if r > row && (end < 0 || r < end) {
			end = r
		}
	}
	return end
}

// inOrder sorts xs by the positions pos (row, then column), keeping the
// order of equal positions.
func inOrder[T any](xs []T, pos [][2]int) []T {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(pos[a][0], pos[b][0]); c != 0 {
			return c
		}
		return cmp.Compare(pos[a][1], pos[b][1])
	})
	out := make([]T, len(xs))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// mapCell records that the cell at (row, col) became field.
func (f *formReader) mapCell(row, col int, field string) {
	f.g.Use(row, col)
	r, c := f.g.Origin(row, col)
	f.d.Mapped = append(f.d.Mapped, Mapping{Cell: f.g.Cell(row, col), Field: field})
	f.mpos = append(f.mpos, [2]int{r, c})
}

// guess records a guess about the cell at (row, col).
func (f *formReader) guess(row, col int, format string, args ...any) {
	r, c := f.g.Origin(row, col)
	f.d.Guesses = append(f.d.Guesses, Guess{Ref: f.g.Ref(row, col), Note: fmt.Sprintf(format, args...)})
	f.gpos = append(f.gpos, [2]int{r, c})
}

// label marks a cell read as a label: not a value, not lost.
func (f *formReader) label(row, col int) { f.g.Use(row, col) }

// title reads the title row: the form's year and kind.
func (f *formReader) title() {
	for row := range min(f.g.Rows(), 5) {
		for col, t := range f.g.RowTexts(row) {
			if f.g.Merged(row, col) || !strings.Contains(t, "自评表") {
				continue
			}
			f.label(row, col)
			if m := yearIn.FindStringSubmatch(t); m != nil {
				f.r.Year, _ = strconv.Atoi(m[1])
				f.mapCell(row, col, "year")
			}
			if strings.Contains(t, "部门整体") {
				f.r.Kind = "department"
				f.mapCell(row, col, "kind")
			}
			f.r.Method = "self"
			f.mapCell(row, col, "method")
			f.guess(row, col, "表名为“%s”，评价方式按单位自评（method = \"self\"）读取；如为部门评价或财政评价，请改正", t)
			return
		}
	}
}

// labels reads 项目名称, 主管部门, 实施单位 in the rows above row to.
func (f *formReader) labels(to int) {
	for row := range to {
		texts := f.g.RowTexts(row)
		for col := 0; col < len(texts); col++ {
			if f.g.Merged(row, col) {
				continue
			}
			h, syn := match(formLabels, texts[col])
			if h == nil {
				continue
			}
			// The value is the next cell to the right that is not part of
			// the label's own merged range.
			vc := col + 1
			lr, lc := f.g.Origin(row, col)
			for vc < len(texts) {
				if r, c := f.g.Origin(row, vc); r != lr || c != lc {
					break
				}
				vc++
			}
			if vc >= len(texts) || blank(texts[vc]) || f.g.Used(row, vc) {
				continue
			}
			if h2, _ := match(formLabels, texts[vc]); h2 != nil {
				continue
			}
			f.label(row, col)
			if syn {
				f.guess(row, col, "表头“%s”按“%s”读取", texts[col], h.wordings[0])
			}
			code, name := splitCode(texts[vc])
			if code != "" {
				f.guess(row, vc, "“%s”前的预算代码 %s 已去掉，只保留名称“%s”", texts[vc], code, name)
			}
			switch h.field {
			case "title":
				f.r.Title = name
			case "department":
				f.r.Department = name
				f.dept = [2]int{row, vc}
			case "evaluator":
				f.r.Evaluator = name
				f.guess(row, vc, "实施单位“%s”按评价单位（evaluator）读取；单位自评时即填表单位", name)
			}
			f.mapCell(row, vc, h.field)
			col = vc
		}
	}
}

// departmentTitle names a 部门整体支出 form, which has no 项目名称, after
// its department and year, and says so.
func (f *formReader) departmentTitle() {
	if f.r.Title != "" || f.r.Kind != "department" || f.dept[0] < 0 {
		return
	}
	year := ""
	if f.r.Year != 0 {
		year = strconv.Itoa(f.r.Year) + "年度"
	}
	f.r.Title = f.r.Department + year + "部门整体支出绩效自评"
	f.mapCell(f.dept[0], f.dept[1], "title")
	f.guess(f.dept[0], f.dept[1], "部门整体支出自评表没有项目名称，标题按部门和年度拟为“%s”，请修改", f.r.Title)
}

// moneyCells is one row of the money block as read.
type moneyCells struct {
	row                          int
	budgetInitial, budget, spent *decimal.Amount
}

// money reads the money block whose header is at row hdr, down to row end
// (exclusive), and returns the 预算执行率 indicator when the block carries
// its own 分值 and 得分.
func (f *formReader) money(hdr, end int) []*content.Indicator {
	g := f.g
	cols := f.columns(hdr, moneyCols)
	first := -1
	for _, col := range cols {
		if first < 0 || col < first {
			first = col
		}
	}
	// The block's label (项目资金（万元）) is merged down beside the rows.
	for col := 0; col < max(first, 0); col++ {
		if strings.HasPrefix(norm(g.Text(hdr, col)), "项目资金") {
			f.label(hdr, col)
		}
	}
	if first <= 0 {
		return nil
	}
	var total *moneyCells
	var funds []moneyCells
	var execMax, execScore *Cell
	var execMaxV, execScoreV decimal.D
	var execRow int
	for row := hdr + 1; row < end; row++ {
		lab := g.Text(row, first-1)
		n := norm(lab)
		if n == "" || strings.HasPrefix(n, "项目资金") {
			continue
		}
		if lr, _ := g.Origin(row, first-1); lr != row {
			continue // a label merged down from a row above
		}
		f.label(row, first-1)
		cells := moneyCells{row: row}
		read := func(field string) *decimal.Amount {
			col, ok := cols[field]
			if !ok || g.Merged(row, col) || blank(g.Text(row, col)) {
				return nil
			}
			a, ok := amountOf(g.Text(row, col))
			if !ok {
				return nil // left in Unused
			}
			return a
		}
		cells.budgetInitial, cells.budget, cells.spent = read("budget_initial"), read("budget"), read("spent")
		isTotal := strings.Contains(n, "总额") || strings.Contains(n, "合计") || strings.Contains(n, "总计") || n == "年度资金总额"
		if isTotal && total == nil {
			total = &cells
			f.setMoney(row, cols, cells, "")
			f.r.BudgetInitial, f.r.Budget, f.r.Spent = cells.budgetInitial, cells.budget, cells.spent
			if col, ok := cols["rate"]; ok && !blank(g.Text(row, col)) {
				if a, ok := rateOf(g.Text(row, col)); ok {
					f.r.ExecutionRate = a
					f.mapCell(row, col, "execution_rate")
				}
			}
			if col, ok := cols["max"]; ok {
				if d, ok := scoreOf(g.Text(row, col)); ok {
					c := g.Cell(row, col)
					execMax, execMaxV = &c, d
					g.Use(row, col)
				}
			}
			if col, ok := cols["score"]; ok {
				if d, ok := scoreOf(g.Text(row, col)); ok {
					c := g.Cell(row, col)
					execScore, execScoreV = &c, d
					g.Use(row, col)
				}
			}
			execRow = row
			continue
		}
		if cells.budgetInitial == nil && cells.budget == nil && cells.spent == nil {
			continue // a source with no amounts: nothing to record
		}
		source := strings.TrimSpace(lab)
		for _, p := range []string{"其中：", "其中:", "其中"} {
			source = strings.TrimSpace(strings.TrimPrefix(source, p))
		}
		key := "funds[" + strconv.Itoa(len(f.r.Funds)) + "]"
		f.r.Funds = append(f.r.Funds, &content.Fund{Key: key, Source: source,
			BudgetInitial: cells.budgetInitial, Budget: cells.budget, Spent: cells.spent})
		f.mapCell(row, first-1, key+".source")
		f.setMoney(row, cols, cells, key+".")
		funds = append(funds, cells)
	}
	f.blankTotals(total, funds, cols, first)
	if execMax == nil || execScore == nil {
		// Half of the pair makes no indicator: the cell is listed unused.
		for _, c := range []*Cell{execMax, execScore} {
			if c != nil {
				f.unuse(c.Ref)
			}
		}
		return nil
	}
	ind := &content.Indicator{Key: "indicators[0]", Name: "预算执行率", Max: execMaxV, Score: execScoreV}
	f.mapCell(execRow, cols["max"], "indicators[0].max")
	f.mapCell(execRow, cols["score"], "indicators[0].score")
	f.guess(execRow, cols["score"], "项目资金一栏的分值 %s、得分 %s 作为一级指标“预算执行率”读取", execMaxV, execScoreV)
	return []*content.Indicator{ind}
}

// unuse takes back a cell marked used by ref, so that it is listed unused.
func (f *formReader) unuse(ref string) {
	for k := range f.g.used {
		if f.g.Ref(k[0], k[1]) == ref {
			delete(f.g.used, k)
		}
	}
}

// setMoney maps the amount cells of a money row under prefix.
func (f *formReader) setMoney(row int, cols map[string]int, c moneyCells, prefix string) {
	for _, x := range []struct {
		field string
		a     *decimal.Amount
	}{{"budget_initial", c.budgetInitial}, {"budget", c.budget}, {"spent", c.spent}} {
		if x.a != nil {
			f.mapCell(row, cols[x.field], prefix+x.field)
		}
	}
}

// blankTotals says, column by column, where the total row is blank or zero
// while fund rows are filled. A blank total is left blank: the form states
// no total, and the importer does not write one in its name; the guess
// gives the sum for the staffer to confirm. A zero total is a stated value
// and is kept; check then reports that the rows do not add up to it.
func (f *formReader) blankTotals(total *moneyCells, funds []moneyCells, cols map[string]int, first int) {
	if len(funds) == 0 {
		return
	}
	for _, col := range []struct {
		field, name string
		get         func(moneyCells) *decimal.Amount
	}{
		{"budget_initial", "年初预算数", func(m moneyCells) *decimal.Amount { return m.budgetInitial }},
		{"budget", "全年预算数", func(m moneyCells) *decimal.Amount { return m.budget }},
		{"spent", "全年执行数", func(m moneyCells) *decimal.Amount { return m.spent }},
	} {
		var sum decimal.D
		places, given := 0, false
		for _, fr := range funds {
			if a := col.get(fr); a != nil {
				sum += a.Value
				places = max(places, a.Places)
				given = true
			}
		}
		if !given || sum == 0 {
			continue
		}
		sumText := sum.Fixed(places)
		switch {
		case total == nil:
			f.guess(funds[0].row, first-1, "表中没有资金总额一行；%s只在资金来源各行填写，合计 %s 万元，未填入 %s；请核对后在记录中写 %s = %s",
				col.name, sumText, col.field, col.field, sumText)
		case col.get(*total) == nil:
			f.guess(total.row, cols[col.field], "资金总额一行的%s空着；各资金来源合计 %s 万元，未填入 %s；请核对后在记录中写 %s = %s",
				col.name, sumText, col.field, col.field, sumText)
		case col.get(*total).Value == 0:
			f.guess(total.row, cols[col.field], "资金总额一行的%s填的是 0，而各资金来源合计 %s 万元；按表中所写保留 0，检查（check）会指出不一致，请改正",
				col.name, sumText)
		}
	}
}

// goal reads 年度总体目标: the 预期目标 and 实际完成情况 cells, each either
// below its heading or to its right.
func (f *formReader) goal(row, end int) {
	g := f.g
	for r := row; r < end && r < row+3; r++ {
		for col, t := range g.RowTexts(r) {
			if g.Merged(r, col) {
				continue
			}
			n := norm(t)
			switch n {
			case "年度总体目标", "总体目标":
				f.label(r, col)
				continue
			}
			var field string
			switch {
			case n == "预期目标" || n == "年度目标" || n == "绩效目标":
				field = "goal"
			case n == "实际完成情况" || n == "完成情况" || n == "实际完成":
				field = "outcome"
			default:
				continue
			}
			f.label(r, col)
			vr, vc, ok := f.valueNear(r, col, end)
			if !ok {
				continue
			}
			text := g.Cell(vr, vc).Text
			if field == "goal" {
				f.r.Goal = text
			} else {
				f.r.Outcome = text
			}
			f.mapCell(vr, vc, field)
		}
	}
}

// valueNear finds the value of the label at (row, col): the next cell to
// the right if it holds text that is no heading, else the first cell
// below outside the label's range.
func (f *formReader) valueNear(row, col, end int) (int, int, bool) {
	g := f.g
	lr, lc := g.Origin(row, col)
	for c := col + 1; c < g.Cols(); c++ {
		if r0, c0 := g.Origin(row, c); r0 == lr && c0 == lc {
			continue
		}
		t := norm(g.Text(row, c))
		if t != "" && t != "实际完成情况" && t != "完成情况" && !g.Used(row, c) {
			r0, c0 := g.Origin(row, c)
			return r0, c0, true
		}
		break
	}
	for r := row + 1; r < end; r++ {
		if r0, c0 := g.Origin(r, col); r0 == lr && c0 == lc {
			continue
		}
		if blank(g.Text(r, col)) {
			return 0, 0, false
		}
		r0, c0 := g.Origin(r, col)
		return r0, c0, true
	}
	return 0, 0, false
}

// indNode is an indicator as read, before the tree is numbered: the cells
// it owns are mapped once its key is known.
type indNode struct {
	ind      *content.Indicator
	row, col int    // its name cell
	origin   [2]int // the name cell's range, to tell a new 一级/二级 from one merged down
	// hasMax and hasScore say whether the form states them; nameMax is
	// true when the maximum came from the name ("产出指标（50分）").
	hasMax, hasScore, nameMax bool
	cells                     []fieldCell
	children                  []*indNode
}

// fieldCell is a cell that fills one field of an indicator.
type fieldCell struct {
	row, col int
	field    string
}

// newNode starts an indicator at its name cell.
func newNode(g *Grid, row, col int) *indNode {
	r0, c0 := g.Origin(row, col)
	name, mx, ok := nameMax(g.Text(row, col))
	return &indNode{ind: &content.Indicator{Name: name, Max: mx}, row: r0, col: c0, origin: [2]int{r0, c0}, hasMax: ok, nameMax: ok}
}

// isTotalLabel reports whether a row's first label closes the indicator
// block: 总分, 合计.
func isTotalLabel(n string) bool {
	return n == "总分" || n == "合计" || n == "总计" || n == "得分合计" || n == "自评总分" || n == "总得分"
}

// columns maps the fields of a block's header row hdr to their columns:
// the first cell, not merged from elsewhere, that reads as one of headers;
// a synonym is a guess for the staffer to check.
func (f *formReader) columns(hdr int, headers []header) map[string]int {
	cols := map[string]int{}
	for col, t := range f.g.RowTexts(hdr) {
		if f.g.Merged(hdr, col) {
			continue
		}
		h, syn := match(headers, t)
		if h == nil {
			continue
		}
		if _, dup := cols[h.field]; dup {
			continue
		}
		cols[h.field] = col
		f.label(hdr, col)
		if syn {
			f.guess(hdr, col, "表头“%s”按“%s”读取", t, h.wordings[0])
		}
	}
	return cols
}

// indicators reads the indicator block whose header is at row hdr and
// returns the first row after it.
func (f *formReader) indicators(hdr int) int {
	g := f.g
	cols := f.columns(hdr, indicatorCols)
	l1col := cols["l1"]
	// A label merged down beside the block (绩效指标) is a label.
	for col := 0; col < l1col; col++ {
		if strings.Contains(g.Text(hdr, col), "指标") {
			f.label(hdr, col)
		}
	}
	l2col, ok2 := cols["l2"]
	l3col, ok3 := cols["l3"]
	text := func(row int, field string) (string, int, bool) {
		col, ok := cols[field]
		if !ok || g.Merged(row, col) || blank(g.Text(row, col)) {
			return "", col, false
		}
		return g.Text(row, col), col, true
	}
	var l1s []*indNode
	var l1, l2 *indNode
	row := hdr + 1
	for ; row < g.Rows(); row++ {
		if isTotalLabel(norm(g.Text(row, 0))) || isTotalLabel(norm(g.Text(row, l1col))) ||
			strings.HasPrefix(norm(g.Text(row, 0)), "自评等级") {
			break
		}
		if g.Text(row, l1col) != "" {
			if r0, c0 := g.Origin(row, l1col); l1 == nil || l1.origin != [2]int{r0, c0} {
				l1 = newNode(g, row, l1col)
				l1s = append(l1s, l1)
				l2 = nil
			}
		}
		if l1 == nil {
			continue
		}
		if ok2 && g.Text(row, l2col) != "" {
			if r0, c0 := g.Origin(row, l2col); l2 == nil || l2.origin != [2]int{r0, c0} {
				l2 = newNode(g, row, l2col)
				l1.children = append(l1.children, l2)
			}
		}
		parent := l2
		if parent == nil {
			parent = l1
		}
		leaf := parent
		if ok3 {
			if _, _, ok := text(row, "l3"); ok {
				leaf = newNode(g, row, l3col)
				parent.children = append(parent.children, leaf)
			}
		}
		for _, field := range []string{"target", "actual", "deviation", "max", "score"} {
			t, col, ok := text(row, field)
			if !ok {
				continue
			}
			switch field {
			case "target":
				if leaf.ind.Target != "" {
					continue
				}
				leaf.ind.Target = t
			case "actual":
				if leaf.ind.Actual != "" {
					continue
				}
				leaf.ind.Actual = t
			case "deviation":
				if leaf.ind.Deviation != "" {
					continue
				}
				leaf.ind.Deviation = t
			case "max":
				d, ok := scoreOf(t)
				if !ok || (leaf.hasMax && !leaf.nameMax) {
					continue
				}
				if leaf.nameMax && d != leaf.ind.Max {
					f.guess(row, col, "“%s”的分值：名称写 %s 分，分值一栏写 %s 分；按分值一栏读取", leaf.ind.Name, leaf.ind.Max, d)
				}
				leaf.ind.Max, leaf.hasMax = d, true
			case "score":
				d, ok := scoreOf(t)
				if !ok || leaf.hasScore {
					continue
				}
				leaf.ind.Score, leaf.hasScore = d, true
			}
			g.Use(row, col)
			leaf.cells = append(leaf.cells, fieldCell{row, col, field})
		}
	}
	base := len(f.r.Indicators)
	for i, n1 := range l1s {
		var computed []string
		if ind := f.place(n1, "indicators["+strconv.Itoa(base+i)+"]", 1, &computed); ind != nil {
			f.r.Indicators = append(f.r.Indicators, ind)
		}
		if len(computed) > 0 {
			f.guess(n1.row, n1.col, "表中未写明以下指标的分值或得分，按其下各项之和填写：%s", strings.Join(computed, "；"))
		}
	}
	return row
}

// place numbers an indicator and its children under key, maps their
// cells, and fills a maximum or score the form leaves to its children's
// sum (said in computed). It returns nil for a heading with nothing under
// it and no score of its own (an empty 二级 row), which makes no
// indicator: its max would be 0, which a record does not allow.
func (f *formReader) place(n *indNode, key string, level int, computed *[]string) *content.Indicator {
	var items []*content.Indicator
	for _, c := range n.children {
		if ind := f.place(c, key+".items["+strconv.Itoa(len(items))+"]", level+1, computed); ind != nil {
			items = append(items, ind)
		}
	}
	if len(items) == 0 && !n.hasMax && !n.hasScore {
		what := []string{"", "一级指标", "二级指标", "三级指标"}[level]
		f.guess(n.row, n.col, "%s“%s”下没有下级指标，也没有分值和得分，未导入", what, n.ind.Name)
		return nil
	}
	n.ind.Key, n.ind.Items = key, items
	f.label(n.row, n.col)
	f.mapCell(n.row, n.col, key+".name")
	if n.nameMax {
		f.mapCell(n.row, n.col, key+".max")
	}
	for _, c := range n.cells {
		f.mapCell(c.row, c.col, key+"."+c.field)
	}
	var note []string
	if !n.hasMax && len(items) > 0 {
		var s decimal.D
		for _, it := range items {
			s += it.Max
		}
		n.ind.Max = s
		note = append(note, "分值 "+s.String())
	}
	if !n.hasScore && len(items) > 0 {
		var s decimal.D
		for _, it := range items {
			s += it.Score
		}
		n.ind.Score = s
		note = append(note, "得分 "+s.String())
	}
	if len(note) > 0 {
		*computed = append(*computed, fmt.Sprintf("“%s”%s", n.ind.Name, strings.Join(note, "、")))
	}
	return n.ind
}

// totals reads the 总分 and 自评等级 rows from row on.
func (f *formReader) totals(from int) {
	g := f.g
	for row := from; row < g.Rows(); row++ {
		texts := g.RowTexts(row)
		for col := 0; col < len(texts); col++ {
			if g.Merged(row, col) || g.Used(row, col) {
				continue
			}
			n := norm(texts[col])
			switch {
			case isTotalLabel(n):
				f.label(row, col)
				var nums []int
				for c := col + 1; c < len(texts); c++ {
					if g.Merged(row, c) || blank(texts[c]) {
						continue
					}
					if _, ok := scoreOf(texts[c]); ok {
						nums = append(nums, c)
					}
				}
				f.totalScore(row, nums)
			case strings.HasPrefix(n, "自评等级") || strings.HasPrefix(n, "评价等级") || n == "等级":
				rest := strings.TrimPrefix(strings.TrimPrefix(n, "自评等级"), "评价等级")
				rest = strings.TrimPrefix(rest, ":")
				gr, gc := row, col
				if rest == "" {
					f.label(row, col)
					for c := col + 1; c < len(texts); c++ {
						if !g.Merged(row, c) && !blank(texts[c]) {
							rest, gc = norm(texts[c]), c
							break
						}
					}
				}
				grade, long := gradeOf(rest)
				if grade == "" {
					continue
				}
				f.r.Grade = grade
				f.mapCell(gr, gc, "grade")
				if long {
					f.guess(gr, gc, "等级“%s”按“%s”读取", rest, grade)
				}
			}
		}
	}
}

// totalScore reads the numbers of the 总分 row: "总分 | 100 | 89.5" gives
// the full marks and the score; one number alone is the score. The full
// marks are no field of the record: when they equal the sum of the first-
// level maxima they are taken as read, else they stay unused and a guess
// says so.
func (f *formReader) totalScore(row int, nums []int) {
	g := f.g
	if len(nums) == 0 {
		return
	}
	sc := nums[len(nums)-1]
	d, _ := scoreOf(g.Text(row, sc))
	f.r.Score = &d
	f.mapCell(row, sc, "score")
	if len(nums) < 2 {
		return
	}
	full, _ := scoreOf(g.Text(row, nums[0]))
	var sum decimal.D
	for _, in := range f.r.Indicators {
		sum += in.Max
	}
	if full == sum {
		f.label(row, nums[0])
		return
	}
	f.guess(row, nums[0], "总分一行的分值 %s 与各一级指标分值之和 %s 不符；请核对指标的分值", full, sum)
}
