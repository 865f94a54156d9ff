package pipeline_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	evalpress "github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// The tests below build the series fixture (seriesContent) on 2024-09-01
// (seriesDay): school-meals' finding (deadline 2024-06-30, open) is then
// overdue, and no other is.

// ledgerRow is one row of a ledger table: the problem and the row's text.
type ledgerRow struct{ problem, text string }

var (
	ledgerTable = regexp.MustCompile(`(?s)<table class="list ledger"[^>]*>.*?</table>`)
	ledgerTr    = regexp.MustCompile(`(?s)<tr( class="overdue")?>\s*<th scope="row">(.*?)</th>(.*?)</tr>`)
	tags        = regexp.MustCompile(`<[^>]+>`)
)

// ledgerRows returns the rows of the page's ledger tables in page order,
// with their text (tags dropped), and fails the test if the page has none.
func ledgerRows(t *testing.T, page string) []ledgerRow {
	t.Helper()
	tables := ledgerTable.FindAllString(page, -1)
	if len(tables) == 0 {
		t.Fatalf("no ledger table in the page")
	}
	var rows []ledgerRow
	for _, table := range tables {
		for _, m := range ledgerTr.FindAllStringSubmatch(table, -1) {
			rows = append(rows, ledgerRow{m[2], strings.Join(strings.Fields(tags.ReplaceAllString(m[3], " ")), " ")})
		}
	}
	return rows
}

func problems(rows []ledgerRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.problem)
	}
	return out
}

// TestLedgerListsEachFindingOnce checks the ledger of the series fixture:
// each published finding once, in its order (overdue first, then not done
// by deadline, then done), with its state on the build's date, the
// overdue count first in the summary, and nothing of the draft and the
// future record anywhere.
func TestLedgerListsEachFindingOnce(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	page := s.File("rectification/index.html")
	rows := ledgerRows(t, page)
	want := []struct{ problem, state string }{
		{"食材采购台账不规范", "已逾期 （未整改）"},
		{"水质检测频次不足", "整改中"},
		{"运行维护经费保障不足", "未整改"},
		{"部分工程验收资料不全", "已整改 2023-06-15 已补齐 12 处工程的验收资料"},
	}
	if got := problems(rows); len(got) != len(want) {
		t.Fatalf("ledger rows = %q, want the %d published findings once each", got, len(want))
	}
	for i, w := range want {
		if rows[i].problem != w.problem || !strings.Contains(rows[i].text, w.state) {
			t.Errorf("row %d = %s | %s; want %s with %q", i+1, rows[i].problem, rows[i].text, w.problem, w.state)
		}
	}
	s.AssertFileContent("rectification/index.html",
		`截至 <time datetime="2024-09-01">2024年9月1日</time>，<strong class="ledger-overdue">逾期未整改 1 个</strong>；本页共列问题 4 个，已整改 1 个，尚未完成 3 个。`,
		// Overdue in words and with a mark, not by colour alone.
		`<tr class="overdue">`,
		`<span class="fstatus fstatus-overdue"><span class="fmark" aria-hidden="true">!</span>已逾期</span><span class="fstatus-of">（未整改）</span>`,
		// Each row leads to its evaluation's finding and department.
		`<a href="../2023/school-meals/#finding-1">农村义务教育学生营养改善计划</a>`,
		`<a href="../departments/shilixian-jiaoyuju/">示例县教育局</a>`,
		// Sortable, with sort keys for dates and states.
		`<table class="list ledger" data-sortable>`, `<script defer src="../assets/js/sort-table.js"></script>`,
		`<td class="deadline-cell" data-label="整改期限" data-sort="20240630"><time datetime="2024-06-30">2024-06-30</time></td>`,
		`<td class="status-cell" data-label="整改状态" data-sort="0">`,
		// The filter bar, the current page marked.
		`<a href="../rectification/" aria-current="page">全部（4）</a>`,
		`<a href="../rectification/overdue/">已逾期（1）</a>`,
		`<a href="../rectification/open/">未完成（3）</a>`,
		`<a href="../rectification/done/">已整改（1）</a>`,
		`<a href="../rectification/2023/">2023年（2）</a>`,
		`<a href="../rectification/2022/">2022年（2）</a>`,
		// The navigation's entry is the current one.
		`<a href="../rectification/" aria-current="page">整改台账</a>`,
	)
	// The draft's and the future record's findings, titles and
	// departments are nowhere, in no page and no file.
	s.AssertNowhere("草稿中的问题不应公开", "未到公开日期的问题", "草稿项目（不应公开）", "未到公开日期的项目", "示例县草稿局", "示例县未来局")
	// Every page of the ledger is in the sitemap, and no other.
	sitemap := s.File("sitemap.xml")
	var pages []string
	for _, name := range s.OutputFiles() {
		if dir, ok := strings.CutSuffix(name, "index.html"); ok && strings.HasPrefix(dir, "rectification/") {
			pages = append(pages, dir)
			if !strings.Contains(sitemap, "<loc>https://czj.example.gov.cn/jxgk/"+dir+"</loc>") {
				t.Errorf("the sitemap lacks %s", dir)
			}
		}
	}
	if n := strings.Count(sitemap, "/jxgk/rectification/"); len(pages) != 6 || n != len(pages) {
		t.Errorf("ledger pages %q, %d in the sitemap; want the 6 of them (all, 3 states, 2 years)", pages, n)
	}
}

