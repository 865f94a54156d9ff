package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/privacy"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/site"
)

// Live is a site built for the preview server, which keeps what it needs
// to bring the site up to date with edited records without building all of
// it again: on 10,000 evaluations a full build takes seconds, re-rendering
// one record's pages a few milliseconds. A Live is not safe for concurrent
// use; the server updates it from one goroutine.
type Live struct {
	p *prepared
	// docs are the search index's documents, by URL, so that the index can
	// be rebuilt without rendering every page again.
	docs map[string]search.Doc
	// indexFiles are the names of the search index's files now served.
	indexFiles map[string]bool
}

// ErrFull is returned by Update for changes it cannot apply alone (a
// template, site.toml, a year report, a record added, deleted, withheld or
// moved to another department): the caller builds the whole site again.
var ErrFull = errors.New("需要完整重建")

// Build builds the whole site into w, as Run does into a directory, and
// returns it ready for Update.
func Build(ctx context.Context, opts Options, l *diag.List, w site.Writer) (*Live, Stats, error) {
	p, stats, err := prepare(opts, l)
	if err != nil {
		return nil, stats, err
	}
	rec := &recorder{w: w, names: map[string]bool{}}
	if err := p.render(ctx, rec, &stats); err != nil {
		return nil, stats, err
	}
	lv := &Live{p: p, docs: make(map[string]search.Doc, p.index.Len()), indexFiles: rec.names}
	for i := range p.index.Len() {
		d := p.index.Doc(i)
		lv.docs[d.URL] = d
	}
	return lv, stats, nil
}

// Update is the result of Live.Update: the pages to show now, and the work
// that can wait until they are shown.
type Update struct {
	// Pages are the re-rendered pages, by path, to be served at once.
	Pages map[string][]byte
	// Evaluations are the updated evaluations' pages ("2023/x/").
	Evaluations []string
	// Later renders what the changed records touch beyond their own
	// pages and lists into w: other pages that list them among related
	// evaluations, and the search index. It returns the index files that
	// are no longer part of the site. Call it before the next Update, from
	// the same goroutine.
	Later func(ctx context.Context, w site.Writer) (stale []string, err error)
}

