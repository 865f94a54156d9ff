package score

import (
	"fmt"
	"sync/atomic"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// Evaluation is a record with everything computed from it.
type Evaluation struct {
	*content.Record

	// The headline result below (HasTotal, Total, Rate, GradeShown,
	// GradeComputed, GradeRank) is the official one, which drives the
	// page's verdict, lists, charts, search facets and open data: the
	// record's own, or its [review]'s when the review is official (see
	// Other for the one beside it).

	// HasTotal is false for a grade-only disclosure.
	HasTotal bool
	// Total is the official total: the stated score if given, else the sum
	// of the first-level scores; a review's score when it is official.
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
	// bands are the grade bands the evaluation was scored on, for Rows.
	bands Bands
	// Notes explain each stated value that differs from the computed one,
	// for the page; each also went into the diagnostics as a warning, or
	// as a note when the record acknowledges it ([[accept]]). It is the
	// text of every Discrepancies entry, acknowledged or not, in order;
	// Discrepancies says which are acknowledged and why.
	Notes []string

	// What the second edition of the record computes (forms.go): the
	// official result and the other one, the execution rate and
	// overspending, the state of each finding, the discrepancies and
	// their acknowledgements. The stated values themselves are on the
	// record: Budget, Spent, BudgetInitial, ExecutionRate, Funds, Goal,
	// Outcome, Method, Review, ResultUse, Documents, Corrections, and
	// Record.Updated() is the newest correction's date.

	// Today is the build's date that findings were judged on; zero when
	// the caller gave none (Evaluate), and then no finding is overdue.
	Today content.Date

	// Official labels the headline result (Total, GradeShown and the
	// rest): "复核结果" when an official review drives it, else the
	// record's own result, "单位自评结果" (the method's name) or "评价结果".
	Official string
	// Other is the result shown beside the headline, labelled: the
	// record's own when its review is official, the review's when it is
	// not; nil without a [review].
	Other *Result

	// Execution is the 执行率 shown, a percentage without its sign: the
	// stated execution_rate as written, else spent ÷ budget × 100 to
	// two places; "" when neither can be given.
	Execution string
	// ExecutionComputed is spent ÷ budget × 100 rounded to two places,
	// valid when HasExecutionComputed (both amounts given, budget > 0).
	ExecutionComputed    decimal.D
	HasExecutionComputed bool
	// Overspent is true when spent exceeds budget (全年执行数 > 全年预算数).
	Overspent bool

	// Findings are the record's findings with their computed state, in
	// the record's order (they hide Record.Findings, the stated ones).
	Findings []Finding

	// Discrepancies are the stated values that differ from the computed
	// ones (score, grade, indicator grades, execution rate, fund rows,
	// review grade), in the order checked; Notes holds their texts.
	Discrepancies []Discrepancy
	// Acknowledged are the record's [[accept]] entries that matched a
	// check, discrepancy or other warning, in the record's order.
	Acknowledged []Acknowledgement

	// held are the rows while the evaluation's page is made (HoldRows).
	held atomic.Pointer[[]Row]
}

// Mismatch reports whether any stated value differs from the computed one,
// acknowledged or not (see Discrepancies).
func (e *Evaluation) Mismatch() bool { return len(e.Notes) > 0 }

// Rows returns the indicator table, depth first. It is made from the
// record's indicators each time it is asked for, as the checks made it
// (but while HoldRows holds one): kept for every evaluation of a site,
// the tables took 27 MB at 10,000 evaluations (2.7 GB at a million), for
// one page each.
func (e *Evaluation) Rows() []Row {
	if held := e.held.Load(); held != nil {
		return *held
	}
	return e.makeRows()
}

// HoldRows makes Rows return one table, made now, until the release it
// returns is called: the page of an evaluation reads its table twice
// (its chart and its score table), and each making unpacks the record's
// indicators again. The rows given are the caller's to read only.
func (e *Evaluation) HoldRows() (release func()) {
	rows := e.makeRows()
	e.held.Store(&rows)
	return func() { e.held.Store(nil) }
}

// makeRows makes the indicator table.
func (e *Evaluation) makeRows() []Row {
	inds := e.IndicatorTree()
	if len(inds) == 0 {
		return nil
	}
	rows := make([]Row, 0, countRows(inds))
	for _, ind := range inds {
		rows = e.rows(rows, ind, 1, e.bands, nil)
	}
	return rows
}

// countRows is the number of rows of inds and their items.
func countRows(inds []*content.Indicator) int {
	n := len(inds)
	for _, ind := range inds {
		n += countRows(ind.Items)
	}
	return n
}

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
	// Reason is why the record keeps that grade, when it acknowledges
	// the difference ([[accept]]): the page shows it as a neutral 说明.
	Reason string
	// Deviation is the row's 偏差原因分析及改进措施, as written.
	Deviation string
}

// Evaluate computes every record's totals and grades and adds to l each
// sum that does not add up (an error) and each stated value that disagrees
// with the computed one (a warning, or a note when the record acknowledges
// it). It judges no date against the day of the build: no finding is
// overdue. A build calls EvaluateAt.
func Evaluate(records []*content.Record, bands Bands, l *diag.List) []*Evaluation {
	return EvaluateAt(records, bands, content.Date{}, l)
}

