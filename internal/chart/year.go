package chart

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// Year returns a year's charts in the order a page shows them: grades,
// scores, departments, funds. Charts with nothing to draw (no scores, no
// budgets) are left out; those with too little to compare carry the
// Sentence that pages show instead (see Chart.Informative).
func Year(year int, evals []*score.Evaluation, bands score.Bands) ([]*Chart, error) {
	var out []*Chart
	for _, f := range []func(int, []*score.Evaluation, score.Bands) (*Chart, error){
		GradeDistribution, ScoreDistribution, ByDepartment, FundsByGrade,
	} {
		c, err := f(year, evals, bands)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// GradeDistribution returns how many of a year's evaluations got each grade,
// as vertical bars in band order. It returns nil for a year without
// evaluations.
func GradeDistribution(year int, evals []*score.Evaluation, bands score.Bands) (*Chart, error) {
	if len(evals) == 0 {
		return nil, nil
	}
	counts := make([]int, len(bands)+1) // the last: a grade outside the bands, or none
	for _, e := range evals {
		if r := bands.Rank(e.GradeShown); r >= 0 {
			counts[r]++
		} else {
			counts[len(bands)]++
		}
	}
	total := decimal.FromInt(int64(len(evals)))
	b := bar{Grades: grades(bands), ValueName: "项目数", CategoryName: "等级", Integer: true, LabelRoom: 8}
	t := Table{
		Caption: fmt.Sprintf("%d 年评价等级分布", year),
		Head:    []string{"等级", "项目数", "占比"},
		Numeric: []bool{false, true, true},
	}
	var parts []string
	for r, n := range counts {
		name, rank := "未定等级", -1
		if r < len(bands) {
			name, rank = bands[r].Grade, r
		} else if n == 0 {
			break
		}
		share, _ := decimal.Rate(decimal.FromInt(int64(n)), total) // total > 0
		b.Categories = append(b.Categories, name)
		b.Items = append(b.Items, item{Value: float64(n), Rank: rank, Label: fmt.Sprintf("%d 项", n)})
		t.Rows = append(t.Rows, []string{name, fmt.Sprint(n), share.String() + "%"})
		parts = append(parts, fmt.Sprintf("%s %d 项（%s%%）", name, n, share))
	}
	desc := fmt.Sprintf("%d 年 %d 项评价的等级分布条形图：%s。", year, len(evals), strings.Join(parts, "，"))
	c := &Chart{
		ID: fmt.Sprintf("chart-grades-%d", year), Title: fmt.Sprintf("%d 年评价等级分布", year),
		Description: desc, Table: t, Height: fixedHeight,
	}
	if shownBars(b.Items) < minBars {
		// One grade has them all.
		for i, it := range b.Items {
			if it.Value == 0 {
				continue
			}
			switch g := b.Categories[i]; {
			case len(evals) == 1 && it.Rank < 0:
				c.Sentence = fmt.Sprintf("%d 年公开的 1 项评价未定等级。", year)
			case len(evals) == 1:
				c.Sentence = fmt.Sprintf("%d 年公开的 1 项评价，等级为%s。", year, g)
			case it.Rank < 0:
				c.Sentence = fmt.Sprintf("%d 年公开的 %d 项评价均未定等级。", year, len(evals))
			default:
				c.Sentence = fmt.Sprintf("%d 年公开的 %d 项评价，等级均为%s。", year, len(evals), g)
			}
		}
	}
	return finish(c, b)
}

// ScoreDistribution returns a histogram of a year's total scores as rates
// out of full marks: below 60, then bins of 5 points, split further at every
// band bound so that all scores of a bin have the same grade (its colour).
// Grade-only disclosures have no score and are counted in the note. It
// returns nil when no evaluation of the year has a total.
func ScoreDistribution(year int, evals []*score.Evaluation, bands score.Bands) (*Chart, error) {
	edges := scoreEdges(bands)
	counts := make([]int, len(edges))
	scored := 0
	for _, e := range evals {
		if !e.HasTotal {
			continue
		}
		scored++
		i := len(edges) - 1
		for i > 0 && !decimal.AtLeast(e.Total, e.Max, edges[i]) {
			i--
		}
		counts[i]++
	}
	if scored == 0 {
		return nil, nil
	}
	hundred := decimal.FromInt(100)
	b := bar{Grades: grades(bands), ValueName: "项目数", CategoryName: "得分", Integer: true, LabelRoom: 8}
	t := Table{
		Caption: fmt.Sprintf("%d 年综合得分分布", year),
		Head:    []string{"得分区间", "项目数", "等级"},
		Numeric: []bool{false, true, false},
		Note:    "得分区间含下限、不含上限（最高一档含 100 分）；得分不是百分制的，按得分率计。",
	}
	if n := len(evals) - scored; n > 0 {
		t.Note += fmt.Sprintf("另有 %d 项仅公布等级，未计入。", n)
	}
	var parts []string
	for i, lo := range edges {
		var name string
		switch {
		case i == 0:
			name = fmt.Sprintf("%s 以下", edges[1])
		case i == len(edges)-1:
			name = fmt.Sprintf("%s–100", lo)
		default:
			name = fmt.Sprintf("%s–%s", lo, edges[i+1])
		}
		grade := bands.Of(lo, hundred)
		b.Categories = append(b.Categories, name)
		b.Items = append(b.Items, item{Value: float64(counts[i]), Rank: bands.Rank(grade), Label: fmt.Sprint(counts[i])})
		t.Rows = append(t.Rows, []string{name, fmt.Sprint(counts[i]), grade})
		if counts[i] > 0 {
			parts = append(parts, fmt.Sprintf("%s 分 %d 项", name, counts[i]))
		}
	}
	desc := fmt.Sprintf("%d 年有综合得分的 %d 项评价的得分分布条形图：%s。", year, scored, strings.Join(parts, "，"))
	rest := ""
	if n := len(evals) - scored; n > 0 {
		rest = fmt.Sprintf("另有 %d 项仅公布等级，未计入。", n)
		desc += rest
	}
	c := &Chart{
		ID: fmt.Sprintf("chart-scores-%d", year), Title: fmt.Sprintf("%d 年综合得分分布", year),
		Description: desc, Table: t, Height: fixedHeight,
	}
	if shownBars(b.Items) < minBars {
		// Every score falls in one bin.
		for i, n := range counts {
			if n == 0 {
				continue
			}
			span := b.Categories[i] + " 分"
			if i == 0 {
				span = fmt.Sprintf("%s 分以下", edges[1])
			}
			if scored == 1 {
				c.Sentence = fmt.Sprintf("%d 年有综合得分的 1 项评价，得分在 %s。%s", year, span, rest)
			} else {
				c.Sentence = fmt.Sprintf("%d 年有综合得分的 %d 项评价，得分均在 %s。%s", year, scored, span, rest)
			}
		}
	}
	return finish(c, b)
}

// scoreEdges returns the lower bounds of the score bins: 0, then 60, 65, …,
// 95 and every band bound between 0 and 100, ascending.
func scoreEdges(bands score.Bands) []decimal.D {
	edges := []decimal.D{0}
	for p := int64(60); p < 100; p += 5 {
		edges = append(edges, decimal.FromInt(p))
	}
	for _, b := range bands {
		if b.Min > 0 && b.Min < decimal.FromInt(100) {
			edges = append(edges, b.Min)
		}
	}
	slices.Sort(edges)
	return slices.Compact(edges)
}

// department is one department's evaluations in a year.
type department struct {
	name    string
	count   int
	scored  int
	sum     decimal.Sum
	average decimal.D
	grades  []int // by band rank; the last: outside the bands
}

// ByDepartment returns each department's number of evaluations and average
// total score in a year, as horizontal bars sorted by average (departments
// with grades only last). With more than 30 departments the chart shows the
// 30 with the most evaluations; the table lists all. It returns nil for a
// year without evaluations.
func ByDepartment(year int, evals []*score.Evaluation, bands score.Bands) (*Chart, error) {
	if len(evals) == 0 {
		return nil, nil
	}
	byName := map[string]*department{}
	var depts []*department
	for _, e := range evals {
		d := byName[e.Department]
		if d == nil {
			d = &department{name: e.Department, grades: make([]int, len(bands)+1)}
			byName[e.Department] = d
			depts = append(depts, d)
		}
		d.count++
		if r := bands.Rank(e.GradeShown); r >= 0 {
			d.grades[r]++
		} else {
			d.grades[len(bands)]++
		}
		if e.HasTotal {
			d.scored++
			d.sum.Add(e.Total)
		}
	}
	for _, d := range depts {
		if d.scored > 0 {
			// Rounded half up to hundredths, as the site's averages are.
			d.average = d.sum.Mean(d.scored)
		}
	}
	byAverage := func(a, b *department) int {
		return cmp.Or(
			cmp.Compare(min(b.scored, 1), min(a.scored, 1)), // scored first
			cmp.Compare(b.average, a.average),
			cmp.Compare(b.count, a.count),
			strings.Compare(a.name, b.name))
	}
	slices.SortFunc(depts, byAverage)

	shown := depts
	if len(depts) > maxRows {
		shown = slices.Clone(depts)
		slices.SortFunc(shown, func(a, b *department) int {
			return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.name, b.name))
		})
		shown = shown[:maxRows]
		slices.SortFunc(shown, byAverage)
	}

	hundred := decimal.FromInt(100)
	b := bar{Horizontal: true, Grades: grades(bands), ValueMax: 100, ValueName: "平均得分", LabelRoom: 96}
	names := make([]string, len(shown))
	for i, d := range shown {
		names[i] = d.name
	}
	labels := axisNames(names)
	for i, d := range shown {
		it := item{Empty: d.scored == 0, Rank: -1, Label: fmt.Sprintf("仅公布等级 · %d 项", d.count)}
		if d.scored > 0 {
			it.Value = d.average.Float()
			it.Rank = bands.Rank(bands.Of(d.average, hundred))
			it.Label = fmt.Sprintf("%s 分 · %d 项", d.average, d.count)
		}
		b.Categories = append(b.Categories, labels[i])
		b.Items = append(b.Items, it)
		if d.average > hundred {
			b.ValueMax = 0 // a total above 100 (max not 100): let the axis grow
		}
	}

	t := Table{
		Caption: fmt.Sprintf("%d 年各部门评价情况", year),
		Head:    []string{"部门", "评价项目数", "平均得分", "各等级项目数"},
		Numeric: []bool{false, true, true, false},
	}
	for _, d := range depts {
		avg := "—"
		if d.scored > 0 {
			avg = d.average.String()
			if d.scored < d.count {
				avg += fmt.Sprintf("（%d 项有得分）", d.scored)
			}
		}
		t.Rows = append(t.Rows, []string{d.name, fmt.Sprint(d.count), avg, gradeCounts(bands, d.grades)})
	}
	desc := fmt.Sprintf("%d 年 %d 个部门的评价项目数和平均得分条形图", year, len(depts))
	if len(shown) < len(depts) {
		desc += fmt.Sprintf("（图中为评价项目最多的 %d 个部门，全部部门见数据表）", len(shown))
		t.Note = fmt.Sprintf("图中只画出评价项目最多的 %d 个部门；本表列出全部 %d 个部门。", len(shown), len(depts))
	}
	desc += "。"
	if top := depts[0]; top.scored > 0 {
		desc += fmt.Sprintf("平均得分最高的是%s（%s 分，%d 项）", top.name, top.average, top.count)
		last := top
		for _, d := range depts {
			if d.scored > 0 {
				last = d
			}
		}
		if last != top {
			desc += fmt.Sprintf("，最低的是%s（%s 分，%d 项）", last.name, last.average, last.count)
		}
		desc += "。"
	}
	c := &Chart{
		ID: fmt.Sprintf("chart-departments-%d", year), Title: fmt.Sprintf("%d 年各部门评价情况", year),
		Description: desc, Table: t, Height: heightFor(len(shown)),
	}
	if len(depts) < minBars {
		d := depts[0]
		switch {
		case d.count == 1:
			c.Sentence = fmt.Sprintf("%d 年公开的 1 项评价是%s的。", year, d.name)
		case d.scored > 0:
			c.Sentence = fmt.Sprintf("%d 年公开的 %d 项评价均是%s的，平均得分 %s 分。", year, d.count, d.name, d.average)
		default:
			c.Sentence = fmt.Sprintf("%d 年公开的 %d 项评价均是%s的。", year, d.count, d.name)
		}
	}
	return finish(c, b)
}

