package linkcheck

import (
	"net/url"
	"path"
	"testing"
)

// TestSplitPlainAgrees holds splitPlain, resolve's fast path, to url.Parse.
func TestSplitPlainAgrees(t *testing.T) {
	for _, v := range []string{
		"a.html", "../../assets/css/site.css", "#top", "#", "x#y#z", "./", "../", ".",
		"2024/roads-2/index.html#e-roads-2-x", "a~b_c-d.e", "///x", "//host/x", "http://h/",
		"a:b", "a%20b", "a?b", "a+b", "a b", "*", "mailto:x", "a/#", "##", "A/B.PNG",
		"#%e5%9b%9b%e4%b8%8b", "#%zz", "#a%2", "x#%41#%42", "a%41#b", "#%2B+",
	} {
		p, frag, ok := splitPlain(v)
		if !ok {
			continue
		}
		u, err := url.Parse(v)
		if err != nil {
			t.Errorf("%q: splitPlain reads it, url.Parse fails: %v", v, err)
			continue
		}
		if u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Opaque != "" || u.Path != p || u.Fragment != frag {
			t.Errorf("%q: splitPlain path %q fragment %q, url.Parse %#v", v, p, frag, u)
		}
	}
}

// FuzzSplitPlain: whatever the reference, splitPlain declines it or reads
// it as url.Parse does.
func FuzzSplitPlain(f *testing.F) {
	for _, s := range []string{"../a/b.html#c", "#x", "a#b#c", "//h", "#%e4%b8%80", "#%zz", "../x#a%2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		p, frag, ok := splitPlain(v)
		if !ok {
			return
		}
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Opaque != "" || u.Path != p || u.Fragment != frag {
			t.Errorf("%q: splitPlain path %q fragment %q, url.Parse %#v, %v", v, p, frag, u, err)
		}
	})
}

// TestJoinRel holds joinRel to path.Join for the directories of a site's
// files and relative references.
func TestJoinRel(t *testing.T) {
	dirs := []string{".", "a", "a/b", "a/b/c", "2024/roads", "x/y/z/w"}
	refs := []string{"", ".", "..", "./", "../", "../..", "../../", "../../../", "../../../../x",
		"x", "x/", "../x", "../../x", "../../x/", "../../x/../y", "../../x/./y", "../.././x",
		"../..//x", "../../x/..", "../x/../../..", "./../x", "x/../../y", "../../x/.", "...", "../.../x"}
	for _, d := range dirs {
		for _, r := range refs {
			if got, want := joinRel(d, r), path.Join(d, r); got != want {
				t.Errorf("joinRel(%q, %q) = %q, path.Join %q", d, r, got, want)
			}
		}
	}
}

// FuzzJoinRel: joinRel is path.Join for any clean relative directory.
func FuzzJoinRel(f *testing.F) {
	f.Add("a/b", "../../x")
	f.Add("a/../..", "../x/")
	f.Fuzz(func(t *testing.T, dir, p string) {
		dir = path.Clean(dir)
		if path.IsAbs(dir) {
			return
		}
		if got, want := joinRel(dir, p), path.Join(dir, p); got != want {
			t.Errorf("joinRel(%q, %q) = %q, path.Join %q", dir, p, got, want)
		}
	})
}

// TestAttrName holds attrName to attrNames, which walkHTML reads.
func TestAttrName(t *testing.T) {
	for k := range attrNames {
		if got := attrName([]byte(k)); got != k {
			t.Errorf("attrName(%q) = %q", k, got)
		}
	}
	for _, k := range []string{"", "i", "ids", "class", "HREF", "xlink", "data-x", "hrefs"} {
		if got := attrName([]byte(k)); got != "" {
			t.Errorf("attrName(%q) = %q, want \"\"", k, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { attrName([]byte("formaction")) }); n != 0 {
		t.Errorf("attrName allocates %v times", n)
	}
}

// TestFragOf holds fragOf, what check reads of a reference, to resolve.
func TestFragOf(t *testing.T) {
	s := NewSite("/jxgk/")
	n := 0
	for _, page := range []string{"index.html", "2024/roads/index.html", "404.html"} {
		for _, v := range []string{
			"a.html", "a.html#x", " ../b/#%e5%9b%9b ", "#top", "#", "x#y#z", "./#a", "../../c.css#p",
			"a%20b.html#q", "a?b=1#c", "/jxgk/2023/#figures", "#%zz", "a b#c d", "#%2B+",
		} {
			r := s.resolve(page, ref{value: v, nav: true})
			if !r.site {
				continue
			}
			n++
			if got := fragOf(v); got != r.frag {
				t.Errorf("%s: %q: fragOf %q, resolve %q", page, v, got, r.frag)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d references reach the rest of the site", n)
	}
}
