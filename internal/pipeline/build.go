package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/assemble"
	"github.com/evalpress/evalpress/internal/attach"
	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/linkcheck"
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
	// ReplaceOut lets Run take over an output folder that holds files it
	// did not make (see output.Options.Replace).
	ReplaceOut bool
	// OutWaiting, when set, is told that another build is writing Out
	// before Run waits for it.
	OutWaiting func(lock string)
	// Strict turns warnings into errors.
	Strict bool
	// Now decides which records are published yet; zero means the time
	// of the check (see Options.now).
	Now time.Time
	// Drafts and Future include drafts and records whose published date
	// is still to come, marked as not public. Only the preview server
	// (evalpress serve) sets them: a built site never has such a record.
	Drafts, Future bool
	// SearchBulk also writes export.BulkPath, the search documents as a
	// bulk file for OpenSearch or Elasticsearch (evalpress build
	// -search-bulk). Check never writes it.
	SearchBulk bool
	// RemoveOldLater leaves the previous output, moved aside once the new
	// one is in place, for the caller to remove with Stats.RemoveOld once
	// it has reported the build (evalpress build does): at 10,000
	// evaluations its 13,000 files and folders took 1.5 s of the build.
	// Without it Run removes it before it returns, after the lock is
	// released.
	RemoveOldLater bool
	// Full makes build render every page, reading nothing of its cache
	// of the previous build (it still writes a new one); see
	// incremental.go.
	Full bool
	// Sized, when set, is told how many records the content holds
	// (drafts included), once they are listed and before any is read:
	// evalpress build sizes the collector's memory budget by it. Told
	// after the load, as it was, the budget came too late for the load,
	// where the heap grows with the site: at 100,000 evaluations the
	// load collected every second with the 10,000's budget, a quarter
	// of its CPU. A build with a cache tells it first, before anything
	// is read, how many pages the previous build made (a rebuild's heap
	// grows with what the cache gives back while the records are still
	// being listed).
	Sized func(records int)
	// Rebuilding, when set, is told the previous build's number of
	// evaluation pages, once, as soon as the build finds that its cache
	// gives back records made by this binary for this site.toml (not
	// with Full): a rebuild, whose heap holds what the cache gives back
	// to its end. evalpress build then asks for huge pages for the heap
	// (cmd/evalpress/hugepages.go). It is not told in a full build, nor
	// in the first build after an upgrade of evalpress, which render
	// every page: they allocate many times their peak and give memory
	// back as they go, and huge pages split by that giving back made
	// them slower, not faster.
	Rebuilding func(pages int)
	// Files holds the default templates/ and assets/; nil means the ones
	// embedded in the binary (evalpress.Files). The preview server passes
	// the source tree's own, so that an edit there shows at once.
	Files fs.FS
	// Held, when set, keeps the cache's index and parts in memory from
	// one build to the next (buildcache.Held): for a process that builds
	// again and again, evalpress build -watch.
	Held *buildcache.Held
	// Quiet, when set, reports the content files (paths relative to
	// Content, with '/') that have not changed since the previous build
	// of this process began, a build that saved its cache of loaded
	// records whole (Stats.RecordsSaved): that cache then trusts,
	// without looking, that such a file is still the one that build saw
	// or trusted. For evalpress build -watch, which learns of each
	// change from the system; nil looks at every file.
	Quiet func(name string) bool
	// Listings, when set, holds the content's folders' listings from one
	// build to the next (sysfile.Listings), the caller dropping those a
	// change makes stale before each build: for evalpress build -watch.
	Listings *sysfile.Listings
}

// now is the time that decides which records are published yet: Now, or
// else the clock's. The preview server's Live asks again on each update,
// so that a record becomes public on its day without a restart.
func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
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
	// Reused are the evaluation pages an incremental build took unchanged
	// from the previous output (they count in Pages).
	Reused int
	// TakenGroups are the site-wide pages an incremental build took
	// unchanged from the previous output, by group (site.Group), in
	// order; their pages count in Pages.
	TakenGroups []string
	// DataYears are the open data's years an incremental build took
	// from the previous output instead of making their rows again
	// (dataparts.go).
	DataYears int
	// DataChunks are the chunks of the years made again that it took
	// likewise (export.ChunkSize evaluations each).
	DataChunks int
	// RowChunks are the chunks of the big lists' rows (site.RowChunk
	// evaluations each) of the pages rendered again that it took from
	// the previous output's pages (rowparts.go).
	RowChunks int
	// Recalled are the records a build took from its cache of loaded
	// records instead of reading them (loadcache.go).
	Recalled int
	// RecordsSaved is set when the build saved its cache of loaded
	// records whole, each part that changed written: the next build may
	// then trust it for the files Options.Quiet names.
	RecordsSaved bool
	// SearchAhead are the search documents that reached the index too
	// far ahead of their turn (search.Stream.Ahead), each making it sort
	// the lists of its terms. A full build makes its pages in the order
	// of their addresses, and has none.
	SearchAhead int
	Files       int64
	Bytes       int64
	// Notices are things the user should know about a build that
	// succeeded, such as charts that cannot be drawn.
	Notices []string
	// RemoveOld, set when Options.RemoveOldLater is, removes the
	// previous output that the build moved aside, and returns what the
	// user should know (a folder it could not remove).
	RemoveOld func() []string
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