// Update applies edits of evaluation records and narratives. changed are
// the files' paths relative to the content directory, with '/'. Problems
// go into l; ErrFailed means the edited records have errors (the site is
// unchanged) and ErrFull that the change needs a full build.
func (lv *Live) Update(ctx context.Context, changed []string, l *diag.List) (*Update, error) {
	p := lv.p
	old := p.model
	names := map[string]bool{}
	for _, name := range changed {
		dir, base := path.Split(name)
		ext := path.Ext(base)
		if !strings.HasSuffix(dir, "/evaluations/") || strings.Count(dir, "/") != 2 || (ext != ".toml" && ext != ".md") {
			return nil, ErrFull
		}
		names[strings.TrimSuffix(name, ext)+".toml"] = true
	}
	byFile := make(map[string]*score.Evaluation, len(old.Evaluations))
	for _, e := range old.Evaluations {
		byFile[e.File] = e
	}
	prefix := filepath.ToSlash(filepath.Clean(p.opts.Content))
	fsys := os.DirFS(p.opts.Content)
	now := p.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	replace := map[*score.Evaluation]*score.Evaluation{}
	notPublic := maps.Clone(old.NotPublic)
	for _, name := range slices.Sorted(maps.Keys(names)) {
		prev := byFile[path.Join(prefix, name)]
		if prev == nil {
			return nil, ErrFull // a new record, or one not shown
		}
		if _, err := os.Stat(filepath.Join(p.opts.Content, filepath.FromSlash(name))); err != nil {
			return nil, ErrFull // deleted or renamed
		}
		r := content.LoadRecord(fsys, prefix, name, &p.site, l)
		if r == nil {
			continue
		}
		evals := score.Evaluate([]*content.Record{r}, p.bands, l)
		privacy.CheckRecord(r, r.AllowPersonalData, l)
		r.Pos = nil
		if len(evals) != 1 {
			continue
		}
		e := evals[0]
		notice, shown := preview(e, p.opts, p.loc, now)
		if !shown || e.Department != prev.Department {
			return nil, ErrFull
		}
		delete(notPublic, prev)
		if notice != "" {
			if notPublic == nil {
				notPublic = map[*score.Evaluation]string{}
			}
			notPublic[e] = notice
		}
		replace[prev] = e
	}
	if l.Failed(p.opts.Strict) || len(replace) < len(names) {
		return nil, ErrFailed
	}

	evals := slices.Clone(old.Evaluations)
	for i, e := range evals {
		if n := replace[e]; n != nil {
			evals[i] = n
		}
	}
	reports := make([]*content.Report, 0, len(old.Years))
	for _, y := range old.Years {
		if y.Report != nil {
			reports = append(reports, y.Report)
		}
	}
	m := site.NewModel(p.site, p.bands, reports, evals)
	m.NotPublic = notPublic
	next := *p
	next.model = m

	index := search.NewBuilder()
	r, err := site.NewRenderer(m, p.opts.files(), p.override, narrative.New(), index)
	if err != nil {
		return nil, err
	}
	sel := site.Selection{Home: true, DepartmentIndex: true}
	u := &Update{}
	for _, e := range slices.SortedFunc(maps.Values(replace), byPath) {
		sel.Evaluations = append(sel.Evaluations, e)
		if !slices.Contains(sel.Years, e.Year) {
			sel.Years = append(sel.Years, e.Year)
		}
		if !slices.Contains(sel.Departments, e.Department) {
			sel.Departments = append(sel.Departments, e.Department)
		}
		u.Evaluations = append(u.Evaluations, evalPath(e))
	}
	var pages memory
	if _, err := r.RenderSome(&pages, sel); err != nil {
		return nil, err
	}
	u.Pages = pages.files
	// The site is now the updated one, whatever happens to Later: its
	// pages are already in Pages.
	lv.p = &next
	ix := index.Index()
	for i := range ix.Len() {
		d := ix.Doc(i)
		lv.docs[d.URL] = d
	}
	docs := slices.Collect(maps.Values(lv.docs))

	// Other evaluations of the same departments list the changed ones
	// among their related evaluations; the edited page is shown first.
	var touched []*score.Evaluation
	for _, name := range sel.Departments {
		for _, o := range m.Department(name).Evaluations {
			if replace[o] != nil || slices.Contains(sel.Evaluations, o) {
				continue
			}
			if !sameRelated(old.Related(o), m.Related(o), replace) {
				touched = append(touched, o)
			}
		}
	}
	u.Later = func(ctx context.Context, w site.Writer) ([]string, error) {
		r, err := site.NewRenderer(m, p.opts.files(), p.override, narrative.New(), nil)
		if err != nil {
			return nil, err
		}
		if _, err := r.RenderSome(w, site.Selection{Evaluations: touched}); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := search.NewBuilder()
		for _, d := range docs {
			b.Add(d)
		}
		ix := b.Index()
		var files memory
		if err := ix.Write(&files); err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		var stale []string
		for name := range lv.indexFiles {
			if _, ok := files.files[name]; !ok {
				stale = append(stale, name)
			}
		}
		lv.indexFiles = make(map[string]bool, len(files.files))
		next.index = ix
		for name, data := range files.files {
			lv.indexFiles[name] = true
			if err := w.Write(name, data); err != nil {
				return nil, err
			}
		}
		return stale, nil
	}
	return u, nil
}

// sameRelated reports whether two related lists show the same: the same
// evaluations, a replaced one with the same year, title and grade.
func sameRelated(was, now []*score.Evaluation, replace map[*score.Evaluation]*score.Evaluation) bool {
	return slices.EqualFunc(was, now, func(a, b *score.Evaluation) bool {
		if n := replace[a]; n != nil {
			return n == b && a.Year == b.Year && a.Title == b.Title && a.GradeShown == b.GradeShown && a.GradeRank == b.GradeRank
		}
		return a == b
	})
}

func byPath(a, b *score.Evaluation) int { return strings.Compare(evalPath(a), evalPath(b)) }

func evalPath(e *score.Evaluation) string { return fmt.Sprintf("%d/%s/", e.Year, e.Slug) }

// memory collects files in a map.
type memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memory) Write(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[name] = bytes.Clone(data)
	return nil
}

// recorder passes files on and notes the names of the search index's.
type recorder struct {
	w     site.Writer
	mu    sync.Mutex
	names map[string]bool
}

func (r *recorder) Write(name string, data []byte) error {
	if strings.HasPrefix(name, "search/") && !strings.HasSuffix(name, ".html") {
		r.mu.Lock()
		r.names[name] = true
		r.mu.Unlock()
	}
	return r.w.Write(name, data)
}
