package pipeline

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/diag"
)

// png is the start of a PNG file: what the type check reads.
const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake image data"

const bridges = `
-- content/2023/evaluations/bridges.toml --
title = "桥梁检测项目"
department = "测试市交通运输局"
year = 2023
attachment = "附件2"
grade = "良"
`

// diagnostics formats l's items one a line.
func diagnostics(l *diag.List) string {
	var b strings.Builder
	for _, d := range l.Items() {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

var refRe = regexp.MustCompile(` (?:href|src)="([^"#?]*)[^"]*"`)

// TestFilesBesideRecord: an image and a document placed in the record's
// folder and referenced from the narrative as its editor shows them are
// published beside the page, the page and the print booklet point to
// them, and a file that nothing references is not published.
func TestFilesBesideRecord(t *testing.T) {
	archive := siteToml + goodRecord + bridges + `
-- content/2023/evaluations/bridges.md --
## 一、成效

![桥梁照片](bridges/photo.png "检测现场")

全文见[评价报告](./bridges/评价报告.pdf)，另见[公路项目](../roads/#一项目成效)。
-- content/2023/evaluations/bridges/photo.png --
` + png + `
-- content/2023/evaluations/bridges/评价报告.pdf --
%PDF-1.7 a report
-- content/2023/evaluations/bridges/unused.png --
` + png + `
-- content/2023/evaluations/bridges/draft.docx --
PK` + "\x03\x04" + ` not for the public
`
	out, l, err := buildSite(t, archive)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, diagnostics(l))
	}
	if got := read(t, out, "2023/bridges/photo.png"); got != png+"\n" {
		t.Errorf("photo.png published as %q", got)
	}
	if got := read(t, out, "2023/bridges/评价报告.pdf"); !strings.HasPrefix(got, "%PDF-1.7") {
		t.Errorf("the PDF published as %q", got)
	}
	for _, name := range []string{"2023/bridges/unused.png", "2023/bridges/draft.docx", "2023/bridges/bridges/photo.png"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err == nil {
			t.Errorf("%s is published", name)
		}
	}
	page := read(t, out, "2023/bridges/index.html")
	for _, want := range []string{`src="photo.png"`, `href="%E8%AF%84%E4%BB%B7%E6%8A%A5%E5%91%8A.pdf"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the evaluation page lacks %s", want)
		}
	}
	// Every reference of the booklet that the narrative made leads to the
	// file it means, though the booklet sits three levels deep.
	booklet := read(t, out, "congress/2023/print/index.html")
	want := map[string]string{
		"photo.png": "2023/bridges/photo.png",
		"评价报告.pdf":  "2023/bridges/评价报告.pdf",
		"../roads/": "2023/roads/index.html",
	}
	for _, m := range refRe.FindAllStringSubmatch(booklet, -1) {
		ref := strings.ReplaceAll(m[1], "&amp;", "&")
		for suffix, file := range want {
			dec := ref
			if u, err := urlUnescape(ref); err == nil {
				dec = u
			}
			if !strings.HasSuffix(dec, suffix) {
				continue
			}
			target := path.Join("congress/2023/print", dec)
			if strings.HasSuffix(dec, "/") {
				target += "/index.html"
			}
			if target != file {
				t.Errorf("booklet reference %q leads to %s, want %s", ref, target, file)
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(target))); err != nil {
				t.Errorf("booklet reference %q: %v", ref, err)
			}
			delete(want, suffix)
		}
	}
	if len(want) > 0 {
		t.Errorf("the booklet lacks references to %v", want)
	}

	// The same content gives the same files, byte for byte.
	out2, l2, err := buildSite(t, archive)
	if err != nil {
		t.Fatalf("second build: %v\n%s", err, diagnostics(l2))
	}
	if a, b := allOutput(t, out), allOutput(t, out2); a != b {
		t.Errorf("two builds differ")
	}
}

// TestUnreferencedFileNotice: check says which files of a record's folder
// are not published.
func TestUnreferencedFileNotice(t *testing.T) {
	c, _ := siteFromTxtar(t, siteToml+goodRecord+`
-- content/2023/evaluations/roads/unused.png --
`+png)
	var l diag.List
	stats, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &l)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, diagnostics(&l))
	}
	if got := strings.Join(stats.Notices, "\n"); !strings.Contains(got, "roads/unused.png 没有被 roads.md 引用，未发布") {
		t.Errorf("notices lack the unused file:\n%s", got)
	}
}

// TestBadFilesBesideRecord: a referenced file that is missing, of a type
// not allowed, or an SVG with a script, fails check and build alike, at
// the narrative's line.
func TestBadFilesBesideRecord(t *testing.T) {
	for _, tc := range []struct {
		name, md, file, data, want string
	}{
		{"missing", "## 一\n\n![照片](bridges/photo.png)\n", "", "", "bridges.md:3: error: 链接的文件 2023/evaluations/bridges/photo.png 不存在"},
		{"svg script", "## 一\n\n正文\n\n![图](./bridges/chart.svg)\n", "chart.svg",
			`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`, "bridges.md:5: error: chart.svg 不能发布：含有 <script> 元素"},
		{"svg onload", "![图](bridges/chart.svg)", "chart.svg",
			`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "bridges.md:1: error: chart.svg 不能发布：<svg> 有事件属性 onload"},
		{"type", "[下载](bridges/tool.exe)", "tool.exe", "MZ", "bridges.md:1: error: tool.exe 的类型"},
		{"disguised", "![照片](bridges/photo.png)", "photo.png", "%PDF-1.4", "bridges.md:1: error: photo.png 的内容不是PNG 图片"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			archive := siteToml + goodRecord + bridges + "-- content/2023/evaluations/bridges.md --\n" + tc.md + "\n"
			if tc.file != "" {
				archive += "-- content/2023/evaluations/bridges/" + tc.file + " --\n" + tc.data + "\n"
			}
			out, l, err := buildSite(t, archive)
			if !errors.Is(err, ErrFailed) {
				t.Fatalf("build: err = %v, want ErrFailed", err)
			}
			if got := diagnostics(l); !strings.Contains(got, tc.want) {
				t.Errorf("build diagnostics lack %q:\n%s", tc.want, got)
			} else if strings.Contains(got, "生成的页面") {
				t.Errorf("the file's problem is reported again as a broken link:\n%s", got)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed build wrote %s", out)
			}
			c, _ := siteFromTxtar(t, archive)
			var cl diag.List
			if _, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &cl); !errors.Is(err, ErrFailed) {
				t.Fatalf("check: err = %v, want ErrFailed", err)
			}
			if got := diagnostics(&cl); !strings.Contains(got, tc.want) {
				t.Errorf("check diagnostics lack %q:\n%s", tc.want, got)
			}
		})
	}
}

