package pipeline_test

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

const siteToml = `
-- content/site.toml --
title = "测试市财政局 预算绩效评价结果公开"
organization = "测试市财政局"
base_url = "https://example.gov.cn/jxgk/"
`

const goodRecord = `
-- content/2023/evaluations/roads.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2023
attachment = "附件1"
budget = 120.5
score = 85
grade = "良"

[[indicators]]
name = "决策"
max = 20
score = 18

[[indicators]]
name = "过程"
max = 20
score = 15

[[indicators]]
name = "产出"
max = 40
score = 34
  [[indicators.items]]
  name = "数量"
  max = 20
  score = 17
  [[indicators.items]]
  name = "质量"
  max = 20
  score = 17

[[indicators]]
name = "效益"
max = 20
score = 18
-- content/2023/evaluations/roads.md --
## 一、项目成效

养护里程全部完成。
`

func TestDraftAndFutureRecordsAreNotBuilt(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
draft = true
-- content/2023/evaluations/secret-draft.md --
草稿正文不应出现
-- content/2023/evaluations/later.toml --
title = "尚未到期项目"
department = "保密部门乙"
year = 2023
grade = "优"
published = 2024-06-02
`)
	s.AssertNowhere("草稿机密项目", "保密部门甲", "草稿正文不应出现", "尚未到期项目", "保密部门乙", "secret-draft", "later")
	s.AssertFileContent("2023/index.html", "农村公路养护项目")
}

func TestEvaluationPageShowsScoreTable(t *testing.T) {
	t.Parallel()
	wholesite.Build(t, siteToml+goodRecord).AssertFileContent("2023/roads/index.html",
		`<html lang="zh-CN">`,
		"<h1>农村公路养护项目</h1>",
		`<th scope="col" class="num">得分率</th>`,
		`<tr class="level-2">`,       // second-level rows are shown
		"<td class=\"num\">85%</td>", // 17/20
		"120.5 万元",
		`id="一项目成效"`,
		`href="../../departments/ceshishi-jiaotongyunshuju/"`,
	)
}

func TestBadRecordNamesLineAndKeepsOutput(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord)
	before := s.AllOutput()

	// The second indicator's score becomes a string: the error must name
	// the second [[indicators]] block's line, not the last one.
	s.EditContent("2023/evaluations/roads.toml", "score = 15", `score = "十五"`)
	s.EditContent("2023/evaluations/roads.toml", "year = 2023", "year = 2023\nscroe = 1")
	again := s.Again()
	if !errors.Is(again.Err(), pipeline.ErrFailed) {
		t.Fatalf("build of a broken record: err = %v, want ErrFailed", again.Err())
	}
	again.AssertDiag("roads.toml:4:1", "error: scroe")
	again.AssertDiag("roads.toml:18:1", "error: indicators[1].score")
	if after := again.AllOutput(); after != before {
		t.Errorf("a failed build changed the previous output")
	}
}

func TestStrictFailsOnWarnings(t *testing.T) {
	t.Parallel()
	// A stated grade that disagrees is a warning, not an error.
	archive := siteToml + strings.Replace(goodRecord, `grade = "良"`, `grade = "优"`, 1)
	wholesite.Build(t, archive).AssertFileContent("2023/roads/index.html", "数据核对说明", `<span class="grade g0">优</span>`)
	wholesite.BuildFails(t, archive, wholesite.Strict)
}

func TestListOnlyRecord(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2022/evaluations/grade-only.toml --
title = "只公布等级的项目"
department = "测试市民政局"
year = 2022
grade = "中"
`)
	// No score table; the grade is shown.
	s.AssertFileContent("2022/grade-only/index.html", "! 评分情况", `<span class="grade g2">中</span>`)
}

var canonicalRe = regexp.MustCompile(`<link rel="canonical" href="https://example\.gov\.cn/jxgk/[^"]*">`)

