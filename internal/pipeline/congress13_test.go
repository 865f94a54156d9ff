package pipeline_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// seriesContent is two years of one programme and its neighbours, with
// findings, result use, a draft and a future record (see its site.toml).
const seriesContent = "../../testdata/series"

// seriesDay builds the series fixture on 2024-09-01, when school-meals'
// finding (deadline 2024-06-30) is overdue and the others are not.
func seriesDay(o *pipeline.Options) { o.Now = time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC) }

// cell returns the text of the cell at column col (0 for the row's
// header) of the congress table's row whose header contains title, with
// its tags removed and its spaces folded, or "" when there is none.
func cell(t *testing.T, page, title string, col int) string {
	t.Helper()
	start, end := strings.Index(page, "<tbody>"), strings.Index(page, "</tbody>")
	if start < 0 || end < start {
		t.Fatalf("no table body in the page")
	}
	for _, row := range strings.Split(page[start:end], "</tr>") {
		cells := cellRE.FindAllStringSubmatch(row, -1)
		if len(cells) == 0 || !strings.Contains(cells[0][1], title) {
			continue
		}
		if col < len(cells) {
			return stripTags(cells[col][1])
		}
	}
	return ""
}

var cellRE = regexp.MustCompile(`(?s)<t[dh](?:\s[^>]*)?>(.*?)</t[dh]>`)

// stripTags returns the text of an HTML fragment: its tags removed, a line
// break read as a space, runs of spaces folded.
func stripTags(s string) string {
	s = strings.ReplaceAll(s, "<br>", " ")
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestCongressColumns checks the columns deputies asked for on the series
// fixture built on 2024-09-01: the execution rate with overspending said
// in words, the findings not done and overdue (as score counts them), the
// result use with next year's amount, amounts grouped by thousands with
// their digits as written, and the summary rows of the whole table.
func TestCongressColumns(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	page := s.File("congress/2023/index.html")
	for _, c := range []struct {
		title string
		col   int
		want  string
	}{
		// 531.2 over 520: 102.15 %, overspent by 11.2 万元.
		{"农村饮水安全巩固提升项目", 6, "102.15% 超支：全年执行数超过全年预算数 11.2 万元"},
		{"农村饮水安全巩固提升项目", 3, "财政评价 示例县财政局"},
		{"农村饮水安全巩固提升项目", 9, "未完成 1（共 1 个问题）"},
		{"农村饮水安全巩固提升项目", 10, "调减 下年度 450.5"},
		{"农村义务教育学生营养改善计划", 4, "1,280.6"},
		{"农村义务教育学生营养改善计划", 5, "1,276.354"},
		{"农村义务教育学生营养改善计划", 6, "99.67%"},
		// Its finding's deadline, 2024-06-30, has passed.
		{"农村义务教育学生营养改善计划", 9, "未完成 1（共 1 个问题） 逾期 1"},
		{"农村义务教育学生营养改善计划", 10, "优先保障 下年度 1,300"},
	} {
		if got := cell(t, page, c.title, c.col); got != c.want {
			t.Errorf("%s, column %d: %q, want %q", c.title, c.col, got, c.want)
		}
	}
	s.AssertFileContent("congress/2023/index.html",
		`<span class="overspend-mark">超支`, `<strong class="overdue-count">逾期 1</strong>`,
		`href="../../2023/school-meals/#findings-heading"`,
		// The rows' figures for the filter: millionths, exact.
		`data-budget="1280600000" data-total="92000000" data-open="1" data-overdue="1"`,
		`data-decision="reduce"`,
		// The summary of the whole table, computed in Go.
		`data-summary="total">共 2 项，其中报送人大 2 项；2 项列明预算，合计 1,800.6 万元。</td>`,
		`data-summary="average">90.25 分（2 项有综合得分）</td>`,
		`<span data-grade="优">优 1 项</span>，<span data-grade="良">良 1 项</span>`,
		`data-summary="findings">未完成整改的问题 2 个，其中逾期 1 个。</td>`,
		// Without JavaScript the filter is hidden; its result is announced.
		`<form class="congress-filter" data-congress-filter hidden>`, `role="status"`,
		`src="../../assets/js/congress-filter.js"`)
	// Not overspent, not overdue: no mark.
	if got := cell(t, page, "农村义务教育学生营养改善计划", 6); strings.Contains(got, "超支") {
		t.Errorf("school-meals is marked overspent: %q", got)
	}
	if got := cell(t, page, "农村饮水安全巩固提升项目", 9); strings.Contains(got, "逾期") {
		t.Errorf("rural-water is marked overdue: %q", got)
	}
}

// TestCongressOfficialReview checks that a record whose review is
// official shows the reviewed score as its result and says who reviewed.
func TestCongressOfficialReview(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, fullContent, fullJuly)
	page := s.File("congress/2023/index.html")
	for col, want := range map[int]string{
		3: "单位自评 示例县交通运输局 复核：示例县财政局",
		7: "86", // the review's score, not the self-evaluation's 91
		// The stated execution rate as written, and not overspent.
		6:  "89.97%",
		10: "调减 下年度 80.5",
	} {
		if got := cell(t, page, "农村公路养护项目", col); got != want {
			t.Errorf("column %d: %q, want %q", col, got, want)
		}
	}
}