// phase labels the calling goroutine, and the goroutines it starts from
// now on, with the build's phase in CPU profiles (-cpuprofile): `go tool
// pprof -tagfocus phase=load` shows what a phase spent, including the
// work it left running beside the next ones. An empty name removes the
// label.
func phase(name string) {
	ctx := context.Background()
	if name != "" {
		ctx = pprof.WithLabels(ctx, pprof.Labels("phase", name))
	}
	pprof.SetGoroutineLabels(ctx)
}

// ErrFailed is returned when the content has errors (or warnings, when
// strict); the diagnostics say which.
var ErrFailed = errors.New("内容有错误，未生成网站")

// Run builds the site into opts.Out. Problems with the content go into l;
// Run returns an error when the build failed, and then the previous output
// is untouched: pages are written to a temporary directory that replaces
// the output only when everything succeeded. An output folder that must
// not be replaced is refused before anything is loaded, with its reasons
// in l and ErrOutput.
func Run(ctx context.Context, opts Options, l *diag.List) (stats Stats, err error) {
	if err := contentExists(opts.Content); err != nil {
		return stats, err
	}
	out, err := output.Open(ctx, opts.Out, output.Options{Content: opts.Content, Replace: opts.ReplaceOut, Waiting: opts.OutWaiting})
	var refused *output.RefusedError
	if errors.As(err, &refused) {
		name := opts.Out
		if name == "" {
			name = `""`
		}
		for _, p := range refused.Problems {
			l.Errorf(diag.Pos{File: name}, "-out", p.Hint, "%s", p.Message)
		}
		return stats, ErrOutput
	}
	if err != nil {
		return stats, err
	}
	defer func() {
		// What the output saw (debris removed, an old output it could not
		// delete) is worth telling whether or not the build succeeded.
		out.Abort()
		stats.Notices = append(stats.Notices, out.Notices()...)
	}()
	defer phase("")
	phase("start") // what the cache starts reading beside the load
	start := time.Now()
	inc := startIncremental(opts, out)
	defer func() {
		inc.abandon()
		stats.Notices = append(stats.Notices, inc.notices...)
	}()
	cacheTime := time.Since(start)
	phase("load")
	// The load keeps the records it loaded in the cache (loadHooks.settle)
	// as soon as it is done, whether or not the build goes on: the next
	// build, after a fix, reads only what changed. That is before the
	// pages are made, since the renderer lets go of each record's
	// indicators once its pages are written (site.Renderer.ReleaseRecords),
	// and before hashRest lets the load's hashes go, since the cache's
	// key is site.toml's hash.
	p, stats, err := prepare(opts, true, inc.hooks(), l)
	stats.Recalled = inc.recalled()
	stats.RecordsSaved = inc.recordsSaved()
	inc.recordNotices()
	if err != nil {
		return stats, err
	}
	p.oneShot = true
	phase("cache")
	start = time.Now()
	inc.hashRest(ctx, opts.Content)
	inc.plan(p)
	stats.Timings = append(stats.Timings, Timing{"cache", cacheTime + time.Since(start)})
	p.inc = inc
	// The link check of Check runs on every page as it is written, so
	// that build refuses what check refuses: a broken link in a narrative
	// is never published.
	links := linkcheck.NewSite(p.model.Config.BasePath)
	if inc.usable() && inc.old != nil {
		links.Expect(len(inc.old.Output))
	}
	inc.wants, inc.links = links.Wants, links
	if inc.usable() {
		links.Capture(func(string) bool { return true }, inc.captured)
	}
	p.out = out
	if err = p.build(ctx, tee{out, links}, &stats, l); err != nil {
		return stats, err
	}
	if err = inc.finishLinks(); err != nil {
		return stats, err
	}
	p.reportLinks(links, l)
	if l.Failed(opts.Strict) {
		return stats, ErrFailed
	}
	// A signal that came after the last page must still stop the build
	// before the swap: the user asked for the old output to stay.
	if err := ctx.Err(); err != nil {
		return stats, err
	}
	stats.Files, stats.Bytes = out.Count()
	phase("commit")
	start = time.Now()
	inc.commit(out)
	if opts.RemoveOldLater {
		out.DeferRemoval()
		stats.RemoveOld = out.RemoveOld
	}
	err = out.Commit()
	stats.time("commit", start)
	return stats, err
}