func TestUnderAnyBasePath(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord)
	// Every page but 404 links relatively: no href or src starts with "/".
	pages := 0
	for _, p := range s.OutputFiles() {
		if !strings.HasSuffix(p, ".html") || path.Base(p) == "404.html" {
			continue
		}
		pages++
		// The canonical link names the page's published address, from
		// base_url: it is the one absolute link, and no browser follows it.
		b := canonicalRe.ReplaceAllString(s.File(p), "")
		for _, attr := range []string{`href="/`, `src="/`, `href="http`, `src="http`} {
			if strings.Contains(b, attr) {
				t.Errorf("%s has %s…: links must be relative", p, attr)
			}
		}
	}
	if pages == 0 {
		t.Fatal("the build wrote no page")
	}
	// The 404 page is served at any depth, so it links from the base path.
	s.AssertFileContent("404.html", `href="/jxgk/assets/css/site.css"`)
}

func TestHostileFieldsAreEscaped(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/x.toml --
title = "</title><script>alert(1)</script>"
department = "<img src=x onerror=alert(2)>"
year = 2023
evaluator = "\" onmouseover=\"alert(3)"
score = 90

[[indicators]]
name = "<b>决策</b>"
max = 100
score = 90
-- content/2023/evaluations/x.md --
<script>alert(4)</script>

[点我](javascript:alert(5))
`)
	// The CSV files hold the text as published, which is their job: a
	// spreadsheet shows it and no browser renders them as HTML. The
	// year's zip holds them too (a small chunk may be stored rather than
	// deflated, its text as it is): its other entries are checked here.
	hostile := []string{"<script>alert", "<img src=x", `" onmouseover="`, "<b>决策", "javascript:alert"}
	zipName := filepath.Join(s.Out(), "data", "2023.zip")
	for name, data := range unzip(t, "2023.zip", []byte(s.File("data/2023.zip"))) {
		for _, h := range hostile {
			if !strings.HasSuffix(name, ".csv") && strings.Contains(string(data), h) {
				t.Errorf("%q reached 2023.zip's %s", h, name)
			}
		}
	}
	for _, y := range []string{"evaluations", "2023", "indicators"} {
		if err := os.Remove(filepath.Join(s.Out(), "data", y+".csv")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(zipName); err != nil {
		t.Fatal(err)
	}
	s.AssertNowhere("<script>alert", "<img src=x", `" onmouseover="`, "<b>决策", "javascript:alert")
	s.AssertFileContent("2023/x/index.html", "&lt;/title&gt;&lt;script&gt;")
}

func TestSiteTemplatesOverrideDefaults(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/templates/404.html --
{{define "content"}}<h1>本站自定义的404页面</h1>{{end}}
`)
	// The override replaces the default, and is not itself published.
	s.AssertFileContent("404.html", "本站自定义的404页面")
	s.AssertNowhere("templates/404.html")
}

// TestNoInlineScriptAndChartsOnlyWhereNeeded checks every page of a site
// with hostile text: no <script> without src (the strict CSP would block
// it, and hostile text must never become one), and ECharts loaded only by
// pages that draw a chart.
func TestNoInlineScriptAndChartsOnlyWhereNeeded(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/hostile.toml --
title = "</script><script>alert(1)</script>"
department = "</script><script>alert(2)</script>"
year = 2023
score = 80

[[indicators]]
name = "</script><script>alert(3)</script>"
max = 100
score = 80
`)
	inline := regexp.MustCompile(`<script(?:\s+[^>]*)?>`)
	for _, rel := range s.OutputFiles() {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		b := s.File(rel)
		for _, tag := range inline.FindAllString(b, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s has an inline script: %s", rel, tag)
			}
		}
		charts := strings.Contains(b, `class="chart `)
		echarts := strings.Contains(b, "echarts.min.js")
		if echarts && !charts {
			t.Errorf("%s loads ECharts but has no chart", rel)
		}
	}
	for _, page := range []string{"departments/index.html", "search/index.html", "404.html"} {
		s.AssertFileContent(page, "! echarts")
	}
}

