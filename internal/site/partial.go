package site

import (
	"maps"
	"slices"

	"github.com/evalpress/evalpress/internal/score"
)

// Selection names some pages of a site, for RenderSome.
type Selection struct {
	Evaluations []*score.Evaluation
	Years       []int
	Departments []string // by name
	// Home and DepartmentIndex select the home page and departments/.
	Home, DepartmentIndex bool
	// Booklets are years whose print booklet to render.
	Booklets []int
	// Data selects the open-data files, the feed, the sitemap and robots.txt.
	Data bool
}

// RenderSome renders only the selected pages to w: the preview server
// re-renders what an edited record touches instead of the whole site.
// Selected years and departments that the model does not have are skipped.
func (r *Renderer) RenderSome(w Writer, sel Selection) (pages int, err error) {
	m := r.model
	for _, e := range sel.Evaluations {
		if err := r.evaluation(w, e); err != nil {
			return pages, err
		}
		pages++
	}
	var years []*Year
	for _, y := range sel.Years {
		if m.byYear[y] != nil {
			years = append(years, m.byYear[y])
		}
	}
	selected := len(years)
	if sel.Home && m.LatestYear() != nil {
		years = append(years, m.LatestYear())
	}
	charts, err := r.yearCharts(years)
	if err != nil {
		return pages, err
	}
	// A year page lists all its evaluations (1,700 on a large site) and
	// takes longest: it renders on another core while the rest do.
	yearPages := make(chan error, 1)
	go func() {
		for _, y := range years[:selected] {
			if err := r.year(w, y, charts[y.Year]); err != nil {
				yearPages <- err
				return
			}
			// The year's congress table lists the same evaluations.
			if err := r.congress(w, y); err != nil {
				yearPages <- err
				return
			}
		}
		yearPages <- nil
	}()
	defer func() {
		if yerr := <-yearPages; yerr != nil && err == nil {
			err = yerr
		}
		if err == nil {
			pages += selected
		}
	}()
	if sel.Home {
		if err := r.home(w, charts); err != nil {
			return pages, err
		}
		pages++
	}
	if sel.DepartmentIndex {
		if err := r.departments(w); err != nil {
			return pages, err
		}
		pages++
	}
	for _, name := range sel.Departments {
		if d := m.deptOf[name]; d != nil {
			if err := r.department(w, d); err != nil {
				return pages, err
			}
			pages++
		}
	}
	for _, y := range sel.Booklets {
		if m.byYear[y] != nil {
			if err := r.booklet(w, m.byYear[y]); err != nil {
				return pages, err
			}
			pages++
		}
	}
	if sel.Data {
		if err := r.data(w); err != nil {
			return pages, err
		}
		if err := r.feeds(w); err != nil {
			return pages, err
		}
	}
	return pages, nil
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
