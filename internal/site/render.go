package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
)

// Writer receives each output file as soon as it is rendered. It must be
// safe for concurrent use.
type Writer interface {
	Write(name string, data []byte) error
}

// Page is what every template gets.
type Page struct {
	Site  *Model
	Title string
	// Description is a one-line summary for search engines and link previews.
	Description string
	// Root leads from this page back to the site root: "", "../", "../../".
	Root string
	// Path is the page's own path relative to the site root: "2023/x/".
	Path string
	// URL is the page's absolute address from base_url, for its canonical
	// link and Open Graph; "" for the 404 page, which has none.
	URL string
	// Section marks the navigation entry of this page.
	Section string
	Crumbs  []Crumb

	Year       *Year
	Evaluation *score.Evaluation
	Department *Department
	// Narrative is the rendered narrative of an evaluation or year report.
	Narrative narrative.Doc
	// Documents are the evaluation's original files, published beside
	// its page.
	Documents []Document
	// Related are a few other evaluations of the evaluation's department.
	Related []*score.Evaluation
	// Series are the evaluation's programme in every year it was
	// evaluated, itself included, oldest first; nil when only once.
	Series []*score.Evaluation
	// Charts are the page's figures, in page order; Scripts the scripts
	// that draw them (none on a page without charts).
	Charts  []*chart.Chart
	Scripts []string
	// Booklet is the abstracts of a year's print booklet.
	Booklet *Booklet
	// Modules are ES module scripts of the page (the search page's).
	Modules []string
	// Ledger is the findings a ledger page or a department's page lists.
	Ledger *Ledger
	// Congress is a year's congress table; CongressYears the lines of
	// the index of every year's table (congress.go).
	Congress      *Congress
	CongressYears []*Year
	// OpenData is the data dictionary of the 数据说明 page.
	OpenData *OpenData
	// About is what the 关于本站 page explains (about.go).
	About *About

	// list is the page's list of rows that the template places with
	// rows (rows.go), nil when it has none.
	list *rowList
}

// NavCurrent returns the aria-current value of the navigation's entry
// for section on this page: "" when the page is not in that section,
// "page" when the entry leads to this very page (the home page, the
// latest year's page, the list of departments, the ledger, the congress
// index, search), and "true" on the section's other pages (an evaluation,
// an earlier year, a department): a screen reader would otherwise call
// the latest year's link the page being read.
func (p *Page) NavCurrent(section string) string {
	switch {
	case p.Section != section:
		return ""
	case p.navHere():
		return "page"
	}
	return "true"
}

// navHere reports whether the page is the one its section's entry in the
// navigation leads to.
func (p *Page) navHere() bool {
	switch p.Section {
	case "home":
		return p.Path == ""
	case "years":
		y := p.Site.LatestYear()
		return y != nil && p.Path == content.YearPath(y.Year)
	case "departments", "rectification", "congress", "search":
		return p.Path == p.Section+"/"
	}
	return false
}

