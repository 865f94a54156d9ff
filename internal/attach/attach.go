package attach

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// MaxSize is the largest file published beside a record: 20 MiB, enough
// for a scanned, signed evaluation report as a PDF, and small enough that
// a build holds a few of them in memory at once.
const MaxSize = 20 << 20

// Type is one kind of file that may be published.
type Type struct {
	// Name is the kind, as a reader would say it: "PNG 图片", "PDF 文档".
	Name string
	// Image is true for the types a page may show with ![…](…).
	Image bool
	// sniff reports whether data starts as a file of this type must.
	sniff func(data []byte) bool
}

// types are the allowed types, by lower-case extension.
var types = map[string]Type{
	".png":  {"PNG 图片", true, prefix("\x89PNG\r\n\x1a\n")},
	".jpg":  {"JPEG 图片", true, prefix("\xff\xd8\xff")},
	".jpeg": {"JPEG 图片", true, prefix("\xff\xd8\xff")},
	".gif": {"GIF 图片", true, func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}},
	".webp": {"WebP 图片", true, func(b []byte) bool { return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" }},
	".svg":  {"SVG 图片", true, nil}, // checked whole by checkSVG
	".pdf":  {"PDF 文档", false, prefix("%PDF-")},
	// OFD (GB/T 33190), the Chinese standard for signed electronic
	// documents, and the Office Open XML formats are zip archives.
	".ofd":  {"OFD 版式文档", false, prefix("PK\x03\x04")},
	".docx": {"Word 文档", false, prefix("PK\x03\x04")},
	".xlsx": {"Excel 表格", false, prefix("PK\x03\x04")},
	".pptx": {"PowerPoint 演示文稿", false, prefix("PK\x03\x04")},
	// The Office 97–2003 formats are OLE compound files.
	".doc": {"Word 文档", false, prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
	".xls": {"Excel 表格", false, prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
	".ppt": {"PowerPoint 演示文稿", false, prefix("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

// Extensions lists the allowed extensions, for messages.
const Extensions = "png、jpg、jpeg、gif、webp、svg（图片）和 pdf、ofd、docx、xlsx、pptx、doc、xls、ppt（文档）"

// TypeOf returns the type of a file name by its extension, in any case.
func TypeOf(name string) (Type, bool) {
	t, ok := types[strings.ToLower(path.Ext(name))]
	return t, ok
}

// Problem is why a file cannot be published, for the web staffer.
type Problem struct {
	// Message says what is wrong, Hint what to do; both in Chinese.
	Message, Hint string
	// missing is true when the file does not exist.
	missing bool
}

func (p *Problem) Error() string { return p.Message }

func problem(hint, format string, args ...any) *Problem {
	return &Problem{Message: fmt.Sprintf(format, args...), Hint: hint}
}

// Files reads and checks files of a content folder. It is safe for
// concurrent use. It keeps no file: a site's documents may add up to more
// than memory holds, and each is published once, so the caller reads
// each once. It keeps the names of the folders it had to list to tell a
// name's case (spelled).
type Files struct {
	fsys fs.FS
	// listed are the names in each folder looked at for spelled, by
	// folder.
	listed sync.Map
}

// New returns Files reading from fsys, the content folder.
func New(fsys fs.FS) *Files { return &Files{fsys: fsys} }

// Read returns the contents of name (a slash path in the content folder)
// if it may be published; image says it is to be shown as an image. The
// error is a *Problem.
func (f *Files) Read(name string, image bool) ([]byte, error) {
	if t, ok := TypeOf(name); ok && image && !t.Image {
		return nil, problem("图片只能是 png、jpg、gif、webp 或 svg；文档请用链接 [标题](…) 而不是 ![…](…)",
			"%s 是%s，不能作为图片显示", path.Base(name), t.Name)
	}
	return f.read(name, false)
}

// Check reports whether name could be published as Read would, without
// reading more of it than its type's check needs. The error is a
// *Problem.
func (f *Files) Check(name string) error {
	_, err := f.read(name, true)
	return err
}

// sniffLen is the most any sniffed type's check reads.
const sniffLen = 16

// readHead reads at most limit bytes of name: all of it when limit is
// MaxSize (and then a larger file is a *sysfile.TooLargeError), else its
// first limit bytes.
func readHead(fsys fs.FS, name string, limit int64) ([]byte, error) {
	if limit == MaxSize {
		return sysfile.ReadFileLimit(fsys, name, MaxSize)
	}
	file, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, limit))
}

// CheckDocuments reports each of r's [[documents]] that cannot be
// published (missing, of a type not allowed, not what its extension
// says, too large) at its line in the record. Run it with the other
// checks, while the record's key positions are there.
func (f *Files) CheckDocuments(r *content.Record, l *diag.List) {
	for _, d := range r.Documents {
		err := f.Check(d.Name(r))
		if err == nil {
			continue
		}
		hint, msg := "", err.Error()
		var p *Problem
		if errors.As(err, &p) {
			hint, msg = p.Hint, p.Message
		}
		if p != nil && p.missing {
			hint = "把文件放进记录的同名文件夹 " + r.Slug + "/，或改正 file 中的文件名（包括大小写）"
			msg = fmt.Sprintf("文档 %s 不存在", d.File)
		}
		l.Errorf(r.At(d.Key+".file"), d.Key+".file", hint, "%s", msg)
	}
}

// iconTypes are the types of a site's icon (site.toml's favicon, whose
// extension package content has checked): the images of types, and the
// Windows icon format, which is no image a page may show.
var iconTypes = map[string]Type{
	".svg": types[".svg"],
	".png": types[".png"],
	".ico": {"ICO 图标", false, prefix("\x00\x00\x01\x00")},
}

// CheckIcon reads the icon site.toml names in s.Favicon, if any, with the
// rules of every published file (inside the content folder, a regular
// file, within MaxSize, its content what its extension says, an SVG
// without script), and returns it; nil when s names none or after
// reporting a problem at site.toml's favicon line.
func (f *Files) CheckIcon(s *content.Site, l *diag.List) []byte {
	if s.Favicon == "" {
		return nil
	}
	pos, ok := s.Pos.At("favicon")
	if !ok {
		pos = diag.Pos{File: s.File}
	}
	data, err := f.readTyped(s.Favicon, false, func(name string) (Type, bool) {
		t, ok := iconTypes[strings.ToLower(path.Ext(name))]
		return t, ok
	})
	if err == nil {
		return data
	}
	hint, msg := "", err.Error()
	var p *Problem
	if errors.As(err, &p) {
		hint, msg = p.Hint, p.Message
	}
	if p != nil && p.missing {
		hint = `把图标文件放进内容目录（site.toml 所在的文件夹），或改正 favicon 中的路径（相对于内容目录，包括大小写）`
		msg = fmt.Sprintf("favicon（网站图标）的文件 %s 不存在", s.Favicon)
	} else {
		msg = "favicon（网站图标）：" + msg
	}
	l.Errorf(pos, "favicon", hint, "%s", msg)
	return nil
}

func (f *Files) read(name string, head bool) ([]byte, error) {
	return f.readTyped(name, head, TypeOf)
}

// readTyped is read with the allowed types given by typeOf.
func (f *Files) readTyped(name string, head bool, typeOf func(string) (Type, bool)) ([]byte, error) {
	base := path.Base(name)
	for _, seg := range strings.Split(name, "/") {
		if why := content.SegmentProblem(seg); why != "" {
			return nil, problem("把文件改名为只含中文、英文字母、数字、- 和 _ 的名称（如 photo-1.png）"+suggestion(seg),
				"文件名 %q 不能发布：%s", seg, why)
		}
	}
	t, ok := typeOf(name)
	if !ok {
		return nil, problem("只能发布这些类型："+Extensions+"；其他格式请先转换为 PDF",
			"%s 的类型（扩展名 %q）不在允许发布的类型之列", base, path.Ext(name))
	}
	st, err := fs.Stat(f.fsys, name)
	if err == nil && foldsCase {
		// Found on a file system that ignores case, where a Linux
		// server's would not find it: the same content must build
		// the same site there.
		if actual := f.spelled(name); actual != "" && actual != name {
			return nil, problem(fmt.Sprintf("把链接改成 %s，与文件名的大小写完全一致", actual),
				"链接的文件 %s 与实际的文件名 %s 只差字母大小写：在这台电脑上找得到，但放到区分大小写的服务器（Linux）上构建时找不到", name, actual)
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		hint := "把文件放进记录的同名文件夹，或改正链接中的文件名（包括大小写）"
		if actual := f.spelled(name); actual != "" && actual != name {
			hint = fmt.Sprintf("文件名的大小写不同：把链接改成 %s", actual)
		}
		p := problem(hint, "链接的文件 %s 不存在", name)
		p.missing = true
		return nil, p
	case err != nil:
		return nil, problem("检查文件权限", "无法读取文件 %s：%v", name, err)
	case !st.Mode().IsRegular():
		return nil, problem("链接一个普通文件", "%s 不是普通文件", name)
	case st.Size() > MaxSize:
		return nil, problem(fmt.Sprintf("每个文件最大 %d MiB：压缩图片，或把文档分成几份", MaxSize>>20),
			"%s 有 %.1f MiB，超过了 %d MiB 的上限", base, float64(st.Size())/(1<<20), MaxSize>>20)
	}
	// The file may have grown since the Stat: the read is bounded again,
	// and by the content file system's own checks (regular files inside
	// the content folder only). A check of a sniffed type needs only the
	// file's first bytes: a bureau's documents are large PDFs, and check
	// must not read them all.
	limit := int64(MaxSize)
	if head && t.sniff != nil {
		limit = sniffLen
	}
	data, err := readHead(f.fsys, name, limit)
	var tooLarge *sysfile.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, problem(fmt.Sprintf("每个文件最大 %d MiB", MaxSize>>20), "%s 超过了 %d MiB 的上限", base, MaxSize>>20)
	}
	if err != nil {
		return nil, problem("检查文件权限", "无法读取文件 %s：%v", name, err)
	}
	if t.sniff == nil {
		if err := checkSVG(data); err != nil {
			return nil, problem("SVG 图片中不能有脚本、事件属性、javascript: 链接、foreignObject 或对外部文件的引用；用绘图软件导出为“纯 SVG”，或导出为 PNG",
				"%s 不能发布：%v", base, err)
		}
	} else if !t.sniff(data) {
		return nil, problem("确认文件没有损坏，扩展名与文件的真实格式一致（例如不要把 .doc 直接改名为 .pdf）",
			"%s 的内容不是%s（扩展名与内容不符）", base, t.Name)
	}
	return data, nil
}

// suggestion proposes a name for a device name, "" for other names.
func suggestion(seg string) string {
	if s := content.SafeSegment(seg); s != seg {
		return "，例如 " + s
	}
	return ""
}

// foldsCase is set where the file system usually ignores the case of
// names (Windows, macOS): there a link found may not be found elsewhere.
var foldsCase = runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios"

// spelled returns name (a slash path in the content folder) as the
// folders spell it: each element as it is, or else the one name of its
// folder that differs from it only in case; "" when an element has no
// such name, or more than one.
func (f *Files) spelled(name string) string {
	dir, out := ".", make([]string, 0, strings.Count(name, "/")+1)
	for _, seg := range strings.Split(name, "/") {
		names := f.names(dir)
		if !names[seg] {
			alike := ""
			for n := range names {
				if strings.EqualFold(n, seg) {
					if alike != "" {
						return ""
					}
					alike = n
				}
			}
			if alike == "" {
				return ""
			}
			seg = alike
		}
		out = append(out, seg)
		dir = path.Join(dir, seg)
	}
	return strings.Join(out, "/")
}

// names lists the folder dir once per Files. A set: on Windows and macOS
// every link found is spelled, and an evaluations folder holds thousands
// of names.
func (f *Files) names(dir string) map[string]bool {
	if v, ok := f.listed.Load(dir); ok {
		return v.(map[string]bool)
	}
	entries, _ := fs.ReadDir(f.fsys, dir)
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	v, _ := f.listed.LoadOrStore(dir, names)
	return v.(map[string]bool)
}
