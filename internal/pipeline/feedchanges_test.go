package pipeline_test

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// on builds "on" a day, as the fixtures' comments say.
func on(year int, month time.Month, day int) wholesite.Option {
	return func(o *pipeline.Options) { o.Now = time.Date(year, month, day, 12, 0, 0, 0, time.UTC) }
}

// buildSeries builds testdata/series on 2024-09-01.
func buildSeries(t *testing.T) *wholesite.Site {
	t.Helper()
	return wholesite.BuildDir(t, seriesContent, on(2024, time.September, 1))
}

// TestFeedFollowsChanges checks the Atom entry and sitemap date of an
// evaluation whose finding was done after its publication: 2022's
// rural-water, published 2023-04-28, finding done 2023-06-15.
func TestFeedFollowsChanges(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	var f atomFeed
	if err := xml.Unmarshal([]byte(s.File("feed.xml")), &f); err != nil {
		t.Fatal(err)
	}
	const base = "https://czj.example.gov.cn/jxgk/"
	updated := map[string]string{}
	for _, e := range f.Entries {
		updated[e.ID] = e.Updated
	}
	for page, want := range map[string]string{
		"2022/rural-water/":  "2023-06-15T00:00:00+08:00",
		"2023/rural-water/":  "2024-04-26T00:00:00+08:00",
		"2023/school-meals/": "2024-04-26T00:00:00+08:00",
	} {
		if updated[base+page] != want {
			t.Errorf("feed: %s updated %q, want %q", page, updated[base+page], want)
		}
	}
	var sm sitemap
	if err := xml.Unmarshal([]byte(s.File("sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	lastmod := map[string]string{}
	for _, u := range sm.URLs {
		lastmod[u.Loc] = u.LastMod
	}
	if got := lastmod[base+"2022/rural-water/"]; got != "2023-06-15" {
		t.Errorf("sitemap: 2022/rural-water/ lastmod %q, want 2023-06-15", got)
	}
}