// TestCongressPreviousFindings checks that the 2023 table shows the 2022
// findings of the same programme that are not done, linked to the 2022
// page, and not the one that is done; the 2022 table, with no year
// before it, has no such section.
func TestCongressPreviousFindings(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	s.AssertFileContent("congress/2023/index.html",
		`<h2 id="carried-heading">上年度评价发现、尚未完成整改的问题</h2>`,
		"本表中有 1 个项目在2022年也做过评价",
		`<a href="../../2022/rural-water/#findings-heading">2022年 农村饮水安全巩固提升项目</a>`,
		"水质检测频次不足：整改中，整改期限",
		"! 部分工程验收资料不全")
	s.AssertFileContent("congress/2022/index.html", "! carried-heading", "! 水质检测频次不足")
}

// TestCongressNothingUndisclosed checks that the draft and the future
// record, and their findings, reach no page of the site, the congress
// pages included.
func TestCongressNothingUndisclosed(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	s.AssertNowhere("草稿中的问题不应公开", "未到公开日期的问题", "草稿项目（不应公开）", "未到公开日期的项目",
		"示例县草稿局", "示例县未来局", "draft-plan", "future-plan")
	// The future record is of 2023: it is not counted either.
	s.AssertFileContent("congress/index.html", `<a href="../congress/2023/">2023年对照表</a></th>
<td class="num">2</td>`)
}

// TestCongressIndex checks /congress/: a line per year, newest first,
// with its counts, funds, average and findings, linking the year's table
// and booklet, and the navigation's link to it on every page.
func TestCongressIndex(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, seriesContent, seriesDay)
	s.AssertFileContent("congress/index.html", "<h1>人大预算审查参阅</h1>",
		`<th scope="row"><a href="../congress/2023/">2023年对照表</a></th>
<td class="num">2</td>
<td class="num">2</td>
<td class="num">1,800.6</td>
<td class="num">90.25</td>
<td class="num">2</td>
<td class="num"><strong class="overdue-count">1</strong></td>
<td><a href="../congress/2023/print/">2023年摘要汇编</a></td>`,
		`<th scope="row"><a href="../congress/2022/">2022年对照表</a></th>
<td class="num">1</td>
<td class="num">1</td>
<td class="num">600</td>
<td class="num">84</td>
<td class="num">1</td>
<td class="num">0</td>`,
		`<a href="../congress/" aria-current="page">人大审查</a>`)
	page := s.File("congress/index.html")
	if strings.Index(page, "2023年对照表") > strings.Index(page, "2022年对照表") {
		t.Errorf("congress/ does not list the newest year first")
	}
	for file, link := range map[string]string{
		"index.html":                  `<a href="congress/">人大审查</a>`,
		"2023/rural-water/index.html": `<a href="../../congress/">人大审查</a>`,
		// A year's table and booklet are in the section, not its index.
		"congress/2023/index.html":       `<a href="../../congress/" aria-current="true">人大审查</a>`,
		"congress/2023/print/index.html": `<a href="../../../congress/" aria-current="true">人大审查</a>`,
		"404.html":                       `<a href="/jxgk/congress/">人大审查</a>`,
	} {
		s.AssertFileContent(file, link)
	}
	s.AssertFileContent("sitemap.xml", "<loc>https://czj.example.gov.cn/jxgk/congress/</loc>")
}

// TestCongressPagesQuality validates the HTML of the series fixture's
// pages, the congress tables and index among them, and runs axe-core on
// them in Chromium with the filter's script running.
func TestCongressPagesQuality(t *testing.T) {
	sitetest.CheckSite(t, wholesite.BuildDir(t, seriesContent, seriesDay).Out(), "/jxgk/")
}

