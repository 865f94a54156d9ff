package site

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// SortTable is the script that makes a table sortable (the congress
// table, the departments' and the ledger's). The table is complete
// without it. Other pages load it deferred; the congress page runs it
// right after its table's head (congress.html), before the rows arrive.
const SortTable = "assets/js/sort-table.js"

// CongressFilter is the script that filters the congress table and
// recomputes its summary rows for the rows shown. Without it the whole
// table and the summary of all its rows show.
const CongressFilter = "assets/js/congress-filter.js"

// congressPath is the path of a year's table for the people's congress.
func congressPath(y int) string { return fmt.Sprintf("congress/%d/", y) }

// CongressIndexPath is the path of the index of every year's congress
// table, relative to the site root.
const CongressIndexPath = "congress/"

// decisionOrder lists the result-use decisions (content.Decisions) from
// the most to the least favourable to the programme, the order deputies
// read them in: the filter offers them so, and the table sorts by it.
var decisionOrder = []string{"priority", "keep", "reduce", "cancel", "suspend"}

// Congress is what a year's congress table shows besides the year's own
// figures (Year): each row's data for the filter, the summary of the
// whole table, the filter's choices, and the findings of the previous
// year that the same programmes have not rectified yet.
type Congress struct {
	Rows []CongressRow
	// Today is the date the findings were judged on, zero when none was
	// given.
	Today content.Date
	// Departments are the departments in the table, in the departments'
	// index order; Decisions the result-use decisions it holds, in
	// decisionOrder.
	Departments []string
	Decisions   []Decision
	// Previous is the year before; Carried its evaluations of the
	// programmes in this table, with their findings not done yet.
	// Followed is how many of this year's programmes were evaluated the
	// year before as well.
	Previous int
	Carried  []Carried
	Followed int
}

// Decision is a result-use decision, by its key and Chinese name.
type Decision struct{ Key, Name string }

// CongressRow is one evaluation in the congress table.
type CongressRow struct {
	*score.Evaluation
	// Open counts its findings not done; Overdue those past their
	// deadline (score's FindingCounts, never recounted here).
	Open, Overdue int
	// FindingsSort orders the findings column: by overdue findings, then
	// by findings not done, so that a descending sort puts first what is
	// most behind.
	FindingsSort int
	// Budget and Total are the budget and the official total in
	// millionths, for the filter, which sums them exactly with BigInt;
	// "" when not given.
	Budget, Total string
	// DecisionRank is the result use's place in decisionOrder, -1 for
	// none: the column sorts by it.
	DecisionRank int
}

// Carried is an evaluation of the previous year whose programme (series)
// is in this year's table, with its findings that are not done.
type Carried struct {
	Evaluation *score.Evaluation
	// Current are this year's evaluations of the same programme.
	Current  []*score.Evaluation
	Findings []score.Finding
}

// newCongress gathers a year's congress table. It reads each of the
// year's evaluations once and, for those in a series, the series' list
// (a programme's few years), so it stays linear in the evaluations.
func (m *Model) newCongress(y *Year) *Congress {
	c := &Congress{Rows: make([]CongressRow, 0, len(y.Evaluations)), Previous: y.Year - 1}
	depts := map[string]bool{}
	decisions := map[string]bool{}
	seen := map[string]bool{}
	for _, e := range y.Evaluations {
		total, done, overdue := e.FindingCounts()
		row := CongressRow{Evaluation: e, Open: total - done, Overdue: overdue, DecisionRank: -1}
		// A record has at most a few hundred findings (content.MaxFindings).
		row.FindingsSort = row.Overdue*1_000_000 + row.Open
		if e.Budget != nil {
			row.Budget = strconv.FormatInt(int64(e.Budget.Value), 10)
		}
		if e.HasTotal {
			row.Total = strconv.FormatInt(int64(e.Total), 10)
		}
		if e.ResultUse != nil && e.ResultUse.Decision != "" {
			row.DecisionRank = slices.Index(decisionOrder, e.ResultUse.Decision)
			decisions[e.ResultUse.Decision] = true
		}
		c.Rows = append(c.Rows, row)
		if c.Today.IsZero() {
			c.Today = e.Today
		}
		if !depts[e.Department] {
			depts[e.Department] = true
			c.Departments = append(c.Departments, e.Department)
		}
		c.carry(m, e, seen)
	}
	slices.SortFunc(c.Departments, func(a, b string) int {
		da, db := m.Department(a), m.Department(b)
		if da == nil || db == nil {
			return cmp.Compare(a, b)
		}
		return cmp.Or(cmp.Compare(da.Slug, db.Slug), cmp.Compare(a, b))
	})
	for _, k := range decisionOrder {
		if decisions[k] {
			c.Decisions = append(c.Decisions, Decision{k, content.Decisions[k]})
		}
	}
	return c
}