// Chart returns the page's chart with the given id, or nil: a template
// that places its charts one by one asks for each.
func (p *Page) Chart(id string) *chart.Chart {
	for _, c := range p.Charts {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Name string
	Path string // relative to the site root; "" for the current page
}

// Renderer renders pages with one set of templates, from a model and the
// material the assemble stage prepared for it. It only renders: it
// converts no narrative, draws no chart and feeds no index.
type Renderer struct {
	model *Model
	asm   Assembly
	// chartScripts are loaded by pages with charts; nil when the ECharts
	// file is missing from the assets, and then the charts' tables stand
	// alone.
	chartScripts []string
	templates    map[string]*template.Template
	bufs         sync.Pool
	// sizes are the length of the last page of each page template (see
	// pageBuf); the map is filled once, in NewRenderer.
	sizes map[string]*atomic.Int64
	// frags is a cache of the fragments rendered so far (see fragment.go).
	frags *fragments
	// memoMasthead is false when the site has templates of its own;
	// spliceRows too (see rowsMark).
	memoMasthead bool
	spliceRows   bool
	// reprinted are the evaluations that a year's print booklet gathers:
	// their score tables are cached, since the booklet shows them again.
	reprinted map[*score.Evaluation]bool
	// clock sums, over all workers, the time of the stages that a build's
	// figures break out.
	clock *par.Clock
	// ledger is the rectification ledger, built once when a page first
	// needs it (see ledgerOf).
	ledgerOnce sync.Once
	ledger     *ledger
	// releasing and tally: see ReleaseRecords (release.go).
	releasing bool
	tally     *tally
	// groups, when set, may take site-wide pages from the previous
	// output (TakeGroups).
	groups Groups
}

// Stages of page rendering that Spent reports.
const (
	StageTemplates = iota // executing templates
	StageWrite            // handing pages to the writer
)

// Spent returns the time each stage took, summed over all workers (so on
// several cores it can exceed the wall time), by stage name.
func (r *Renderer) Spent() map[string]time.Duration { return r.clock.Spent() }

func (r *Renderer) since(stage int, start time.Time) time.Time { return r.clock.Since(stage, start) }

// pageTemplates are the page templates; each is parsed together with
// layout.html and the partials.
var pageTemplates = []string{"home.html", "year.html", "evaluation.html", "departments.html", "department.html", "search.html", "404.html", "congress.html", "booklet.html", "congress-index.html", "opendata.html", "ledger.html", "about.html"}

// NewRenderer parses the templates. files holds the embedded defaults under
// templates/; override, if not nil, holds a site's own templates, which
// replace defaults of the same name. asm gives each page its assembled
// material.
func NewRenderer(m *Model, files fs.FS, override fs.FS, asm Assembly) (*Renderer, error) {
	overridden := false
	read := func(name string) ([]byte, error) {
		if override != nil {
			b, err := fs.ReadFile(override, name)
			if err == nil {
				overridden = true
				return b, nil
			}
			// Only a template the site does not have falls back to the
			// default: one that is refused (a link, too large) or cannot
			// be read must not be replaced silently.
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("无法读取站点模板 templates/%s：%w", name, err)
			}
		}
		b, err := fs.ReadFile(files, path.Join("templates", name))
		if err != nil {
			return nil, err
		}
		return trimIndent(b), nil
	}
	shared := []string{"layout.html", "partials.html", "charts.html"}
	r := &Renderer{model: m, asm: asm, templates: map[string]*template.Template{}, reprinted: map[*score.Evaluation]bool{},
		clock: par.NewClock("templates", "write"), sizes: map[string]*atomic.Int64{}}
	for _, page := range pageTemplates {
		r.sizes[page] = new(atomic.Int64)
	}
	for _, y := range m.Years {
		evals, _ := y.BookletEvaluations()
		for _, e := range evals {
			r.reprinted[e] = true
		}
	}
	fm := funcs(m)
	fm["masthead"] = r.masthead
	fm["headLinks"] = r.headLinks
	fm["colophon"] = r.colophon
	fm["crumbLink"] = r.crumbLink
	fm["seriesRow"] = r.seriesRow
	fm["toc"] = r.toc
	fm["evalItems"] = r.evalItems
	fm["evalItem"] = r.evalItem
	fm["ledgerRow"] = r.ledgerRow
	fm["scoreTable"] = r.scoreTable
	fm["scoreRow"] = r.scoreRow
	fm["scoreRows"] = r.scoreRows
	fm["rows"] = r.rows
	// The fragments render from a set of the shared templates alone.
	for _, page := range append(pageTemplates, fragmentSet) {
		t := template.New("").Funcs(fm)
		names := shared
		if page != fragmentSet {
			names = append(shared[:len(shared):len(shared)], page)
		}
		for _, name := range names {
			src, err := read(name)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			if _, err := t.New(name).Parse(string(src)); err != nil {
				return nil, err
			}
		}
		r.templates[page] = t
	}
	// The masthead is made once per depth and section from the default
	// templates, which read nothing else of the page. A site's own
	// templates may read more (the page's title, say), so with any of them
	// it is made for each page: slower, but never another page's text.
	r.memoMasthead = !overridden
	r.spliceRows = !overridden
	r.frags = newFragments(fragmentCache)
	r.bufs.New = func() any { return new(bytes.Buffer) }
	if _, err := fs.Stat(files, ECharts); err == nil {
		r.chartScripts = []string{ECharts, "assets/js/charts.js"}
	}
	return r, nil
}

