package pipeline

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

	"github.com/evalpress/evalpress/internal/assemble"
	"github.com/evalpress/evalpress/internal/attach"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/privacy"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sysfile"
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
	// mu guards what Later reads while the next Update may be made.
	mu sync.Mutex
	// gen counts updates.
	gen int
	// indexFiles are the names of the search index's files now served.
	indexFiles map[string]bool
	// touched are pages ("2023/x/") that list an updated evaluation among
	// related ones or in their series, to be rendered again by Later.
	touched map[string]bool
	// booklets are the years whose print booklet Later renders again, and
	// data whether it renders the open data, the feed, the sitemap and the
	// rectification ledger.
	booklets map[int]bool
	data     bool
	// congress are the years whose congress table Later renders again,
	// with congress/, the index of them all: a congress table lists a
	// year's every evaluation in thirteen columns (about 1.5 MB at 1,700
	// evaluations), too slow to make before the edited page is shown.
	congress map[int]bool
}

// ErrFull is returned by Update for changes it cannot apply alone (a
// template, site.toml, a year report, a record added, deleted, withheld or
// moved to another department): the caller builds the whole site again.
var ErrFull = errors.New("需要完整重建")

// Build builds the whole site into w, as Run does into a directory, and
// returns it ready for Update.
func Build(ctx context.Context, opts Options, l *diag.List, w site.Writer) (*Live, Stats, error) {
	p, stats, err := prepare(opts, false, nil, l)
	if err != nil {
		return nil, stats, err
	}
	rec := &recorder{w: w, names: map[string]bool{}}
	if err := p.build(ctx, rec, &stats, l); err != nil {
		return nil, stats, err
	}
	lv := &Live{p: p, docs: make(map[string]search.Doc, p.index.Len()), indexFiles: rec.names,
		touched: map[string]bool{}, booklets: map[int]bool{}, congress: map[int]bool{}}
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
	// Gone are the files beside the updated records that their pages
	// published and publish no more, removed from the folder or no longer
	// shown or listed, as the site named them ("2023/x/photo.png"): no
	// longer part of the site.
	Gone []string
}

// Update applies edits of evaluation records and narratives. changed are
// the files' paths relative to the content directory, with '/'. Problems
// go into l; ErrFailed means the edited records have errors (the site is
// unchanged) and ErrFull that the change needs a full build.
//
// It renders at once only the edited evaluations' pages and, when a
// record (not only a narrative) changed, the lists that show it; what
// else the edit touches waits for Later.
func (lv *Live) Update(ctx context.Context, changed []string, l *diag.List) (*Update, error) {
	names, records, files, err := editedRecords(changed)
	if err != nil {
		return nil, err
	}
	old := lv.p.model
	next := *lv.p
	if files {
		// The checks of the files beside records keep the listings of
		// the folders they looked at (attach.Files): one of those
		// changed.
		next.files = attach.New(next.fsys)
	}
	replace, notPublic, err := next.reload(names, l)
	if err != nil {
		return nil, err
	}
	next.model = old.Replace(replace)
	next.model.NotPublic = notPublic
	sel := nowSelection(replace, records)
	pages, asm, err := next.renderNow(ctx, sel, l)
	if err != nil {
		return nil, err
	}
	u := &Update{Pages: pages}
	for _, e := range sel.Evaluations {
		u.Evaluations = append(u.Evaluations, e.Path())
	}
	u.Gone, next.published = next.republished(sel.Evaluations, asm.Published())
	lv.mu.Lock()
	defer lv.mu.Unlock()
	lv.p = &next
	lv.gen++
	for _, d := range asm.Docs() {
		lv.docs[d.URL] = d
	}
	lv.touch(old, replace, sel, records)
	return u, nil
}

// editedRecords maps the changed files to the records they belong to
// ("2023/evaluations/x.toml"), and says whether a record itself changed
// rather than only narratives or the files beside records, and whether
// any of those files ("2023/evaluations/x/photo.png") did. A narrative,
// or a file in a record's folder (an image it shows, a document it
// lists), appears on its evaluation's page, in the search index and in the print
// booklet, never in a list: when only they changed, the lists are not
// rendered again. Any other file (a template, site.toml, a year report,
// a record's folder itself made or removed) returns ErrFull.
func editedRecords(changed []string) (names map[string]bool, records, files bool, err error) {
	names = map[string]bool{}
	for _, name := range changed {
		if parts := strings.SplitN(name, "/", 4); len(parts) == 4 && parts[1] == "evaluations" && parts[2] != "" && parts[3] != "" {
			names[strings.Join(parts[:3], "/")+".toml"] = true
			files = true
			continue
		}
		dir, base := path.Split(name)
		ext := path.Ext(base)
		if !strings.HasSuffix(dir, "/evaluations/") || strings.Count(dir, "/") != 2 || (ext != ".toml" && ext != ".md") {
			return nil, false, false, ErrFull
		}
		names[strings.TrimSuffix(name, ext)+".toml"] = true
		records = records || ext == ".toml"
	}
	return names, records, files, nil
}

