package site

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// The rectification ledger (整改台账) lists every finding of every published
// evaluation once, with its state on the build's date: the overdue ones
// first, then the others not done by deadline, then the done ones. Its
// filters are pages, so that they work without JavaScript: one per state
// (rectification/overdue/, open/, done/) and one per year
// (rectification/2023/); a department's page is its department filter.
// The state itself (overdue or not) is score's, judged on the build's
// date (score.Finding.Overdue); nothing here judges a date.

// ledgerPath is the ledger's address relative to the site root.
const ledgerPath = "rectification/"

// ledgerStates are the ledger's pages by state, in the filter bar's order.
// keep says whether an entry is on the page.
var ledgerStates = []struct {
	slug, name string
	keep       func(*LedgerEntry) bool
	empty      string
}{
	{"overdue", "已逾期", func(x *LedgerEntry) bool { return x.Overdue }, "没有逾期未整改的问题。"},
	{"open", "未完成", func(x *LedgerEntry) bool { return x.Status != "done" }, "没有尚未完成整改的问题。"},
	{"done", "已整改", func(x *LedgerEntry) bool { return x.Status == "done" }, "还没有已完成整改的问题。"},
}

// ledgerYearPath is the address of a year's ledger page.
func ledgerYearPath(y int) string { return ledgerPath + strconv.Itoa(y) + "/" }

// LedgerEntry is one finding of an evaluation as the ledger lists it,
// with what its row shows gathered once: a ledger row is rendered on
// several pages, and a template reads a field of its own much faster
// than one through the finding, the record and the evaluation.
type LedgerEntry struct {
	// Finding is the finding with its state as score judged it.
	Finding    *score.Finding
	Evaluation *score.Evaluation
	// Department is the evaluation's department, for its link.
	Department *Department
	// N is the finding's place in its record, from 1: its anchor on the
	// evaluation's page is "finding-N".
	N int

	Problem, Owner, Result string
	// Status is open, in-progress or done; StatusName says it in
	// Chinese; Overdue is score's judgement on the build's date.
	Status, StatusName string
	Overdue            bool
	// StatusRank orders the states for the table's sort: 0 overdue,
	// 1 未整改, 2 整改中, 3 已整改.
	StatusRank int
	// Deadline and Done are the dates as written, "" for none;
	// DeadlineKey and DoneKey the same as numbers for sorting, 20240630.
	Deadline, Done, DeadlineKey, DoneKey string
	// Title and Year are the evaluation's; Href leads from the site's
	// root to the finding on its page.
	Title    string
	Year     int
	Href     string
	DeptName string
	DeptSlug string

	key sortKey
}

// newEntry returns the i-th finding of e as a ledger entry.
func newEntry(e *score.Evaluation, d *Department, i int) *LedgerEntry {
	f := &e.Findings[i]
	x := &LedgerEntry{Finding: f, Evaluation: e, Department: d, N: i + 1,
		Problem: f.Problem, Owner: f.Owner, Result: f.Result, Status: f.Status, StatusName: f.StatusName, Overdue: f.Overdue,
		Title: e.Title, Year: e.Year, Href: e.Path() + "#finding-" + strconv.Itoa(i+1)}
	if d != nil {
		x.DeptName, x.DeptSlug = d.Name, d.Slug
	}
	switch {
	case f.Overdue:
		x.StatusRank = 0
	case f.Status == "done":
		x.StatusRank = 3
	case f.Status == "in-progress":
		x.StatusRank = 2
	default:
		x.StatusRank = 1
	}
	if f.Deadline != nil {
		x.Deadline, x.DeadlineKey = f.Deadline.String(), strconv.Itoa(dateKey(f.Deadline))
	}
	if f.Done != nil {
		x.Done, x.DoneKey = f.Done.String(), strconv.Itoa(dateKey(f.Done))
	}
	x.key = x.sortKey()
	return x
}

// sortKey is what the ledger's order compares of an entry, gathered
// once: sorting compares each entry some log n times, and reading the
// same fields through the finding, the record and the evaluation cost
// more than the comparisons.
type sortKey struct {
	// group is 0 for overdue, 1 for the others not done, 2 for done.
	group int
	// date is the deadline of a finding not done (missing: after all),
	// the done date of a done one, negated (newest first; missing: last).
	date int
	year int
	slug string
	n    int
}

// noDate sorts after every date.
const noDate = 1 << 30

// dateKey is a date as a number in its order, 20240901.
func dateKey(d *content.Date) int {
	if d == nil {
		return noDate
	}
	return d.Year*10000 + int(d.Month)*100 + d.Day
}