// trimIndent removes the spaces and tabs that begin each line of a
// default template's source: the indentation that makes the templates
// readable, some 1.7 KB of every evaluation's page, which no reader sees.
// The line breaks stay, so that the text's white space, where it shows,
// is the same. Lines in a <pre> or <textarea> element, where white space
// shows as written, and in a string between backquotes (a raw string of
// a template action) are left as they are. A site's own templates are
// not changed: their white space may be meant.
func trimIndent(src []byte) []byte {
	out := make([]byte, 0, len(src))
	keep := 0 // open <pre> and <textarea> elements
	raw := false
	for line := range bytes.Lines(src) {
		if keep == 0 && !raw {
			line = bytes.TrimLeft(line, " \t")
		}
		out = append(out, line...)
		lower := bytes.ToLower(line)
		for _, tag := range []string{"pre", "textarea"} {
			keep += openTags(lower, "<"+tag) - openTags(lower, "</"+tag)
		}
		keep = max(keep, 0)
		if bytes.Count(line, []byte("`"))%2 == 1 {
			raw = !raw
		}
	}
	return out
}

// openTags counts the tags that start with prefix ("<pre", "</pre") in
// line, a name that ends there ("<pre>", "<pre class=…"), not a longer
// one ("<prefix").
func openTags(line []byte, prefix string) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(line[i:], []byte(prefix))
		if j < 0 {
			return n
		}
		i += j + len(prefix)
		if i == len(line) || strings.IndexByte(" \t\r\n>/", line[i]) >= 0 {
			n++
		}
	}
}

// fragmentSet names the template set of the fragments.
const fragmentSet = "fragments"

// ECharts is where the ECharts bundle stands in the assets. It is built by
// `make` from the pinned npm package, not committed.
const ECharts = "assets/vendor/echarts/echarts.min.js"

// ChartsDrawn reports whether pages will draw their charts: false when the
// assets lack ECharts (a `go install` without `make`).
func (r *Renderer) ChartsDrawn() bool { return r.chartScripts != nil }

// withCharts attaches charts to a page, with the scripts that draw them.
func (r *Renderer) withCharts(p *Page, charts ...*chart.Chart) {
	for _, c := range charts {
		if c != nil {
			p.Charts = append(p.Charts, c)
		}
	}
	// A chart said in a sentence (chart.Chart.Informative) is not drawn.
	for _, c := range p.Charts {
		if c.Informative() {
			p.Scripts = r.chartScripts
			break
		}
	}
}

// funcs are the template functions, all in one place.
func funcs(m *Model) template.FuncMap {
	return template.FuncMap{
		// url joins the page's root with a site path; the empty result
		// becomes "./" so that a link to the home page is never empty.
		"url": func(root, p string) string {
			if s := root + p; s != "" {
				return s
			}
			return "./"
		},
		"kind": func(k string) string { return content.Kinds[k] },
		"deptSlug": func(name string) string {
			if d := m.Department(name); d != nil {
				return d.Slug
			}
			return ""
		},
		"evalPath": func(e *score.Evaluation) string { return e.Path() },
		// notPublic is the preview notice of an evaluation, "" when public.
		"notPublic":    func(e *score.Evaluation) string { return m.NotPublic[e] },
		"yearPath":     content.YearPath,
		"add":          func(a, b int) int { return a + b },
		"yearCSV":      yearCSV,
		"yearZip":      yearZip,
		"congressPath": congressPath,
		"bookletPath":  bookletPath,
		// dict passes several values to a partial template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"indent":   func(level int) []struct{} { return make([]struct{}, max(level-1, 0)) },
		"fileSize": fileSize,
		// amount shows an amount in 万元 with thousands separators, its
		// digits as written (decimal.Group).
		"amount": amount,
		"findingCounts": func(e *score.Evaluation) findingCounts {
			var c findingCounts
			c.Total, c.Done, c.Overdue = e.FindingCounts()
			return c
		},
		// overspend is how much spent exceeds budget, in 万元 as written
		// (to the more precise of the two), "" when it does not.
		"overspend": func(e *score.Evaluation) string {
			if !e.Overspent {
				return ""
			}
			a := decimal.Amount{Value: e.Spent.Value - e.Budget.Value, Places: max(e.Spent.Places, e.Budget.Places)}
			return a.String()
		},
		"corrections":   newestFirst,
		"openNotes":     func(e *score.Evaluation) []score.Discrepancy { return discrepancies(e, false) },
		"acceptedNotes": func(e *score.Evaluation) []score.Discrepancy { return discrepancies(e, true) },
		// discrepancy is the discrepancy of e about key, nil without one.
		"discrepancy": func(e *score.Evaluation, key string) *score.Discrepancy {
			for i := range e.Discrepancies {
				if e.Discrepancies[i].Key == key {
					return &e.Discrepancies[i]
				}
			}
			return nil
		},
		// The rectification ledger's (ledger.go).
		"ledgerYearPath": ledgerYearPath,
		"chineseDate":    chineseDate,
		// resultUse says a record's result use in words, as the trend
		// chart beside the series table does.
		"resultUse": chart.UseText,
	}
}

