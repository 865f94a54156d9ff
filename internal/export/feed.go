package export

import (
	"bytes"
	"encoding/xml"
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

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// Sitemap returns sitemap.xml for the pages, in the order given. A
// sitemap holds at most 50,000 URLs; a site of that size would need an
// index of several, which no bureau's disclosures come near.
func Sitemap(base string, pages []URL) ([]byte, error) {
	s := urlset{URLs: make([]sitemapURL, 0, len(pages))}
	for _, p := range pages {
		s.URLs = append(s.URLs, sitemapURL{Loc: base + p.Path, LastMod: p.LastMod})
	}
	return marshal(s)
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
