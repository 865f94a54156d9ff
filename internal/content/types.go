package content

import (
	"strconv"
	"time"

	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// Content is a whole loaded content tree.
type Content struct {
	Site    Site
	Reports []*Report // sorted by year
	Records []*Record // sorted by year, then slug
}

// Band is one grade band: a grade and its inclusive lower bound.
type Band struct {
	Grade string
	Min   decimal.D
	Pos   diag.Pos
}

// Site is site.toml.
type Site struct {
	File         string
	Title        string
	Organization string
	BaseURL      string // absolute, ends in "/"
	BasePath     string // the path of BaseURL, e.g. "/jxgk/"
	TimeZone     string // IANA name; default Asia/Shanghai
	// Location is TimeZone resolved, the one the whole build reads dates
	// in (what is published yet, the feed's times); never nil in a Site
	// that Load returns.
	Location *time.Location
	// Grades are the grade bands, highest bound first. Defaults to the
	// national rule 优 90, 良 80, 中 60, 差 0.
	Grades []Band
	// Footer holds the government-site details of every page's footer.
	Footer Footer
	// Booklet holds what the cover of the printed booklet for the
	// people's congress carries: the 文号 and the date.
	Booklet BookletCover
	// Favicon is the site's icon as site.toml names it: a clean slash
	// path inside the content folder, "" for the default (see IconPath).
	Favicon string
	// Pos tells where each key of site.toml stands, as Record.Pos does.
	Pos *Positions
}

// Kinds are the allowed values of a record's kind, with their Chinese names.
var Kinds = map[string]string{
	"project":    "项目支出",
	"department": "部门整体支出",
	"policy":     "政策",
	"fiscal":     "财政运行综合",
}

// Record is one evaluation: the TOML record and, if present, its narrative.
type Record struct {
	// File names the record in diagnostics and errors: its path in the
	// content folder joined to the prefix given to Load, with '/'
	// ("content/2023/evaluations/roads.toml"). It is not a path to open
	// in fsys.
	File string
	// Slug is the base name shared by record and narrative.
	Slug string
	// Narrative is the Markdown source, nil when there is no .md file
	// or when LoadWith dropped it (see ReadNarrative).
	Narrative     []byte
	NarrativeFile string
	// narrativeName is the narrative's name in the content's fs.FS;
	// narrativeDropped is set when LoadWith dropped the source, and
	// narrativeSum is then the hash of the text that was checked, for
	// ReadNarrative.
	narrativeName    string
	narrativeDropped bool
	narrativeSum     uint64
	// Folder is the record's own folder of images and documents (named
	// like the record), relative to the content root; "" when it has none.
	Folder string
	// path is Path's string once the load has settled the year and the
	// slug (KeepPath); "" before.
	path string

	Title      string
	Department string
	Year       int
	Kind       string // one of Kinds; default "project"
	Attachment string
	Evaluator  string
	Budget     *decimal.Amount // 万元, as written
	Spent      *decimal.Amount // 万元, as written
	Published  *Date
	Draft      bool
	Congress   bool
	Tags       []string
	Series     string
	Score      *decimal.D // stated total
	Grade      string     // stated grade, "" if none

	// Indicators is the indicator tree as loaded; nil once frozen (see
	// FreezeIndicators): read it with IndicatorTree.
	Indicators []*Indicator
	// frozen is the packed tree of a frozen record (freeze.go).
	frozen []byte

	// The second edition of the record: what real forms carry besides
	// the abstract's figures (see forms.go). All optional.

	// BudgetInitial is 年初预算数 in 万元, as written.
	BudgetInitial *decimal.Amount
	// ExecutionRate is 执行率 in percent as published (99.97); package
	// score checks it against Spent ÷ Budget × 100 at its written places.
	ExecutionRate *decimal.Amount
	// Funds are the money block's rows by source of funds (资金来源).
	Funds []*Fund
	// Goal is 年度总体目标（预期目标）, Outcome its 实际完成情况.
	Goal, Outcome string
	// Method is how the evaluation was made, one of Methods; "" if not
	// stated.
	Method string
	// Review is a second scoring of the same form (复核), nil if none.
	Review *Review
	// Findings are the problems found and their rectification (整改).
	Findings []*Finding
	// ResultUse is how the result is applied to the next budget (结果
	// 应用), nil if not stated.
	ResultUse *ResultUse
	// Documents are the original files published beside the page.
	Documents []*Document
	// Corrections are the record's 更新记录, as written (see Updated).
	Corrections []*Correction
	// Accepts acknowledge known, deliberate discrepancies by the key a
	// check names; package score reports a matched check as a note.
	Accepts []*Accept
	// AcceptedWarnings are the loader's own warnings that Accepts
	// matched (reported as notes); package score adds its own to them
	// in Evaluation.Acknowledged.
	AcceptedWarnings []Acknowledgement

	// AllowPersonalData lists personal data (a service hotline's mobile
	// number, an office e-mail) that the record publishes on purpose; the
	// personal-data check lets these through (allow_personal_data).
	AllowPersonalData []string

	// Pos tells where each key ("score", "indicators[1].items[0].max")
	// stands in the file, for messages of later stages.
	Pos *Positions
}

// Path is the address of the record's page relative to the site root,
// "2023/disability-subsidies/": the year folder and the slug. Every output
// that names the page (pages, search index, open data, feeds) asks here.
func (r *Record) Path() string {
	if r.path != "" {
		return r.path
	}
	return YearPath(r.Year) + r.Slug + "/"
}

// KeepPath makes Path return one string, made once, for a record whose
// year and slug are settled (a loaded one): the page's address is a key
// of a build's maps and lists, and at 100,000 evaluations a string made
// at each call was some 380,000 strings held at a time.
func (r *Record) KeepPath() {
	r.path = ""
	r.path = r.Path()
}

// YearPath is the address of a year's page relative to the site root,
// "2023/", the folder of its evaluations' pages. Every output that names
// the year's page asks here.
func YearPath(year int) string { return strconv.Itoa(year) + "/" }

// At returns the position of key, or the file itself if the key is absent.
func (r *Record) At(key string) diag.Pos {
	if p, ok := r.Pos.At(key); ok {
		return p
	}
	return diag.Pos{File: r.File}
}

// Indicator is one row of the score table at any level.
type Indicator struct {
	// Key is the indicator's path in the record, e.g. "indicators[1]" or
	// "indicators[1].items[0]"; fields are Key+".score" and so on.
	Key    string
	Name   string
	Max    decimal.D
	Score  decimal.D
	Grade  string // stated grade, "" if none
	Target string // 年度指标值 as written
	Actual string // 实际完成值 as written
	// Deviation is 偏差原因分析及改进措施, at any level.
	Deviation string
	Items     []*Indicator
}

// Date is a calendar date as written in TOML (2024-04-30), without a time.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's location: the build's date
// in the site's time zone, for the checks and states that depend on it.
func DateOf(t time.Time) Date { return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()} }

// String formats the date as 2024-04-30.
func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// In returns the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Report is a year's work report (report.toml and report.md).
type Report struct {
	File          string
	Year          int
	Title         string
	Published     *Date
	Figures       []Figure
	Narrative     []byte
	NarrativeFile string
	// AllowPersonalData is as in Record.
	AllowPersonalData []string
	Pos               *Positions
}

// Figure is one key figure of a year report: 448 个 项目绩效目标.
type Figure struct {
	Label string
	Value string // as written, e.g. "11.52"
	Unit  string
	// Note is an optional longer explanation.
	Note string
}