// carry adds the previous year's evaluations of e's programme, once per
// programme (seen holds the series keys done), with their findings not
// done. A programme evaluated twice in the previous year has both.
func (c *Congress) carry(m *Model, e *score.Evaluation, seen map[string]bool) {
	series := m.Series(e)
	if series == nil {
		return
	}
	if seen[e.Series] {
		for i := len(c.Carried) - 1; i >= 0 && c.Carried[i].Evaluation.Series == e.Series; i-- {
			c.Carried[i].Current = append(c.Carried[i].Current, e)
		}
		return
	}
	seen[e.Series] = true
	followed := false
	for _, p := range series {
		if p.Year != c.Previous {
			continue
		}
		followed = true
		var open []score.Finding
		for _, f := range p.Findings {
			if f.Status != "done" {
				open = append(open, f)
			}
		}
		if len(open) > 0 {
			c.Carried = append(c.Carried, Carried{Evaluation: p, Current: []*score.Evaluation{e}, Findings: open})
		}
	}
	if followed {
		c.Followed++
	}
}

// congress renders a year's comparison table for the people's congress.
// A year without evaluations has none: there is nothing to compare.
func (r *Renderer) congress(w Writer, y *Year) error {
	if len(y.Evaluations) == 0 {
		return nil
	}
	p := &Page{Site: r.model, Year: y, Path: congressPath(y.Year), Section: "congress",
		Title:    fmt.Sprintf("%d年预算绩效评价结果对照表", y.Year),
		Scripts:  []string{CongressFilter},
		Congress: r.model.newCongress(y)}
	p.Root = rootOf(p.Path)
	p.Crumbs = []Crumb{{"首页", ""}, {"人大审查", CongressIndexPath}, {fmt.Sprintf("%d年对照表", y.Year), ""}}
	p.Description = fmt.Sprintf("%s%d年%d项预算绩效评价结果对照表：项目、部门、资金与执行率、得分和等级、问题整改和结果应用，供人大预算审查参阅，可下载 CSV。",
		r.model.Config.Organization, y.Year, len(y.Evaluations))
	file := p.Path + "index.html"
	rows := p.Congress.Rows
	p.list = &rowList{page: "congress.html", tmpl: "congress-rows", evals: y.Evaluations, file: file,
		data: func(lo, hi int) any { return congressRows{Root: p.Root, Rows: rows[lo:hi]} }}
	p.list.cache, _ = w.(RowCache)
	return r.render(w, "congress.html", file, p)
}

// congressRows is what the template of a chunk of the congress table's
// rows gets: the rows, and the page's Root for their links.
type congressRows struct {
	Root string
	Rows []CongressRow
}

// congressYears returns the index's lines: the years with evaluations,
// newest first.
func (m *Model) congressYears() []*Year {
	var out []*Year
	for _, y := range m.Years {
		if len(y.Evaluations) > 0 {
			out = append(out, y)
		}
	}
	return out
}

// congressIndex renders /congress/, the index of every year's table. A
// site without evaluations has it too, saying so: the navigation links it.
func (r *Renderer) congressIndex(w Writer) error {
	m := r.model
	p := &Page{Site: m, Title: "人大预算审查参阅", Path: CongressIndexPath, Section: "congress",
		Crumbs:        []Crumb{{"首页", ""}, {"人大审查", ""}},
		CongressYears: m.congressYears(),
		Description:   fmt.Sprintf("%s历年预算绩效评价结果对照表和评价报告摘要汇编，供人大代表和人大工作人员审查预算时参阅。", m.Config.Organization)}
	p.Root = rootOf(p.Path)
	return r.render(w, "congress-index.html", p.Path+"index.html", p)
}

// amount formats an amount, a total or a value for the page with
// thousands separators and its digits as written: 1280.6 is 1,280.6,
// 89.974 stays 89.974. Nil is "—", the tables' mark for "not given".
func amount(v any) (string, error) {
	switch a := v.(type) {
	case decimal.Amount:
		return a.Grouped(), nil
	case *decimal.Amount:
		if a == nil {
			return "—", nil
		}
		return a.Grouped(), nil
	case decimal.Sum:
		return a.Grouped(), nil
	case decimal.D:
		return decimal.Group(a.String()), nil
	}
	return "", fmt.Errorf("amount: %T is not an amount", v)
}
