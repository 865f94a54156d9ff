package site

import (
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// ResultsFilter is the script that filters the home page's latest results
// by grade and department.
const ResultsFilter = "assets/js/results-filter.js"

// homeFigures bounds the key figures of a year report that the home page
// shows: the first ones, in the bureau's order, which puts the weightiest
// first. The year's page lists them all; on a phone thirteen figure cards
// would push everything after them two screens down.
const homeFigures = 6

// ReportYear returns the newest year whose report gives key figures, nil
// when no report does. The home page shows its figures whatever year the
// newest evaluation is of: a 2024 record published before the 2024 report
// must not take the 2023 figures off the home page.
func (m *Model) ReportYear() *Year {
	for _, y := range m.Years {
		if y.Report != nil && len(y.Report.Figures) > 0 {
			return y
		}
	}
	return nil
}

// KeyFigures returns the figures of y's report that the home page shows;
// MoreFigures says whether the report has more.
func (y *Year) KeyFigures() []content.Figure {
	if y.Report == nil {
		return nil
	}
	f := y.Report.Figures
	return f[:min(len(f), homeFigures)]
}

// MoreFigures reports whether y's report has figures that KeyFigures
// leaves out.
func (y *Year) MoreFigures() bool { return y.Report != nil && len(y.Report.Figures) > homeFigures }

// LatestDepartments returns the departments of the latest disclosures
// (Latest), in the site's order of departments: the choices of the home
// page's filter, which offers no department it would show nothing for.
func (m *Model) LatestDepartments() []*Department {
	in := map[string]bool{}
	for _, e := range m.Latest {
		in[e.Department] = true
	}
	var out []*Department
	for _, d := range m.Departments {
		if in[d.Name] {
			out = append(out, d)
		}
	}
	return out
}

// LatestGrades returns the grades among the latest disclosures, in band
// order, for the home page's filter.
func (m *Model) LatestGrades() []content.Band {
	var out []content.Band
	for _, b := range m.Bands {
		for _, e := range m.Latest {
			if e.GradeShown == b.Grade {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

// DepartmentYear is a department's evaluations of one year, as the
// departments table gives them: an average across years would mix years
// scored by different rules and teams.
type DepartmentYear struct {
	Year  int
	Count int
	// Scored is the number of evaluations with a total; Average their mean.
	Scored  int
	Average decimal.D
}

// ByYear returns d's figures for each of years (the site's, newest first),
// with a zero Count for a year in which d has none.
func (d *Department) ByYear(years []*Year) []DepartmentYear {
	of := map[int][]*score.Evaluation{}
	for _, e := range d.Evaluations {
		of[e.Year] = append(of[e.Year], e)
	}
	out := make([]DepartmentYear, len(years))
	for i, y := range years {
		evals := of[y.Year]
		out[i] = DepartmentYear{Year: y.Year, Count: len(evals)}
		out[i].Scored, out[i].Average = average(evals)
	}
	return out
}
