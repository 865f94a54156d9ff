package content

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unique"

	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// labels are the Chinese names shown next to each key in messages, so that a
// web staffer who does not read the English key still knows the field.
var labels = map[string]string{
	"title":               "标题",
	"department":          "部门",
	"year":                "年度",
	"kind":                "评价类型",
	"attachment":          "附件编号",
	"evaluator":           "评价机构",
	"budget":              "预算金额（万元）",
	"spent":               "实际支出（万元）",
	"published":           "公开日期",
	"draft":               "草稿",
	"congress":            "报送人大",
	"tags":                "标签",
	"series":              "系列",
	"allow_personal_data": "确认公开的个人信息",
	"score":               "得分",
	"grade":               "等级",
	"indicators":          "指标",
	"name":                "指标名称",
	"max":                 "分值",
	"target":              "年度指标值",
	"actual":              "实际完成值",
	"items":               "下级指标",
	"figures":             "关键数据",
	"label":               "名称",
	"value":               "数值",
	"unit":                "单位",
	"note":                "说明",
	"organization":        "单位名称",
	"base_url":            "网站地址",
	"time_zone":           "时区",
	"grades":              "等级划分",
	// The [footer] of site.toml (footer.go).
	"footer":           "页脚",
	"favicon":          "网站图标",
	"sponsor":          "主办单位",
	"organizer":        "承办单位",
	"phone":            "联系电话",
	"address":          "地址",
	"site_code":        "网站标识码",
	"icp":              "ICP备案号",
	"police_record":    "公安机关备案号",
	"error_report_url": "「我为政府网站找错」网址",
	// The [booklet] of site.toml (booklet.go).
	"booklet":         "打印本封面",
	"document_number": "文号",
	// The second edition of the record (forms.go).
	"budget_initial": "年初预算数（万元）",
	"execution_rate": "执行率（%）",
	"funds":          "资金来源",
	"source":         "资金来源",
	"goal":           "年度总体目标",
	"outcome":        "实际完成情况",
	"method":         "评价方式",
	"review":         "复核",
	"by":             "复核单位",
	"official":       "以复核结果为准",
	"deviation":      "偏差原因分析及改进措施",
	"findings":       "发现的问题",
	"problem":        "问题",
	"measure":        "整改措施",
	"owner":          "责任单位",
	"deadline":       "整改期限",
	"status":         "整改状态",
	"done":           "完成日期",
	"result":         "整改结果",
	"result_use":     "结果应用",
	"decision":       "结果应用",
	"next_budget":    "下年度安排（万元）",
	"documents":      "文档",
	"file":           "文件",
	"corrections":    "更新记录",
	"date":           "日期",
	"accept":         "已确认的差异",
	"key":            "检查项",
	"reason":         "原因",
}

// The keys each kind of table allows, for unknown-key checks and suggestions.
var (
	recordKeys = []string{"title", "department", "year", "kind", "attachment", "evaluator",
		"budget", "spent", "published", "draft", "congress", "tags", "series", "score", "grade", "indicators",
		"allow_personal_data",
		// The second edition (forms.go).
		"budget_initial", "execution_rate", "funds", "goal", "outcome", "method", "review",
		"findings", "result_use", "documents", "corrections", "accept"}
	indicatorKeys = []string{"name", "max", "score", "grade", "target", "actual", "deviation", "items"}
	reportKeys    = []string{"title", "year", "published", "figures", "allow_personal_data"}
	figureKeys    = []string{"label", "value", "unit", "note"}
	siteKeys      = []string{"title", "organization", "base_url", "time_zone", "grades", "footer", "booklet", "favicon"}
)

// field names a key for a message: "indicators[1].score（得分）".
func field(key string) string {
	name := key
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if l, ok := labels[name]; ok {
		return key + "（" + l + "）"
	}
	return key
}

// subject names key as the subject of a message, "indicators[1].score（得分） ",
// or alone when the message already starts with where the key stands
// ("第2个一级指标「项目过程」的得分：", see where): saying the key again
// after the indicator's name would say it twice.
func (d *decoder) subject(key, alone string) string {
	if d.where(key) != "" {
		return alone
	}
	return field(key) + " "
}

// decoder turns one decoded TOML document into typed values, reporting each
// problem at the position of its key.
type decoder struct {
	file string
	src  []byte
	pos  *Positions
	l    *diag.List
	errs int
	// problems counts what was reported; past maxProblems the rest are
	// only counted in hidden.
	problems, hidden int
	// lits are the floats written in src, listed the first time a float
	// is decoded (see floatText).
	lits    []literal
	litsSet bool
	// accepts are a record's [[accept]] entries by key, read first (see
	// preAccepts); acked are the warnings they turned into notes.
	accepts map[string]*Accept
	acked   []Acknowledgement
	// doc is the decoded record, for the names in messages (see where);
	// nil for other files.
	doc map[string]any
}

