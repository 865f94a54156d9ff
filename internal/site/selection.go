package site

import (
	"context"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
)

// Selection names the pages of a render: All for a build, a few for the
// preview server, which re-renders what an edited record touches instead
// of the whole site. Selected years and departments that the model does
// not have are skipped.
type Selection struct {
	Evaluations []*score.Evaluation
	// Years selects each year's page.
	Years []int
	// Congress selects each year's congress table.
	Congress    []int
	Departments []string // by name
	// Home, DepartmentIndex, Search and NotFound select the home page,
	// departments/, search/ and 404.html.
	Home, DepartmentIndex, Search, NotFound bool
	// CongressIndex selects congress/, the index of the years' congress
	// tables, whose figures sum every year's evaluations.
	CongressIndex bool
	// Booklets are years whose print booklet to render.
	Booklets []int
	// Data selects the open-data files, the feed, the sitemap and robots.txt.
	Data bool
	// Ledger selects the rectification ledger's pages (rectification/).
	Ledger bool
	// About selects about/, which reads site.toml alone.
	About bool
}

// All selects every page of m.
func All(m *Model) Selection {
	sel := Selection{Evaluations: m.Evaluations, Home: true, DepartmentIndex: true, Search: true, NotFound: true, Data: true,
		CongressIndex: true, Ledger: true, About: true}
	for _, y := range m.Years {
		sel.Years = append(sel.Years, y.Year)
		sel.Congress = append(sel.Congress, y.Year)
		sel.Booklets = append(sel.Booklets, y.Year)
	}
	for _, d := range m.Departments {
		sel.Departments = append(sel.Departments, d.Name)
	}
	return sel
}

// Render renders the selected pages to w and returns how many it
// rendered. Evaluation pages, the bulk of a build, are rendered on all
// cores and written as they are done, while the lists, the open data and
// the feeds are rendered beside them; the print booklets come last, since
// they reprint narratives that the evaluation pages' assembly keeps for
// them. Each site-wide page is a Group that a build may take from its
// previous output instead (TakeGroups).
func (r *Renderer) Render(ctx context.Context, w Writer, sel Selection) (int, error) {
	m := r.model
	var booklets []*Year
	for _, y := range sel.Booklets {
		if year := m.byYear[y]; year != nil && len(year.Evaluations) > 0 {
			booklets = append(booklets, year)
		}
	}
	if r.releasing {
		// Nothing changes the records now: their indicator trees go into
		// blocks the collector does not scan (see
		// content.Record.FreezeIndicators).
		if err := par.All(ctx, m.Evaluations, func(_ context.Context, e *score.Evaluation) error {
			e.Record.FreezeIndicators()
			return nil
		}); err != nil {
			return 0, err
		}
	}
	r.tally = r.newTally(sel, booklets)
	// When records are released, the evaluation pages start once the open
	// data is written, the lists being made meanwhile: a record is then
	// released as soon as its page is done. Started together, the data
	// (newest year first, one goroutine among many) fell behind the pages
	// (oldest first), and at 100,000 evaluations every indicator tree,
	// some 170 MB, was still held when the build's heap peaked, and
	// scanned by every collection until the two met.
	// A rebuild renders a few of the pages (an eighth at most): they
	// start at once, holding little, so that what waits for their
	// documents (the patch of the search index) can start beside the
	// lists instead of after the open data.
	dataDone := make(chan struct{})
	waitData := r.tally != nil && sel.Data && len(sel.Evaluations)*8 > len(m.Evaluations)
	if !waitData {
		close(dataDone)
	}
	var pages atomic.Int64
	err := par.Do(ctx,
		func(ctx context.Context) error {
			select {
			case <-dataDone:
			case <-ctx.Done():
				return ctx.Err()
			}
			return par.All(ctx, sel.Evaluations, func(_ context.Context, e *score.Evaluation) error {
				pages.Add(1)
				defer r.tally.done(e)
				return r.evaluation(w, e)
			})
		},
		func(ctx context.Context) error {
			n, err := r.lists(ctx, w, sel)
			pages.Add(int64(n))
			return err
		},
		func(context.Context) error {
			if !sel.Data {
				return nil
			}
			if waitData {
				defer close(dataDone)
			}
			return labelled("data", func() error {
				_, taken, err := r.group(w, siteGroup("data", true), func(w Writer) (int, error) { return 0, r.data(w) })
				if taken {
					// Taken: the records it would have read are done.
					for _, y := range m.dataYears() {
						r.tally.done(m.public(y.Evaluations)...)
					}
				}
				return err
			})
		},
		func(context.Context) error {
			if !sel.Data {
				return nil
			}
			return labelled("feeds", func() error {
				_, _, err := r.group(w, siteGroup("feeds", true), func(w Writer) (int, error) { return 0, r.feeds(w) })
				return err
			})
		})
	if err != nil {
		return 0, err
	}
	// A booklet is a page of megabytes: one per core at most is in
	// memory, each lane taking the next year when it is done. Twice as
	// many (par's workers) grew more buffers and the build's peak.
	// Booklets are made last, when the build holds the most (every
	// page's links, the search index's postings): large ones are made
	// one at a time (bookletLanes).
	lanes := bookletLanes(booklets, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	err = par.Each(ctx, lanes, func(ctx context.Context, _ int) error {
		for i := int(next.Add(1) - 1); i < len(booklets) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			y := booklets[i]
			err := labelled("booklet", func() error {
				_, err := r.page(w, bookletGroup(y), func(w Writer) error { return r.booklet(w, y) })
				return err
			})
			if err != nil {
				return err
			}
			evals, _ := booklets[i].BookletEvaluations()
			r.tally.done(evals...)
		}
		return ctx.Err()
	})
	if err != nil {
		return 0, err
	}
	return int(pages.Load()) + len(booklets), nil
}

