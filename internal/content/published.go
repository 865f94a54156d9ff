package content

import "strconv"

// Out is a set of the outputs that publish a field.
type Out uint8

const (
	// Page: a page shows the field (the evaluation's own, the lists, the
	// congress table, the booklet, the feed), or its address is made of it.
	Page Out = 1 << iota
	// Search: the search index holds it, as text to find, a facet or a
	// line of a result.
	Search
	// Data: the open data hold it: evaluations.json holds every such
	// field, and the CSV files a summary of them.
	Data
)

// Field is one published text field of a T (Record, Indicator, Report,
// Figure or Site): the key diagnostics name it by, the outputs that publish
// it and how to read it. A list field sets List instead of Text; its items
// are keyed Key[0], Key[1] …, or Key.<item> when ByName is set.
type Field[T any] struct {
	Key    string
	In     Out
	Text   func(*T) string
	List   func(*T) []string
	ByName bool
}

// RecordFields is the one description of what a record publishes, in the
// order of the record; its indicators publish IndicatorFields at every
// level. A field added to Record goes here (and into the outputs that In
// names) or into the not-published list of this package's test: the test
// fails otherwise, and the tests of internal/search and internal/export
// fail when they publish other fields than those marked Search and Data.
//
// The file name (the page's address, keyed "" because it is written under
// no key) comes first. The narrative is not here: it is Markdown,
// published after rendering, and checked on its own.
var RecordFields = []Field[Record]{
	{Key: "", In: Page | Search | Data, Text: func(r *Record) string { return r.Slug }},
	{Key: "title", In: Page | Search | Data, Text: func(r *Record) string { return r.Title }},
	{Key: "department", In: Page | Search | Data, Text: func(r *Record) string { return r.Department }},
	{Key: "kind", In: Page | Search | Data, Text: func(r *Record) string { return r.Kind }},
	{Key: "attachment", In: Page | Data, Text: func(r *Record) string { return r.Attachment }},
	{Key: "evaluator", In: Page | Search | Data, Text: func(r *Record) string { return r.Evaluator }},
	{Key: "tags", In: Page | Data, List: func(r *Record) []string { return r.Tags }},
	// series groups a programme's pages across years; only the open data
	// write the name itself.
	{Key: "series", In: Data, Text: func(r *Record) string { return r.Series }},
	{Key: "grade", In: Page | Search | Data, Text: func(r *Record) string { return r.Grade }},
	// The second edition of the record (forms.go), in the order of the
	// national form; its tables' fields follow in their own lists.
	{Key: "goal", In: Page | Search | Data, Text: func(r *Record) string { return r.Goal }},
	{Key: "outcome", In: Page | Search | Data, Text: func(r *Record) string { return r.Outcome }},
	{Key: "method", In: Page | Data, Text: func(r *Record) string { return r.Method }},
}

// The second edition's tables publish these fields; keys are relative to
// the table's key (funds[1].source, findings[0].problem, review.by).
var (
	FundFields = []Field[Fund]{
		{Key: "source", In: Page | Data, Text: func(f *Fund) string { return f.Source }},
	}
	ReviewFields = []Field[Review]{
		{Key: "by", In: Page | Data, Text: func(r *Review) string { return r.By }},
		{Key: "grade", In: Page | Data, Text: func(r *Review) string { return r.Grade }},
	}
	FindingFields = []Field[Finding]{
		{Key: "problem", In: Page | Search | Data, Text: func(f *Finding) string { return f.Problem }},
		{Key: "measure", In: Page | Search | Data, Text: func(f *Finding) string { return f.Measure }},
		{Key: "owner", In: Page | Data, Text: func(f *Finding) string { return f.Owner }},
		{Key: "status", In: Page | Data, Text: func(f *Finding) string { return f.Status }},
		{Key: "result", In: Page | Search | Data, Text: func(f *Finding) string { return f.Result }},
	}
	ResultUseFields = []Field[ResultUse]{
		{Key: "decision", In: Page | Search | Data, Text: func(u *ResultUse) string { return u.Decision }},
		{Key: "note", In: Page | Search | Data, Text: func(u *ResultUse) string { return u.Note }},
	}
	DocumentFields = []Field[Document]{
		{Key: "file", In: Page | Data, Text: func(d *Document) string { return d.File }},
		{Key: "title", In: Page | Data, Text: func(d *Document) string { return d.Title }},
	}
	CorrectionFields = []Field[Correction]{
		{Key: "note", In: Page | Data, Text: func(c *Correction) string { return c.Note }},
	}
	// An acknowledged discrepancy's reason is shown beside it; its key
	// names a check, not a text of the page, but the open data give it,
	// so that a reader can tell which figure the reason is about.
	AcceptFields = []Field[Accept]{
		{Key: "key", In: Data, Text: func(a *Accept) string { return a.Key }},
		{Key: "reason", In: Page | Data, Text: func(a *Accept) string { return a.Reason }},
	}
)

