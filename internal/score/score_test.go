package score

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

func d(s string) decimal.D {
	v, err := decimal.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestBandsOf(t *testing.T) {
	tests := []struct {
		part, whole string
		want        string
	}{
		// Totals out of 100, at the boundaries.
		{"100", "100", "优"},
		{"90.01", "100", "优"},
		{"90", "100", "优"},
		{"89.99", "100", "良"},
		{"80", "100", "良"},
		{"79.99", "100", "中"},
		{"60", "100", "中"},
		{"59.99", "100", "差"},
		{"0", "100", "差"},

		// Score rates of indicators: exact, never rounded up into a band.
		{"26.5", "30", "良"},  // 88.33 %: the seed's 项目过程
		{"18", "20", "优"},    // exactly 90 %
		{"17", "20", "良"},    // 85 %
		{"37", "40", "优"},    // 92.5 %
		{"26.99", "30", "良"}, // 89.97 %
		{"27", "30", "优"},    // 90 %
		{"2.99", "3.33", "良"},
		{"0", "3", "差"},
	}
	for _, tt := range tests {
		if got := DefaultBands.Of(d(tt.part), d(tt.whole)); got != tt.want {
			t.Errorf("Of(%s, %s) = %q, want %q", tt.part, tt.whole, got, tt.want)
		}
	}
}

func TestBandsDescribe(t *testing.T) {
	if got, want := DefaultBands.Describe(), "优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}

func ind(key, name, max, score, grade string, items ...*content.Indicator) *content.Indicator {
	return &content.Indicator{Key: key, Name: name, Max: d(max), Score: d(score), Grade: grade, Items: items}
}

func rec(indicators ...*content.Indicator) *content.Record {
	return &content.Record{
		File: "content/2023/evaluations/x.toml", Slug: "x", Title: "t", Department: "d", Year: 2023,
		Indicators: indicators,
		Pos: content.KeyPositions(map[string]diag.Pos{
			"score":               {File: "content/2023/evaluations/x.toml", Line: 3, Col: 1},
			"grade":               {File: "content/2023/evaluations/x.toml", Line: 4, Col: 1},
			"indicators[1].grade": {File: "content/2023/evaluations/x.toml", Line: 20, Col: 1},
			"indicators[0].score": {File: "content/2023/evaluations/x.toml", Line: 9, Col: 1},
			"indicators[0].max":   {File: "content/2023/evaluations/x.toml", Line: 8, Col: 1},
		}),
	}
}

func ptr(v decimal.D) *decimal.D { return &v }

func TestEvaluateSeed(t *testing.T) {
	// 附件1 as published: one stated grade contradicts the bands.
	r := rec(
		ind("indicators[0]", "项目决策", "20", "17", "良"),
		ind("indicators[1]", "项目过程", "30", "26.5", "优"),
		ind("indicators[2]", "项目产出", "30", "30", "优"),
		ind("indicators[3]", "项目效果", "20", "20", "优"),
	)
	r.Score, r.Grade = ptr(d("93.5")), "优"
	var l diag.List
	e := Evaluate([]*content.Record{r}, DefaultBands, &l)[0]
	if e.Total != d("93.5") || e.Computed != d("93.5") || e.GradeShown != "优" || e.GradeComputed != "优" {
		t.Errorf("total %s computed %s grade %s/%s, want 93.5 93.5 优/优", e.Total, e.Computed, e.GradeShown, e.GradeComputed)
	}
	items := l.Items()
	if len(items) != 1 {
		t.Fatalf("got %d findings, want exactly 1: %v", len(items), items)
	}
	f := items[0]
	if f.Severity != diag.Warning || f.Line != 20 || f.Field != "indicators[1].grade" ||
		!strings.Contains(f.Message, "88.33%") || !strings.Contains(f.Message, "应为“良”") {
		t.Errorf("finding = %v", f)
	}
	if row := e.Rows()[1]; row.GradeShown != "优" || row.GradeComputed != "良" || row.Note == "" {
		t.Errorf("row 项目过程 shows %q computed %q note %q; want the stated 优 with a note", row.GradeShown, row.GradeComputed, row.Note)
	}
	if !l.Failed(true) || l.Failed(false) {
		t.Errorf("Failed(strict) = %v, Failed(lax) = %v; want true, false", l.Failed(true), l.Failed(false))
	}
}

func TestEvaluateChecks(t *testing.T) {
	tests := []struct {
		name   string
		record *content.Record
		want   []string // substrings of the findings, in order
	}{
		{
			name: "children add up",
			record: rec(ind("indicators[0]", "决策", "100", "90", "",
				ind("indicators[0].items[0]", "a", "60", "50", ""),
				ind("indicators[0].items[1]", "b", "40", "40", ""))),
		},
		{
			name: "children scores do not add up",
			record: rec(ind("indicators[0]", "决策", "100", "90", "",
				ind("indicators[0].items[0]", "a", "60", "55", ""),
				ind("indicators[0].items[1]", "b", "40", "40", ""))),
			want: []string{"x.toml:9:1: error: indicators[0].score: 第1个一级指标「决策」的得分：90，其下级指标得分合计为 95"},
		},
		{
			name: "children max do not add up",
			record: rec(ind("indicators[0]", "决策", "100", "90", "",
				ind("indicators[0].items[0]", "a", "50", "50", ""),
				ind("indicators[0].items[1]", "b", "40", "40", ""))),
			want: []string{"x.toml:8:1: error: indicators[0].max: 第1个一级指标「决策」的分值：100，其下级指标分值合计为 90"},
		},
		{
			name: "stated total differs",
			record: func() *content.Record {
				r := rec(ind("indicators[0]", "决策", "100", "90", ""))
				r.Score = ptr(d("91"))
				return r
			}(),
			want: []string{"x.toml:3:1: warning: score: 填写的综合得分 91 与一级指标得分合计 90 不一致"},
		},
		{
			name:   "stated grade differs from total",
			record: func() *content.Record { r := rec(); r.Score, r.Grade = ptr(d("79.5")), "良"; return r }(),
			want:   []string{"x.toml:4:1: warning: grade: 填写的等级“良”与综合得分不符：79.5 分按等级标准应为“中”"},
		},
		{
			name:   "stated total above full marks",
			record: func() *content.Record { r := rec(); r.Score = ptr(d("120")); return r }(),
			want:   []string{"x.toml:3:1: error: score: 综合得分 120 超过了满分 100"},
		},
		{
			name: "stated total above the indicators' full marks",
			record: func() *content.Record {
				r := rec(ind("indicators[0]", "决策", "90", "80", ""))
				r.Score = ptr(d("95"))
				return r
			}(),
			want: []string{"warning: indicators: 一级指标分值（max）合计为 90",
				"warning: score: 填写的综合得分 95 与一级指标得分合计 80 不一致", "error: score: 综合得分 95 超过了满分 90"},
		},
		{
			name:   "grade only",
			record: func() *content.Record { r := rec(); r.Grade = "优"; return r }(),
		},
		{
			name:   "max not 100",
			record: rec(ind("indicators[0]", "决策", "90", "80", "")),
			want:   []string{"warning: indicators: 一级指标分值（max）合计为 90，不是 100"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l diag.List
			Evaluate([]*content.Record{tt.record}, DefaultBands, &l)
			items := l.Items()
			if len(items) != len(tt.want) {
				t.Fatalf("got %d findings, want %d: %v", len(items), len(tt.want), items)
			}
			for i, w := range tt.want {
				if !strings.Contains(items[i].String(), w) {
					t.Errorf("finding %d = %q, want it to contain %q", i, items[i], w)
				}
			}
		})
	}
}

func TestGradeOnlyHasNoTotal(t *testing.T) {
	r := rec()
	r.Grade = "良"
	e := Evaluate([]*content.Record{r}, DefaultBands, &diag.List{})[0]
	if e.HasTotal || e.GradeShown != "良" {
		t.Errorf("HasTotal %v GradeShown %q, want false 良", e.HasTotal, e.GradeShown)
	}
}
