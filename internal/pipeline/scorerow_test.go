package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestScoreRowsAreNotShared: the rows of an indicator table are rendered
// once per distinct row and reused across pages (internal/site's
// scoreRow). Evaluations whose tables differ in one field of one row, a
// field the row shows, each show their own value: a reused row made for
// another evaluation would show that one's.
func TestScoreRowsAreNotShared(t *testing.T) {
	t.Parallel()
	// Each variant changes one field of the second-level row "数量".
	variants := []struct {
		slug, item, want string
	}{
		{"base", ``, `<th scope="row"><span class="visually-hidden">2级指标：</span>数量</th>`},
		{"deviation-a", `deviation = "甲偏差原因"`, `甲偏差原因`},
		{"deviation-b", `deviation = "乙偏差原因"`, `乙偏差原因`},
		{"target-a", `target = "100 公里"`, `指标值：100 公里`},
		{"target-b", `target = "120 公里"`, `指标值：120 公里`},
		{"actual", `target = "100 公里"` + "\n" + `actual = "98 公里"`, `完成值：98 公里`},
		{"grade", `grade = "优"`, `<span class="grade g0">优</span><span class="flag" title=`},
		{"named", `name = "数量指标"`, `数量指标</th>`},
	}
	var archive strings.Builder
	archive.WriteString(siteToml)
	for _, v := range variants {
		name := `name = "数量"`
		item := v.item
		if strings.HasPrefix(item, "name = ") {
			name, item = item, ""
		}
		fmt.Fprintf(&archive, `
-- content/2023/evaluations/%s.toml --
title = "道路养护项目（%s）"
department = "测试市交通运输局"
year = 2023

[[indicators]]
name = "产出"
max = 40
score = 34
  [[indicators.items]]
  %s
  max = 20
  score = 17
  %s
  [[indicators.items]]
  name = "质量"
  max = 20
  score = 17

[[indicators]]
name = "效益"
max = 60
score = 50
`, v.slug, v.slug, name, item)
	}
	s := wholesite.Build(t, archive.String())
	for _, v := range variants {
		page := s.File("2023/" + v.slug + "/index.html")
		table, _, _ := strings.Cut(page[strings.Index(page, `<table class="scores">`):], "</table>")
		if !strings.Contains(table, v.want) {
			t.Errorf("%s: the indicator table lacks %q:\n%s", v.slug, v.want, table)
		}
		// No other variant's value stands in this page's table.
		for _, o := range variants {
			if o.slug != v.slug && o.item != "" && !strings.Contains(v.item, o.item) && strings.Contains(table, o.want) {
				t.Errorf("%s: the indicator table shows %q, of %s", v.slug, o.want, o.slug)
			}
		}
	}
}