func (x *LedgerEntry) sortKey() sortKey {
	f := x.Finding
	k := sortKey{year: x.Evaluation.Year, slug: x.Evaluation.Slug, n: x.N}
	switch {
	case f.Overdue:
		k.group, k.date = 0, dateKey(f.Deadline)
	case f.Status != "done":
		k.group, k.date = 1, dateKey(f.Deadline)
	default:
		k.group, k.date = 2, -dateKey(f.Done)
		if f.Done == nil {
			k.date = noDate
		}
	}
	return k
}

// compareEntries is the ledger's order: overdue first, then the others
// not done, each by deadline (soonest first, none last); then the done
// ones, the most recently done first; ties by year (newest first), the
// evaluation's slug (within a year, its address) and the finding's place
// in its record, so that the order is the same in every build.
func compareEntries(a, b *LedgerEntry) int {
	return cmp.Or(cmp.Compare(a.key.group, b.key.group), cmp.Compare(a.key.date, b.key.date),
		cmp.Compare(b.key.year, a.key.year), cmp.Compare(a.key.slug, b.key.slug), cmp.Compare(a.key.n, b.key.n))
}

// ledger is the whole ledger in its order, with each year's and each
// department's entries in the same order.
type ledger struct {
	all    []*LedgerEntry
	byYear map[int][]*LedgerEntry
	byDept map[*Department][]*LedgerEntry
	// today is the build's date the states were judged on.
	today content.Date
}

// newLedger builds the ledger of m's evaluations in one pass over them and
// one sort, then hands each entry to its year and department in order.
func newLedger(m *Model) *ledger {
	l := &ledger{byYear: map[int][]*LedgerEntry{}, byDept: map[*Department][]*LedgerEntry{}}
	if len(m.Evaluations) > 0 {
		l.today = m.Evaluations[0].Today
	}
	for _, e := range m.Evaluations {
		l.all = append(l.all, entries(m, e)...)
	}
	slices.SortFunc(l.all, compareEntries)
	for _, x := range l.all {
		l.byYear[x.key.year] = append(l.byYear[x.key.year], x)
		l.byDept[x.Department] = append(l.byDept[x.Department], x)
	}
	return l
}

// entries returns e's findings as ledger entries, in the record's order.
func entries(m *Model, e *score.Evaluation) []*LedgerEntry {
	if len(e.Findings) == 0 {
		return nil
	}
	d := m.Department(e.Department)
	out := make([]*LedgerEntry, len(e.Findings))
	for i := range e.Findings {
		out[i] = newEntry(e, d, i)
	}
	return out
}

// ledgerOf returns the renderer's ledger, built the first time a page
// asks for it.
func (r *Renderer) ledgerOf() *ledger {
	r.ledgerOnce.Do(func() { r.ledger = newLedger(r.model) })
	return r.ledger
}

// Ledger is what a page that shows ledger entries gets: the ledger's own
// pages, a department's page (its findings) and an evaluation's page (the
// findings of the programme's earlier years).
type Ledger struct {
	Entries []*LedgerEntry
	// Counts are the entries' counts.
	Counts findingCounts
	// Today is the build's date, the "as of" date of the states; zero
	// when the states were judged on no date.
	Today content.Date
	// States and Years are the filter bar: the ledger's pages by state
	// and by year, the current one marked. Both are nil outside the
	// ledger's own pages.
	States, Years []LedgerFilter
	// Empty says, in Chinese, that the page has no entries.
	Empty string
	// Pager is set on a ledger page whose filter lists more findings
	// than a page holds: Entries are then this page's, Counts the
	// filter's.
	Pager *Pager
}

// LedgerFilter is one link of the ledger's filter bar.
type LedgerFilter struct {
	Name, Path string
	Count      int
	Current    bool
}

// ledgerOn returns the Ledger of a page that lists entries.
func (l *ledger) ledgerOn(entries []*LedgerEntry, empty string) *Ledger {
	v := &Ledger{Entries: entries, Today: l.today, Empty: empty}
	for _, x := range entries {
		v.Counts.Total++
		if x.Status == "done" {
			v.Counts.Done++
		}
		if x.Overdue {
			v.Counts.Overdue++
		}
	}
	return v
}

// ledgerPageSize is how many findings a ledger page lists at most. A
// province's ledger has some 150,000 findings: on one page that was 62 MB
// of HTML, which no phone opens and which the build held whole in memory
// while writing it. A page of 200 rows is about 80 KB.
const ledgerPageSize = 200

// ledgerPage is one page of the ledger: a filter (all, a state or a
// year) and which of its pages.
type ledgerPage struct {
	// base is the filter's address; path the page's own, base for its
	// first page and base + "page/N/" for the others.
	base, path, title, crumb string
	ledger                   *Ledger
}

