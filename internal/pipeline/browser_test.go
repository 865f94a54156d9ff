package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestDefaultSiteQuality serves the default site under /jxgk/ with the
// strict Content-Security-Policy and checks what a reader would notice:
// broken links or fragments, requests to another host, invalid HTML, console
// or CSP errors, and accessibility violations reported by axe-core.
func TestDefaultSiteQuality(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	sitetest.CheckSite(t, out, "/jxgk/")
}

// TestFixtureSiteQuality does the same for a site that exercises what the
// seed does not: nested indicators with targets, a list-only record, a
// department with several years, hostile text.
func TestFixtureSiteQuality(t *testing.T) {
	out := wholesite.Build(t, siteToml+goodRecord+`
-- content/2022/evaluations/roads-2022.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2022
grade = "中"
-- content/2022/evaluations/bridges-2022.toml --
title = "危桥改造项目"
department = "测试市交通运输局"
year = 2022
series = "bridges"
score = 72
-- content/2023/evaluations/bridges.toml --
title = "危桥改造项目"
department = "测试市交通运输局"
year = 2023
series = "bridges"
score = 91
-- content/2022/evaluations/hostile.toml --
title = "</title><script>alert(1)</script>"
department = "<img src=x onerror=alert(2)>"
year = 2022
score = 70
-- content/2022/evaluations/hostile.md --
<script>alert(4)</script>

[点我](javascript:alert(5)) [外部链接](https://www.mof.gov.cn/)

| 指标 | 值 |
| --- | --- |
| 覆盖率 | 100% |
`).Out()
	sitetest.CheckSite(t, out, "/jxgk/")
}

// TestDefaultSiteDrawsCharts opens the default site's pages with charts in
// headless Chromium, under the strict CSP and a base path, and checks that
// every chart box was drawn as SVG, with no console error.
func TestDefaultSiteDrawsCharts(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	requireECharts(t, out)
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	pages := map[string]int{ // page → charts it must draw
		// The seed's two records are both 优, in one score bin, and one
		// gives a budget: only the departments chart compares anything
		// (the others are sentences, chart.Chart.Informative).
		"":                              0,
		"2023/":                         1,
		"2023/disability-subsidies/":    1,
		"2023/digital-city-management/": 1,
	}
	for page, want := range pages {
		checkChartsDrawn(t, ctx, base+page, want)
	}
}

// TestSeriesTrendIsDrawn opens an evaluation of a programme evaluated in
// several years and checks that its indicator and trend charts are drawn.
func TestSeriesTrendIsDrawn(t *testing.T) {
	out := wholesite.Build(t, siteToml+seriesSite).Out()
	requireECharts(t, out)
	base := sitetest.ServeDir(t, out, "/jxgk/")
	checkChartsDrawn(t, sitetest.NewBrowser(t), base+"2022/roads-2022/", 1)
}

// requireECharts skips a test of drawn charts when the site in out has no
// ECharts (a go test without make), and fails it in CI, where make runs.
func requireECharts(t *testing.T, out string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(out, site.ECharts)); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not in the build: run make (it builds ECharts before the binary)", site.ECharts)
		}
		t.Skipf("%s is not embedded (run make first)", site.ECharts)
	}
}

