package pipeline_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// resultsContent is a site of two years: 2024 has eight evaluations of
// seven departments and no report yet; 2023 has its report and a single
// evaluation.
const resultsContent = "../../testdata/results"

// Where the first result must start, in CSS px from the top of the page:
// on a desktop well within the first screen (900 px high), on a phone
// within the first screen too (844 px), tighter than the two screens
// (1,688 px) that the results-first pages were asked for. The pages start
// their results at about 290–445 px on a desktop and 420–560 px on a
// phone; before, the home page's began some 2,300 px down on a phone.
const (
	firstResultDesktop = 500
	firstResultPhone   = 700
)

// TestResultsComeFirst opens the home page and a year page of the
// default site and of the two-year site at 1366×900 and at 390×844 (a
// phone) and checks that the link of the first result starts above the
// bounds.
func TestResultsComeFirst(t *testing.T) {
	seed := sitetest.ServeDir(t, wholesite.BuildDir(t, defaultContent).Out(), "/jxgk/")
	two := sitetest.ServeDir(t, wholesite.BuildDir(t, resultsContent).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	// The first link in the home page's list, the first row's in a year's
	// table: the same on the pages before the results came first.
	const home, year = `main ul.cards a`, `main table.list tbody a`
	pages := []struct{ url, first string }{
		{seed, home}, {seed + "2023/", year},
		{two, home}, {two + "2024/", year}, {two + "2023/", year},
	}
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
		bound         float64
	}{
		{"desktop", 1366, 900, false, firstResultDesktop},
		{"phone", 390, 844, true, firstResultPhone},
	} {
		for _, p := range pages {
			top := firstTop(t, ctx, p.url, p.first, size.width, size.height, size.mobile)
			t.Logf("%s %s: first result at %.0f px", size.name, p.url, top)
			if top < 0 || top > size.bound {
				t.Errorf("%s at %d×%d: the first result (%s) starts at %.0f px, want above %.0f px",
					p.url, size.width, size.height, p.first, top, size.bound)
			}
		}
	}
}