// filterState is what a reader sees of the congress table: the titles of
// the rows shown, the summary rows and the filter's announcement.
type filterState struct {
	Rows                             []string
	Total, Average, Grades, Findings string
	Status                           string
	FormShown                        bool
}

const readFilterState = `(() => {
	const sum = (n) => document.querySelector('[data-summary="' + n + '"]').textContent;
	return {
		Rows: Array.from(document.querySelectorAll('.congress-table tbody tr')).filter(r => !r.hidden).map(r => r.querySelector('th a').textContent),
		Total: sum('total'), Average: sum('average'), Grades: sum('grades'), Findings: sum('findings'),
		Status: document.querySelector('[data-filter-status]').textContent,
		FormShown: !document.querySelector('form[data-congress-filter]').hidden,
	};
})()`

// choose selects value in the filter's select id, as a reader's choice
// does: the change event follows.
func choose(id, value string) chromedp.Action[chromedp.Void] {
	set := chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		el.value = %q;
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, id, value))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := set(ctx, t)
		return chromedp.Void{}, err
	}
}

// TestCongressFilterUpdatesSummary filters the series fixture's 2023
// table in Chromium, as a reader would, and checks the rows shown, the
// summary rows recomputed for them, the announcement, and that "显示全部"
// brings back the figures that Go computed for the whole table.
func TestCongressFilterUpdatesSummary(t *testing.T) {
	out := wholesite.BuildDir(t, seriesContent, seriesDay).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	tab, cancel := chromedp.NewContext(sitetest.NewBrowser(t))
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"congress/2023/")); err != nil {
		t.Fatal(err)
	}
	look := func(step string) filterState {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[filterState](readFilterState))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return got
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	const meals, water = "农村义务教育学生营养改善计划", "农村饮水安全巩固提升项目"
	all := look("on load")
	if want := (filterState{
		Rows:      []string{meals, water},
		Total:     "共 2 项，其中报送人大 2 项；2 项列明预算，合计 1,800.6 万元。",
		Average:   "90.25 分（2 项有综合得分）",
		Grades:    "优 1 项，良 1 项，中 0 项，差 0 项",
		Findings:  "未完成整改的问题 2 个，其中逾期 1 个。",
		FormShown: true,
	}); !reflect.DeepEqual(all, want) {
		t.Fatalf("on load:\n got %+v\nwant %+v", all, want)
	}

	for _, step := range []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
		want    filterState
	}{
		{"department 示例县水利局", []chromedp.Action[chromedp.Void]{choose("filter-dept", "示例县水利局")}, filterState{
			Rows:     []string{water},
			Total:    "共 1 项，其中报送人大 1 项；1 项列明预算，合计 520 万元。",
			Average:  "88.5 分（1 项有综合得分）",
			Grades:   "优 0 项，良 1 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 1 个，其中逾期 0 个。",
			Status:   "显示 1 项（共 2 项），表尾合计按显示的项目计算。",
		}},
		{"and only overdue", []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS("#filter-overdue"))}, filterState{
			Rows:     []string{},
			Total:    "共 0 项，其中报送人大 0 项；均未列明预算。",
			Average:  "—",
			Grades:   "优 0 项，良 0 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 0 个，其中逾期 0 个。",
			Status:   "显示 0 项（共 2 项），表尾合计按显示的项目计算。",
		}},
		{"all departments, only overdue", []chromedp.Action[chromedp.Void]{choose("filter-dept", "")}, filterState{
			Rows:     []string{meals},
			Total:    "共 1 项，其中报送人大 1 项；1 项列明预算，合计 1,280.6 万元。",
			Average:  "92 分（1 项有综合得分）",
			Grades:   "优 1 项，良 0 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 1 个，其中逾期 1 个。",
			Status:   "显示 1 项（共 2 项），表尾合计按显示的项目计算。",
		}},
		{"reset", []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`form[data-congress-filter] button[type="reset"]`))}, filterState{
			Rows: all.Rows, Total: all.Total, Average: all.Average, Grades: all.Grades, Findings: all.Findings,
			Status: "显示全部 2 项。",
		}},
		{"decision 调减", []chromedp.Action[chromedp.Void]{choose("filter-decision", "reduce")}, filterState{
			Rows:     []string{water},
			Total:    "共 1 项，其中报送人大 1 项；1 项列明预算，合计 520 万元。",
			Average:  "88.5 分（1 项有综合得分）",
			Grades:   "优 0 项，良 1 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 1 个，其中逾期 0 个。",
			Status:   "显示 1 项（共 2 项），表尾合计按显示的项目计算。",
		}},
		{"grade 优 and 调减", []chromedp.Action[chromedp.Void]{choose("filter-grade", "优")}, filterState{
			Rows:     []string{},
			Total:    "共 0 项，其中报送人大 0 项；均未列明预算。",
			Average:  "—",
			Grades:   "优 0 项，良 0 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 0 个，其中逾期 0 个。",
			Status:   "显示 0 项（共 2 项），表尾合计按显示的项目计算。",
		}},
		{"reset again", []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`form[data-congress-filter] button[type="reset"]`))}, filterState{
			Rows: all.Rows, Total: all.Total, Average: all.Average, Grades: all.Grades, Findings: all.Findings,
			Status: "显示全部 2 项。",
		}},
		{"title words", []chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.CSS("#filter-q"), "营养 计划")}, filterState{
			Rows:     []string{meals},
			Total:    "共 1 项，其中报送人大 1 项；1 项列明预算，合计 1,280.6 万元。",
			Average:  "92 分（1 项有综合得分）",
			Grades:   "优 1 项，良 0 项，中 0 项，差 0 项",
			Findings: "未完成整改的问题 1 个，其中逾期 1 个。",
			Status:   "显示 1 项（共 2 项），表尾合计按显示的项目计算。",
		}},
	} {
		do(step.name, step.actions...)
		step.want.FormShown = true
		// The reset button's fields take their values after its event:
		// give the filter a moment to catch up.
		got := look(step.name)
		for deadline := time.Now().Add(2 * time.Second); !reflect.DeepEqual(got, step.want) && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			got = look(step.name)
		}
		if !reflect.DeepEqual(got, step.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", step.name, got, step.want)
		}
	}
}

