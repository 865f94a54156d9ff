package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
	Items         []Indicator `json:"items,omitempty"`
}

// Record converts an evaluation for evaluations.json; base is the site's
// base URL.
func Record(base string, e *score.Evaluation) Evaluation {
	x := Evaluation{Slug: e.Slug, URL: base + e.Path(), Title: e.Title, Department: e.Department,
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
	x.Indicators = nest(e.Rows)
	return x
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
				Grade: r.GradeShown, GradeComputed: r.GradeComputed, Target: r.Target, Actual: r.Actual}
			x.Items = walk(level + 1)
			out = append(out, x)
		}
		return out
	}
	return walk(1)
}

// JSON returns evaluations.json for the given evaluations, in their order.
func JSON(site content.Site, evals []*score.Evaluation) ([]byte, error) {
	// The document is written record by record into one buffer sized for
	// all of them: encoding 10,000 evaluations as one value grew and
	// copied encoding/json's own buffer to 17 MB, half the time of this
	// file. The bytes are the same as Data's encoding.
	head, err := json.Marshal(Data{Version: Version, Title: site.Title, Organization: site.Organization, URL: site.BaseURL})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(head) + len(evals)*jsonPerRecord)
	// One line, not indented: indentation made the file of 10,000
	// evaluations 40 % larger, for people who read it with a tool anyway.
	// HTML escaping stays on (<, >, & as \u003c…, json.Marshal's default):
	// a JSON parser reads the same text, and a browser that sniffs the
	// file as HTML runs none.
	b.Write(bytes.TrimSuffix(head, []byte(`"evaluations":null}`)))
	b.WriteString(`"evaluations":[`)
	for i, e := range evals {
		if i > 0 {
			b.WriteByte(',')
		}
		x, err := json.Marshal(Record(site.BaseURL, e))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.File, err)
		}
		b.Write(x)
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// jsonPerRecord is about the size of one evaluation in evaluations.json
// (1.8 KB on the generated sites), to size its buffer once.
const jsonPerRecord = 2 << 10

// CSVHeader is the header row of the CSV files, in Chinese for the people
// who open them in Excel.
var CSVHeader = []string{"年度", "附件", "项目名称", "部门", "类型", "评价机构", "预算（万元）", "实际支出（万元）",
	"综合得分", "满分", "得分率（%）", "评价等级", "公布得分", "公布等级", "指标计算得分", "核对不一致",
	"报送人大", "公开日期", "标签", "系列", "网址"}

// bom makes Excel read the file as UTF-8; without it Chinese is garbled.
const bom = "\ufeff"

// CSV returns a CSV file of the evaluations, one row each: UTF-8 with a
// byte order mark, CRLF line ends and RFC 4180 quoting.
func CSV(base string, evals []*score.Evaluation) ([]byte, error) {
	rows, err := CSVRows(base, evals)
	if err != nil {
		return nil, err
	}
	return CSVFile(rows), nil
}

// CSVFile returns a CSV file of rows made by CSVRows, in their order, with
// the byte order mark and the header: a site's file of all evaluations
// joins the rows of its yearly files instead of writing them again.
func CSVFile(rows ...[]byte) []byte {
	n := len(csvHead)
	for _, r := range rows {
		n += len(r)
	}
	b := make([]byte, 0, n)
	b = append(b, csvHead...)
	for _, r := range rows {
		b = append(b, r...)
	}
	return b
}

// csvHead is the byte order mark and the header row.
var csvHead = func() string {
	var b bytes.Buffer
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(CSVHeader)
	w.Flush()
	return b.String()
}()

// CSVRows returns the CSV rows of the evaluations, without header.
func CSVRows(base string, evals []*score.Evaluation) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	opt := func(d *decimal.D) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	amount := func(a *decimal.Amount) string {
		if a == nil {
			return ""
		}
		return a.String()
	}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	for _, e := range evals {
		var total, rate, computed, published string
		if e.HasTotal {
			total, rate = e.Total.String(), e.Rate.String()
		}
		if e.HasIndicators() {
			computed = e.Computed.String()
		}
		if e.Published != nil {
			published = e.Published.String()
		}
		row := []string{strconv.Itoa(e.Year), text(e.Attachment), text(e.Title), text(e.Department), content.Kinds[e.Kind], text(e.Evaluator),
			amount(e.Budget), amount(e.Spent), total, e.Max.String(), rate, e.GradeShown, opt(e.Score), e.Grade, computed,
			yes(e.Mismatch()), yes(e.Congress), published, text(strings.Join(e.Tags, "；")), text(e.Series), base + e.Path()}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// text guards a free-text cell against spreadsheet formula injection: Excel
// runs a cell that starts with = + - @ as a formula, so such a cell gets a
// leading apostrophe, which Excel shows as text (OWASP's advice).
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
