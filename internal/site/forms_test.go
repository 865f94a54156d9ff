package site

import (
	"testing"
	gotime "time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

func TestFileSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 字节"},
		{102, "102 字节"},
		{1023, "1023 字节"},
		// Units of 1024, one place, cut: never more than the file.
		{1024, "1.0 KB"},
		{1535, "1.4 KB"},
		{1024*1024 - 1, "1023.9 KB"},
		{1024 * 1024, "1.0 MB"},
		{20 << 20, "20.0 MB"},
	} {
		if got := fileSize(tt.n); got != tt.want {
			t.Errorf("fileSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestCorrectionsNewestFirst(t *testing.T) {
	c := func(y, m, d int, note string) *content.Correction {
		return &content.Correction{Date: content.Date{Year: y, Month: gotime.Month(m), Day: d}, Note: note}
	}
	in := []*content.Correction{c(2024, 5, 10, "a"), c(2025, 1, 2, "b"), c(2024, 5, 10, "c"), c(2024, 12, 31, "d")}
	got := ""
	for _, x := range newestFirst(in) {
		got += x.Note
	}
	// Same day: the record's order.
	if got != "bdac" {
		t.Errorf("order = %s, want bdac", got)
	}
	if in[0].Note != "a" {
		t.Errorf("newestFirst reordered the record's own list")
	}
}

func TestOverspendAsWritten(t *testing.T) {
	amount := func(s string) *decimal.Amount {
		a, err := decimal.ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return &a
	}
	overspend := funcs(&Model{})["overspend"].(func(*score.Evaluation) string)
	for _, tt := range []struct{ budget, spent, want string }{
		{"45", "52.88", "7.88"},
		{"90.000", "90.001", "0.001"},
		{"100", "99.5", ""},
		{"100", "100", ""},
	} {
		e := &score.Evaluation{Record: &content.Record{Budget: amount(tt.budget), Spent: amount(tt.spent)}}
		e.Overspent = e.Spent.Value > e.Budget.Value
		if got := overspend(e); got != tt.want {
			t.Errorf("overspend(%s of %s) = %q, want %q", tt.spent, tt.budget, got, tt.want)
		}
	}
}
