package chart

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// withUse returns the programme of TestTrendGolden with the result use
// (结果应用) of 2022 (保持, 下年度 50 万元) and 2023 (调减 to 40.25 万元); 2021
// states none.
func withUse(t *testing.T) []*score.Evaluation {
	t.Helper()
	amount := func(s string) *decimal.Amount {
		a, err := decimal.ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return &a
	}
	var records []*content.Record
	for _, e := range programme(t) {
		r := *e.Record
		switch r.Year {
		case 2022:
			r.ResultUse = &content.ResultUse{Decision: "keep", NextBudget: amount("50")}
		case 2023:
			r.ResultUse = &content.ResultUse{Decision: "reduce", NextBudget: amount("40.25")}
		}
		records = append(records, &r)
	}
	return score.Evaluate(records, score.DefaultBands, &diag.List{})
}

// TestTrendMarksResultUse checks that each year's result use is marked
// under its bar's label, and said in the chart's table and description;
// a year without one says so in the table and nothing in the label.
func TestTrendMarksResultUse(t *testing.T) {
	c, err := Trend(withUse(t), score.DefaultBands)
	if err != nil || c == nil {
		t.Fatalf("Trend = %v, %v", c, err)
	}
	var opt struct {
		Series []struct {
			Data []struct {
				Label *struct {
					Formatter string `json:"formatter"`
				} `json:"label"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Option), &opt); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, s := range opt.Series {
		for _, d := range s.Data {
			if d.Label != nil && d.Label.Formatter != "" {
				labels = append(labels, d.Label.Formatter)
			}
		}
	}
	slices.Sort(labels)
	want := []string{"78 中\n保持 → 50 万元", "93.5 优\n调减 → 40.25 万元", "无得分 良"}
	if !slices.Equal(labels, want) {
		t.Errorf("labels = %q, want %q", labels, want)
	}
	if got := c.Table.Head[len(c.Table.Head)-1]; got != "结果应用" || len(c.Table.Numeric) != len(c.Table.Head) {
		t.Errorf("table head = %q (numeric flags %v), want a last column 结果应用", c.Table.Head, c.Table.Numeric)
	}
	var uses []string
	for _, row := range c.Table.Rows {
		uses = append(uses, row[len(row)-1])
	}
	if want := []string{"—", "保持，下年度安排 50 万元", "调减，下年度安排 40.25 万元"}; !slices.Equal(uses, want) {
		t.Errorf("table's 结果应用 = %q, want %q", uses, want)
	}
	for _, want := range []string{"2021年 无综合得分，良；", "2022年 78 分，中，结果应用：保持，下年度安排 50 万元；", "2023年 93.5 分，优，结果应用：调减，下年度安排 40.25 万元。"} {
		if !strings.Contains(c.Description, want) {
			t.Errorf("description %q lacks %q", c.Description, want)
		}
	}
}

// TestUseText checks the words of a result use with a decision, an amount
// or both.
func TestUseText(t *testing.T) {
	a, _ := decimal.ParseAmount("89.974")
	for _, tt := range []struct {
		use        *content.ResultUse
		text, mark string
	}{
		{nil, "", ""},
		{&content.ResultUse{Decision: "cancel"}, "取消", "取消"},
		{&content.ResultUse{NextBudget: &a}, "下年度安排 89.974 万元", "→ 89.974 万元"},
		{&content.ResultUse{Decision: "priority", NextBudget: &a}, "优先保障，下年度安排 89.974 万元", "优先保障 → 89.974 万元"},
	} {
		e := &score.Evaluation{Record: &content.Record{ResultUse: tt.use}}
		if got := UseText(e); got != tt.text {
			t.Errorf("UseText(%+v) = %q, want %q", tt.use, got, tt.text)
		}
		if got := useMark(e); got != tt.mark {
			t.Errorf("useMark(%+v) = %q, want %q", tt.use, got, tt.mark)
		}
	}
}
