package site

import (
	"fmt"
	"maps"
	"slices"

	"github.com/evalpress/evalpress/internal/content"
)

// AboutPath is the path of the 关于本站 page: the scoring rules, the terms,
// where the data are and the accessibility statement.
const AboutPath = "about/"

// About is what the 关于本站 page shows. Every list is made from the site's
// own bands and from content's tables of allowed values, so that the page
// cannot drift from what the checker accepts and the pages show.
type About struct {
	// Bands are the grade bands, highest first, each with its range in
	// words.
	Bands []AboutBand
	// Terms are the groups of coded values a record holds (评价类型,
	// 评价方式, 整改状态, 结果应用), each with the Chinese names the pages
	// show.
	Terms []TermGroup
}

// AboutBand is one grade band and the range of scores it covers.
type AboutBand struct {
	Grade string
	Range string
}

// TermGroup is one field's allowed values, in the order of their codes.
type TermGroup struct {
	Field string // the field as the pages name it: 评价类型
	Key   string // the record's key: kind
	Terms []Term
}

// Term is one allowed value: its Chinese name and the code a record writes.
type Term struct{ Name, Code string }

// aboutBands says each band's range in words: "90 分及以上", "80 分及以上、
// 不足 90 分", "不足 60 分" (bands are inclusive lower bounds, highest first).
func aboutBands(m *Model) []AboutBand {
	out := make([]AboutBand, len(m.Bands))
	for i, b := range m.Bands {
		r := fmt.Sprintf("%s 分及以上", b.Min)
		switch {
		case i > 0 && b.Min == 0:
			r = fmt.Sprintf("不足 %s 分", m.Bands[i-1].Min)
		case i > 0:
			r = fmt.Sprintf("%s 分及以上、不足 %s 分", b.Min, m.Bands[i-1].Min)
		}
		out[i] = AboutBand{Grade: b.Grade, Range: r}
	}
	return out
}

// termGroup lists a table of allowed values in the order of their codes.
func termGroup(field, key string, names map[string]string) TermGroup {
	g := TermGroup{Field: field, Key: key}
	for _, code := range slices.Sorted(maps.Keys(names)) {
		g.Terms = append(g.Terms, Term{Name: names[code], Code: code})
	}
	return g
}

// about renders the 关于本站 page.
func (r *Renderer) about(w Writer) error {
	m := r.model
	a := &About{Bands: aboutBands(m), Terms: []TermGroup{
		termGroup("评价类型", "kind", content.Kinds),
		termGroup("评价方式", "method", content.Methods),
		termGroup("整改状态", "findings.status", content.Statuses),
		termGroup("结果应用", "result_use.decision", content.Decisions),
	}}
	p := &Page{Site: m, Title: "关于本站", Path: AboutPath, Section: "about", About: a,
		Crumbs: []Crumb{{"首页", ""}, {"关于本站", ""}},
		Description: fmt.Sprintf("%s预算绩效评价结果公开网站的评分规则、等级标准、名词解释、数据说明与无障碍声明。",
			m.Config.Organization)}
	p.Root = rootOf(p.Path)
	return r.render(w, "about.html", p.Path+"index.html", p)
}
