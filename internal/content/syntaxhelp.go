package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/decimal"
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
	if m, h, ok := numeralHelp(text); ok {
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

// numeralHelp recognises key = <a number in Chinese numerals> (score =
// 九十, max = 二十, budget = 八十五点五万元), as a form copied from a
// document may read, and gives the line with the number in digits.
func numeralHelp(text string) (msg, hint string, ok bool) {
	key, val, found := strings.Cut(text, "=")
	if !found {
		return "", "", false
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	if i := strings.Index(val, " #"); i >= 0 {
		val = strings.TrimSpace(val[:i])
	}
	bare, unit := cutUnit(val)
	if wanOrYi(bare) {
		return "", "", false
	}
	n, isNumber := chineseNumber(bare)
	// One numeral alone (一) may be a word, not a number.
	if !isNumber || len([]rune(bare)) < 2 && unit == "" {
		return "", "", false
	}
	return fmt.Sprintf("TOML 格式错误：“%s” 是用汉字写的数字", val), numberHint(key, n, unit != ""), true
}

// numberUnits are the units staff write after a number that the field's
// number already means: amounts are in 万元, scores in 分, rates in %.
var numberUnits = []string{"万元", "分", "%", "％"}

// cutUnit returns s without one unit of numberUnits after it, and the
// unit, or "".
func cutUnit(s string) (bare, unit string) {
	for _, u := range numberUnits {
		if b, ok := strings.CutSuffix(s, u); ok {
			return strings.TrimSpace(b), u
		}
	}
	return s, ""
}

// numberText returns the number a text in quotes meant ("45万元", "90",
// "九十分"), in digits as TOML writes it, and false when it is none.
func numberText(s string) (string, bool) {
	bare, _ := cutUnit(strings.TrimSpace(s))
	if wanOrYi(bare) {
		return "", false
	}
	if _, err := decimal.ParseAmount(bare); err == nil && bare != "" {
		return bare, true
	}
	return chineseNumber(bare)
}

// wanOrYi reports whether s ends in 万 or 亿 without 元: 四十五万 may be
// 45 万元 or 450,000 of another unit, and amounts are written in 万元,
// so no number is proposed for it.
func wanOrYi(s string) bool {
	return strings.HasSuffix(s, "万") || strings.HasSuffix(s, "亿")
}

// numberHint is the hint for a number written otherwise: the line
// key = n as it should read.
func numberHint(key, n string, hadUnit bool) string {
	fix := "改成"
	if hadUnit {
		fix = "去掉单位，改成"
	}
	return fmt.Sprintf("数字要用阿拉伯数字写，不加引号和单位（金额以万元计）；%s：%s = %s", fix, key, n)
}

// chineseDigits are the digits of Chinese numerals, everyday and
// financial (大写) forms; chineseUnits their place units below 万.
var (
	chineseDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
		'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9}
	chineseUnits = map[rune]int{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}
)

// chineseNumber returns the number s writes in Chinese numerals (九十,
// 八十五点五, 一百, 三千零五, 一万二千, 二〇二三) in digits, and false for any
// other s. Digits without place units are read one by one (二〇二三 is
// 2023), as years and codes are written.
func chineseNumber(s string) (string, bool) {
	whole, frac, hasPoint := strings.Cut(s, "点")
	if whole == "" || hasPoint && frac == "" {
		return "", false
	}
	w, ok := chineseWhole(whole)
	if !ok {
		return "", false
	}
	if !hasPoint {
		return w, true
	}
	var b strings.Builder
	for _, r := range frac {
		d, ok := chineseDigits[r]
		if !ok {
			return "", false
		}
		b.WriteByte(byte('0' + d))
	}
	return w + "." + b.String(), true
}

// chineseWhole reads the whole part of a Chinese numeral: place units up
// to 万 and 亿, or digits alone, one by one.
func chineseWhole(s string) (string, bool) {
	units := strings.ContainsAny(s, "十拾百佰千仟万亿")
	if !units {
		var b strings.Builder
		for _, r := range s {
			d, ok := chineseDigits[r]
			if !ok {
				return "", false
			}
			b.WriteByte(byte('0' + d))
		}
		return b.String(), true
	}
	// yi and wan are the parts of 亿 and of 万 done; section the part
	// below 万 so far; digit a digit not yet given its place.
	var yi, wan, section, digit int64
	seenDigit := false
	for i, r := range []rune(s) {
		if d, ok := chineseDigits[r]; ok {
			if seenDigit && digit != 0 {
				return "", false // 九九十: two digits for one place
			}
			digit, seenDigit = int64(d), true
			continue
		}
		switch {
		case chineseUnits[r] != 0:
			if !seenDigit && i > 0 {
				return "", false // 百百, or a unit after 零
			}
			if !seenDigit || digit == 0 && chineseUnits[r] == 10 {
				digit = 1 // 十五 is 15, 一千零十 1010
			}
			section += digit * int64(chineseUnits[r])
		case r == '万':
			if section+digit == 0 || wan != 0 {
				return "", false
			}
			wan = (section + digit) * 10000
			section = 0
		case r == '亿':
			if wan+section+digit == 0 || yi != 0 {
				return "", false
			}
			yi = (wan + section + digit) * 100000000
			wan, section = 0, 0
		default:
			return "", false
		}
		digit, seenDigit = 0, false
	}
	return strconv.FormatInt(yi+wan+section+digit, 10), true
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

// parserMessages are the parser's messages that a staffer's typing
// produces, each with what it means in Chinese and how to put it right;
// the first group of the pattern, if any, is what the parser found there.
var parserMessages = []struct {
	re        *regexp.Regexp
	msg, hint string
}{
	{regexp.MustCompile(`^expected value but found (.+) instead$`),
		"等号后面的 %s 不是能识别的值",
		`文字要放在英文双引号里，例如 title = "道路养护项目"；数字、true/false 和日期不加引号`},
	{regexp.MustCompile(`^expected a top-level item to end with a newline, comment, or EOF, but got (.+) instead$`),
		"值的后面多了 %s",
		`一行只写一项“键 = 值”；数字后面不带单位（金额以万元计，写 budget = 100）；文字整个放在英文双引号里`},
	{regexp.MustCompile(`^Key '(.+)' has already been defined\.$`),
		"%s 写了不止一次",
		"同一项只能写一次：保留正确的一行，删掉其余的"},
	{regexp.MustCompile(`^Key '(.+)' was already created (?:as a hash|and cannot be used as an array)\.$`),
		"%s 已在前面用作别的写法",
		"同一个名称不能既是一项的值又是 [段落] 或 [[列表]] 的名称：改用另一个名称，或删掉重复的一处"},
	{regexp.MustCompile(`^expected '\.' or '=', but got (.+) instead$`),
		"名称后面应是英文等号 =，这里是 %s",
		`写成“键 = 值”，例如 title = "道路养护项目"；名称里不要有空格`},
	{regexp.MustCompile(`^unexpected EOF; expected key separator '='$`),
		"名称后面缺少英文等号 =",
		`写成“键 = 值”，例如 title = "道路养护项目"`},
	{regexp.MustCompile(`^unexpected EOF; expected value$`),
		"等号后面没有值",
		"在等号后面写上值；不填的项整行删掉"},
	{regexp.MustCompile(`^unexpected '=': key name appears blank$`),
		"等号前面缺少名称",
		`写成“键 = 值”，例如 score = 92`},
	{regexp.MustCompile(`^(?i:invalid float(?: value)?): (.+)$`),
		"数字 %s 的写法不对",
		"数字只含数字、一个小数点和开头的负号，例如 26.5；不写千分位逗号、空格或单位"},
	{regexp.MustCompile(`^strings cannot contain newlines$`),
		"文字没有在本行结束",
		`检查英文双引号是否成对；要写多行文字，用三个英文双引号 """ 把它括起来`},
	{regexp.MustCompile(`^expected a comma \(','\) or array terminator \(']'\), but got (.+)$`),
		"列表的写法不对：这里是 %s",
		`列表各项之间用英文逗号分隔，整个列表用英文方括号括起来，例如 tags = ["民生", "教育"]`},
	{regexp.MustCompile(`^expected a comma or an inline table terminator '}', but got (.+) instead$`),
		"花括号里的写法不对：这里是 %s",
		`花括号里各项之间用英文逗号分隔，都写在同一行，以英文 } 结束`},
	{regexp.MustCompile(`^files cannot contain NULL bytes`),
		"文件不是 UTF-8 编码（像是 UTF-16）",
		"用编辑器把文件另存为 UTF-8 编码"},
}

// parserHelp returns what the parser's message msg means and how to put
// it right, in Chinese, for the messages of parserMessages; ok false for
// the others, which keep the parser's own words.
func parserHelp(msg string) (zh, hint string, ok bool) {
	for _, m := range parserMessages {
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		zh = m.msg
		if len(sub) > 1 {
			found := unquoteFound(sub[1])
			if strings.TrimSpace(found) == "" || found == `\u000a` {
				// The line ends where a value should be.
				return "TOML 格式错误：等号后面没有值", "在等号后面写上值；不填的项整行删掉", true
			}
			zh = fmt.Sprintf(m.msg, "“"+found+"”")
		}
		return "TOML 格式错误：" + zh, m.hint, true
	}
	return "", "", false
}

// unquoteFound returns what the parser found as it quotes it ("道路",
// 'x', or bare).
func unquoteFound(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}
