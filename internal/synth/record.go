package synth

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/decimal"
)

// record is one generated evaluation. plan sets what links records to each
// other (year, slug, series, subject, attachment); fill draws the rest from
// the record's own stream.
type record struct {
	year       int
	slug       string
	series     string
	kind       string
	prog       *programme // nil unless kind is "project"
	dept       int        // index in departments
	title      string
	tags       []string
	congress   bool
	attachment string

	evaluator     string
	budget, spent decimal.D
	hasBudget     bool
	hasSpent      bool
	published     string // "2024-05-17" or ""
	draft         bool
	quality       float64 // 0–1, how well the programme did
	score         decimal.D
	grade         string
	statesScore   bool
	statesGrade   bool
	indicators    []*indicator
	forms         forms // the second edition's fields (forms.go)
}

// indicator is one row of the score table at any level.
type indicator struct {
	name           string
	max, score     decimal.D
	grade          string // stated, "" for none
	target, actual string
	deviation      string
	items          []*indicator
}

// The shares that shape the corpus, as fractions of all records.
const (
	seriesStart  = 0.10 // chance that a new subject starts a series, ~30 % of records end up in one
	congressRate = 0.25
	draftRate    = 0.02
	futureRate   = 0.01 // published after today, for disclosure tests
	publishRate  = 0.75 // the rest leave published out
	listOnlyRate = 0.10
	gradeOnly    = 0.30 // of list-only records
	itemsRate    = 0.67 // of records with indicators: ~60 % of all
	thirdRate    = 0.35 // of records with items
)

// plan decides every record's year, subject, slug and series from stream 0.
// Records of one series share subject and title and sit in consecutive years.
func plan(opt Options) []*record {
	rng := stream(opt.Seed, 0)
	recs := make([]*record, 0, opt.N)
	usedSeries := map[string]bool{}
	for len(recs) < opt.N {
		subject := newSubject(rng)
		years := []int{FirstYear + rng.IntN(LastYear-FirstYear+1)}
		series := ""
		if left := opt.N - len(recs); left >= 2 && rng.Float64() < seriesStart {
			n := min(2+rng.IntN(LastYear-FirstYear), left)
			start := FirstYear + rng.IntN(LastYear-FirstYear+2-n)
			years = years[:0]
			for y := start; y < start+n; y++ {
				years = append(years, y)
			}
			series = subject.slugBase
			for k := 2; usedSeries[series]; k++ {
				series = subject.slugBase + "-" + strconv.Itoa(k)
			}
			usedSeries[series] = true
		}
		for _, y := range years {
			r := subject.record
			r.year = y
			r.series = series
			if series != "" {
				r.slug = series
			} else {
				// The index makes the slug unique; series slugs never end
				// in four digits after a dash, so the two cannot meet.
				r.slug = fmt.Sprintf("%s-%04d", subject.slugBase, len(recs))
			}
			if r.kind == "department" || r.kind == "fiscal" {
				r.title = strings.ReplaceAll(r.title, "{year}", strconv.Itoa(y))
			}
			r.congress = rng.Float64() < congressRate
			recs = append(recs, &r)
		}
	}
	// Reports to the congress carry their attachment number, counted per year.
	next := map[int]int{}
	for _, r := range recs {
		if r.congress {
			next[r.year]++
			r.attachment = "附件" + strconv.Itoa(next[r.year])
		}
	}
	return recs
}

type subject struct {
	record
	slugBase string
}

// newSubject picks what is evaluated: mostly a programme of a department,
// sometimes a department's whole spending, a policy or a town's finances.
func newSubject(rng *rand.Rand) subject {
	var s subject
	switch x := rng.Float64(); {
	case x < 0.85:
		p := &programmes[rng.IntN(len(programmes))]
		s.kind, s.prog = "project", p
		s.dept = owner(rng, p)
		s.title = pick(rng, titleQualifiers) + p.name + pick(rng, titleSuffixes)
		s.tags = p.tags
		s.slugBase = p.slug + "-" + deptCode(s.dept)
	case x < 0.93:
		s.kind = "department"
		s.dept = rng.IntN(len(departments))
		s.title = departments[s.dept] + "{year}年度部门整体支出"
		s.tags = []string{"部门整体支出"}
		s.slugBase = "department-" + deptCode(s.dept)
	case x < 0.97:
		p := policies[rng.IntN(len(policies))]
		s.kind = "policy"
		s.dept = rng.IntN(firstTown)
		s.title = p.name
		s.tags = []string{"政策评价"}
		s.slugBase = "policy-" + p.slug
	default:
		s.kind = "fiscal"
		s.dept = firstTown + rng.IntN(len(departments)-firstTown)
		s.title = townName(s.dept) + "{year}年度财政运行综合绩效评价"
		s.tags = []string{"财政运行"}
		s.slugBase = "fiscal-" + deptCode(s.dept)
	}
	return s
}