// firstTop loads url in a window of the given size and returns the top of
// the first element that matches sel, in CSS px from the top of the page
// (-1 when there is none), once the page's charts are drawn: a chart drawn
// above the results would move them down.
func firstTop(t *testing.T, ctx context.Context, url, sel string, width, height int64, mobile bool) float64 {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	emulate := chromedp.EmulateViewport(width, height)
	if mobile {
		emulate = chromedp.EmulateViewport(width, height, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(tab, emulate, chromedp.Navigate(url)); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	type state struct {
		Top           float64
		Charts, Drawn int
	}
	var got state
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got, err = chromedp.Run(tab, chromedp.Evaluate[state](`(() => {
			const el = document.querySelector(`+jsString(sel)+`);
			return {
				Top: el ? el.getBoundingClientRect().top + window.scrollY : -1,
				Charts: document.querySelectorAll('.chart').length,
				Drawn: document.querySelectorAll('.chart[data-chart-drawn]').length,
			};
		})()`))
		if err != nil || got.Drawn == got.Charts || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return got.Top
}

// jsString quotes s as a JavaScript string literal of plain ASCII.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestResultsPages checks the markup of the results-first pages of the
// two-year site: the 2023 report's figures on the home page although the
// newest evaluation is of 2024, the year switcher, and a year of one
// record said in sentences instead of four charts of one bar.
func TestResultsPages(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, resultsContent)
	// The newest year has no report: the home page shows the 2023 figures
	// and leads to all of them.
	s.AssertFileContent("index.html",
		`<h2 id="figures-heading">2023年预算绩效工作主要数据</h2>`, "448<small>个</small>", "1.44<small>亿元</small>",
		`<a href="2023/">全部 8 项主要数据与2023年工作情况说明</a>`,
		// Only the first figures, in the report's order.
		"! 报送市人大的评价报告",
		// Every year is linked.
		`<a href="2024/">2024年</a>`, `<a href="2023/">2023年</a>`)
	home := s.File("index.html")
	if strings.Index(home, `id="latest-heading"`) > strings.Index(home, `id="figures-heading"`) {
		t.Error("home: the figures come before the latest results")
	}
	// The year switcher: every year, the page's own marked.
	for _, y := range []struct{ page, current, other string }{
		{"2024/index.html", `<a href="../2024/" aria-current="page">2024年</a>`, `<a href="../2023/">2023年</a>`},
		{"2023/index.html", `<a href="../2023/" aria-current="page">2023年</a>`, `<a href="../2024/">2024年</a>`},
	} {
		s.AssertFileContent(y.page, `<nav class="year-switch" aria-label="年度切换">`, y.current, y.other)
	}
	// The navigation leads to the latest year: that page is the one it
	// calls the current page; on an earlier year's pages, and on every
	// evaluation, the entry marks the section the reader is in, not a
	// page they are not on.
	s.AssertFileContent("2024/index.html", `<li><a href="../2024/" aria-current="page">2024年</a></li>`)
	s.AssertFileContent("2023/index.html", `<li><a href="../2024/" aria-current="true">2024年</a></li>`, `! <li><a href="../2024/" aria-current="page">`)
	for _, name := range s.OutputFiles() {
		if strings.HasSuffix(name, "/index.html") && strings.Count(name, "/") == 2 && (strings.HasPrefix(name, "2023/") || strings.HasPrefix(name, "2024/")) {
			s.AssertFileContent(name, `<li><a href="../../2024/" aria-current="true">2024年</a></li>`, `! aria-current="page">2024年`)
		}
	}
	s.AssertFileContent("index.html", `<li><a href="./" aria-current="page">首页</a></li>`)
	s.AssertFileContent("departments/index.html", `<a href="../departments/" aria-current="page">部门</a>`)
	// One record: sentences, no chart and no chart script.
	s.AssertFileContent("2023/index.html",
		`<p class="chart-sentence">2023 年公开的 1 项评价，等级为良。</p>`,
		`<p class="chart-sentence">2023 年有综合得分的 1 项评价，得分在 85–90 分。</p>`,
		`<p class="chart-sentence">2023 年公开的 1 项评价是测试市交通运输局的。</p>`,
		`<p class="chart-sentence">2023 年公布预算的 1 项评价涉及资金 120.5 万元，等级为良。</p>`,
		`! class="chart `, "! echarts.min.js")
	// Eight records of four grades and seven departments: four charts.
	s.AssertFileContent("2024/index.html", `id="chart-grades-2024"`, `id="chart-scores-2024"`, `id="chart-departments-2024"`,
		`id="chart-funds-2024"`, "! chart-sentence", "echarts.min.js")
	page := s.File("2024/index.html")
	if strings.Index(page, `<table class="list">`) > strings.Index(page, `id="chart-grades-2024"`) {
		t.Error("2024: the charts come before the list of evaluations")
	}
	// The departments table: each year's figures, in a sortable table
	// whose default order (by name) is stated.
	s.AssertFileContent("departments/index.html",
		`<table class="list dept-table" data-sortable>`,
		`<th scope="col" data-sort-type="text" aria-sort="ascending">部门</th>`,
		`<th scope="col" class="num" data-sort-type="number">2024年</th>`,
		`<th scope="col" class="num" data-sort-type="number">2023年</th>`,
		// 交通运输局: 90 in 2024, 85 in 2023, never their mean 87.5.
		`<td class="num" data-sort="90">90<span class="dept-count">（1 项）</span></td>
<td class="num" data-sort="85">85<span class="dept-count">（1 项）</span></td>`,
		"! 87.5", `src="../assets/js/sort-table.js"`)
}

// TestResultsSiteQuality runs the whole-site checks (HTML validation,
// axe-core, links, CSP) on the two-year site, whose pages show the filter,
// the year switcher and the sentences that stand for charts.
func TestResultsSiteQuality(t *testing.T) {
	sitetest.CheckSite(t, wholesite.BuildDir(t, resultsContent).Out(), "/jxgk/")
}

// TestHomeFilter chooses a grade and a department in the home page's
// filter, as a reader would, and checks the entries shown and the count
// announced in the live region.
func TestHomeFilter(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.BuildDir(t, resultsContent).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base)); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Form   bool // the form is shown
		Shown  []string
		Status string
		Live   string
	}
	const look = `(() => {
		const form = document.querySelector('form[data-results-filter]');
		const status = document.querySelector('[data-filter-status]');
		return {
			Form: !!form && !form.hidden && form.getBoundingClientRect().height > 0,
			Shown: Array.from(document.querySelectorAll('ul[data-results] li'))
				.filter(li => li.getBoundingClientRect().height > 0)
				.map(li => li.querySelector('a').textContent.trim()),
			Status: status ? status.textContent : '',
			Live: status ? (status.getAttribute('role') || status.getAttribute('aria-live') || '') : '',
		};
	})()`
	choose := func(name, value string) {
		t.Helper()
		_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
			const s = document.querySelector('form[data-results-filter] [name=`+name+`]');
			if (!s) return false;
			s.value = `+jsString(value)+`;
			s.dispatchEvent(new Event('change', {bubbles: true}));
			return true;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
	}
	wait := func(want state) state {
		t.Helper()
		var got state
		var err error
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if got, err = chromedp.Run(tab, chromedp.Evaluate[state](look)); err != nil {
				t.Fatal(err)
			}
			if got.Form == want.Form && slices.Equal(got.Shown, want.Shown) && got.Status == want.Status || time.Now().After(deadline) {
				return got
			}
		}
	}
	all := []string{"公共图书馆免费开放项目", "农村公路养护项目", "农村饮水安全项目", "基层医疗卫生机构能力建设项目", "就业创业补助资金项目",
		"老旧小区改造项目", "食品安全抽检项目", "高标准农田建设项目", "农村公路养护项目"}
	steps := []struct {
		name, field, value string
		want               state
	}{
		{"on load", "", "", state{Form: true, Shown: all, Status: ""}},
		{"grade 差", "grade", "差", state{Form: true, Shown: []string{"基层医疗卫生机构能力建设项目"}, Status: "显示 1 项（共 9 项）。"}},
		{"grade 优", "grade", "优", state{Form: true, Shown: []string{"公共图书馆免费开放项目", "农村公路养护项目", "食品安全抽检项目", "高标准农田建设项目"},
			Status: "显示 4 项（共 9 项）。"}},
		{"优 of 农业农村局", "dept", "测试市农业农村局", state{Form: true, Shown: []string{"高标准农田建设项目"}, Status: "显示 1 项（共 9 项）。"}},
		{"all grades of 农业农村局", "grade", "", state{Form: true, Shown: []string{"农村饮水安全项目", "高标准农田建设项目"}, Status: "显示 2 项（共 9 项）。"}},
		{"差 of 农业农村局", "grade", "差", state{Form: true, Shown: nil, Status: "没有符合条件的结果（共 9 项）。"}},
		{"all departments", "dept", "", state{Form: true, Shown: []string{"基层医疗卫生机构能力建设项目"}, Status: "显示 1 项（共 9 项）。"}},
		{"显示全部", "reset", "", state{Form: true, Shown: all, Status: ""}},
	}
	for _, st := range steps {
		switch st.field {
		case "":
		case "reset":
			if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(document.querySelector('form[data-results-filter] button[type=reset]').click(), true)`)); err != nil {
				t.Fatal(err)
			}
		default:
			choose(st.field, st.value)
		}
		got := wait(st.want)
		if got.Form != st.want.Form || !slices.Equal(got.Shown, st.want.Shown) || got.Status != st.want.Status {
			t.Errorf("%s: form shown %v, entries %q, status %q; want %v, %q, %q", st.name, got.Form, got.Shown, got.Status,
				st.want.Form, st.want.Shown, st.want.Status)
		}
		if got.Live != "status" {
			t.Errorf("%s: the count is not in a live region (role %q)", st.name, got.Live)
		}
	}
}

// TestDepartmentsTableSorts clicks the headers of the departments table,
// as a reader would, and checks the order of the rows and the headers'
// aria-sort.
func TestDepartmentsTableSorts(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.BuildDir(t, resultsContent).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"departments/")); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Rows    []string // each row's department and its 2024 cell
		Sort    []string // each header's aria-sort
		Buttons int
	}
	const look = `(() => {
		const table = document.querySelector('main table');
		return {
			Rows: Array.from(table.tBodies[0].rows, r => r.cells[0].textContent.trim().replace('测试市', '') + ' ' + r.cells[2].textContent.trim()),
			Sort: Array.from(table.tHead.rows[0].cells, th => th.getAttribute('aria-sort') || ''),
			Buttons: table.tHead.querySelectorAll('th > button.sort').length,
		};
	})()`
	click := func(col int) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(document.querySelector('main table').tHead.rows[0].cells[`+
			string(rune('0'+col))+`].querySelector('button').click(), true)`)); err != nil {
			t.Fatal(err)
		}
	}
	byName := []string{"交通运输局 90（1 项）", "农业农村局 90（2 项）", "人力资源和社会保障局 84（1 项）", "市场监督管理局 仅等级（1 项）",
		"卫生健康委员会 55（1 项）", "文化和旅游广电局 95（1 项）", "住房和城乡建设局（市人民防空办公室） 71（1 项）"}
	steps := []struct {
		name  string
		click int // the header to click, -1 for none
		want  state
	}{
		{"as built", -1, state{byName, []string{"ascending", "", "", ""}, 4}},
		// The 2024 average, low to high; the grade-only department last
		// either way, ties in the order before.
		{"2024 ascending", 2, state{[]string{"卫生健康委员会 55（1 项）", "住房和城乡建设局（市人民防空办公室） 71（1 项）", "人力资源和社会保障局 84（1 项）",
			"交通运输局 90（1 项）", "农业农村局 90（2 项）", "文化和旅游广电局 95（1 项）", "市场监督管理局 仅等级（1 项）"}, []string{"", "", "ascending", ""}, 4}},
		{"2024 descending", 2, state{[]string{"文化和旅游广电局 95（1 项）", "交通运输局 90（1 项）", "农业农村局 90（2 项）", "人力资源和社会保障局 84（1 项）",
			"住房和城乡建设局（市人民防空办公室） 71（1 项）", "卫生健康委员会 55（1 项）", "市场监督管理局 仅等级（1 项）"}, []string{"", "", "descending", ""}, 4}},
	}
	for _, st := range steps {
		if st.click >= 0 {
			click(st.click)
		}
		var got state
		var err error
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if got, err = chromedp.Run(tab, chromedp.Evaluate[state](look)); err != nil {
				t.Fatal(err)
			}
			if slices.Equal(got.Rows, st.want.Rows) && slices.Equal(got.Sort, st.want.Sort) || time.Now().After(deadline) {
				break
			}
		}
		if !slices.Equal(got.Rows, st.want.Rows) || !slices.Equal(got.Sort, st.want.Sort) || got.Buttons != st.want.Buttons {
			t.Errorf("%s:\n rows %q\n aria-sort %q, %d buttons\nwant\n rows %q\n aria-sort %q, %d buttons", st.name,
				got.Rows, got.Sort, got.Buttons, st.want.Rows, st.want.Sort, st.want.Buttons)
		}
	}
}
