package content

import (
	"path"
	"strings"
)

// DefaultIcon is the site's icon when site.toml names none: the one in
// the default assets.
const DefaultIcon = "assets/favicon.svg"

// iconTypes are the types a site's icon may have, by lower-case
// extension, with their IconFormat: the three every browser shows in its
// tab.
var iconTypes = map[string]string{
	".svg": "svg",
	".png": "png",
	".ico": "ico",
}

// IconPath is where the site's icon is in the output: DefaultIcon, or
// favicon.svg, favicon.png or favicon.ico at the site's root for the file
// site.toml names in Favicon (a fixed name, so that nothing the staffer
// names in the content folder decides a path of the output).
func (s Site) IconPath() string {
	if s.Favicon == "" {
		return DefaultIcon
	}
	return "favicon" + strings.ToLower(path.Ext(s.Favicon))
}

// IconFormat is the format of the site's icon: "svg", "png" or "ico".
// The layout declares its MIME type from it (image/svg+xml, image/png,
// image/x-icon), written in the template: html/template would escape the
// + of a value.
func (s Site) IconFormat() string {
	return iconTypes[path.Ext(s.IconPath())]
}

// favicon reads site.toml's optional favicon: a file in the content
// folder, written relative to it with '/'. The path is checked as
// written here (inside the content folder, an icon type); whether the
// file exists and is what its extension says is checked where files are
// read (package attach), through the content folder's file system, which
// reads nothing outside it.
func (d *decoder) favicon(m map[string]any, s *Site) {
	file, ok := d.str(m, "", "favicon")
	if !ok {
		return
	}
	const key = "favicon"
	hint := `把图标文件放进内容目录（site.toml 所在的文件夹），写它相对于内容目录的路径，例如 favicon = "images/favicon.png"；不设置则使用默认图标`
	file = strings.TrimSpace(file)
	clean := path.Clean(file)
	switch {
	case file == "":
		d.errorf(key, hint, "favicon（网站图标）不能为空")
	case strings.Contains(file, `\`):
		d.errorf(key, "路径用 / 分隔："+strings.ReplaceAll(file, `\`, "/"), "favicon（网站图标）的路径 %q 中有反斜杠 \\", file)
	case path.IsAbs(file) || strings.Contains(file, ":") || clean == ".." || strings.HasPrefix(clean, "../"):
		d.errorf(key, hint, "favicon（网站图标）%q 不在内容目录中：只能使用内容目录里的文件", file)
	case clean != file && "./"+clean != file:
		d.errorf(key, "写成 favicon = \""+clean+"\"", "favicon（网站图标）的路径 %q 不规范", file)
	case iconTypes[strings.ToLower(path.Ext(clean))] == "":
		d.errorf(key, "把图标转换为 SVG、PNG 或 ICO 格式，例如导出为 32×32 像素的 PNG", "favicon（网站图标）%q 只能是 .svg、.png 或 .ico 文件", file)
	default:
		s.Favicon = clean
	}
}
