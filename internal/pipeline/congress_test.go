package pipeline_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

func TestCongressTable(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/parks.toml --
title = "城市公园管护项目"
department = "测试市园林局"
year = 2023
attachment = "附件2"
budget = 30
spent = 28.5
congress = true
score = 78
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
draft = true
`)
	s.AssertFileContent("congress/2023/index.html",
		`<a href="../../2023/roads/">农村公路养护项目</a>`, `<a href="../../2023/parks/">城市公园管护项目</a>`,
		`<tr class="congress" data-dept="测试市园林局"`, "★ 是", `data-sort="120.5"`, `data-sort="28.5"`, `data-sort="78"`,
		"共 2 项，其中报送人大 1 项", "2 项列明预算，合计 150.5 万元", "81.5 分", "良 1 项", "中 1 项",
		`src="../../assets/js/sort-table.js"`, `href="../../data/2023.csv"`,
		"! 草稿机密项目", // a draft is not in the congress table
	)
	page := s.File("congress/2023/index.html")
	if strings.Index(page, "农村公路养护项目") > strings.Index(page, "城市公园管护项目") {
		t.Errorf("the table is not in the bureau's order (附件1 first)")
	}
	// The year page links the congress table.
	s.AssertFileContent("2023/index.html", `href="../congress/2023/"`)
}

// TestCongressTableSortsByScore clicks the score header's button of the
// default site's congress table, as a reader would, and checks the order.
func TestCongressTableSortsByScore(t *testing.T) {
	base := sitetest.ServeDir(t, wholesite.BuildDir(t, defaultContent).Out(), "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"congress/2023/")); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Scores []string
		Sort   string
	}
	const look = `({
		Scores: Array.from(document.querySelectorAll('.congress-table tbody tr'), r => r.cells[7].textContent.trim()),
		Sort: document.querySelectorAll('.congress-table thead th')[7].getAttribute('aria-sort') || '',
	})`
	score := chromedp.Evaluate[bool](`(document.querySelectorAll('.congress-table thead th')[7].querySelector('button').click(), true)`)
	got, err := chromedp.Run(tab, chromedp.Evaluate[state](look))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"93.5", "92"}; !slices.Equal(got.Scores, want) || got.Sort != "" {
		t.Fatalf("before sorting: %+v, want %q unsorted", got, want)
	}
	for _, want := range []state{{[]string{"92", "93.5"}, "ascending"}, {[]string{"93.5", "92"}, "descending"}} {
		deadline := time.Now().Add(5 * time.Second)
		if _, err := chromedp.Run(tab, score); err != nil {
			t.Fatal(err)
		}
		for {
			if got, err = chromedp.Run(tab, chromedp.Evaluate[state](look)); err != nil {
				t.Fatal(err)
			}
			if slices.Equal(got.Scores, want.Scores) && got.Sort == want.Sort || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !slices.Equal(got.Scores, want.Scores) || got.Sort != want.Sort {
			t.Errorf("after a click: %+v, want %+v", got, want)
		}
	}
}

func TestPrintBooklet(t *testing.T) {
	t.Parallel()
	// The seed marks no record for the congress: its booklet gathers all.
	seed := wholesite.BuildDir(t, defaultContent)
	seed.AssertFileContent("congress/2023/print/index.html", "2023年预算绩效评价报告摘要汇编", "全部 2 份", `href="#e-disability-subsidies"`, `href="#e-digital-city-management"`,
		`<article class="booklet-item" id="e-disability-subsidies"`, `id="e-disability-subsidies-`, "<h3", "26.5", "原因：按公布文件原样公开", "! 数据核对说明",
		// The acknowledged grade is information, not the data check's alarm.
		`<div class="remarks info">`, `<span class="info-mark" aria-hidden="true">ⓘ</span> 说明`, `! class="notice"`)
	page := seed.File("congress/2023/print/index.html")
	if strings.Index(page, "残疾人“两项补贴”") > strings.Index(page, "数字化城管运行经费") {
		t.Errorf("the booklet is not in the bureau's order")
	}
	if table := seed.File("congress/2023/index.html"); !strings.Contains(table, `href="../../congress/2023/print/"`) &&
		!strings.Contains(table, `href="print/"`) {
		t.Errorf("the congress table does not link its booklet")
	}

	// Marked records only, when some are marked; drafts never.
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/parks.toml --
title = "城市公园管护项目"
department = "测试市园林局"
year = 2023
congress = true
score = 78
-- content/2023/evaluations/parks.md --
## 一、成效

公园正文。
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
congress = true
draft = true
`)
	// The booklet holds the marked record with its narrative, and neither
	// the unmarked record nor the draft.
	s.AssertFileContent("congress/2023/print/index.html", "报送人大参阅的 1 份", "公园正文", `<h3 id="e-parks-一成效">`,
		"! 农村公路养护项目", "! 草稿机密项目")
}