// TestLedgerFilterPages checks the ledger's pages by state and by year:
// each lists what its name says, in the ledger's order, and marks itself
// in the filter bar.
func TestLedgerFilterPages(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	for _, c := range []struct {
		page, current string
		want          []string
	}{
		{"overdue", "已逾期（1）", []string{"食材采购台账不规范"}},
		{"open", "未完成（3）", []string{"食材采购台账不规范", "水质检测频次不足", "运行维护经费保障不足"}},
		{"done", "已整改（1）", []string{"部分工程验收资料不全"}},
		{"2023", "2023年（2）", []string{"食材采购台账不规范", "运行维护经费保障不足"}},
		{"2022", "2022年（2）", []string{"水质检测频次不足", "部分工程验收资料不全"}},
	} {
		name := "rectification/" + c.page + "/index.html"
		page := s.File(name)
		if got := problems(ledgerRows(t, page)); !slices.Equal(got, c.want) {
			t.Errorf("%s lists %q, want %q", name, got, c.want)
		}
		s.AssertFileContent(name, `aria-current="page">`+c.current+`</a>`, `<a href="../../rectification/">全部（4）</a>`,
			`<span aria-current="page">`, `<a href="../../rectification/" aria-current="true">整改台账</a>`)
		if n := strings.Count(page, `aria-current="page">`); n != 2 { // the crumb and the filter
			t.Errorf("%s marks %d links the current page, want 2", name, n)
		}
		if n := strings.Count(page, `aria-current="true">`); n != 1 { // the navigation's section
			t.Errorf("%s marks %d links the current section, want 1", name, n)
		}
	}
	s.AssertFileContent("rectification/overdue/index.html", `<strong class="ledger-overdue">逾期未整改 1 个</strong>；本页共列问题 1 个`)
}

// TestLedgerEmpty checks a site without findings: the ledger's pages are
// there, say so in Chinese and have no table.
func TestLedgerEmpty(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord)
	s.AssertFileContent("rectification/index.html", `<p class="empty">公开的评价结果中尚未列出发现的问题。</p>`, "! <table", "逾期未整改 0 个")
	s.AssertFileContent("rectification/overdue/index.html", `<p class="empty">没有逾期未整改的问题。</p>`, "! <table")
	s.AssertFileContent("rectification/2023/index.html", `<p class="empty">2023年公开的评价结果中尚未列出发现的问题。</p>`)
	s.AssertFileContent("2023/index.html", `<a href="../rectification/2023/">2023年整改台账</a>：问题 0 个，已整改 0 个，逾期 0 个。`)
	// A department without findings has no findings section.
	s.AssertFileContent("departments/ceshishi-jiaotongyunshuju/index.html", "! findings-heading", "! sort-table.js")
	// Nor does the departments' index count findings that no record lists.
	s.AssertFileContent("departments/index.html", "! 发现问题", "! 逾期未整改")
}

