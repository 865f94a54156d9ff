package site

import (
	"cmp"
	"fmt"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/score"
)

// Feed, sitemap and robots files, relative to the site root.
const (
	FeedFile    = "feed.xml"
	SitemapFile = "sitemap.xml"
	RobotsFile  = "robots.txt"
)

// feedEntries bounds the feed to the latest disclosures, as feeds do: a
// reader polls it for what is new, and all 10,000 evaluations made it 5 MB
// (the sitemap and the open data have them all).
const feedEntries = 50

// disclosed returns the date an evaluation was disclosed: its published
// date, else its year report's, else the first day after its budget year
// (evaluations of a year are disclosed in the next). No build time: the
// feed must not change between two builds of the same content.
func (m *Model) disclosed(e *score.Evaluation) content.Date {
	if e.Published != nil {
		return *e.Published
	}
	if y := m.byYear[e.Year]; y != nil && y.Report != nil && y.Report.Published != nil {
		return *y.Report.Published
	}
	return content.Date{Year: e.Year + 1, Month: time.January, Day: 1}
}

// lastStated returns the newest date the record states of an
// evaluation's page: its published date, its corrections' dates and its
// findings' done dates (a finding that is done changes the page on that
// day); nil when it states none.
func lastStated(e *score.Evaluation) *content.Date {
	newest := e.Published
	later := func(d *content.Date) {
		if d != nil && (newest == nil || d.After(*newest)) {
			newest = d
		}
	}
	for _, c := range e.Corrections {
		later(&c.Date)
	}
	for _, f := range e.Findings {
		later(f.Done)
	}
	return newest
}

// changed returns the day an evaluation's page last changed: the newest
// of its disclosure date and the dates its record states (see
// lastStated). The feed and the data package date it so.
func (m *Model) changed(e *score.Evaluation) content.Date {
	d := m.disclosed(e)
	if s := lastStated(e); s != nil && s.After(d) {
		d = *s
	}
	return d
}

// compareDates orders dates as time does, without formatting them: the
// feed sorts every evaluation by its date.
func compareDates(a, b content.Date) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day))
}

// feeds writes the Atom feed, the sitemap (with its parts, past
// export.MaxSitemapURLs pages) and robots.txt.
func (r *Renderer) feeds(w Writer) error {
	m := r.model
	loc := m.Config.Location
	// The feed's entries are the first of the public evaluations sorted
	// stably by date, found in one pass, each date read once: at 100,000
	// evaluations sorting them all was most of the feeds' second of CPU,
	// made again after every edit.
	type dated struct {
		e *score.Evaluation
		d content.Date
		n attachment
	}
	first := firstOf(feedEntries, func(yield func(dated) bool) {
		for _, e := range m.public(m.Evaluations) {
			if !yield(dated{e, m.disclosed(e), attachmentOf(e)}) {
				return
			}
		}
	}, func(a, b dated) int {
		return cmp.Or(compareDates(b.d, a.d), cmp.Compare(b.e.Year, a.e.Year), compareAttachments(a.e, b.e, a.n, b.n))
	})
	f := export.Feed{Title: m.Config.Title, Author: m.Config.Organization, BaseURL: m.Config.BaseURL}
	stamp := func(d content.Date) string { return d.In(loc).Format(time.RFC3339) }
	var newest content.Date
	if len(first) > 0 {
		newest = first[0].d
	} else if y := m.LatestYear(); y != nil {
		newest = content.Date{Year: y.Year + 1, Month: time.January, Day: 1}
	} else {
		newest = content.Date{Year: 2000, Month: time.January, Day: 1}
	}
	for _, x := range first {
		e := x.e
		// Entries stay in the order of disclosure; a page that changed
		// since (a correction, a finding done) is updated on that day,
		// and so is the feed.
		updated := m.changed(e)
		if updated.After(newest) {
			newest = updated
		}
		f.Entries = append(f.Entries, export.Entry{Title: fmt.Sprintf("%s（%d年）", e.Title, e.Year), Path: e.Path(),
			Updated: stamp(updated), Summary: describe(e, ""), Category: e.Department})
	}
	f.Updated = stamp(newest)
	b, err := export.Atom(f)
	if err != nil {
		return fmt.Errorf("%s: %w", FeedFile, err)
	}
	if err := w.Write(FeedFile, b); err != nil {
		return err
	}
	index, parts := export.Sitemap(m.Config.BaseURL, r.publicPages())
	if err := w.Write(SitemapFile, index); err != nil {
		return err
	}
	for i, b := range parts {
		if err := w.Write(export.SitemapPart(i+1), b); err != nil {
			return err
		}
	}
	return w.Write(RobotsFile, export.Robots(m.Config.BaseURL))
}

// publicPages lists every public page of the site, as Render writes
// them.
func (r *Renderer) publicPages() []export.URL {
	m := r.model
	pages := []export.URL{{Path: ""}}
	for _, y := range m.Years {
		pages = append(pages, export.URL{Path: content.YearPath(y.Year)})
		if len(y.Evaluations) > 0 {
			pages = append(pages, export.URL{Path: congressPath(y.Year)}, export.URL{Path: bookletPath(y.Year)})
		}
		for _, e := range y.Evaluations {
			if m.NotPublic[e] != "" {
				continue
			}
			// Only a stated date: a guessed one would mislead crawlers.
			u := export.URL{Path: e.Path()}
			if d := lastStated(e); d != nil {
				u.LastMod = d.String()
			}
			pages = append(pages, u)
		}
	}
	for _, p := range r.ledgerPaths() {
		pages = append(pages, export.URL{Path: p})
	}
	pages = append(pages, export.URL{Path: CongressIndexPath})
	pages = append(pages, export.URL{Path: DataDir}, export.URL{Path: "departments/"}, export.URL{Path: AboutPath})
	for _, d := range m.Departments {
		pages = append(pages, export.URL{Path: "departments/" + d.Slug + "/"})
	}
	return append(pages, export.URL{Path: "search/"})
}
