package sitetest

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/par"
)

// axeAllPages is the number of pages up to which CheckSite runs axe-core on
// every page; a larger site gets one page of each kind (see pageKind), since
// pages of one kind come from one template. axe takes a few hundred
// milliseconds a page.
const axeAllPages = 30

// browserTabs is the number of pages CheckSite has open at once: one a
// core. Loading a page and running axe-core on it keep a core of the
// browser busy, so more tabs only share the cores, and fewer leave one idle.
func browserTabs() int { return runtime.GOMAXPROCS(0) }

// CheckSite runs every check of this package on the built site in root,
// served under basePath (such as "/jxgk/"), and fails t with a readable list
// of what is wrong. It runs as subtests:
//
//   - links: Links and Offline (broken references, missing fragments,
//     absolute paths, requests to other hosts);
//   - html: ValidateHTML on every page;
//   - browser: every page loaded in Chromium under the base path and the
//     strict ContentSecurityPolicy, with no exception, console error,
//     policy violation or failed request; and axe-core's WCAG 2.1 AA rules
//     on every page (one page of each kind on a large site).
//
// The browser subtest is skipped where there is no Chromium, unless CI=true
// or EVALPRESS_REQUIRE_BROWSER=1.
func CheckSite(t *testing.T, root, basePath string) {
	t.Helper()
	pages, err := htmlFiles(root)
	if err != nil {
		t.Fatalf("check site: %v", err)
	}
	if len(pages) == 0 {
		t.Fatalf("check site: no HTML pages under %s", root)
	}

	t.Run("links", func(t *testing.T) {
		links, err := LinksUnder(root, basePath)
		if err != nil {
			t.Fatal(err)
		}
		offline, err := Offline(root)
		if err != nil {
			t.Fatal(err)
		}
		// Both report an external src; say it once.
		ps := dedupe(append(links, offline...))
		linkcheck.Sort(ps)
		if len(ps) > 0 {
			t.Errorf("%d broken references or requests to other hosts in %s:\n%s", len(ps), root, joinLines(ps))
		}
	})

	t.Run("html", func(t *testing.T) {
		files := make([]string, len(pages))
		for i, p := range pages {
			files[i] = filepath.Join(root, filepath.FromSlash(p))
		}
		ps, err := Validate(files)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ps {
			if rel, err := relSlash(root, ps[i].Page); err == nil {
				ps[i].Page = rel
			}
		}
		if len(ps) > 0 {
			t.Errorf("html-validate (%s) found %d problems in %s:\n%s", htmlValidateConfig, len(ps), root, joinLines(ps))
		}
	})

	t.Run("browser", func(t *testing.T) {
		ctx := NewBrowser(t)
		base := ServeDir(t, root, basePath)

		if _, err := axeSource(); err != nil {
			t.Fatal(err)
		}
		withAxe := map[string]bool{}
		for _, p := range axePages(pages) {
			withAxe[p] = true
		}
		type result struct {
			issues []PageIssue
			vs     []Violation
			err    error
		}
		results := make([]result, len(pages))
		tabs := make(chan struct{}, browserTabs())
		_ = par.Each(context.Background(), len(pages), func(_ context.Context, i int) error {
			tabs <- struct{}{}
			defer func() { <-tabs }()
			r := &results[i]
			u, notFound := base+pageURL(pages[i]), pages[i] == notFoundPage
			if notFound {
				// Where a reader meets it: at a missing URL deep in the site.
				u = base + "sitetest/no/such/page/"
			}
			r.issues, r.vs, r.err = checkPage(ctx, u, withAxe[pages[i]], notFound)
			return nil
		})

		var loadErrs, axeErrs []string
		for i, p := range pages {
			r := results[i]
			if r.err != nil {
				loadErrs = append(loadErrs, fmt.Sprintf("%s: %v", p, r.err))
				continue
			}
			for _, i := range r.issues {
				loadErrs = append(loadErrs, fmt.Sprintf("%s: %s", p, i))
			}
			for _, v := range r.vs {
				axeErrs = append(axeErrs, fmt.Sprintf("%s: %s", p, strings.ReplaceAll(v.String(), "\n", "\n\t")))
			}
		}
		if len(loadErrs) > 0 {
			t.Errorf("%d errors while loading pages under %s (policy: %s):\n\t%s",
				len(loadErrs), base, ContentSecurityPolicy, strings.Join(loadErrs, "\n\t"))
		}

		if len(axeErrs) > 0 {
			t.Errorf("%d accessibility violations (axe-core, %s):\n\t%s",
				len(axeErrs), strings.Join(AxeTags, ", "), strings.Join(axeErrs, "\n\t"))
		}
	})
}

// dedupe drops the problems that repeat an earlier one's page, line and ref.
func dedupe(ps []Problem) []Problem {
	type key struct {
		page string
		line int
		ref  string
	}
	seen := map[key]bool{}
	out := ps[:0]
	for _, p := range ps {
		k := key{p.Page, p.Line, p.Ref}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// pageURL is the URL, relative to the site's base, at which a reader reaches
// the page file p: a folder's index.html is reached by the folder.
func pageURL(p string) string {
	if p == "index.html" {
		return ""
	}
	dir, ok := strings.CutSuffix(p, "/index.html")
	if ok {
		p = dir + "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// pageKind names the template a page most likely comes from, by the shape of
// its path: "2023/index.html" and "2024/index.html" are both "N/", and every
// "2023/<slug>/index.html" is "N/*/".
func pageKind(p string) string {
	segs := strings.Split(path.Dir(p), "/")
	if segs[0] == "." {
		return path.Base(p)
	}
	for i, s := range segs {
		switch {
		case digits.MatchString(s):
			segs[i] = "N"
		case i > 0:
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/") + "/" + path.Base(p)
}

// axePages returns the pages to run axe-core on: all of a small site, else
// the first page (in lexical order) of each kind.
func axePages(pages []string) []string {
	if len(pages) <= axeAllPages {
		return pages
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range pages {
		if k := pageKind(p); !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}