// TestLedgerCountsOnYearAndDepartmentPages checks the overdue count where
// the issue asks for it besides the ledger: the year's page (with its link
// to the year's ledger), the department's page (with its findings, in the
// ledger's table) and the departments' index.
func TestLedgerCountsOnYearAndDepartmentPages(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	s.AssertFileContent("2023/index.html",
		`<a href="../rectification/2023/">2023年整改台账</a>：问题 2 个，已整改 0 个，<strong class="ledger-overdue">逾期 1 个</strong>。`)
	s.AssertFileContent("2022/index.html",
		`<a href="../rectification/2022/">2022年整改台账</a>：问题 2 个，已整改 1 个，逾期 0 个。`)
	dept := "departments/shilixian-jiaoyuju/index.html"
	s.AssertFileContent(dept,
		`截至 <time datetime="2024-09-01">2024年9月1日</time>，问题 1 个，已整改 0 个，<strong class="ledger-overdue">逾期 1 个</strong>。`,
		`<caption>示例县教育局评价发现的问题及整改情况</caption>`,
		`<script defer src="../../assets/js/sort-table.js"></script>`,
		`<a href="../../2023/school-meals/#finding-1">农村义务教育学生营养改善计划</a>`,
		// The department's page is the department filter: no column for it.
		`! <th scope="col" data-sort-type="text">部门</th>`)
	if got := problems(ledgerRows(t, s.File(dept))); !slices.Equal(got, []string{"食材采购台账不规范"}) {
		t.Errorf("%s lists %q", dept, got)
	}
	water := "departments/shilixian-shuiliju/index.html"
	if got := problems(ledgerRows(t, s.File(water))); !slices.Equal(got, []string{"水质检测频次不足", "运行维护经费保障不足", "部分工程验收资料不全"}) {
		t.Errorf("%s lists %q", water, got)
	}
	s.AssertFileContent(water, "问题 3 个，已整改 1 个，逾期 0 个。")
	index := s.File("departments/index.html")
	row := index[strings.Index(index, `<a href="shilixian-jiaoyuju/">`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, `<span class="fstatus fstatus-overdue"><span class="fmark" aria-hidden="true">!</span>1</span>`) {
		t.Errorf("the departments' index does not show 示例县教育局's overdue finding:\n%s", row)
	}
}

// TestLaterYearShowsEarlierFindings checks the follow-up across years: the
// 2023 page of rural-water shows the 2022 findings with their state on the
// build's date, linked to the 2022 page, which leads to the 2023 one; the
// ledger lists those findings once all the same (see
// TestLedgerListsEachFindingOnce).
func TestLaterYearShowsEarlierFindings(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	page := s.File("2023/rural-water/index.html")
	section := page[strings.Index(page, `<h2 id="earlier-findings-heading">以往年度发现问题的整改情况</h2>`):]
	section = section[:strings.Index(section, "</section>")]
	rows := ledgerRows(t, section)
	want := []ledgerRow{
		{"部分工程验收资料不全", "农村饮水安全巩固提升项目 2022 示例县水利局 2023-06-30 ✓ 已整改 2023-06-15 已补齐 12 处工程的验收资料"},
		{"水质检测频次不足", "农村饮水安全巩固提升项目 2022 示例县供水公司 2024-12-31 整改中 — —"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("earlier findings = %q\nwant %q", rows, want)
	}
	s.AssertFileContent("2023/rural-water/index.html",
		`本项目以往年度评价发现的问题 2 个，截至 <time datetime="2024-09-01">2024年9月1日</time>已整改 1 个。`,
		`<a href="../../2022/rural-water/#finding-1">农村饮水安全巩固提升项目</a>`,
		// The 2023 page's own finding stays in its own section.
		`<li id="finding-1">`)
	s.AssertFileContent("2022/rural-water/index.html",
		`<li id="finding-2">`,
		`本项目后续年度的评价：<a href="../../2023/rural-water/">2023年评价</a>`,
		// An earlier year has no earlier findings.
		"! earlier-findings-heading")
	// A record outside the series has neither.
	s.AssertFileContent("2023/school-meals/index.html", "! earlier-findings-heading", "! 后续年度")
}

// TestTrendMarksResultUse checks that the trend chart of a series marks
// each year's result use on its bar, and that its text alternative and the
// series table beside it say it too.
func TestTrendMarksResultUse(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	s.AssertFileContent("2023/rural-water/index.html",
		`"formatter":"88.5 良\n调减 → 450.5 万元"`,
		`"formatter":"84 良\n保持 → 520 万元"`,
		"2022年 84 分，良，结果应用：保持，下年度安排 520 万元；2023年 88.5 分，良，结果应用：调减，下年度安排 450.5 万元。",
		`<th scope="col">结果应用</th>`,
		`<td>调减，下年度安排 450.5 万元</td>`,
		`<td>保持，下年度安排 520 万元</td>`)
}

// TestLedgerGolden compares the ledger's page and the 2023 page of the
// series (its earlier findings and marked trend) with reviewed copies in
// testdata/golden-series; run with -update after a deliberate change, as
// TestGoldenPages says.
func TestLedgerGolden(t *testing.T) {
	if _, err := fs.Stat(evalpress.Files, site.ECharts); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not embedded: CI must run make test, which builds it first", site.ECharts)
		}
		t.Skipf("%s is not embedded: run make test (it builds ECharts before the tests)", site.ECharts)
	}
	out := wholesite.BuildDir(t, seriesContent, seriesDay).Out()
	compareGolden(t, out, filepath.Join("testdata", "golden-series"), map[string]bool{
		filepath.FromSlash("rectification/index.html"):    true,
		filepath.FromSlash("2023/rural-water/index.html"): true,
	})
}

