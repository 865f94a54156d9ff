package site

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/score"
)

// A Group is a site-wide page, or a set of files made together (the open
// data), that a build may take unchanged from its previous output instead
// of rendering it (Groups). It names what the group is rendered from
// beyond the site itself (site.toml, the templates, the list of years and
// departments, the build's date): the evaluations it reads, in the order
// it reads them, and the year reports it reads. A group that reads more
// of an evaluation than the evaluation's own files (another evaluation of
// its series, say) names that one too.
type Group struct {
	// Name identifies the group from one build to the next:
	// "year/2023", "booklet/2023", "ledger/rectification/open/".
	Name string
	// Shows are the evaluations the group reads, in order; with All,
	// every evaluation of the site, and Shows is nil.
	Shows []*score.Evaluation
	All   bool
	// Reports are the years whose report the group reads; with All,
	// every year's.
	Reports []*Year
	// Shown is what the group shows that its evaluations' inputs do not
	// say alone: a ledger page's counts, filters and pager, and which
	// findings of its evaluations it lists.
	Shown string
}

// Groups lets a build take a site-wide group from its previous output
// (internal/pipeline keys each by what it reads). It must be safe for
// concurrent use.
type Groups interface {
	// Take puts g's files of the previous output into the output, when
	// they are still what g would render, and returns how many pages
	// they are; ok is false when g is to be rendered.
	Take(g Group) (pages int, ok bool, err error)
	// Render returns the writer g is rendered to, which passes its files
	// on to w; done is called with the number of pages once g is
	// rendered.
	Render(g Group, w Writer) (gw Writer, done func(pages int))
}

// TakeGroups makes the renderer ask gs before it renders each site-wide
// group.
func (r *Renderer) TakeGroups(gs Groups) { r.groups = gs }

// group renders g with render, unless the build's Groups takes it from
// the previous output; it returns how many pages g is, and whether it
// was taken.
func (r *Renderer) group(w Writer, g Group, render func(Writer) (int, error)) (pages int, taken bool, err error) {
	if r.groups == nil {
		pages, err = render(w)
		return pages, false, err
	}
	if pages, taken, err = r.groups.Take(g); err != nil || taken {
		return pages, taken, err
	}
	gw, done := r.groups.Render(g, w)
	if pages, err = render(gw); err == nil {
		done(pages)
	}
	return pages, false, err
}

// page is group for a group of one page.
func (r *Renderer) page(w Writer, g Group, render func(Writer) error) (int, error) {
	n, _, err := r.group(w, g, func(w Writer) (int, error) { return 1, render(w) })
	return n, err
}

// The groups of the site-wide pages. Each names what its page reads:
// a page that comes to read more must name it here, or an incremental
// build would keep it stale.

func yearGroup(y *Year) Group {
	return Group{Name: "year/" + strconv.Itoa(y.Year), Shows: y.Evaluations, Reports: []*Year{y}}
}

func departmentGroup(d *Department) Group {
	return Group{Name: "department/" + d.Slug, Shows: d.Evaluations}
}

// congressGroup reads, beyond the year's evaluations, the earlier years
// of their series (the findings carried over, Congress.Carried).
func congressGroup(m *Model, y *Year) Group {
	shows := slices.Clone(y.Evaluations)
	for _, e := range y.Evaluations {
		shows = append(shows, m.Series(e)...)
	}
	return Group{Name: "congress/" + strconv.Itoa(y.Year), Shows: shows}
}

func bookletGroup(y *Year) Group {
	evals, _ := y.BookletEvaluations()
	return Group{Name: "booklet/" + strconv.Itoa(y.Year), Shows: evals}
}

// ledgerGroup is one page of the ledger: the evaluations of its entries,
// which of their findings they are, and what the page says of the
// ledger beyond them (its filter's counts, the filter bar, the pager).
// A record edited changes the pages that list its findings, not the
// others, unless the counts change.
func ledgerGroup(pg ledgerPage) Group {
	v := pg.ledger
	shows := make([]*score.Evaluation, len(v.Entries))
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %q %q %q\n%+v\n%+v\n%+v\n", pg.base, pg.path, pg.title, pg.crumb, v.Empty, v.Counts, v.States, v.Years)
	if v.Pager != nil {
		fmt.Fprintf(&b, "%+v\n", *v.Pager)
	}
	for i, x := range v.Entries {
		shows[i] = x.Evaluation
		fmt.Fprintf(&b, "%d ", x.N)
	}
	return Group{Name: "ledger/" + pg.path, Shows: shows, Shown: b.String()}
}

// siteGroup is a group that reads every evaluation and report (the home
// page, the departments' index, the open data) or none beyond the site
// (the search page); all says which.
func siteGroup(name string, all bool) Group { return Group{Name: name, All: all} }
