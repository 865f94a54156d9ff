package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// Size limits, one per kind of file in a content folder. A file over its
// limit is refused, before it is read when its size is known, with an
// error that names it, its size and the limit. The limits are ten to a
// hundred times what real files need, so that no real file meets them,
// and small enough that one stray file (an export, a disk image, a link
// to /dev/zero) cannot exhaust a build:
//
//   - a record holds an abstract's figures and at most three levels of
//     indicators: a few KB, 50 KB for the largest forms with every
//     indicator's deviation analysis written out;
//   - a narrative is prose, a hundred-page report being about 300 KB of
//     Chinese text in UTF-8;
//   - a year report's report.toml lists a dozen key figures;
//   - site.toml holds a title, an address and grade bands;
//   - a template override is one HTML template, the largest default
//     being about 20 KB.
const (
	RecordLimit    = 1 << 20
	NarrativeLimit = 4 << 20
	ReportLimit    = 1 << 20
	SiteLimit      = 256 << 10
	TemplateLimit  = 1 << 20
)

// MaxNesting bounds how deeply tables and arrays may nest in a TOML file,
// counting every key segment of a header or a dotted key, every array and
// every inline table from the top of the file. The deepest real record
// writes three levels of indicators as inline tables,
// indicators = [{ items = [{ items = [{ … }] }] }], which is ten; the
// TOML parser's work grows with the square of the depth and more (a
// 290 KB file of nested inline tables took 9 GB), so the bound is checked
// on the bytes before the parser sees them.
const MaxNesting = 16

// MaxArrayItems bounds the elements of one array written in brackets
// (tags = [ … ]). Real arrays hold a few tags or a few dozen inline
// indicators; a million-element array costs the parser and the key
// positions some hundreds of MB for nothing.
const MaxArrayItems = 10_000

// MaxIndicatorLevels is how many levels indicators have: 一级、二级、三级指标.
const MaxIndicatorLevels = 3

// Bounds on the second edition's arrays of tables. A form has three or four
// fund rows, a report a few dozen findings; the bounds are ten times that
// and keep a runaway file from making a page of thousands of rows.
const (
	MaxFunds       = 20
	MaxFindings    = 500
	MaxDocuments   = 100
	MaxCorrections = 200
	MaxAccepts     = 200
)

// Bounds on a narrative's Markdown. The Markdown parser's work grows with
// the square of some constructs (a million nested '>' never ends; five
// thousand unclosed "[a](" on a long line take seconds), so the loader
// refuses a narrative that exceeds them, at the line where it does. Real
// narratives nest quotes and lists two or three deep, put a few links on a
// line and a few brackets in a paragraph.
const (
	// MaxMarkdownNesting bounds the quote and list markers that open one
	// line ("> > - 1. …").
	MaxMarkdownNesting = 32
	// MaxLinksPerLine bounds the "](" (a link's label closed and its
	// address opened) on one line.
	MaxLinksPerLine = 100
	// MaxBracketsPerParagraph bounds the '[' of one paragraph (the lines
	// between two blank lines), where the parser's work is quadratic.
	MaxBracketsPerParagraph = 500
	// MaxBrackets bounds the '[' of a whole narrative: the parser keeps
	// some 450 bytes for each, and a hundred-page report has a few hundred
	// links.
	MaxBrackets = 20_000
)

// fileKind says what a file is, for its limit and for what to tell the
// person whose file is refused.
type fileKind struct {
	limit int64
	hint  string // what to do about a file over the limit
}

var (
	recordFile = fileKind{RecordLimit,
		"记录文件通常只有几 KB：检查是否放错了文件（例如导出的表格）；较长的文字写在同名的 .md 说明中"}
	narrativeFile = fileKind{NarrativeLimit,
		"评价说明通常不超过几百 KB：检查是否放错了文件；报告全文可作为文档附件发布，说明中写摘要"}
	reportFile = fileKind{ReportLimit,
		"report.toml 只列出年度关键数字，通常不到 1 KB：检查是否放错了文件"}
	siteFile = fileKind{SiteLimit,
		"site.toml 只写网站名称、地址和等级设置，通常不到 1 KB：检查是否放错了文件"}
)