// TestBrokenLinkFailsBuild: build refuses what check refuses; the broken
// link in the booklet too is blamed on the narrative's line, not on the
// templates.
func TestBrokenLinkFailsBuild(t *testing.T) {
	archive := siteToml + goodRecord + bridges + `
-- content/2023/evaluations/bridges.md --
## 一、成效

见[去年的评价](../../2022/bridges/)。
`
	out, l, err := buildSite(t, archive)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("build with a broken link: err = %v, want ErrFailed", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed build wrote %s", out)
	}
	got := diagnostics(l)
	for _, want := range []string{
		`bridges.md:3: error: 生成的页面 2023/bridges/index.html（第`,
		`bridges.md:3: error: 生成的页面 congress/2023/print/index.html（第`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "templates") {
		t.Errorf("a narrative's link is blamed on the templates:\n%s", got)
	}
}

// TestLongDepartmentName: a department of 100 characters builds (its
// pinyin folder name would be over 255 bytes), so check and build agree.
func TestLongDepartmentName(t *testing.T) {
	dept := strings.Repeat("潜江市农业农村局乡村振兴促进服务中心", 6)[:100*3]
	archive := siteToml + strings.Replace(goodRecord, "测试市交通运输局", dept, 1)
	c, _ := siteFromTxtar(t, archive)
	var cl diag.List
	if _, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &cl); err != nil {
		t.Fatalf("check: %v\n%s", err, diagnostics(&cl))
	}
	out, l, err := buildSite(t, archive)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, diagnostics(l))
	}
	entries, err := os.ReadDir(filepath.Join(out, "departments"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(e.Name()) > 80 {
			t.Errorf("department folder %q is %d bytes", e.Name(), len(e.Name()))
		}
	}
}

