package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/sitetest"
)

// echartsFile is the ECharts build of tools/echarts, made by `make`.
const echartsFile = "../../assets/vendor/echarts/echarts.min.js"

// pageTemplate is a page around the "chart" figure of the site's own
// templates/charts.html, with its stylesheet and the two scripts a page
// with charts loads, tagged as templates/layout.html tags them.
const pageTemplate = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>图表</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="site.css">
<script defer src="echarts.min.js"></script>
<script defer src="charts.js"></script>
</head><body><main><h1>图表</h1>{{range .}}{{template "chart" .}}{{end}}</main></body></html>`

// writePage writes a page of charts with the scripts and styles it needs to
// a new folder, and returns the folder.
func writePage(t *testing.T, charts []*Chart, echarts string) string {
	t.Helper()
	tmpl := template.Must(template.New("page").Parse(pageTemplate))
	template.Must(tmpl.ParseFiles("../../templates/charts.html"))
	var page bytes.Buffer
	if err := tmpl.ExecuteTemplate(&page, "page", charts); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{"index.html": page.Bytes(), "echarts.min.js": []byte(echarts)}
	for name, src := range map[string]string{"charts.js": "../../assets/js/charts.js", "site.css": "../../assets/css/site.css"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBrowser draws the seed's charts and a hostile record's in headless
// Chromium, under the site's CSP, and checks that every chart is drawn as
// SVG with no error, no CSP violation and no accessibility violation; and
// that without ECharts the page still loads without error.
func TestBrowser(t *testing.T) {
	echarts, err := os.ReadFile(echartsFile)
	if err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("EVALPRESS_REQUIRE_BROWSER") == "1" {
			t.Fatalf("%v: build it with make (node tools/echarts/build.mjs)", err)
		}
		t.Skipf("%v: build it with make (node tools/echarts/build.mjs)", err)
	}
	evals := seed(t)
	hostile := `</script><script>alert(1)</script>"'&{b}`
	r := &content.Record{File: "x.toml", Title: hostile, Department: hostile, Year: 2023,
		Indicators: []*content.Indicator{ind(hostile, "100", "59", "")}}
	evals = append(evals, score.Evaluate([]*content.Record{r}, score.DefaultBands, &diag.List{})...)
	// Only the charts worth drawing are drawn; the others are their
	// sentence (the seed's funds chart: one budget).
	var charts []*Chart
	for _, c := range build(t, evals, score.DefaultBands) {
		if c.Informative() {
			charts = append(charts, c)
		}
	}

	ctx := sitetest.NewBrowser(t)
	for _, tt := range []struct {
		name    string
		echarts string
		drawn   int
	}{
		{"drawn", string(echarts), len(charts)},
		{"echarts missing", "", 0},
		{"echarts broken", "throw new Error('broken')", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := sitetest.ServeDir(t, writePage(t, charts, tt.echarts), "/jxgk/")
			issues, err := sitetest.LoadPage(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range issues {
				if tt.name == "echarts broken" && i.Kind == "exception" && strings.Contains(i.Text, "broken") {
					continue // the broken file's own error; charts.js must not add one
				}
				t.Errorf("%s", i)
			}
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[struct {
				Drawn, SVGs int
				Labels      []string
			}](`({
				Drawn: document.querySelectorAll('.chart[data-chart-drawn]').length,
				SVGs: document.querySelectorAll('.chart.chart-on svg').length,
				Labels: Array.from(document.querySelectorAll('.chart'), e => e.getAttribute('aria-label') || ''),
			})`))
			if err != nil {
				t.Fatal(err)
			}
			drawn, svgs, labels := got.Drawn, got.SVGs, got.Labels
			if drawn != tt.drawn || svgs != tt.drawn {
				t.Errorf("%d charts drawn, %d SVGs; want %d of %d", drawn, svgs, tt.drawn, len(charts))
			}
			if tt.drawn == 0 {
				return
			}
			// The chart's text alternative is its figure's caption and
			// description (aria-labelledby, aria-describedby): ECharts
			// must not name the element otherwise.
			for i, c := range charts {
				if labels[i] != "" {
					t.Errorf("%s: ECharts gave the chart the aria-label %q beside its caption", c.ID, labels[i])
				}
			}
			vs, err := sitetest.Axe(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("axe: %s", v)
			}
		})
	}

	// evalpress build says the built site may be opened straight from the
	// disk: the charts must be drawn there too. Browsers refuse ES module
	// scripts from file:// URLs, which is why charts.js is a classic one.
	t.Run("opened from the disk", func(t *testing.T) {
		page := filepath.Join(writePage(t, charts, string(echarts)), "index.html")
		u := &url.URL{Scheme: "file", Path: "/" + strings.TrimPrefix(filepath.ToSlash(page), "/")}
		tab, closeTab := chromedp.NewContext(ctx)
		defer closeTab()
		if err := chromedp.Do(tab, chromedp.Navigate(u.String())); err != nil {
			t.Fatal(err)
		}
		drawn, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('.chart[data-chart-drawn]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if drawn != len(charts) {
			t.Errorf("from %s: %d charts drawn, want %d", u, drawn, len(charts))
		}
	})
}

