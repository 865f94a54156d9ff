package attach

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
)

const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

const goodSVG = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">
  <metadata><inkscape:x/></metadata>
  <defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>
  <style>rect { fill: url(#g); }</style>
  <rect width="10" height="10" fill="url(#g)" style="stroke: url('#g')"/>
  <use xlink:href="#g"/>
  <image href="data:image/png;base64,iVBORw0KGgo="/>
  <text>url(https://example.com/) is only text here</text>
</svg>`

func TestCheckSVG(t *testing.T) {
	if err := checkSVG([]byte(goodSVG)); err != nil {
		t.Fatalf("a plain SVG is refused: %v", err)
	}
	svg := func(body string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">` + body + `</svg>`
	}
	for _, bad := range []string{
		svg(`<script>alert(1)</script>`),
		svg(`<SCRIPT>alert(1)</SCRIPT>`),
		svg(`<script xlink:href="data:,alert(1)"/>`),
		`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
		svg(`<rect onclick="alert(1)"/>`),
		svg(`<a href="javascript:alert(1)"><text>x</text></a>`),
		svg(`<a xlink:href=" java&#x09;script:alert(1)"><text>x</text></a>`),
		svg(`<a href="https://example.com/"><text>x</text></a>`),
		svg(`<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>`),
		svg(`<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="x"/>`),
		svg(`<h:p xmlns:h="http://www.w3.org/1999/xhtml">x</h:p>`),
		svg(`<image href="https://tracker.example/p.png"/>`),
		svg(`<image href="data:image/svg+xml;base64,PHN2Zz4="/>`),
		svg(`<use href="other.svg#x"/>`),
		svg(`<style>@import url(https://example.com/x.css);</style>`),
		svg(`<style><![CDATA[rect { fill: url(https://example.com/x.svg#g) }]]></style>`),
		svg(`<rect style="fill: url(//example.com/x)"/>`),
		svg(`<rect fill="url(https://example.com/x#g)"/>`),
		svg(`<a><set attributeName="href" to="javascript:alert(1)"/></a>`),
		svg(`<animate attributeName="xlink:href" values="x"/>`),
		`<?xml-stylesheet href="https://example.com/x.css"?>` + svg(``),
		`<!DOCTYPE svg [<!ENTITY x "y">]>` + svg(`<text>&x;</text>`),
		`<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`,
		`<?xml version="1.0" encoding="GB2312"?>` + svg(``),
		svg(`<rect>`), // not well formed
		`not xml at all`,
	} {
		if err := checkSVG([]byte(bad)); err == nil {
			t.Errorf("not refused: %s", bad)
		}
	}
}

func TestRead(t *testing.T) {
	big := bytes.Repeat([]byte{0}, MaxSize+1)
	copy(big, png)
	fsys := fstest.MapFS{
		"2023/evaluations/r/photo.png":  {Data: []byte(png)},
		"2023/evaluations/r/Photo.PNG":  {Data: []byte(png)},
		"2023/evaluations/r/fake.png":   {Data: []byte("GIF89a")},
		"2023/evaluations/r/report.pdf": {Data: []byte("%PDF-1.7\n")},
		"2023/evaluations/r/a.svg":      {Data: []byte(goodSVG)},
		"2023/evaluations/r/x.svg":      {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		"2023/evaluations/r/big.png":    {Data: big},
		"2023/evaluations/r/run.exe":    {Data: []byte("MZ")},
		"2023/evaluations/r/page.html":  {Data: []byte("<p>")},
		"2023/evaluations/r/con.png":    {Data: []byte(png)},
		"2023/evaluations/r/a:b.png":    {Data: []byte(png)},
	}
	f := New(fsys)
	for _, tc := range []struct {
		name  string
		image bool
		want  string // part of the problem; "" for none
	}{
		{"photo.png", true, ""},
		{"Photo.PNG", true, ""},
		{"report.pdf", false, ""},
		{"a.svg", true, ""},
		{"report.pdf", true, "不能作为图片显示"},
		{"fake.png", true, "扩展名与内容不符"},
		{"x.svg", true, "<script>"},
		{"big.png", true, "超过了 20 MiB"},
		{"run.exe", false, "不在允许发布的类型之列"},
		{"page.html", false, "不在允许发布的类型之列"},
		{"con.png", true, "Windows 的设备名"},
		{"a:b.png", true, "不允许的字符"},
		{"missing.png", true, "不存在"},
	} {
		data, err := f.Read("2023/evaluations/r/"+tc.name, tc.image)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == "" && !bytes.Equal(data, fsys["2023/evaluations/r/"+tc.name].Data):
			t.Errorf("%s: contents differ", tc.name)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
		var p *Problem
		if err != nil && (!errors.As(err, &p) || p.Hint == "") {
			t.Errorf("%s: %v is not a Problem with a hint", tc.name, err)
		}
	}
}

func TestCheckDocuments(t *testing.T) {
	fsys := fstest.MapFS{
		"2023/evaluations/a/report.pdf": {Data: []byte("%PDF-1.7\n" + strings.Repeat("x", 1000))},
		"2023/evaluations/a/fake.pdf":   {Data: []byte("<html>not a pdf</html>")},
		"2023/evaluations/a/run.exe":    {Data: []byte("MZ")},
	}
	f := "content/2023/evaluations/a.toml"
	r := &content.Record{File: f, Slug: "a", Year: 2023,
		Documents: []*content.Document{
			{Key: "documents[0]", File: "a/report.pdf"},
			{Key: "documents[1]", File: "a/missing.pdf"},
			{Key: "documents[2]", File: "a/fake.pdf"},
			{Key: "documents[3]", File: "a/run.exe"},
		},
		Pos: content.KeyPositions(map[string]diag.Pos{
			"documents[1].file": {File: f, Line: 12, Col: 1},
			"documents[2].file": {File: f, Line: 15, Col: 1},
			"documents[3].file": {File: f, Line: 18, Col: 1},
		}),
	}
	var l diag.List
	New(fsys).CheckDocuments(r, &l)
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.String())
	}
	want := []string{
		"content/2023/evaluations/a.toml:12:1: error: documents[1].file: 文档 a/missing.pdf 不存在",
		"content/2023/evaluations/a.toml:15:1: error: documents[2].file: fake.pdf 的内容不是PDF 文档",
		"content/2023/evaluations/a.toml:18:1: error: documents[3].file: run.exe 的类型",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want it to start with %q", i, got[i], want[i])
		}
	}
}

