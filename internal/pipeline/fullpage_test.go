package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// fullCopy copies the full fixture into a folder of the test's own, with
// a file in the record's folder that nothing references.
func fullCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS(fullContent)); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(dir, "2023", "evaluations", "road-maintenance", "内部底稿.pdf")
	if err := os.WriteFile(draft, []byte("%PDF-1.4\n% not for the public\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestFullRecordPage builds the record with every field of the second
// edition and checks that a reader finds each on its page, in the
// congress table, the booklet and the lists, with amounts as written and
// the official (reviewed) result as the headline; that its document is
// published as it is, and the folder's other file is not.
func TestFullRecordPage(t *testing.T) {
	t.Parallel()
	content := fullCopy(t)
	s := wholesite.BuildDir(t, content, fullJuly)
	page := "2023/road-maintenance/index.html"
	s.AssertFileContent(page,
		// The official result is the review's; the record's own is beside it.
		`<span class="value">86</span>`, `<span class="grade g1">良</span>`,
		"单位自评结果 91 分（优）；复核结果 86 分（良）为正式结果（示例县财政局复核）",
		"<dt>评价方式</dt><dd>单位自评</dd>", "<dt>复核</dt><dd>示例县财政局</dd>",
		// Money as written, and the fund rows as a table.
		"<dt>年初预算数</dt><dd>90 万元</dd>", "<dt>全年预算数</dt><dd>100 万元</dd>",
		"<dt>全年执行数</dt><dd>89.974 万元</dd>", "<dt>执行率</dt><dd>89.97%</dd>",
		`<th scope="row">本年财政拨款</th>`, `<td class="num">80.974</td>`, `<th scope="row">上年结转资金</th>`,
		`<th scope="row">年度资金总额</th>`, "! 超支",
		// The year's goal.
		"<dt>预期目标</dt>", "完成全县农村公路日常养护 320 公里，优良路率不低于 80%。",
		"<dt>实际完成情况</dt>", "完成日常养护 318 公里，优良路率 82%。",
		// Deviations under their rows, at the third level and the first.
		`<tr class="deviation level-3">`, "两处路段因汛期封闭未能养护；下年度汛前完成。",
		`<tr class="deviation level-1">`, "群众出行条件改善，部分路段路面仍有破损。",
		"指标值：≥320公里", "完成值：318公里",
		// Findings: one done, one overdue on the build's date, in words.
		"共 2 个问题，已整改 1 个，<strong>逾期未整改 1 个</strong>（截至 2024-07-01）",
		"部分养护资金拨付不及时", "建立按月拨付台账", "示例县交通运输局", "2024-03-31", "2024-03-20", "已按月拨付",
		`<span class="status-done">已整改</span>`,
		"养护巡查记录不完整", "示例县公路养护中心", "2024-06-30", `<strong class="status-overdue">逾期未整改</strong>（整改中）`,
		// Result use.
		"<dt>应用方式</dt><dd>调减</dd>", "<dt>下年度安排</dt><dd>80.5 万元</dd>", "按执行情况调减下年度预算。",
		// The original document, linked beside the page with type and size.
		`<a href="%E8%87%AA%E8%AF%84%E8%A1%A8.pdf">项目支出绩效自评表（盖章版）</a>`, "（PDF 文档，102 字节）",
		"! 内部底稿",
		// The update log and the page's updated date.
		`<h2 id="updates-heading">更新记录</h2>`, `<li><time datetime="2024-05-10">2024-05-10</time> 更正满意度指标得分的表述</li>`,
		`<dt>更新日期</dt>`,
		// The acknowledged grade: a neutral note with its reason, no alarm.
		`<h2 id="remarks-heading"><span class="info-mark" aria-hidden="true">ⓘ</span> 说明</h2>`, "“效益指标”公布的等级为“良”", "原因：按公布文件原样公开",
		"! 数据核对说明", "! notes-heading",
	)
	// The document is published byte for byte; the unreferenced file is
	// not, and only it is named in the notice.
	want, err := os.ReadFile(filepath.Join(content, "2023", "evaluations", "road-maintenance", "自评表.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.File("2023/road-maintenance/自评表.pdf"); got != string(want) {
		t.Errorf("published document differs from its source: %q", got)
	}
	s.AssertNoFile("2023/road-maintenance/内部底稿.pdf")
	notices := strings.Join(s.Stats().Notices, "\n")
	if !strings.Contains(notices, "内部底稿.pdf 没有被 road-maintenance.md 引用，未发布") || strings.Contains(notices, "自评表.pdf") {
		t.Errorf("notices:\n%s", notices)
	}

	// The congress table, the booklet and the lists: amounts as written,
	// the official result.
	s.AssertFileContent("congress/2023/index.html",
		`data-sort="100">100</td>`, `data-sort="89.974">89.974</td>`, `data-sort="86">86</td>`,
		`data-sort="1"><span class="grade g1">良</span>`, "#remarks-heading", "! #notes-heading", "! >91<")
	s.AssertFileContent("congress/2023/print/index.html",
		"<dt>年初预算数</dt><dd>90 万元</dd>", "<dt>全年执行数</dt><dd>89.974 万元</dd>", "<dt>执行率</dt><dd>89.97%</dd>",
		"<dt>综合得分</dt><dd>86 分（复核结果）</dd>", "<dt>单位自评结果</dt><dd>91 分（优）</dd>",
		"<dt>发现问题</dt><dd>2 个，已整改 1 个，逾期未整改 1 个</dd>", "<dt>结果应用</dt><dd>调减，下年度安排 80.5 万元</dd>",
		"两处路段因汛期封闭未能养护", "原因：按公布文件原样公开", "! 数据核对说明")
	for _, list := range []string{"2023/index.html", "index.html", "departments/shilixian-jiaotongyunshuju/index.html"} {
		s.AssertFileContent(list, `<span class="grade g1">良</span>`, "! >91<", `! <span class="grade g0">优</span></td>`)
	}

	// Two builds of the same content are byte for byte the same.
	if a, b := s.AllOutput(), wholesite.BuildDir(t, content, fullJuly).AllOutput(); a != b {
		t.Errorf("two builds of the full fixture differ")
	}
}

// TestEvaluationPageMoneyAndResults covers what the full fixture does not
// show: an overspent project, a stated execution rate that disagrees with
// spent ÷ budget (shown as stated, with the computed value beside it), an
// unacknowledged mismatch (still the data check's box), and a review that
// is not official.
func TestEvaluationPageMoneyAndResults(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/bus.toml --
title = "公交运营补贴项目"
department = "测试市交通运输局"
year = 2023
method = "department"
budget = 45
spent = 52.885
execution_rate = 110
score = 99
grade = "优"

[[indicators]]
name = "产出指标"
max = 100
score = 90

[review]
by = "测试市财政局"
score = 88
grade = "良"
`)
	s.AssertFileContent("2023/bus/index.html",
		"<dt>执行率</dt><dd>110%</dd>",
		"执行率为公布值；按全年执行数 ÷ 全年预算数计算为 117.52%",
		"<strong>超支：</strong>全年执行数超过全年预算数 7.885 万元。",
		`<h2 id="notes-heading"><span class="info-mark" aria-hidden="true">ⓘ</span> 数据核对说明</h2>`, "公布的综合得分为 99 分", "公布的执行率为 110%",
		"! remarks-heading",
		`<span class="value">99</span>`,
		"部门评价结果 99 分（优）为正式结果；复核结果 88 分（良）（测试市财政局复核）",
	)
	s.AssertFileContent("congress/2023/print/index.html", "<dt>执行率</dt><dd>110%（超支）</dd>", "数据核对说明")
}

// TestFullSiteQuality checks the site of the record with every field of
// the second edition as TestDefaultSiteQuality checks the default one:
// links, requests, valid HTML, console and CSP errors, and axe.
func TestFullSiteQuality(t *testing.T) {
	out := wholesite.BuildDir(t, fullContent, fullJuly).Out()
	sitetest.CheckSite(t, out, "/jxgk/")
}

// TestFullPageTablesFitAPhone opens the full record's page at 390 CSS px,
// a common phone: the indicator table with its deviations and the table
// of fund sources must fit the screen without scrolling sideways, so that
// a reader sees the score and grade beside each indicator's name.
func TestFullPageTablesFitAPhone(t *testing.T) {
	out := wholesite.BuildDir(t, fullContent, fullJuly).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"2023/road-maintenance/")); err != nil {
		t.Fatal(err)
	}
	type box struct {
		Table         string
		Width, Scroll int
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll('table.scores, table.funds'))
		.map(t => ({Table: t.className, Width: t.parentElement.clientWidth, Scroll: t.parentElement.scrollWidth}))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("tables = %v, want the scores and the funds", got)
	}
	for _, b := range got {
		if b.Scroll > b.Width {
			t.Errorf("table.%s is %d px wide in a %d px box at 390 px: it scrolls sideways", b.Table, b.Scroll, b.Width)
		}
	}
}

// TestDocumentAlsoLinkedFromNarrative: a file that the narrative links and
// [[documents]] lists is published once, both links lead to it, and the
// list names it by its file name when the record gives no title.
func TestDocumentAlsoLinkedFromNarrative(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/roads.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2023
score = 85

[[documents]]
file = "roads/报告.pdf"
-- content/2023/evaluations/roads.md --
全文见[评价报告](roads/报告.pdf)。
-- content/2023/evaluations/roads/报告.pdf --
%PDF-1.4
x
`)
	s.AssertFileContent("2023/roads/index.html",
		`<a href="%E6%8A%A5%E5%91%8A.pdf">评价报告</a>`,
		`<a href="%E6%8A%A5%E5%91%8A.pdf">报告.pdf</a> <span class="file-info">（PDF 文档，11 字节）</span>`)
	if got := s.File("2023/roads/报告.pdf"); got != "%PDF-1.4\nx\n" {
		t.Errorf("published %q", got)
	}
	if notices := strings.Join(s.Stats().Notices, "\n"); strings.Contains(notices, "未发布") {
		t.Errorf("notices:\n%s", notices)
	}
}
