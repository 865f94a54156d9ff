package export

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// Column describes one column of a CSV file of the open data. The writer
// takes its header from it and the 数据说明 page its meaning and unit, so
// that the data dictionary cannot drift from the files.
type Column struct {
	// Header is the column's name in the file's header row, in Chinese
	// for the people who open the file in Excel.
	Header string
	// Field is the matching field of evaluations.json ("budget",
	// "findings[].deadline"), "" when the column has none.
	Field string
	// Meaning says in Chinese what the column holds.
	Meaning string
	// Unit is 万元, %, 分, 条, 日期（YYYY-MM-DD）, or "" for text and codes.
	Unit string
	// Text is true for free text written by the bureau: the writer guards
	// such a cell against running as a spreadsheet formula. Numbers,
	// dates and codes are written as they are, so that a program reads
	// 89.974, not '89.974.
	Text bool
}

// bom makes Excel read a CSV file as UTF-8; without it Chinese is garbled.
const bom = "\ufeff"

// Units of the columns, as the data dictionary names them.
const (
	unitWan   = "万元"
	unitPct   = "%"
	unitScore = "分"
	unitCount = "条"
	unitDate  = "日期（YYYY-MM-DD）"
)

// Table describes one CSV file of the open data: its name under data/,
// what it is called, what one row is, and its columns in file order.
type Table struct {
	File    string
	Title   string
	Row     string
	Columns []Column
}

// column is a Column with the function that gives its cell for a row.
type column[T any] struct {
	Column
	value func(T) string
}

// table is a CSV file's columns with their values: the one CSV writer of
// the package, so that every file has the same byte order mark, header,
// quoting, CRLF line ends and formula guard.
type table[T any] struct {
	Table
	cols []column[T]
	// head is the byte order mark and the header row.
	head string
}

func newTable[T any](file, title, row string, cols []column[T]) *table[T] {
	t := &table[T]{Table: Table{File: file, Title: title, Row: row}, cols: cols}
	header := make([]string, len(cols))
	for i, c := range cols {
		t.Columns = append(t.Columns, c.Column)
		header[i] = c.Header
	}
	var b bytes.Buffer
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(header)
	w.Flush()
	t.head = b.String()
	return t
}

// headers returns the header row.
func (t *table[T]) headers() []string {
	h := make([]string, len(t.cols))
	for i, c := range t.cols {
		h[i] = c.Header
	}
	return h
}

// rows is a writer of rows of t, without the header.
type rows[T any] struct {
	t    *table[T]
	w    *csv.Writer
	cell []string
}

func (t *table[T]) writer(b io.Writer) *rows[T] {
	w := csv.NewWriter(b)
	w.UseCRLF = true
	return &rows[T]{t: t, w: w, cell: make([]string, len(t.cols))}
}

// write writes one row.
func (r *rows[T]) write(x T) error {
	for i, c := range r.t.cols {
		v := c.value(x)
		if c.Text {
			v = text(v)
		}
		r.cell[i] = v
	}
	return r.w.Write(r.cell)
}

// flush writes out what is buffered and returns the first error.
func (r *rows[T]) flush() error {
	r.w.Flush()
	return r.w.Error()
}

// Formatting of cells, shared by the tables.

func optD(d *decimal.D) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func amount(a *decimal.Amount) string {
	if a == nil {
		return ""
	}
	return a.String()
}

