package assemble

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evalpress/evalpress/internal/attach"
	"github.com/evalpress/evalpress/internal/chart"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/site"
)

// Files gives the assembler the images and documents placed beside
// records, in a folder named like the record (content/2023/evaluations/roads/
// for roads.toml). A narrative references them as its Markdown editor shows
// them, relative to the narrative's file: roads/photo.png or
// ./roads/photo.png in roads.md. Each referenced file is published beside
// the evaluation's page (2023/roads/photo.png) and the reference points
// there (photo.png on the page, ../../../2023/roads/photo.png in the print
// booklet).
type Files interface {
	// Read returns the contents of name, a slash path relative to the
	// content folder ("2023/evaluations/roads/photo.png"), if it may be
	// published; image says it is shown as an image. The error says why
	// not, in words for the web staffer.
	Read(name string, image bool) ([]byte, error)
}

// FileProblem is a reference to a file beside a record that cannot be
// published.
type FileProblem struct {
	File string // the narrative, as content.Record.NarrativeFile names it
	Line int
	Ref  string // the destination as written
	Err  error  // from Files.Read
	// Target is where the file would be published ("2023/roads/x.png"):
	// the pages link it all the same, and the link check need not
	// report it again.
	Target string
}

// Assembler prepares the material of one render of a model (see the
// package doc). It implements site.Assembly.
type Assembler struct {
	model *site.Model
	md    *narrative.Renderer
	// files, if not nil, publishes the files beside records.
	files Files

	// booklet is a cache: the narrative HTML of the evaluations whose
	// print booklet this render also makes, kept from their own page
	// until the booklet takes it, so that each narrative is converted
	// once. With a quarter of 10,000 evaluations sent to the congress,
	// converting them again would add a quarter to the narrative stage.
	// It holds at most bookletCache bytes: at 100,000 evaluations the
	// booklets reprint 250 MB of HTML, which the booklets then convert
	// again rather than keep through the whole render.
	booklet struct {
		sync.Mutex
		wanted map[*score.Evaluation]bool
		html   map[*score.Evaluation]template.HTML
		size   int
	}
	// trends is a cache of the series' trend charts: every year of a
	// series shows the same one. Each is forgotten when every page of
	// its series has taken it (at 100,000 evaluations the charts kept to
	// the end took 60 MB).
	trends struct {
		sync.Mutex
		m map[string]*trend
	}

	mu           sync.Mutex
	docs         []search.Doc
	send         func(search.Doc)
	fileProblems []FileProblem
	published    map[string]bool

	// clock sums, over all workers, the time of the stages that a build's
	// figures break out.
	clock *par.Clock

	// fsys is the content folder that dropped narratives are read
	// again from (see ReadSources).
	fsys fs.FS
}

// bookletCache bounds the narrative HTML kept for the print booklets, in
// bytes (a variable for the tests).
var bookletCache = 32 << 20

// ReadSources makes the assembler read the narratives that
// content.LoadWith dropped again from fsys, the content folder, when it
// converts them (content.Record.ReadNarrative): a build and a check load
// every record without keeping its narrative, and read each when its page
// is made.
func (a *Assembler) ReadSources(fsys fs.FS) { a.fsys = fsys }

// source returns e's narrative source, nil when it has none.
func (a *Assembler) source(e *score.Evaluation) ([]byte, error) { return e.ReadNarrative(a.fsys) }

// Stages of assembly that Spent reports, named as a build's timings name
// them (make bench holds the charts and the index to a budget).
const (
	stageNarrative = iota // Markdown to HTML
	stageCharts           // chart options
	stageIndex            // search documents
)

// New returns an assembler of the pages of m. files, if not nil, publishes
// the files beside records that narratives reference. booklets are the
// years whose print booklet the render makes: the narratives they reprint
// are kept from the evaluations' pages.
func New(m *site.Model, files Files, booklets []int) *Assembler {
	a := &Assembler{model: m, md: narrative.New(), files: files,
		clock: par.NewClock("narrative", "charts", "index")}
	a.booklet.wanted = map[*score.Evaluation]bool{}
	a.booklet.html = map[*score.Evaluation]template.HTML{}
	for _, y := range booklets {
		if year := m.Year(y); year != nil {
			evals, _ := year.BookletEvaluations()
			for _, e := range evals {
				a.booklet.wanted[e] = true
			}
		}
	}
	return a
}