// findingCounts is how many findings an evaluation has, done and overdue.
type findingCounts struct{ Total, Done, Overdue int }

// discrepancies returns e's discrepancies that the record acknowledges
// (accepted) or those it does not: the page explains the first neutrally,
// with the record's reason, and lists the others as a data check.
func discrepancies(e *score.Evaluation, accepted bool) []score.Discrepancy {
	var out []score.Discrepancy
	for _, d := range e.Discrepancies {
		if d.Accepted == accepted {
			out = append(out, d)
		}
	}
	return out
}

// newestFirst returns a record's corrections with the newest first, as an
// update log reads; corrections of one day keep the record's order.
func newestFirst(cs []*content.Correction) []*content.Correction {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b *content.Correction) int {
		switch {
		case a.Date.After(b.Date):
			return -1
		case b.Date.After(a.Date):
			return 1
		}
		return 0
	})
	return out
}

// fileSize says a file's size as a download link does: "102 字节",
// "35.2 KB", "4.1 MB" (units of 1024, one decimal place, cut, so that
// the text never overstates and is the same on every machine).
func fileSize(n int64) string {
	const kb, mb = 1024, 1024 * 1024
	tenths := func(unit int64) string {
		t := n * 10 / unit
		return strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10)
	}
	switch {
	case n < kb:
		return strconv.FormatInt(n, 10) + " 字节"
	case n < mb:
		return tenths(kb) + " KB"
	}
	return tenths(mb) + " MB"
}

func rootOf(p string) string { return strings.Repeat("../", strings.Count(p, "/")) }

// pageSize is the buffer a page is rendered into to begin with.
const pageSize = 48 << 10

// maxPooled is the largest buffer kept for the next page: a booklet or a
// ledger page of megabytes would otherwise stay in the pool, one per core,
// for pages of 30 KB.
const maxPooled = 1 << 20

// putBuf returns buf to the pool unless a large page grew it.
func (r *Renderer) putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		r.bufs.Put(buf)
	}
}

// pageBuf returns an empty buffer for a page of the template tmpl, with
// room for as much as the last page of that template and at least
// pageSize. An evaluation's page is some 30 KB; a booklet or a year's
// list is megabytes. The pool loses its buffers at every collection, and
// a buffer that starts small grows by doubling, zeroing and copying about
// twice the page on the way.
func (r *Renderer) pageBuf(tmpl string) *bytes.Buffer {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	n := pageSize
	if last := r.sizes[tmpl]; last != nil {
		// A little more than the last one: the next page of a kind is
		// often a little longer (a year with more evaluations).
		n = max(n, int(last.Load())*17/16)
	}
	buf.Grow(n)
	return buf
}

// donePage notes the length of a page of tmpl for the next one and gives
// its buffer back (putBuf: not when it is large).
func (r *Renderer) donePage(tmpl string, buf *bytes.Buffer) {
	if last := r.sizes[tmpl]; last != nil {
		last.Store(int64(buf.Len()))
	}
	r.putBuf(buf)
}