// axisWidth bounds a department's name on the chart's axis, in characters:
// ten at 12 px leave the bars and their labels some 120 px of a 390 px
// phone.
const axisWidth = 10

// axisNames returns the departments' names as the departments chart's axis
// shows them. Each stays on one line: two lines of 12 px type do not fit
// the 28 px row of a bar, and on a phone they ran into the next name. To
// keep as much of each name as one line holds, the prefix that all names
// share up to a 市, 县, 区, 州 or 省 (测试市农业农村局, 测试市卫生健康委员会 →
// 农业农村局, 卫生健康委员会) is left out, since every page of the site is of
// that place; a name still longer than axisWidth is cut and ends in "…".
// The chart's description and its table beside it give the full names.
func axisNames(names []string) []string {
	cut := 0
	if len(names) > 1 {
		common := []rune(names[0])
		for _, n := range names[1:] {
			r := []rune(n)
			i := 0
			for i < len(common) && i < len(r) && common[i] == r[i] {
				i++
			}
			common = common[:i]
		}
		// A place has a name before its 市: 市场监督管理局 and 市场服务中心
		// share no place.
		for i := len(common) - 1; i >= 1; i-- {
			if strings.ContainsRune("市县区州省", common[i]) {
				cut = i + 1
				break
			}
		}
		for _, n := range names {
			if utf8.RuneCountInString(n)-cut < 2 {
				cut = 0 // a name would be left with nothing to tell it by
				break
			}
		}
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = wrap(string([]rune(n)[cut:]), axisWidth, 1)
	}
	return out
}

