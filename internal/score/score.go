package score

import (
	"fmt"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// Evaluation is a record with everything computed from it.
type Evaluation struct {
	*content.Record

	// HasTotal is false for a grade-only disclosure.
	HasTotal bool
	// Total is the official total: the stated score if given, else the sum
	// of the first-level scores.
	Total decimal.D
	// Max is the sum of first-level full marks, 100 when there are none.
	Max decimal.D
	// Rate is Total/Max×100 in hundredths of a percent.
	Rate decimal.D
	// Computed is the sum of first-level scores; valid when HasIndicators.
	Computed decimal.D
	// GradeShown is the official grade: the stated grade if given, else the
	// grade of Total on the bands.
	GradeShown string
	// GradeComputed is the grade of Total on the bands ("" without a total).
	GradeComputed string
	// GradeRank is GradeShown's place in the bands, 0 for the best, -1 for
	// none; pages colour grades by it.
	GradeRank int
	// Rows is the indicator table, depth first.
	Rows []Row
	// Notes explain each stated value that differs from the computed one,
	// for the page; each also went into the diagnostics as a warning.
	Notes []string
}

// HasIndicators reports whether the record has an indicator table.
func (e *Evaluation) HasIndicators() bool { return len(e.Indicators) > 0 }

// Mismatch reports whether any stated value differs from the computed one.
func (e *Evaluation) Mismatch() bool { return len(e.Notes) > 0 }

// Row is one line of the indicator table.
type Row struct {
	Level int // 1 for first-level indicators
	// Sub is Level > 1 and HasTargets that Target or Actual is given: the
	// page template asks these of every row, and a field costs it far less
	// than a comparison.
	Sub, HasTargets bool
	Name            string
	Max             decimal.D
	Score           decimal.D
	Rate            decimal.D // hundredths of a percent
	Target          string
	Actual          string
	// GradeShown is the stated grade if any, else the computed one; second-
	// and third-level rows without a stated grade show none.
	GradeShown    string
	GradeComputed string
	GradeRank     int // GradeShown's place in the bands, as Evaluation.GradeRank
	// Note explains a stated grade that differs from the computed one.
	Note string
}

// Evaluate computes every record's totals and grades and adds to l each
// sum that does not add up (an error) and each stated value that disagrees
// with the computed one (a warning).
func Evaluate(records []*content.Record, bands Bands, l *diag.List) []*Evaluation {
	out := make([]*Evaluation, len(records))
	for i, r := range records {
		out[i] = evaluate(r, bands, l)
	}
	return out
}

func evaluate(r *content.Record, bands Bands, l *diag.List) *Evaluation {
	e := &Evaluation{Record: r, Max: decimal.FromInt(100)}
	if len(r.Indicators) > 0 {
		var sum, max decimal.D
		for _, ind := range r.Indicators {
			sum += ind.Score
			max += ind.Max
			e.rows(ind, 1, bands, l)
		}
		e.Computed, e.Max, e.Total, e.HasTotal = sum, max, sum, true
		if max != decimal.FromInt(100) {
			l.Warnf(r.At("indicators[0]"), "indicators", "一级指标分值之和通常为 100；请核对各项 max（分值）",
				"一级指标分值（max）合计为 %s，不是 100", max)
		}
	}
	if r.Score != nil {
		if *r.Score > e.Max {
			l.Errorf(r.At("score"), "score", "检查是否多写了一位或写成了别的数；满分为各一级指标分值之和，没有指标时为 100",
				"综合得分 %s 超过了满分 %s", *r.Score, e.Max)
		}
		if e.HasTotal && *r.Score != e.Computed {
			note := fmt.Sprintf("公布的综合得分为 %s 分，各一级指标得分合计为 %s 分；页面显示公布的得分。", *r.Score, e.Computed)
			e.Notes = append(e.Notes, note)
			l.Warnf(r.At("score"), "score", "请核对 score（得分）与各一级指标的 score；如公布的数字本身如此，可保留",
				"填写的综合得分 %s 与一级指标得分合计 %s 不一致", *r.Score, e.Computed)
		}
		e.Total, e.HasTotal = *r.Score, true
	}
	if e.HasTotal {
		// Scores and full marks are at most 1000 with two places and Max
		// is positive, so the rate always fits.
		e.Rate, _ = decimal.Rate(e.Total, e.Max)
		e.GradeComputed = bands.Of(e.Total, e.Max)
	}
	e.GradeShown = r.Grade
	if e.GradeShown == "" {
		e.GradeShown = e.GradeComputed
	} else if e.GradeComputed != "" && r.Grade != e.GradeComputed {
		e.Notes = append(e.Notes, fmt.Sprintf("公布的评价等级为“%s”；按等级标准（%s），综合得分 %s 分应为“%s”。页面显示公布的等级。",
			r.Grade, bands.Describe(), e.Total, e.GradeComputed))
		l.Warnf(r.At("grade"), "grade", "如属笔误请改正；如公布的文件本身如此，可保留（使用 -strict 时此项为错误）",
			"填写的等级“%s”与综合得分不符：%s 分按等级标准应为“%s”（%s）", r.Grade, e.Total, e.GradeComputed, bands.Describe())
	}
	e.GradeRank = bands.Rank(e.GradeShown)
	return e
}

// rows appends ind and its items to e.Rows, checking that children add up.
func (e *Evaluation) rows(ind *content.Indicator, level int, bands Bands, l *diag.List) {
	r := e.Record
	row := Row{
		Level: level, Sub: level > 1, HasTargets: ind.Target != "" || ind.Actual != "",
		Name: ind.Name, Max: ind.Max, Score: ind.Score,
		Target: ind.Target, Actual: ind.Actual,
		GradeComputed: bands.Of(ind.Score, ind.Max),
	}
	row.Rate, _ = decimal.Rate(ind.Score, ind.Max) // fits, as in evaluate
	row.GradeShown = ind.Grade
	if ind.Grade == "" && level == 1 {
		row.GradeShown = row.GradeComputed
	}
	row.GradeRank = bands.Rank(row.GradeShown)
	if ind.Grade != "" && ind.Grade != row.GradeComputed {
		row.Note = fmt.Sprintf("公布的等级为“%s”；得分率 %s/%s = %s%%，按等级标准应为“%s”。",
			ind.Grade, ind.Score, ind.Max, row.Rate, row.GradeComputed)
		e.Notes = append(e.Notes, fmt.Sprintf("“%s”%s", ind.Name, row.Note))
		l.Warnf(r.At(ind.Key+".grade"), ind.Key+".grade", "如属笔误请改正；如公布的文件本身如此，可保留（使用 -strict 时此项为错误）",
			"“%s”填写的等级“%s”与得分率不符：%s/%s = %s%%，按等级标准（%s）应为“%s”",
			ind.Name, ind.Grade, ind.Score, ind.Max, row.Rate, bands.Describe(), row.GradeComputed)
	}
	e.Rows = append(e.Rows, row)
	if len(ind.Items) == 0 {
		return
	}
	var sum, max decimal.D
	for _, it := range ind.Items {
		sum += it.Score
		max += it.Max
		e.rows(it, level+1, bands, l)
	}
	if sum != ind.Score {
		l.Errorf(r.At(ind.Key+".score"), ind.Key+".score", "下级指标得分之和必须等于上级指标得分；请核对各 items 的 score",
			"“%s”得分为 %s，其下级指标得分合计为 %s", ind.Name, ind.Score, sum)
	}
	if max != ind.Max {
		l.Errorf(r.At(ind.Key+".max"), ind.Key+".max", "下级指标分值之和必须等于上级指标分值；请核对各 items 的 max",
			"“%s”分值为 %s，其下级指标分值合计为 %s", ind.Name, ind.Max, max)
	}
}
