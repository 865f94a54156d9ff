package linkcheck

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestLinksGoodSite(t *testing.T) {
	ps, err := LinksUnder(os.DirFS("testdata/good"), "/jxgk/")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		t.Errorf("good site: want no problems, got:\n%s", joinLines(ps))
	}

	// Without the base path, the absolute references that 404.html needs
	// cannot be told from mistakes.
	ps, err = Links(os.DirFS("testdata/good"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Page+":"+p.Ref)
	}
	want := []string{"404.html:/jxgk/assets/site.css", "404.html:/jxgk/", "404.html:/jxgk/2023/#figures"}
	if !slices.Equal(got, want) {
		t.Errorf("good site without base path:\ngot  %q\nwant %q", got, want)
	}
}

func TestLinksBadSite(t *testing.T) {
	ps, err := LinksUnder(os.DirFS("testdata/bad"), "/jxgk")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		page   string
		line   int
		ref    string
		reason string // a part of the reason
	}{
		// a broken link
		{"index.html", 12, "missing/", "no file missing/index.html"},
		// missing fragments, in another page and in the same page
		{"index.html", 13, "page.html#nowhere", `no element with id="nowhere" in page.html`},
		{"index.html", 14, "#local-missing", `no element with id="local-missing"`},
		// a folder without its slash would need a redirect that a portal may not give
		{"index.html", 16, "sub", `write "sub/"`},
		// the site must work under any base path
		{"index.html", 17, "/abs/", "absolute path"},
		{"style.css", 2, "/abs.png", "absolute path"},
		{"index.html", 18, "javascript:void(0)", "javascript: URL"},
		{"index.html", 20, "../outside.html", "outside the site"},
		// each URL of a srcset is checked
		{"index.html", 21, "missing.png", "no file missing.png"},
		{"style.css", 3, "nope.png", "no file nope.png"},
		// other hosts: scripts, styles and form actions, but not <a href>
		{"index.html", 7, "//cdn.example.com/x.css", "another host"},
		{"index.html", 8, "https://cdn.example.com/x.js", "another host"},
		{"index.html", 22, "https://forms.example.com/", "sends the form to another host"},
		{"style.css", 1, "https://fonts.example.com/f.css", "another host"},
		// 404.html is sent at any URL: only absolute paths under the base work
		{"404.html", 4, "page.html", "write it under the base path (/jxgk/…)"},
		{"404.html", 5, "/other/", "leaves the base path /jxgk/"},
	}
	for _, w := range want {
		i := slices.IndexFunc(ps, func(p Problem) bool {
			return p.Page == w.page && p.Ref == w.ref
		})
		if i < 0 {
			t.Errorf("%s: %q: not reported", w.page, w.ref)
			continue
		}
		p := ps[i]
		ps = slices.Delete(ps, i, i+1)
		if p.Line != w.line || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("%s: %q:\ngot  line %d, %s\nwant line %d, …%s…", w.page, w.ref, p.Line, p.Reason, w.line, w.reason)
		}
	}
	if len(ps) > 0 {
		t.Errorf("unexpected problems (the external <a href>, data: image and good fragment are allowed):\n%s", joinLines(ps))
	}
}

