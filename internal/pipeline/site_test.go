package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/diag"
)

// siteFromTxtar writes a txtar archive's files into a new directory and
// returns the content and output paths.
func siteFromTxtar(t *testing.T, archive string) (contentDir, outDir string) {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "content"), filepath.Join(root, "public")
}

// buildSite builds a txtar site at a fixed time and returns its output dir.
func buildSite(t *testing.T, archive string) (string, *diag.List, error) {
	t.Helper()
	c, out := siteFromTxtar(t, archive)
	var l diag.List
	_, err := Run(context.Background(), Options{Content: c, Out: out, Now: fixedNow}, &l)
	return out, &l, err
}

var fixedNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func read(t *testing.T, out, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("reading output: %v", err)
	}
	return string(b)
}

// allOutput concatenates every output file, for "appears nowhere" checks.
func allOutput(t *testing.T, out string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

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
	out, _, err := buildSite(t, siteToml+goodRecord+`
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
	if err != nil {
		t.Fatal(err)
	}
	all := allOutput(t, out)
	for _, secret := range []string{"草稿机密项目", "保密部门甲", "草稿正文不应出现", "尚未到期项目", "保密部门乙", "secret-draft", "later"} {
		if strings.Contains(all, secret) {
			t.Errorf("undisclosed text %q reached the output", secret)
		}
	}
	if !strings.Contains(read(t, out, "2023/index.html"), "农村公路养护项目") {
		t.Errorf("the published record is missing from the year page")
	}
}

func TestEvaluationPageShowsScoreTable(t *testing.T) {
	out, _, err := buildSite(t, siteToml+goodRecord)
	if err != nil {
		t.Fatal(err)
	}
	page := read(t, out, "2023/roads/index.html")
	for _, want := range []string{
		`<html lang="zh-CN">`,
		"<h1>农村公路养护项目</h1>",
		`<th scope="col" class="num">得分率</th>`,
		`<tr class="level-2">`,       // second-level rows are shown
		"<td class=\"num\">85%</td>", // 17/20
		"120.5 万元",
		`id="一项目成效"`,
		`href="../../departments/ceshishi-jiaotongyunshuju/"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("evaluation page lacks %q", want)
		}
	}
}

func TestBadRecordNamesLineAndKeepsOutput(t *testing.T) {
	c, out := siteFromTxtar(t, siteToml+goodRecord)
	var l diag.List
	if _, err := Run(context.Background(), Options{Content: c, Out: out, Now: fixedNow}, &l); err != nil {
		t.Fatal(err)
	}
	before := allOutput(t, out)

	bad := filepath.Join(c, "2023/evaluations/roads.toml")
	src, _ := os.ReadFile(bad)
	// The second indicator's score becomes a string: the error must name
	// the second [[indicators]] block's line, not the last one.
	src = bytes.Replace(src, []byte("score = 15"), []byte(`score = "十五"`), 1)
	src = bytes.Replace(src, []byte("year = 2023"), []byte("year = 2023\nscroe = 1"), 1)
	if err := os.WriteFile(bad, src, 0o644); err != nil {
		t.Fatal(err)
	}
	l = diag.List{}
	_, err := Run(context.Background(), Options{Content: c, Out: out, Now: fixedNow}, &l)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("build of a broken record: err = %v, want ErrFailed", err)
	}
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.String())
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{"roads.toml:4:1: error: scroe", "roads.toml:18:1: error: indicators[1].score"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, text)
		}
	}
	if after := allOutput(t, out); after != before {
		t.Errorf("a failed build changed the previous output")
	}
}

