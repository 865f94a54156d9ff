package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"testing"
)

// The sitemap as encoding/xml writes it: the oracle Sitemap is held to.
type oracleURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type oracleSet struct {
	XMLName xml.Name    `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []oracleURL `xml:"url"`
}

type oracleIndex struct {
	XMLName  xml.Name    `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []oracleURL `xml:"sitemap"`
}

func oracle(t *testing.T, base string, pages []URL) []byte {
	t.Helper()
	s := oracleSet{URLs: []oracleURL{}}
	for _, p := range pages {
		s.URLs = append(s.URLs, oracleURL{base + p.Path, p.LastMod})
	}
	b, err := marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSitemapAsEncodingXML: the sitemap written by hand is, byte for
// byte, what encoding/xml writes, escapes included (a base URL or path
// with & or <, a control character), empty or not.
func TestSitemapAsEncodingXML(t *testing.T) {
	for _, c := range []struct {
		base  string
		pages []URL
	}{
		{"https://czj.example.gov.cn/jxgk/", []URL{{Path: ""}, {Path: "2023/", LastMod: "2024-04-30"}, {Path: "search/"}}},
		{"https://example.gov.cn/a?b=1&c=<2>/", []URL{{Path: "2023/路面-养护/", LastMod: "2024-05-01"}, {Path: "x'y\"z\t\x01/"}}},
		{"", []URL{{Path: "only/"}}},
		{"https://e.gov.cn/", nil},
	} {
		index, parts := Sitemap(c.base, c.pages)
		if parts != nil {
			t.Errorf("%d pages split in %d parts", len(c.pages), len(parts))
		}
		if want := oracle(t, c.base, c.pages); !bytes.Equal(index, want) {
			t.Errorf("Sitemap(%q):\n%s\nencoding/xml:\n%s", c.base, index, want)
		}
	}
}

// TestSitemapSplits: more pages than a sitemap may list make sitemap.xml
// an index of parts at the site's root, each within the bound, which
// together list every page once, in order; the index dates each part by
// its newest page.
func TestSitemapSplits(t *testing.T) {
	const base, most = "https://czj.example.gov.cn/jxgk/", 4
	var pages []URL
	for i := range 10 {
		u := URL{Path: fmt.Sprintf("2023/e%02d/", i)}
		if i%3 == 0 {
			u.LastMod = fmt.Sprintf("2024-0%d-01", 9-i/3)
		}
		pages = append(pages, u)
	}
	index, parts := sitemap(base, pages, most)
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	var ix oracleIndex
	if err := xml.Unmarshal(index, &ix); err != nil {
		t.Fatalf("sitemap.xml is not a sitemap index: %v\n%s", err, index)
	}
	want := []oracleURL{
		{base + "sitemap-1.xml", "2024-09-01"},
		{base + "sitemap-2.xml", "2024-07-01"},
		{base + "sitemap-3.xml", "2024-06-01"},
	}
	if !slices.Equal(ix.Sitemaps, want) {
		t.Errorf("the index names %v, want %v", ix.Sitemaps, want)
	}
	var all []URL
	for i, p := range parts {
		lo := i * most
		if want := oracle(t, base, pages[lo:min(lo+most, len(pages))]); !bytes.Equal(p, want) {
			t.Errorf("part %d:\n%s\nwant:\n%s", i+1, p, want)
		}
		var s oracleSet
		if err := xml.Unmarshal(p, &s); err != nil {
			t.Fatal(err)
		}
		for _, u := range s.URLs {
			all = append(all, URL{Path: u.Loc[len(base):], LastMod: u.LastMod})
		}
	}
	if !slices.Equal(all, pages) {
		t.Errorf("the parts list %v, want %v", all, pages)
	}
	// At the bound, one file still.
	if _, parts := sitemap(base, pages[:most], most); parts != nil {
		t.Errorf("%d pages, at the bound, split", most)
	}
}