// ErrOutput is returned when the output folder is refused; the
// diagnostics say why and what to do.
var ErrOutput = errors.New("输出文件夹不能使用，未生成网站")

// Check runs every validation of Run, rendering every page to nowhere so
// that template errors surface too, and writes nothing.
func Check(ctx context.Context, opts Options, l *diag.List) (Stats, error) {
	p, stats, err := prepare(opts, true, nil, l)
	if err != nil {
		return stats, err
	}
	// Render to nowhere but the link check, which keeps of each page only
	// its references and ids, so that 10,000 pages never sit in memory.
	links := linkcheck.NewSite(p.model.Config.BasePath)
	if err = p.build(ctx, links, &stats, l); err != nil {
		return stats, err
	}
	p.reportLinks(links, l)
	if l.Failed(opts.Strict) {
		return stats, ErrFailed
	}
	return stats, nil
}

// linkTarget is the file a relative reference ref in page leads to, ""
// when it leads to none.
func linkTarget(page, ref string) string {
	u, err := url.Parse(ref)
	if err != nil || u.Path == "" || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return path.Join(path.Dir(page), u.Path)
}

// tee writes each file to the output and to the link check.
type tee struct {
	out   site.Writer
	links *linkcheck.Site
}

func (t tee) Write(name string, data []byte) error {
	if err := t.out.Write(name, data); err != nil {
		return err
	}
	return t.links.Write(name, data)
}

// WriteSummed is Write for data with its SHA-256 (see writeSummed).
func (t tee) WriteSummed(name string, data []byte, sum buildcache.Sum) error {
	if err := writeSummed(t.out, name, data, sum); err != nil {
		return err
	}
	return t.links.Write(name, data)
}

// summedWriter takes a file with the SHA-256 of its bytes, which its
// caller has just computed from them (output.Dir.WriteSummed).
type summedWriter interface {
	WriteSummed(name string, data []byte, sum buildcache.Sum) error
}

// writeSummed writes data, whose SHA-256 is sum, to w: with the sum when
// w takes it, so that the output does not hash the bytes again.
func writeSummed(w site.Writer, name string, data []byte, sum buildcache.Sum) error {
	if sw, ok := w.(summedWriter); ok {
		return sw.WriteSummed(name, data, sum)
	}
	return w.Write(name, data)
}

// Create writes a large file to the output in pieces; the link check
// gets it whole on Close only if it reads such files (it does not read the
// open data), else only its name.
func (t tee) Create(name string) (io.WriteCloser, error) {
	if t.links.Wants(name) {
		return site.Create(writerOnly{t}, name)
	}
	f, err := site.Create(t.out, name)
	if err != nil {
		return nil, err
	}
	n := &noted{WriteCloser: f, done: func() error { return t.links.Write(name, nil) }}
	if d, ok := f.(site.Digester); ok {
		return notedDigest{n, d}, nil
	}
	return n, nil
}

// notedDigest is a noted file whose file is a site.Digester: it passes
// the digest on.
type notedDigest struct {
	*noted
	d site.Digester
}

func (n notedDigest) Digest() [sha256.Size]byte { return n.d.Digest() }

// StartAs is export.Resumable's, for a file whose own is.
func (n notedDigest) StartAs(src *os.File, size int64, state []byte) error {
	if r, ok := n.d.(export.Resumable); ok {
		return r.StartAs(src, size, state)
	}
	return errors.ErrUnsupported
}

// HashState is export.Resumable's.
func (n notedDigest) HashState() ([]byte, error) {
	if r, ok := n.d.(export.Resumable); ok {
		return r.HashState()
	}
	return nil, errors.ErrUnsupported
}

// noted is a file that calls done once it has closed without error.
type noted struct {
	io.WriteCloser
	done func() error
}

func (n *noted) Close() error {
	if err := n.WriteCloser.Close(); err != nil {
		return err
	}
	return n.done()
}

// writerOnly hides a writer's Create, so that site.Create gathers the
// file and hands it to Write whole.
type writerOnly struct{ site.Writer }

// Reuse takes a file from the previous output; the link check reads it
// as if it had just been rendered.
func (t tee) Reuse(name string, data []byte) error {
	if err := t.out.(outReuser).Reuse(name, data); err != nil {
		return err
	}
	return t.links.Write(name, data)
}

// ReuseUnread keeps a file of the previous output in place; the link
// check gets it later, by its facts, and knows now that it is there.
func (t tee) ReuseUnread(name string) error {
	if err := t.out.(outReuser).Reuse(name, nil); err != nil {
		return err
	}
	t.links.Promise(name)
	return nil
}

