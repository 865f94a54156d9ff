package pipeline_test

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
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

var refRe = regexp.MustCompile(` (?:href|src)="([^"#?]*)[^"]*"`)

// TestFilesBesideRecord: an image and a document placed in the record's
// folder and referenced from the narrative as its editor shows them are
// published beside the page, the page and the print booklet point to
// them, and a file that nothing references is not published.
func TestFilesBesideRecord(t *testing.T) {
	t.Parallel()
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
	s := wholesite.Build(t, archive)
	out := s.Out()
	if got := s.File("2023/bridges/photo.png"); got != png+"\n" {
		t.Errorf("photo.png published as %q", got)
	}
	if got := s.File("2023/bridges/评价报告.pdf"); !strings.HasPrefix(got, "%PDF-1.7") {
		t.Errorf("the PDF published as %q", got)
	}
	for _, name := range []string{"2023/bridges/unused.png", "2023/bridges/draft.docx", "2023/bridges/bridges/photo.png"} {
		s.AssertNoFile(name)
	}
	s.AssertFileContent("2023/bridges/index.html", `src="photo.png"`, `href="%E8%AF%84%E4%BB%B7%E6%8A%A5%E5%91%8A.pdf"`)
	// Every reference of the booklet that the narrative made leads to the
	// file it means, though the booklet sits three levels deep.
	booklet := s.File("congress/2023/print/index.html")
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
	if a, b := s.AllOutput(), wholesite.Build(t, archive).AllOutput(); a != b {
		t.Errorf("two builds differ")
	}
}

// TestUnreferencedFileNotice: check says which files of a record's folder
// are not published.
func TestUnreferencedFileNotice(t *testing.T) {
	t.Parallel()
	c := wholesite.Check(t, siteToml+goodRecord+`
-- content/2023/evaluations/roads/unused.png --
`+png)
	if got := strings.Join(c.Stats().Notices, "\n"); !strings.Contains(got, "roads/unused.png 没有被 roads.md 引用，未发布") {
		t.Errorf("notices lack the unused file:\n%s", got)
	}
}

// TestBadFilesBesideRecord: a referenced file that is missing, of a type
// not allowed, or an SVG with a script, fails check and build alike, at
// the narrative's line.
func TestBadFilesBesideRecord(t *testing.T) {
	t.Parallel()
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
			t.Parallel()
			archive := siteToml + goodRecord + bridges + "-- content/2023/evaluations/bridges.md --\n" + tc.md + "\n"
			if tc.file != "" {
				archive += "-- content/2023/evaluations/bridges/" + tc.file + " --\n" + tc.data + "\n"
			}
			b := wholesite.BuildFails(t, archive)
			// The file's problem is not reported again as a broken link.
			b.AssertDiags(tc.want, "! 生成的页面")
			b.AssertNoFile("") // a failed build writes nothing
			wholesite.CheckFails(t, archive).AssertDiags(tc.want)
		})
	}
}

// TestBrokenLinkFailsBuild: build refuses what check refuses; the broken
// link in the booklet too is blamed on the narrative's line, not on the
// templates.
func TestBrokenLinkFailsBuild(t *testing.T) {
	t.Parallel()
	archive := siteToml + goodRecord + bridges + `
-- content/2023/evaluations/bridges.md --
## 一、成效

见[去年的评价](../../2022/bridges/)。
`
	s := wholesite.BuildFails(t, archive)
	s.AssertNoFile("") // a failed build writes nothing
	s.AssertDiag("bridges.md:3", `error: 生成的页面 2023/bridges/index.html（第`)
	s.AssertDiag("bridges.md:3", `error: 生成的页面 congress/2023/print/index.html（第`)
	// A narrative's link is not blamed on the templates.
	s.AssertDiags("! templates")
}

// TestLongDepartmentName: a department of 100 characters builds (its
// pinyin folder name would be over 255 bytes), so check and build agree.
func TestLongDepartmentName(t *testing.T) {
	t.Parallel()
	dept := strings.Repeat("潜江市农业农村局乡村振兴促进服务中心", 6)[:100*3]
	archive := siteToml + strings.Replace(goodRecord, "测试市交通运输局", dept, 1)
	wholesite.Check(t, archive)
	entries, err := os.ReadDir(filepath.Join(wholesite.Build(t, archive).Out(), "departments"))
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
	t.Parallel()
	booklet := wholesite.Build(t, siteToml+goodRecord+bridges+`
-- content/2023/evaluations/bridges.md --
另见[公路项目](../roads/)和[本年](../)。
`).File("congress/2023/print/index.html")
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
	t.Parallel()
	s := wholesite.CheckFails(t, siteToml+goodRecord+bridges+`
-- content/2023/evaluations/bridges.md --
## 一、成效

见[不存在的页面](../nowhere/)。
`)
	s.AssertDiag("bridges.md:3", "error: 生成的页面 congress/2023/print/index.html")
	// A narrative's link is not blamed on the templates.
	s.AssertDiags("! templates")
}

// TestPathsDifferingInCase: two records whose names differ only in case
// make one folder on Windows; check and build both refuse them.
func TestPathsDifferingInCase(t *testing.T) {
	t.Parallel()
	archive := siteToml + goodRecord + strings.Replace(goodRecord, "roads.", "Roads.", 2)
	const want = "只差字母大小写"
	s := wholesite.BuildFails(t, archive)
	s.AssertDiags(want)
	s.AssertNoFile("") // a failed build writes nothing
	wholesite.CheckFails(t, archive).AssertDiags(want)
}

// TestBookletBlamesNarrativeFragment: a broken in-page link of a narrative
// is reported in the print booklet, where its anchor is prefixed with the
// abstract's, at the line of the narrative that holds it, even when
// another slug starts the same way ("#e-bridges-2-…" also starts with
// "#e-bridges-").
func TestBookletBlamesNarrativeFragment(t *testing.T) {
	t.Parallel()
	s := wholesite.CheckFails(t, siteToml+goodRecord+bridges+strings.ReplaceAll(bridges, "bridges.toml", "bridges-2.toml")+`
-- content/2023/evaluations/bridges.md --
## 一、成效

桥梁检测完成。
-- content/2023/evaluations/bridges-2.md --
## 一、成效

桥梁检测完成。

见[下文](#nowhere)。
`)
	s.AssertDiag("bridges-2.md:5", "error: 生成的页面 congress/2023/print/index.html")
	s.AssertDiag("bridges-2.md:5", "error: 生成的页面 2023/bridges-2/index.html")
	s.AssertDiags("! templates", "! bridges.md")
}
