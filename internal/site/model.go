package site

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// Model is everything the pages are rendered from.
type Model struct {
	Config      content.Site
	Bands       score.Bands
	Years       []*Year // newest first
	Departments []*Department
	// Evaluations are all published evaluations, by year then slug.
	Evaluations []*score.Evaluation
	// Latest are the most recent disclosures, newest first.
	Latest []*score.Evaluation
	// NotPublic marks the evaluations that a preview (evalpress serve
	// -drafts/-future) shows although they are not public yet, with the
	// notice their pages and list entries carry. A built site has none.
	NotPublic map[*score.Evaluation]string
	byYear    map[int]*Year
	bySlug    map[string]*Department
	deptOf    map[string]*Department
	// series holds the evaluations of each series key, oldest year first.
	series map[string][]*score.Evaluation
}

// Year is one budget year's report and evaluations.
type Year struct {
	Year        int
	Report      *content.Report
	Evaluations []*score.Evaluation // in the order of the bureau's report
	Grades      []GradeCount
	// Scored is the number of evaluations with a total; Average their mean.
	Scored  int
	Average decimal.D
	// Funds is the sum of the budgets given, in 万元, over Funded records:
	// exact however many there are.
	Funds  decimal.Sum
	Funded int
}

// GradeCount is how many evaluations got one grade.
type GradeCount struct {
	Grade string
	Rank  int
	Count int
}

// Department is one department's evaluations across years.
type Department struct {
	Name        string
	Slug        string
	Evaluations []*score.Evaluation // newest year first
	Years       []int
	Scored      int
	Average     decimal.D
}

// NewModel groups evaluations by year and department. reports may include
// years without evaluations.
func NewModel(cfg content.Site, bands score.Bands, reports []*content.Report, evals []*score.Evaluation) *Model {
	m := &Model{Config: cfg, Bands: bands, Evaluations: evals,
		byYear: map[int]*Year{}, bySlug: map[string]*Department{}, deptOf: map[string]*Department{},
		series: map[string][]*score.Evaluation{}}
	year := func(y int) *Year {
		if m.byYear[y] == nil {
			m.byYear[y] = &Year{Year: y}
			m.Years = append(m.Years, m.byYear[y])
		}
		return m.byYear[y]
	}
	for _, r := range reports {
		year(r.Year).Report = r
	}
	for _, e := range evals {
		y := year(e.Year)
		y.Evaluations = append(y.Evaluations, e)
		d := m.deptOf[e.Department]
		if d == nil {
			d = &Department{Name: e.Department}
			m.deptOf[e.Department] = d
			m.Departments = append(m.Departments, d)
		}
		d.Evaluations = append(d.Evaluations, e)
		if e.Series != "" {
			m.series[e.Series] = append(m.series[e.Series], e)
		}
	}
	slices.SortFunc(m.Years, func(a, b *Year) int { return cmp.Compare(b.Year, a.Year) })
	// The years, the departments and the series are ordered on all
	// cores, each list on its own: at 100,000 evaluations the sorts are
	// a third of a second that the build's start waits for.
	var wg sync.WaitGroup
	for _, y := range m.Years {
		wg.Go(func() { y.summarise(bands) })
	}
	wg.Go(func() {
		for _, list := range m.series {
			slices.SortFunc(list, bySeries)
		}
	})
	// Departments sort by their name's pinyin, as a Chinese index does.
	for _, d := range m.Departments {
		d.Slug = slugify(d.Name)
	}
	slices.SortFunc(m.Departments, func(a, b *Department) int {
		return cmp.Or(cmp.Compare(a.Slug, b.Slug), cmp.Compare(a.Name, b.Name))
	})
	for i, d := range m.Departments {
		// Two names may share a transliteration (同音); the later one in
		// name order gets a numbered slug, deterministically.
		base, n := d.Slug, 2
		for m.bySlug[d.Slug] != nil {
			d.Slug = fmt.Sprintf("%s-%d", base, n)
			n++
		}
		m.bySlug[d.Slug] = m.Departments[i]
		wg.Go(d.summarise)
	}
	m.Latest = latest(evals)
	wg.Wait()
	return m
}

