package pipeline_test

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// seriesSite is goodRecord's programme evaluated in 2021 (grade only),
// 2022 and 2023, with a draft 2024 evaluation and another programme of the
// same department.
const seriesSite = `
-- content/2023/evaluations/roads.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2023
series = "rural-roads"
score = 85
-- content/2022/evaluations/roads-2022.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2022
series = "rural-roads"
score = 78.5
-- content/2021/evaluations/roads-2021.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2021
series = "rural-roads"
grade = "良"
-- content/2024/evaluations/roads-2024.toml --
title = "农村公路养护项目（草稿年度）"
department = "测试市交通运输局"
year = 2024
series = "rural-roads"
score = 99
draft = true
-- content/2023/evaluations/bridges.toml --
title = "危桥改造项目"
department = "测试市交通运输局"
year = 2023
series = "bridges"
score = 90
`

func TestSeriesLinksYearsAndShowsTrend(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+seriesSite)
	s.AssertFileContent("2023/roads/index.html",
		`<h2 id="series-heading">历年评价</h2>`,
		`<a href="../../2022/roads-2022/">农村公路养护项目</a>`,
		`<a href="../../2021/roads-2021/">农村公路养护项目</a>`,
		`<span aria-current="page">农村公路养护项目（本页）</span>`,
		`<td class="num">78.5</td>`,
		`id="chart-trend"`,
		"农村公路养护项目历年综合得分条形图：2021年 无综合得分，良；2022年 78.5 分，中；2023年 85 分，良。",
	)
	page := s.File("2023/roads/index.html")
	// Oldest first, as a trend reads.
	if i, j := strings.Index(page, "2021/roads-2021/"), strings.Index(page, "2022/roads-2022/"); i < 0 || j < i {
		t.Errorf("the series table is not oldest first")
	}
	// The other years link back.
	for _, older := range []string{"2022/roads-2022/index.html", "2021/roads-2021/index.html"} {
		s.AssertFileContent(older, `<a href="../../2023/roads/">农村公路养护项目</a>`)
	}
	// The draft year is in no series table or chart.
	s.AssertNowhere("草稿年度")
	// The department's other programme is among the related evaluations;
	// the series' own years are not listed there a second time.
	related := page[strings.Index(page, `id="more-heading"`):]
	if !strings.Contains(related, "危桥改造项目") || strings.Contains(related, "roads-2022") {
		t.Errorf("related evaluations should list 危桥改造项目 and not the series' years:\n%s", related)
	}
	// A series of one (bridges) has no series section.
	s.AssertFileContent("2023/bridges/index.html", "! series-heading", "! chart-trend")
}