func TestOffline(t *testing.T) {
	ps, err := Offline(os.DirFS("testdata/good"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		t.Errorf("good site: want no problems (namespaces, comments and links are no requests), got:\n%s", joinLines(ps))
	}

	ps, err = Offline(os.DirFS("testdata/bad"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Page+":"+p.Ref)
	}
	want := []string{
		"app.js:https://api.example.com/data",
		"index.html://cdn.example.com/x.css",
		"index.html:https://cdn.example.com/x.js",
		"index.html:https://forms.example.com/",
		"style.css:https://fonts.example.com/f.css",
	}
	if !slices.Equal(got, want) {
		t.Errorf("bad site:\ngot  %q\nwant %q", got, want)
	}
}

func TestSrcsetURLs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a.png", []string{"a.png"}},
		{"a.png 1x, b.png 2x", []string{"a.png", "b.png"}},
		{"a.png 640w,b.png 1280w", []string{"a.png", "b.png"}},
		// a candidate without a descriptor ends at its comma; as in a
		// browser, a comma inside the URL does not end it
		{"a.png, b.png 2x", []string{"a.png", "b.png"}},
		{"a.png,b.png 2x", []string{"a.png,b.png"}},
		// commas inside a URL are part of it
		{"data:image/png;base64,AAAA 1x", []string{"data:image/png;base64,AAAA"}},
		{"  a.png  1x ,\n b.png  2x  ", []string{"a.png", "b.png"}},
	} {
		if got := srcsetURLs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("srcsetURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSSURLs(t *testing.T) {
	css := "/* url(in-comment.png)\n */ a { background: url( \"x.png\" ) }\n" +
		"@import 'y.css';\nb { background: URL(z.png) }"
	var got []string
	for _, u := range cssURLs(css, 10) {
		got = append(got, u.kind+" "+u.value+" "+string(rune('0'+u.line-10)))
	}
	want := []string{"url x.png 1", "url z.png 3", "@import y.css 2"}
	if !slices.Equal(got, want) {
		t.Errorf("cssURLs = %q, want %q", got, want)
	}
}

func TestJSURLs(t *testing.T) {
	js := "// https://comment.example.com/\n" +
		"const ns = \"http://www.w3.org/2000/svg\";\n" +
		"fetch('https://api.example.com/x'); load(`//cdn.example.com/y.js`);\n" +
		"const re = /^https?:\\/\\//; const s = '//'; const t = \"http://\";"
	var got []string
	for _, u := range jsURLs(js, 1) {
		got = append(got, u.value)
	}
	want := []string{"https://api.example.com/x", "//cdn.example.com/y.js"}
	if !slices.Equal(got, want) {
		t.Errorf("jsURLs = %q, want %q", got, want)
	}
}

// joinLines lists problems one a line, for failure messages.
func joinLines(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}

// held counts the references of page that s still holds to judge later.
func held(s *Site, page string) int {
	n := len(s.files[page].pending)
	for _, ws := range s.waiting {
		for _, w := range ws {
			if s.order[w.page] == page {
				n++
			}
		}
	}
	return n
}

// TestReferencesToFilesAddedAreNotKept checks that a page holds, until
// the end, only the references whose target never came: a reference to a
// file already added is judged now (its fragment too) as it would be at
// the end, one to a file added later is judged when it comes and then
// forgotten, and the problems found are the same.
func TestReferencesToFilesAddedAreNotKept(t *testing.T) {
	s := NewSite("/")
	s.Add("a/index.html", []byte(`<!doctype html><title>a</title><p id="x">a</p>`))
	s.Add("b/index.html", []byte(`<!doctype html><title>b</title>
<a href="../a/">a</a>
<a href="../a/#x">a's x</a>
<a href="../a/#y">a's y</a>
<a href="../c/">c, later</a>
<a href="../d/">d, never</a>
<a href="../a">a's folder</a>`))
	if got := held(s, "b/index.html"); got != 3 {
		t.Errorf("b holds %d references, want 3: those to c/, d/ and the folder a, not yet added", got)
	}
	s.Add("c/index.html", []byte(`<!doctype html><title>c</title>`))
	if got := held(s, "b/index.html"); got != 2 {
		t.Errorf("once c is added, b holds %d references, want 2: not the one to c/", got)
	}
	var got []string
	for _, p := range s.Problems() {
		got = append(got, p.Ref)
	}
	if want := []string{"../a/#y", "../d/", "../a"}; !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
}

// TestReferencesWaitForTheirTarget checks that a reference to a file
// added later is judged when the file comes as it would be at the end
// (its fragment among the file's ids, a file without ids, a folder), and
// that the page's own problems and those of references whose target
// never comes are reported beside them in the same order.
func TestReferencesWaitForTheirTarget(t *testing.T) {
	s := NewSite("/")
	s.Add("a/index.html", []byte(`<!doctype html><title>a</title>
<a href="../b/#here">b's here</a>
<a href="../b/#gone">b's gone</a>
<a href="../b/">b</a>
<a href="../doc.pdf#page=2">pdf</a>
<a href="../e/f">f</a>
<a href="#nowhere">own</a>
<img src="../missing.png" alt="">
<a href="../e">e's folder</a>`))
	if got := held(s, "a/index.html"); got != 7 {
		t.Errorf("a holds %d references before their targets come, want 7", got)
	}
	s.Add("b/index.html", []byte(`<!doctype html><title>b</title><h2 id="here">b</h2>`))
	s.Add("doc.pdf", nil)
	s.Add("e/f", nil)
	if got := held(s, "a/index.html"); got != 2 {
		t.Errorf("a holds %d references once b, doc.pdf and e/f came, want 2 (missing.png, e)", got)
	}
	var got []string
	for _, p := range s.Problems() {
		got = append(got, p.String())
	}
	want := []string{
		`a/index.html:3: "../b/#gone": no element with id="gone" in b/index.html`,
		`a/index.html:7: "#nowhere": no element with id="nowhere" in a/index.html`,
		`a/index.html:8: "../missing.png": no file missing.png in the site`,
		`a/index.html:9: "../e": names the folder e without a trailing slash; write "../e/"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
