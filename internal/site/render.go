package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"

	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
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

// Renderer renders pages with one set of templates.
type Renderer struct {
	model *Model
	// chartScripts are loaded by pages with charts; nil when the ECharts
	// file is missing from the assets, and then the charts' tables stand
	// alone.
	chartScripts []string
	templates    map[string]*template.Template
	narrative    *narrative.Renderer
	// index, if not nil, receives every evaluation's text as its page is
	// rendered, so the narrative is converted once for both.
	index *search.Builder
	bufs  sync.Pool
	// frags are the fragments rendered so far, trends the series' charts.
	frags  memo[fragmentKey, template.HTML]
	trends memo[string, *chart.Chart]
	// memoMasthead is false when the site has templates of its own.
	memoMasthead bool
	// kept collects the narratives of the print booklets during RenderAll;
	// nil otherwise (the preview's partial renders have no booklets).
	kept *booklets
	// filesState publishes the files beside records (SetFiles).
	filesState
	// spent sums, over all workers, the time of the stages that a build's
	// figures break out (make bench checks charts against their budget).
	spent [numStages]atomic.Int64
}

// Stages of page rendering that Spent reports.
const (
	StageNarrative = iota // Markdown to HTML
	StageCharts           // chart options
	StageTemplates        // executing templates
	StageWrite            // handing pages to the writer
	StageIndex            // collecting evaluations for the search index
	numStages
)

var stageNames = [numStages]string{"narrative", "charts", "templates", "write", "index"}

// Spent returns the time each stage took, summed over all workers (so on
// two cores it can exceed the wall time), by stage name.
func (r *Renderer) Spent() map[string]time.Duration {
	m := make(map[string]time.Duration, numStages)
	for i, name := range stageNames {
		m[name] = time.Duration(r.spent[i].Load())
	}
	return m
}

// since adds the time since start to a stage and returns now.
func (r *Renderer) since(stage int, start time.Time) time.Time {
	now := time.Now()
	r.spent[stage].Add(int64(now.Sub(start)))
	return now
}

// pageTemplates are the page templates; each is parsed together with
// layout.html and the partials.
var pageTemplates = []string{"home.html", "year.html", "evaluation.html", "departments.html", "department.html", "search.html", "404.html", "congress.html", "booklet.html"}

// NewRenderer parses the templates. files holds the embedded defaults under
// templates/; override, if not nil, holds a site's own templates, which
// replace defaults of the same name. index, if not nil, is given every
// evaluation as it is rendered.
func NewRenderer(m *Model, files fs.FS, override fs.FS, md *narrative.Renderer, index *search.Builder) (*Renderer, error) {
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
		return fs.ReadFile(files, path.Join("templates", name))
	}
	shared := []string{"layout.html", "partials.html", "charts.html"}
	r := &Renderer{model: m, templates: map[string]*template.Template{}, narrative: md, index: index}
	fm := funcs(m)
	fm["masthead"] = r.masthead
	fm["evalItem"] = r.evalItem
	fm["scoreTable"] = r.scoreTable
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
	r.bufs.New = func() any { return new(bytes.Buffer) }
	if _, err := fs.Stat(files, ECharts); err == nil {
		r.chartScripts = []string{ECharts, "assets/js/charts.js"}
	}
	return r, nil
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
	if len(p.Charts) > 0 {
		p.Scripts = r.chartScripts
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
		"yearPath":     func(y int) string { return fmt.Sprintf("%d/", y) },
		"add":          func(a, b int) int { return a + b },
		"yearCSV":      yearCSV,
		"congressPath": congressPath,
		"bookletPath":  bookletPath,
		"congressCount": func(y *Year) int {
			n := 0
			for _, e := range y.Evaluations {
				if e.Congress {
					n++
				}
			}
			return n
		},
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
		"indent": func(level int) []struct{} { return make([]struct{}, max(level-1, 0)) },
	}
}

func rootOf(p string) string { return strings.Repeat("../", strings.Count(p, "/")) }

