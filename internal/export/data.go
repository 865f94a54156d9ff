package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/evalpress/evalpress/internal/attach"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/score"
)

// Version is the format version of evaluations.json. It changes when a
// field is renamed or removed; added fields keep it.
const Version = 1

// Data is the document of evaluations.json.
type Data struct {
	// Version is the format version, Version.
	Version int `json:"version"`
	// Title and Organization are the site's.
	Title        string `json:"title"`
	Organization string `json:"organization"`
	// URL is the site's base URL.
	URL         string       `json:"url"`
	Evaluations []Evaluation `json:"evaluations"`
}

// Evaluation is one published evaluation in evaluations.json. Amounts are
// in 万元, rates in percent; numbers are written as published (93.5).
// Optional fields are absent when the record does not give them.
type Evaluation struct {
	// ID is the evaluation's identifier in every file of the open data
	// (see ID).
	ID         string `json:"id"`
	Slug       string `json:"slug"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Department string `json:"department"`
	Year       int    `json:"year"`
	Kind       string `json:"kind"`
	KindName   string `json:"kind_name"`
	Attachment string `json:"attachment,omitempty"`
	Evaluator  string `json:"evaluator,omitempty"`
	// Budget and Spent are in 万元, JSON numbers written with the decimal
	// places of the record (89.970 stays 89.970).
	Budget    *decimal.Amount `json:"budget,omitempty"`
	Spent     *decimal.Amount `json:"spent,omitempty"`
	Published string          `json:"published,omitempty"` // 2024-04-30
	Congress  bool            `json:"congress"`
	Tags      []string        `json:"tags,omitempty"`
	Series    string          `json:"series,omitempty"`
	// Stated are the values the record states (the official ones).
	Stated Stated `json:"stated"`
	// Total, Rate and Grade are the official results: the stated values
	// where given, else the computed ones. Absent for a grade-only record.
	Total *decimal.D `json:"total,omitempty"`
	Max   decimal.D  `json:"max"`
	Rate  *decimal.D `json:"rate,omitempty"`
	Grade string     `json:"grade,omitempty"`
	// Computed is the sum of first-level scores and its grade; absent
	// without indicators.
	Computed *Computed `json:"computed,omitempty"`
	// Mismatch is true when a stated value differs from the computed one;
	// Notes say which and why.
	Mismatch   bool        `json:"mismatch"`
	Notes      []string    `json:"notes,omitempty"`
	Indicators []Indicator `json:"indicators,omitempty"`

	// The second edition of the record, in the order of the national
	// form. Amounts are JSON numbers with the places the record wrote
	// (89.974), as Budget and Spent are.
	BudgetInitial *decimal.Amount `json:"budget_initial,omitempty"`
	// ExecutionRate is the stated 执行率 as written; Execution the one the
	// page shows (the stated one, else spent ÷ budget to two places);
	// ExecutionComputed spent ÷ budget × 100 to two places.
	ExecutionRate     *decimal.Amount `json:"execution_rate,omitempty"`
	Execution         json.Number     `json:"execution,omitempty"`
	ExecutionComputed *decimal.D      `json:"execution_computed,omitempty"`
	Overspent         bool            `json:"overspent,omitempty"`
	Funds             []Fund          `json:"funds,omitempty"`
	Goal              string          `json:"goal,omitempty"`
	Outcome           string          `json:"outcome,omitempty"`
	Method            string          `json:"method,omitempty"`
	MethodName        string          `json:"method_name,omitempty"`
	// Official labels the result that Total, Rate and Grade give
	// ("复核结果" when an official review drives them); Other is the
	// result shown beside it, present with a review.
	Official    string       `json:"official"`
	Other       *Result      `json:"other,omitempty"`
	Review      *Review      `json:"review,omitempty"`
	Findings    []Finding    `json:"findings,omitempty"`
	ResultUse   *ResultUse   `json:"result_use,omitempty"`
	Documents   []Document   `json:"documents,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	Updated     string       `json:"updated,omitempty"`
	Accepts     []Accept     `json:"accepts,omitempty"`
}

// Fund is one row of the money block by source of funds, in 万元.
type Fund struct {
	Source        string          `json:"source,omitempty"`
	BudgetInitial *decimal.Amount `json:"budget_initial,omitempty"`
	Budget        *decimal.Amount `json:"budget,omitempty"`
	Spent         *decimal.Amount `json:"spent,omitempty"`
}

// Review is the record's [review] (复核) as stated.
type Review struct {
	By       string     `json:"by,omitempty"`
	Score    *decimal.D `json:"score,omitempty"`
	Grade    string     `json:"grade,omitempty"`
	Official bool       `json:"official"`
}