// TestSeriesSiteQuality serves the series fixture's site, built on
// 2024-09-01, and checks every page as TestDefaultSiteQuality does: the
// ledger's pages, the departments' findings and the earlier years'
// findings validate, pass axe-core and break no link or fragment.
func TestSeriesSiteQuality(t *testing.T) {
	out := wholesite.BuildDir(t, seriesContent, seriesDay).Out()
	sitetest.CheckSite(t, out, "/jxgk/")
}

// TestLedgerSortsByDeadline clicks the deadline header's button of the
// ledger, as a reader would, and checks that the rows follow the
// deadlines' dates (data-sort), not their order on the page.
func TestLedgerSortsByDeadline(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.BuildDir(t, seriesContent, seriesDay).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"rectification/")); err != nil {
		t.Fatal(err)
	}
	const look = `Array.from(document.querySelectorAll('table.ledger tbody tr'), r => r.cells[5].textContent.trim())`
	click := chromedp.Evaluate[bool](`(document.querySelectorAll('table.ledger thead th')[5].querySelector('button').click(), true)`)
	before, err := chromedp.Run(tab, chromedp.Evaluate[[]string](look))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2023-06-30", "2024-06-30", "2024-12-31", "2025-03-31"}
	if slices.Equal(before, want) {
		t.Fatalf("the ledger is in deadline order already: %q; the test would prove nothing", before)
	}
	if _, err := chromedp.Run(tab, click); err != nil {
		t.Fatal(err)
	}
	got := before
	for deadline := time.Now().Add(5 * time.Second); !slices.Equal(got, want) && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, err = chromedp.Run(tab, chromedp.Evaluate[[]string](look)); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("after sorting by deadline: %q, want %q", got, want)
	}
}