// lists renders the selected pages that list evaluations (the home page,
// the years' pages and congress tables, the ledger, the departments'
// pages) and the search, about and 404 pages, and returns how many. They
// are rendered on as many lanes as there are cores, each taking the next
// page when it is done: in a rebuild, where the evaluation pages are
// taken from the previous output, the lists are what the render waits
// for, and one after the other they kept one core busy (3.6 s of a 6.6 s
// rebuild of 10,000 evaluations).
func (r *Renderer) lists(ctx context.Context, w Writer, sel Selection) (int, error) {
	m := r.model
	// The home page shows the latest year's charts: a year's material is
	// assembled once for both, by whichever asks first.
	type assembled struct {
		once  sync.Once
		parts *YearParts
		err   error
	}
	var mu sync.Mutex
	parts := map[*Year]*assembled{}
	assemble := func(y *Year) (*YearParts, error) {
		mu.Lock()
		a := parts[y]
		if a == nil {
			a = &assembled{}
			parts[y] = a
		}
		mu.Unlock()
		a.once.Do(func() { a.parts, a.err = r.asm.Year(y) })
		return a.parts, a.err
	}
	// Each task renders one page or set of pages and says how many. The
	// largest come first, so that no lane is left with one at the end.
	var tasks []func() (int, error)
	for _, year := range sel.Years {
		if y := m.byYear[year]; y != nil {
			tasks = append(tasks, func() (int, error) {
				return r.page(w, yearGroup(y), func(w Writer) error {
					p, err := assemble(y)
					if err != nil {
						return err
					}
					return r.year(w, y, p)
				})
			})
		}
	}
	if sel.Ledger {
		tasks = append(tasks, func() (n int, err error) {
			err = labelled("ledger", func() error {
				n, err = r.ledgerPages(w)
				return err
			})
			return n, err
		})
	}
	for _, year := range sel.Congress {
		// A year without evaluations has no congress table.
		if y := m.byYear[year]; y != nil && len(y.Evaluations) > 0 {
			tasks = append(tasks, func() (n int, err error) {
				err = labelled("congress", func() error {
					n, err = r.page(w, congressGroup(m, y), func(w Writer) error { return r.congress(w, y) })
					return err
				})
				return n, err
			})
		}
	}
	if sel.Home {
		tasks = append(tasks, func() (int, error) {
			return r.page(w, siteGroup("home", true), func(w Writer) error {
				var latest *YearParts
				if y := m.LatestYear(); y != nil {
					var err error
					if latest, err = assemble(y); err != nil {
						return err
					}
				}
				return r.home(w, latest)
			})
		})
	}
	if sel.CongressIndex {
		tasks = append(tasks, func() (n int, err error) {
			err = labelled("congress", func() error {
				n, err = r.page(w, siteGroup("congress-index", true), r.congressIndex)
				return err
			})
			return n, err
		})
	}
	if sel.DepartmentIndex {
		tasks = append(tasks, func() (int, error) { return r.page(w, siteGroup("departments", true), r.departments) })
	}
	for _, name := range sel.Departments {
		if d := m.deptOf[name]; d != nil {
			tasks = append(tasks, func() (int, error) {
				return r.page(w, departmentGroup(d), func(w Writer) error { return r.department(w, d) })
			})
		}
	}
	if sel.Search {
		tasks = append(tasks, func() (int, error) { return r.page(w, siteGroup("search", false), r.search) })
	}
	if sel.About {
		tasks = append(tasks, func() (int, error) { return r.page(w, siteGroup("about", false), r.about) })
	}
	if sel.NotFound {
		tasks = append(tasks, func() (int, error) { return r.page(w, siteGroup("404", false), r.notFound) })
	}
	var pages, next atomic.Int64
	err := par.Each(ctx, min(runtime.GOMAXPROCS(0), len(tasks)), func(ctx context.Context, _ int) error {
		for i := int(next.Add(1) - 1); i < len(tasks) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			n, err := tasks[i]()
			pages.Add(int64(n))
			if err != nil {
				return err
			}
		}
		return ctx.Err()
	})
	return int(pages.Load()), err
}