func TestStrictFailsOnWarnings(t *testing.T) {
	c, out := siteFromTxtar(t, siteToml+strings.Replace(goodRecord, `grade = "良"`, `grade = "优"`, 1))
	var l diag.List
	if _, err := Run(context.Background(), Options{Content: c, Out: out, Now: fixedNow}, &l); err != nil {
		t.Fatalf("a stated grade that disagrees is a warning, not an error: %v", err)
	}
	page := read(t, out, "2023/roads/index.html")
	if !strings.Contains(page, "数据核对说明") || !strings.Contains(page, `<span class="grade g0">优</span>`) {
		t.Errorf("the page should show the stated grade 优 with a note")
	}
	l = diag.List{}
	if _, err := Run(context.Background(), Options{Content: c, Out: out + "2", Now: fixedNow, Strict: true}, &l); !errors.Is(err, ErrFailed) {
		t.Errorf("-strict: err = %v, want ErrFailed", err)
	}
}

func TestListOnlyRecord(t *testing.T) {
	out, l, err := buildSite(t, siteToml+`
-- content/2022/evaluations/grade-only.toml --
title = "只公布等级的项目"
department = "测试市民政局"
year = 2022
grade = "中"
`)
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	page := read(t, out, "2022/grade-only/index.html")
	if strings.Contains(page, "评分情况") {
		t.Errorf("a list-only record got a score table")
	}
	if !strings.Contains(page, `<span class="grade g2">中</span>`) {
		t.Errorf("the grade is not shown")
	}
}

var canonicalRe = regexp.MustCompile(`<link rel="canonical" href="https://example\.gov\.cn/jxgk/[^"]*">`)

