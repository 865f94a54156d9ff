package pipeline_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestAmountsShownAsWritten builds a site whose record gives amounts the way
// a 项目支出绩效自评表 does (89.974 万元, and 89.970 with its trailing zero)
// and checks that every output shows them as written: the page, the congress
// table and its print booklet, the open data as JSON and CSV.
func TestAmountsShownAsWritten(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/form.toml --
title = "城乡环境整治项目"
department = "测试市住建局"
year = 2023
attachment = "附件1"
budget = 89.970
spent = 89.974
congress = true
score = 88
`)
	for _, c := range []struct{ file, want string }{
		{"2023/form/index.html", "<dd>89.970 万元</dd>"},
		{"2023/form/index.html", "<dd>89.974 万元</dd>"},
		{"congress/2023/index.html", `data-sort="89.970">89.970</td>`},
		{"congress/2023/index.html", `data-sort="89.974">89.974</td>`},
		{"congress/2023/index.html", "合计 89.97 万元"},
		{"congress/2023/print/index.html", "<dd>89.974 万元</dd>"},
		{"index.html", "合计 89.97 万元"},
		{"data/evaluations.json", `"budget":89.970`},
		{"data/evaluations.json", `"spent":89.974`},
	} {
		s.AssertFileContent(c.file, c.want)
	}
	for _, name := range []string{"data/evaluations.csv", "data/2023.csv"} {
		rows := readCSV(t, s, name)
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", name, len(rows))
		}
		budget, spent := slices.Index(rows[0], "预算（万元）"), slices.Index(rows[0], "实际支出（万元）")
		if got := rows[1][budget] + " " + rows[1][spent]; got != "89.970 89.974" {
			t.Errorf("%s: budget and spent = %s, want 89.970 89.974", name, got)
		}
	}
	d := readJSON(t, s)
	if e := d.Evaluations[0]; e.Budget == nil || e.Budget.String() != "89.970" || e.Spent == nil || e.Spent.String() != "89.974" {
		t.Errorf("evaluations.json: budget %v, spent %v", e.Budget, e.Spent)
	}
}

// TestLargeBudgetsSumExactly builds a year of 100 evaluations, each with
// the largest budget the content model accepts: their total is beyond an
// int64 of millionths, and must still be exact in the year's summaries and
// the funds-by-grade chart, not negative and not rounded.
func TestLargeBudgetsSumExactly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(siteToml)
	for i := range 100 {
		grade := "良"
		if i < 25 {
			grade = "优"
		}
		fmt.Fprintf(&b, `
-- content/2023/evaluations/p%03d.toml --
title = "项目 %03d"
department = "测试市财政局"
year = 2023
budget = 999999999.999999
spent = 999999999.999999
congress = true
grade = %q
`, i, i, grade)
	}
	s := wholesite.Build(t, b.String())
	const total = "99999999999.9999"
	for _, c := range []struct{ file, want string }{
		// The congress table groups digits by thousands (千分位).
		{"congress/2023/index.html", "100 项列明预算，合计 99,999,999,999.9999 万元"},
		{"index.html", "合计 " + total + " 万元"},
		// The funds-by-grade chart's table: three quarters and a quarter.
		{"2023/index.html", `<td class="num">74999999999.999925</td><td class="num">75%</td>`},
		{"2023/index.html", `<td class="num">24999999999.999975</td><td class="num">25%</td>`},
	} {
		s.AssertFileContent(c.file, c.want)
	}
}
