package export

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

// Entry is one disclosure in the Atom feed.
type Entry struct {
	Title string
	// Path is the page's path relative to the site root.
	Path string
	// Updated is the entry's date as RFC 3339 (2024-04-30T00:00:00+08:00).
	Updated string
	Summary string
	// Category is the department.
	Category string
}

// Feed describes the Atom feed. Updated is the newest entry's date, not
// the build's time, so that two builds of the same content are identical
// and feed readers see a change only when there is one.
type Feed struct {
	Title, Author, BaseURL, Updated string
	Entries                         []Entry // newest first
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	Title    atomText  `xml:"title"`
	Link     atomLink  `xml:"link"`
	ID       string    `xml:"id"`
	Updated  string    `xml:"updated"`
	Summary  *atomText `xml:"summary,omitempty"`
	Category *struct {
		Term string `xml:"term,attr"`
	} `xml:"category,omitempty"`
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"xml:lang,attr"`
	Title   atomText `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

// Atom returns the feed as an Atom 1.0 document (RFC 4287).
func Atom(f Feed) ([]byte, error) {
	a := atomFeed{Lang: "zh-CN", Title: atomText{Text: f.Title}, ID: f.BaseURL, Updated: f.Updated,
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: f.BaseURL + "feed.xml"}, {Rel: "alternate", Type: "text/html", Href: f.BaseURL}}}
	a.Author.Name = f.Author
	for _, e := range f.Entries {
		x := atomEntry{Title: atomText{Text: e.Title}, Link: atomLink{Rel: "alternate", Type: "text/html", Href: f.BaseURL + e.Path},
			ID: f.BaseURL + e.Path, Updated: e.Updated}
		if e.Summary != "" {
			x.Summary = &atomText{Type: "text", Text: e.Summary}
		}
		if e.Category != "" {
			x.Category = &struct {
				Term string `xml:"term,attr"`
			}{e.Category}
		}
		a.Entries = append(a.Entries, x)
	}
	return marshal(a)
}

// URL is one page of the sitemap.
type URL struct {
	Path    string // relative to the site root
	LastMod string // 2024-04-30, or "" when not known
}

// MaxSitemapURLs is the most URLs one sitemap file may list
// (sitemaps.org; 50 MB uncompressed is the other bound, which 50,000 of a
// site's addresses stay far below).
const MaxSitemapURLs = 50000

// sitemapNS is the sitemap protocol's namespace.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// SitemapPart is the name of the n-th file (from 1) of a sitemap split by
// Sitemap, beside sitemap.xml at the site's root: a sitemap may list only
// the addresses below its own folder.
func SitemapPart(n int) string { return "sitemap-" + strconv.Itoa(n) + ".xml" }

// Sitemap returns sitemap.xml for the pages, in the order given. Up to
// MaxSitemapURLs pages it lists them all, and parts is nil. Beyond (a
// province's evaluations over a few years), crawlers refuse one file so
// long: sitemap.xml is then a sitemap index (sitemapindex) naming the
// parts, SitemapPart(1), SitemapPart(2), …, each listing the next
// MaxSitemapURLs pages, with the newest of their dates.
//
// The XML is written here rather than by encoding/xml, which took a
// quarter of a second of reflection for the 100,000 addresses of a
// province site, after every edit; TestSitemapAsEncodingXML holds it to
// encoding/xml's bytes.
func Sitemap(base string, pages []URL) (index []byte, parts [][]byte) {
	return sitemap(base, pages, MaxSitemapURLs)
}

func sitemap(base string, pages []URL, most int) (index []byte, parts [][]byte) {
	if len(pages) <= most {
		return urlset(base, pages), nil
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<sitemapindex xmlns="` + sitemapNS + `">`)
	for lo := 0; lo < len(pages); lo += most {
		chunk := pages[lo:min(lo+most, len(pages))]
		parts = append(parts, urlset(base, chunk))
		newest := ""
		for _, p := range chunk {
			newest = max(newest, p.LastMod)
		}
		b.WriteString("\n <sitemap>")
		element(&b, "loc", base+SitemapPart(len(parts)))
		if newest != "" {
			element(&b, "lastmod", newest)
		}
		b.WriteString("\n </sitemap>")
	}
	b.WriteString("\n</sitemapindex>\n")
	return b.Bytes(), parts
}

// urlset returns a sitemap file listing pages, as encoding/xml with an
// indent of one space writes it.
func urlset(base string, pages []URL) []byte {
	var b bytes.Buffer
	b.Grow(len(xml.Header) + 64 + len(pages)*(len(base)+80))
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="` + sitemapNS + `">`)
	for _, p := range pages {
		b.WriteString("\n <url>")
		element(&b, "loc", base+p.Path)
		if p.LastMod != "" {
			element(&b, "lastmod", p.LastMod)
		}
		b.WriteString("\n </url>")
	}
	if len(pages) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// element writes <name>text</name> on a line of its own, two spaces in.
func element(b *bytes.Buffer, name, text string) {
	b.WriteString("\n  <" + name + ">")
	_ = xml.EscapeText(b, []byte(text)) // a bytes.Buffer does not fail
	b.WriteString("</" + name + ">")
}

// Robots returns robots.txt, which names the sitemap. Crawlers read
// robots.txt only at a host's root: under a portal's path the portal's own
// file rules, and this one is there for the portal's staff to merge.
func Robots(base string) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n\nSitemap: ")
	b.WriteString(base)
	b.WriteString("sitemap.xml\n")
	return []byte(b.String())
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
