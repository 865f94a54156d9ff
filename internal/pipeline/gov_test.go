package pipeline_test

import (
	"strings"
	"testing"

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
