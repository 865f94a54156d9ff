package importer

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/evalpress/evalpress/internal/decimal"
)

// norm returns a label as compared with the known wordings: without any
// white space (forms pad labels to fill a cell: "项 目 名 称"), with ASCII
// parentheses and colons, and without a trailing colon.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '：':
			r = ':'
		}
		b.WriteRune(r)
	}
	return strings.TrimSuffix(b.String(), ":")
}

// header is one column or label a form or notice names, with the wordings
// that occur. The first wording is the canonical one; a match on any other
// is a guess that the report names.
type header struct {
	field    string
	wordings []string
}

// match returns the header whose wording equals the normalized text, and
// whether the wording was a synonym. A wording may carry a unit in
// parentheses in the form ("资金（万元）"): it is dropped first.
func match(headers []header, text string) (h *header, synonym bool) {
	t := norm(text)
	if i := strings.IndexByte(t, '('); i > 0 {
		t = t[:i]
	}
	if t == "" {
		return nil, false
	}
	for i := range headers {
		for j, w := range headers[i].wordings {
			if t == w {
				return &headers[i], j > 0
			}
		}
	}
	return nil, false
}

// codePrefix matches a budget code written in front of a unit's name:
// "219-池州市贵池区棠溪镇人民政府", "219001 潜江市民政局".
var codePrefix = regexp.MustCompile(`^([0-9]{3,})\s*[-－—_、.]?\s*(\S.*)$`)

// splitCode splits a budget code off a name; code is "" when there is none.
// Digits followed by 年 or 月 are a date in the name ("2023年困难群众救助项目"),
// not a code.
func splitCode(s string) (code, name string) {
	m := codePrefix.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || !strings.ContainsFunc(m[2], func(r rune) bool { return r > unicode.MaxASCII }) ||
		strings.HasPrefix(m[2], "年") || strings.HasPrefix(m[2], "月") {
		return "", strings.TrimSpace(s)
	}
	return m[1], strings.TrimSpace(m[2])
}

// blank reports whether a cell means "nothing here": empty, or a dash or
// slash that forms put in cells that do not apply.
func blank(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "-", "—", "——", "/", "／", "\\", "无":
		return true
	}
	return false
}

// numberText strips what forms write around a number (a unit, a percent
// sign, grouping commas) and returns the number as written, or "" when
// the text is not one.
func numberText(s string, units ...string) string {
	t := strings.TrimSpace(s)
	for _, u := range units {
		t = strings.TrimSpace(strings.TrimSuffix(t, u))
	}
	t = strings.ReplaceAll(t, ",", "")
	t = cleanNumber(t)
	if _, err := decimal.ParseAmount(t); err != nil || strings.ContainsAny(t, "eE_") {
		return ""
	}
	return t
}

// amountOf reads an amount in 万元 as written; ok is false when s is not
// one.
func amountOf(s string) (*decimal.Amount, bool) { return nonNegative(numberText(s, "万元", "万")) }

// scoreOf reads a score or a maximum as written ("89.974", "10分").
func scoreOf(s string) (decimal.D, bool) {
	t := numberText(s, "分")
	if t == "" {
		return 0, false
	}
	d, err := decimal.Parse(t)
	if err != nil || d < 0 {
		return 0, false
	}
	return d, true
}

// rateOf reads a percentage as written ("99.97%", "99.97").
func rateOf(s string) (*decimal.Amount, bool) { return nonNegative(numberText(s, "%", "％")) }

// nonNegative parses t, a number as written, as an amount; ok is false
// when t is empty, not a number, or negative.
func nonNegative(t string) (*decimal.Amount, bool) {
	a, err := decimal.ParseAmount(t)
	if t == "" || err != nil || a.Value < 0 {
		return nil, false
	}
	return &a, true
}

// withMax matches an indicator's name with its maximum in parentheses:
// "产出指标（50分）", "产出指标(50)", "预算执行率（10分）".
var withMax = regexp.MustCompile(`^(.*?)\s*[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*[）)]\s*$`)

// nameMax splits "产出指标（50分）" into its name and maximum.
func nameMax(s string) (name string, max decimal.D, ok bool) {
	s = strings.TrimSpace(s)
	m := withMax.FindStringSubmatch(s)
	if m == nil || strings.TrimSpace(m[1]) == "" {
		return s, 0, false
	}
	d, err := decimal.Parse(m[2])
	if err != nil {
		return s, 0, false
	}
	return strings.TrimSpace(m[1]), d, true
}

// yearIn finds a year (2000–2099) written in a title: "（2022年度）".
var yearIn = regexp.MustCompile(`(20[0-9]{2})\s*年`)

// gradeOf returns the band a form's grade cell names: the national bands
// are written 优/良/中/差 but forms often write 优秀, 良好, 中等, 较差.
// long is true when the cell used the long wording.
func gradeOf(s string) (grade string, long bool) {
	t := norm(s)
	switch t {
	case "优", "良", "中", "差":
		return t, false
	case "优秀":
		return "优", true
	case "良好":
		return "良", true
	case "中等", "一般":
		return "中", true
	case "较差", "不合格":
		return "差", true
	}
	return "", false
}
