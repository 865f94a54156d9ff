package site

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// TestDepartmentSlugsFit: a department's folder is named by its pinyin,
// which for a long name exceeds what a file system holds in one name;
// the slug is cut, stays unique and the same from build to build, and a
// name that transliterates to a Windows device gets a suffix.
func TestDepartmentSlugsFit(t *testing.T) {
	long := strings.Repeat("潜江市农业农村局乡村振兴促进服务中心", 6)[:100*3] // 100 characters
	long2 := long[:99*3] + "站"
	names := []string{long, long2, "AUX", "com1", "潜江市民政局"}
	var evals []*score.Evaluation
	for i, n := range names {
		evals = append(evals, &score.Evaluation{Record: &content.Record{Title: n, Department: n, Year: 2023, Slug: "e" + string(rune('a'+i))}})
	}
	m := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	slugs := map[string]bool{}
	for _, n := range names {
		s := m.Department(n).Slug
		if len(s) > maxSlug || content.SegmentProblem(s) != "" {
			t.Errorf("%.30s…: slug %q (%d bytes) cannot be a folder name", n, s, len(s))
		}
		if slugs[s] {
			t.Errorf("slug %q given twice", s)
		}
		slugs[s] = true
	}
	if got := m.Department("AUX").Slug; got != "aux-1" {
		t.Errorf("AUX: slug %q, want aux-1", got)
	}
	if got := m.Department("潜江市民政局").Slug; got != "qianjiangshi-minzhengju" {
		t.Errorf("a short name's slug changed: %q", got)
	}
	again := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	if a, b := m.Department(long).Slug, again.Department(long).Slug; a != b {
		t.Errorf("slug not deterministic: %q then %q", a, b)
	}
}

// TestAttachmentNumberNone checks that a record without a numbered
// attachment label costs the sort no allocation: ordering 10,000 records
// calls attachmentNumber hundreds of thousands of times, and most have no label.
func TestAttachmentNumberNone(t *testing.T) {
	for _, s := range []string{"", "附件", "附件一"} {
		if n, ok := attachmentNumber(s); ok {
			t.Errorf("attachmentNumber(%q) = %d, true; want false", s, n)
		}
		if allocs := testing.AllocsPerRun(100, func() { attachmentNumber(s) }); allocs != 0 {
			t.Errorf("attachmentNumber(%q) makes %.0f allocations, want 0", s, allocs)
		}
	}
	if n, ok := attachmentNumber("附件12"); !ok || n != 12 {
		t.Errorf(`attachmentNumber("附件12") = %d, %v; want 12, true`, n, ok)
	}
}

// TestLatestIsTheSortsFirstTen checks that the home page's latest
// disclosures, found in one pass, are the first ten of the evaluations
// sorted stably newest first, ties (same date, year and label) included.
// TestFirstOfIsTheStableSortsFirst: the feed's fifty entries and the
// home page's ten are firstOf's; ties (equal keys) stay in the order
// given, as the stable sort keeps them.
func TestFirstOfIsTheStableSortsFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	type item struct{ key, at int }
	byKey := func(a, b item) int { return cmp.Compare(a.key, b.key) }
	for round := range 500 {
		xs := make([]item, rng.IntN(80))
		for i := range xs {
			xs[i] = item{rng.IntN(6), i}
		}
		n := rng.IntN(60)
		want := slices.Clone(xs)
		slices.SortStableFunc(want, byKey)
		want = want[:min(n, len(want))]
		if got := firstOf(n, slices.Values(xs), byKey); !slices.Equal(got, want) {
			t.Fatalf("round %d: the first %d of %d: %v, want %v", round, n, len(xs), got, want)
		}
	}
}

func TestLatestIsTheSortsFirstTen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := rng.IntN(40)
		evals := make([]*score.Evaluation, n)
		for i := range evals {
			r := &content.Record{Slug: fmt.Sprint("e", rng.IntN(5)), Title: fmt.Sprint("项目", rng.IntN(3)), Year: 2021 + rng.IntN(3)}
			if rng.IntN(4) > 0 {
				r.Published = &content.Date{Year: 2024, Month: time.Month(1 + rng.IntN(2)), Day: 1 + rng.IntN(2)}
			}
			if rng.IntN(2) == 0 {
				r.Attachment = fmt.Sprint("附件", rng.IntN(4))
			}
			evals[i] = &score.Evaluation{Record: r}
		}
		want := slices.Clone(evals)
		slices.SortStableFunc(want, func(a, b *score.Evaluation) int {
			return cmp.Or(comparePublished(b, a), cmp.Compare(b.Year, a.Year), byAttachment(a, b))
		})
		want = want[:min(10, n)]
		if got := latest(evals); !slices.Equal(got, want) {
			t.Fatalf("round %d: latest of %d gave another list than the sort's first ten", round, n)
		}
	}
}

// TestSortByAttachmentIsStable: evaluations that compare equal (the same
// attachment label, title and slug, in a department's years) keep their
// order, as a stable sort keeps it.
func TestSortByAttachmentIsStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	labels := []string{"", "附件1", "附件2", "附件10", "附表"}
	var evals []*score.Evaluation
	for i := range 500 {
		evals = append(evals, &score.Evaluation{Record: &content.Record{
			Year: 2020 + rng.IntN(3), Attachment: labels[rng.IntN(len(labels))],
			Title: fmt.Sprint("项目", rng.IntN(4)), Slug: fmt.Sprint("s", rng.IntN(3), "-", i%2)}})
	}
	byYear := func(a, b *score.Evaluation) int { return cmp.Compare(a.Year, b.Year) }
	for _, first := range []func(a, b *score.Evaluation) int{nil, byYear} {
		want := slices.Clone(evals)
		slices.SortStableFunc(want, func(a, b *score.Evaluation) int {
			if first != nil {
				if c := first(a, b); c != 0 {
					return c
				}
			}
			return byAttachment(a, b)
		})
		got := slices.Clone(evals)
		sortByAttachment(got, first)
		if !slices.Equal(got, want) {
			t.Errorf("sortByAttachment (first %v) differs from a stable sort", first != nil)
		}
	}
}
