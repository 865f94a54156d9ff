package chart

import (
	"fmt"
	"strings"

	"github.com/evalpress/evalpress/internal/score"
)

// Indicators returns the chart of an evaluation's first-level indicators:
// each one's score rate (score / max × 100) as a horizontal bar on a 0–100
// axis, coloured by its shown grade and labelled "17/20（85%）". A list-only
// record, without indicators, has no chart: Indicators returns nil and no
// error.
func Indicators(e *score.Evaluation, bands score.Bands) (*Chart, error) {
	var rows []score.Row
	for _, r := range e.Rows() {
		if r.Level == 1 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	b := bar{
		Horizontal: true, Grades: grades(bands), ValueMax: 100, ValueUnit: "%", LabelRoom: 112,
	}
	t := Table{
		Caption: "各一级指标得分",
		Head:    []string{"一级指标", "分值", "得分", "得分率", "等级"},
		Numeric: []bool{false, true, true, true, false},
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		label := fmt.Sprintf("%s/%s（%s%%）", r.Score, r.Max, r.Rate)
		b.Categories = append(b.Categories, wrap(r.Name, 8, 2))
		b.Items = append(b.Items, item{Value: r.Rate.Float(), Rank: bands.Rank(r.GradeShown), Label: label})
		t.Rows = append(t.Rows, []string{r.Name, r.Max.String(), r.Score.String(), r.Rate.String() + "%", r.GradeShown})
		parts[i] = fmt.Sprintf("%s得分 %s（满分 %s），得分率 %s%%", r.Name, r.Score, r.Max, r.Rate)
		if r.GradeShown != "" {
			parts[i] += "，等级" + r.GradeShown
		}
	}
	desc := fmt.Sprintf("%s各一级指标得分率条形图：%s。", e.Title, strings.Join(parts, "；"))
	if e.HasTotal {
		desc += fmt.Sprintf("综合得分 %s 分", e.Total)
		if e.GradeShown != "" {
			desc += "，评价等级" + e.GradeShown
		}
		desc += "。"
	}
	c := &Chart{ID: "chart-eval", Title: "一级指标得分率", Description: desc, Table: t, Height: heightFor(len(rows))}
	var err error
	if c.Option, err = b.option(); err != nil {
		return nil, fmt.Errorf("%s: %w", e.File, err)
	}
	return c, nil
}

// grades returns the names of the bands in rank order.
func grades(bands score.Bands) []string {
	g := make([]string, len(bands))
	for i, b := range bands {
		g[i] = b.Grade
	}
	return g
}