// Evaluation converts e's narrative, reads the files it references, draws
// its charts and makes its search document.
func (a *Assembler) Evaluation(e *score.Evaluation) (*site.EvaluationParts, error) {
	parts := &site.EvaluationParts{}
	src, err := a.source(e)
	if err != nil {
		return nil, err
	}
	if src != nil {
		start := time.Now()
		doc, err := a.md.RenderWith(src, a.resolver(e, &parts.Files))
		a.since(stageNarrative, start)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.NarrativeFile, err)
		}
		parts.Narrative = doc
		if a.booklet.wanted[e] {
			a.booklet.Lock()
			if a.booklet.size+len(doc.HTML) <= bookletCache {
				a.booklet.html[e] = doc.HTML
				a.booklet.size += len(doc.HTML)
			}
			a.booklet.Unlock()
		}
	}
	if err := a.documents(e, parts); err != nil {
		return nil, err
	}
	start := time.Now()
	a.AddDoc(search.DocOf(e, parts.Narrative.Text, parts.Narrative.ProseLines()))
	start = a.since(stageIndex, start)
	defer a.since(stageCharts, start)
	c, err := chart.Indicators(e, a.model.Bands)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.File, err)
	}
	parts.Indicators = c
	if series := a.model.Series(e); series != nil {
		if parts.Trend, err = a.trend(e.Series, series); err != nil {
			return nil, fmt.Errorf("%s: %w", e.File, err)
		}
	}
	return parts, nil
}

// Year converts the year report's narrative and draws the year's charts.
func (a *Assembler) Year(y *site.Year) (*site.YearParts, error) {
	parts := &site.YearParts{}
	start := time.Now()
	c, err := chart.Year(y.Year, y.Evaluations, a.model.Bands)
	a.since(stageCharts, start)
	if err != nil {
		return nil, fmt.Errorf("%d年图表：%w", y.Year, err)
	}
	parts.Charts = c
	if y.Report != nil && y.Report.Narrative != nil {
		doc, err := a.md.Render(y.Report.Narrative)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", y.Report.NarrativeFile, err)
		}
		parts.Narrative = doc
	}
	return parts, nil
}

// BookletNarrative returns e's narrative HTML as its page has it: the one
// kept from its page, which it then forgets, or else converted again,
// with references rewritten but no file read.
func (a *Assembler) BookletNarrative(e *score.Evaluation) (template.HTML, error) {
	a.booklet.Lock()
	html, ok := a.booklet.html[e]
	delete(a.booklet.html, e)
	a.booklet.size -= len(html)
	a.booklet.Unlock()
	if ok {
		return html, nil
	}
	src, err := a.source(e)
	if err != nil || src == nil {
		return "", err
	}
	doc, err := a.md.RenderWith(src, a.resolver(e, nil))
	if err != nil {
		return "", fmt.Errorf("%s: %w", e.NarrativeFile, err)
	}
	return doc.HTML, nil
}

// trend is a cached trend chart and how many pages of its series have
// not taken it yet.
type trend struct {
	c    *chart.Chart
	left int
}

// trend returns the trend chart of a series, drawn once per render.
func (a *Assembler) trend(key string, series []*score.Evaluation) (*chart.Chart, error) {
	a.trends.Lock()
	t, ok := a.trends.m[key]
	if ok {
		if t.left--; t.left <= 0 {
			delete(a.trends.m, key)
		}
	}
	a.trends.Unlock()
	if ok {
		return t.c, nil
	}
	// Two pages of one series may draw it at once: the charts are the
	// same, and one is kept.
	var c *chart.Chart
	var err error
	pprof.Do(context.Background(), pprof.Labels("output", "series"), func(context.Context) {
		c, err = chart.Trend(series, a.model.Bands)
	})
	if err != nil {
		return nil, err
	}
	a.trends.Lock()
	defer a.trends.Unlock()
	if a.trends.m == nil {
		a.trends.m = map[string]*trend{}
	}
	switch t, ok := a.trends.m[key]; {
	case ok:
		// Drawn twice: this page takes the one kept.
		if t.left--; t.left <= 0 {
			delete(a.trends.m, key)
		}
	case len(series) > 1:
		a.trends.m[key] = &trend{c: c, left: len(series) - 1}
	}
	return c, nil
}

// SendDocs makes the assembler hand each search document to send as soon
// as it is made, from the worker that made it, instead of keeping it for
// Docs: a build streams the documents into the index rather than holding
// every evaluation's text until the last page. send must be safe for
// concurrent use. Call it before the first Evaluation.
func (a *Assembler) SendDocs(send func(search.Doc)) { a.send = send }

// AddDoc adds a search document that was not made by Evaluation, such as
// one an incremental build kept from its previous run for a page it does
// not render again, exactly as if Evaluation had made it.
func (a *Assembler) AddDoc(d search.Doc) {
	if a.send != nil {
		a.send(d)
		return
	}
	a.mu.Lock()
	a.docs = append(a.docs, d)
	a.mu.Unlock()
}

