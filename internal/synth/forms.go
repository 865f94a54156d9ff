package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/evalpress/evalpress/internal/decimal"
)

// forms is what the second edition of the record adds to a generated
// record: the money block as a self-evaluation form gives it, the year's
// goal, the method and a review, findings, the result use and corrections.
// It is drawn from a stream of its own (formsStream), after fill, so that
// the first edition's fields and the narratives are the same bytes as
// before the second edition existed: a corpus changes only by what it
// gains.
type forms struct {
	budgetInitial decimal.D
	hasInitial    bool
	// rate is the stated execution rate, "" for none.
	rate          string
	funds         []fund
	goal, outcome string
	method        string
	review        *review
	findings      []finding
	use           *resultUse
	corrections   []correction
}

type fund struct {
	source                string
	budgetInitial, budget decimal.D
	spent                 decimal.D
	hasSpent              bool
}

type review struct {
	by       string
	score    decimal.D
	grade    string
	official bool
}

type finding struct {
	problem, measure, owner string
	deadline                string
	status                  string
	done                    string // "" unless status is done
	result                  string
}

type resultUse struct {
	decision   string
	nextBudget decimal.D
	note       string
}

type correction struct{ date, note string }

// The shares of the second edition's fields; see fillForms for what each
// is a share of.
const (
	moneyRate      = 0.80 // of project and policy records with a budget: budget_initial
	statedRate     = 0.60 // of those with spent: a stated execution_rate
	exactRate      = 0.20 // of amounts spent: written to 元 (89.974), not to 百元
	fundsRate      = 0.30 // of records with a money block: rows by source
	goalRate       = 0.85 // of project records with indicators: goal and outcome
	methodRate     = 0.70 // of records: a stated method
	reviewRate     = 0.25 // of self-evaluations with a total: a review
	findingsRate   = 0.40 // of records with indicators: 1–3 findings
	resultUseRate  = 0.35 // of records with indicators: a result use
	deviationRate  = 0.20 // of leaves that lost points: a deviation
	correctionRate = 0.02 // of published records: a correction
)

// formsStream is the stream of record i's second-edition fields; streams
// 1..n fill the records and 1<<32+year the year reports.
func formsStream(seed int64, i int) *rand.Rand { return stream(seed, 1<<33+uint64(i)) }