func (r *Renderer) render(w Writer, tmpl, file string, p *Page) error {
	buf := r.pageBuf(tmpl)
	defer r.donePage(tmpl, buf)
	start := time.Now()
	if tmpl != "404.html" {
		p.URL = r.model.Config.BaseURL + p.Path
	}
	if p.list != nil {
		p.list.out = buf
	}
	if err := r.templates[tmpl].ExecuteTemplate(buf, "layout.html", p); err != nil {
		return fmt.Errorf("render %s: %w", file, err)
	}
	page, spliced := buf.Bytes(), false
	if l := p.list; l != nil && l.mark {
		if page, spliced = l.splice(page); !spliced {
			// The rows as they were gathered, joined this time.
			l.direct, l.mark, l.calls = true, false, 0
			buf.Reset()
			if err := r.templates[tmpl].ExecuteTemplate(buf, "layout.html", p); err != nil {
				return fmt.Errorf("render %s: %w", file, err)
			}
			page = buf.Bytes()
		}
	}
	if !spliced {
		p.list.madeRows(page)
	}
	start = r.since(StageTemplates, start)
	defer r.since(StageWrite, start)
	return w.Write(file, page)
}

// evaluation renders e's page. An incremental build takes the page from
// the previous output when nothing it reads has changed (pageKeys in
// internal/pipeline/incremental.go): what it reads of other evaluations or
// of the model beyond e, its series, its related list and its department
// must be named there too.
func (r *Renderer) evaluation(w Writer, e *score.Evaluation) error {
	defer e.HoldRows()()
	parts, err := r.asm.Evaluation(e)
	if err != nil {
		return err
	}
	for _, f := range parts.Files {
		if err := w.Write(f.Name, f.Data); err != nil {
			return err
		}
	}
	p := &Page{Site: r.model, Evaluation: e, Title: e.Title, Path: e.Path(), Section: "years",
		Department: r.model.Department(e.Department), Narrative: parts.Narrative, Documents: parts.Documents}
	p.Root = rootOf(p.Path)
	p.Series = r.model.Series(e)
	p.Related = related(p.Department, e, maxRelated)
	p.Crumbs = []Crumb{{"首页", ""}, yearCrumb(e.Year), {e.Title, ""}}
	p.Description = describe(e, p.Narrative.Text)
	r.withCharts(p, parts.Indicators, parts.Trend)
	return r.render(w, "evaluation.html", p.Path+"index.html", p)
}

// yearCrumb is the breadcrumb step that leads to a year's page.
func yearCrumb(y int) Crumb { return Crumb{fmt.Sprintf("%d年", y), content.YearPath(y)} }

// labelled runs f with the CPU profile label output=name. The congress
// tables, print booklets, open data, feeds, series charts and the
// rectification ledger carry one, so
// that a profile of a build (evalpress build -cpuprofile) tells what they
// add to it; make bench reports that against its budget.
func labelled(name string, f func() error) (err error) {
	pprof.Do(context.Background(), pprof.Labels("output", name), func(context.Context) { err = f() })
	return err
}

// maxRelated bounds the list of a department's other evaluations on an
// evaluation page: a department with 200 evaluations would otherwise put
// 200 links on each of its pages (and cost 40 s of a 10,000-page build);
// the department page has them all.
const maxRelated = 8

// related returns up to n other evaluations of d in the department's
// order, newest first. The same programme's other years are left out:
// the page lists them in its own table of the series.
func related(d *Department, e *score.Evaluation, n int) []*score.Evaluation {
	if d == nil {
		return nil
	}
	out := make([]*score.Evaluation, 0, n)
	for _, o := range d.Evaluations {
		if len(out) == n {
			break
		}
		if o != e && (e.Series == "" || o.Series != e.Series) {
			out = append(out, o)
		}
	}
	return out
}

// describe summarises an evaluation in one line for meta description.
func describe(e *score.Evaluation, text string) string {
	s := fmt.Sprintf("%s %d年%s绩效评价结果", e.Department, e.Year, e.Title)
	if e.HasTotal {
		s += fmt.Sprintf("：综合得分%s分", e.Total)
	}
	if e.GradeShown != "" {
		s += fmt.Sprintf("，评价等级%s", e.GradeShown)
	}
	s += "。"
	if text != "" {
		s += excerpt(text, 80)
	}
	return s
}

// excerpt returns the first n characters of text with runs of white space
// folded to one space. It reads only as far as it needs: narratives are
// thousands of characters and this runs once per page.
func excerpt(text string, n int) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if n == 0 {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
			n--
		}
		b.WriteRune(r)
		n--
	}
	return b.String()
}