// IndicatorFields describes what an indicator publishes, at every level, as
// RecordFields does for the record; keys are relative to the indicator's
// Key (indicators[0].items[2].name).
var IndicatorFields = []Field[Indicator]{
	{Key: "name", In: Page | Search | Data, Text: func(in *Indicator) string { return in.Name }},
	{Key: "grade", In: Page | Data, Text: func(in *Indicator) string { return in.Grade }},
	{Key: "target", In: Page | Data, Text: func(in *Indicator) string { return in.Target }},
	{Key: "actual", In: Page | Data, Text: func(in *Indicator) string { return in.Actual }},
	{Key: "deviation", In: Page | Data, Text: func(in *Indicator) string { return in.Deviation }},
}

// ReportFields describes what a year report publishes besides its key
// figures (FigureFields) and its narrative; a report is only on its
// year's page.
var ReportFields = []Field[Report]{
	{Key: "title", In: Page, Text: func(r *Report) string { return r.Title }},
}

// FigureFields describes what a key figure of a year report publishes; keys
// are relative to the figure (figures[3].unit).
var FigureFields = []Field[Figure]{
	{Key: "label", In: Page, Text: func(f *Figure) string { return f.Label }},
	{Key: "value", In: Page, Text: func(f *Figure) string { return f.Value }},
	{Key: "unit", In: Page, Text: func(f *Figure) string { return f.Unit }},
	{Key: "note", In: Page, Text: func(f *Figure) string { return f.Note }},
}

// SiteFields describes what site.toml publishes: the site's title and
// organisation (on every page, in the feed and the open data), its address
// (in the feed, the sitemap and the open data), the names of its grades and
// the details of its footer (on every page).
var SiteFields = []Field[Site]{
	{Key: "title", In: Page | Data, Text: func(s *Site) string { return s.Title }},
	{Key: "organization", In: Page | Data, Text: func(s *Site) string { return s.Organization }},
	{Key: "base_url", In: Page | Data, Text: func(s *Site) string { return s.BaseURL }},
	{Key: "grades", In: Page | Search | Data, ByName: true, List: func(s *Site) []string {
		names := make([]string, len(s.Grades))
		for i, b := range s.Grades {
			names[i] = b.Grade
		}
		return names
	}},
	{Key: "footer.sponsor", In: Page, Text: func(s *Site) string { return s.Footer.Sponsor }},
	{Key: "footer.organizer", In: Page, Text: func(s *Site) string { return s.Footer.Organizer }},
	{Key: "footer.phone", In: Page, Text: func(s *Site) string { return s.Footer.Phone }},
	{Key: "footer.address", In: Page, Text: func(s *Site) string { return s.Footer.Address }},
	{Key: "footer.site_code", In: Page, Text: func(s *Site) string { return s.Footer.SiteCode }},
	{Key: "footer.icp", In: Page, Text: func(s *Site) string { return s.Footer.ICP }},
	{Key: "footer.police_record", In: Page, Text: func(s *Site) string { return s.Footer.PoliceRecord }},
	{Key: "footer.error_report_url", In: Page, Text: func(s *Site) string { return s.Footer.ErrorReportURL }},
	// The 文号 on the cover of the congress booklet.
	{Key: "booklet.document_number", In: Page, Text: func(s *Site) string { return s.Booklet.DocumentNumber }},
}