func TestCheckReadsOnlyTheHead(t *testing.T) {
	// A document over the size limit is still refused by Check.
	big := fstest.MapFS{"a/big.pdf": {Data: append([]byte("%PDF-"), make([]byte, MaxSize)...)}}
	if err := New(big).Check("a/big.pdf"); err == nil {
		t.Error("Check accepted a document over the size limit")
	}
	ok := fstest.MapFS{"a/ok.pdf": {Data: append([]byte("%PDF-"), make([]byte, 1<<20)...)}}
	if err := New(ok).Check("a/ok.pdf"); err != nil {
		t.Errorf("Check refused a good PDF: %v", err)
	}
}

// foldFS is a content folder on a file system that ignores case, as on
// Windows and macOS: a name in another case opens the file.
type foldFS struct{ m fstest.MapFS }

func (f foldFS) Open(name string) (fs.File, error) {
	if file, err := f.m.Open(name); err == nil {
		return file, nil
	}
	for k := range f.m {
		if strings.EqualFold(k, name) {
			return f.m.Open(k)
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// A link whose case differs from the file's is an error on every system,
// with the name to write: found where case is ignored, it would not be
// on the Linux server that builds the same content.
func TestLinkCaseAsOnTheServer(t *testing.T) {
	files := fstest.MapFS{"2023/evaluations/roads/chart.png": {Data: []byte(png)}, "2023/evaluations/roads.toml": {Data: []byte("")}}
	defer func(v bool) { foldsCase = v }(foldsCase)

	foldsCase = false // Linux
	err := New(files).Check("2023/evaluations/roads/Chart.PNG")
	var p *Problem
	if !errors.As(err, &p) || !p.missing || !strings.Contains(p.Hint, "把链接改成 2023/evaluations/roads/chart.png") {
		t.Errorf("Linux: Check = %v (%+v), want a missing file with the name in its case", err, p)
	}

	foldsCase = true // Windows, macOS
	err = New(foldFS{files}).Check("2023/evaluations/roads/Chart.PNG")
	if !errors.As(err, &p) || !strings.Contains(p.Message, "只差字母大小写") || !strings.Contains(p.Hint, "2023/evaluations/roads/chart.png") {
		t.Errorf("Windows: Check = %v (%+v), want the case reported", err, p)
	}
	if err := New(foldFS{files}).Check("2023/evaluations/roads/chart.png"); err != nil {
		t.Errorf("Windows: the exact name: %v", err)
	}
	if err := New(foldFS{files}).Check("2023/evaluations/Roads/chart.png"); !errors.As(err, &p) || !strings.Contains(p.Hint, "2023/evaluations/roads/chart.png") {
		t.Errorf("Windows: a folder in another case: %v", err)
	}
}