func TestPersonalDataStopsTheBuild(t *testing.T) {
	t.Parallel()
	// 11010519491231002X is a made-up number with a valid date and check
	// digit; 13812345678 a well-formed mobile number. The build fails on
	// it even in a draft.
	s := wholesite.BuildFails(t, siteToml+goodRecord+`
-- content/2023/evaluations/leak.toml --
title = "泄露测试项目"
department = "测试市民政局"
year = 2023
grade = "良"
draft = true
-- content/2023/evaluations/leak.md --
## 一、情况

补贴对象张某，身份证号11010519491231002X，联系电话13812345678。
`)
	// Named and masked: no diagnostic shows the personal data unmasked.
	s.AssertDiags("leak.md:3:", "身份证号", "手机号", "110105", "138****5678", "! 11010519491231002X", "! 13812345678")

	// A record whose TOML does not decode still has its narrative
	// checked in the same run: the staffer learns of both problems at once.
	s = wholesite.BuildFails(t, siteToml+goodRecord+`
-- content/2023/evaluations/broken.toml --
title = "记录有错的项目"
department = "测试市民政局"
year = 2023
grade = "良
-- content/2023/evaluations/broken.md --
## 一、情况

联系电话13812345678。
`)
	s.AssertDiags("broken.toml:4", "broken.md:3:", "手机号", "138****5678", "先改正记录的错误", "! 13812345678")

	// A number published on purpose is acknowledged in the record.
	wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/hotline.toml --
title = "服务热线项目"
department = "测试市民政局"
year = 2023
grade = "良"
allow_personal_data = ["13812345678"]
-- content/2023/evaluations/hotline.md --
服务热线：13812345678。
`)
}

func TestCheckFindsBrokenLinks(t *testing.T) {
	t.Parallel()
	s := wholesite.CheckFails(t, siteToml+goodRecord+`
-- content/2023/evaluations/links.toml --
title = "链接测试项目"
department = "测试市交通运输局"
year = 2023
grade = "良"
-- content/2023/evaluations/links.md --
## 一、情况

见[去年的评价](../../2022/roads/)和[本站的附件](../roads/#no-such-part)。

外部链接[财政部](https://www.mof.gov.cn/)可以有。
`)
	s.AssertDiag("links.md:3", "error: 生成的页面 2023/links/index.html")
	// Both broken links are named; an external link is not reported.
	s.AssertDiags(`"../../2022/roads/"`, `"../roads/#no-such-part"`, "! mof.gov.cn")
	// The default site has no broken link.
	if c := wholesite.CheckDir(t, defaultContent); c.Err() != nil {
		t.Errorf("check of the default content: %v\n%s", c.Err(), c.DiagText())
	}
}

// TestMastheadOverrideReadsTitle: a site's own masthead that reads the
// page's title shows each page its own title, the same on every build
// (the default masthead is made once per depth and section, and reused).
func TestMastheadOverrideReadsTitle(t *testing.T) {
	t.Parallel()
	src, err := fs.ReadFile(evalpress.Files, "templates/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	partials := strings.Replace(string(src), `<header class="masthead" id="elder">`, `<header class="masthead" id="elder"><p class="page-title">本页：{{.Title}}</p>`, 1)
	if partials == string(src) {
		t.Fatal("the default masthead changed: update this test")
	}
	second := strings.ReplaceAll(goodRecord, "roads", "bridges")
	second = strings.Replace(second, "农村公路养护项目", "桥梁检测项目", 1)
	archive := siteToml + goodRecord + second + "-- content/templates/partials.html --\n" + partials
	var outputs []string
	for range 2 {
		s := wholesite.Build(t, archive)
		// The masthead shows each page's own title.
		for page, title := range map[string]string{"2023/roads/index.html": "农村公路养护项目", "2023/bridges/index.html": "桥梁检测项目"} {
			s.AssertFileContent(page, "本页："+title)
		}
		outputs = append(outputs, s.AllOutput())
	}
	if outputs[0] != outputs[1] {
		t.Errorf("two builds of the same content differ")
	}
}

// TestSizedTellsTheSize checks that build tells Options.Sized how many
// records the content holds, drafts included (evalpress build sizes the
// collector's memory budget by it). That it is told before the records
// are read is TestListedBeforeRead's (internal/content).
func TestSizedTellsTheSize(t *testing.T) {
	t.Parallel()
	got := -1
	wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/draft.toml --
title = "草稿项目"
department = "测试市交通运输局"
year = 2023
grade = "良"
score = 85
draft = true
-- content/2022/evaluations/bridges.toml --
title = "桥梁养护项目"
department = "测试市交通运输局"
year = 2022
grade = "良"
score = 85
`, func(o *pipeline.Options) { o.Sized = func(n int) { got = n } })
	if got != 3 {
		t.Errorf("Sized was told %d records, want 3", got)
	}
}