func owner(rng *rand.Rand, p *programme) int {
	name := pick(rng, p.owners)
	if name == towns {
		return firstTown + rng.IntN(len(departments)-firstTown)
	}
	i := slices.Index(departments, name)
	if i < 0 {
		panic("synth: programme " + p.slug + " names unknown department " + name)
	}
	return i
}

func deptCode(i int) string { return fmt.Sprintf("d%02d", i) }

// townName shortens 潜江市熊口镇人民政府 to 熊口镇.
func townName(i int) string {
	n := strings.TrimPrefix(departments[i], "潜江市")
	return strings.TrimSuffix(n, "人民政府")
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// fill draws everything that is the record's own: amounts, dates, scores.
func (r *record) fill(rng *rand.Rand, opt Options) {
	r.evaluator = pick(rng, evaluators)
	switch r.kind {
	case "project", "policy":
		r.hasBudget = rng.Float64() < 0.9
		r.budget = logUniform(rng, 5, 5000)
	case "department":
		r.hasBudget = rng.Float64() < 0.9
		r.budget = logUniform(rng, 300, 30000)
	}
	if r.hasBudget {
		r.hasSpent = rng.Float64() < 0.85
		r.spent = decimal.D(math.Round(float64(r.budget/cent)*(0.75+0.33*rng.Float64()))) * cent
	}
	switch x := rng.Float64(); {
	case x < futureRate:
		r.published = dateAfter(2031, 1, 1, rng.IntN(5*365))
	case x < futureRate+publishRate:
		r.published = dateAfter(r.year+1, 3, 1, rng.IntN(245))
	}
	r.draft = rng.Float64() < draftRate
	r.quality = quality(rng)

	if rng.Float64() < listOnlyRate {
		total := halfSteps(100 * r.quality)
		r.score, r.grade = total, gradeOf(total, decimal.FromInt(100))
		r.statesGrade = true
		r.statesScore = rng.Float64() >= gradeOnly
		return
	}
	r.indicators = r.newIndicators(rng)
	var total, max decimal.D
	for _, ind := range r.indicators {
		total += ind.score
		max += ind.max
	}
	r.score, r.grade = total, gradeOf(total, max)
	r.statesScore = rng.Float64() < 0.85
	r.statesGrade = rng.Float64() < 0.85
	if rng.Float64() < opt.Warnings {
		r.misstate(rng)
	}
	if rng.Float64() < opt.Errors {
		r.breakSum(rng)
	}
}

// quality is how well a programme did, skewed high as published results
// are: most evaluations are 良 or 优, a few 中, very few 差.
func quality(rng *rand.Rand) float64 {
	switch x := rng.Float64(); {
	case x < 0.55:
		return 0.88 + 0.12*rng.Float64()
	case x < 0.88:
		return 0.78 + 0.12*rng.Float64()
	case x < 0.98:
		return 0.60 + 0.18*rng.Float64()
	default:
		return 0.40 + 0.20*rng.Float64()
	}
}

// newIndicators builds the first-level indicators bottom-up: leaves get
// scores in steps of 0.5 and every parent is the sum of its items, so the
// table always adds up.
func (r *record) newIndicators(rng *rand.Rand) []*indicator {
	names := pick(rng, firstLevel[r.kind])
	maxes := pick(rng, maxSplits)
	withItems := rng.Float64() < itemsRate
	withThird := withItems && rng.Float64() < thirdRate
	gradesShown := rng.Float64() < 0.7
	out := make([]*indicator, 4)
	for pos := range 4 {
		ind := &indicator{name: names[pos], max: decimal.FromInt(int64(maxes[pos]))}
		if withItems {
			// Third-level names are drawn without repetition within a
			// first-level indicator.
			pool := slices.Clone(thirdLevel[pos])
			rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
			second := subset(rng, secondLevel[pos], 2+rng.IntN(len(secondLevel[pos])-1), maxes[pos])
			for k, m := range split(rng, maxes[pos], len(second)) {
				item := &indicator{name: second[k], max: decimal.FromInt(int64(m))}
				if k := min(2+rng.IntN(2), m, len(pool)); withThird && k >= 2 && rng.Float64() < 0.6 {
					for j, lm := range split(rng, m, k) {
						item.items = append(item.items, r.leaf(rng, pool[j], lm))
					}
					pool = pool[k:]
					item.score = sum(item.items)
				} else {
					item.score = r.leafScore(rng, m)
				}
				ind.items = append(ind.items, item)
			}
			ind.score = sum(ind.items)
		} else {
			ind.score = r.leafScore(rng, maxes[pos])
		}
		if gradesShown {
			ind.grade = gradeOf(ind.score, ind.max)
		}
		out[pos] = ind
	}
	return out
}

// leafScore scores an indicator with no items: full marks about half the
// time, otherwise near the record's quality, in steps of 0.5.
func (r *record) leafScore(rng *rand.Rand, full int) decimal.D {
	if rng.Float64() < 0.45 {
		return decimal.FromInt(int64(full))
	}
	rate := min(1, max(0.2, r.quality+(rng.Float64()-0.6)*0.25))
	return halfSteps(float64(full) * rate)
}

// leaf builds a third-level indicator with its target and result as written.
func (r *record) leaf(rng *rand.Rand, l leaf, full int) *indicator {
	ind := &indicator{name: l.name, max: decimal.FromInt(int64(full)), score: r.leafScore(rng, full)}
	count := 0
	if r.prog != nil {
		count = r.prog.lo + rng.IntN(r.prog.hi-r.prog.lo+1)
	} else {
		count = 5 + rng.IntN(60)
	}
	unit := "项"
	if r.prog != nil {
		unit = r.prog.unit
	}
	switch l.target {
	case "count":
		ind.target = fmt.Sprintf("≥%d%s", count, unit)
	default:
		ind.target = l.target
	}
	switch l.actual {
	case "":
	case "count":
		ind.actual = fmt.Sprintf("%d%s", count+rng.IntN(count/10+1)-count/20, unit)
	case "pct":
		if ind.score == ind.max {
			ind.actual = strings.TrimLeft(ind.target, "≥≤")
		} else {
			ind.actual = percent(rng, 80)
		}
	case "=":
		ind.actual = ind.target
	default:
		if ind.score == ind.max {
			ind.actual = ind.target
		} else {
			ind.actual = l.actual
		}
	}
	return ind
}

// misstate makes one stated value disagree with the computed one.
func (r *record) misstate(rng *rand.Rand) {
	if rng.Float64() < 0.5 {
		ind := r.indicators[rng.IntN(len(r.indicators))]
		ind.grade = neighbourGrade(gradeOf(ind.score, ind.max))
		return
	}
	r.statesScore = true
	r.score += 50 * cent
}

// breakSum puts one second-level score 0.5 off its share.
func (r *record) breakSum(rng *rand.Rand) {
	for _, ind := range r.indicators {
		if len(ind.items) > 0 {
			it := ind.items[rng.IntN(len(ind.items))]
			if it.score >= 50*cent {
				it.score -= 50 * cent
			} else {
				it.score += 50 * cent
			}
			if len(it.items) > 0 {
				it.items = nil // keep the third level out of the way of this one error
			}
			return
		}
	}
}

// subset returns k names of s in their order, k at most limit.
func subset[T any](rng *rand.Rand, s []T, k, limit int) []T {
	k = min(k, len(s), limit)
	idx := rng.Perm(len(s))[:k]
	slices.Sort(idx)
	out := make([]T, k)
	for i, j := range idx {
		out[i] = s[j]
	}
	return out
}

// split divides total into k positive integers.
func split(rng *rand.Rand, total, k int) []int {
	cuts := rng.Perm(total - 1)[:k-1]
	slices.Sort(cuts)
	out := make([]int, k)
	prev := 0
	for i, c := range cuts {
		out[i] = c + 1 - prev
		prev = c + 1
	}
	out[k-1] = total - prev
	return out
}

func sum(items []*indicator) decimal.D {
	var s decimal.D
	for _, it := range items {
		s += it.score
	}
	return s
}

// halfSteps rounds x down to a multiple of 0.5.
func halfSteps(x float64) decimal.D { return decimal.D(math.Floor(x*2)) * (decimal.Scale / 2) }

// cent is 0.01 in a decimal.D: the generator draws amounts and scores in
// hundredths, as most published forms give them.
const cent = decimal.Scale / 100

// logUniform draws an amount in 万元 with two decimals between lo and hi,
// spread evenly on a log scale as budgets are.
func logUniform(rng *rand.Rand, lo, hi float64) decimal.D {
	x := math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
	return decimal.D(math.Round(x*100)) * cent
}

func percent(rng *rand.Rand, lo int) string {
	tenths := lo*10 + rng.IntN((100-lo)*10+1)
	return strconv.FormatFloat(float64(tenths)/10, 'f', -1, 64) + "%"
}

func dateAfter(y int, m time.Month, d, days int) string {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly)
}