// ReuseCheckedAll is ReuseUnread for files the build found intact
// already (output.Dir.ReuseCheckedAll).
func (t tee) ReuseCheckedAll(names []string) error {
	if err := t.out.(outReuser).ReuseCheckedAll(names); err != nil {
		return err
	}
	t.links.PromiseAll(names)
	return nil
}

// outReuser is the output's side of reuser.
type outReuser interface {
	Reuse(name string, data []byte) error
	ReuseCheckedAll(names []string) error
}

// reportLinks reports the broken links of the rendered site, each at the
// content file it comes from.
func (p *prepared) reportLinks(links *linkcheck.Site, l *diag.List) {
	for _, prob := range links.Problems() {
		if p.unpublished[linkTarget(prob.Page, prob.Ref)] {
			continue // reported as the file's own problem
		}
		pos := p.sourceOf(prob.Page, prob.Ref)
		l.Errorf(pos, "", "链接应指向本站存在的页面或文件；外部网页请写完整的 https:// 地址",
			"生成的页面 %s（第 %d 行）中的链接 %q 无效：%s", prob.Page, prob.Line, prob.Ref, prob.Reason)
	}
}

// sourceOf names the content file a generated page comes from, for a
// broken link found in it: an evaluation's narrative (at the line that
// holds the link, when it is written there) or record, a year report, or
// else the templates.
func (p *prepared) sourceOf(page, ref string) diag.Pos {
	if e := p.evaluationAt(page); e != nil && page == e.Path()+"index.html" {
		if src := p.narrativeOf(e.Record); src != nil {
			if line := refLine(src, ref); line > 0 {
				return diag.Pos{File: e.NarrativeFile, Line: line}
			}
		}
		return diag.Pos{File: e.File}
	}
	for _, y := range p.model.Years {
		if page == content.YearPath(y.Year)+"index.html" && y.Report != nil && y.Report.Narrative != nil {
			if line := refLine(y.Report.Narrative, ref); line > 0 {
				return diag.Pos{File: y.Report.NarrativeFile, Line: line}
			}
		}
		// The print booklet reprints narratives, their relative
		// references rebased on the evaluation's page and their in-page
		// links prefixed with the abstract's anchor (see site.reanchor):
		// undo either to find the line of the narrative.
		if page != site.BookletPath(y.Year)+"index.html" {
			continue
		}
		// Each candidate is looked up, not every evaluation of the year
		// tried: a link broken in every narrative would otherwise cost
		// the square of the year's evaluations.
		root := strings.Repeat("../", strings.Count(site.BookletPath(y.Year), "/"))
		if rest, ok := strings.CutPrefix(ref, root); ok {
			if e := p.evaluationAt(rest); e != nil && e.NarrativeFile != "" && e.Year == y.Year {
				return diag.Pos{File: e.NarrativeFile, Line: refLine(p.narrativeOf(e.Record), strings.TrimPrefix(rest, e.Path()))}
			}
		}
		// "#e-roads-" also starts the anchors of roads-2: only the
		// narrative that holds the link is the one.
		if anchor, ok := strings.CutPrefix(ref, "#e-"); ok {
			for i := strings.IndexByte(anchor, '-'); i >= 0; i = next(anchor, i) {
				e := p.evaluationAt(content.YearPath(y.Year) + anchor[:i] + "/")
				if e == nil || e.NarrativeFile == "" {
					continue
				}
				if line := refLine(p.narrativeOf(e.Record), "#"+anchor[i+1:]); line > 0 {
					return diag.Pos{File: e.NarrativeFile, Line: line}
				}
			}
		}
	}
	return diag.Pos{File: "templates（页面模板）"}
}

