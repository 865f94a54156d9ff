package site

import (
	"github.com/evalpress/evalpress/internal/score"
)

// Selection names some pages of a site, for RenderSome.
type Selection struct {
	Evaluations []*score.Evaluation
	Years       []int
	Departments []string // by name
	// Home and DepartmentIndex select the home page and departments/.
	Home, DepartmentIndex bool
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
	for _, y := range years[:selected] {
		if err := r.year(w, y, charts[y.Year]); err != nil {
			return pages, err
		}
		pages++
	}
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
	return pages, nil
}

// Related returns the other evaluations that e's page lists, as its page
// shows them.
func (m *Model) Related(e *score.Evaluation) []*score.Evaluation {
	return related(m.Department(e.Department), e, maxRelated)
}
