package sitetest

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestServeDir(t *testing.T) {
	base := ServeDir(t, "../linkcheck/testdata/good", "/jxgk/")
	if !strings.HasSuffix(base, "/jxgk/") || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("ServeDir = %q, want http://127.0.0.1:PORT/jxgk/", base)
	}
	origin := strings.TrimSuffix(base, "jxgk/")
	for _, tt := range []struct {
		url    string
		status int
		body   string // a part of the body
	}{
		{base, 200, "<h1>预算绩效评价结果公开</h1>"},
		{base + "2023/", 200, `id="figures"`},
		{base + "2023", 200, `id="figures"`}, // redirected to 2023/
		{origin + "jxgk", 200, "<h1>预算绩效评价结果公开</h1>"},
		{base + "assets/site.css", 200, "font-family"},
		// outside the base path: an absolute reference breaks here as on a portal
		{origin + "assets/site.css", 404, ""},
		{base + "nope.html", 404, ""},
		{base + "assets/", 404, ""}, // no listings
	} {
		resp, err := http.Get(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.body) {
			t.Errorf("GET %s: got %d, want %d with %q", tt.url, resp.StatusCode, tt.status, tt.body)
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy = %q", tt.url, got)
		}
	}
}

// TestBrowser shares one browser between its subtests: starting Chromium
// takes longer than any of them.
func TestBrowser(t *testing.T) {
	ctx := NewBrowser(t)
	base := ServeDir(t, "testdata/browser", "/jxgk/")

	t.Run("LoadPage", func(t *testing.T) {
		for _, tt := range []struct {
			page string
			want []string // "kind: part of the text", in any order
		}{
			{"good.html", nil},
			{"throws.html", []string{"exception: boom from fixture", "console: 图表数据缺失"}},
			{"inline.html", []string{"csp: Executing inline script violates"}},
			// an absolute path leaves the base path; a missing image is a 404
			{"missing.html", []string{"log: Refused to apply style from", "request: HTTP 404"}},
		} {
			issues, err := LoadPage(ctx, base+tt.page)
			if err != nil {
				t.Errorf("%s: %v", tt.page, err)
				continue
			}
			var unmatched []PageIssue
			found := make([]bool, len(tt.want))
			for _, i := range issues {
				j := slices.IndexFunc(tt.want, func(w string) bool {
					kind, text, _ := strings.Cut(w, ": ")
					return i.Kind == kind && strings.Contains(i.Text, text)
				})
				if j < 0 {
					unmatched = append(unmatched, i)
					continue
				}
				found[j] = true
			}
			for j, ok := range found {
				if !ok {
					t.Errorf("%s: no issue %q among:\n%s", tt.page, tt.want[j], joinLines(issues))
				}
			}
			if len(unmatched) > 0 {
				t.Errorf("%s: unexpected issues:\n%s", tt.page, joinLines(unmatched))
			}
		}
	})

	t.Run("Axe", func(t *testing.T) {
		vs, err := Axe(ctx, base+"good.html")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) > 0 {
			t.Errorf("good.html: want no violations, got:\n%s", joinLines(vs))
		}

		vs, err = Axe(ctx, base+"noalt.html")
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(vs, func(v Violation) bool { return v.ID == "image-alt" })
		if i < 0 {
			t.Fatalf("noalt.html: want image-alt, got:\n%s", joinLines(vs))
		}
		v := vs[i]
		if v.Impact != "critical" || len(v.Nodes) != 1 || v.Nodes[0].Target != "img" || !strings.Contains(v.Nodes[0].HTML, `src="dot.svg"`) {
			t.Errorf("noalt.html: image-alt = %+v", v)
		}
	})
}

func TestValidate(t *testing.T) {
	files := []string{
		"../linkcheck/testdata/good/index.html",
		"../linkcheck/testdata/good/2023/index.html",
		"../linkcheck/testdata/good/2023/disability-subsidies/index.html",
		"../linkcheck/testdata/good/search/index.html",
	}
	ValidateHTML(t, files)

	ps, err := Validate([]string{"testdata/browser/noalt.html", "testdata/browser/inline.html", "../linkcheck/testdata/good/index.html"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Page+":"+p.Ref)
	}
	want := []string{"testdata/browser/noalt.html:wcag/h37"}
	if !slices.Equal(got, want) {
		t.Errorf("Validate:\ngot  %q\nwant %q\n%s", got, want, joinLines(ps))
	}
	if len(ps) == 1 && ps[0].Line != 10 {
		t.Errorf("Validate: %s: want line 10", ps[0])
	}
}

func TestCheckSiteGood(t *testing.T) {
	CheckSite(t, "../linkcheck/testdata/good", "/jxgk/")
}