// ledgerPagePath is the address of the n-th page (from 1) of the ledger
// filter at base.
func ledgerPagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// ledgerPlan returns the ledger's pages, in the order they are written:
// all findings, then one filter per state and one per year with
// evaluations, each split in pages of ledgerPageSize findings.
func (r *Renderer) ledgerPlan() []ledgerPage {
	m, l := r.model, r.ledgerOf()
	var filters []ledgerPage
	filters = append(filters, ledgerPage{ledgerPath, ledgerPath, "整改台账", "", l.ledgerOn(l.all, "公开的评价结果中尚未列出发现的问题。")})
	for _, s := range ledgerStates {
		var keep []*LedgerEntry
		for _, x := range l.all {
			if s.keep(x) {
				keep = append(keep, x)
			}
		}
		base := ledgerPath + s.slug + "/"
		filters = append(filters, ledgerPage{base, base, "整改台账：" + s.name, s.name, l.ledgerOn(keep, s.empty)})
	}
	for _, y := range m.Years {
		if len(y.Evaluations) == 0 {
			continue
		}
		base := ledgerYearPath(y.Year)
		filters = append(filters, ledgerPage{base, base, fmt.Sprintf("整改台账：%d年评价发现的问题", y.Year), fmt.Sprintf("%d年", y.Year),
			l.ledgerOn(l.byYear[y.Year], fmt.Sprintf("%d年公开的评价结果中尚未列出发现的问题。", y.Year))})
	}
	// The filter bar counts what each filter lists, and leads to its
	// first page.
	states := []LedgerFilter{{Name: "全部", Path: ledgerPath, Count: filters[0].ledger.Counts.Total}}
	for i, s := range ledgerStates {
		states = append(states, LedgerFilter{Name: s.name, Path: filters[1+i].path, Count: len(filters[1+i].ledger.Entries)})
	}
	var years []LedgerFilter
	for _, p := range filters[1+len(ledgerStates):] {
		years = append(years, LedgerFilter{Name: p.crumb, Path: p.path, Count: len(p.ledger.Entries)})
	}
	var pages []ledgerPage
	for _, f := range filters {
		all := f.ledger
		n := max(1, (len(all.Entries)+ledgerPageSize-1)/ledgerPageSize)
		for i := 1; i <= n; i++ {
			v := *all
			v.States, v.Years = current(states, f.base), current(years, f.base)
			pg := f
			pg.ledger = &v
			if n > 1 {
				lo, hi := (i-1)*ledgerPageSize, min(i*ledgerPageSize, len(all.Entries))
				v.Entries = all.Entries[lo:hi]
				v.Pager = newPager(f.base, i, n, lo+1, hi)
				pg.path = ledgerPagePath(f.base, i)
				if i > 1 {
					pg.title = fmt.Sprintf("%s（第%d页）", f.title, i)
				}
			}
			pages = append(pages, pg)
		}
	}
	return pages
}

// Pager is where a page of a list split in pages stands, and the links to
// the others: the first and last, and the two on each side of it.
type Pager struct {
	// Page is this page's number and Pages how many there are, from 1;
	// First and Last the places (from 1) of the first and last item it
	// lists.
	Page, Pages, First, Last int
	Prev, Next               string // addresses of the pages beside it, "" at an end
	Links                    []PageLink
}

// PageLink is one link of a pager; a gap (Number 0) stands for the pages
// left out between two links.
type PageLink struct {
	Number  int
	Path    string
	Current bool
}

// newPager returns the pager of page n of pages, at base, listing the
// items first to last.
func newPager(base string, n, pages, first, last int) *Pager {
	p := &Pager{Page: n, Pages: pages, First: first, Last: last}
	if n > 1 {
		p.Prev = ledgerPagePath(base, n-1)
	}
	if n < pages {
		p.Next = ledgerPagePath(base, n+1)
	}
	prev := 0
	for i := 1; i <= pages; i++ {
		if i != 1 && i != pages && (i < n-2 || i > n+2) {
			continue
		}
		if i > prev+1 {
			p.Links = append(p.Links, PageLink{})
		}
		p.Links = append(p.Links, PageLink{Number: i, Path: ledgerPagePath(base, i), Current: i == n})
		prev = i
	}
	return p
}