// Result is the result shown beside the official one: its label, who
// scored, its total, rate and grade.
type Result struct {
	Label string     `json:"label"`
	By    string     `json:"by,omitempty"`
	Total *decimal.D `json:"total,omitempty"`
	Rate  *decimal.D `json:"rate,omitempty"`
	Grade string     `json:"grade,omitempty"`
}

// Finding is a problem found and its rectification. Overdue is judged on
// the build's date: not done, and its deadline passed.
type Finding struct {
	Problem    string `json:"problem"`
	Measure    string `json:"measure,omitempty"`
	Owner      string `json:"owner,omitempty"`
	Deadline   string `json:"deadline,omitempty"`
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
	Done       string `json:"done,omitempty"`
	Result     string `json:"result,omitempty"`
	Overdue    bool   `json:"overdue"`
}

// ResultUse is how the result is applied (结果应用).
type ResultUse struct {
	Decision     string          `json:"decision,omitempty"`
	DecisionName string          `json:"decision_name,omitempty"`
	NextBudget   *decimal.Amount `json:"next_budget,omitempty"`
	Note         string          `json:"note,omitempty"`
}

// Document is an original file published beside the page: File as the
// record writes it, URL its absolute address, Type its kind in Chinese
// ("PDF 文档").
type Document struct {
	File  string `json:"file"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
	Type  string `json:"type,omitempty"`
}

// Correction is one entry of the record's 更新记录.
type Correction struct {
	Date string `json:"date"`
	Note string `json:"note"`
}

// Accept is an acknowledged discrepancy: the key of the check, the reason,
// and, when the check found it in this build, what it found.
type Accept struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
}

// Stated holds a record's stated total and grade.
type Stated struct {
	Score *decimal.D `json:"score,omitempty"`
	Grade string     `json:"grade,omitempty"`
}

// Computed is what the indicator table adds up to.
type Computed struct {
	Total decimal.D `json:"total"`
	Rate  decimal.D `json:"rate"`
	Grade string    `json:"grade,omitempty"`
}

// Indicator is one indicator, with its lower levels nested in Items.
type Indicator struct {
	Name          string      `json:"name"`
	Max           decimal.D   `json:"max"`
	Score         decimal.D   `json:"score"`
	Rate          decimal.D   `json:"rate"`
	Grade         string      `json:"grade,omitempty"`
	GradeComputed string      `json:"grade_computed,omitempty"`
	Target        string      `json:"target,omitempty"`
	Actual        string      `json:"actual,omitempty"`
	Deviation     string      `json:"deviation,omitempty"`
	Items         []Indicator `json:"items,omitempty"`
}

// Record converts an evaluation for evaluations.json; base is the site's
// base URL.
func Record(base string, e *score.Evaluation) Evaluation {
	x := Evaluation{ID: ID(e), Slug: e.Slug, URL: base + e.Path(), Title: e.Title, Department: e.Department,
		Year: e.Year, Kind: e.Kind, KindName: content.Kinds[e.Kind], Attachment: e.Attachment,
		Evaluator: e.Evaluator, Budget: e.Budget, Spent: e.Spent, Congress: e.Congress,
		Tags: e.Tags, Series: e.Series, Stated: Stated{Score: e.Score, Grade: e.Grade},
		Max: e.Max, Grade: e.GradeShown, Mismatch: e.Mismatch(), Notes: e.Notes}
	if e.Published != nil {
		x.Published = e.Published.String()
	}
	if e.HasTotal {
		t, r := e.Total, e.Rate
		x.Total, x.Rate = &t, &r
	}
	if e.HasIndicators() {
		rate, _ := decimal.Rate(e.Computed, e.Max) // fits: scores are bounded
		x.Computed = &Computed{Total: e.Computed, Rate: rate, Grade: e.GradeComputed}
	}
	x.Indicators = nest(e.Rows())
	forms(&x, base, e)
	return x
}

// forms converts the second edition's fields.
func forms(x *Evaluation, base string, e *score.Evaluation) {
	x.BudgetInitial, x.ExecutionRate, x.Execution = e.BudgetInitial, e.ExecutionRate, json.Number(e.Execution)
	if e.HasExecutionComputed {
		c := e.ExecutionComputed
		x.ExecutionComputed = &c
	}
	x.Overspent = e.Overspent
	for _, f := range e.Funds {
		x.Funds = append(x.Funds, Fund{Source: f.Source, BudgetInitial: f.BudgetInitial, Budget: f.Budget, Spent: f.Spent})
	}
	x.Goal, x.Outcome, x.Method, x.MethodName = e.Goal, e.Outcome, e.Method, e.MethodName()
	x.Official = e.Official
	if o := e.Other; o != nil {
		x.Other = &Result{Label: o.Label, By: o.By, Grade: o.Grade}
		if o.HasTotal {
			t, r := o.Total, o.Rate
			x.Other.Total, x.Other.Rate = &t, &r
		}
	}
	if rv := e.Review; rv != nil {
		x.Review = &Review{By: rv.By, Score: rv.Score, Grade: rv.Grade, Official: rv.Official}
	}
	for _, f := range e.Findings {
		y := Finding{Problem: f.Problem, Measure: f.Measure, Owner: f.Owner, Status: f.Status,
			StatusName: f.StatusName, Result: f.Result, Overdue: f.Overdue}
		if f.Deadline != nil {
			y.Deadline = f.Deadline.String()
		}
		if f.Done != nil {
			y.Done = f.Done.String()
		}
		x.Findings = append(x.Findings, y)
	}
	if u := e.ResultUse; u != nil {
		x.ResultUse = &ResultUse{Decision: u.Decision, DecisionName: e.DecisionName(), NextBudget: u.NextBudget, Note: u.Note}
	}
	for _, d := range e.Documents {
		y := Document{File: d.File, Title: d.Title, URL: base + e.Path() + escapePath(d.Rest(e.Record))}
		if t, ok := attach.TypeOf(d.File); ok {
			y.Type = t.Name
		}
		x.Documents = append(x.Documents, y)
	}
	for _, c := range e.Corrections {
		x.Corrections = append(x.Corrections, Correction{Date: c.Date.String(), Note: c.Note})
	}
	if d := e.Updated(); d != nil {
		x.Updated = d.String()
	}
	for _, a := range e.Accepts {
		y := Accept{Key: a.Key, Reason: a.Reason}
		for _, ack := range e.Acknowledged {
			if ack.Key == a.Key {
				y.Note = ack.Message
				break
			}
		}
		x.Accepts = append(x.Accepts, y)
	}
}

// escapePath escapes each segment of a slash-separated path for a URL, as
// a browser requests it: 评价报告.pdf becomes %E8%AF%84….pdf.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// nest rebuilds the indicator tree from the depth-first rows.
func nest(rows []score.Row) []Indicator {
	var walk func(level int) []Indicator
	i := 0
	walk = func(level int) []Indicator {
		var out []Indicator
		for i < len(rows) && rows[i].Level >= level {
			r := rows[i]
			if r.Level > level { // a skipped level: keep the rows, do not lose them
				out = append(out, walk(r.Level)...)
				continue
			}
			i++
			x := Indicator{Name: r.Name, Max: r.Max, Score: r.Score, Rate: r.Rate,
				Grade: r.GradeShown, GradeComputed: r.GradeComputed, Target: r.Target, Actual: r.Actual,
				Deviation: r.Deviation}
			x.Items = walk(level + 1)
			out = append(out, x)
		}
		return out
	}
	return walk(1)
}

// JSON returns evaluations.json for the given evaluations, in their order.
func JSON(site content.Site, evals []*score.Evaluation) ([]byte, error) {
	head, err := jsonHead(site)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(head) + len(evals)*jsonPerRecord)
	b.Write(head)
	if err := appendRecords(&b, site.BaseURL, evals); err != nil {
		return nil, err
	}
	b.WriteString(jsonClose)
	return b.Bytes(), nil
}

// jsonHead returns the start of evaluations.json, up to the opening of
// its list of evaluations.
func jsonHead(site content.Site) ([]byte, error) {
	head, err := json.Marshal(Data{Version: Version, Title: site.Title, Organization: site.Organization, URL: site.BaseURL})
	if err != nil {
		return nil, err
	}
	return append(bytes.TrimSuffix(head, []byte(`"evaluations":null}`)), jsonOpen...), nil
}

// appendRecords writes the evaluations' entries of evaluations.json to w,
// separated by commas.
//
// The document is written record by record: encoding 10,000 evaluations
// as one value grew and copied encoding/json's own buffer to 17 MB, half
// the time of this file. The bytes are the same as Data's encoding. It is
// one line, not indented: indentation made the file of 10,000 evaluations
// 40 % larger, for people who read it with a tool anyway. HTML escaping
// stays on (<, >, & as \u003c…, json.Marshal's default): a JSON parser
// reads the same text, and a browser that sniffs the file as HTML runs
// none.
func appendRecords(w io.Writer, base string, evals []*score.Evaluation) error {
	for i, e := range evals {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		x, err := json.Marshal(Record(base, e))
		if err != nil {
			return fmt.Errorf("%s: %w", e.File, err)
		}
		if _, err := w.Write(x); err != nil {
			return err
		}
	}
	return nil
}

// jsonPerRecord is about the size of one evaluation in evaluations.json
// (2.3 KB on the generated sites, with the second edition's fields), to
// size its buffer once.
const jsonPerRecord = 5 << 9

// text guards a free-text cell against spreadsheet formula injection: Excel
// runs a cell that starts with = + - @ as a formula, so such a cell gets a
// leading apostrophe, which Excel shows as text (OWASP's advice).
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
