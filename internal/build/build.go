package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"time"
	_ "time/tzdata" // the site's time zone must resolve on any machine

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/output"
	"github.com/evalpress/evalpress/internal/privacy"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// Options configure one build.
type Options struct {
	// Content is the content directory; Out the output directory.
	Content string
	Out     string
	// Strict turns warnings into errors.
	Strict bool
	// Now decides which records are published yet; zero means time.Now().
	Now time.Time
	// Drafts and Future include drafts and records whose published date
	// is still to come, marked as not public. Only the preview server
	// (evalpress serve) sets them: a built site never has such a record.
	Drafts, Future bool
	// Files holds the default templates/ and assets/; nil means the ones
	// embedded in the binary (evalpress.Files). The preview server passes
	// the source tree's own, so that an edit there shows at once.
	Files fs.FS
}

// files returns the default templates and assets of a build.
func (o Options) files() fs.FS {
	if o.Files != nil {
		return o.Files
	}
	return evalpress.Files
}

// Stats describe a finished build.
type Stats struct {
	Evaluations int // published evaluations
	Withheld    int // drafts and records not yet due
	Pages       int
	Files       int64
	Bytes       int64
	// Notices are things the user should know about a build that
	// succeeded, such as charts that cannot be drawn.
	Notices []string
	// Timings break the build's time down by stage, in pipeline order.
	// Stages that run on several cores report their time summed over the
	// workers, so they can add up to more than the wall time.
	Timings []Timing
}

// Timing is the time one stage took.
type Timing struct {
	Stage string
	Time  time.Duration
}

func (s *Stats) time(stage string, start time.Time) time.Time {
	now := time.Now()
	s.Timings = append(s.Timings, Timing{stage, now.Sub(start)})
	return now
}

// ErrFailed is returned when the content has errors (or warnings, when
// strict); the diagnostics say which.
var ErrFailed = errors.New("内容有错误，未生成网站")

// Run builds the site into opts.Out. Problems with the content go into l;
// Run returns an error when the build failed, and then the previous output
// is untouched: pages are written to a temporary directory that replaces
// the output only when everything succeeded.
func Run(ctx context.Context, opts Options, l *diag.List) (Stats, error) {
	p, stats, err := prepare(opts, l)
	if err != nil {
		return stats, err
	}
	out, err := output.Create(opts.Out)
	if err != nil {
		return stats, err
	}
	if err = p.render(ctx, out, &stats); err != nil {
		out.Abort()
		return stats, err
	}
	stats.Files, stats.Bytes = out.Count()
	start := time.Now()
	err = out.Commit()
	stats.time("commit", start)
	return stats, err
}

// Check runs every validation of Run, rendering every page to nowhere so
// that template errors surface too, and writes nothing.
func Check(ctx context.Context, opts Options, l *diag.List) (Stats, error) {
	p, stats, err := prepare(opts, l)
	if err != nil {
		return stats, err
	}
	// Render to nowhere but the link check, which keeps of each page only
	// its references and ids, so that 10,000 pages never sit in memory.
	links := linkcheck.NewSite(p.model.Config.BasePath)
	if err = p.render(ctx, links, &stats); err != nil {
		return stats, err
	}
	for _, prob := range links.Problems() {
		pos := p.sourceOf(prob.Page, prob.Ref)
		l.Errorf(pos, "", "链接应指向本站存在的页面或文件；外部网页请写完整的 https:// 地址",
			"生成的页面 %s（第 %d 行）中的链接 %q 无效：%s", prob.Page, prob.Line, prob.Ref, prob.Reason)
	}
	if l.Failed(opts.Strict) {
		return stats, ErrFailed
	}
	return stats, nil
}

// sourceOf names the content file a generated page comes from, for a
// broken link found in it: an evaluation's narrative (at the line that
// holds the link, when it is written there) or record, a year report, or
// else the templates.
func (p *prepared) sourceOf(page, ref string) diag.Pos {
	for _, e := range p.model.Evaluations {
		if page != e.Path()+"index.html" {
			continue
		}
		if e.Narrative != nil {
			if line := lineOf(e.Narrative, ref); line > 0 {
				return diag.Pos{File: e.NarrativeFile, Line: line}
			}
		}
		return diag.Pos{File: e.File}
	}
	for _, y := range p.model.Years {
		if page == fmt.Sprintf("%d/index.html", y.Year) && y.Report != nil && y.Report.Narrative != nil {
			if line := lineOf(y.Report.Narrative, ref); line > 0 {
				return diag.Pos{File: y.Report.NarrativeFile, Line: line}
			}
		}
	}
	return diag.Pos{File: "templates（页面模板）"}
}

// lineOf returns the 1-based line of src that contains s, or 0.
func lineOf(src []byte, s string) int {
	i := bytes.Index(src, []byte(s))
	if i < 0 || s == "" {
		return 0
	}
	return bytes.Count(src[:i], []byte("\n")) + 1
}

