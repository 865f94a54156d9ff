package chart

import (
	"fmt"
	"strings"

	"github.com/evalpress/evalpress/internal/score"
)

// Trend returns the chart of a series: the total score of each year's
// evaluation of the same programme, oldest first, as a vertical bar,
// coloured by its shown grade and labelled "93.5 优", so that a reader sees
// whether it improved. It is the same on the page of every year of the
// series (the page's table marks which year the page is), so a site draws
// it once per series. A year whose evaluation states its result use
// (结果应用) has it under its label, "调减 → 450.5 万元", and in the table
// and the description, so that a reader sees what each result led to.
// Trend returns nil when fewer than two evaluations have a total: one bar
// shows no trend, and the page's table says the rest.
func Trend(series []*score.Evaluation, bands score.Bands) (*Chart, error) {
	scored := 0
	sameMax, uses := true, false
	for _, o := range series {
		if o.HasTotal {
			scored++
		}
		sameMax = sameMax && o.Max == series[0].Max
		uses = uses || o.ResultUse != nil
	}
	if scored < 2 {
		return nil, nil
	}
	// The latest year names the programme.
	e := series[len(series)-1]
	b := bar{Grades: grades(bands), ValueName: "综合得分", CategoryName: "年度", LabelRoom: 8}
	if sameMax {
		b.ValueMax = series[0].Max.Float()
	}
	if uses {
		b.LabelRoom += 18 // a second line of label, at 12 px
	}
	t := Table{
		Caption: fmt.Sprintf("%s历年综合得分", e.Title),
		Head:    []string{"年度", "综合得分", "满分", "等级"},
		Numeric: []bool{false, true, true, false},
	}
	if uses {
		t.Head = append(t.Head, "结果应用")
		t.Numeric = append(t.Numeric, false)
	}
	parts := make([]string, len(series))
	for i, o := range series {
		year := fmt.Sprintf("%d年", o.Year)
		twice := i > 0 && series[i-1].Year == o.Year || i+1 < len(series) && series[i+1].Year == o.Year
		if twice && o.Attachment != "" {
			// The same programme evaluated twice in a year: name which.
			year += " " + o.Attachment
		}
		b.Categories = append(b.Categories, year)
		total, label := "—", "无得分"
		if o.HasTotal {
			total = o.Total.String()
			label = total
		}
		if o.GradeShown != "" {
			label += " " + o.GradeShown
		}
		if mark := useMark(o); mark != "" {
			label += "\n" + mark
		}
		b.Items = append(b.Items, item{Value: o.Total.Float(), Rank: bands.Rank(o.GradeShown), Label: label, Empty: !o.HasTotal})
		row := []string{year, total, o.Max.String(), o.GradeShown}
		parts[i] = fmt.Sprintf("%s %s", year, describeTotal(o))
		if uses {
			use := UseText(o)
			if use != "" {
				parts[i] += "，结果应用：" + use
			} else {
				use = "—"
			}
			row = append(row, use)
		}
		t.Rows = append(t.Rows, row)
	}
	desc := fmt.Sprintf("%s历年综合得分条形图：%s。", e.Title, strings.Join(parts, "；"))
	c := &Chart{ID: "chart-trend", Title: "历年综合得分", Description: desc, Table: t, Height: fixedHeight}
	var err error
	if c.Option, err = b.option(); err != nil {
		return nil, fmt.Errorf("%s: %w", e.File, err)
	}
	return c, nil
}

// describeTotal says an evaluation's result in words: "93.5 分，优".
func describeTotal(e *score.Evaluation) string {
	s := "无综合得分"
	if e.HasTotal {
		s = e.Total.String() + " 分"
	}
	if e.GradeShown != "" {
		s += "，" + e.GradeShown
	}
	return s
}

// useMark is a year's result use as its bar's second label line: "调减 →
// 450.5 万元", "保持", "→ 520 万元"; "" without one.
func useMark(e *score.Evaluation) string {
	u := e.ResultUse
	if u == nil {
		return ""
	}
	mark := e.DecisionName()
	if u.NextBudget != nil {
		mark = strings.TrimSpace(mark + " → " + u.NextBudget.String() + " 万元")
	}
	return mark
}

// UseText says a year's result use in words, for tables and text
// alternatives: "调减，下年度安排 450.5 万元"; "" without one.
func UseText(e *score.Evaluation) string {
	u := e.ResultUse
	if u == nil {
		return ""
	}
	parts := make([]string, 0, 2)
	if d := e.DecisionName(); d != "" {
		parts = append(parts, d)
	}
	if u.NextBudget != nil {
		parts = append(parts, "下年度安排 "+u.NextBudget.String()+" 万元")
	}
	return strings.Join(parts, "，")
}