func (r *Renderer) render(w Writer, tmpl, file string, p *Page) error {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	start := time.Now()
	if tmpl != "404.html" {
		p.URL = r.model.Config.BaseURL + p.Path
	}
	if err := r.templates[tmpl].ExecuteTemplate(buf, "layout.html", p); err != nil {
		return fmt.Errorf("render %s: %w", file, err)
	}
	start = r.since(StageTemplates, start)
	defer r.since(StageWrite, start)
	return w.Write(file, buf.Bytes())
}

// RenderAll renders every page to w. Evaluation pages, the bulk of the
// work, are rendered on all cores and written as they are done.
func (r *Renderer) RenderAll(ctx context.Context, w Writer) (pages int, err error) {
	m := r.model
	r.kept = newBooklets(m)
	defer func() { r.kept = nil }()
	g, ctx := errgroup.WithContext(ctx)
	work := make(chan *score.Evaluation)
	g.Go(func() error {
		defer close(work)
		for _, e := range m.Evaluations {
			select {
			case work <- e:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range 2 * runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			for e := range work {
				if err := r.evaluation(w, e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	g.Go(func() error { return r.lists(w) })
	g.Go(func() error { return labelled("data", func() error { return r.data(w) }) })
	g.Go(func() error { return labelled("feeds", func() error { return r.feeds(w) }) })
	if err := g.Wait(); err != nil {
		return 0, err
	}
	// The booklets reprint narratives that the evaluation pages converted,
	// so they come after them; one a year, on all cores.
	b, _ := errgroup.WithContext(ctx)
	b.SetLimit(runtime.GOMAXPROCS(0))
	for _, y := range m.Years {
		b.Go(func() error { return labelled("booklet", func() error { return r.booklet(w, y) }) })
	}
	if err := b.Wait(); err != nil {
		return 0, err
	}
	pages = len(m.Evaluations) + len(m.Years) + len(m.Departments) + 4
	for _, y := range m.Years {
		if len(y.Evaluations) > 0 {
			pages += 2 // its congress table and print booklet
		}
	}
	return pages, nil
}

func (r *Renderer) evaluation(w Writer, e *score.Evaluation) error {
	p := &Page{Site: r.model, Evaluation: e, Title: e.Title, Path: e.Path(), Section: "years",
		Department: r.model.Department(e.Department)}
	p.Root = rootOf(p.Path)
	p.Series = r.model.Series(e)
	p.Related = related(p.Department, e, maxRelated)
	p.Crumbs = []Crumb{{"首页", ""}, {fmt.Sprintf("%d年", e.Year), fmt.Sprintf("%d/", e.Year)}, {e.Title, ""}}
	if e.Narrative != nil {
		start := time.Now()
		doc, err := r.narrative.RenderWith(e.Narrative, r.resolver(e, w))
		r.since(StageNarrative, start)
		if err != nil {
			return fmt.Errorf("%s: %w", e.NarrativeFile, err)
		}
		p.Narrative = doc
		r.kept.keep(e, doc.HTML)
	}
	p.Description = describe(e, p.Narrative.Text)
	start := time.Now()
	if r.index != nil {
		r.index.Add(search.DocOf(e, p.Narrative.Text))
		start = r.since(StageIndex, start)
	}
	c, err := chart.Indicators(e, r.model.Bands)
	if err != nil {
		return fmt.Errorf("%s: %w", e.File, err)
	}
	var trend *chart.Chart
	if p.Series != nil {
		if trend, err = r.trend(e.Series, p.Series); err != nil {
			return fmt.Errorf("%s: %w", e.File, err)
		}
	}
	r.since(StageCharts, start)
	r.withCharts(p, c, trend)
	return r.render(w, "evaluation.html", p.Path+"index.html", p)
}

// labelled runs f with the CPU profile label output=name. The congress
// tables, print booklets, open data, feeds and series charts carry one, so
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

func (r *Renderer) lists(w Writer) error {
	m := r.model
	charts, err := r.yearCharts(m.Years)
	if err != nil {
		return err
	}
	if err := r.home(w, charts); err != nil {
		return err
	}
	for _, y := range m.Years {
		if err := r.year(w, y, charts[y.Year]); err != nil {
			return err
		}
		if err := labelled("congress", func() error { return r.congress(w, y) }); err != nil {
			return err
		}
	}
	if err := r.departments(w); err != nil {
		return err
	}
	if err := r.search(w); err != nil {
		return err
	}
	for _, d := range m.Departments {
		if err := r.department(w, d); err != nil {
			return err
		}
	}
	return r.notFound(w)
}

// yearCharts draws the charts of the given years.
func (r *Renderer) yearCharts(years []*Year) (map[int][]*chart.Chart, error) {
	charts := make(map[int][]*chart.Chart, len(years))
	for _, y := range years {
		start := time.Now()
		c, err := chart.Year(y.Year, y.Evaluations, r.model.Bands)
		r.since(StageCharts, start)
		if err != nil {
			return nil, fmt.Errorf("%d年图表：%w", y.Year, err)
		}
		charts[y.Year] = c
	}
	return charts, nil
}

// home renders the home page; charts holds at least the latest year's.
func (r *Renderer) home(w Writer, charts map[int][]*chart.Chart) error {
	m := r.model
	home := &Page{Site: m, Title: m.Config.Title, Section: "home", Year: m.LatestYear(),
		Description: fmt.Sprintf("%s公开的预算绩效评价结果：评价得分、等级、指标与评价报告摘要。", m.Config.Organization)}
	if y := m.LatestYear(); y != nil {
		// The home page shows the year at a glance: how the grades and
		// scores fall. The year page has all its charts.
		for _, c := range charts[y.Year] {
			if strings.HasPrefix(c.ID, "chart-grades-") || strings.HasPrefix(c.ID, "chart-scores-") {
				r.withCharts(home, c)
			}
		}
	}
	return r.render(w, "home.html", "index.html", home)
}

func (r *Renderer) year(w Writer, y *Year, charts []*chart.Chart) error {
	m := r.model
	p := &Page{Site: m, Year: y, Path: fmt.Sprintf("%d/", y.Year), Section: "years"}
	p.Root = rootOf(p.Path)
	p.Title = fmt.Sprintf("%d年预算绩效评价结果", y.Year)
	if y.Report != nil {
		p.Title = y.Report.Title
		if y.Report.Narrative != nil {
			doc, err := r.narrative.Render(y.Report.Narrative)
			if err != nil {
				return fmt.Errorf("%s: %w", y.Report.NarrativeFile, err)
			}
			p.Narrative = doc
		}
	}
	p.Crumbs = []Crumb{{"首页", ""}, {fmt.Sprintf("%d年", y.Year), ""}}
	p.Description = fmt.Sprintf("%s%d年预算绩效工作情况与%d项评价结果。", m.Config.Organization, y.Year, len(y.Evaluations))
	r.withCharts(p, charts...)
	return r.render(w, "year.html", p.Path+"index.html", p)
}

func (r *Renderer) departments(w Writer) error {
	m := r.model
	depts := &Page{Site: m, Title: "按部门浏览", Path: "departments/", Root: "../", Section: "departments",
		Crumbs:      []Crumb{{"首页", ""}, {"部门", ""}},
		Description: fmt.Sprintf("按部门浏览%s公开的预算绩效评价结果，共%d个部门。", m.Config.Organization, len(m.Departments))}
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
	return r.render(w, "department.html", p.Path+"index.html", p)
}

func (r *Renderer) notFound(w Writer) error {
	// The 404 page is served at any missing URL, so relative links cannot
	// work there: it is the one page whose links start at the base path.
	nf := &Page{Site: r.model, Title: "页面未找到", Root: r.model.Config.BasePath, Section: ""}
	return r.render(w, "404.html", "404.html", nf)
}