// TestLedgerReflowsOnAPhone opens the ledger's pages and the pages that
// show findings in a 320 px wide phone viewport: the wide tables scroll
// in their box, and no page is wider than the screen.
func TestLedgerReflowsOnAPhone(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.BuildDir(t, seriesContent, seriesDay).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	const phone = 320
	for _, page := range []string{"rectification/", "rectification/overdue/", "rectification/2022/", "departments/",
		"departments/shilixian-shuiliju/", "2023/rural-water/", "2023/"} {
		tab, cancel := chromedp.NewContext(ctx)
		type layout struct{ Inner, Scroll int }
		err := chromedp.Do(tab, chromedp.EmulateViewport(phone, 640, chromedp.EmulateMobile), chromedp.Navigate(base+page))
		var got layout
		if err == nil {
			got, err = chromedp.Run(tab, chromedp.Evaluate[layout](`({Inner: window.innerWidth, Scroll: document.documentElement.scrollWidth})`))
		}
		cancel()
		switch {
		case err != nil:
			t.Errorf("%s: %v", page, err)
		case got.Scroll > phone || got.Inner > phone:
			t.Errorf("/%s does not fit 320 px: %d px wide, window %d px", page, got.Scroll, got.Inner)
		}
	}
}

// TestLedgerPreviewMarksDrafts checks the preview of drafts and future
// records (evalpress serve -drafts -future): their findings are on the
// ledger, each marked as not public, as the lists mark their records.
func TestLedgerPreviewMarksDrafts(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay, func(o *pipeline.Options) { o.Drafts, o.Future = true, true })
	page := s.File("rectification/index.html")
	for _, want := range []string{"草稿中的问题不应公开", "未到公开日期的问题"} {
		row := page[strings.Index(page, want):]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, `<span class="preview-mark">`) {
			t.Errorf("the preview's ledger does not mark %q as not public:\n%s", want, row)
		}
	}
	row := page[strings.Index(page, "食材采购台账不规范"):]
	if row = row[:strings.Index(row, "</tr>")]; strings.Contains(row, "preview-mark") {
		t.Errorf("a public record's finding is marked as not public:\n%s", row)
	}
}

// manyFindings returns the content of a site whose three 2023 evaluations
// have 150 findings each: 450 in all, of which every third is done.
func manyFindings() string {
	var b strings.Builder
	b.WriteString(siteToml)
	for r := 1; r <= 3; r++ {
		fmt.Fprintf(&b, "-- content/2023/evaluations/p%d.toml --\ntitle = \"第%d个项目\"\ndepartment = \"测试市交通运输局\"\nyear = 2023\ngrade = \"良\"\nscore = 85\n", r, r)
		for i := 1; i <= 150; i++ {
			fmt.Fprintf(&b, "\n[[findings]]\nproblem = \"问题%d-%03d\"\ndeadline = 2025-%02d-%02d\n", r, i, 1+i%12, 1+i%28)
			if i%3 == 0 {
				b.WriteString("status = \"done\"\ndone = 2024-05-01\nresult = \"已整改\"\n")
			} else {
				b.WriteString("status = \"open\"\n")
			}
		}
	}
	return b.String()
}

