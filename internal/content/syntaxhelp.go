package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The TOML parser's messages are in English and point at one character;
// a staffer typing with a Chinese input method makes a few mistakes far
// more often than any other: Chinese quotes, full-width ＝ ［ ］ ， ：, and
// dates written the way Chinese documents write them. syntaxHelp looks at
// the line the parser stopped on and, for these, says in Chinese what is
// wrong and shows the line as it should be written.

// syntaxHelp returns a message and a hint for the syntax error at line and
// col (in characters, from 1) of src, or ok false when the error is none of
// the mistakes it knows.
func syntaxHelp(src []byte, line, col int) (msg, hint string, ok bool) {
	text := sourceLine(src, line)
	if text == "" {
		return "", "", false
	}
	if m, h, ok := dateHelp(text); ok {
		return m, h, true
	}
	if m, h, ok := quoteHelp(text); ok {
		return m, h, true
	}
	return fullWidthHelp(text, col)
}

// sourceLine returns line n (from 1) of src without its line ending.
func sourceLine(src []byte, n int) string {
	for k := 1; k < n; k++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return ""
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	return strings.TrimSuffix(string(src), "\r")
}

// chineseQuotes open or close a string in Chinese text; the parser knows
// only " and '.
var chineseQuotes = map[rune]bool{'“': true, '”': true, '‘': true, '’': true, '＂': true, '＇': true}

// quoteHelp recognises key = “…” (or ‘…’, or one Chinese quote with one
// English one) and shows the line with English double quotes.
func quoteHelp(text string) (msg, hint string, ok bool) {
	key, val, found := strings.Cut(text, "=")
	if !found {
		return "", "", false
	}
	val = strings.TrimSpace(val)
	r := []rune(val)
	if len(r) < 2 {
		return "", "", false
	}
	first, last := r[0], r[len(r)-1]
	isQuote := func(c rune) bool { return chineseQuotes[c] || c == '"' }
	if !isQuote(first) || !isQuote(last) || (!chineseQuotes[first] && !chineseQuotes[last]) {
		return "", "", false
	}
	inner := string(r[1 : len(r)-1])
	used := string(first)
	if last != first {
		used += " " + string(last)
	}
	fixed := strings.TrimSpace(key) + " = " + strconv.Quote(inner)
	return fmt.Sprintf("TOML 格式错误：文字两边用了中文引号 %s", used),
		fmt.Sprintf(`字符串要用英文双引号 "…"，用英文输入法输入；改成：%s`, fixed), true
}

// fullWidth maps the full-width characters a Chinese input method types in
// place of TOML's syntax to what to type instead.
var fullWidth = map[rune]string{
	'＝': "=", '［': "[", '］': "]", '，': ",", '、': ",", '：': "=",
	'｛': "{", '｝': "}", '．': ".", '＃': "#", '　': " ",
}

