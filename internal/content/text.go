package content

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/diag"
)

// Text hygiene: what characters a text of the content may hold.
//
// Control characters (C0 but tab and line breaks, DEL, C1) are errors
// everywhere: they reach pages, the CSV and feeds raw, where a NUL or ESC
// breaks a reader's program or terminal, and nobody types them on purpose.
// They are not removed silently, because the staffer's file would then say
// something other than the site. Tab and line breaks are allowed only in
// narratives and multi-line fields (a line break is LF, or CR LF).
//
// Bidi controls are errors in single-line fields: U+202E in a title reverses
// it in the page's <title>, in tabs and in link previews, where no closing
// tag bounds it. Narratives and multi-line fields may hold them (a paragraph
// bounds their effect, and a right-to-left quotation may need one).

// multiLineFields are the fields of free text, which may hold tabs, line
// breaks and bidi controls; every other text is a single-line field. This
// is the one list: a new field of long text is added here. The names are
// the last segment of a key, as in labels.
var multiLineFields = map[string]bool{
	"note":      true, // a key figure's 说明
	"goal":      true, // 年度总体目标
	"outcome":   true, // 实际完成情况
	"deviation": true, // 偏差原因分析及改进措施
	"measure":   true, // 整改措施
	"result":    true, // 整改结果
}

// singleLine reports whether the field named by key ("figures[2].note",
// "title", "tags[0]") must hold one line.
func singleLine(key string) bool {
	name := key
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return !multiLineFields[name]
}

// badChar is one character a text must not hold, and why.
type badChar struct {
	r    rune
	at   int // index of the character in the text, from 1
	line int // line in the text, from 1
	col  int // column in that line, in characters, from 1
	n    int // how many such characters the text holds in all
}

// c0Names are the ASCII names of the C0 control characters, which editors
// and hex viewers show.
var c0Names = [32]string{"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
	"SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"}

// bidiNames are the bidi controls refused in single-line fields.
var bidiNames = map[rune]string{
	'\u202A': "LRE", '\u202B': "RLE", '\u202C': "PDF", '\u202D': "LRO", '\u202E': "RLO",
	'\u2066': "LRI", '\u2067': "RLI", '\u2068': "FSI", '\u2069': "PDI",
	'\u200E': "LRM", '\u200F': "RLM", '\u061C': "ALM",
}

// isBidi reports whether r is one of bidiNames, without a map lookup for
// every character of a text.
func isBidi(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// charName names r for a message: "U+001B（ESC）".
func charName(r rune) string {
	name := ""
	switch {
	case r < 0x20:
		name = c0Names[r]
	case r == 0x7F:
		name = "DEL"
	case r >= 0x80 && r <= 0x9F:
		name = "C1 控制字符"
	default:
		name = bidiNames[r]
	}
	if name == "" {
		return fmt.Sprintf("U+%04X", r)
	}
	return fmt.Sprintf("U+%04X（%s）", r, name)
}

// isControl reports whether r is a control character no text may hold,
// tab and line breaks aside.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F || r >= 0x80 && r <= 0x9F
}

// textProblems finds the characters s must not hold: controls always, a
// CR that does not end a line, and, when single, tabs, line breaks and bidi
// controls. It returns the first character of each of the three classes
// (control, line break, bidi) that occurs, in that order.
func textProblems(s string, single bool) (control, lineBreak, bidi badChar) {
	line, col, at := 1, 0, 0
	note := func(b *badChar, r rune) {
		if b.n == 0 {
			*b = badChar{r: r, at: at, line: line, col: col}
		}
		b.n++
	}
	for i, r := range s {
		at++
		col++
		switch {
		case r == '\r' && !single && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\t' || r == '\n' || r == '\r':
			if single {
				note(&lineBreak, r)
			} else if r == '\r' {
				note(&control, r) // a CR alone, not a line ending
			}
		case isControl(r):
			note(&control, r)
		case single && isBidi(r):
			note(&bidi, r)
		}
		if r == '\n' {
			line, col = line+1, 0
		}
	}
	return control, lineBreak, bidi
}