// TestLedgerPages checks a ledger too long for one page: each filter is
// split in pages of 200 findings, which together list each of its
// findings once, in the ledger's order; each page says which it lists and
// of how many, leads to the others, and is in the sitemap. A province's
// ledger on one page was 62 MB of HTML.
func TestLedgerPages(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, manyFindings())
	pagesOf := func(base string, n int) []ledgerRow {
		var rows []ledgerRow
		for i := 1; i <= n; i++ {
			name := base + "index.html"
			if i > 1 {
				name = fmt.Sprintf("%spage/%d/index.html", base, i)
			}
			page := s.File(name)
			got := ledgerRows(t, page)
			if i < n && len(got) != 200 {
				t.Errorf("%s lists %d findings, want 200", name, len(got))
			}
			rows = append(rows, got...)
		}
		s.AssertNoFile(fmt.Sprintf("%spage/%d/index.html", base, n+1))
		s.AssertNoFile(base + "page/1/index.html")
		return rows
	}
	all := problems(pagesOf("rectification/", 3))
	if len(all) != 450 {
		t.Fatalf("the ledger's 3 pages list %d findings, want 450", len(all))
	}
	seen := map[string]bool{}
	for _, p := range all {
		if seen[p] {
			t.Errorf("%s is listed twice", p)
		}
		seen[p] = true
	}
	// The year's pages list the same, in the same order; the state's
	// pages their share of it.
	if year := problems(pagesOf("rectification/2023/", 3)); !slices.Equal(year, all) {
		t.Errorf("the 2023 pages list %d findings in another order than the ledger's", len(year))
	}
	var open []string
	for _, p := range all {
		var r, i int
		fmt.Sscanf(p, "问题%d-%d", &r, &i)
		if i%3 != 0 {
			open = append(open, p)
		}
	}
	if got := problems(pagesOf("rectification/open/", 2)); !slices.Equal(got, open) {
		t.Errorf("the open pages list %d findings, want the %d not done in the ledger's order", len(got), len(open))
	}
	if got := problems(pagesOf("rectification/done/", 1)); len(got) != 150 {
		t.Errorf("the done page lists %d findings, want 150 on one page", len(got))
	}
	s.AssertFileContent("rectification/done/index.html", "本页共列问题 150 个", `! class="pager"`)

	s.AssertFileContent("rectification/index.html",
		"<title>整改台账", "共列问题 450 个，已整改 150 个，尚未完成 300 个；本页列出第 1–200 个（第 1 页，共 3 页）",
		"点击列标题可按该列对本页排序",
		`<a href="../rectification/" aria-current="page">全部（450）</a>`,
		`<span aria-current="page">1</span>`,
		`<a href="../rectification/page/2/" aria-label="第 2 页">2</a>`,
		`<a href="../rectification/page/2/" rel="next">下一页</a>`, `! rel="prev"`)
	s.AssertFileContent("rectification/page/3/index.html",
		"<title>整改台账（第3页）", "本页列出第 401–450 个（第 3 页，共 3 页）",
		// The filter bar and the first page of the filter, from a later
		// page: the filter is current, the page it leads to is not this.
		`<a href="../../../rectification/" aria-current="true">全部（450）</a>`,
		`<a href="../../../rectification/" aria-label="第 1 页">1</a>`,
		`<a href="../../../rectification/page/2/" rel="prev">上一页</a>`, `! rel="next"`,
		// The crumbs lead back to the filter's first page.
		`<a href="../../../rectification/">整改台账</a>`, `<span aria-current="page">第3页</span>`)
	s.AssertFileContent("rectification/open/page/2/index.html",
		"<title>整改台账：未完成（第2页）", "本页列出第 201–300 个（第 2 页，共 2 页）",
		`<a href="../../../../rectification/open/">未完成</a>`)
	sitemap := s.File("sitemap.xml")
	for _, p := range []string{"rectification/page/2/", "rectification/page/3/", "rectification/2023/page/3/", "rectification/open/page/2/"} {
		if !strings.Contains(sitemap, "<loc>https://example.gov.cn/jxgk/"+p+"</loc>") {
			t.Errorf("the sitemap lacks %s", p)
		}
	}
}

// TestLedgerPagesInABrowser checks the ledger's later pages in Chromium:
// axe finds nothing in the pager, and they fit a 320 px phone.
func TestLedgerPagesInABrowser(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.Build(t, manyFindings()).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	for _, page := range []string{"rectification/page/2/", "rectification/open/page/2/"} {
		vs, err := sitetest.Axe(ctx, base+page)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		for _, v := range vs {
			t.Errorf("%s: %s", page, v)
		}
		tab, cancel := chromedp.NewContext(ctx)
		type layout struct{ Inner, Scroll, Links int }
		err = chromedp.Do(tab, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Navigate(base+page))
		var got layout
		if err == nil {
			got, err = chromedp.Run(tab, chromedp.Evaluate[layout](`({Inner: window.innerWidth, Scroll: document.documentElement.scrollWidth, Links: document.querySelectorAll('nav.pager a').length})`))
		}
		cancel()
		switch {
		case err != nil:
			t.Errorf("%s: %v", page, err)
		case got.Scroll > 320 || got.Inner > 320:
			t.Errorf("/%s does not fit 320 px: %d px wide", page, got.Scroll)
		case got.Links == 0:
			t.Errorf("/%s has no pager links", page)
		}
	}
}