// bands are the default grade bands of site.toml, highest first.
var bands = []struct {
	grade string
	min   decimal.D
}{{"优", decimal.FromInt(90)}, {"良", decimal.FromInt(80)}, {"中", decimal.FromInt(60)}, {"差", 0}}

func gradeOf(score, max decimal.D) string {
	for _, b := range bands {
		if decimal.AtLeast(score, max, b.min) {
			return b.grade
		}
	}
	return bands[len(bands)-1].grade
}

// neighbourGrade is the grade one band away: the likeliest slip.
func neighbourGrade(g string) string {
	for i, b := range bands {
		if b.grade == g {
			if i == 0 {
				return bands[1].grade
			}
			return bands[i-1].grade
		}
	}
	return g
}

// toml encodes the record in the layout the bureau's staff write by hand.
func (r *record) toml() []byte {
	var b bytes.Buffer
	b.Grow(2048)
	kv(&b, "title", quote(r.title))
	kv(&b, "department", quote(departments[r.dept]))
	kv(&b, "year", strconv.Itoa(r.year))
	kv(&b, "kind", quote(r.kind))
	if r.attachment != "" {
		kv(&b, "attachment", quote(r.attachment))
	}
	kv(&b, "evaluator", quote(r.evaluator))
	if r.forms.hasInitial {
		kv(&b, "budget_initial", r.forms.budgetInitial.String())
	}
	if r.hasBudget {
		kv(&b, "budget", r.budget.String())
	}
	if r.hasSpent {
		kv(&b, "spent", r.spent.String())
	}
	if r.forms.rate != "" {
		kv(&b, "execution_rate", r.forms.rate)
	}
	if r.published != "" {
		kv(&b, "published", r.published)
	}
	if r.draft {
		kv(&b, "draft", "true")
	}
	if r.congress {
		kv(&b, "congress", "true")
	}
	quoted := make([]string, len(r.tags))
	for i, t := range r.tags {
		quoted[i] = quote(t)
	}
	kv(&b, "tags", "["+strings.Join(quoted, ", ")+"]")
	if r.series != "" {
		kv(&b, "series", quote(r.series))
	}
	if r.statesScore {
		kv(&b, "score", r.score.String())
	}
	if r.statesGrade {
		kv(&b, "grade", quote(r.grade))
	}
	r.writeGoal(&b)
	for _, ind := range r.indicators {
		writeIndicator(&b, ind, "indicators", "")
	}
	r.writeFormTables(&b)
	return b.Bytes()
}

func writeIndicator(b *bytes.Buffer, ind *indicator, table, indent string) {
	fmt.Fprintf(b, "\n%s[[%s]]\n", indent, table)
	kv(b, indent+"name", quote(ind.name))
	kv(b, indent+"max", ind.max.String())
	kv(b, indent+"score", ind.score.String())
	if ind.grade != "" {
		kv(b, indent+"grade", quote(ind.grade))
	}
	if ind.target != "" {
		kv(b, indent+"target", quote(ind.target))
	}
	if ind.actual != "" {
		kv(b, indent+"actual", quote(ind.actual))
	}
	if ind.deviation != "" {
		kv(b, indent+"deviation", quote(ind.deviation))
	}
	for _, it := range ind.items {
		writeIndicator(b, it, table+".items", indent+"  ")
	}
}

func kv(b *bytes.Buffer, key, value string) {
	b.WriteString(key)
	b.WriteString(" = ")
	b.WriteString(value)
	b.WriteByte('\n')
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