func urlUnescape(s string) (string, error) { return url.PathUnescape(s) }

// TestBookletRebasesLinks: a narrative's relative link, written for its
// page at 2023/bridges/, leads to the same page from the print booklet at
// congress/2023/print/.
func TestBookletRebasesLinks(t *testing.T) {
	out, l, err := buildSite(t, siteToml+goodRecord+bridges+`
-- content/2023/evaluations/bridges.md --
另见[公路项目](../roads/)和[本年](../)。
`)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, diagnostics(l))
	}
	booklet := read(t, out, "congress/2023/print/index.html")
	found := 0
	for _, m := range refRe.FindAllStringSubmatch(booklet, -1) {
		ref := m[1]
		var want string
		switch {
		case strings.HasSuffix(ref, "/../roads/"):
			want = "2023/roads/index.html"
		case strings.HasSuffix(ref, "/bridges/../"):
			want = "2023/index.html"
		default:
			continue
		}
		found++
		if got := path.Join("congress/2023/print", ref, "index.html"); got != want {
			t.Errorf("booklet link %q leads to %s, want %s", ref, got, want)
		}
	}
	if found != 2 {
		t.Errorf("found %d of the narrative's 2 links in the booklet:\n%s", found, booklet)
	}
}

// TestBookletBlamesNarrative: check reports a broken link of the print
// booklet at the narrative's line, not on the templates.
func TestBookletBlamesNarrative(t *testing.T) {
	c, _ := siteFromTxtar(t, siteToml+goodRecord+bridges+`
-- content/2023/evaluations/bridges.md --
## 一、成效

见[不存在的页面](../nowhere/)。
`)
	var l diag.List
	if _, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &l); !errors.Is(err, ErrFailed) {
		t.Fatalf("check: err = %v, want ErrFailed", err)
	}
	got := diagnostics(&l)
	if !strings.Contains(got, "bridges.md:3: error: 生成的页面 congress/2023/print/index.html") {
		t.Errorf("the booklet's broken link is not blamed on bridges.md:3:\n%s", got)
	}
	if strings.Contains(got, "templates") {
		t.Errorf("a narrative's link is blamed on the templates:\n%s", got)
	}
}

// TestPathsDifferingInCase: two records whose names differ only in case
// make one folder on Windows; check and build both refuse them.
func TestPathsDifferingInCase(t *testing.T) {
	archive := siteToml + goodRecord + strings.Replace(goodRecord, "roads.", "Roads.", 2)
	out, l, err := buildSite(t, archive)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("build: err = %v, want ErrFailed\n%s", err, diagnostics(l))
	}
	const want = "只差字母大小写"
	if got := diagnostics(l); !strings.Contains(got, want) {
		t.Errorf("build diagnostics lack %q:\n%s", want, got)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed build wrote %s", out)
	}
	c, _ := siteFromTxtar(t, archive)
	var cl diag.List
	if _, err := Check(context.Background(), Options{Content: c, Now: fixedNow}, &cl); !errors.Is(err, ErrFailed) || !strings.Contains(diagnostics(&cl), want) {
		t.Errorf("check: err = %v\n%s", err, diagnostics(&cl))
	}
}
