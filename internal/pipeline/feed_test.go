package pipeline_test

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Entries []struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

type sitemap struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func TestFeedAndSitemap(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/parks.toml --
title = "城市公园管护项目"
department = "测试市园林局"
year = 2023
attachment = "附件2"
published = 2024-05-20
score = 78
-- content/2022/evaluations/old.toml --
title = "旧年度项目"
department = "测试市园林局"
year = 2022
published = 2023-04-01
grade = "良"
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
draft = true
-- content/2023/evaluations/later.toml --
title = "尚未到期项目"
department = "保密部门乙"
year = 2023
grade = "优"
published = 2024-06-02
`)
	var f atomFeed
	if err := xml.Unmarshal([]byte(s.File("feed.xml")), &f); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	const base = "https://example.gov.cn/jxgk/"
	if f.ID != base || f.Title != "测试市财政局 预算绩效评价结果公开" || f.Author != "测试市财政局" {
		t.Errorf("feed = %q %q %q", f.ID, f.Title, f.Author)
	}
	// Newest first: parks (2024-05-20), roads (no date: 2024-01-01, after
	// its budget year), old (2023-04-01). The feed's date is the newest
	// entry's, never the build's.
	var got []string
	for _, e := range f.Entries {
		got = append(got, e.Link.Href+" "+e.Updated)
		if e.ID != e.Link.Href || e.Summary == "" {
			t.Errorf("entry %q: id %q, summary %q", e.Title, e.ID, e.Summary)
		}
	}
	want := []string{base + "2023/parks/ 2024-05-20T00:00:00+08:00", base + "2023/roads/ 2024-01-01T00:00:00+08:00", base + "2022/old/ 2023-04-01T00:00:00+08:00"}
	if !slices.Equal(got, want) {
		t.Errorf("entries:\n%q\nwant\n%q", got, want)
	}
	if f.Updated != "2024-05-20T00:00:00+08:00" {
		t.Errorf("feed updated %q, want the newest entry's date", f.Updated)
	}

	var sm sitemap
	if err := xml.Unmarshal([]byte(s.File("sitemap.xml")), &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
		if u.Loc == base+"2023/parks/" && u.LastMod != "2024-05-20" {
			t.Errorf("parks lastmod %q", u.LastMod)
		}
	}
	// Every page the build wrote is in the sitemap, and nothing else.
	var pages []string
	for _, p := range s.OutputFiles() {
		if dir, ok := strings.CutSuffix(p, "index.html"); ok && (dir == "" || strings.HasSuffix(dir, "/")) {
			pages = append(pages, base+dir)
		}
	}
	slices.Sort(locs)
	slices.Sort(pages)
	if !slices.Equal(locs, pages) {
		t.Errorf("sitemap:\n%q\npages:\n%q", locs, pages)
	}
	s.AssertFileContent("robots.txt", "Sitemap: "+base+"sitemap.xml\n")
	// Neither the feed nor the sitemap names what is not published.
	for _, file := range []string{"feed.xml", "sitemap.xml"} {
		s.AssertFileContent(file, "! 草稿机密项目", "! secret-draft", "! 尚未到期项目", "! later")
	}
	s.AssertFileContent("2023/roads/index.html", `<link rel="canonical" href="`+base+`2023/roads/">`, `<meta property="og:title" content="农村公路养护项目">`,
		`<meta property="og:description" content="测试市交通运输局 2023年农村公路养护项目绩效评价结果`, `href="../../feed.xml"`)
	s.AssertFileContent("404.html", "! canonical")
}