// next returns the index of the next '-' in s after i, or -1.
func next(s string, i int) int {
	if j := strings.IndexByte(s[i+1:], '-'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// evaluationAt returns the evaluation whose folder (its page's path,
// "2023/roads/") starts name, nil if none: the model's evaluations are
// indexed by path the first time.
func (p *prepared) evaluationAt(name string) *score.Evaluation {
	if p.pages == nil {
		p.pages = make(map[string]*score.Evaluation, len(p.model.Evaluations))
		for _, e := range p.model.Evaluations {
			p.pages[e.Path()] = e
		}
	}
	year, rest, ok := strings.Cut(name, "/")
	if !ok {
		return nil
	}
	slug, _, ok := strings.Cut(rest, "/")
	if !ok {
		return nil
	}
	return p.pages[year+"/"+slug+"/"]
}

// narrativeOf returns r's narrative source: the one loaded, or, when a
// one-shot build has dropped it, read again (a broken link is rare, and
// its line is all that is wanted). nil when r has no narrative or it can
// no longer be read.
func (p *prepared) narrativeOf(r *content.Record) []byte {
	b, err := r.ReadNarrative(p.fsys)
	if err != nil {
		return nil
	}
	return b
}

// refLine returns the line of src that holds ref, a reference as the
// page has it: as written, or percent-decoded (the page encodes 照片.png
// as %E7%85%A7%E7%89%87.png); 0 when neither is there.
func refLine(src []byte, ref string) int {
	if line := lineOf(src, ref); line > 0 {
		return line
	}
	if u, err := url.PathUnescape(ref); err == nil && u != ref {
		return lineOf(src, u)
	}
	return 0
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
	// bands and site are kept for updates of a Live site.
	bands score.Bands
	site  content.Site
	// index is the search index of the last render.
	index *search.Index
	// fsys is the content folder, prefix its name in messages; files
	// reads and checks the files beside records from it.
	fsys   fs.FS
	prefix string
	files  *attach.Files
	// icon is the site's own icon (site.toml's favicon), written at
	// site.IconPath; nil for the default one in the assets.
	icon []byte
	// unpublished are the files beside records that the last render
	// could not publish, by output path.
	unpublished map[string]bool
	// published are the files beside records that the last full render
	// published, relative to the content folder ("2023/evaluations/x/a.png"),
	// kept for the preview only (not oneShot): it drops those a re-rendered
	// page no longer publishes.
	published map[string]bool
	// pages indexes the evaluations by page path (see evaluationAt).
	pages map[string]*score.Evaluation
	// out is the output folder of a build (nil for check and the
	// preview), for the files written in pieces.
	out *output.Dir
	// inc, when set, lets build take unchanged evaluation pages from the
	// previous output (incremental.go).
	inc *incremental
	// oneShot is set by build and check, which render the records once:
	// the records are loaded without their narratives, which each page
	// reads again (see content.Options.DropNarratives); the preview
	// renders them again and again and keeps them.
	oneShot bool
}

// prepare loads, checks and scores the content of opts. oneShot is set
// for a build or a check, which render each record once. h, if not nil,
// is a build's cache (incremental.go): it is given each file the load
// reads and keeps the records loaded, and gives back those it holds.
func prepare(opts Options, oneShot bool, h *loadHooks, l *diag.List) (*prepared, Stats, error) {
	var stats Stats
	if err := contentExists(opts.Content); err != nil {
		return nil, stats, err
	}
	start := time.Now()
	fsys, prefix := sysfile.DirFSListed(opts.Content, opts.Listings), filepath.ToSlash(filepath.Clean(opts.Content))
	now := opts.now()
	files := attach.New(fsys)
	// Every record is checked as it is loaded, on the loading workers,
	// drafts included, so that a draft is ready when its flag is cleared;
	// only published ones reach the site. The personal-data check reads
	// the narrative, which a build then drops; the checks that name a
	// line read the key positions, which every record then drops (they
	// hold the file's source: 200 MB at 100,000 records). Findings are
	// judged on the build's date in the site's time zone. diag.List is
	// safe for concurrent use.
	var mu sync.Mutex
	evalOf := map[*content.Record]*score.Evaluation{}
	lopts := content.Options{
		Inspect: func(s *content.Site, r *content.Record, l *diag.List) {
			privacy.CheckRecord(r, r.AllowPersonalData, l)
			e := score.EvaluateOne(r, bandsOf(s), content.DateOf(now.In(s.Location)), l)
			files.CheckDocuments(r, l)
			r.Pos = nil
			mu.Lock()
			evalOf[r] = e
			mu.Unlock()
		},
		InspectNarrative: func(file string, src []byte) { privacy.CheckNarrative(file, src, l) },
		DropNarratives:   oneShot,
		Listed:           opts.Sized,
	}
	h.use(&lopts, now, &mu, evalOf, l)
	c := content.LoadWith(fsys, prefix, lopts, l)
	bands := bandsOf(&c.Site)
	h.settle(c.Records, evalOf, bands)
	start = stats.time("load", start)
	evals := make([]*score.Evaluation, len(c.Records))
	for i, r := range c.Records {
		evals[i] = evalOf[r]
	}
	icon := files.CheckIcon(&c.Site, l)
	for _, r := range c.Reports {
		privacy.CheckReport(r, r.AllowPersonalData, l)
	}
	privacy.CheckSite(&c.Site, l)
	stats.time("score", start)
	published := evals[:0:0]
	notPublic := map[*score.Evaluation]string{}
	for _, e := range evals {
		if notice, ok := preview(e, opts, &c.Site, now); !ok {
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
		if r.Publicity(&c.Site, now) == content.Public {
			reports = append(reports, r)
		}
	}
	p := &prepared{opts: opts, model: site.NewModel(c.Site, bands, reports, published),
		bands: bands, site: c.Site, fsys: fsys, prefix: prefix, files: files, icon: icon, oneShot: oneShot}
	if len(notPublic) > 0 {
		p.model.NotPublic = notPublic
	}
	// The site's templates are read through the content folder's file
	// system, with its rules: a linked templates folder is not followed
	// (Load has reported it), a link or FIFO among the templates is an
	// error, and each template is bounded.
	if st, err := fs.Stat(fsys, "templates"); err == nil && st.IsDir() {
		sub, err := fs.Sub(fsys, "templates")
		if err != nil {
			return nil, stats, err
		}
		p.override = sysfile.Limit(sub, content.TemplateLimit)
	}
	return p, stats, nil
}

// bandsOf returns the grade bands of s, the national default when it has
// none.
func bandsOf(s *content.Site) score.Bands {
	if b := score.Bands(s.Grades); len(b) > 0 {
		return b
	}
	return score.DefaultBands
}

// rendered is what a render leaves beside its pages.
type rendered struct {
	// asm holds the search documents of the evaluations rendered and the
	// files beside records that could not be published.
	asm   *assemble.Assembler
	pages int
	// chartsDrawn is false when the assets lack ECharts.
	chartsDrawn bool
	// spent is the time each stage of the render took, summed over its
	// workers.
	spent map[string]time.Duration
}

// render assembles and renders the pages of sel into w: the one render of
// a build and of the preview's updates.
//
// send, when not nil, receives each search document as it is made, and
// the assembler keeps none (see assemble.Assembler.SendDocs).
func (p *prepared) render(ctx context.Context, w site.Writer, sel site.Selection, send func(search.Doc)) (*rendered, error) {
	p.pages = nil // indexed again, from this render's model, when asked
	asm := assemble.New(p.model, p.files, sel.Booklets)
	if send != nil {
		asm.SendDocs(send)
	}
	asm.ReadSources(p.fsys)
	r, err := site.NewRenderer(p.model, p.opts.files(), p.override, asm)
	if err != nil {
		return nil, err
	}
	if p.inc.usable() && p.inc.guard != nil {
		r.TakeGroups(p.inc)
	}
	if p.oneShot && p.override == nil {
		// Each record is rendered once: its indicators go when the pages
		// that read them are made (a site's own templates may read them
		// anywhere, and keep them).
		r.ReleaseRecords()
	} else {
		// The records taken from the cache of loaded records come with
		// their indicators frozen (recordCache.readPart): a site's own
		// templates read them as the record's field.
		for _, e := range p.model.Evaluations {
			e.Record.ThawIndicators()
		}
	}
	pages, err := r.Render(ctx, w, sel)
	if err != nil {
		return nil, err
	}
	spent := r.Spent()
	maps.Copy(spent, asm.Spent())
	return &rendered{asm: asm, pages: pages, chartsDrawn: r.ChartsDrawn(), spent: spent}, nil
}

// build renders the whole site and its search index into w.
func (p *prepared) build(ctx context.Context, w site.Writer, stats *Stats, l *diag.List) error {
	start := time.Now()
	sel := site.All(p.model)
	g := &guard{w: w, seen: map[string]string{}}
	if p.inc.usable() && p.inc.old != nil {
		// A rebuild writes or keeps about the previous site's files.
		g.seen = make(map[string]string, len(p.inc.old.Output))
	}
	// A build renders each page once and streams the search documents to
	// where they go; the preview keeps them, to rebuild the index after
	// an edit without rendering every page again.
	var sink *docSink
	var send func(search.Doc)
	if p.oneShot {
		// The pages are made in the order of their addresses, which is the
		// order of their documents in the search index: the index merges a
		// document that comes too far ahead of the next one out of order,
		// and must then sort every list it went into. In the model's order
		// (by slug) a record comes before the records whose slug extends
		// its own with a hyphen ("roads" before "roads-2"), whose addresses
		// sort before its ("roads-2/" < "roads/"). At 100,000 generated
		// evaluations some 240 records came more than the index's window
		// early, and the sorting took 11.7 s of a full build's CPU (none
		// came so early at 10,000).
		sel.Evaluations = slices.Clone(sel.Evaluations)
		slices.SortFunc(sel.Evaluations, func(a, b *score.Evaluation) int { return strings.Compare(a.Path(), b.Path()) })
		urls := make([]string, len(sel.Evaluations))
		for i, e := range sel.Evaluations {
			urls[i] = e.Path()
		}
		var err error
		if sink, err = p.newDocSink(urls); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		defer sink.close()
		send = sink.add
	}
	if p.inc.usable() {
		g.w = pageRecorder{w, p.inc}
		p.inc.guard = g
		phase("reuse")
		if sink != nil {
			p.inc.startFits(sink.urls)
		}
		var err error
		if sel.Evaluations, err = p.inc.take(ctx, g, sel.Evaluations); err != nil {
			return err
		}
		stats.Reused = p.inc.taken()
		if sink != nil {
			sink.patch = p.inc.planPatch(ctx, g, sink, sink.urls)
			defer sink.patch.wait()
			sink.patch.startIfReady() // nothing to wait for when no page changed
		}
		start = stats.time("reuse", start)
	}
	defer p.inc.waitLinks()
	// The assets come first: every page references them, and the link
	// check then passes those references at once instead of holding
	// them to the end.
	if err := copyAssets(g, p.opts.files()); err != nil {
		return err
	}
	if p.icon != nil {
		if err := g.Write(p.site.IconPath(), p.icon); err != nil {
			return err
		}
	}
	phase("render")
	p.inc.startLinks()
	rd, err := p.render(ctx, g, sel, send)
	if err != nil {
		return err
	}
	asm := rd.asm
	published := asm.Published()
	if err := p.inc.addTaken(asm, published); err != nil {
		return err
	}
	if !p.oneShot {
		p.published = published // for the preview's updates
	}
	stats.Pages = rd.pages + stats.Reused
	if p.inc.usable() {
		stats.TakenGroups = slices.Sorted(maps.Keys(p.inc.takenGroups()))
		stats.DataYears = p.inc.yearsTaken
		stats.DataChunks = p.inc.chunksTaken
		stats.RowChunks = p.inc.rowsTaken
	}
	if !rd.chartsDrawn {
		stats.Notices = append(stats.Notices, "未找到 "+site.ECharts+"：图表不绘制，数据表照常显示。在源码目录运行 make build 生成它（需要 Node.js 和 npm），再重新编译 evalpress。")
	}
	start = stats.time("render", start)
	phase("search")
	if sink != nil {
		notice, err := p.writeIndex(ctx, g, sink, sink.patch)
		if err != nil {
			return err
		}
		if notice != "" {
			stats.Notices = append(stats.Notices, notice)
		}
		if err := p.writeBulk(sink.bulk); err != nil {
			return fmt.Errorf("search bulk file: %w", err)
		}
		stats.SearchAhead = sink.index.Ahead()
	} else {
		p.index = newIndex(asm.Docs())
		if err := p.index.Write(g); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	stats.time("search", start)
	for _, stage := range []string{"narrative", "charts", "templates", "write", "index"} {
		stats.Timings = append(stats.Timings, Timing{"render." + stage, rd.spent[stage]})
	}
	if sink != nil {
		stats.Timings = append(stats.Timings, sink.timings()...)
	}
	probs := asm.FileProblems()
	reportFiles(probs, l)
	p.unpublished = map[string]bool{}
	for _, fp := range probs {
		p.unpublished[fp.Target] = true
	}
	g.report(p, l)
	stats.Notices = append(stats.Notices, p.unreferenced(published)...)
	if p.inc.usable() && len(probs) == 0 && len(g.problems) == 0 {
		start = time.Now()
		p.inc.record(p, published)
		stats.time("cache.write", start)
	}
	return nil
}

// newIndex builds the search index of docs.
func newIndex(docs []search.Doc) *search.Index {
	b := search.NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	return b.Index()
}

// reportFiles reports the references to files beside records that cannot
// be published, at the narrative's line.
func reportFiles(probs []assemble.FileProblem, l *diag.List) {
	for _, fp := range probs {
		hint, msg := "", fp.Err.Error()
		var ap *attach.Problem
		if errors.As(fp.Err, &ap) {
			hint, msg = ap.Hint, ap.Message
		}
		l.Errorf(diag.Pos{File: fp.File, Line: fp.Line}, "", hint, "%s（链接 %q）", msg, fp.Ref)
	}
}

// unreferenced lists, as notices, the files in records' folders that no
// narrative references: they are not published (a folder may hold a
// draft or a source file that is not for the public).
func (p *prepared) unreferenced(published map[string]bool) []string {
	var out []string
	for _, e := range p.model.Evaluations {
		if e.Folder == "" {
			continue
		}
		_ = fs.WalkDir(p.fsys, e.Folder, func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !published[name] && !strings.HasPrefix(d.Name(), ".") {
				out = append(out, fmt.Sprintf("%s 没有被 %s.md 引用，未发布", path.Join(p.prefix, name), e.Slug))
			}
			return nil
		})
	}
	slices.Sort(out)
	return out
}

// guard passes on the files of a site whose every path segment any
// server can hold, and notes the others: a name over 255 bytes, a Windows
// device name, a character Windows forbids, or two paths that differ only
// in case (one file on Windows). The output would fail on the first, or an
// IIS portal on the others; check and build both report them, through
// the guard, so that check passes only what build can write.
type guard struct {
	w        site.Writer
	mu       sync.Mutex
	seen     map[string]string // lower-cased path to the path written
	problems [][2]string       // path, reason
}

func (g *guard) Write(name string, data []byte) error {
	if !g.pass(name) {
		return nil
	}
	return g.w.Write(name, data)
}

// WriteSummed is Write for data with its SHA-256 (see writeSummed).
func (g *guard) WriteSummed(name string, data []byte, sum buildcache.Sum) error {
	if !g.pass(name) {
		return nil
	}
	return writeSummed(g.w, name, data, sum)
}

// Create is Write for a file written in pieces; a file the guard refuses
// is dropped as it comes.
func (g *guard) Create(name string) (io.WriteCloser, error) {
	if !g.pass(name) {
		return discard{}, nil
	}
	return site.Create(g.w, name)
}

// discard is a file that goes nowhere.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Close() error                { return nil }

// pass reports whether name may be written, noting why not.
func (g *guard) pass(name string) bool {
	why := segmentsProblem(name)
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.admit(name, why)
}

// passAll returns those of names that may be written, noting why the
// others may not, with the guard's lock taken once (see
// incremental.take).
func (g *guard) passAll(names []string) []string {
	whys := make([]string, len(names))
	for i, name := range names {
		whys[i] = segmentsProblem(name)
	}
	out := names[:0:0]
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, name := range names {
		if g.admit(name, whys[i]) {
			out = append(out, name)
		}
	}
	return out
}

// segmentsProblem says why a segment of name cannot be stored on every
// server, "" when each can.
func segmentsProblem(name string) string {
	for seg := range strings.SplitSeq(name, "/") {
		if why := content.SegmentProblem(seg); why != "" {
			return why
		}
	}
	return ""
}

// admit notes name as written unless why (its segments' problem) says
// it may not be, or a name differing only in case was written before,
// and reports whether it is; the refusal is noted. g.mu must be held.
func (g *guard) admit(name, why string) bool {
	if why == "" {
		lower := strings.ToLower(name)
		was, dup := g.seen[lower]
		if !dup {
			g.seen[lower] = name
		}
		if dup && was != name {
			why = fmt.Sprintf("与 %s 只差字母大小写，在 Windows 服务器上是同一个文件", was)
		}
	}
	if why != "" {
		g.problems = append(g.problems, [2]string{name, why})
		return false
	}
	return true
}

// reuse is Write for a file taken from the previous output, with the
// same checks: the guard sees every file of the site.
func (g *guard) reuse(name string, data []byte) error {
	if !g.pass(name) {
		return nil
	}
	return g.w.(reuser).Reuse(name, data)
}

// reuseUnread is reuse for a file kept in place that the link check
// learns of by its facts (incremental.startLinks), not by its bytes.
func (g *guard) reuseUnread(name string) error {
	if !g.pass(name) {
		return nil
	}
	return g.w.(reuser).ReuseUnread(name)
}

// reuseCheckedAll is reuseUnread for files the build found intact
// already.
func (g *guard) reuseCheckedAll(names []string) error {
	if names = g.passAll(names); len(names) == 0 {
		return nil
	}
	return g.w.(reuser).ReuseCheckedAll(names)
}

// report reports the paths the guard refused, each at the content file
// that made it when one did.
func (g *guard) report(p *prepared, l *diag.List) {
	for _, pr := range g.problems {
		pos := diag.Pos{File: "生成的文件 " + pr[0]}
		if e := p.evaluationAt(pr[0]); e != nil {
			pos = diag.Pos{File: e.File}
			if e.NarrativeFile != "" && pr[0] != e.Path()+"index.html" {
				pos = diag.Pos{File: e.NarrativeFile}
			}
		}
		l.Errorf(pos, "", "改短或改换名称，使每一级文件夹和文件名都能在任何服务器上保存",
			"生成的文件 %s 无法发布：%s", pr[0], pr[1])
	}
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

// preview reports whether e is shown under opts at now, and the notice
// its pages carry when it is shown without being public.
func preview(e *score.Evaluation, opts Options, s *content.Site, now time.Time) (notice string, shown bool) {
	switch e.Publicity(s, now) {
	case content.Draft:
		return "草稿：未公开", opts.Drafts
	case content.Pending:
		return "尚未到公开日期（" + e.Published.String() + "）", opts.Future
	}
	return "", true
}

func contentExists(dir string) error {
	if !isDir(dir) {
		return fmt.Errorf("找不到内容目录 %s（用 -content 指定）", dir)
	}
	return nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
