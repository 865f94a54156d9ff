package pipeline_test

import (
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestFullRecordUpdated checks that a corrected record is updated, in the
// feed and the sitemap, on its newest correction's date rather than on its
// published date, and that the feed itself is as new as its newest entry.
func TestFullRecordUpdated(t *testing.T) {
	t.Parallel()
	july := func(o *pipeline.Options) { o.Now = time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC) }
	s := wholesite.BuildDir(t, fullContent, july)
	// published = 2024-04-30, corrections[0].date = 2024-05-10.
	s.AssertFileContent("feed.xml",
		"<updated>2024-05-10T00:00:00+08:00</updated>\n <author>",
		"<id>https://czj.example.gov.cn/jxgk/2023/road-maintenance/</id>\n  <updated>2024-05-10T00:00:00+08:00</updated>",
		"! 2024-04-30")
	s.AssertFileContent("sitemap.xml",
		"<loc>https://czj.example.gov.cn/jxgk/2023/road-maintenance/</loc>\n  <lastmod>2024-05-10</lastmod>",
		"! 2024-04-30")
}

// TestFullRecordOpenData checks that 89.974 万元 is published as written in
// the open data of a whole site, JSON and CSV, with the second edition's
// fields beside it.
func TestFullRecordOpenData(t *testing.T) {
	t.Parallel()
	july := func(o *pipeline.Options) { o.Now = time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC) }
	s := wholesite.BuildDir(t, fullContent, july)
	s.AssertFileContent("data/evaluations.json", `"spent":89.974,`, `"official":"复核结果"`, `"overdue":true`, `"updated":"2024-05-10"`)
	for _, f := range []string{"data/evaluations.csv", "data/2023.csv"} {
		s.AssertFileContent(f, ",89.974,", ",执行率（%）,年初预算（万元）,评价方式,正式结果,问题数,已整改,逾期未整改,结果应用,评价编号\r\n",
			",89.97,90,单位自评,复核结果,2,1,1,调减,2023/road-maintenance\r\n")
	}
}
