package site

import (
	"slices"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// TestDecisionOrder: every result-use decision the content model allows
// has its place in the filter's and the column's order, once.
func TestDecisionOrder(t *testing.T) {
	if len(decisionOrder) != len(content.Decisions) {
		t.Errorf("decisionOrder has %d decisions, content.Decisions %d", len(decisionOrder), len(content.Decisions))
	}
	for k := range content.Decisions {
		if slices.Index(decisionOrder, k) < 0 {
			t.Errorf("decision %q is not in decisionOrder", k)
		}
	}
}

func TestAmount(t *testing.T) {
	a := func(s string) decimal.Amount {
		v, err := decimal.ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	big := a("1280.60")
	var sum decimal.Sum
	sum.Add(a("1280.6").Value)
	sum.Add(a("89.974").Value)
	for _, tt := range []struct {
		in   any
		want string
	}{
		{a("1280.6"), "1,280.6"},
		{&big, "1,280.60"}, // as written, trailing zero kept
		{a("89.974"), "89.974"},
		{(*decimal.Amount)(nil), "—"},
		{sum, "1,370.574"},
		{a("1300").Value, "1,300"},
	} {
		got, err := amount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("amount(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := amount(12.5); err == nil {
		t.Errorf("amount(float64) gave no error: a float must never reach the page as an amount")
	}
}

// TestCongressCarried: a year's congress table lists, once per
// programme, the previous year's evaluations of its programmes with
// their findings not done; not those of two years before, nor done ones.
func TestCongressCarried(t *testing.T) {
	finding := func(status string, overdue bool) score.Finding {
		return score.Finding{Finding: &content.Finding{Problem: status, Status: status}, Overdue: overdue}
	}
	eval := func(slug, series string, year int, fs ...score.Finding) *score.Evaluation {
		return &score.Evaluation{Record: &content.Record{Title: slug, Slug: slug, Department: "部门", Year: year, Series: series},
			Findings: fs}
	}
	old := eval("water-2021", "water", 2021, finding("open", true))
	water22a := eval("water-2022a", "water", 2022, finding("done", false), finding("in-progress", true), finding("open", false))
	water22b := eval("water-2022b", "water", 2022, finding("open", false))
	water23 := eval("water-2023", "water", 2023, finding("open", false))
	water23b := eval("water-2023b", "water", 2023)
	roads22 := eval("roads-2022", "roads", 2022, finding("done", false))
	roads23 := eval("roads-2023", "roads", 2023, finding("open", true), finding("done", false))
	alone := eval("alone-2023", "", 2023, finding("in-progress", false))
	m := NewModel(content.Site{}, score.DefaultBands, nil,
		[]*score.Evaluation{old, water22a, water22b, water23, water23b, roads22, roads23, alone})
	c := m.newCongress(m.byYear[2023])

	if c.Previous != 2022 || c.Followed != 2 {
		t.Errorf("Previous %d, Followed %d; want 2022, 2 (water and roads)", c.Previous, c.Followed)
	}
	var got []string
	for _, cr := range c.Carried {
		s := cr.Evaluation.Slug + ":"
		for _, f := range cr.Findings {
			s += " " + f.Status
		}
		s += " ←"
		for _, e := range cr.Current {
			s += " " + e.Slug
		}
		got = append(got, s)
	}
	want := []string{
		"water-2022a: in-progress open ← water-2023 water-2023b",
		"water-2022b: open ← water-2023 water-2023b",
	}
	if !slices.Equal(got, want) {
		t.Errorf("carried:\n got %q\nwant %q", got, want)
	}
	// The year's own findings: three not done, one overdue.
	if fc := m.byYear[2023].FindingCounts(); fc.Open() != 3 || fc.Overdue != 1 {
		t.Errorf("Open %d, Overdue %d; want 3, 1", fc.Open(), fc.Overdue)
	}
	for _, r := range c.Rows {
		if r.Slug == "roads-2023" && (r.Open != 1 || r.Overdue != 1 || r.FindingsSort != 1_000_001) {
			t.Errorf("roads-2023: open %d, overdue %d, sort %d; want 1, 1, 1000001", r.Open, r.Overdue, r.FindingsSort)
		}
	}
	// The earliest year has no year before it in the model.
	if c := m.newCongress(m.byYear[2021]); c.Followed != 0 || c.Carried != nil {
		t.Errorf("2021: %+v, want nothing carried", c)
	}
}