// reportReadError reports why name could not be read, in words for the
// person who placed it.
func reportReadError(err error, file string, kind fileKind, l *diag.List) {
	p := diag.Pos{File: file}
	var nr *sysfile.NotRegularError
	var tl *sysfile.TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.Errorf(p, "", "新建这个文件，参照文档中的示例", "找不到文件 %s", path.Base(file))
	case errors.As(err, &nr):
		reportNotRegular(nr, file, l)
	case errors.As(err, &tl):
		l.Errorf(p, "", kind.hint, "%s %v", path.Base(file), tl)
	default:
		l.Errorf(p, "", "检查文件是否存在、是否有读取权限", "无法读取文件：%v", err)
	}
}

// reportNotRegular reports a symbolic link, device, named pipe or socket
// in the content folder, which is never read.
func reportNotRegular(nr *sysfile.NotRegularError, file string, l *diag.List) {
	hint := "内容目录中只放普通文件和目录；删除它"
	if nr.Mode&fs.ModeSymlink != 0 {
		// Links are refused even when they point inside the folder: what
		// is published must be what the folder holds, whoever copies it,
		// and a link cannot be checked once and trusted later.
		hint = "内容目录不跟随符号链接（以免发布目录之外的文件）：把链接换成文件或目录本身（复制过来），或删除它"
	}
	l.Errorf(diag.Pos{File: file}, "", hint, "%s %v", path.Base(file), nr)
}

// notRegular reports an entry of a listed folder that is not a regular
// file or a folder, and reports whether it did. Such an entry is never
// read, whatever its name.
func notRegular(fsys fs.FS, dir string, e fs.DirEntry, file string, l *diag.List) bool {
	t := e.Type()
	if t.IsRegular() || t.IsDir() {
		return false
	}
	nr := &sysfile.NotRegularError{Mode: t}
	if t&fs.ModeSymlink != 0 {
		nr.Target, _ = fs.ReadLink(fsys, path.Join(dir, e.Name()))
	}
	reportNotRegular(nr, file, l)
	return true
}

// checkNesting reports a TOML file that nests tables and arrays deeper
// than MaxNesting, at the place where it does, and reports whether the
// file is within the bound. It runs before the parser and only has to be
// right about depth: it shares the key scanner's rules for strings,
// comments and keys, so that a '[' in a string or a comment is not taken
// for an array, and it recurses no deeper than the bound.
func checkNesting(src []byte, file string, l *diag.List) bool {
	c := nestChecker{s: scanner{src: src}, at: -1}
	c.document()
	if c.at < 0 {
		return true
	}
	line := bytes.Count(src[:c.at], []byte{'\n'}) + 1
	ls := bytes.LastIndexByte(src[:c.at], '\n') + 1
	col := utf8.RuneCount(src[ls:c.at]) + 1
	p := diag.Pos{File: file, Line: line, Col: col}
	if c.long {
		l.Errorf(p, "", "数组中的项目应是几个到几十个：检查这里是否放错了内容，或缺少右方括号 ]",
			"数组超过 %d 项，文件没有读取", MaxArrayItems)
		return false
	}
	l.Errorf(p, "",
		fmt.Sprintf("指标最多 %d 级，其他内容也不需要多层嵌套：检查这里是否有多余或未闭合的 [ 或 {，或过长的点号键（a.b.c…）", MaxIndicatorLevels),
		"表和数组嵌套超过 %d 层，文件没有读取", MaxNesting)
	return false
}

// nestChecker walks a TOML document as scanner does, keeping only the
// depth and the length of arrays. at is the offset where the depth first
// exceeds MaxNesting or an array MaxArrayItems (then long is set), or -1.
type nestChecker struct {
	s    scanner
	at   int
	long bool
}

// deeper records that depth d is reached at offset o, and reports whether
// that is within the bound.
func (c *nestChecker) deeper(d, o int) bool {
	if d > MaxNesting {
		c.at = o
		return false
	}
	return true
}

func (c *nestChecker) document() {
	s := &c.s
	if len(s.src) >= 3 && string(s.src[:3]) == "\uFEFF" {
		s.i = 3
	}
	base := 0 // the depth of the table the last header opened
	for c.at < 0 {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			s.i++
			if s.i < len(s.src) && s.src[s.i] == '[' {
				s.i++
			}
			base = c.keySegments()
			if !c.deeper(base, start) {
				return
			}
			s.skipLine()
		} else {
			c.keyval(base)
		}
		if s.i == start {
			s.i++
		}
	}
}

