package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content/contenttest"
)

// notPublished lists the text fields of the content types that no reader
// sees, each with the reason. Every other text field must be in the
// PublishedTexts of its type: TestPublishedTextsAreComplete fails when a
// new field is in neither list.
var notPublished = map[string]string{
	"Record.File":              "a path on the staffer's disk; the page's address is the slug",
	"Record.NarrativeFile":     "as File",
	"Record.Narrative":         "Markdown, published after rendering; checked on its own",
	"Record.Folder":            "as File; the files in it are checked one by one",
	"Record.AllowPersonalData": "acknowledgements for the check, never shown",
	"Indicator.Key":            "the key diagnostics use",
	"Report.File":              "as Record.File",
	"Report.NarrativeFile":     "as Record.File",
	"Report.Narrative":         "as Record.Narrative",
	"Report.AllowPersonalData": "as Record.AllowPersonalData",
	"Site.File":                "as Record.File",
	"Site.BasePath":            "the path of BaseURL, which is published",
	"Site.TimeZone":            "decides dates, is not shown",
	"Site.Favicon":             "a file's path in the content folder; the icon is published under a fixed name",
	"Pos.File":                 "a position for messages",
	// The second edition (forms.go).
	"Fund.Key":     "the key diagnostics use",
	"Finding.Key":  "the key diagnostics use",
	"Document.Key": "the key diagnostics use",
	"Accept.At":    "the key diagnostics use",
	// What the checks found and the reason they were acknowledged: the
	// reason is published through Accept.Reason, the rest is the
	// checker's own wording.
	"Acknowledgement.Key":     "names a check, as Accept.Key",
	"Acknowledgement.Reason":  "a copy of Accept.Reason, which is published",
	"Acknowledgement.Message": "the checker's message, made from published fields",
}

// TestPublishedTextsAreComplete fills every text field of Record, Report and
// Site (and so of Indicator, Figure and Band, which they hold) and checks
// that each one is either published or in notPublished, never both: a new
// field must be placed in one list or the other.
func TestPublishedTextsAreComplete(t *testing.T) {
	for _, c := range []struct{ v any }{{new(Record)}, {new(Report)}, {new(Site)}} {
		fields := contenttest.Fill(c.v, contenttest.Marks)
		var texts []Text
		switch v := c.v.(type) {
		case *Record:
			texts = v.PublishedTexts()
		case *Report:
			texts = v.PublishedTexts()
		case *Site:
			texts = v.PublishedTexts()
		}
		published := map[string]bool{}
		for _, tx := range texts {
			published[fields[tx.Value]] = true
			if _, ok := fields[tx.Value]; !ok {
				t.Errorf("%T: published %+v is no field's value", c.v, tx)
			}
		}
		names := slices.Sorted(maps.Values(fields))
		for _, name := range slices.Compact(names) {
			_, not := notPublished[name]
			switch {
			case published[name] && not:
				t.Errorf("%s is published but listed in notPublished", name)
			case !published[name] && !not:
				t.Errorf("%s is neither published (RecordFields, IndicatorFields … in published.go) nor in notPublished: add it to one", name)
			}
		}
	}
}

// TestPublishedTextKeys checks the keys, which diagnostics name and which
// Record.At finds in the file.
func TestPublishedTextKeys(t *testing.T) {
	c, ds := load(t, map[string]string{
		rec: `title = "两项补贴"
department = "民政局"
year = 2023
evaluator = "财政局"
tags = ["民生", "残疾人"]
series = "subsidies"
grade = "优"
[[indicators]]
name = "产出"
max = 100
score = 95
  [[indicators.items]]
  name = "发放率"
  max = 100
  score = 95
  target = "100%"
  actual = 99.5
`,
		"2023/report.toml": "title = \"工作情况\"\n[[figures]]\nlabel = \"项目\"\nvalue = 448\nunit = \"个\"\n",
	})
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	var got []string
	for _, tx := range c.Records[0].PublishedTexts() {
		got = append(got, fmt.Sprintf("%s@%d=%s", tx.Key, c.Records[0].At(tx.Key).Line, tx.Value))
	}
	want := "@0=a title@1=两项补贴 department@2=民政局 kind@0=project evaluator@4=财政局 tags[0]@5=民生 tags[1]@5=残疾人 " +
		"series@6=subsidies grade@7=优 indicators[0].name@9=产出 indicators[0].items[0].name@13=发放率 " +
		"indicators[0].items[0].target@16=100% indicators[0].items[0].actual@17=99.5"
	if strings.Join(got, " ") != want {
		t.Errorf("Record.PublishedTexts:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	got = got[:0]
	for _, tx := range c.Reports[0].PublishedTexts() {
		got = append(got, tx.Key+"="+tx.Value)
	}
	if want := "title=工作情况 figures[0].label=项目 figures[0].value=448 figures[0].unit=个"; strings.Join(got, " ") != want {
		t.Errorf("Report.PublishedTexts = %s, want %s", strings.Join(got, " "), want)
	}
	got = got[:0]
	for _, tx := range c.Site.PublishedTexts() {
		got = append(got, tx.Key+"="+tx.Value)
	}
	if want := "title=潜江市财政局 预算绩效评价结果公开 organization=潜江市财政局 base_url=https://czj.example.gov.cn/jxgk/ grades.优=优 grades.良=良 grades.中=中 grades.差=差"; strings.Join(got, " ") != want {
		t.Errorf("Site.PublishedTexts = %s, want %s", strings.Join(got, " "), want)
	}
}

// TestFieldLists checks the lists of published fields themselves: each field
// is read one way, has a key of its own and is published somewhere.
func TestFieldLists(t *testing.T) {
	checkFields(t, "RecordFields", RecordFields)
	checkFields(t, "IndicatorFields", IndicatorFields)
	checkFields(t, "ReportFields", ReportFields)
	checkFields(t, "FigureFields", FigureFields)
	checkFields(t, "SiteFields", SiteFields)
}

func checkFields[T any](t *testing.T, list string, fields []Field[T]) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range fields {
		if (f.Text == nil) == (f.List == nil) {
			t.Errorf("%s %q: set exactly one of Text and List", list, f.Key)
		}
		if f.ByName && f.List == nil {
			t.Errorf("%s %q: ByName without List", list, f.Key)
		}
		if f.In == 0 || f.In&^(Page|Search|Data) != 0 {
			t.Errorf("%s %q: In = %b, want a set of Page, Search and Data", list, f.Key, f.In)
		}
		if seen[f.Key] {
			t.Errorf("%s: key %q twice", list, f.Key)
		}
		seen[f.Key] = true
	}
}