// gradeCounts formats counts by band rank: "优 2，良 1".
func gradeCounts(bands score.Bands, counts []int) string {
	var parts []string
	for r, n := range counts {
		if n == 0 {
			continue
		}
		name := "未定等级"
		if r < len(bands) {
			name = bands[r].Grade
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	return strings.Join(parts, "，")
}

// FundsByGrade returns the budgets (万元) of a year's evaluations summed by
// grade, as vertical bars. Evaluations without a budget are counted in the
// note. It returns nil when no evaluation of the year gives a budget.
func FundsByGrade(year int, evals []*score.Evaluation, bands score.Bands) (*Chart, error) {
	// Sums, not Ds: a year of large budgets exceeds an int64 of millionths.
	sums := make([]decimal.Sum, len(bands)+1)
	counts := make([]int, len(bands)+1)
	withBudget := make([]int, len(bands)+1)
	var total decimal.Sum
	budgets := 0
	for _, e := range evals {
		r := bands.Rank(e.GradeShown)
		if r < 0 {
			r = len(bands)
		}
		counts[r]++
		if e.Budget != nil {
			sums[r].Add(e.Budget.Value)
			total.Add(e.Budget.Value)
			withBudget[r]++
			budgets++
		}
	}
	if budgets == 0 {
		return nil, nil
	}
	b := bar{Grades: grades(bands), ValueName: "万元", CategoryName: "等级", LabelRoom: 8}
	t := Table{
		Caption: fmt.Sprintf("%d 年评价覆盖资金（按等级）", year),
		Head:    []string{"等级", "项目数", "公布预算的项目数", "预算合计（万元）", "占比"},
		Numeric: []bool{false, true, true, true, true},
	}
	var parts []string
	for r := range sums {
		name, rank := "未定等级", -1
		if r < len(bands) {
			name, rank = bands[r].Grade, r
		} else if counts[r] == 0 {
			break
		}
		share, _ := decimal.Share(sums[r], total) // 0 when every budget is 0
		b.Categories = append(b.Categories, name)
		b.Items = append(b.Items, item{Value: sums[r].Float(), Rank: rank, Label: sums[r].String()})
		t.Rows = append(t.Rows, []string{name, fmt.Sprint(counts[r]), fmt.Sprint(withBudget[r]), sums[r].String(), share.String() + "%"})
		if withBudget[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %s 万元（%s%%）", name, sums[r], share))
		}
	}
	desc := fmt.Sprintf("%d 年公布预算的 %d 项评价共涉及资金 %s 万元，按等级的条形图：%s。", year, budgets, total, strings.Join(parts, "，"))
	if n := len(evals) - budgets; n > 0 {
		desc += fmt.Sprintf("另有 %d 项未公布预算金额，未计入。", n)
		t.Note = fmt.Sprintf("预算合计只含公布了预算金额的项目；另有 %d 项未公布。", n)
	}
	c := &Chart{
		ID: fmt.Sprintf("chart-funds-%d", year), Title: fmt.Sprintf("%d 年评价覆盖资金（按等级）", year),
		Description: desc, Table: t, Height: fixedHeight,
	}
	if shownBars(b.Items) < minBars {
		c.Sentence = fmt.Sprintf("%d 年公布预算的 %d 项评价", year, budgets)
		if budgets > 1 {
			c.Sentence += "共"
		}
		c.Sentence += fmt.Sprintf("涉及资金 %s 万元", total)
		for i, it := range b.Items {
			if it.Value == 0 {
				continue
			}
			switch {
			case it.Rank < 0:
				c.Sentence += "，均未定等级"
			case budgets == 1:
				c.Sentence += "，等级为" + b.Categories[i]
			default:
				c.Sentence += "，等级均为" + b.Categories[i]
			}
		}
		c.Sentence += "。"
		if n := len(evals) - budgets; n > 0 {
			c.Sentence += fmt.Sprintf("另有 %d 项未公布预算金额。", n)
		}
	}
	return finish(c, b)
}

// finish builds c's option from b.
func finish(c *Chart, b bar) (*Chart, error) {
	var err error
	if c.Option, err = b.option(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.ID, err)
	}
	return c, nil
}
