package site

import "fmt"

// SortTable is the script that makes the congress table sortable. The
// table is complete without it.
const SortTable = "assets/js/sort-table.js"

// congressPath is the path of a year's table for the people's congress.
func congressPath(y int) string { return fmt.Sprintf("congress/%d/", y) }

// congress renders a year's comparison table for the people's congress.
// A year without evaluations has none: there is nothing to compare.
func (r *Renderer) congress(w Writer, y *Year) error {
	if len(y.Evaluations) == 0 {
		return nil
	}
	p := &Page{Site: r.model, Year: y, Path: congressPath(y.Year), Section: "years",
		Title:   fmt.Sprintf("%d年预算绩效评价结果对照表", y.Year),
		Scripts: []string{SortTable}}
	p.Root = rootOf(p.Path)
	p.Crumbs = []Crumb{{"首页", ""}, yearCrumb(y.Year), {"对照表", ""}}
	p.Description = fmt.Sprintf("%s%d年%d项预算绩效评价结果对照表：项目、部门、资金、得分和等级，供人大预算审查参阅，可下载 CSV。",
		r.model.Config.Organization, y.Year, len(y.Evaluations))
	return r.render(w, "congress.html", p.Path+"index.html", p)
}