// Text is one published text of a record, a year report or site.toml: a
// value that a reader finds on a page, in the search index, the open data or
// a feed.
type Text struct {
	// Key names the field as diagnostics do: "title", "tags[1]",
	// "indicators[0].items[2].name", "figures[3].unit", "grades.优". It is
	// empty for a record's file name, which is published as the last
	// segment of the page's address but written under no key.
	Key   string
	Value string
	// In says which outputs publish it.
	In Out
}

// appendTexts appends the non-empty texts of the fields of v, their keys
// prefixed with prefix.
func appendTexts[T any](ts []Text, prefix string, fields []Field[T], v *T) []Text {
	for _, f := range fields {
		if f.List == nil {
			if s := f.Text(v); s != "" {
				ts = append(ts, Text{prefix + f.Key, s, f.In})
			}
			continue
		}
		for i, s := range f.List(v) {
			if s == "" {
				continue
			}
			key := prefix + f.Key + "[" + strconv.Itoa(i) + "]"
			if f.ByName {
				key = prefix + f.Key + "." + s
			}
			ts = append(ts, Text{key, s, f.In})
		}
	}
	return ts
}

// PublishedTexts lists every text of r that is published (RecordFields,
// then IndicatorFields of each indicator, depth first, then the fields of
// the second edition's tables in the order of the national form), with the key a
// diagnostic names it by. Empty values are left out. The narrative
// (Markdown, published after rendering) is not among them: it is
// r.Narrative. The personal-data check scans every one.
func (r *Record) PublishedTexts() []Text {
	ts := appendTexts(make([]Text, 0, 16), "", RecordFields, r)
	var walk func([]*Indicator)
	walk = func(ins []*Indicator) {
		for _, in := range ins {
			ts = appendTexts(ts, in.Key+".", IndicatorFields, in)
			walk(in.Items)
		}
	}
	walk(r.IndicatorTree())
	for _, f := range r.Funds {
		ts = appendTexts(ts, f.Key+".", FundFields, f)
	}
	if r.Review != nil {
		ts = appendTexts(ts, "review.", ReviewFields, r.Review)
	}
	for _, f := range r.Findings {
		ts = appendTexts(ts, f.Key+".", FindingFields, f)
	}
	if r.ResultUse != nil {
		ts = appendTexts(ts, "result_use.", ResultUseFields, r.ResultUse)
	}
	for _, d := range r.Documents {
		ts = appendTexts(ts, d.Key+".", DocumentFields, d)
	}
	for i, c := range r.Corrections {
		ts = appendTexts(ts, "corrections["+strconv.Itoa(i)+"].", CorrectionFields, c)
	}
	for _, a := range r.Accepts {
		ts = appendTexts(ts, a.At+".", AcceptFields, a)
	}
	return ts
}

// PublishedTexts lists every text of a year report that is published, as
// Record.PublishedTexts does: ReportFields, then FigureFields of each key
// figure. The narrative is r.Narrative.
func (r *Report) PublishedTexts() []Text {
	ts := appendTexts(make([]Text, 0, 1+4*len(r.Figures)), "", ReportFields, r)
	for i := range r.Figures {
		ts = appendTexts(ts, "figures["+strconv.Itoa(i)+"].", FigureFields, &r.Figures[i])
	}
	return ts
}

// PublishedTexts lists every text of site.toml that is published
// (SiteFields).
func (s *Site) PublishedTexts() []Text {
	return appendTexts(make([]Text, 0, 3+len(s.Grades)), "", SiteFields, s)
}