// republished returns, of the files beside records that the pages of the
// re-rendered evaluations evals published (p.published), those their pages
// publish no more (now are the files the render published), as the site
// names them ("2023/x/photo.png"); and the files published from now on.
// A file a narrative no longer shows, or a document no longer listed, is
// no longer part of the site, whether it is still in the record's folder
// or not.
func (p *prepared) republished(evals []*score.Evaluation, now map[string]bool) (gone []string, published map[string]bool) {
	pages := make(map[string]string, len(evals)) // record folder to page path
	for _, e := range evals {
		pages[folderOf(e)] = e.Path()
	}
	published = make(map[string]bool, len(p.published)+len(now))
	for name := range p.published {
		parts := strings.SplitN(name, "/", 4)
		if len(parts) == 4 {
			if page, ok := pages[strings.Join(parts[:3], "/")+"/"]; ok {
				if !now[name] {
					gone = append(gone, page+parts[3])
				}
				continue
			}
		}
		published[name] = true
	}
	maps.Copy(published, now)
	slices.Sort(gone)
	return gone, published
}

// reload loads, scores and checks the named records again, and returns
// each shown evaluation's new version by its old one, with the preview
// notices of the model to come. A record that is new, deleted, no longer
// shown or moved to another department or series returns ErrFull: only a
// full build redraws the lists that change; one with errors returns
// ErrFailed.
func (p *prepared) reload(names map[string]bool, l *diag.List) (map[*score.Evaluation]*score.Evaluation, map[*score.Evaluation]string, error) {
	old := p.model
	byFile := make(map[string]*score.Evaluation, len(old.Evaluations))
	for _, e := range old.Evaluations {
		byFile[e.File] = e
	}
	prefix := filepath.ToSlash(filepath.Clean(p.opts.Content))
	fsys := sysfile.DirFS(p.opts.Content)
	now := p.opts.now()
	replace := map[*score.Evaluation]*score.Evaluation{}
	notPublic := maps.Clone(old.NotPublic)
	for _, name := range slices.Sorted(maps.Keys(names)) {
		prev := byFile[path.Join(prefix, name)]
		if prev == nil {
			return nil, nil, ErrFull // a new record, or one not shown
		}
		if _, err := os.Stat(filepath.Join(p.opts.Content, filepath.FromSlash(name))); err != nil {
			return nil, nil, ErrFull // deleted or renamed
		}
		r := content.LoadRecord(fsys, prefix, name, &p.site, content.Options{
			InspectNarrative: func(file string, src []byte) { privacy.CheckNarrative(file, src, l) },
		}, l)
		if r == nil {
			continue
		}
		evals := score.EvaluateAt([]*content.Record{r}, p.bands, content.DateOf(now.In(p.site.Location)), l)
		p.files.CheckDocuments(r, l)
		privacy.CheckRecord(r, r.AllowPersonalData, l)
		r.Pos = nil
		if len(evals) != 1 {
			continue
		}
		e := evals[0]
		notice, shown := preview(e, p.opts, &p.site, now)
		if !shown || e.Department != prev.Department || e.Series != prev.Series {
			return nil, nil, ErrFull
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
		return nil, nil, ErrFailed
	}
	return replace, notPublic, nil
}

// nowSelection selects the pages to show at once: the edited evaluations'
// own, in path order, and when records changed, the lists that show them
// (their years, their departments, the home page and departments/).
func nowSelection(replace map[*score.Evaluation]*score.Evaluation, records bool) site.Selection {
	sel := site.Selection{Home: records, DepartmentIndex: records}
	for _, e := range slices.SortedFunc(maps.Values(replace), byPath) {
		sel.Evaluations = append(sel.Evaluations, e)
		if records && !slices.Contains(sel.Years, e.Year) {
			sel.Years = append(sel.Years, e.Year)
		}
		if records && !slices.Contains(sel.Departments, e.Department) {
			sel.Departments = append(sel.Departments, e.Department)
		}
	}
	return sel
}

// renderNow renders the pages of sel into memory. A narrative may now
// reference a file beside its record that cannot be published: the edit
// is then refused like a bad record, with ErrFailed.
func (p *prepared) renderNow(ctx context.Context, sel site.Selection, l *diag.List) (map[string][]byte, *assemble.Assembler, error) {
	var pages memory
	rd, err := p.render(ctx, &pages, sel, nil)
	if err != nil {
		return nil, nil, err
	}
	reportFiles(rd.asm.FileProblems(), l)
	if l.Failed(p.opts.Strict) {
		return nil, nil, ErrFailed
	}
	return pages.files, rd.asm, nil
}

// touch notes what an update applied to the model old leaves for Later:
// other evaluations of the same departments that list the changed ones
// among their related evaluations, when that list now shows otherwise;
// the other years of a changed record's series, whose tables and trend
// charts show its score and grade; the changed years' print booklets;
// and, when records changed, the open data, feed and sitemap. lv.mu is
// held.
func (lv *Live) touch(old *site.Model, replace map[*score.Evaluation]*score.Evaluation, sel site.Selection, records bool) {
	m := lv.p.model
	for _, name := range sel.Departments {
		for _, o := range m.Department(name).Evaluations {
			if slices.Contains(sel.Evaluations, o) {
				continue
			}
			if !sameRelated(old.Related(lv.was(o, replace)), m.Related(o), replace) {
				lv.touched[o.Path()] = true
			}
		}
	}
	for _, e := range sel.Evaluations {
		lv.booklets[e.Year] = true
		if !records {
			continue
		}
		lv.congress[e.Year] = true
		// The next year's congress table lists the programme's findings
		// not done yet.
		if e.Series != "" {
			lv.congress[e.Year+1] = true
		}
		for _, o := range m.Series(e) {
			if !slices.Contains(sel.Evaluations, o) {
				lv.touched[o.Path()] = true
			}
		}
	}
	lv.data = lv.data || records
}

// was returns the version of e in the model before replace.
func (lv *Live) was(e *score.Evaluation, replace map[*score.Evaluation]*score.Evaluation) *score.Evaluation {
	for o, n := range replace {
		if n == e {
			return o
		}
	}
	return e
}

// Later is the work that updates leave for after their pages are shown.
type Later struct {
	gen int
	// Files are re-rendered pages and the search index's files.
	Files map[string][]byte
	// Stale are index files that are no longer part of the site.
	Stale []string
	index map[string]bool
}

// Later renders what updates touched beyond the changed records' own pages
// and lists: other pages that list them among related evaluations or in
// their series, the years' print booklets, the open data, feed and sitemap,
// and the search index (seconds on 10,000 evaluations). It may run while the next
// Update is made; its result is then out of date, Settle says so, and the
// next Later does the work of both.
func (lv *Live) Later(ctx context.Context) (*Later, error) {
	lv.mu.Lock()
	gen, m, p := lv.gen, lv.p.model, lv.p
	// The rectification ledger lists every record's findings, as the open
	// data does: both wait until the edited pages are shown.
	sel := site.Selection{Booklets: slices.Sorted(maps.Keys(lv.booklets)), Data: lv.data, Ledger: lv.data,
		Congress: slices.Sorted(maps.Keys(lv.congress)), CongressIndex: lv.data}
	for _, e := range m.Evaluations {
		if lv.touched[e.Path()] {
			sel.Evaluations = append(sel.Evaluations, e)
		}
	}
	docs := slices.Collect(maps.Values(lv.docs))
	lv.mu.Unlock()

	var out memory
	next := *p
	next.model = m
	// The touched pages' search documents are as the index has them.
	if _, err := next.render(ctx, &out, sel, nil); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix := newIndex(docs)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	rec := &recorder{w: &out, names: names}
	if err := ix.Write(rec); err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	res := &Later{gen: gen, Files: out.files, index: names}
	lv.mu.Lock()
	for name := range lv.indexFiles {
		if !names[name] {
			res.Stale = append(res.Stale, name)
		}
	}
	lv.mu.Unlock()
	return res, nil
}

// Settle reports whether l is still up to date, and if so takes it as
// done: the caller then serves its files. Call it from the goroutine that
// calls Update.
func (lv *Live) Settle(l *Later) bool {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if l.gen != lv.gen {
		return false
	}
	clear(lv.touched)
	clear(lv.booklets)
	clear(lv.congress)
	lv.data = false
	lv.indexFiles = l.index
	return true
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

func byPath(a, b *score.Evaluation) int { return strings.Compare(a.Path(), b.Path()) }

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
