package chart

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// programme returns the 附件1 programme of the default content as evaluated in
// 2021 (grade only), 2022 (78, 中) and 2023 (the seed's 93.5, 优).
func programme(t *testing.T) []*score.Evaluation {
	t.Helper()
	seedOne := seed(t)[0]
	older := []*content.Record{
		{File: "2021/evaluations/ds.toml", Slug: "ds", Title: seedOne.Title, Department: seedOne.Department,
			Year: 2021, Series: "ds", Grade: "良"},
		{File: "2022/evaluations/ds.toml", Slug: "ds", Title: seedOne.Title, Department: seedOne.Department,
			Year: 2022, Series: "ds", Score: ptr(d("78"))},
	}
	evals := score.Evaluate(older, score.DefaultBands, &diag.List{})
	return append(evals, seedOne)
}

func TestTrendGolden(t *testing.T) {
	s := programme(t)
	c, err := Trend(s, score.DefaultBands)
	if err != nil || c == nil {
		t.Fatalf("Trend = %v, %v", c, err)
	}
	golden(t, "trend", c)
	for _, want := range []string{"2021年 无综合得分，良", "2022年 78 分，中", "2023年 93.5 分，优。"} {
		if !strings.Contains(c.Description, want) {
			t.Errorf("description %q lacks %q", c.Description, want)
		}
	}
}

func TestTrendNeedsTwoScores(t *testing.T) {
	s := programme(t)
	// 2021 has a grade only: with 2022 alone there is one bar, no trend.
	c, err := Trend(s[:2], score.DefaultBands)
	if c != nil || err != nil {
		t.Errorf("Trend of one scored year = %v, %v; want nil, nil", c, err)
	}
}

func TestTrendNamesTwoEvaluationsOfOneYear(t *testing.T) {
	s := programme(t)
	again := *s[2].Record
	again.Slug, again.Attachment, again.Score = "ds-2", "附件5", ptr(d("88"))
	twice := append(s[1:], score.Evaluate([]*content.Record{&again}, score.DefaultBands, &diag.List{})...)
	c, err := Trend(twice, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2023年 附件1", "2023年 附件5"} {
		if !strings.Contains(c.Option, want) {
			t.Errorf("the option does not tell the two 2023 evaluations apart: it lacks %q", want)
		}
	}
}