// Related returns the other evaluations that e's page lists, as its page
// shows them.
func (m *Model) Related(e *score.Evaluation) []*score.Evaluation {
	return related(m.Department(e.Department), e, maxRelated)
}

// Replace returns a model in which some evaluations are replaced by new
// versions of the same records (same year and department), sharing with m
// what they do not touch. NewModel sorts all 10,000 evaluations of a large
// site several times (60 ms for the latest list alone); the preview
// server replaces one edited record in well under a millisecond.
func (m *Model) Replace(replace map[*score.Evaluation]*score.Evaluation) *Model {
	n := *m
	swap := func(list []*score.Evaluation) []*score.Evaluation {
		out := slices.Clone(list)
		for i, e := range out {
			if r := replace[e]; r != nil {
				out[i] = r
			}
		}
		return out
	}
	n.Evaluations = swap(m.Evaluations)
	n.byYear = maps.Clone(m.byYear)
	n.Years = slices.Clone(m.Years)
	n.deptOf = maps.Clone(m.deptOf)
	n.bySlug = maps.Clone(m.bySlug)
	n.Departments = slices.Clone(m.Departments)
	// A replaced evaluation keeps its series key (the preview server
	// rebuilds in full when it changes), so only its list needs the swap.
	n.series = maps.Clone(m.series)
	swapped := map[string]bool{}
	newLatest := false
	for old, e := range replace {
		if e.Series != "" && !swapped[e.Series] {
			n.series[e.Series] = swap(m.series[e.Series])
			slices.SortFunc(n.series[e.Series], bySeries)
			swapped[e.Series] = true
		}
		if y := n.byYear[e.Year]; y == m.byYear[e.Year] {
			c := *y
			c.Evaluations = swap(y.Evaluations)
			c.summarise(m.Bands)
			n.byYear[e.Year] = &c
			n.Years[slices.Index(n.Years, y)] = &c
		}
		if d := n.deptOf[e.Department]; d == m.deptOf[e.Department] {
			c := *d
			c.Evaluations = swap(d.Evaluations)
			c.Years = nil
			c.summarise()
			n.deptOf[c.Name], n.bySlug[c.Slug] = &c, &c
			n.Departments[slices.Index(n.Departments, d)] = &c
		}
		if slices.Contains(m.Latest, old) && (comparePublished(old, e) != 0 || old.Attachment != e.Attachment || old.Title != e.Title) {
			newLatest = true
		}
	}
	if newLatest {
		// An entry of the list may have moved down, and a record that was
		// not in it may come up: only a full sort can tell.
		n.Latest = latest(n.Evaluations)
	} else {
		candidates := swap(m.Latest)
		for _, e := range replace {
			if !slices.Contains(candidates, e) {
				candidates = append(candidates, e)
			}
		}
		n.Latest = latest(candidates)
	}
	return &n
}

// bigBooklet is the number of abstracts past which a booklet is made
// alone: some 25 MB of HTML, and as much again in buffers while it is
// written. At 100,000 evaluations (800 abstracts a year) two at a time
// made the build's peak 70 to 110 MiB higher, over its 1.5 GiB budget,
// and one at a time took no longer (193 s either way).
const bigBooklet = 500

// bookletLanes returns how many of booklets are made at once: one per
// core, or one when any gathers more than bigBooklet abstracts.
func bookletLanes(booklets []*Year, cores int) int {
	for _, y := range booklets {
		if evals, _ := y.BookletEvaluations(); len(evals) > bigBooklet {
			return min(1, len(booklets))
		}
	}
	return min(cores, len(booklets))
}