// Hints shared by the checks of fields and narratives.
const (
	controlHint = "删除这个看不见的字符：若是写成转义（如 \\u001b、\\e）的，删去这段转义；若是从别处复制来的，把这段文字删掉重新输入"
	bidiHint    = "删除这个文字方向控制符：它会让标题、名称在页面标题、浏览器标签和分享预览中倒序显示；写阿拉伯文、维吾尔文等从右到左的文字不需要它"
)

// checkText reports the characters the text field name of the table at path
// must not hold, at the key's line. The key is joined only for a text that
// is not plain: building it for every field of 10,000 records cost an
// allocation each.
func (d *decoder) checkText(path, name, s string) {
	if isPlain(s) {
		return
	}
	key := join(path, name)
	single := singleLine(key)
	control, lineBreak, bidi := textProblems(s, single)
	where := func(b badChar) string {
		w := fmt.Sprintf("第 %d 个字符", b.at)
		if !single && b.line > 1 {
			w = fmt.Sprintf("第 %d 行第 %d 个字符", b.line, b.col)
		}
		if b.n > 1 {
			w += fmt.Sprintf("，共 %d 处", b.n)
		}
		return w
	}
	if control.n > 0 {
		d.errorf(key, controlHint, "%s中有控制字符 %s（%s）：它会进入网页和下载的数据", d.subject(key, "其"), charName(control.r), where(control))
	}
	if lineBreak.n > 0 {
		kind := "换行符"
		if lineBreak.r == '\t' {
			kind = "制表符"
		}
		d.errorf(key, "这个字段只写一行：把换行、制表符换成空格；需要分项的，写成数组或多个字段",
			"%s只能写一行，这里有%s %s（%s）", d.subject(key, ""), kind, charName(lineBreak.r), where(lineBreak))
	}
	if bidi.n > 0 {
		d.errorf(key, bidiHint, "%s中有文字方向控制符 %s（%s）", d.subject(key, "其"), charName(bidi.r), where(bidi))
	}
}

// isPlain reports quickly whether s holds no character checkText looks
// for: the case of nearly every text, which then costs one pass of bytes.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7F:
			return false
		case c == 0xC2 && i+1 < len(s) && s[i+1] <= 0x9F, // C1: C2 80–C2 9F
			c == 0xD8 && i+1 < len(s) && s[i+1] == 0x9C,                     // U+061C
			c == 0xE2 && i+1 < len(s) && (s[i+1] == 0x80 || s[i+1] == 0x81): // U+2000–U+207F
			return false
		}
	}
	return true
}

// maxNarrativeReports bounds the errors of one narrative: a binary file
// saved as .md holds thousands of control characters, and the first few
// say enough.
const maxNarrativeReports = 10

// checkNarrative reports each control character in a narrative (tab and
// line endings LF and CR LF aside) at its line and column, and returns
// whether there was none.
func checkNarrative(src []byte, file string, l *diag.List) bool {
	if narrativePlain(src) {
		return true
	}
	line, lineStart, n := 1, 0, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		bad := isControl(r) || r == '\r' && (i+1 >= len(src) || src[i+1] != '\n')
		if bad {
			n++
			if n <= maxNarrativeReports {
				p := diag.Pos{File: file, Line: line, Col: utf8.RuneCount(src[lineStart:i]) + 1}
				l.Errorf(p, "", controlHint, "说明文件中有控制字符 %s：它会进入网页", charName(r))
			}
		}
		if r == '\n' {
			line, lineStart = line+1, i+1
		}
		i += size
	}
	if n > maxNarrativeReports {
		l.Errorf(diag.Pos{File: file}, "", "删除这些字符；文件若不是用文本编辑器写的 Markdown，换成正确的文件",
			"说明文件中共有 %d 个控制字符，上面只列出了前 %d 个", n, maxNarrativeReports)
	}
	return n == 0
}

// narrativePlain reports quickly whether a narrative holds no character
// checkNarrative reports, as nearly every one does: one pass of bytes, with
// no decoding.
func narrativePlain(src []byte) bool {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c >= 0x20 && c != 0x7F && c != 0xC2 {
			continue
		}
		switch {
		case c == '\n' || c == '\t':
		case c == '\r' && i+1 < len(src) && src[i+1] == '\n':
		case c == 0xC2 && i+1 < len(src) && src[i+1] > 0x9F: // U+00A0–U+00BF
		default:
			return false
		}
	}
	return true
}
