package pipeline_test

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// footerToml is site.toml with every footer detail of a government site set.
const footerToml = siteToml + `
[footer]
sponsor = "测试市财政局"
organizer = "测试市财政局办公室"
phone = "0728-6221234"
address = "测试市园林路1号"
site_code = "4290050001"
icp = "鄂ICP备12345678号-1"
police_record = "鄂公网安备 42900502000123号"
error_report_url = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySearch.action?term=4290050001"
`

// footerShown is what every page's footer holds for footerToml.
var footerShown = []string{
	`<div class="gov-footer">`,
	"主办单位：测试市财政局", "承办单位：测试市财政局办公室",
	"联系电话：0728-6221234", "地址：测试市园林路1号",
	"网站标识码：4290050001",
	`<a href="https://beian.miit.gov.cn/">鄂ICP备12345678号-1</a>`,
	`<a href="https://beian.mps.gov.cn/#/query/webSearch?code=42900502000123">鄂公网安备 42900502000123号</a>`,
	`<a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySearch.action?term=4290050001">我为政府网站找错</a>`,
}

// findingRecord adds a finding, so that the site has a ledger with rows.
const findingRecord = `
-- content/2023/evaluations/parks.toml --
title = "城市公园管护项目"
department = "测试市园林局"
year = 2023
score = 78
[[findings]]
problem = "管护台账不全"
status = "open"
`

func TestFooterFieldsOnEveryPage(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, footerToml+goodRecord+findingRecord)
	pages := 0
	for _, name := range s.OutputFiles() {
		if strings.HasSuffix(name, ".html") {
			s.AssertFileContent(name, footerShown...)
			pages++
		}
	}
	// The pages a reader lands on, named so that a page that stops being
	// built (or loses its layout) fails here and not silently above.
	for _, name := range []string{"index.html", "2023/index.html", "2023/roads/index.html", "congress/2023/index.html",
		"congress/2023/print/index.html", "rectification/index.html", "search/index.html", "404.html", "data/index.html"} {
		s.AssertFileContent(name, footerShown...)
	}
	if pages < 10 {
		t.Errorf("only %d pages checked", pages)
	}
}

func TestFooterFieldsUnset(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord)
	for _, name := range s.OutputFiles() {
		if strings.HasSuffix(name, ".html") {
			s.AssertFileContent(name, "! gov-footer", "! 主办单位", "! 网站标识码", "! beian.", "! 我为政府网站找错")
		}
	}
}

func TestFooterFieldsChecked(t *testing.T) {
	t.Parallel()
	// Every bad value is reported in one run, at its own line.
	s := wholesite.BuildFails(t, siteToml+`
[footer]
site_code = "42900-5"
police_record = "鄂公网安备"
error_report_url = "javascript:alert(1)"
icp_number = "鄂ICP备12345678号"
phone = 13812345678
`+goodRecord)
	s.AssertDiag("site.toml:6", "footer.site_code（网站标识码）")
	s.AssertDiag("site.toml:6", "应为 10 位数字")
	s.AssertDiag("site.toml:7", "footer.police_record（公安机关备案号）")
	s.AssertDiag("site.toml:8", "footer.error_report_url（「我为政府网站找错」网址）\"javascript:alert(1)\" 不是完整的 http(s) 网址")
	s.AssertDiag("site.toml:8", "https://")
	s.AssertDiag("site.toml:9", "不认识的字段 icp_number")
	s.AssertDiag("site.toml:10", "footer.phone（联系电话） 应为文本")

	// A mobile number is personal data, even as the footer's phone; an
	// office line is not (TestFooterFieldsOnEveryPage).
	s = wholesite.BuildFails(t, siteToml+`
[footer]
phone = "138-1234-5678"
`+goodRecord)
	s.AssertDiag("site.toml:6", "footer.phone")
	s.AssertDiag("site.toml:6", "手机号")
	s.AssertDiag("site.toml:6", "页脚的联系电话请写对外公布的办公电话或服务热线")
}

func TestAboutPage(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
[grades]
"A" = 85
"B" = 70
"C" = 0
-- content/2023/evaluations/roads.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2023
score = 88
`)
	s.AssertFileContent("about/index.html", "<h1>关于本站</h1>",
		// The site's own bands, not the defaults.
		"<tr><th scope=\"row\">A</th><td>85 分及以上</td></tr>",
		"<tr><th scope=\"row\">B</th><td>70 分及以上、不足 85 分</td></tr>",
		"<tr><th scope=\"row\">C</th><td>不足 70 分</td></tr>", "! 90 分", "! >优<",
		"综合得分为各一级指标得分之和", "得分率（得分 ÷ 分值 × 100%）",
		// Every allowed value of the coded fields, as the checker knows them.
		"<th scope=\"row\">部门整体支出</th><td><code>department</code>", "<th scope=\"row\">财政运行综合</th><td><code>fiscal</code>",
		"<th scope=\"row\">第三方评价</th><td><code>third-party</code>", "<th scope=\"row\">整改中</th><td><code>in-progress</code>",
		"<th scope=\"row\">调减</th><td><code>reduce</code>", "<th scope=\"row\">暂停</th><td><code>suspend</code>",
		`<a href="../data/">数据说明与下载</a>`,
		"无障碍声明", "WCAG 2.1 AA", "GB/T 37668", "axe", "请与测试市财政局联系")
	for _, name := range []string{"index.html", "2023/roads/index.html", "404.html", "search/index.html"} {
		s.AssertFileContent(name, `about/">关于本站</a>`)
	}
	s.AssertFileContent("sitemap.xml", "<loc>https://example.gov.cn/jxgk/about/</loc>")

	// With a footer, the statement says how to report a barrier.
	s = wholesite.Build(t, footerToml+goodRecord)
	s.AssertFileContent("about/index.html",
		`通过<a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySearch.action?term=4290050001">我为政府网站找错</a>或拨打 0728-6221234 告诉我们`,
		"<td>90 分及以上</td>", "<td>不足 60 分</td>")
}

// TestAboutPageQuality validates the 关于本站 page's HTML and runs axe on
// it, with every footer detail set.
func TestAboutPageQuality(t *testing.T) {
	out := wholesite.Build(t, footerToml+goodRecord).Out()
	sitetest.CheckSite(t, out, "/jxgk/")
}
