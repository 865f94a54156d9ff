package linkcheck_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/synth"
)

// TestScanTagsAgrees holds the link check's fast scan of a page to the
// HTML tokenizer's reading: on every page of a generated site and of the
// default content it reads the same elements, lines and attributes, and
// on tricky documents it agrees or declines (and the tokenizer reads
// them).
func TestScanTagsAgrees(t *testing.T) {
	docs := map[string]string{
		"quotes":     `<a href='x.html' id=a1 title="a > b">x</a><img src=y.png alt=z>`,
		"entities":   `<a href="a?x=1&amp;y=2#f&#233;">x</a><a href="&lt;x&gt;">y</a>`,
		"legacy":     `<a href="a?x=1&copy=2">x</a>`,
		"comment":    "<!-- <a href=\"no\"> -->\n<a href=\"yes\">\n</a><!-->",
		"script":     "<script>if (a<b) { x = '<a href=\"no\">' }</script>\n<a href=\"y\">",
		"script esc": "<script><!-- <script> </script> --></script><a href=x>",
		"style":      "<style>a::after{content:'<a href=no>'}</style><a\nhref=\"y\"\n id=\"z\">",
		"title":      "<title>a <b href=no></title><a href=y>",
		"case":       `<A HREF="X">x</A><SCRIPT>a<b</SCRIPT ><a href=y>`,
		"text lt":    `a < b <3 <a href="c">`,
		"cdata":      `<svg><![CDATA[ <a href="no"> ]]><use href="#i"/></svg>`,
		"end attrs":  `</a title=">"><a href=x>`,
		"doctype":    "<!DOCTYPE html>\n<html lang=zh><body><a href=x>",
		"bogus":      `<?xml x?><a href=x>`,
		"slash":      `<img/src="a.png"/><br/><a/href=x>`,
		"unclosed":   `<a href="x`,
		"eq key":     `<a =x href=y>`,
		"spaces":     "<a href = \"x\"  id\n=\ny>",
		"noscript":   `<noscript><a href="no">x</a></noscript><a href=y>`,
		"plaintext":  `<plaintext><a href="no">`,
		"upper attr": `<a HREF="x" Id=y>`,
	}
	for name, doc := range docs {
		if diff, _ := linkcheck.ScanDiff([]byte(doc)); diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
	}

	dir := filepath.Join(t.TempDir(), "content")
	if err := synth.Generate(dir, 60, 7); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{dir, "../../testdata/seed"} {
		var pages pageSet
		var l diag.List
		if _, _, err := pipeline.Build(context.Background(), pipeline.Options{Content: content}, &l, &pages); err != nil {
			t.Fatalf("%s: %v\n%v", content, err, l.Items())
		}
		n, declined := 0, 0
		for name, data := range pages.m {
			if !strings.HasSuffix(name, ".html") {
				continue
			}
			n++
			diff, no := linkcheck.ScanDiff(data)
			if diff != "" {
				t.Errorf("%s: %s", name, diff)
			}
			if no {
				declined++
				t.Logf("%s: declined", name)
			}
		}
		// The fast scan is for the pages evalpress writes: it must read
		// nearly all of them, or build pays the tokenizer again.
		if declined*20 > n {
			t.Errorf("%s: the scan declined %d of %d pages", content, declined, n)
		}
	}
}

type pageSet struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (p *pageSet) Write(name string, data []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string][]byte{}
	}
	p.m[name] = append([]byte(nil), data...)
	return nil
}