// ledgerPages renders the ledger's pages (ledgerPlan), each a Group of
// its own. It returns how many.
func (r *Renderer) ledgerPages(w Writer) (int, error) {
	m := r.model
	pages := r.ledgerPlan()
	for i, pg := range pages {
		v := pg.ledger
		p := &Page{Site: m, Title: pg.title, Path: pg.path, Section: "rectification", Ledger: v, Scripts: []string{SortTable}}
		p.Root = rootOf(p.Path)
		p.Crumbs = []Crumb{{"首页", ""}, {"整改台账", ""}}
		if pg.base != ledgerPath {
			p.Crumbs = []Crumb{{"首页", ""}, {"整改台账", ledgerPath}, {pg.crumb, ""}}
		}
		if pg.path != pg.base {
			// A later page: the filter's crumb leads to its first.
			p.Crumbs[len(p.Crumbs)-1].Path = pg.base
			p.Crumbs = append(p.Crumbs, Crumb{fmt.Sprintf("第%d页", v.Pager.Page), ""})
		}
		p.Description = fmt.Sprintf("%s预算绩效评价发现问题的整改台账：%s共 %d 个问题，已整改 %d 个，逾期未整改 %d 个。",
			m.Config.Organization, pg.crumb, v.Counts.Total, v.Counts.Done, v.Counts.Overdue)
		if v.Pager != nil {
			p.Description += fmt.Sprintf("本页列出第 %d–%d 个。", v.Pager.First, v.Pager.Last)
		}
		_, err := r.page(w, ledgerGroup(pg), func(w Writer) error { return r.render(w, "ledger.html", p.Path+"index.html", p) })
		if err != nil {
			return i, err
		}
	}
	return len(pages), nil
}

// current returns a copy of filters with the one at path marked current.
func current(filters []LedgerFilter, path string) []LedgerFilter {
	out := slices.Clone(filters)
	for i := range out {
		out[i].Current = out[i].Path == path
	}
	return out
}

// ledgerPaths are the addresses of the ledger's pages, as ledgerPages
// writes them, for the sitemap.
func (r *Renderer) ledgerPaths() []string {
	var out []string
	for _, p := range r.ledgerPlan() {
		out = append(out, p.path)
	}
	return out
}

// departmentLedger is the findings of a department's evaluations, for its
// page: the department filter of the ledger.
func (r *Renderer) departmentLedger(d *Department) *Ledger {
	l := r.ledgerOf()
	return l.ledgerOn(l.byDept[d], "")
}

// Sent is how many of the year's evaluations are marked for the congress.
func (y *Year) Sent() int {
	n := 0
	for _, e := range y.Evaluations {
		if e.Congress {
			n++
		}
	}
	return n
}

// FindingCounts counts the findings of the year's evaluations, done and
// overdue.
func (y *Year) FindingCounts() findingCounts { return countFindings(y.Evaluations) }

// FindingCounts counts the findings of the department's evaluations, done
// and overdue.
func (d *Department) FindingCounts() findingCounts { return countFindings(d.Evaluations) }

func countFindings(evals []*score.Evaluation) findingCounts {
	var c findingCounts
	for _, e := range evals {
		n, done, overdue := e.FindingCounts()
		c.Total += n
		c.Done += done
		c.Overdue += overdue
	}
	return c
}

// chineseDate writes a date as a Chinese text does: 2024年9月1日.
func chineseDate(d content.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// Open is how many of the findings are not done yet, overdue or not.
func (c findingCounts) Open() int { return c.Total - c.Done }

// HasFindings reports whether any published evaluation lists a finding:
// a site whose records list none has no findings columns in its
// departments' index, where a row of zeros would read as "no problem
// found" rather than "none listed".
func (m *Model) HasFindings() bool {
	for _, e := range m.Evaluations {
		if len(e.Findings) > 0 {
			return true
		}
	}
	return false
}

// ledgerRow is an entry's row in a ledger table under root, with a
// department column if dept. Its start holds the links, which depend on
// root: on a page of the ledger's folder it is the same on the state
// pages and the year's page that list the entry, and made once for them
// (the template may read only the entry, root and dept); the others (the
// ledger's first page, the department's page) list an entry once and
// make it each time. Its rest, most of the row, holds no link and is made
// once for every page that lists the entry: each finding is on three or
// four pages, and at 7,000 findings the rows were most of the ledger's
// cost.
func (r *Renderer) ledgerRow(root string, dept bool, x *LedgerEntry) (template.HTML, error) {
	d := ledgerRowData{Root: root, ShowDept: dept, X: x}
	var start template.HTML
	var err error
	if dept && root == "../../" {
		start, err = fragment(r, r.frags.ledgerStarts, "ledger-row", d, d)
	} else {
		start, err = r.execute("ledger-row", d)
	}
	if err != nil {
		return "", err
	}
	rest, err := fragment(r, r.frags.ledgerRests, "ledger-row-rest", x, x)
	if err != nil {
		return "", err
	}
	return start + rest, nil
}

// ledgerRowData is what the ledger-row template gets, and its key.
type ledgerRowData struct {
	Root     string
	ShowDept bool
	X        *LedgerEntry
}