// summarise orders a year's evaluations and counts its figures.
func (y *Year) summarise(bands score.Bands) {
	sortByAttachment(y.Evaluations, nil)
	y.Grades = gradeCounts(bands, y.Evaluations)
	y.Scored, y.Average = average(y.Evaluations)
	y.Funds, y.Funded = decimal.Sum{}, 0
	for _, e := range y.Evaluations {
		if e.Budget != nil {
			y.Funds.Add(e.Budget.Value)
			y.Funded++
		}
	}
}

// summarise orders a department's evaluations and counts its figures.
func (d *Department) summarise() {
	sortByAttachment(d.Evaluations, func(a, b *score.Evaluation) int { return cmp.Compare(b.Year, a.Year) })
	d.Years = d.Years[:0]
	for _, e := range d.Evaluations {
		if len(d.Years) == 0 || d.Years[len(d.Years)-1] != e.Year {
			d.Years = append(d.Years, e.Year)
		}
	}
	d.Scored, d.Average = average(d.Evaluations)
}

// latest returns the ten most recent disclosures, newest first: the first
// ten of evals sorted stably by newest, found in one pass (sorting a
// province's 100,000 evaluations for ten took a second).
func latest(evals []*score.Evaluation) []*score.Evaluation {
	type keyed struct {
		e  *score.Evaluation
		at attachment
	}
	top := firstOf(10, func(yield func(keyed) bool) {
		for _, e := range evals {
			if !yield(keyed{e, attachmentOf(e)}) {
				return
			}
		}
	}, func(a, b keyed) int {
		return cmp.Or(comparePublished(b.e, a.e), cmp.Compare(b.e.Year, a.e.Year), compareAttachments(a.e, b.e, a.at, b.at))
	})
	l := make([]*score.Evaluation, len(top))
	for i, k := range top {
		l[i] = k.e
	}
	return l
}