// fillForms draws the second edition's fields of a filled record. Every
// figure agrees with the others (the rows by source add up, a stated rate
// is spent ÷ budget rounded, a review's grade is its score's), so the
// corpus stays clean.
func (r *record) fillForms(rng *rand.Rand) {
	f := &r.forms
	hasTotal := r.statesScore || len(r.indicators) > 0
	if r.hasBudget && (r.kind == "project" || r.kind == "policy") && rng.Float64() < moneyRate {
		f.hasInitial = true
		// Most budgets are adjusted during the year by a few percent, if
		// at all.
		f.budgetInitial = r.budget
		if rng.Float64() < 0.4 {
			f.budgetInitial = decimal.D(float64(r.budget/cent)*(0.85+0.15*rng.Float64())) * cent
		}
		if r.hasSpent && rng.Float64() < exactRate {
			// Written to 元: 万元 with up to four places, kept below the
			// budget's next cent so that nothing else changes.
			r.spent += decimal.D(rng.IntN(100)) * (cent / 100)
		}
		if r.hasSpent && rng.Float64() < statedRate {
			rate, _ := decimal.Rate(r.spent, r.budget)
			f.rate = rate.Fixed(2)
		}
		if rng.Float64() < fundsRate {
			f.funds = splitFunds(rng, f.budgetInitial, r.budget, r.spent, r.hasSpent)
		}
	}
	if r.kind == "project" && r.prog != nil && len(r.indicators) > 0 && rng.Float64() < goalRate {
		p := r.prog
		planned := p.lo + rng.IntN(p.hi-p.lo+1)
		done := planned * (90 + rng.IntN(16)) / 100
		f.goal = fmt.Sprintf("按时足额发放%s，%s不少于 %d %s，%s满意度不低于 90%%。", p.benefit, p.output, planned, p.unit, p.object)
		f.outcome = fmt.Sprintf("全年%s %d %s，资金按规定拨付到位，%s满意度 %d%%。", p.output, done, p.unit, p.object, 88+rng.IntN(12))
	}
	if rng.Float64() < methodRate {
		f.method = pick(rng, []string{"self", "self", "self", "self", "department", "department", "finance", "finance", "third-party"})
	}
	if f.method == "self" && hasTotal && rng.Float64() < reviewRate {
		full := decimal.FromInt(100)
		if len(r.indicators) > 0 {
			full = 0
			for _, ind := range r.indicators {
				full += ind.max
			}
		}
		// A review mostly takes a few points off, in half points.
		s := max(r.score-decimal.D(rng.IntN(11))*(decimal.Scale/2), 0)
		f.review = &review{by: "潜江市财政局", score: s, grade: gradeOf(s, full), official: rng.Float64() < 0.7}
	}
	if len(r.indicators) == 0 {
		return
	}
	for _, l := range leaves(r.indicators) {
		if l.score < l.max && rng.Float64() < deviationRate {
			l.deviation = pick(rng, deviations)
		}
	}
	if rng.Float64() < findingsRate {
		for i := range 1 + rng.IntN(3) {
			f.findings = append(f.findings, r.newFinding(rng, i))
		}
	}
	if rng.Float64() < resultUseRate {
		u := &resultUse{note: pick(rng, useNotes)}
		factor := 1.0
		switch r.grade {
		case "优":
			u.decision, factor = pick(rng, []string{"priority", "keep"}), 1.05
		case "良":
			u.decision = "keep"
		case "中":
			u.decision, factor = "reduce", 0.85
		default:
			u.decision, factor = pick(rng, []string{"cancel", "suspend"}), 0
		}
		u.nextBudget = decimal.D(float64(r.budget/cent)*factor) * cent
		f.use = u
	}
	if r.published != "" && r.published < "2030" && rng.Float64() < correctionRate {
		p, _ := time.Parse(time.DateOnly, r.published)
		f.corrections = []correction{{p.AddDate(0, 0, 7+rng.IntN(60)).Format(time.DateOnly), pick(rng, correctionNotes)}}
	}
}

// splitFunds splits the money block into this year's appropriation and
// the balance carried over, rows that add up to the record's amounts.
func splitFunds(rng *rand.Rand, initial, budget, spent decimal.D, hasSpent bool) []fund {
	share := 0.7 + 0.3*rng.Float64()
	part := func(x decimal.D) decimal.D { return decimal.D(float64(x/cent)*share) * cent }
	a := fund{source: "本年财政拨款", budgetInitial: initial, budget: part(budget), spent: part(spent), hasSpent: hasSpent}
	b := fund{source: "上年结转资金", budget: budget - a.budget, spent: spent - a.spent, hasSpent: hasSpent}
	if b.budget == 0 && b.spent == 0 {
		return []fund{a}
	}
	return []fund{a, b}
}

// leaves returns the indicators without items, depth first.
func leaves(ins []*indicator) []*indicator {
	var out []*indicator
	for _, in := range ins {
		if len(in.items) == 0 {
			out = append(out, in)
		} else {
			out = append(out, leaves(in.items)...)
		}
	}
	return out
}