// fullWidthHelp recognises a full-width syntax character outside the
// quoted strings of the line, preferring the one at col, where the parser
// stopped, and shows the line with every such character replaced.
func fullWidthHelp(text string, col int) (msg, hint string, ok bool) {
	var fixed strings.Builder
	var bad rune
	var quote rune // the open string's delimiter, or 0
	escaped := false
	for i, c := range []rune(text) {
		switch {
		case quote != 0:
			switch {
			case escaped:
				escaped = false
			case c == '\\' && quote == '"':
				escaped = true
			case c == quote:
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			fixed.WriteString(string([]rune(text)[i:]))
			return fullWidthResult(bad, fixed.String())
		default:
			if s, isFW := fullWidth[c]; isFW {
				if bad == 0 || i+1 == col {
					bad = c
				}
				if c == '：' {
					s = " = " // key：value becomes key = value
				}
				fixed.WriteString(s)
				continue
			}
		}
		fixed.WriteRune(c)
	}
	return fullWidthResult(bad, fixed.String())
}

func fullWidthResult(bad rune, fixed string) (msg, hint string, ok bool) {
	if bad == 0 {
		return "", "", false
	}
	want := fullWidth[bad]
	what := "英文半角 " + want
	switch bad {
	case '：':
		what = "等号 =，TOML 不用冒号"
	case '　':
		what = "半角空格"
	}
	fixed = strings.NewReplacer("  = ", " = ", " =  ", " = ").Replace(strings.TrimSpace(fixed))
	return fmt.Sprintf("TOML 格式错误：用了全角字符「%c」", bad),
		fmt.Sprintf("把「%c」改成%s，用英文输入法输入；这一行应为：%s", bad, what, fixed), true
}

// Dates as Chinese documents write them: 2025年4月30日, 2025/4/30,
// 2025.4.30, 2025-4-30, in quotes or not.
var (
	chineseDate = regexp.MustCompile(`^["'“”]?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?["'“”]?$`)
	numericDate = regexp.MustCompile(`^["'“”]?(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})["'“”]?$`)
)

// dateHelp recognises key = <a date in another form> and gives the date
// as TOML writes it, when it is a real date.
func dateHelp(text string) (msg, hint string, ok bool) {
	key, val, found := strings.Cut(text, "=")
	if !found {
		return "", "", false
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	if i := strings.Index(val, " #"); i >= 0 {
		val = strings.TrimSpace(val[:i])
	}
	fixed, isDate := convertDate(val)
	if !isDate {
		return "", "", false
	}
	msg = fmt.Sprintf("TOML 格式错误：日期 %s 的写法不对", val)
	if fixed == "" {
		return msg, "日期写作 2025-04-30（不加引号），月和日写两位；这个日期不存在，请核对", true
	}
	return msg, fmt.Sprintf("日期写作 2025-04-30（不加引号），改成：%s = %s", key, fixed), true
}

// convertDate reports whether s looks like a date in one of the forms
// staff write, and returns it as YYYY-MM-DD, or "" if it is no real date
// (2025/2/30).
func convertDate(s string) (string, bool) {
	m := chineseDate.FindStringSubmatch(s)
	if m == nil {
		m = numericDate.FindStringSubmatch(s)
	}
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	da, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), da, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != da {
		return "", true
	}
	return t.Format(time.DateOnly), true
}

// misplacedItems explains a top-level items key: a [[items]] block meant
// as a lower-level indicator, whose header must name the whole path. It
// reads the header written before it to say which one: after [[indicators]]
// a second-level [[indicators.items]], after that a third level, or
// another second level.
func (d *decoder) misplacedItems(key string) (msg, hint string) {
	p := d.at(key)
	written := strings.TrimSpace(sourceLine(d.src, p.Line))
	if !strings.HasPrefix(written, "[") {
		written = "items"
	}
	prev := ""
	for n := p.Line - 1; n >= 1; n-- {
		if l := strings.TrimSpace(sourceLine(d.src, n)); strings.HasPrefix(l, "[") {
			prev = strings.Join(strings.Fields(strings.Trim(l, "[] ")), "")
			break
		}
	}
	msg = fmt.Sprintf("%s 不是记录的字段：下级指标的段落头要从 indicators 写起", written)
	const second, third = "[[indicators.items]]", "[[indicators.items.items]]"
	switch prev {
	case "indicators":
		hint = fmt.Sprintf("它在一级指标之后，是二级指标：把 %s 改成 %s", written, second)
	case "indicators.items":
		hint = fmt.Sprintf("它在二级指标之后：是这个二级指标下的三级指标就改成 %s，是又一个二级指标就改成 %s", third, second)
	case "indicators.items.items":
		hint = fmt.Sprintf("它在三级指标之后：是又一个三级指标就改成 %s，是二级指标就改成 %s", third, second)
	default:
		hint = fmt.Sprintf("先写一级指标 [[indicators]]，它的二级指标写 %s，三级指标写 %s", second, third)
	}
	return msg, hint
}
