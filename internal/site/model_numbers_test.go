package site

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// TestYearFundsOfMaximalBudgets sums a year of 100,000 evaluations, each
// with the largest budget the content model accepts (999999999.999999
// 万元): 10^20 millionths, beyond an int64, which would wrap to a negative
// total. The year's total and the funds-by-grade chart must equal math/big.
func TestYearFundsOfMaximalBudgets(t *testing.T) {
	const n = 100_000
	maxAmount, err := decimal.ParseAmount("999999999.999999")
	if err != nil {
		t.Fatal(err)
	}
	evals := make([]*score.Evaluation, n)
	for i := range evals {
		r := &content.Record{File: fmt.Sprintf("2023/evaluations/p%d.toml", i), Slug: fmt.Sprintf("p%d", i),
			Title: "项目", Department: "测试市财政局", Year: 2023, Budget: &maxAmount}
		evals[i] = &score.Evaluation{Record: r, GradeShown: "良", GradeRank: 1}
	}
	m := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	want := new(big.Int).Mul(big.NewInt(int64(maxAmount.Value)), big.NewInt(n))
	wantText := new(big.Rat).SetFrac(want, big.NewInt(decimal.Scale)).FloatString(1) // …999.9
	y := m.Years[0]
	if y.Funded != n || y.Funds.Big().Cmp(want) != 0 || y.Funds.String() != wantText {
		t.Errorf("Funds of %d = %s (%d funded), want %s", n, y.Funds, y.Funded, wantText)
	}
	c, err := chart.FundsByGrade(2023, evals, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	row := c.Table.Rows[1] // 良
	if row[3] != wantText || row[4] != "100%" {
		t.Errorf("funds chart row = %v, want %s and 100%%", row, wantText)
	}
}
