package linkcheck

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"
)

// Offline scans the HTML, SVG, CSS and JavaScript files under root for
// requests to another host: src, srcset, href of fetched <link>s, form
// actions, url() and @import in style sheets and style elements, and string
// literals in scripts that start with another host's URL. Hyperlinks (<a
// href>, <area href>, <link rel=canonical> ...) are not requests and are
// allowed.
//
// The site must make no request to any other host: a bureau's portal may
// serve it on an intranet, and a reader's visit must not be reported to a
// third party.
func Offline(fsys fs.FS) ([]Problem, error) {
	var out []Problem
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(path.Ext(d.Name()))
		switch ext {
		case ".html", ".htm", ".svg", ".css", ".js", ".mjs":
		default:
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		add := func(line int, v, what string) {
			if host, ok := otherHost(v); ok {
				out = append(out, Problem{Page: name, Line: line, Ref: v,
					Reason: fmt.Sprintf("%s requests %s; the site must make no request to another host", what, host)})
			}
		}
		switch ext {
		case ".css":
			for _, u := range cssURLs(string(data), 1) {
				add(u.line, u.value, "the style sheet's "+u.kind)
			}
		case ".js", ".mjs":
			for _, u := range jsURLs(string(data), 1) {
				add(u.line, u.value, "the script")
			}
		default:
			walkHTML(data, func(e element) {
				for _, r := range elementRefs(e) {
					if !r.nav {
						add(r.line, r.value, fmt.Sprintf("<%s %s>", r.tag, r.attr))
					}
				}
				if style, ok := e.attr("style"); ok {
					for _, u := range cssURLs(style, e.line) {
						add(u.line, u.value, "a style attribute's "+u.kind)
					}
				}
			}, func(parent element, text string, line int) {
				switch {
				case parent.tag == "style":
					for _, u := range cssURLs(text, line) {
						add(u.line, u.value, "a <style> element's "+u.kind)
					}
				case isScript(parent):
					for _, u := range jsURLs(text, line) {
						add(u.line, u.value, "an inline script")
					}
				}
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	Sort(out)
	return out, nil
}

// otherHost reports whether the URL v names another host, and which.
func otherHost(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "//") {
		v = "http:" + v
	}
	u, err := url.Parse(v)
	if err != nil {
		// Not a URL the browser would fetch as written, but a host is named.
		lower := strings.ToLower(v)
		for _, scheme := range []string{"http://", "https://"} {
			if rest, ok := strings.CutPrefix(lower, scheme); ok {
				host, _, _ := strings.Cut(rest, "/")
				return host, host != ""
			}
		}
		return "", false
	}
	if u.Host == "" {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ws", "wss", "ftp":
		return u.Host, true
	}
	return "", false
}
