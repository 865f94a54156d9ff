package pipeline_test

import (
	"encoding/xml"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestEveryPageHasTheIcon checks that every page names the site's icon
// and that the file it names is there and is SVG: without one, a browser
// asks the portal for /favicon.ico on every page and logs a 404 (issue 14).
func TestEveryPageHasTheIcon(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, defaultContent)
	icon := regexp.MustCompile(`<link rel="icon" href="([^"]+)" type="image/svg\+xml">`)
	pages := 0
	for _, name := range s.OutputFiles() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		m := icon.FindStringSubmatch(s.File(name))
		if m == nil {
			t.Errorf("%s names no icon", name)
			continue
		}
		if name == "404.html" {
			continue // absolute under the base path; the link check covers it
		}
		target := path.Join(path.Dir(name), m[1])
		var svg struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal([]byte(s.File(target)), &svg); err != nil || svg.XMLName.Local != "svg" {
			t.Errorf("%s: the icon %s is not an SVG image: %v", name, target, err)
		}
	}
	if pages < 10 {
		t.Fatalf("only %d pages: the test proves little", pages)
	}
}

// pngIcon is the smallest file that passes as PNG: its signature.
const pngIcon = "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"

// icoIcon starts as a Windows icon file does.
const icoIcon = "\x00\x00\x01\x00\x01\x00\x10\x10"

// TestCustomFavicon sets site.toml's favicon to an SVG, a PNG and an ICO
// file of the content folder: every page names it with its own MIME type,
// and the output holds the file as it is.
func TestCustomFavicon(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, data, out, mime string }{
		{"favicon.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#a61b1b"/></svg>`, "favicon.svg", "image/svg+xml"},
		{"images/Logo.PNG", pngIcon, "favicon.png", "image/png"},
		{"./assets/site.ico", icoIcon, "favicon.ico", "image/x-icon"},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			t.Parallel()
			s := wholesite.Run(t, siteToml+"favicon = \""+tt.file+"\"\n"+goodRecord)
			name := filepath.Join(s.Content(), filepath.FromSlash(tt.file))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			s = s.Again()
			if err := s.Err(); err != nil {
				t.Fatalf("build: %v\n%s", err, s.DiagText())
			}
			if got := s.File(tt.out); got != tt.data {
				t.Errorf("%s in the output is %q, want the file as it is", tt.out, got)
			}
			s.AssertDiags("! 不认识的文件")
			pages := 0
			for _, page := range s.OutputFiles() {
				if !strings.HasSuffix(page, ".html") {
					continue
				}
				pages++
				href := strings.Repeat("../", strings.Count(page, "/")) + tt.out
				if page == "404.html" {
					href = "/jxgk/" + tt.out
				}
				s.AssertFileContent(page, `<link rel="icon" href="`+href+`" type="`+tt.mime+`">`, "! assets/favicon.svg")
			}
			if pages < 10 {
				t.Errorf("only %d pages", pages)
			}
		})
	}
}

// TestFaviconProblems names each favicon that cannot be published at
// site.toml's line, in Chinese, and builds nothing from it: a file that
// is missing, a path that leaves the content folder, a type no browser
// shows as an icon, a file that is not what its extension says, and an
// SVG with a script.
func TestFaviconProblems(t *testing.T) {
	t.Parallel()
	tests := []struct{ value, file, data, want string }{
		{"icon.png", "", "", "favicon（网站图标）的文件 icon.png 不存在"},
		{"../secret.png", "", "", `favicon（网站图标）"../secret.png" 不在内容目录中`},
		{"/etc/favicon.png", "", "", `favicon（网站图标）"/etc/favicon.png" 不在内容目录中`},
		{"C:/icons/favicon.png", "", "", "不在内容目录中"},
		{`images\favicon.png`, "", "", "反斜杠"},
		{"images/../../x.png", "", "", "不在内容目录中"},
		{"logo.gif", "logo.gif", "GIF89a", "只能是 .svg、.png 或 .ico 文件"},
		{"logo.png", "logo.png", "GIF89a", "favicon（网站图标）：logo.png 的内容不是PNG 图片"},
		{"logo.svg", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "favicon（网站图标）：logo.svg 不能发布"},
		{"", "", "", "favicon（网站图标）不能为空"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Parallel()
			files := siteToml + "favicon = " + strconv.Quote(tt.value) + "\n" + goodRecord
			if tt.file != "" {
				files += "-- content/" + tt.file + " --\n" + tt.data + "\n"
			}
			s := wholesite.BuildFails(t, files)
			s.AssertDiag("site.toml:4", "error: favicon: favicon（网站图标）")
			s.AssertDiag("site.toml:4", tt.want)
		})
	}
}