// TestFigureTemplate checks the figure's markup: the option only in the
// attribute, escaped, and the table's numbers.
func TestFigureTemplate(t *testing.T) {
	r := &content.Record{File: "x.toml", Title: "t", Department: "d", Year: 2023,
		Indicators: []*content.Indicator{ind(`</script><script>alert(1)</script>`, "100", "59", "")}}
	e := score.Evaluate([]*content.Record{r}, score.DefaultBands, &diag.List{})[0]
	c, err := Indicators(e, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	dir := writePage(t, []*Chart{c}, "")
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if n := strings.Count(s, "<script"); n != 2 {
		t.Errorf("%d <script> tags, want the 2 with src", n)
	}
	for _, want := range []string{
		`class="chart chart-h240"`,
		`data-chart-option='{"aria":{"enabled":true},`,
		`<th scope="row">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</th><td class="num">100</td>`,
		fmt.Sprintf(`aria-labelledby="%s-title"`, c.ID),
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(s, "style=") {
		t.Error("page has a style attribute, which the CSP refuses")
	}

	// A chart with too little to compare is its sentence alone.
	one, err := GradeDistribution(2023, []*score.Evaluation{e}, score.DefaultBands)
	if err != nil || one.Informative() {
		t.Fatalf("one record's grade chart: %v, informative %v", err, one.Informative())
	}
	page, err = os.ReadFile(filepath.Join(writePage(t, []*Chart{one}, ""), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(page); !strings.Contains(s, `<p class="chart-sentence">2023 年公开的 1 项评价，等级为差。</p>`) ||
		strings.Contains(s, "<figure") || strings.Contains(s, "data-chart-option") {
		t.Errorf("a chart said in a sentence is drawn as:\n%s", s)
	}
}

// TestDepartmentLabelsFitAPhone draws a year's departments chart, with
// names as long as real ones, in a 390 px wide window (a common phone) and
// checks that no two of its texts overlap: the department names on the
// axis, the bars' labels and the legend must all stay readable.
func TestDepartmentLabelsFitAPhone(t *testing.T) {
	echarts := readECharts(t)
	var records []*content.Record
	for i, dept := range []string{"测试市农业农村局", "测试市人力资源和社会保障局", "测试市住房和城乡建设局（市人民防空办公室）",
		"测试市卫生健康委员会", "测试市市场监督管理局", "测试市文化和旅游广电局", "测试市交通运输局"} {
		records = append(records, &content.Record{File: fmt.Sprintf("e%d.toml", i), Slug: fmt.Sprintf("e%d", i),
			Title: fmt.Sprintf("项目%d", i), Department: dept, Year: 2024, Score: ptr(d(fmt.Sprint(55 + i*6)))})
	}
	evals := score.Evaluate(records, score.DefaultBands, &diag.List{})
	c, err := ByDepartment(2024, evals, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	for _, elder := range []bool{false, true} {
		fitsAPhone(t, echarts, c, len(records), elder)
	}
}

// TestIndicatorLabelsFitAPhone draws an evaluation's indicators chart in
// a 390 px wide window: each bar's label ("20/20（100%）", the longest a
// full bar carries) must be inside the window, not cut off at its edge,
// as it was when the label's room was too narrow for a phone.
func TestIndicatorLabelsFitAPhone(t *testing.T) {
	echarts := readECharts(t)
	r := &content.Record{File: "x.toml", Title: "数字化城管运行经费项目", Department: "d", Year: 2023,
		Indicators: []*content.Indicator{
			ind("项目决策", "20", "18", ""), ind("项目过程", "20", "17", ""),
			ind("项目产出", "40", "37", ""), ind("项目效益", "20", "20", ""),
			ind("可持续影响指标", "100", "99.75", ""),
		}}
	e := score.Evaluate([]*content.Record{r}, score.DefaultBands, &diag.List{})[0]
	c, err := Indicators(e, score.DefaultBands)
	if err != nil {
		t.Fatal(err)
	}
	for _, elder := range []bool{false, true} {
		fitsAPhone(t, echarts, c, len(r.Indicators)*2, elder)
	}
}

// readECharts returns the ECharts build the site embeds, or skips the test
// where it is not built (but not in CI).
func readECharts(t *testing.T) []byte {
	t.Helper()
	echarts, err := os.ReadFile(echartsFile)
	if err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("EVALPRESS_REQUIRE_BROWSER") == "1" {
			t.Fatalf("%v: build it with make (node tools/echarts/build.mjs)", err)
		}
		t.Skipf("%v: build it with make (node tools/echarts/build.mjs)", err)
	}
	return echarts
}

// fitsAPhone draws c alone in a 390 px wide window (a common phone) and
// checks that it draws at least min texts, each inside the window, and
// that no two of them overlap; with elder, in the 适老化 mode, whose
// text is larger (the page at #elder, as the mode's link opens it).
func fitsAPhone(t *testing.T, echarts []byte, c *Chart, min int, elder bool) {
	t.Helper()
	ctx := sitetest.NewBrowser(t)
	url := sitetest.ServeDir(t, writePage(t, []*Chart{c}, string(echarts)), "/jxgk/")
	mode := ""
	if elder {
		url += "#elder"
		mode = " in the 适老化 mode"
	}
	tab, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	type box struct {
		Text                     string
		Left, Top, Right, Bottom float64
	}
	var texts []box
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		texts, err = chromedp.Run(tab, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll('.chart[data-chart-drawn] svg text'), e => {
			const r = e.getBoundingClientRect();
			return {Text: e.textContent, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom};
		}).filter(b => b.Text.trim() !== '' && b.Right > b.Left)`))
		if err != nil || len(texts) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < min {
		t.Fatalf("%d texts drawn, want at least %d", len(texts), min)
	}
	for i, a := range texts {
		if a.Right > 390 || a.Left < 0 {
			t.Errorf("%q is outside the window%s: %.0f–%.0f px", a.Text, mode, a.Left, a.Right)
		}
		for _, b := range texts[i+1:] {
			// One pixel of tolerance: glyph boxes of adjacent lines touch.
			if a.Left < b.Right-1 && b.Left < a.Right-1 && a.Top < b.Bottom-1 && b.Top < a.Bottom-1 {
				t.Errorf("%q and %q overlap at 390 px%s", a.Text, b.Text, mode)
			}
		}
	}
}

// TestThemeDrawsAsWritten draws the seed's charts twice in Chromium: with
// their options as the site writes them, the shared look left to the
// theme that charts.js registers, and with the theme written into each
// option by hand, as ECharts' rules for a theme say it is merged (see
// theme.go). The drawings must be the same: the theme is registered and
// applied, and what moved out of the options is drawn as before.
func TestThemeDrawsAsWritten(t *testing.T) {
	echarts := readECharts(t)
	var slim, full []*Chart
	for _, c := range build(t, seed(t), score.DefaultBands) {
		if !c.Informative() {
			continue
		}
		var option map[string]any
		if err := json.Unmarshal([]byte(c.Option), &option); err != nil {
			t.Fatal(err)
		}
		expanded, err := marshal(withTheme(option))
		if err != nil {
			t.Fatal(err)
		}
		if len(expanded) < 2*len(c.Option) {
			t.Errorf("%s: the option with the theme is %d bytes, without %d: the theme holds less than half", c.ID, len(expanded), len(c.Option))
		}
		f := *c
		f.Option = expanded
		slim, full = append(slim, c), append(full, &f)
	}
	ctx := sitetest.NewBrowser(t)
	draw := func(charts []*Chart) []string {
		url := sitetest.ServeDir(t, writePage(t, charts, string(echarts)), "/")
		tab, closeTab := chromedp.NewContext(ctx)
		defer closeTab()
		// Drawn without animation (charts.js honours the reader's wish
		// for reduced motion), so that both are read as they end.
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1366, 900)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		var svgs []string
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
				`Array.from(document.querySelectorAll('.chart[data-chart-drawn] svg'), e => e.outerHTML)`))
			if err != nil {
				t.Fatal(err)
			}
			if svgs = got; len(svgs) == len(charts) || time.Now().After(deadline) {
				break
			}
		}
		if len(svgs) != len(charts) {
			t.Fatalf("%d of %d charts drawn", len(svgs), len(charts))
		}
		return svgs
	}
	a, b := draw(slim), draw(full)
	for i, c := range slim {
		if a[i] != b[i] {
			at := 0
			for at < min(len(a[i]), len(b[i])) && a[i][at] == b[i][at] {
				at++
			}
			from := max(at-200, 0)
			t.Errorf("%s is drawn otherwise with the theme than with the theme written into its option, from …%s:\n%s\n%s",
				c.ID, a[i][from:at], a[i][at:min(at+200, len(a[i]))], b[i][at:min(at+200, len(b[i]))])
		}
		// The text's font, the legend's size and the grades' patterns
		// are the theme's.
		for _, want := range []string{"PingFang SC", "font-size: 13px", "<pattern"} {
			if !strings.Contains(a[i], want) {
				t.Errorf("%s: the drawing lacks %s, which the theme gives", c.ID, want)
			}
		}
	}
}

// withTheme returns option with the theme merged into it as ECharts
// merges a theme: what the option says wins, objects merge key by key.
func withTheme(option map[string]any) map[string]any {
	th := theme()
	var fill func(dst map[string]any, src map[string]any)
	fill = func(dst map[string]any, src map[string]any) {
		for k, v := range src {
			switch d := dst[k].(type) {
			case nil:
				if _, set := dst[k]; !set {
					b, _ := json.Marshal(v)
					var c any
					json.Unmarshal(b, &c)
					dst[k] = c
				}
			case map[string]any:
				if s, ok := v.(map[string]any); ok {
					fill(d, s)
				}
			}
		}
	}
	asMap := func(v any) map[string]any {
		b, _ := json.Marshal(v)
		var m map[string]any
		json.Unmarshal(b, &m)
		return m
	}
	top := map[string]any{"color": th["color"], "textStyle": th["textStyle"]}
	fill(option, asMap(top))
	fill(option["legend"].(map[string]any), asMap(th["legend"]))
	fill(option["aria"].(map[string]any), asMap(th["aria"]))
	for _, key := range []string{"xAxis", "yAxis"} {
		for _, ax := range option[key].([]any) {
			ax := ax.(map[string]any)
			fill(ax, asMap(th[ax["type"].(string)+"Axis"]))
		}
	}
	for _, s := range option["series"].([]any) {
		fill(s.(map[string]any), asMap(th["bar"]))
	}
	return option
}