// home renders the home page; latest holds the material of the latest
// year's page, nil for a site without years.
func (r *Renderer) home(w Writer, latest *YearParts) error {
	m := r.model
	home := &Page{Site: m, Title: m.Config.Title, Section: "home", Year: m.LatestYear(),
		Description: fmt.Sprintf("%s公开的预算绩效评价结果：评价得分、等级、指标与评价报告摘要。", m.Config.Organization)}
	if latest != nil {
		// The home page shows the year at a glance: how the grades and
		// scores fall. The year page has all its charts.
		for _, c := range latest.Charts {
			if strings.HasPrefix(c.ID, "chart-grades-") || strings.HasPrefix(c.ID, "chart-scores-") {
				r.withCharts(home, c)
			}
		}
	}
	if len(m.Latest) > 1 {
		home.Scripts = append(slices.Clone(home.Scripts), ResultsFilter)
	}
	return r.render(w, "home.html", "index.html", home)
}

func (r *Renderer) year(w Writer, y *Year, parts *YearParts) error {
	m := r.model
	p := &Page{Site: m, Year: y, Path: content.YearPath(y.Year), Section: "years", Narrative: parts.Narrative}
	p.Root = rootOf(p.Path)
	p.Title = fmt.Sprintf("%d年预算绩效评价结果", y.Year)
	if y.Report != nil {
		p.Title = y.Report.Title
	}
	p.Crumbs = []Crumb{{"首页", ""}, {fmt.Sprintf("%d年", y.Year), ""}}
	p.Description = fmt.Sprintf("%s%d年预算绩效工作情况与%d项评价结果。", m.Config.Organization, y.Year, len(y.Evaluations))
	r.withCharts(p, parts.Charts...)
	file := p.Path + "index.html"
	// The flags are those year.html gives the table's head.
	p.list = &rowList{page: "year.html", tmpl: "evaluation-rows", evals: y.Evaluations, file: file,
		data: func(lo, hi int) any { return evaluationRows{Root: p.Root, List: y.Evaluations[lo:hi], ShowDept: true} }}
	p.list.cache, _ = w.(RowCache)
	return r.render(w, "year.html", file, p)
}

// evaluationRows is what the template of a chunk of the rows of a table
// of evaluations gets (evaluation-rows, as the evaluations partial
// gives it).
type evaluationRows struct {
	Root               string
	List               []*score.Evaluation
	ShowYear, ShowDept bool
}

func (r *Renderer) departments(w Writer) error {
	m := r.model
	depts := &Page{Site: m, Title: "按部门浏览", Path: "departments/", Root: "../", Section: "departments",
		Crumbs:      []Crumb{{"首页", ""}, {"部门", ""}},
		Description: fmt.Sprintf("按部门浏览%s公开的预算绩效评价结果，共%d个部门。", m.Config.Organization, len(m.Departments))}
	if len(m.Departments) > 1 {
		depts.Scripts = []string{SortTable}
	}
	return r.render(w, "departments.html", "departments/index.html", depts)
}

func (r *Renderer) search(w Writer) error {
	m := r.model
	find := &Page{Site: m, Title: "搜索", Path: "search/", Root: "../", Section: "search",
		Crumbs:      []Crumb{{"首页", ""}, {"搜索", ""}},
		Description: fmt.Sprintf("全文搜索%s公开的预算绩效评价结果，可按年度、部门、等级和类型筛选。", m.Config.Organization),
		Modules:     []string{"assets/js/search-page.js"}}
	return r.render(w, "search.html", "search/index.html", find)
}

func (r *Renderer) department(w Writer, d *Department) error {
	p := &Page{Site: r.model, Department: d, Title: d.Name, Path: "departments/" + d.Slug + "/", Root: "../../", Section: "departments",
		Crumbs:      []Crumb{{"首页", ""}, {"部门", "departments/"}, {d.Name, ""}},
		Description: fmt.Sprintf("%s的预算绩效评价结果，共%d项。", d.Name, len(d.Evaluations))}
	if p.Ledger = r.departmentLedger(d); len(p.Ledger.Entries) > 0 {
		p.Scripts = []string{SortTable}
	}
	return r.render(w, "department.html", p.Path+"index.html", p)
}

func (r *Renderer) notFound(w Writer) error {
	// The 404 page is served at any missing URL, so relative links cannot
	// work there: it is the one page whose links start at the base path.
	nf := &Page{Site: r.model, Title: "页面未找到", Root: r.model.Config.BasePath, Section: ""}
	return r.render(w, "404.html", "404.html", nf)
}