// Docs returns the search documents of the evaluations assembled so far,
// in no particular order (the index numbers them by URL).
func (a *Assembler) Docs() []search.Doc {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.docs)
}

// FileProblems returns the references that could not be published, by
// file and line.
func (a *Assembler) FileProblems() []FileProblem {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.fileProblems)
	slices.SortFunc(out, func(a, b FileProblem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Ref, b.Ref))
	})
	return slices.CompactFunc(out, func(a, b FileProblem) bool {
		return a.File == b.File && a.Line == b.Line && a.Ref == b.Ref
	})
}

// Published returns the files beside records that pages publish, as names
// relative to the content folder.
func (a *Assembler) Published() map[string]bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]bool, len(a.published))
	for k := range a.published {
		out[k] = true
	}
	return out
}

// Spent returns the time each stage of assembly took, summed over all
// workers, by stage name.
func (a *Assembler) Spent() map[string]time.Duration { return a.clock.Spent() }

func (a *Assembler) since(stage int, start time.Time) time.Time { return a.clock.Since(stage, start) }

// resolver returns the narrative resolver of e's page. With out, it reads
// each file referenced (once), appends those that may be published to
// out and notes the problems; without, it only rewrites the references (a
// booklet converting again).
func (a *Assembler) resolver(e *score.Evaluation, out *[]site.File) narrative.Resolver {
	if a.files == nil {
		return nil
	}
	dir := strconv.Itoa(e.Year) + "/evaluations" // the record's folder in the content
	// read notes the files read and checked, and how: a file both
	// linked and shown as an image is checked as both.
	read := map[[2]string]error{}
	return func(ref narrative.Ref) (string, bool) {
		if ref.Path == "" {
			return "", false
		}
		// Relative to the narrative's folder, as the editor resolves it.
		rest, ok := strings.CutPrefix(path.Clean(ref.Path), e.Slug+"/")
		if !ok {
			return "", false
		}
		dest := escapePath(rest) + ref.Suffix
		if out == nil {
			return dest, true
		}
		name := dir + "/" + e.Slug + "/" + rest
		key := [2]string{name, fmt.Sprint(ref.Image)}
		err, done := read[key]
		var data []byte
		if !done {
			data, err = a.files.Read(name, ref.Image)
			read[key] = err
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		if err != nil {
			// Each reference to a file that cannot be published is
			// reported at its own line.
			a.fileProblems = append(a.fileProblems, FileProblem{File: e.NarrativeFile, Line: ref.Line, Ref: ref.Dest, Err: err, Target: e.Path() + rest})
			return dest, true
		}
		if a.published == nil {
			a.published = map[string]bool{}
		}
		if !done && !a.published[name] {
			a.published[name] = true
			*out = append(*out, site.File{Name: e.Path() + rest, Data: data})
		}
		return dest, true
	}
}

// documents publishes e's [[documents]] beside its page, through the same
// files as the narrative's references (a file both linked from the
// narrative and listed is published once), and describes each for the
// page: title, link, type and size, read from the file itself.
func (a *Assembler) documents(e *score.Evaluation, parts *site.EvaluationParts) error {
	if len(e.Documents) == 0 || a.files == nil {
		return nil
	}
	for _, d := range e.Documents {
		name, rest := d.Name(e.Record), d.Rest(e.Record)
		target := e.Path() + rest
		size := -1
		for _, f := range parts.Files {
			if f.Name == target {
				size = len(f.Data)
				break
			}
		}
		if size < 0 {
			// The checks read the document already (attach.CheckDocuments
			// stops the build before rendering when one cannot be
			// published); it failing now means it changed since.
			data, err := a.files.Read(name, false)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", e.File, d.Key, err)
			}
			size = len(data)
			a.mu.Lock()
			if a.published == nil {
				a.published = map[string]bool{}
			}
			fresh := !a.published[name]
			a.published[name] = true
			a.mu.Unlock()
			if fresh {
				parts.Files = append(parts.Files, site.File{Name: target, Data: data})
			}
		}
		title := d.Title
		if title == "" {
			title = path.Base(rest)
		}
		kind := ""
		if t, ok := attach.TypeOf(rest); ok {
			kind = t.Name
		}
		parts.Documents = append(parts.Documents, site.Document{Title: title, Href: escapePath(rest), Type: kind, Size: int64(size)})
	}
	return nil
}

// escapePath percent-encodes a slash path for an href: each segment as
// url.PathEscape does, and '&' too, so that the narrative renderer, which
// resolves entity references in a destination, leaves it as it is.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), "&", "%26")
	}
	return strings.Join(segs, "/")
}
