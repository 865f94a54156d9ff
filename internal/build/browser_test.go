package build

import (
	"path/filepath"
	"testing"

	"github.com/evalpress/evalpress/internal/sitecheck"
)

// TestDefaultSiteQuality serves the default site under /jxgk/ with the
// strict Content-Security-Policy and checks what a reader would notice:
// broken links or fragments, requests to another host, invalid HTML, console
// or CSP errors, and accessibility violations reported by axe-core.
func TestDefaultSiteQuality(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildDefault(t, out)
	sitecheck.CheckSite(t, out, "/jxgk/")
}

// TestFixtureSiteQuality does the same for a site that exercises what the
// seed does not: nested indicators with targets, a list-only record, a
// department with several years, hostile text.
func TestFixtureSiteQuality(t *testing.T) {
	out, l, err := buildSite(t, siteToml+goodRecord+`
-- content/2022/evaluations/roads-2022.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2022
grade = "中"
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
`)
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	sitecheck.CheckSite(t, out, "/jxgk/")
}