// prepared is a site loaded, checked and scored, ready to render.
type prepared struct {
	opts     Options
	model    *site.Model
	override fs.FS
	// bands, loc and site are kept for updates of a Live site.
	bands score.Bands
	loc   *time.Location
	site  content.Site
	// index is the search index of the last render.
	index *search.Index
}

func prepare(opts Options, l *diag.List) (*prepared, Stats, error) {
	var stats Stats
	if st, err := os.Stat(opts.Content); err != nil || !st.IsDir() {
		return nil, stats, fmt.Errorf("找不到内容目录 %s（用 -content 指定）", opts.Content)
	}
	start := time.Now()
	c := content.Load(sysfile.DirFS(opts.Content), filepath.ToSlash(filepath.Clean(opts.Content)), l)
	start = stats.time("load", start)
	bands := score.Bands(c.Site.Grades)
	if len(bands) == 0 {
		bands = score.DefaultBands
	}
	// Every record is checked, drafts included, so that a draft is ready
	// when its flag is cleared; only published ones reach the site.
	evals := score.Evaluate(c.Records, bands, l)
	// Drafts are checked for personal data too: a draft is published by
	// clearing one flag, and the check must have spoken before that.
	// On both cores: it reads every narrative (diag.List is safe for
	// concurrent use).
	var wg sync.WaitGroup
	records := make(chan *content.Record)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for r := range records {
				privacy.CheckRecord(r, r.AllowPersonalData, l)
			}
		})
	}
	for _, r := range c.Records {
		records <- r
	}
	close(records)
	wg.Wait()
	for _, r := range c.Reports {
		privacy.CheckReport(r, r.AllowPersonalData, l)
	}
	privacy.CheckSite(&c.Site, l)
	stats.time("score", start)
	// Every check that names a line has run: the key positions (a map per
	// record, 80 MB for 10,000 records) are not needed for rendering, and
	// the garbage collector would otherwise scan them on every cycle.
	for _, r := range c.Records {
		r.Pos = nil
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc, err := time.LoadLocation(c.Site.TimeZone)
	if err != nil || c.Site.TimeZone == "" {
		loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	published := evals[:0:0]
	notPublic := map[*score.Evaluation]string{}
	for _, e := range evals {
		if notice, ok := preview(e, opts, loc, now); !ok {
			stats.Withheld++
			continue
		} else if notice != "" {
			notPublic[e] = notice
		}
		published = append(published, e)
	}
	stats.Evaluations = len(published)
	if l.Failed(opts.Strict) {
		return nil, stats, ErrFailed
	}
	reports := make([]*content.Report, 0, len(c.Reports))
	for _, r := range c.Reports {
		if r.Published == nil || !r.Published.In(loc).After(now) {
			reports = append(reports, r)
		}
	}
	p := &prepared{opts: opts, model: site.NewModel(c.Site, bands, reports, published),
		bands: bands, loc: loc, site: c.Site}
	if len(notPublic) > 0 {
		p.model.NotPublic = notPublic
	}
	if dir := filepath.Join(opts.Content, "templates"); isDir(dir) {
		p.override = os.DirFS(dir)
	}
	return p, stats, nil
}

func (p *prepared) render(ctx context.Context, w site.Writer, stats *Stats) (err error) {
	start := time.Now()
	index := search.NewBuilder()
	r, err := site.NewRenderer(p.model, p.opts.files(), p.override, narrative.New(), index)
	if err != nil {
		return err
	}
	if !r.ChartsDrawn() {
		stats.Notices = append(stats.Notices, "未找到 "+site.ECharts+"：图表不绘制，数据表照常显示。在源码目录运行 make build 生成它（需要 Node.js 和 npm），再重新编译 evalpress。")
	}
	if stats.Pages, err = r.RenderAll(ctx, w); err != nil {
		return err
	}
	if err := copyAssets(w, p.opts.files()); err != nil {
		return err
	}
	start = stats.time("render", start)
	p.index = index.Index()
	if err := p.index.Write(w); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	stats.time("search", start)
	spent := r.Spent()
	for _, stage := range []string{"narrative", "charts", "templates", "write", "index"} {
		stats.Timings = append(stats.Timings, Timing{"render." + stage, spent[stage]})
	}
	return nil
}

// LiveReload is the preview server's page script in the assets. It is
// never part of a built site.
const LiveReload = "assets/js/livereload.js"

// copyAssets writes the assets/ tree of files to the output as it is.
func copyAssets(w site.Writer, files fs.FS) error {
	return fs.WalkDir(files, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || name == LiveReload {
			return err
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		return w.Write(path.Clean(name), data)
	})
}

// preview reports whether e is shown under opts, and the notice its
// pages carry when it is shown without being public.
func preview(e *score.Evaluation, opts Options, loc *time.Location, now time.Time) (notice string, shown bool) {
	if e.Draft {
		return "草稿：未公开", opts.Drafts
	}
	if e.Published != nil && e.Published.In(loc).After(now) {
		return "尚未到公开日期（" + e.Published.String() + "）", opts.Future
	}
	return "", true
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
