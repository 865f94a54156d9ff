package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

func date(y, m, d int) *content.Date { return &content.Date{Year: y, Month: time.Month(m), Day: d} }

// finding is a finding in the state score gave it: the ledger takes
// Overdue as it is and never judges a date itself.
func finding(problem, status string, deadline, done *content.Date, overdue bool) score.Finding {
	return score.Finding{Finding: &content.Finding{Problem: problem, Status: status, Deadline: deadline, Done: done},
		StatusName: content.Statuses[status], Overdue: overdue}
}

func ledgerEval(year int, slug, dept string, fs ...score.Finding) *score.Evaluation {
	return &score.Evaluation{Record: &content.Record{Title: slug, Slug: slug, Department: dept, Year: year},
		Findings: fs, Today: content.Date{Year: 2024, Month: 9, Day: 1}}
}

// TestLedgerOrder checks the ledger's order (overdue by deadline, the
// others not done by deadline with none last, the done ones most recently
// done first, ties by year, address and place in the record), that each
// finding is listed once, and that the years' and departments' entries
// keep that order, whatever the order of the evaluations.
func TestLedgerOrder(t *testing.T) {
	evals := []*score.Evaluation{
		ledgerEval(2022, "a", "甲局",
			finding("a1 done early", "done", date(2023, 6, 30), date(2023, 6, 15), false),
			finding("a2 in progress", "in-progress", date(2024, 12, 31), nil, false)),
		ledgerEval(2023, "b", "乙局",
			finding("b1 overdue late", "open", date(2024, 6, 30), nil, true),
			finding("b2 no deadline", "open", nil, nil, false),
			finding("b3 done late", "done", date(2024, 3, 1), date(2024, 5, 1), false)),
		ledgerEval(2023, "c", "甲局",
			finding("c1 overdue early", "in-progress", date(2024, 1, 31), nil, true),
			// Overdue is score's word: a finding score did not judge
			// overdue is not, whatever its deadline.
			finding("c2 open", "open", date(2024, 1, 31), nil, false)),
		ledgerEval(2022, "d", "乙局"),
	}
	want := []string{"c1 overdue early", "b1 overdue late", "c2 open", "a2 in progress", "b2 no deadline", "b3 done late", "a1 done early"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		rng.Shuffle(len(evals), func(i, j int) { evals[i], evals[j] = evals[j], evals[i] })
		m := NewModel(content.Site{}, score.DefaultBands, nil, slices.Clone(evals))
		l := newLedger(m)
		if got := entryProblems(l.all); !slices.Equal(got, want) {
			t.Fatalf("ledger = %q\nwant %q", got, want)
		}
		if got := entryProblems(l.byYear[2022]); !slices.Equal(got, []string{"a2 in progress", "a1 done early"}) {
			t.Errorf("2022 = %q", got)
		}
		if got := entryProblems(l.byDept[m.Department("甲局")]); !slices.Equal(got, []string{"c1 overdue early", "c2 open", "a2 in progress", "a1 done early"}) {
			t.Errorf("甲局 = %q", got)
		}
		if l.today != (content.Date{Year: 2024, Month: 9, Day: 1}) {
			t.Errorf("as of %v, want the evaluations' Today", l.today)
		}
		v := l.ledgerOn(l.all, "")
		if v.Counts != (findingCounts{Total: 7, Done: 2, Overdue: 2}) {
			t.Errorf("counts = %+v", v.Counts)
		}
		// The counts of years and departments are score's, summed.
		if c := m.Department("乙局").FindingCounts(); c != (findingCounts{Total: 3, Done: 1, Overdue: 1}) {
			t.Errorf("乙局's counts = %+v", c)
		}
		if c := m.byYear[2023].FindingCounts(); c != (findingCounts{Total: 5, Done: 1, Overdue: 2}) {
			t.Errorf("2023's counts = %+v", c)
		}
	}
}

func entryProblems(xs []*LedgerEntry) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Problem)
	}
	return out
}

// TestLedgerStates checks the state pages' selections, the sort key of
// the state column and what an entry gathers for its row.
func TestLedgerStates(t *testing.T) {
	e := ledgerEval(2023, "x", "甲局",
		finding("overdue", "open", date(2024, 6, 30), nil, true),
		finding("open", "open", nil, nil, false),
		finding("in progress", "in-progress", date(2024, 12, 31), nil, false),
		finding("done", "done", date(2024, 3, 1), date(2024, 2, 9), false))
	var xs []*LedgerEntry
	for i := range e.Findings {
		xs = append(xs, newEntry(e, &Department{Name: "甲局", Slug: "jiaju"}, i))
	}
	want := map[string][]int{"overdue": {0}, "open": {0, 1, 2}, "done": {3}}
	for _, s := range ledgerStates {
		var got []int
		for i, x := range xs {
			if s.keep(x) {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, want[s.slug]) {
			t.Errorf("%s keeps %v, want %v", s.slug, got, want[s.slug])
		}
	}
	for i, x := range xs {
		if x.StatusRank != i {
			t.Errorf("entry %d: StatusRank %d", i, x.StatusRank)
		}
	}
	if x := xs[3]; x.Href != "2023/x/#finding-4" || x.Deadline != "2024-03-01" || x.DeadlineKey != "20240301" ||
		x.Done != "2024-02-09" || x.DoneKey != "20240209" || x.DeptSlug != "jiaju" || x.StatusName != "已整改" {
		t.Errorf("entry = %+v", x)
	}
	if x := xs[1]; x.Deadline != "" || x.DeadlineKey != "" || x.Done != "" {
		t.Errorf("an entry without dates has %q, %q, %q", x.Deadline, x.DeadlineKey, x.Done)
	}
}

// BenchmarkNewLedger builds the ledger of 10,000 evaluations with two
// findings each: one pass and one sort, whose cost per evaluation should
// stay flat as the site grows (compare -benchtime runs of other sizes).
func BenchmarkNewLedger(b *testing.B) {
	var evals []*score.Evaluation
	for i := range 10000 {
		evals = append(evals, ledgerEval(2020+i%4, fmt.Sprintf("e%d", i), fmt.Sprintf("局%d", i%50),
			finding("p", "open", date(2024, 1+i%12, 1), nil, i%7 == 0),
			finding("q", "done", date(2023, 1+i%12, 1), date(2023, 1+i%12, 2), false)))
	}
	m := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	b.ReportAllocs()
	for b.Loop() {
		newLedger(m)
	}
}