// keyval skips key = value in a table at depth d.
func (c *nestChecker) keyval(d int) {
	s := &c.s
	start := s.i
	k := c.keySegments()
	if k == 0 {
		s.skipLine()
		return
	}
	if !c.deeper(d+k, start) {
		return
	}
	s.skipWS()
	if s.i < len(s.src) && s.src[s.i] == '=' {
		s.i++
	}
	s.skipWS()
	c.value(d + k)
}

// value skips one value at depth d (the depth of the key it belongs to).
func (c *nestChecker) value(d int) {
	s := &c.s
	if s.eof() {
		return
	}
	switch s.src[s.i] {
	case '"', '\'':
		s.skipString()
	case '[', '{':
		open := s.src[s.i]
		if !c.deeper(d+1, s.i) {
			return
		}
		s.i++
		for n := 0; c.at < 0; {
			s.skipBlank()
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case ']', '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			start := s.i
			if n++; open == '[' && n > MaxArrayItems {
				c.at, c.long = start, true
				return
			}
			if open == '[' {
				c.value(d + 1)
			} else {
				c.keyval(d + 1)
			}
			if s.i == start {
				s.i++
			}
		}
	default:
		s.skipAtom()
	}
}

// keySegments skips a possibly dotted key and returns how many segments it
// has, stopping early past the bound (a key of a million segments is
// refused after MaxNesting+1 of them).
func (c *nestChecker) keySegments() int {
	s := &c.s
	n := 0
	for n <= MaxNesting {
		s.skipWS()
		if s.eof() {
			return n
		}
		switch s.src[s.i] {
		case '"':
			s.skipBasic()
		case '\'':
			s.skipLiteral()
		default:
			start := s.i
			for s.i < len(s.src) && !isKeyStop(s.src[s.i]) {
				s.i++
			}
			if s.i == start {
				return n
			}
		}
		n++
		s.skipWS()
		if s.i < len(s.src) && s.src[s.i] == '.' {
			s.i++
			continue
		}
		return n
	}
	return n
}

// checkMarkdown reports the first line of a narrative that exceeds the
// Markdown bounds, and reports whether there is none.
func checkMarkdown(src []byte, file string, l *diag.List) bool {
	brackets, total, paragraph := 0, 0, 1
	for n, rest := 1, src; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			brackets, paragraph = 0, n+1
			continue
		}
		p := diag.Pos{File: file, Line: n, Col: 1}
		if markdownNesting(line) > MaxMarkdownNesting {
			l.Errorf(p, "", "引用（>）和列表通常只嵌套两三层：检查这一行开头是否有多余的 > 或 -",
				"这一行的引用和列表嵌套超过 %d 层，评价说明没有读取", MaxMarkdownNesting)
			return false
		}
		if bytes.Count(line, []byte("](")) > MaxLinksPerLine {
			l.Errorf(p, "", "把链接分到几行或几个段落中；若不是链接，检查是否有多余的 ](",
				"这一行有超过 %d 个链接，评价说明没有读取", MaxLinksPerLine)
			return false
		}
		k := bytes.Count(line, []byte{'['})
		if total += k; total > MaxBrackets {
			l.Errorf(p, "", "评价说明中的链接通常只有几十到几百个：检查是否放错了文件，或把说明分开",
				"到这一行，方括号 [ 已超过 %d 个，评价说明没有读取", MaxBrackets)
			return false
		}
		if brackets += k; brackets > MaxBracketsPerParagraph {
			l.Errorf(diag.Pos{File: file, Line: paragraph, Col: 1}, "", "用空行把这一段分成几段；若不是链接，检查是否有多余的 [",
				"从这一行起的段落有超过 %d 个方括号 [，评价说明没有读取", MaxBracketsPerParagraph)
			return false
		}
	}
	return true
}

// markdownNesting counts the quote and list markers that open line,
// stopping past the bound.
func markdownNesting(line []byte) int {
	n, i := 0, 0
	for n <= MaxMarkdownNesting && i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			n++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			n++
			i += 2
		case isDigit(c):
			j := i
			for j < len(line) && j-i < 9 && isDigit(line[j]) {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				n++
				i = j + 2
				continue
			}
			return n
		default:
			return n
		}
	}
	return n
}