func TestUnderAnyBasePath(t *testing.T) {
	out, _, err := buildSite(t, siteToml+goodRecord)
	if err != nil {
		t.Fatal(err)
	}
	// Every page but 404 links relatively: no href or src starts with "/".
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || filepath.Base(p) == "404.html" {
			return err
		}
		b, _ := os.ReadFile(p)
		// The canonical link names the page's published address, from
		// base_url: it is the one absolute link, and no browser follows it.
		b = canonicalRe.ReplaceAll(b, nil)
		for _, attr := range []string{`href="/`, `src="/`, `href="http`, `src="http`} {
			if bytes.Contains(b, []byte(attr)) {
				t.Errorf("%s has %s…: links must be relative", p, attr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The 404 page is served at any depth, so it links from the base path.
	if nf := read(t, out, "404.html"); !strings.Contains(nf, `href="/jxgk/assets/css/site.css"`) {
		t.Errorf("404.html does not link its style from the base path /jxgk/")
	}
}

func TestHostileFieldsAreEscaped(t *testing.T) {
	out, l, err := buildSite(t, siteToml+`
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
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	// The CSV files hold the text as published, which is their job: a
	// spreadsheet shows it and no browser renders them as HTML.
	for _, y := range []string{"evaluations", "2023"} {
		if err := os.Remove(filepath.Join(out, "data", y+".csv")); err != nil {
			t.Fatal(err)
		}
	}
	all := allOutput(t, out)
	for _, bad := range []string{"<script>alert", "<img src=x", `" onmouseover="`, "<b>决策", "javascript:alert"} {
		if strings.Contains(all, bad) {
			t.Errorf("hostile text %q reached the output unescaped", bad)
		}
	}
	if !strings.Contains(read(t, out, "2023/x/index.html"), "&lt;/title&gt;&lt;script&gt;") {
		t.Errorf("the title is not shown escaped")
	}
}

func TestSiteTemplatesOverrideDefaults(t *testing.T) {
	out, l, err := buildSite(t, siteToml+goodRecord+`
-- content/templates/404.html --
{{define "content"}}<h1>本站自定义的404页面</h1>{{end}}
`)
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	if !strings.Contains(read(t, out, "404.html"), "本站自定义的404页面") {
		t.Errorf("content/templates/404.html did not replace the default")
	}
	if strings.Contains(allOutput(t, out), "templates/404.html") {
		t.Errorf("the override template itself was published")
	}
}

// TestNoInlineScriptAndChartsOnlyWhereNeeded checks every page of a site
// with hostile text: no <script> without src (the strict CSP would block
// it, and hostile text must never become one), and ECharts loaded only by
// pages that draw a chart.
func TestNoInlineScriptAndChartsOnlyWhereNeeded(t *testing.T) {
	out, l, err := buildSite(t, siteToml+goodRecord+`
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
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	inline := regexp.MustCompile(`<script(?:\s+[^>]*)?>`)
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		for _, tag := range inline.FindAllString(string(b), -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s has an inline script: %s", rel, tag)
			}
		}
		charts := strings.Contains(string(b), `class="chart `)
		echarts := strings.Contains(string(b), "echarts.min.js")
		if echarts && !charts {
			t.Errorf("%s loads ECharts but has no chart", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"departments/index.html", "search/index.html", "404.html"} {
		if strings.Contains(read(t, out, page), "echarts") {
			t.Errorf("%s loads ECharts", page)
		}
	}
}

func TestPersonalDataStopsTheBuild(t *testing.T) {
	// 11010519491231002X is a made-up number with a valid date and check
	// digit; 13812345678 a well-formed mobile number.
	_, l, err := buildSite(t, siteToml+goodRecord+`
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
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("err = %v, want the build to fail on personal data (even in a draft)", err)
	}
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.String())
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{"leak.md:3:", "身份证号", "手机号", "110105", "138****5678"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "11010519491231002X") || strings.Contains(text, "13812345678") {
		t.Errorf("a diagnostic shows the personal data unmasked:\n%s", text)
	}

	// A number published on purpose is acknowledged in the record.
	_, l, err = buildSite(t, siteToml+goodRecord+`
-- content/2023/evaluations/hotline.toml --
title = "服务热线项目"
department = "测试市民政局"
year = 2023
grade = "良"
allow_personal_data = ["13812345678"]
-- content/2023/evaluations/hotline.md --
服务热线：13812345678。
`)
	if err != nil {
		t.Errorf("an acknowledged number still fails the build: %v\n%v", err, l.Items())
	}
}

func TestCheckFindsBrokenLinks(t *testing.T) {
	c, _ := siteFromTxtar(t, siteToml+goodRecord+`
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
	var l diag.List
	_, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &l)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("check of broken links: err = %v, want ErrFailed\n%v", err, l.Items())
	}
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.String())
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{
		"links.md:3: error: 生成的页面 2023/links/index.html",
		`"../../2022/roads/"`,
		`"../roads/#no-such-part"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "mof.gov.cn") {
		t.Errorf("an external link was reported:\n%s", text)
	}
	// The default site has no broken link.
	l = diag.List{}
	if _, err := Check(context.Background(), Options{Content: defaultContent}, &l); err != nil {
		t.Errorf("check of the default content: %v\n%v", err, l.Items())
	}
}

// TestMastheadOverrideReadsTitle: a site's own masthead that reads the
// page's title shows each page its own title, the same on every build
// (the default masthead is made once per depth and section, and reused).
func TestMastheadOverrideReadsTitle(t *testing.T) {
	src, err := fs.ReadFile(evalpress.Files, "templates/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	partials := strings.Replace(string(src), `<header class="masthead">`, `<header class="masthead"><p class="page-title">本页：{{.Title}}</p>`, 1)
	if partials == string(src) {
		t.Fatal("the default masthead changed: update this test")
	}
	second := strings.ReplaceAll(goodRecord, "roads", "bridges")
	second = strings.Replace(second, "农村公路养护项目", "桥梁检测项目", 1)
	archive := siteToml + goodRecord + second + "-- content/templates/partials.html --\n" + partials
	var outputs []string
	for range 2 {
		out, l, err := buildSite(t, archive)
		if err != nil {
			t.Fatalf("%v\n%v", err, l.Items())
		}
		for page, title := range map[string]string{"2023/roads/index.html": "农村公路养护项目", "2023/bridges/index.html": "桥梁检测项目"} {
			if p := read(t, out, page); !strings.Contains(p, "本页："+title) {
				t.Errorf("%s: the masthead does not show the page's own title %q", page, title)
			}
		}
		outputs = append(outputs, allOutput(t, out))
	}
	if outputs[0] != outputs[1] {
		t.Errorf("two builds of the same content differ")
	}
}