// TestCongressFilterSumsExactly filters a table whose amounts and scores
// a float would get wrong (0.1 + 0.2; a mean of 80.005; twenty budgets of
// 999999999.999999, beyond 2^53 millionths) and checks the summary rows
// are exact, and that with every row shown again the script's figures are
// the very text Go wrote.
func TestCongressFilterSumsExactly(t *testing.T) {
	var b strings.Builder
	b.WriteString(siteToml)
	for i, r := range []struct{ budget, score string }{{"0.1", "80.01"}, {"0.2", "80"}} {
		fmt.Fprintf(&b, "\n-- content/2023/evaluations/a%d.toml --\ntitle = \"甲项目%d\"\ndepartment = \"测试市甲局\"\nyear = 2023\nbudget = %s\nscore = %s\n",
			i, i, r.budget, r.score)
	}
	for i := range 20 {
		fmt.Fprintf(&b, "\n-- content/2023/evaluations/b%02d.toml --\ntitle = \"乙项目%02d\"\ndepartment = \"测试市乙局\"\nyear = 2023\nbudget = 999999999.999999\nscore = 70\ncongress = true\n", i, i)
	}
	s := wholesite.Build(t, b.String())
	const (
		goTotal   = "共 22 项，其中报送人大 20 项；22 项列明预算，合计 20,000,000,000.29998 万元。"
		goAverage = "70.91 分（22 项有综合得分）"
	)
	s.AssertFileContent("congress/2023/index.html", goTotal, goAverage)

	base := sitetest.ServeDir(t, s.Out(), "/jxgk/")
	tab, cancel := chromedp.NewContext(sitetest.NewBrowser(t))
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"congress/2023/")); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		dept, total, average string
	}{
		{"测试市甲局", "共 2 项，其中报送人大 0 项；2 项列明预算，合计 0.3 万元。", "80.01 分（2 项有综合得分）"},
		{"测试市乙局", "共 20 项，其中报送人大 20 项；20 项列明预算，合计 19,999,999,999.99998 万元。", "70 分（20 项有综合得分）"},
		// Every row again: the script's sums of all rows equal Go's.
		{"", goTotal, goAverage},
	} {
		err := chromedp.Do(tab, choose("filter-dept", step.dept))
		var got filterState
		if err == nil {
			got, err = chromedp.Run(tab, chromedp.Evaluate[filterState](readFilterState))
		}
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != step.total || got.Average != step.average {
			t.Errorf("department %q: %q, %q; want %q, %q", step.dept, got.Total, got.Average, step.total, step.average)
		}
	}
}
