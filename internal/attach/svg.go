package attach

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The namespaces an SVG's elements may be in besides SVG's own: editors'
// metadata (Inkscape, Sodipodi, RDF, Dublin Core, Creative Commons, Adobe)
// is harmless, XHTML is not (it can carry a script or an iframe).
const (
	nsSVG   = "http://www.w3.org/2000/svg"
	nsXHTML = "http://www.w3.org/1999/xhtml"
	nsXLink = "http://www.w3.org/1999/xlink"
)

// forbidden are elements an SVG published here may not hold, by local
// name in lower case: what runs script, embeds another document or
// listens to events.
var forbidden = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "embed": true,
	"object": true, "handler": true, "listener": true, "audio": true,
	"video": true, "canvas": true,
}

// checkSVG refuses an SVG that could run script or load anything when a
// reader opens it (a browser runs an SVG's scripts when the file is opened
// on its own, whatever the page that shows it as <img> allows). It parses
// the document with encoding/xml and refuses rather than cleans: an
// element or attribute it does not trust, a DOCTYPE declaring entities, a
// processing instruction other than the XML declaration (such as
// xml-stylesheet), any reference that is not to a fragment of the file
// itself or an embedded raster image, and a document it cannot parse.
func checkSVG(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// No entity of the document's own: encoding/xml does not expand them,
	// and a file that needs them is not one we can vouch for.
	d.Entity = map[string]string{}
	// A document in another encoding than UTF-8 is not read: a script
	// could hide in bytes read differently by the browser.
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("文字编码 %s 不是 UTF-8", charset)
	}
	root := true
	depth := 0
	style := 0 // depth of an open <style>, 0 outside
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("不是格式正确的 SVG（%v）", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 256 {
				return errors.New("元素嵌套超过 256 层")
			}
			local := strings.ToLower(t.Name.Local)
			if root {
				if local != "svg" || (t.Name.Space != nsSVG && t.Name.Space != "") {
					return errors.New("根元素不是 <svg>")
				}
				root = false
			}
			if forbidden[local] {
				return fmt.Errorf("含有 <%s> 元素", t.Name.Local)
			}
			if t.Name.Space == nsXHTML {
				return fmt.Errorf("含有 HTML 元素 <%s>", t.Name.Local)
			}
			if err := checkAttrs(t); err != nil {
				return err
			}
			if local == "style" && style == 0 {
				style = depth
			}
		case xml.EndElement:
			if depth == style {
				style = 0
			}
			depth--
		case xml.CharData:
			if style == 0 {
				break
			}
			if err := checkCSS(string(t)); err != nil {
				return err
			}
		case xml.ProcInst:
			if t.Target != "xml" {
				return fmt.Errorf("含有处理指令 <?%s …?>", t.Target)
			}
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return errors.New("DOCTYPE 中声明了实体（ENTITY）")
			}
		}
	}
	if root {
		return errors.New("没有 <svg> 元素")
	}
	return nil
}

// checkAttrs refuses event handlers, references that leave the file and
// animations that could set either.
func checkAttrs(t xml.StartElement) error {
	local := strings.ToLower(t.Name.Local)
	for _, a := range t.Attr {
		name := strings.ToLower(a.Name.Local)
		value := a.Value
		switch {
		case strings.HasPrefix(name, "on"):
			return fmt.Errorf("<%s> 有事件属性 %s", t.Name.Local, a.Name.Local)
		case hasScheme(value, "javascript:") || hasScheme(value, "vbscript:"):
			return fmt.Errorf("<%s> 的属性 %s 含有脚本链接", t.Name.Local, a.Name.Local)
		case name == "href" || name == "src" || a.Name.Space == nsXLink && name != "title" && name != "show" && name != "actuate" && name != "type" && name != "role" && name != "arcrole":
			if !localRef(value) {
				return fmt.Errorf("<%s> 引用了外部文件 %q", t.Name.Local, value)
			}
		case name == "style":
			if err := checkCSS(value); err != nil {
				return err
			}
		case (local == "animate" || local == "set" || local == "animatetransform" || local == "animatemotion") && name == "attributename":
			// An animation could turn an innocent href into javascript:.
			v := strings.ToLower(strings.TrimSpace(value))
			if strings.HasSuffix(v, "href") || strings.HasPrefix(v, "on") {
				return fmt.Errorf("<%s> 会改写属性 %s", t.Name.Local, value)
			}
		}
		// Presentation attributes (fill, filter, mask, clip-path …) may
		// hold url(): only to a fragment of the file.
		if strings.Contains(strings.ToLower(value), "url(") {
			if err := checkCSS(value); err != nil {
				return err
			}
		}
	}
	return nil
}

// hasScheme reports whether v, with the white space and controls a
// browser ignores removed, starts with scheme.
func hasScheme(v, scheme string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, v)
	return strings.HasPrefix(strings.ToLower(v), scheme) || strings.Contains(strings.ToLower(v), ";"+scheme)
}

// localRef reports whether an href stays in the file: a fragment, or an
// embedded raster image (editors embed bitmaps as data: URLs).
func localRef(v string) bool {
	v = strings.TrimSpace(v)
	lower := strings.ToLower(v)
	if strings.HasPrefix(v, "#") {
		return true
	}
	for _, t := range []string{"data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"} {
		if strings.HasPrefix(lower, t) {
			return true
		}
	}
	return false
}

// checkCSS refuses style text that imports or loads anything but a
// fragment of the file itself.
func checkCSS(css string) error {
	lower := strings.ToLower(css)
	if strings.Contains(lower, "@import") {
		return errors.New("样式中有 @import")
	}
	if strings.Contains(lower, "expression(") || strings.Contains(lower, "javascript:") {
		return errors.New("样式中含有脚本")
	}
	for rest := lower; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = rest[i+4:]
		arg := strings.TrimLeft(rest, " \t\r\n\"'")
		if !localRef(arg) {
			end := strings.IndexByte(arg, ')')
			if end < 0 {
				end = len(arg)
			}
			return fmt.Errorf("样式引用了外部文件 url(%s)", strings.Trim(arg[:min(end, 80)], `"' `))
		}
	}
}