// checkChartsDrawn loads url in a new tab and checks that it has want chart
// boxes, each drawn as SVG, and no console or CSP error.
func checkChartsDrawn(t *testing.T, ctx context.Context, url string, want int) {
	t.Helper()
	issues, err := sitetest.LoadPage(ctx, url)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	for _, i := range issues {
		t.Errorf("%s: %s", url, i)
	}
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	err = chromedp.Do(tab, chromedp.Navigate(url))
	var got struct{ Boxes, Drawn int }
	if err == nil {
		// charts.js runs after the deferred ECharts file: give it a moment.
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err = chromedp.Run(tab, chromedp.Evaluate[struct{ Boxes, Drawn int }](`({
				Boxes: document.querySelectorAll('.chart').length,
				Drawn: document.querySelectorAll('.chart[data-chart-drawn] svg').length,
			})`))
			if err != nil || got.Drawn >= want || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err != nil {
		t.Errorf("%s: %v", url, err)
		return
	}
	if got.Boxes != want || got.Drawn != want {
		t.Errorf("%s: %d chart boxes, %d drawn as SVG; want %d", url, got.Boxes, got.Drawn, want)
	}
}

// TestSearchPageFindsByTyping types queries into the default site's search
// page, as a reader would, and checks the announced count and the results.
func TestSearchPageFindsByTyping(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"search/")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query  string
		titles []string
	}{
		{"补贴", []string{"残疾人“两项补贴”项目"}},
		{"城管", []string{"“数字化城管运行经费”项目"}},
		{"贴", []string{"残疾人“两项补贴”项目"}}, // a single character
		{"ＰＯＳ机", nil}, // full-width, no match
		{"项目 潜江市", []string{"残疾人“两项补贴”项目", "“数字化城管运行经费”项目"}}, // AND of two words
		{"资金 残疾人", []string{"残疾人“两项补贴”项目"}},
		{"12345", []string{"“数字化城管运行经费”项目"}}, // digits inside a longer text
	}
	for _, tt := range tests {
		// Clear the box (SetValue refuses the empty string), then type.
		_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(document.getElementById('search-q').value = '', true)`))
		if err == nil {
			err = chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#search-q"), tt.query+"\r"))
		}
		if err != nil {
			t.Fatalf("typing %q: %v", tt.query, err)
		}
		var got struct {
			Status string
			Titles []string
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err = chromedp.Run(tab, chromedp.Evaluate[struct {
				Status string
				Titles []string
			}](`({
				Status: document.getElementById('search-status').textContent,
				Titles: Array.from(document.querySelectorAll('#search-results .search-result h2'), e => e.textContent.trim()),
			})`))
			if err != nil || (strings.Contains(got.Status, "“"+tt.query+"”") || strings.Contains(got.Status, tt.query)) && len(got.Titles) == len(tt.titles) || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		// Relevance orders the results; here only which ones matters.
		slices.Sort(got.Titles)
		slices.Sort(tt.titles)
		if !slices.Equal(got.Titles, tt.titles) && !(len(tt.titles) == 0 && len(got.Titles) == 0) {
			t.Errorf("%q: results %q (status %q), want %q", tt.query, got.Titles, got.Status, tt.titles)
		}
		if want := fmt.Sprintf("%d 项", len(tt.titles)); len(tt.titles) > 0 && !strings.Contains(got.Status, want) {
			t.Errorf("%q: status %q does not announce %s", tt.query, got.Status, want)
		}
	}
}

// TestPagesReflowOnAPhone opens the default site's pages, a page with a
// series trend and the pages of the record with every field of the second
// edition, at 320 CSS px, as WCAG 2.1's reflow criterion (1.4.10)
// asks: no page may scroll sideways (wide tables scroll in their own box),
// and every chart is drawn within its box.
func TestPagesReflowOnAPhone(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	series := wholesite.Build(t, siteToml+seriesSite).Out()
	full := wholesite.BuildDir(t, fullContent, fullJuly).Out()
	ctx := sitetest.NewBrowser(t)
	const phone = 320
	check := func(base string, pages []string) {
		for _, page := range pages {
			tab, cancel := chromedp.NewContext(ctx)
			err := chromedp.Do(tab, chromedp.EmulateViewport(phone, 640, chromedp.EmulateMobile), chromedp.Navigate(base+page))
			type layout struct {
				Inner, Scroll, Charts, Drawn int
				Wide                         []string
			}
			var got layout
			// Charts draw after the deferred scripts: wait for them.
			for deadline := time.Now().Add(10 * time.Second); err == nil; time.Sleep(100 * time.Millisecond) {
				got, err = chromedp.Run(tab, chromedp.Evaluate[layout](`({
					Inner: window.innerWidth,
					Scroll: document.documentElement.scrollWidth,
					Charts: document.querySelectorAll('.chart').length,
					Drawn: document.querySelectorAll('.chart[data-chart-drawn]').length,
					Wide: Array.from(document.querySelectorAll('.chart[data-chart-drawn] svg'))
						.filter(s => s.getBoundingClientRect().width > s.parentElement.parentElement.clientWidth + 1)
						.map(s => s.parentElement.parentElement.id),
				})`))
				if err != nil || got.Drawn == got.Charts || time.Now().After(deadline) {
					break
				}
			}
			cancel()
			switch {
			case err != nil:
				t.Errorf("%s: %v", page, err)
			case got.Scroll > phone || got.Inner > phone:
				// A phone's browser zooms out to fit a page wider than the
				// screen, which widens the window too: either says so.
				t.Errorf("/%s does not fit 320 px: %d px wide, window %d px", page, got.Scroll, got.Inner)
			case len(got.Wide) > 0:
				t.Errorf("/%s: charts %v are wider than their boxes", page, got.Wide)
			}
		}
	}
	check(sitetest.ServeDir(t, out, "/jxgk/"), []string{"", "2023/", "2023/disability-subsidies/", "2023/digital-city-management/",
		"congress/2023/", "congress/2023/print/", "departments/", "departments/qianjiangshi-minzhengju/", "search/?q=补贴", "404.html"})
	check(sitetest.ServeDir(t, series, "/jxgk/"), []string{"2023/roads/"})
	check(sitetest.ServeDir(t, full, "/jxgk/"), []string{"2023/road-maintenance/", "congress/2023/", "congress/2023/print/"})
}
