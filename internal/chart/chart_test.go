package chart

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	nethtml "golang.org/x/net/html"
	"html"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

func d(s string) decimal.D {
	v, err := decimal.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ptr(v decimal.D) *decimal.D { return &v }

// amount returns an amount written as s.
func amount(s string) *decimal.Amount {
	a, err := decimal.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return &a
}

func ind(name, max, score, grade string) *content.Indicator {
	return &content.Indicator{Name: name, Max: d(max), Score: d(score), Grade: grade}
}

// seed returns the default content's two evaluations (附件1, 附件2), as
// score.Evaluate computes them.
func seed(t testing.TB) []*score.Evaluation {
	t.Helper()
	a := &content.Record{File: "2023/evaluations/disability-subsidies.toml", Slug: "disability-subsidies",
		Title: "残疾人“两项补贴”项目", Department: "潜江市民政局", Year: 2023, Attachment: "附件1",
		Score: ptr(d("93.5")), Grade: "优",
		Indicators: []*content.Indicator{
			ind("项目决策", "20", "17", "良"), ind("项目过程", "30", "26.5", "优"),
			ind("项目产出", "30", "30", "优"), ind("项目效果", "20", "20", "优"),
		}}
	b := &content.Record{File: "2023/evaluations/digital-city-management.toml", Slug: "digital-city-management",
		Title: "“数字化城管运行经费”项目", Department: "潜江市数字城管监督指挥中心", Year: 2023, Attachment: "附件2",
		Budget: amount("45"), Spent: amount("52.88"), Score: ptr(d("92")), Grade: "优",
		Indicators: []*content.Indicator{
			ind("项目决策", "20", "18", "优"), ind("项目过程", "20", "17", "良"),
			ind("项目产出", "40", "37", "优"), ind("项目效益", "20", "20", "优"),
		}}
	return score.Evaluate([]*content.Record{a, b}, score.DefaultBands, &diag.List{})
}

// many returns n evaluations spread over depts departments, every fifth
// grade-only, every third without a budget, scores from 55 to 99.
func many(n, depts int) []*score.Evaluation {
	records := make([]*content.Record, n)
	for i := range records {
		r := &content.Record{File: fmt.Sprintf("2023/evaluations/e%d.toml", i), Slug: fmt.Sprintf("e%d", i),
			Title: fmt.Sprintf("项目%d", i), Department: fmt.Sprintf("潜江市第%d号很长名称的管理局", i%depts), Year: 2023}
		if i%5 == 4 {
			r.Grade = []string{"优", "良", "中", "差"}[i%4]
		} else {
			s := decimal.FromInt(int64(55 + i*7%45))
			r.Indicators = []*content.Indicator{{Name: "决策", Max: d("20"), Score: d("20")}, {Name: "其他", Max: d("80"), Score: s - d("20")}}
		}
		if i%3 != 0 {
			r.Budget = &decimal.Amount{Value: decimal.FromInt(int64(10 + i%90))}
		}
		records[i] = r
	}
	return score.Evaluate(records, score.DefaultBands, &diag.List{})
}

// golden compares got with testdata/name.golden.json, or rewrites it.
func golden(t *testing.T, name string, got *Chart) {
	t.Helper()
	// The golden file shows the whole chart, option indented for review.
	var option any
	if err := json.Unmarshal([]byte(got.Option), &option); err != nil {
		t.Fatalf("%s: option is not JSON: %v", name, err)
	}
	view := struct {
		*Chart
		Option any
	}{got, option}
	b, err := json.MarshalIndent(view, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/chart -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from %s; run go test ./internal/chart -update and inspect the diff", name, path)
	}
}

func TestGolden(t *testing.T) {
	evals := seed(t)
	c, err := Indicators(evals[0], score.DefaultBands)
	if err != nil || c == nil {
		t.Fatalf("Indicators = %v, %v", c, err)
	}
	golden(t, "indicators", c)
	year, err := Year(2023, evals, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range year {
		ids = append(ids, c.ID)
		golden(t, strings.TrimPrefix(c.ID, "chart-"), c)
	}
	if got, want := strings.Join(ids, " "), "chart-grades-2023 chart-scores-2023 chart-departments-2023 chart-funds-2023"; got != want {
		t.Errorf("year charts %s, want %s", got, want)
	}
}

// build returns every chart of evals, for the tests that check them all.
func build(t *testing.T, evals []*score.Evaluation, bands score.Bands) []*Chart {
	t.Helper()
	out, err := Year(2023, evals, bands)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evals {
		c, err := Indicators(e, bands)
		if err != nil {
			t.Fatal(err)
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	first := build(t, many(200, 40), score.DefaultBands)
	for range 5 {
		again := build(t, many(200, 40), score.DefaultBands)
		if len(again) != len(first) {
			t.Fatalf("%d charts, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Option != again[i].Option || first[i].Description != again[i].Description {
				t.Fatalf("%s: two builds differ", first[i].ID)
			}
		}
	}
}

func TestListOnlyHasNoChart(t *testing.T) {
	r := &content.Record{File: "x.toml", Title: "t", Department: "d", Year: 2023, Score: ptr(d("88"))}
	e := score.Evaluate([]*content.Record{r}, score.DefaultBands, &diag.List{})[0]
	if c, err := Indicators(e, score.DefaultBands); c != nil || err != nil {
		t.Errorf("Indicators of a list-only record = %v, %v; want no chart", c, err)
	}
}

func TestEmptyYear(t *testing.T) {
	charts, err := Year(2023, nil, score.DefaultBands)
	if len(charts) != 0 || err != nil {
		t.Errorf("Year(no evaluations) = %d charts, %v; want none", len(charts), err)
	}
	// Grade-only disclosures without budgets: grades and departments only.
	r := &content.Record{File: "x.toml", Title: "t", Department: "d", Year: 2023, Grade: "良"}
	evals := score.Evaluate([]*content.Record{r}, score.DefaultBands, &diag.List{})
	charts, err = Year(2023, evals, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range charts {
		ids = append(ids, c.ID)
	}
	if got, want := strings.Join(ids, " "), "chart-grades-2023 chart-departments-2023"; got != want {
		t.Errorf("charts of a grade-only year: %s, want %s", got, want)
	}
}

func TestHostileText(t *testing.T) {
	hostile := []string{
		`</script><script>alert(1)</script>`,
		`"><img src=x onerror=alert(1)>`,
		"line\u2028sep\u2029para",
		`{a}{b}{c} ${x} \u003c & ' "`,
		`<!--`,
	}
	for _, h := range hostile {
		r := &content.Record{File: "x.toml", Title: h, Department: h, Year: 2023, Budget: amount("1"),
			Indicators: []*content.Indicator{ind(h, "100", "90", "")}}
		bands := score.Bands{{Grade: h, Min: d("50")}, {Grade: "差", Min: 0}}
		evals := score.Evaluate([]*content.Record{r}, bands, &diag.List{})
		for _, c := range build(t, evals, bands) {
			for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
				if strings.Contains(c.Option, bad) {
					t.Errorf("%s option for %q contains a raw %q", c.ID, h, bad)
				}
			}
			if strings.Contains(strings.ToLower(c.Option), "</script") {
				t.Errorf("%s option contains </script", c.ID)
			}
			// The text survives as data: decoding gives it back.
			var v any
			if err := json.Unmarshal([]byte(c.Option), &v); err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			if s := fmt.Sprint(v); !strings.Contains(s, wrap(h, 8, 2)) && !strings.Contains(s, h) {
				t.Errorf("%s lost the text %q", c.ID, h)
			}
		}
	}
}

func TestIDs(t *testing.T) {
	for _, c := range build(t, many(20, 3), score.DefaultBands) {
		for _, r := range c.ID {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
				t.Errorf("ID %q has %q", c.ID, r)
			}
		}
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		name       string
		n, depts   int
		maxOption  int // bytes
		deptHeight int
		deptRows   int
		deptBars   int
	}{
		{"one", 1, 1, 4 << 10, 240, 1, 1},
		{"ten departments", 50, 10, 6 << 10, 400, 10, 10},
		{"five hundred", 500, 80, 12 << 10, 960, 80, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			charts, err := Year(2023, many(tt.n, tt.depts), score.DefaultBands)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range charts {
				if len(c.Option) > tt.maxOption {
					t.Errorf("%s: option is %d bytes, want ≤ %d", c.ID, len(c.Option), tt.maxOption)
				}
				if !containsInt(Heights, c.Height) {
					t.Errorf("%s: height %d is not one of %v", c.ID, c.Height, Heights)
				}
				if !strings.HasPrefix(c.ID, "chart-departments-") {
					continue
				}
				if c.Height != tt.deptHeight || len(c.Table.Rows) != tt.deptRows {
					t.Errorf("%s: height %d, %d table rows; want %d, %d", c.ID, c.Height, len(c.Table.Rows), tt.deptHeight, tt.deptRows)
				}
				var o struct {
					YAxis []struct{ Data []string }
				}
				if err := json.Unmarshal([]byte(c.Option), &o); err != nil {
					t.Fatal(err)
				}
				if len(o.YAxis) != 1 || len(o.YAxis[0].Data) != tt.deptBars {
					t.Errorf("%s: %d bars, want %d", c.ID, len(o.YAxis[0].Data), tt.deptBars)
				}
			}
		})
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestScoreBins(t *testing.T) {
	// Bounds of the default bands fall on bins of 5; a band at 85.5 splits
	// its bin, so that every bin has one grade.
	bands := score.Bands{{Grade: "优", Min: d("85.5")}, {Grade: "良", Min: d("70")}, {Grade: "差", Min: 0}}
	var records []*content.Record
	for _, s := range []string{"85.49", "85.5", "100", "59.99", "60", "0"} {
		records = append(records, &content.Record{File: "x.toml", Title: s, Department: "d", Year: 2023, Score: ptr(d(s))})
	}
	c, err := ScoreDistribution(2023, score.Evaluate(records, bands, &diag.List{}), bands)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Table.Rows {
		got = append(got, strings.Join(r, ":"))
	}
	want := "60 以下:2:差 60–65:1:差 65–70:0:差 70–75:0:良 75–80:0:良 80–85:0:良 85–85.5:1:良 85.5–90:1:优 90–95:0:优 95–100:1:优"
	if strings.Join(got, " ") != want {
		t.Errorf("bins\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestNotANumber(t *testing.T) {
	b := bar{Categories: []string{"a"}, Items: []item{{Value: func() float64 { var z float64; return z / z }()}}, Grades: []string{"优"}}
	if _, err := b.option(); err == nil {
		t.Error("option with NaN: no error")
	}
}

func TestWrap(t *testing.T) {
	tests := []struct{ in, want string }{
		{"项目决策", "项目决策"},
		{"潜江市数字城管监督指挥中心", "潜江市数字城管监\n督指挥中心"},
		{"一二三四五六七八九十一二三四五六七八", "一二三四五六七八\n九十一二三四五…"},
		{"  a\n b  ", "a b"},
	}
	for _, tt := range tests {
		if got := wrap(tt.in, 8, 2); got != tt.want {
			t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkSite builds every chart of a 10,000-evaluation site: one per
// evaluation and a year's four over all of them (the worst case: one year).
func BenchmarkSite(b *testing.B) {
	evals := many(10000, 80)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Year(2023, evals, score.DefaultBands); err != nil {
			b.Fatal(err)
		}
		for _, e := range evals {
			if _, err := Indicators(e, score.DefaultBands); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestOptionAttr checks that the option's attribute holds the option as
// text whatever it contains: the HTML parser's decoding gives it back, and
// no character of it can end the attribute or the tag.
func TestOptionAttr(t *testing.T) {
	c := &Chart{Option: `{"a":"\"'</div><script>alert(1)</script>&amp;&#34;&#39;` + "\u2028" + `"}`}
	var b strings.Builder
	tmpl := template.Must(template.New("").Parse(`<div {{.OptionAttr}}></div>`))
	if err := tmpl.Execute(&b, c); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	const open, end = `<div data-chart-option='`, `'></div>`
	if !strings.HasPrefix(page, open) || !strings.HasSuffix(page, end) {
		t.Fatalf("page %s is not one div with the attribute", page)
	}
	value := strings.TrimSuffix(strings.TrimPrefix(page, open), end)
	if strings.ContainsAny(value, `'<>`) {
		t.Errorf("attribute value %s holds a character that can end it", value)
	}
	if got := html.UnescapeString(value); got != c.Option {
		t.Errorf("the attribute decodes to %s, want %s", got, c.Option)
	}
	// And so does a browser's parser.
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for _, a := range n.Attr {
			if a.Key == "data-chart-option" {
				got = a.Val
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if got != c.Option {
		t.Errorf("the HTML parser reads the attribute as %s, want %s", got, c.Option)
	}
}

func TestAxisNames(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		// The place all names share is left out, up to its 市.
		{[]string{"潜江市民政局", "潜江市数字城管监督指挥中心"}, []string{"民政局", "数字城管监督指挥中心"}},
		// Longer than one line holds: cut, with "…".
		{[]string{"测试市住房和城乡建设局（市人民防空办公室）", "测试市农业农村局"}, []string{"住房和城乡建设局（…", "农业农村局"}},
		// Nothing shared, or a name that would be left too short: kept whole.
		{[]string{"潜江市民政局", "天门市民政局"}, []string{"潜江市民政局", "天门市民政局"}},
		{[]string{"潜江市民政局", "潜江市局"}, []string{"潜江市民政局", "潜江市局"}},
		// One department: its name as it is.
		{[]string{"潜江市民政局"}, []string{"潜江市民政局"}},
		// A shared prefix that is not a place is not cut.
		{[]string{"市场监督管理局", "市场服务中心"}, []string{"市场监督管理局", "市场服务中心"}},
	}
	for _, tt := range tests {
		if got := axisNames(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("axisNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSentences checks the rule of Chart.Informative: a year's chart with
// fewer than two bars to show is said in a sentence instead.
func TestSentences(t *testing.T) {
	evals := seed(t)
	sentences := func(evals []*score.Evaluation) map[string]string {
		t.Helper()
		charts, err := Year(2023, evals, score.DefaultBands)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, c := range charts {
			if c.Informative() != (c.Sentence == "") {
				t.Errorf("%s: Informative() = %v with sentence %q", c.ID, c.Informative(), c.Sentence)
			}
			out[strings.TrimSuffix(c.ID, "-2023")] = c.Sentence
		}
		return out
	}
	tests := []struct {
		name  string
		evals []*score.Evaluation
		want  map[string]string
	}{
		{"one record", evals[:1], map[string]string{
			"chart-grades":      "2023 年公开的 1 项评价，等级为优。",
			"chart-scores":      "2023 年有综合得分的 1 项评价，得分在 90–95 分。",
			"chart-departments": "2023 年公开的 1 项评价是潜江市民政局的。",
		}},
		// The seed: two records of one grade, in one bin, one budget; two
		// departments are worth a chart.
		{"seed", evals, map[string]string{
			"chart-grades":      "2023 年公开的 2 项评价，等级均为优。",
			"chart-scores":      "2023 年有综合得分的 2 项评价，得分均在 90–95 分。",
			"chart-departments": "",
			"chart-funds":       "2023 年公布预算的 1 项评价涉及资金 45 万元，等级为优。另有 1 项未公布预算金额。",
		}},
		{"many", many(50, 10), map[string]string{
			"chart-grades": "", "chart-scores": "", "chart-departments": "", "chart-funds": "",
		}},
	}
	for _, tt := range tests {
		got := sentences(tt.evals)
		for id, want := range tt.want {
			if g, ok := got[id]; !ok || g != want {
				t.Errorf("%s: %s sentence %q (drawn: %v), want %q", tt.name, id, g, ok, want)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: charts %v, want %v", tt.name, got, tt.want)
		}
	}
	// A single department of several records, and scores under 60.
	r := []*content.Record{
		{File: "a.toml", Slug: "a", Title: "a", Department: "潜江市民政局", Year: 2023, Score: ptr(d("50")), Budget: amount("10")},
		{File: "b.toml", Slug: "b", Title: "b", Department: "潜江市民政局", Year: 2023, Score: ptr(d("40")), Budget: amount("5")},
	}
	got := sentences(score.Evaluate(r, score.DefaultBands, &diag.List{}))
	for id, want := range map[string]string{
		"chart-grades":      "2023 年公开的 2 项评价，等级均为差。",
		"chart-scores":      "2023 年有综合得分的 2 项评价，得分均在 60 分以下。",
		"chart-departments": "2023 年公开的 2 项评价均是潜江市民政局的，平均得分 45 分。",
		"chart-funds":       "2023 年公布预算的 2 项评价共涉及资金 15 万元，等级均为差。",
	} {
		if got[id] != want {
			t.Errorf("one department: %s sentence %q, want %q", id, got[id], want)
		}
	}
}

// TestThemeInChartsJS checks that assets/js/charts.js registers the theme
// the options are made for (see theme.go).
func TestThemeInChartsJS(t *testing.T) {
	js, err := os.ReadFile("../../assets/js/charts.js")
	if err != nil {
		t.Fatal(err)
	}
	want := "  const THEME = " + Theme() + ";\n"
	if !strings.Contains(string(js), want) {
		t.Errorf("assets/js/charts.js does not hold the theme of the options; its line const THEME should be:\n%s", want)
	}
}

// TestOptionDecals checks when an option names its series' patterns: not
// when each series is the grade of its place, whose pattern the theme
// gives; and when a series of items without a grade follows the grades,
// whose place in the theme holds another grade's pattern.
func TestOptionDecals(t *testing.T) {
	grades := []string{"优", "良", "中", "差"}
	decalsOf := func(items []item) []decal {
		b := bar{Categories: []string{"a", "b"}, Items: items, Grades: grades}
		s, err := b.option()
		if err != nil {
			t.Fatal(err)
		}
		var o struct {
			Aria struct {
				Decal *struct{ Decals []decal }
			}
		}
		if err := json.Unmarshal([]byte(s), &o); err != nil {
			t.Fatal(err)
		}
		if o.Aria.Decal == nil {
			return nil
		}
		return o.Aria.Decal.Decals
	}
	if d := decalsOf([]item{{Value: 90, Rank: 0}, {Value: 70, Rank: 2}}); d != nil {
		t.Errorf("graded items: the option names patterns %v, which are the theme's", d)
	}
	d := decalsOf([]item{{Value: 90, Rank: 0}, {Value: 70, Rank: -1}})
	if len(d) != len(grades)+1 || !reflect.DeepEqual(d[len(grades)], ungraded.Decal) || !reflect.DeepEqual(d[0], gradeStyles[0].Decal) {
		t.Errorf("with an ungraded item the option names patterns %v, want the 4 grades' and then %v", d, ungraded.Decal)
	}
}