// maxProblems bounds what one file reports: a file of a million unknown
// keys or wrong array elements gets the first ones and a count of the
// rest, not a million messages (and a million allocated hints).
const maxProblems = 100

// at returns the position of key, or of the nearest enclosing key that has
// one (a missing field is reported at its table's header), or line 1.
func (d *decoder) at(key string) diag.Pos {
	for key != "" {
		if p, ok := d.pos.At(key); ok {
			return p
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return diag.Pos{File: d.file, Line: 1, Col: 1}
}

func (d *decoder) errorf(key, hint, format string, args ...any) {
	d.errs++
	if d.counted() {
		d.l.Errorf(d.at(key), key, hint, "%s", d.where(key)+fmt.Sprintf(format, args...))
	}
}

// where names key in Chinese with the names written in the record (see
// Where), as the start of a message: "第2个一级指标「项目过程」的得分：".
func (d *decoder) where(key string) string {
	if d.doc == nil {
		return ""
	}
	if w := Where(key, func(prefix string) string { return nameIn(d.doc, prefix) }); w != "" {
		return w + "："
	}
	return ""
}

func (d *decoder) warnf(key, hint, format string, args ...any) {
	if a := d.accepts[key]; a != nil {
		msg := fmt.Sprintf(format, args...)
		d.acked = append(d.acked, Acknowledgement{Key: key, Reason: a.Reason, Message: msg})
		d.l.Notef(d.at(key), key, "", "%s", d.where(key)+noteOf(msg, a))
		return
	}
	if d.counted() {
		d.l.Warnf(d.at(key), key, hint, "%s", d.where(key)+fmt.Sprintf(format, args...))
	}
}

// counted counts a problem and says whether it is still to be reported.
func (d *decoder) counted() bool {
	d.problems++
	if d.problems > maxProblems {
		d.hidden++
		return false
	}
	return true
}

// finish reports how many problems were not listed.
func (d *decoder) finish() {
	if d.hidden == 0 {
		return
	}
	p := diag.Pos{File: d.file}
	hint := "先改正上面列出的问题，再运行 check 查看其余的；问题这样多，也可能是放错了文件"
	if d.errs > 0 {
		d.l.Errorf(p, "", hint, "这个文件还有 %d 处问题没有列出", d.hidden)
	} else {
		d.l.Warnf(p, "", hint, "这个文件还有 %d 处问题没有列出", d.hidden)
	}
}

// unknown reports the keys of m that are not in known, suggesting the
// closest known key.
func (d *decoder) unknown(m map[string]any, path string, known []string) {
	all := true
	for k := range m {
		if !slices.Contains(known, k) {
			all = false
			break
		}
	}
	if all {
		return // the common case, without sorting the keys
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if slices.Contains(known, k) {
			continue
		}
		key := join(path, k)
		if d.problems >= maxProblems {
			d.errorf(key, "", "") // counted, not listed: spare the suggestion
			continue
		}
		if path == "" && k == "items" {
			msg, hint := d.misplacedItems(key)
			d.errorf(key, hint, "%s", msg)
			continue
		}
		hint := "删除这一行，或改成下列字段之一：" + strings.Join(known, "、")
		msg := fmt.Sprintf("不认识的字段 %s", k)
		if s := suggest(k, known); s != "" {
			msg += fmt.Sprintf("，是否应为 %s？", field(s))
			hint = fmt.Sprintf("把 %s 改成 %s", k, s)
		}
		d.errorf(key, hint, "%s", msg)
	}
}

// suggest returns the known key closest to k, or "" if none is close: a
// typo (scroe, titel, Score) or the Chinese label itself (得分).
func suggest(k string, known []string) string {
	best, bestD := "", 3
	lk := strings.ToLower(k)
	for _, c := range known {
		if labels[c] == k || strings.TrimSuffix(labels[c], "（万元）") == k {
			return c
		}
		dist := editDistance(lk, c)
		limit := 2
		if utf8.RuneCountInString(c) <= 2 {
			limit = 1
		}
		if dist <= limit && dist < bestD {
			best, bestD = c, dist
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance: Levenshtein plus
// transposition of neighbours, the commonest typo (scroe).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99 // nobody mistypes a 64-character key; bound the work
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// describe names a decoded TOML value's type and shows it briefly, for
// "应为数字，这里写的是文本 "17分"".
func describe(v any) string {
	switch v := v.(type) {
	case string:
		r := []rune(v)
		if len(r) > 20 {
			v = string(r[:20]) + "…"
		}
		return "文本 " + strconv.Quote(v)
	case int64:
		return "整数 " + strconv.FormatInt(v, 10)
	case float64:
		return "小数 " + strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return "真假值 " + strconv.FormatBool(v)
	case time.Time:
		return "日期时间"
	case []map[string]any:
		return "表数组（[[…]] 段落）"
	case []any:
		return "数组"
	case map[string]any:
		return "表（[…] 段落或 {…}）"
	}
	return fmt.Sprintf("%T", v)
}

func (d *decoder) typeErr(key, want, hint string, v any) {
	d.errorf(key, hint, "%s应为%s，这里写的是%s", d.subject(key, ""), want, describe(v))
}

// str reads an optional text field. It reports a type error and returns ok
// false when the key is present with another type.
func (d *decoder) str(m map[string]any, path, name string) (s string, present bool) {
	v, ok := m[name]
	if !ok {
		return "", false
	}
	s, ok = v.(string)
	if !ok {
		d.typeErr(join(path, name), "文本", fmt.Sprintf(`文字要加英文双引号，例如 %s = "…"`, name), v)
		return "", false
	}
	d.checkText(path, name, s)
	return own(s), true
}

// own returns s in memory of its own. The TOML parser returns most texts
// as slices of the whole file's source, so that a record keeping one
// title kept the whole file (19 MB at 10,000 records): a short text, which
// records repeat (departments, grades, indicator names, "100%"), is
// shared through unique; a long one is copied.
func own(s string) string {
	if len(s) <= 64 {
		return unique.Make(s).Value()
	}
	return strings.Clone(s)
}

// text reads a required, non-empty text field. A missing one is reported
// at the enclosing table's header, or line 1 for the top level.
func (d *decoder) text(m map[string]any, path, name string) string {
	if _, ok := m[name]; !ok {
		key := join(path, name)
		msg := "缺少必填字段 " + field(key)
		if d.where(key) != "" {
			msg = "缺少必填字段"
		}
		d.errorf(key, fmt.Sprintf(`加一行 %s = "…"`, name), "%s", msg)
		return ""
	}
	s, ok := d.str(m, path, name)
	if ok && strings.TrimSpace(s) == "" {
		key := join(path, name)
		d.errorf(key, "填写内容，或删除整个文件若此项不公开", "%s不能为空", d.subject(key, ""))
	}
	return s
}

// limit is what a kind of number may be: how many decimal places, and
// the largest value. Each bound is one that the arithmetic holds exactly,
// with room to spare (see package decimal): a site-wide sum or rate never
// overflows and never rounds a figure that was accepted.
type limit struct {
	places int
	max    decimal.D
	// below is true when max itself is out of range (x < max).
	below bool
	// rng states the range in messages: "应在 0 到 1000 之间".
	rng string
	// hint tells how to write the number.
	hint string
}

var (
	// scoreLimit is for scores, full marks and grade bounds: what the
	// national forms print, with a tenfold margin on the usual 100.
	scoreLimit = limit{places: 2, max: decimal.FromInt(1000), rng: "应在 0 到 1000 之间",
		hint: "得分和分值按公开文件填写，在 0 到 1000 之间，最多两位小数，例如 26.5 或 93.46"}
	// amountLimit is for sums of money in 万元: 分 precision is six places,
	// and 10^9 万元 (10 万亿元) is above any budget a bureau evaluates.
	amountLimit = limit{places: 6, max: decimal.FromInt(1_000_000_000), below: true,
		rng:  "应小于 1000000000 万元（10 万亿元）",
		hint: "金额以万元为单位，按公开文件原样填写，最多六位小数（精确到分），例如 89.974"}
)

// number reads an optional decimal within lim; integers are accepted
// (max = 20). A float is read from the text the author wrote, not from
// the parser's float64, so that it is exact and keeps its written places,
// which it returns.
func (d *decoder) number(m map[string]any, path, name string, lim limit) (decimal.D, int, bool) {
	v, ok := m[name]
	if !ok {
		return 0, 0, false
	}
	key := join(path, name)
	var (
		n      decimal.D
		places int
		err    error
		text   string
	)
	switch v := v.(type) {
	case int64:
		text = strconv.FormatInt(v, 10)
		if v > 1e12 || v < -1e12 {
			err = decimal.ErrTooLarge
		} else {
			n = decimal.FromInt(v)
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			d.errorf(key, "写一个普通的数，例如 17 或 26.5", "%s不是有效的数（nan/inf）", d.subject(key, ""))
			return 0, 0, false
		}
		text = d.floatText(key, v)
		var a decimal.Amount
		a, err = decimal.ParseAmount(text)
		n, places = a.Value, a.Places
	default:
		hint := fmt.Sprintf("数字不加引号、不带单位，例如 %s = 17 或 %s = 26.5", name, name)
		if s, ok := v.(string); ok {
			if n, ok := numberText(s); ok {
				_, unit := cutUnit(strings.TrimSpace(s))
				hint = numberHint(name, n, unit != "")
			}
		}
		d.typeErr(key, "数字", hint, v)
		return 0, 0, false
	}
	switch {
	case err == decimal.ErrTooPrecise || (err == nil && places > lim.places):
		d.errorf(key, lim.hint, "%s最多%s位小数，这里写的是 %s", d.subject(key, ""), placesName[lim.places], text)
		return 0, 0, false
	case err != nil || n > lim.max || (lim.below && n == lim.max):
		d.errorf(key, "检查是否多写了几个零、单位是否写错；"+lim.hint, "%s超出范围：这里写的是 %s，%s",
			d.subject(key, ""), text, lim.rng)
		return 0, 0, false
	}
	return n, places, true
}

// placesName spells a count of decimal places in messages.
var placesName = [...]string{"零", "一", "两", "三", "四", "五", "六"}

// floatText returns the text of the float v written at key. The floats of
// the document are listed once, cheaply, and v's text found by value;
// when two different texts have v's value, or none has (a scanner bug),
// the full scan finds it by key, and failing that the shortest text of v
// is used, which is exact up to 15 digits.
func (d *decoder) floatText(key string, v float64) string {
	if !d.litsSet {
		d.lits, d.litsSet = floatLiterals(d.src), true
	}
	var text []byte
	unique := false
	for _, lt := range d.lits {
		if lt.f != v {
			continue
		}
		if text != nil && !bytes.Equal(text, lt.text) {
			unique = false
			break
		}
		text, unique = lt.text, true
	}
	if unique {
		return string(text)
	}
	if s, ok := d.pos.Float(key); ok {
		if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil && f == v {
			return s
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// integer reads an optional integer.
func (d *decoder) integer(m map[string]any, path, name, example string) (int64, bool) {
	v, ok := m[name]
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		d.typeErr(join(path, name), "整数", fmt.Sprintf("写成不带引号的整数，例如 %s = %s", name, example), v)
		return 0, false
	}
	return n, true
}

// boolean reads an optional true/false.
func (d *decoder) boolean(m map[string]any, path, name string) bool {
	v, ok := m[name]
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.typeErr(join(path, name), "真假值", fmt.Sprintf("写成 %s = true 或 %s = false，不加引号", name, name), v)
	}
	return b
}

// date reads an optional date. A local date (2024-04-30) is what the model
// asks for; a date-time, with or without offset, is accepted and its date as
// written is kept, since staff paste timestamps from other systems.
func (d *decoder) date(m map[string]any, path, name string) *Date {
	v, ok := m[name]
	if !ok {
		return nil
	}
	t, ok := v.(time.Time)
	if ok && t.Location().String() != "time-local" {
		return &Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	}
	key := join(path, name)
	hint := fmt.Sprintf("日期写作 2025-04-30（不加引号），例如 %s = 2025-04-30", name)
	if s, isText := v.(string); isText {
		if fixed, _ := convertDate(strings.TrimSpace(s)); fixed != "" {
			hint = fmt.Sprintf("日期写作 2025-04-30（不加引号），改成：%s = %s", name, fixed)
		}
	}
	if !ok {
		d.typeErr(key, "日期", hint, v)
		return nil
	}
	{
		d.errorf(key, hint, "%s只写了时间，没有日期", d.subject(key, ""))
		return nil
	}
}

// tables reads an optional array of tables ([[name]]), also accepting an
// array of inline tables.
func (d *decoder) tables(m map[string]any, path, name string) ([]map[string]any, bool) {
	v, ok := m[name]
	if !ok {
		return nil, false
	}
	switch v := v.(type) {
	case []map[string]any:
		return v, true // the usual [[…]] blocks
	}
	key := join(path, name)
	hint := fmt.Sprintf("每一项写成一个 [[%s]] 段落", headerName(key))
	switch v := v.(type) {
	case []any:
		out := make([]map[string]any, 0, len(v))
		for i, e := range v {
			t, ok := e.(map[string]any)
			if !ok {
				d.typeErr(fmt.Sprintf("%s[%d]", key, i), "表（一组字段）", hint, e)
				continue
			}
			out = append(out, t)
		}
		if len(out) != len(v) {
			return nil, false
		}
		return out, true
	}
	d.typeErr(key, "表数组", hint, v)
	return nil, false
}

// headerName turns "indicators[1].items" into "indicators.items", the name
// written in a [[…]] header.
func headerName(key string) string {
	var b strings.Builder
	skip := false
	for _, r := range key {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}
