package site

import (
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/synth"
)

// reanchorByRegexp is the booklet's first reanchor, two regular
// expressions: the reference that the scan must agree with.
func reanchorByRegexp(html template.HTML, anchor string) template.HTML {
	idRe := regexp.MustCompile(` (id|href)="(#?)([^"]*)"`)
	headingRe := regexp.MustCompile(`<(/?)h([2-5])\b`)
	s := idRe.ReplaceAllStringFunc(string(html), func(m string) string {
		p := idRe.FindStringSubmatch(m)
		if p[1] == "href" && p[2] == "" {
			return m
		}
		return " " + p[1] + `="` + p[2] + anchor + "-" + p[3] + `"`
	})
	s = headingRe.ReplaceAllStringFunc(s, func(m string) string {
		p := headingRe.FindStringSubmatch(m)
		n, _ := strconv.Atoi(p[2])
		return "<" + p[1] + "h" + strconv.Itoa(n+1)
	})
	return template.HTML(s)
}

func TestReanchor(t *testing.T) {
	md := narrative.New()
	docs := []string{
		"## 一、成效\n\n见[问题](#二存在的问题)和[外部](https://www.mof.gov.cn/#x)。\n\n### 2.1 细节\n\n#### 深\n\n##### 更深\n\n###### 最深\n\n## 二、存在的问题\n\n<h2 id=\"raw\">原样</h2> \" id=\"x\n\n| a | b |\n| - | - |\n| <hr> | `<h3>` |\n",
		"没有标题的说明。",
		"",
	}
	// And the narratives of a generated site.
	dir := filepath.Join(t.TempDir(), "content")
	if err := synth.Generate(dir, 40, 3); err != nil {
		t.Fatal(err)
	}
	mds, _ := filepath.Glob(filepath.Join(dir, "*", "evaluations", "*.md"))
	if len(mds) < 20 {
		t.Fatalf("%d generated narratives, want 20 or more", len(mds))
	}
	for _, f := range mds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	for i, src := range docs {
		doc, err := md.Render([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got, want := reanchor(doc.HTML, "e-x", ""), reanchorByRegexp(doc.HTML, "e-x")
		if got != want {
			t.Errorf("document %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
	got := string(reanchor(template.HTML(`<h2 id="一成效">一、成效</h2><p><a href="#一成效">上</a> <a href="/x">外</a></p><h6 id="六">六</h6><hr>`), "e-a", ""))
	want := `<h3 id="e-a-一成效">一、成效</h3><p><a href="#e-a-一成效">上</a> <a href="/x">外</a></p><h6 id="e-a-六">六</h6><hr>`
	if got != want {
		t.Errorf("reanchor:\ngot  %s\nwant %s", got, want)
	}
	if !strings.Contains(string(reanchor("<h5>五</h5>", "e", "")), "<h6>五</h6>") {
		t.Errorf("an h5 does not become an h6")
	}
}

// TestReanchorRebase: the booklet sits at congress/2023/print/, three
// levels from the root, while a narrative's relative references were
// written for its page at 2023/roads/; only those are rebased.
func TestReanchorRebase(t *testing.T) {
	doc, err := narrative.New().Render([]byte("[桥](../bridges/#一成效) [本页](#a) [根](/x) [外](https://a.example/b) [信](mailto:a@b.cn) [查](?q=1)\n\n![图](photo.png \"标题 src=\\\"x\\\"\")\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(reanchor(doc.HTML, "e-roads", "../../../2023/roads/"))
	for _, want := range []string{
		`href="../../../2023/roads/../bridges/#%E4%B8%80%E6%88%90%E6%95%88"`,
		`href="#e-roads-a"`,
		`href="/x"`,
		`href="https://a.example/b"`,
		`href="mailto:a@b.cn"`,
		`href="../../../2023/roads/?q=1"`,
		`src="../../../2023/roads/photo.png"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Count(got, "../../../") != 3 {
		t.Errorf("rebased %d references, want 3:\n%s", strings.Count(got, "../../../"), got)
	}
}

// TestBookletLanes: booklets are made one per core while they are small;
// once any gathers more than bigBooklet abstracts (a year of a site of
// 100,000 evaluations), one at a time, which keeps the build's peak within
// its budget.
func TestBookletLanes(t *testing.T) {
	year := func(n int, congress bool) *Year {
		y := &Year{}
		for range n {
			y.Evaluations = append(y.Evaluations, &score.Evaluation{Record: &content.Record{Congress: congress}})
		}
		return y
	}
	small := year(80, true)
	// None marked for the congress: the booklet gathers all of them.
	big := year(bigBooklet+1, false)
	// Many evaluations, few marked: the booklet is small.
	marked := year(2*bigBooklet, false)
	marked.Evaluations[0].Congress = true
	for _, c := range []struct {
		name     string
		booklets []*Year
		want     int
	}{
		{"none", nil, 0},
		{"one small", []*Year{small}, 1},
		{"small ones", []*Year{small, small, small}, 2},
		{"few marked of many", []*Year{small, marked}, 2},
		{"one big among them", []*Year{small, big, small}, 1},
	} {
		if got := bookletLanes(c.booklets, 2); got != c.want {
			t.Errorf("%s: %d lanes, want %d", c.name, got, c.want)
		}
	}
}
