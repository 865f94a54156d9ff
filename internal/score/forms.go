package score

import (
	"fmt"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// Result is one scoring of the evaluation: the record's own, or its
// review's.
type Result struct {
	// Label names it for the page: "单位自评结果", "评价结果", "复核结果".
	Label string
	// By is who scored: the record's evaluator, or the review's by; may
	// be "".
	By       string
	HasTotal bool
	Total    decimal.D
	// Rate is Total/Max×100 in hundredths of a percent (Max is the
	// evaluation's full marks).
	Rate decimal.D
	// Grade is the stated grade if any, else GradeComputed.
	Grade         string
	GradeComputed string // the grade of Total on the bands, "" without one
	GradeRank     int    // Grade's place in the bands, -1 for none
}

// Finding is a finding with its computed state.
type Finding struct {
	*content.Finding
	// StatusName is the status in Chinese: 未整改, 整改中, 已整改.
	StatusName string
	// Overdue is true when the finding is not done and its deadline has
	// passed on the build's date (Evaluation.Today).
	Overdue bool
}

// Discrepancy is a stated value that differs from the computed one. The
// page shows the stated value; an acknowledged one is explained neutrally
// with its Reason, the others as a data check (数据核对说明).
type Discrepancy struct {
	// Key is the field checked, as diagnostics and [[accept]] name it:
	// "indicators[1].grade", "execution_rate", "funds.spent".
	Key string
	// Note says for the page what differs and which value is shown.
	Note string
	// Accepted is true when an [[accept]] of the record names Key;
	// Reason is then its reason.
	Accepted bool
	Reason   string
}

// Acknowledgement is a check that an [[accept]] of the record matched.
type Acknowledgement = content.Acknowledgement

// MethodName returns the record's method (评价方式) in Chinese, "" if none.
func (e *Evaluation) MethodName() string { return content.Methods[e.Method] }

// DecisionName returns the result use's decision in Chinese (调减), "" if
// none.
func (e *Evaluation) DecisionName() string {
	if e.ResultUse == nil {
		return ""
	}
	return content.Decisions[e.ResultUse.Decision]
}

// FindingCounts returns how many findings the record has, how many are
// done and how many are overdue: the open data's columns.
func (e *Evaluation) FindingCounts() (total, done, overdue int) {
	for _, f := range e.Findings {
		if f.Status == "done" {
			done++
		}
		if f.Overdue {
			overdue++
		}
	}
	return len(e.Findings), done, overdue
}

// result computes a scoring's grade from its total on the bands.
func result(hasTotal bool, total, max decimal.D, grade string, bands Bands) Result {
	res := Result{HasTotal: hasTotal, Total: total, Grade: grade}
	if hasTotal {
		// Scores and full marks are at most 1000 with two places and max
		// is positive, so the rate always fits.
		res.Rate, _ = decimal.Rate(total, max)
		res.GradeComputed = bands.Of(total, max)
	}
	if res.Grade == "" {
		res.Grade = res.GradeComputed
	}
	res.GradeRank = bands.Rank(res.Grade)
	return res
}

// forms computes and checks the second edition's fields. own is the
// record's own result, checked already.
func (e *Evaluation) forms(c *checker, own Result, bands Bands) {
	r := e.Record
	headline := own
	e.Official = own.Label
	if rv := r.Review; rv != nil {
		var total decimal.D
		if rv.Score != nil {
			total = *rv.Score
			if total > e.Max {
				c.errorf("review.score", "检查复核得分是否多写了一位；满分为各一级指标分值之和，没有指标时为 100",
					"复核得分 %s 超过了满分 %s", total, e.Max)
			}
		}
		review := result(rv.Score != nil, total, e.Max, rv.Grade, bands)
		review.Label, review.By = "复核结果", rv.By
		if rv.Grade != "" && review.GradeComputed != "" && rv.Grade != review.GradeComputed {
			c.discrepancy("review.grade", fmt.Sprintf("复核公布的等级为“%s”；按等级标准（%s），复核得分 %s 分应为“%s”。页面显示公布的等级。",
				rv.Grade, bands.Describe(), total, review.GradeComputed),
				"如属笔误请改正；如复核文件本身如此，可保留（使用 -strict 时此项为错误）",
				"复核填写的等级“%s”与复核得分不符：%s 分按等级标准应为“%s”（%s）", rv.Grade, total, review.GradeComputed, bands.Describe())
		}
		if rv.Official {
			headline, e.Official = review, review.Label
			e.Other = &own
		} else {
			e.Other = &review
		}
	}
	e.HasTotal, e.Total, e.Rate = headline.HasTotal, headline.Total, headline.Rate
	e.GradeShown, e.GradeComputed, e.GradeRank = headline.Grade, headline.GradeComputed, headline.GradeRank

	e.money(c)
	e.findings(c)
	if !e.Today.IsZero() {
		for i, cr := range r.Corrections {
			if key := fmt.Sprintf("corrections[%d].date", i); cr.Date.After(e.Today) {
				c.warn(key, r.At(key), "更新记录写已经做过的改动；检查年份、月份是否写错",
					"更新日期 %s 晚于今天（%s）", cr.Date, e.Today)
			}
		}
	}
}

// money computes the execution rate and checks the stated one and the
// fund rows against the record's amounts.
func (e *Evaluation) money(c *checker) {
	r := e.Record
	if r.Budget != nil && r.Spent != nil {
		e.Overspent = r.Spent.Value > r.Budget.Value
		if r.Budget.Value > 0 {
			// Amounts are below 10^9 万元, so the rate fits (see Rate).
			e.ExecutionComputed, e.HasExecutionComputed = decimal.Rate(r.Spent.Value, r.Budget.Value)
		}
	}
	switch {
	case r.ExecutionRate != nil:
		e.Execution = r.ExecutionRate.String()
		if e.HasExecutionComputed && !decimal.RateAgrees(*r.ExecutionRate, r.Spent.Value, r.Budget.Value) {
			c.discrepancy("execution_rate",
				fmt.Sprintf("公布的执行率为 %s%%；全年执行数 %s 万元 ÷ 全年预算数 %s 万元 = %s%%。页面显示公布的执行率。",
					r.ExecutionRate, r.Spent, r.Budget, e.ExecutionComputed.Fixed(2)),
				"执行率 = 全年执行数 ÷ 全年预算数 × 100%，按公布的小数位四舍五入或截取均可；如属笔误请改正，如公布的文件本身如此，可保留",
				"填写的执行率 %s%% 与 spent ÷ budget 不符：%s ÷ %s × 100 = %s%%", r.ExecutionRate, r.Spent, r.Budget, e.ExecutionComputed.Fixed(2))
		}
	case e.HasExecutionComputed:
		e.Execution = e.ExecutionComputed.Fixed(2)
	}
	if len(r.Funds) == 0 {
		return
	}
	for _, col := range []struct {
		key, name string
		total     *decimal.Amount
		row       func(*content.Fund) *decimal.Amount
	}{
		{"budget_initial", "年初预算数", r.BudgetInitial, func(f *content.Fund) *decimal.Amount { return f.BudgetInitial }},
		{"budget", "全年预算数", r.Budget, func(f *content.Fund) *decimal.Amount { return f.Budget }},
		{"spent", "全年执行数", r.Spent, func(f *content.Fund) *decimal.Amount { return f.Spent }},
	} {
		if col.total == nil {
			continue
		}
		// Rows are at most MaxFunds amounts below 10^9 万元: the sum fits.
		var sum decimal.D
		given := false
		for _, f := range r.Funds {
			if a := col.row(f); a != nil {
				sum += a.Value
				given = true
			}
		}
		if !given || sum == col.total.Value {
			continue
		}
		c.discrepancyAt("funds."+col.key, r.At(col.key),
			fmt.Sprintf("各资金来源的%s合计为 %s 万元，公布的资金总额为 %s 万元；页面显示公布的数字。", col.name, sum, col.total),
			"核对 [[funds]] 各行的 "+col.key+" 与记录的 "+col.key+"；空着的行按 0 计；如公布的表格本身如此，可保留",
			"[[funds]] 各行的 %s（%s）合计 %s 万元，与 %s = %s 万元不一致", col.key, col.name, sum, col.key, col.total)
	}
}

// findings computes each finding's state and checks its dates.
func (e *Evaluation) findings(c *checker) {
	r := e.Record
	for _, f := range r.Findings {
		st := Finding{Finding: f, StatusName: content.Statuses[f.Status]}
		if f.Deadline != nil {
			if f.Deadline.Year < r.Year {
				c.warn(f.Key+".deadline", r.At(f.Key+".deadline"), "整改期限通常在评价之后；检查年份是否写错",
					"整改期限 %s 早于评价的预算年度 %d 年", f.Deadline, r.Year)
			}
			st.Overdue = f.Status != "done" && !e.Today.IsZero() && e.Today.After(*f.Deadline)
		}
		if f.Done != nil && !e.Today.IsZero() && f.Done.After(e.Today) {
			c.warn(f.Key+".done", r.At(f.Key+".done"), "完成日期应是已经过去的日期；检查年份、月份是否写错",
				"完成日期 %s 晚于今天（%s）", f.Done, e.Today)
		}
		e.Findings = append(e.Findings, st)
	}
}

// checker reports the problems of one record. A warning whose key an
// [[accept]] of the record names becomes a note that carries the reason,
// and the acknowledgement is kept for the page; at the end, an
// acknowledgement that matched nothing is a warning.
type checker struct {
	e       *Evaluation
	l       *diag.List
	accepts map[string]*content.Accept
	used    map[string]bool
	errors  map[string]bool
}

func newChecker(e *Evaluation, l *diag.List) *checker {
	c := &checker{e: e, l: l}
	if len(e.Accepts) > 0 {
		c.accepts = make(map[string]*content.Accept, len(e.Accepts))
		for _, a := range e.Accepts {
			c.accepts[a.Key] = a
		}
		c.used, c.errors = map[string]bool{}, map[string]bool{}
		// The loader's own acknowledged warnings come first.
		for _, ack := range e.AcceptedWarnings {
			c.used[ack.Key] = true
			e.Acknowledged = append(e.Acknowledged, ack)
		}
	}
	return c
}

// errorf reports an error about key; errors cannot be acknowledged.
func (c *checker) errorf(key, hint, format string, args ...any) {
	if c.errors != nil {
		c.errors[key] = true
	}
	c.l.Errorf(c.e.At(key), key, hint, "%s", c.where(key)+fmt.Sprintf(format, args...))
}

// where names key in Chinese with the record's names (content.Where), as
// the start of a message.
func (c *checker) where(key string) string {
	if w := c.e.Record.Where(key); w != "" {
		return w + "："
	}
	return ""
}

// warn reports a warning about key at pos, or a note when the record
// acknowledges it, and returns the acknowledgement, if any. The message
// starts with where the key stands (see where): a format names no
// indicator, finding or fund itself.
func (c *checker) warn(key string, pos diag.Pos, hint, format string, args ...any) *content.Accept {
	a := c.accepts[key]
	if a == nil {
		c.l.Warnf(pos, key, hint, "%s", c.where(key)+fmt.Sprintf(format, args...))
		return nil
	}
	msg := c.where(key) + fmt.Sprintf(format, args...)
	c.used[key] = true
	c.e.Acknowledged = append(c.e.Acknowledged, Acknowledgement{Key: key, Reason: a.Reason, Message: msg})
	c.l.Notef(pos, key, "", "%s", a.NoteOf(msg))
	return a
}

// discrepancy reports a stated value that differs from the computed one,
// at key's position, with note for the page.
func (c *checker) discrepancy(key, note, hint, format string, args ...any) *content.Accept {
	return c.discrepancyAt(key, c.e.At(key), note, hint, format, args...)
}

func (c *checker) discrepancyAt(key string, pos diag.Pos, note, hint, format string, args ...any) *content.Accept {
	a := c.warn(key, pos, hint, format, args...)
	d := Discrepancy{Key: key, Note: note}
	if a != nil {
		d.Accepted, d.Reason = true, a.Reason
	}
	c.e.Discrepancies = append(c.e.Discrepancies, d)
	c.e.Notes = append(c.e.Notes, note)
	return a
}

// finish reports the acknowledgements that matched no warning, in the
// record's order, and orders Acknowledged like them.
func (c *checker) finish() {
	if c.accepts == nil {
		return
	}
	var ordered []Acknowledgement
	for _, a := range c.e.Accepts {
		if c.used[a.Key] {
			for _, ack := range c.e.Acknowledged {
				if ack.Key == a.Key {
					ordered = append(ordered, ack)
					break
				}
			}
			continue
		}
		hint := "差异已改正的，删除这条 [[accept]]；否则检查 key 是否与检查报告中的字段名一致（例如 indicators[1].grade）"
		if c.errors[a.Key] {
			hint = "错误必须改正，不能用 [[accept]] 确认；改正后删除这条 [[accept]]"
		}
		c.l.Warnf(c.e.At(a.At+".key"), a.At+".key", hint, "[[accept]] 确认的 %q 没有对应的警告", a.Key)
	}
	c.e.Acknowledged = ordered
}