// newFinding draws the i-th finding of a record: due within the next
// year, most of them done before their deadline, the others in progress
// (some given a year more) or open, and overdue once their deadline has
// passed on the build's date.
func (r *record) newFinding(rng *rand.Rand, i int) finding {
	k := (i + rng.IntN(len(findingBank))) % len(findingBank)
	f := finding{problem: findingBank[k][0], measure: findingBank[k][1], owner: departments[r.dept]}
	// The last day of a month of the next year.
	deadline := time.Date(r.year+1, time.Month(3+rng.IntN(10)), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
	switch x := rng.Float64(); {
	case x < 0.55:
		f.status = "done"
		f.done = deadline.AddDate(0, 0, -rng.IntN(60)).Format(time.DateOnly)
		f.result = findingBank[k][2]
	case x < 0.85:
		f.status = "in-progress"
		// A longer task, sometimes given another year.
		if rng.Float64() < 0.3 {
			deadline = deadline.AddDate(1, 0, 0)
		}
	default:
		f.status = "open"
	}
	f.deadline = deadline.Format(time.DateOnly)
	return f
}

// The texts of the second edition, as county forms word them.
var (
	deviations = []string{
		"部分资金拨付滞后，下年度按季度拨付并加强跟踪。",
		"受项目实施周期影响未全部完成，已纳入下年度计划。",
		"绩效目标设定偏高，下年度结合实际合理设定。",
		"个别对象信息更新不及时，已建立动态核查机制。",
	}
	findingBank = [][3]string{
		{"部分资金拨付不及时", "建立按月拨付台账，明确拨付时限", "已按月拨付到位"},
		{"绩效目标设定不够细化", "细化量化绩效指标，补充可考核的数量和质量指标", "已修订绩效目标表"},
		{"项目档案资料不完整", "补齐项目过程资料，建立档案管理制度", "已补齐档案资料"},
		{"资金使用存在超范围支出", "收回超范围支出资金，规范支出审批", "已收回并整改到位"},
		{"受益对象动态管理不到位", "开展受益对象信息核查，实行动态调整", "已完成信息核查"},
		{"项目验收程序不规范", "完善验收制度，组织补充验收", "已组织补充验收"},
	}
	useNotes = []string{
		"根据评价结果安排下年度预算。",
		"评价结果作为下年度预算安排的重要依据。",
		"按整改情况和执行进度核定下年度预算。",
	}
	correctionNotes = []string{
		"更正部分指标得分的表述",
		"补充公开评价报告全文",
		"更正项目资金执行数",
	}
)

// writeGoal writes the plain fields of the second edition that follow
// the record's grade: goal, outcome and method. The money block's are
// written beside budget and spent (see toml).
func (r *record) writeGoal(b *bytes.Buffer) {
	f := &r.forms
	if f.goal != "" {
		kv(b, "goal", quote(f.goal))
		kv(b, "outcome", quote(f.outcome))
	}
	if f.method != "" {
		kv(b, "method", quote(f.method))
	}
}

// writeFormTables writes the second edition's tables, after the
// indicators, in the order of the national form.
func (r *record) writeFormTables(b *bytes.Buffer) {
	f := &r.forms
	for _, fd := range f.funds {
		b.WriteString("\n[[funds]]\n")
		kv(b, "source", quote(fd.source))
		kv(b, "budget_initial", fd.budgetInitial.String())
		kv(b, "budget", fd.budget.String())
		if fd.hasSpent {
			kv(b, "spent", fd.spent.String())
		}
	}
	if rv := f.review; rv != nil {
		b.WriteString("\n[review]\n")
		kv(b, "by", quote(rv.by))
		kv(b, "score", rv.score.String())
		kv(b, "grade", quote(rv.grade))
		kv(b, "official", strconv.FormatBool(rv.official))
	}
	for _, fd := range f.findings {
		b.WriteString("\n[[findings]]\n")
		kv(b, "problem", quote(fd.problem))
		kv(b, "measure", quote(fd.measure))
		kv(b, "owner", quote(fd.owner))
		kv(b, "deadline", fd.deadline)
		kv(b, "status", quote(fd.status))
		if fd.done != "" {
			kv(b, "done", fd.done)
			kv(b, "result", quote(fd.result))
		}
	}
	if u := f.use; u != nil {
		b.WriteString("\n[result_use]\n")
		kv(b, "decision", quote(u.decision))
		kv(b, "next_budget", u.nextBudget.String())
		kv(b, "note", quote(u.note))
	}
	for _, c := range f.corrections {
		b.WriteString("\n[[corrections]]\n")
		kv(b, "date", c.date)
		kv(b, "note", quote(c.note))
	}
}