// firstOf returns the first n of what seq gives, as a stable sort by cmp
// would order them, in one pass and without sorting the rest.
func firstOf[T any](n int, seq iter.Seq[T], cmp func(a, b T) int) []T {
	if n <= 0 {
		return nil
	}
	top := make([]T, 0, n+1)
	for x := range seq {
		if len(top) == n && cmp(x, top[n-1]) >= 0 {
			continue
		}
		// After any equal one: a stable sort keeps the first of equals first.
		i := len(top)
		for i > 0 && cmp(x, top[i-1]) < 0 {
			i--
		}
		top = slices.Insert(top, i, x)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// sortByAttachment sorts evals stably by first (nil for none), then as
// byAttachment does, reading each evaluation's attachment number once
// rather than at each comparison.
//
// The evaluations' places break the ties, so that an unstable sort gives
// the stable order: at 100,000 evaluations slices.SortStableFunc's merges
// took three times the comparisons, a third of a second of every build.
func sortByAttachment(evals []*score.Evaluation, first func(a, b *score.Evaluation) int) {
	type keyed struct {
		e  *score.Evaluation
		at attachment
		i  int
	}
	ks := make([]keyed, len(evals))
	for i, e := range evals {
		ks[i] = keyed{e, attachmentOf(e), i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if first != nil {
			if c := first(a.e, b.e); c != 0 {
				return c
			}
		}
		if c := compareAttachments(a.e, b.e, a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for i, k := range ks {
		evals[i] = k.e
	}
}

// Series returns the evaluations that share e's series key, e included,
// oldest year first; nil when e has no other year to compare with.
func (m *Model) Series(e *score.Evaluation) []*score.Evaluation {
	if e.Series == "" || len(m.series[e.Series]) < 2 {
		return nil
	}
	return m.series[e.Series]
}

// bySeries orders a series: by year, then (a programme evaluated twice in a
// year) as the bureau's report does.
func bySeries(a, b *score.Evaluation) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), byAttachment(a, b))
}

// Department returns the department of an evaluation.
func (m *Model) Department(name string) *Department { return m.deptOf[name] }

// LatestYear returns the newest year, or nil for an empty site.
func (m *Model) LatestYear() *Year {
	if len(m.Years) == 0 {
		return nil
	}
	return m.Years[0]
}

// comparePublished orders evaluations by their published date, those
// without one first.
func comparePublished(a, b *score.Evaluation) int {
	switch {
	case a.Published == nil || b.Published == nil:
		return cmp.Compare(boolInt(a.Published != nil), boolInt(b.Published != nil))
	default:
		return compareDates(*a.Published, *b.Published)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// byAttachment orders as the bureau's report does: 附件1, 附件2, …, 附件10,
// then records without an attachment label by title.
func byAttachment(a, b *score.Evaluation) int {
	return compareAttachments(a, b, attachmentOf(a), attachmentOf(b))
}

// attachment is an evaluation's attachment number, for a sort that
// reads it once per evaluation rather than once per comparison.
type attachment struct {
	n  int
	ok bool
}

func attachmentOf(e *score.Evaluation) attachment {
	n, ok := attachmentNumber(e.Attachment)
	return attachment{n, ok}
}

// compareAttachments is byAttachment with a's and b's numbers given.
func compareAttachments(a, b *score.Evaluation, at, bt attachment) int {
	an, aok, bn, bok := at.n, at.ok, bt.n, bt.ok
	switch {
	case aok && bok && an != bn:
		return cmp.Compare(an, bn)
	case aok != bok:
		if aok {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.Attachment, b.Attachment), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug))
}

func attachmentNumber(s string) (int, bool) {
	digits := strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
	end := strings.IndexFunc(digits, func(r rune) bool { return !unicode.IsDigit(r) })
	if end >= 0 {
		digits = digits[:end]
	}
	if digits == "" {
		// Most records have no attachment label: sorting compares them
		// many times, and Atoi would allocate an error for each.
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

func gradeCounts(bands score.Bands, evals []*score.Evaluation) []GradeCount {
	counts := make([]GradeCount, len(bands))
	for i, b := range bands {
		counts[i] = GradeCount{Grade: b.Grade, Rank: i}
	}
	for _, e := range evals {
		if r := bands.Rank(e.GradeShown); r >= 0 {
			counts[r].Count++
		}
	}
	return counts
}

func average(evals []*score.Evaluation) (int, decimal.D) {
	var n int
	var sum decimal.Sum
	for _, e := range evals {
		if e.HasTotal {
			n++
			sum.Add(e.Total)
		}
	}
	if n == 0 {
		return 0, 0
	}
	return n, sum.Mean(n)
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	// Letters and digits in a name (如“12345热线”) are kept as they are.
	a.Fallback = func(r rune, a pinyin.Args) []string {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return []string{strings.ToLower(string(r))}
		}
		return []string{}
	}
	return a
}()

// slugify turns a department's name into an ASCII URL segment by its pinyin:
// 潜江市民政局 → qianjiangshi-minzhengju. The pinyin is joined per word
// boundary we can know (none, in Chinese), so it is joined whole, with a
// hyphen after the 市/县/区 prefix to keep URLs readable.
func slugify(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < unicode.MaxASCII {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToLower(r))
			} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			continue
		}
		py := pinyin.SinglePinyin(r, pinyinArgs)
		if len(py) > 0 {
			b.WriteString(py[0])
		}
		if r == '市' || r == '县' || r == '区' {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	if s == "" {
		return "department"
	}
	return safeSlug(s, name)
}

// maxSlug bounds a department's slug, in bytes. A 100-character name has
// 400 bytes of pinyin, more than a file system allows in one folder name
// (content.MaxSegment, 255); a URL segment that long is of no use to a
// reader either. The bound leaves room for the "-2" of a homophone.
const maxSlug = 80

// safeSlug makes the slug s of name fit in any file system: a long one is
// cut to maxSlug bytes, ending in 8 hex digits of the name's SHA-256 so
// that two long names sharing a beginning keep apart, and a Windows device
// name (a department called "AUX" or "COM1") gets "-1", since IIS cannot
// hold a folder of that name. Both are deterministic: the same name always
// gets the same slug.
func safeSlug(s, name string) string {
	if len(s) > maxSlug {
		sum := sha256.Sum256([]byte(name))
		s = strings.TrimRight(s[:maxSlug-9], "-") + "-" + hex.EncodeToString(sum[:4])
	}
	return content.SafeSegment(s)
}