func date(d *content.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// ID returns an evaluation's stable identifier in the open data, its year
// and slug ("2023/disability-subsidies"): unique on a site, since the slug
// is unique within a year folder, and unchanged as long as the record
// keeps its file name. Every file of the open data carries it, so that
// the files join on it. It is the page's path (Record.Path, the one rule
// for it) without its final slash.
func ID(e *score.Evaluation) string { return strings.TrimSuffix(e.Path(), "/") }

// idColumn is the first column of the tables of indicators, findings and
// funds.
func idColumn[T any](id func(T) string) column[T] {
	return column[T]{Column{Header: "评价编号", Field: "id", Meaning: "所属评价的编号：年度/记录文件名，如 2023/disability-subsidies；与 evaluations.csv 的“评价编号”对应"}, id}
}

// evalRow is one row of evaluations.csv.
type evalRow struct {
	base string
	e    *score.Evaluation
}

// evaluations is the table of evaluations.csv and the yearly files.
var evaluations = newTable("evaluations.csv", "评价结果表", "一项评价", []column[evalRow]{
	{Column{Header: "年度", Field: "year", Meaning: "评价的预算年度"}, func(r evalRow) string { return strconv.Itoa(r.e.Year) }},
	{Column{Header: "附件", Field: "attachment", Meaning: "在财政部门报告中的附件编号，如“附件1”", Text: true}, func(r evalRow) string { return r.e.Attachment }},
	{Column{Header: "项目名称", Field: "title", Meaning: "评价的项目、部门或政策名称", Text: true}, func(r evalRow) string { return r.e.Title }},
	{Column{Header: "部门", Field: "department", Meaning: "项目所属部门（单位）", Text: true}, func(r evalRow) string { return r.e.Department }},
	{Column{Header: "类型", Field: "kind_name", Meaning: "评价类型：项目支出、部门整体支出、政策、财政运行综合"}, func(r evalRow) string { return content.Kinds[r.e.Kind] }},
	{Column{Header: "评价机构", Field: "evaluator", Meaning: "实施评价的机构", Text: true}, func(r evalRow) string { return r.e.Evaluator }},
	{Column{Header: "预算（万元）", Field: "budget", Meaning: "全年预算数，按公布的小数位", Unit: unitWan}, func(r evalRow) string { return amount(r.e.Budget) }},
	{Column{Header: "实际支出（万元）", Field: "spent", Meaning: "全年执行数，按公布的小数位", Unit: unitWan}, func(r evalRow) string { return amount(r.e.Spent) }},
	{Column{Header: "综合得分", Field: "total", Meaning: "正式结果的综合得分；只公布等级的评价为空", Unit: unitScore}, func(r evalRow) string {
		if !r.e.HasTotal {
			return ""
		}
		return r.e.Total.String()
	}},
	{Column{Header: "满分", Field: "max", Meaning: "满分：各一级指标分值之和，没有指标时为 100", Unit: unitScore}, func(r evalRow) string { return r.e.Max.String() }},
	{Column{Header: "得分率（%）", Field: "rate", Meaning: "综合得分 ÷ 满分 × 100，保留两位小数", Unit: unitPct}, func(r evalRow) string {
		if !r.e.HasTotal {
			return ""
		}
		return r.e.Rate.String()
	}},
	{Column{Header: "评价等级", Field: "grade", Meaning: "正式结果的评价等级（优、良、中、差）"}, func(r evalRow) string { return r.e.GradeShown }},
	{Column{Header: "公布得分", Field: "stated.score", Meaning: "记录公布的综合得分", Unit: unitScore}, func(r evalRow) string { return optD(r.e.Score) }},
	{Column{Header: "公布等级", Field: "stated.grade", Meaning: "记录公布的评价等级"}, func(r evalRow) string { return r.e.Grade }},
	{Column{Header: "指标计算得分", Field: "computed.total", Meaning: "各一级指标得分之和；没有指标时为空", Unit: unitScore}, func(r evalRow) string {
		if !r.e.HasIndicators() {
			return ""
		}
		return r.e.Computed.String()
	}},
	{Column{Header: "核对不一致", Field: "mismatch", Meaning: "公布的得分或等级与计算结果不一致时为“是”，否则为“否”"}, func(r evalRow) string { return yes(r.e.Mismatch()) }},
	{Column{Header: "报送人大", Field: "congress", Meaning: "报送人民代表大会参阅时为“是”，否则为“否”"}, func(r evalRow) string { return yes(r.e.Congress) }},
	{Column{Header: "公开日期", Field: "published", Meaning: "评价结果的公开日期", Unit: unitDate}, func(r evalRow) string { return date(r.e.Published) }},
	{Column{Header: "标签", Field: "tags", Meaning: "记录的标签，多个以“；”分隔", Text: true}, func(r evalRow) string { return strings.Join(r.e.Tags, "；") }},
	{Column{Header: "系列", Field: "series", Meaning: "系列标识：同一项目在不同年度的评价相同", Text: true}, func(r evalRow) string { return r.e.Series }},
	{Column{Header: "网址", Field: "url", Meaning: "评价页面的网址"}, func(r evalRow) string { return r.base + r.e.Path() }},
	// The second edition's columns follow, so that a consumer reading
	// the first ones by position keeps working.
	{Column{Header: "执行率（%）", Field: "execution", Meaning: "预算执行率：公布的执行率，未公布时为全年执行数 ÷ 全年预算数 × 100（两位小数）", Unit: unitPct}, func(r evalRow) string { return r.e.Execution }},
	{Column{Header: "年初预算（万元）", Field: "budget_initial", Meaning: "年初预算数，按公布的小数位", Unit: unitWan}, func(r evalRow) string { return amount(r.e.BudgetInitial) }},
	{Column{Header: "评价方式", Field: "method_name", Meaning: "单位自评、部门评价、财政评价或第三方评价"}, func(r evalRow) string { return r.e.MethodName() }},
	{Column{Header: "正式结果", Field: "official", Meaning: "综合得分和等级取自哪一结果：复核结果，或记录本身的评价结果（如“单位自评结果”）"}, func(r evalRow) string { return r.e.Official }},
	{Column{Header: "问题数", Meaning: "发现问题的条数；没有时为 0", Unit: unitCount}, func(r evalRow) string {
		n, _, _ := r.e.FindingCounts()
		return strconv.Itoa(n)
	}},
	{Column{Header: "已整改", Meaning: "已整改的问题条数", Unit: unitCount}, func(r evalRow) string {
		_, done, _ := r.e.FindingCounts()
		return strconv.Itoa(done)
	}},
	{Column{Header: "逾期未整改", Meaning: "生成网站当日已过整改期限而未整改的问题条数", Unit: unitCount}, func(r evalRow) string {
		_, _, overdue := r.e.FindingCounts()
		return strconv.Itoa(overdue)
	}},
	{Column{Header: "结果应用", Field: "result_use.decision_name", Meaning: "结果应用：优先保障、保持、调减、取消或暂停"}, func(r evalRow) string { return r.e.DecisionName() }},
	// The identifier came last, for the same reason.
	{Column{Header: "评价编号", Field: "id", Meaning: "评价的编号：年度/记录文件名，如 2023/disability-subsidies；其他文件以此关联"}, func(r evalRow) string { return ID(r.e) }},
})

// indicatorRow is one row of indicators.csv: an indicator at any level.
type indicatorRow struct {
	id    string
	index string // "2.1.3": its place in the tree
	path  string // "项目产出 / 产出数量 / 补贴对象覆盖率"
	row   *score.Row
}

// PathSeparator joins the names of an indicator and its parents in the
// 指标路径 column of indicators.csv.
const PathSeparator = " / "

// indicators is the table of indicators.csv.
var indicators = newTable("indicators.csv", "指标得分表", "一项指标（一级、二级、三级指标各占一行，按指标表的顺序）", []column[indicatorRow]{
	idColumn(func(r indicatorRow) string { return r.id }),
	{Column{Header: "层级", Meaning: "指标层级：1 为一级指标，2 为二级指标，3 为三级指标"}, func(r indicatorRow) string { return strconv.Itoa(r.row.Level) }},
	{Column{Header: "指标序号", Meaning: "指标在指标表中的位置，如 2.1.3 为第二个一级指标下第一个二级指标的第三个三级指标；与评价编号一起唯一确定一行"}, func(r indicatorRow) string { return r.index }},
	{Column{Header: "指标路径", Meaning: "从一级指标到本指标的名称，以“ / ”连接", Text: true}, func(r indicatorRow) string { return r.path }},
	{Column{Header: "指标名称", Field: "indicators[].name", Meaning: "本指标的名称", Text: true}, func(r indicatorRow) string { return r.row.Name }},
	{Column{Header: "分值", Field: "indicators[].max", Meaning: "本指标的满分", Unit: unitScore}, func(r indicatorRow) string { return r.row.Max.String() }},
	{Column{Header: "得分", Field: "indicators[].score", Meaning: "本指标的得分", Unit: unitScore}, func(r indicatorRow) string { return r.row.Score.String() }},
	{Column{Header: "得分率（%）", Field: "indicators[].rate", Meaning: "得分 ÷ 分值 × 100，保留两位小数", Unit: unitPct}, func(r indicatorRow) string { return r.row.Rate.String() }},
	{Column{Header: "等级", Field: "indicators[].grade", Meaning: "公布的等级；一级指标未公布等级时为按得分率计算的等级，下级指标未公布时为空"}, func(r indicatorRow) string { return r.row.GradeShown }},
	{Column{Header: "计算等级", Field: "indicators[].grade_computed", Meaning: "按得分率和等级标准计算的等级"}, func(r indicatorRow) string { return r.row.GradeComputed }},
	{Column{Header: "年度指标值", Field: "indicators[].target", Meaning: "年度指标值（目标），按公布的原文", Text: true}, func(r indicatorRow) string { return r.row.Target }},
	{Column{Header: "实际完成值", Field: "indicators[].actual", Meaning: "实际完成值，按公布的原文", Text: true}, func(r indicatorRow) string { return r.row.Actual }},
	{Column{Header: "偏差原因分析及改进措施", Field: "indicators[].deviation", Meaning: "偏差原因分析及改进措施", Text: true}, func(r indicatorRow) string { return r.row.Deviation }},
})

// findingRow is one row of findings.csv.
type findingRow struct {
	id string
	n  int
	f  *score.Finding
}

// findings is the table of findings.csv.
var findings = newTable("findings.csv", "问题整改表", "一条发现的问题及其整改情况", []column[findingRow]{
	idColumn(func(r findingRow) string { return r.id }),
	{Column{Header: "问题序号", Meaning: "问题在该评价中的序号，从 1 起；与评价编号一起唯一确定一行"}, func(r findingRow) string { return strconv.Itoa(r.n) }},
	{Column{Header: "发现的问题", Field: "findings[].problem", Meaning: "评价发现的问题", Text: true}, func(r findingRow) string { return r.f.Problem }},
	{Column{Header: "整改措施", Field: "findings[].measure", Meaning: "整改措施", Text: true}, func(r findingRow) string { return r.f.Measure }},
	{Column{Header: "责任单位", Field: "findings[].owner", Meaning: "负责整改的单位", Text: true}, func(r findingRow) string { return r.f.Owner }},
	{Column{Header: "整改期限", Field: "findings[].deadline", Meaning: "整改期限", Unit: unitDate}, func(r findingRow) string { return date(r.f.Deadline) }},
	{Column{Header: "整改状态代码", Field: "findings[].status", Meaning: "整改状态代码：open（未整改）、in-progress（整改中）、done（已整改）"}, func(r findingRow) string { return r.f.Status }},
	{Column{Header: "整改状态", Field: "findings[].status_name", Meaning: "整改状态：未整改、整改中、已整改"}, func(r findingRow) string { return r.f.StatusName }},
	{Column{Header: "完成日期", Field: "findings[].done", Meaning: "整改完成日期（已整改时填写）", Unit: unitDate}, func(r findingRow) string { return date(r.f.Done) }},
	{Column{Header: "整改结果", Field: "findings[].result", Meaning: "整改结果", Text: true}, func(r findingRow) string { return r.f.Result }},
	{Column{Header: "逾期未整改", Field: "findings[].overdue", Meaning: "生成网站当日已过整改期限而未整改时为“是”，否则为“否”"}, func(r findingRow) string { return yes(r.f.Overdue) }},
})

// fundRow is one row of funds.csv.
type fundRow struct {
	id string
	n  int
	f  *content.Fund
}

// funds is the table of funds.csv.
var funds = newTable("funds.csv", "资金来源表", "评价记录中按资金来源列出的一行资金", []column[fundRow]{
	idColumn(func(r fundRow) string { return r.id }),
	{Column{Header: "资金序号", Meaning: "资金来源在该评价中的序号，从 1 起；与评价编号一起唯一确定一行"}, func(r fundRow) string { return strconv.Itoa(r.n) }},
	{Column{Header: "资金来源", Field: "funds[].source", Meaning: "资金来源，如本年财政拨款、上年结转资金、其他资金", Text: true}, func(r fundRow) string { return r.f.Source }},
	{Column{Header: "年初预算数（万元）", Field: "funds[].budget_initial", Meaning: "年初预算数，按公布的小数位", Unit: unitWan}, func(r fundRow) string { return amount(r.f.BudgetInitial) }},
	{Column{Header: "全年预算数（万元）", Field: "funds[].budget", Meaning: "全年预算数，按公布的小数位", Unit: unitWan}, func(r fundRow) string { return amount(r.f.Budget) }},
	{Column{Header: "全年执行数（万元）", Field: "funds[].spent", Meaning: "全年执行数，按公布的小数位", Unit: unitWan}, func(r fundRow) string { return amount(r.f.Spent) }},
})

// Tables returns the CSV files of the open data, each year's file of
// evaluations (data/2023.csv) having the columns of evaluations.csv.
func Tables() []Table {
	return []Table{evaluations.Table, indicators.Table, findings.Table, funds.Table}
}

// CSVHeader is the header row of evaluations.csv and the yearly files.
var CSVHeader = evaluations.headers()

// CSV returns evaluations.csv for the evaluations, one row each: UTF-8
// with a byte order mark, CRLF line ends and RFC 4180 quoting.
func CSV(base string, evals []*score.Evaluation) ([]byte, error) {
	rows, err := CSVRows(base, evals)
	if err != nil {
		return nil, err
	}
	return append([]byte(evaluations.head), rows...), nil
}

// CSVRows returns the rows of evaluations.csv for the evaluations, without
// header.
func CSVRows(base string, evals []*score.Evaluation) ([]byte, error) {
	var b bytes.Buffer
	w := evaluations.writer(&b)
	for _, e := range evals {
		if err := w.write(evalRow{base, e}); err != nil {
			return nil, err
		}
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// indicatorRows, findingRows and fundRows write the rows of the
// evaluations' indicators, findings and funds to b.

func indicatorRows(b io.Writer, evals []*score.Evaluation) error {
	w := indicators.writer(b)
	var names []string
	var index []int
	for _, e := range evals {
		id := ID(e)
		names, index = names[:0], index[:0]
		rows := e.Rows()
		for i := range rows {
			r := &rows[i]
			// The rows are the tree depth first: a row of level n ends
			// the branches below n-1 and follows its parent's path.
			n := r.Level
			for len(index) < n {
				index = append(index, 0)
				names = append(names, "")
			}
			index, names = index[:n], names[:n]
			index[n-1]++
			names[n-1] = r.Name
			if err := w.write(indicatorRow{id: id, index: joinInts(index), path: strings.Join(names, PathSeparator), row: r}); err != nil {
				return err
			}
		}
	}
	return w.flush()
}

func joinInts(a []int) string {
	var b strings.Builder
	for i, n := range a {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

func findingRows(b io.Writer, evals []*score.Evaluation) error {
	w := findings.writer(b)
	for _, e := range evals {
		id := ID(e)
		for i := range e.Findings {
			if err := w.write(findingRow{id, i + 1, &e.Findings[i]}); err != nil {
				return err
			}
		}
	}
	return w.flush()
}

func fundRows(b io.Writer, evals []*score.Evaluation) error {
	w := funds.writer(b)
	for _, e := range evals {
		id := ID(e)
		for i, f := range e.Funds {
			if err := w.write(fundRow{id, i + 1, f}); err != nil {
				return err
			}
		}
	}
	return w.flush()
}