// EvaluateAt is Evaluate on the build's date today, in the site's time
// zone: findings past their deadline are overdue, a completion date after
// today is suspicious. The caller passes the date, so that a build is
// reproducible and the model never reads the clock.
func EvaluateAt(records []*content.Record, bands Bands, today content.Date, l *diag.List) []*Evaluation {
	out := make([]*Evaluation, len(records))
	for i, r := range records {
		out[i] = evaluate(r, bands, today, l)
	}
	return out
}

// EvaluateOne is EvaluateAt for one record: a build evaluates each record
// on the worker that loaded it, while its key positions are in memory.
func EvaluateOne(r *content.Record, bands Bands, today content.Date, l *diag.List) *Evaluation {
	return evaluate(r, bands, today, l)
}

func evaluate(r *content.Record, bands Bands, today content.Date, l *diag.List) *Evaluation {
	e := &Evaluation{Record: r, Max: decimal.FromInt(100), bands: bands}
	e.Today = today
	c := newChecker(e, l)
	if len(r.Indicators) > 0 {
		var sum, max decimal.D
		for _, ind := range r.Indicators {
			sum += ind.Score
			max += ind.Max
			e.rows(nil, ind, 1, bands, c)
		}
		e.Computed, e.Max, e.Total, e.HasTotal = sum, max, sum, true
		if max != decimal.FromInt(100) {
			c.warn("indicators", r.At("indicators[0]"), "一级指标分值之和通常为 100；请核对各项 max（分值）",
				"一级指标分值（max）合计为 %s，不是 100", max)
		}
	}
	if r.Score != nil {
		if *r.Score > e.Max {
			c.errorf("score", "检查是否多写了一位或写成了别的数；满分为各一级指标分值之和，没有指标时为 100",
				"综合得分 %s 超过了满分 %s", *r.Score, e.Max)
		}
		if e.HasTotal && *r.Score != e.Computed {
			c.discrepancy("score", fmt.Sprintf("公布的综合得分为 %s 分，各一级指标得分合计为 %s 分；页面显示公布的得分。", *r.Score, e.Computed),
				"请核对 score（得分）与各一级指标的 score；如公布的数字本身如此，可保留",
				"填写的综合得分 %s 与一级指标得分合计 %s 不一致", *r.Score, e.Computed)
		}
		e.Total, e.HasTotal = *r.Score, true
	}
	own := result(e.HasTotal, e.Total, e.Max, r.Grade, bands)
	if own.Grade != own.GradeComputed && own.GradeComputed != "" {
		c.discrepancy("grade", fmt.Sprintf("公布的评价等级为“%s”；按等级标准（%s），综合得分 %s 分应为“%s”。页面显示公布的等级。",
			r.Grade, bands.Describe(), e.Total, own.GradeComputed),
			"如属笔误请改正；如公布的文件本身如此，可保留（使用 -strict 时此项为错误）",
			"填写的等级“%s”与综合得分不符：%s 分按等级标准应为“%s”（%s）", r.Grade, e.Total, own.GradeComputed, bands.Describe())
	}
	own.Label = "评价结果"
	if name := content.Methods[r.Method]; name != "" {
		own.Label = name + "结果"
	}
	own.By = r.Evaluator
	e.forms(c, own, bands)
	c.finish()
	return e
}

// rows appends the rows of ind and its items to out. With a checker (when
// the record is evaluated) it checks that children add up and that stated
// grades agree, and keeps no row; without (Rows), it reads the reasons of
// acknowledged grades from the discrepancies the check found.
func (e *Evaluation) rows(out []Row, ind *content.Indicator, level int, bands Bands, c *checker) []Row {
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
	row.Deviation = ind.Deviation
	if ind.Grade != "" && ind.Grade != row.GradeComputed {
		row.Note = fmt.Sprintf("公布的等级为“%s”；得分率 %s/%s = %s%%，按等级标准应为“%s”。",
			ind.Grade, ind.Score, ind.Max, row.Rate, row.GradeComputed)
		key := ind.Key + ".grade"
		if c == nil {
			for _, d := range e.Discrepancies {
				if d.Key == key && d.Accepted {
					row.Reason = d.Reason
					break
				}
			}
		} else if a := c.discrepancy(key, fmt.Sprintf("“%s”%s", ind.Name, row.Note),
			"如属笔误请改正；如公布的文件本身如此，可保留（使用 -strict 时此项为错误）",
			"填写的“%s”与得分率不符：%s/%s = %s%%，按等级标准（%s）应为“%s”",
			ind.Grade, ind.Score, ind.Max, row.Rate, bands.Describe(), row.GradeComputed); a != nil {
			row.Reason = a.Reason
		}
	}
	if c == nil {
		out = append(out, row)
	}
	if len(ind.Items) == 0 {
		return out
	}
	var sum, max decimal.D
	for _, it := range ind.Items {
		sum += it.Score
		max += it.Max
		out = e.rows(out, it, level+1, bands, c)
	}
	if c == nil {
		return out
	}
	if sum != ind.Score {
		c.errorf(ind.Key+".score", "下级指标得分之和必须等于上级指标得分；请核对各 items 的 score",
			"%s，其下级指标得分合计为 %s", ind.Score, sum)
	}
	if max != ind.Max {
		c.errorf(ind.Key+".max", "下级指标分值之和必须等于上级指标分值；请核对各 items 的 max",
			"%s，其下级指标分值合计为 %s", ind.Max, max)
	}
	return out
}
