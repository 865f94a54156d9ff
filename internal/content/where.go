package content

import (
	"fmt"
	"strconv"
	"strings"
)

// Where turns a key such as "indicators[1].items[0].score" into the words a
// staffer reading the record uses: 第2个一级指标「项目过程」› 第1个二级指标
// 「项目管理」的得分. Keys count from 0 and say nothing of the names; staff
// count from 1 and find a row by its name. nameOf returns the name of the
// indicator, finding or fund at a key such as "indicators[1]" ("" when it
// has none). Where returns "" for a key that names none of these.
//
// It is the one place this wording is made, for the loader (which has only
// the decoded TOML) and the checks after it (which have the Record).
func Where(key string, nameOf func(prefix string) string) string {
	var parts []string
	prefix, leaf, level := "", "", 0
	for seg := range strings.SplitSeq(key, ".") {
		if leaf != "" {
			return "" // a field of a field: none of the tables named here
		}
		name, index, indexed := cutIndex(seg)
		prefix = join(prefix, seg)
		if !indexed {
			if prefix == seg {
				return "" // a top-level field, named well enough by its key
			}
			leaf = name
			continue
		}
		var what string
		switch {
		case name == "indicators" && level == 0, name == "items" && level > 0:
			level++
			what = fmt.Sprintf("第%d个%s级指标", index+1, levelDigit(level))
		case name == "findings" && prefix == seg:
			what = fmt.Sprintf("第%d条问题", index+1)
		case name == "funds" && prefix == seg:
			what = fmt.Sprintf("第%d项资金", index+1)
		default:
			return ""
		}
		if n := shortName(nameOf(prefix)); n != "" {
			what += "「" + n + "」"
		}
		parts = append(parts, what)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " › ")
	if leaf != "" {
		label := labels[leaf]
		if label == "" {
			label = leaf
		}
		s += "的" + label
	}
	return s
}

// Where names key in Chinese with the names of this record's indicators,
// findings and funds (see the function Where).
func (r *Record) Where(key string) string {
	return Where(key, func(prefix string) string {
		for _, f := range r.Funds {
			if f.Key == prefix {
				return f.Source
			}
		}
		for _, f := range r.Findings {
			if f.Key == prefix {
				return f.Problem
			}
		}
		var find func([]*Indicator) string
		find = func(inds []*Indicator) string {
			for _, in := range inds {
				if in.Key == prefix {
					return in.Name
				}
				if strings.HasPrefix(prefix, in.Key+".") {
					return find(in.Items)
				}
			}
			return ""
		}
		return find(r.IndicatorTree())
	})
}

// nameIn is Where's nameOf for the decoded TOML of a record: the name,
// problem or source written in the table at prefix.
func nameIn(m map[string]any, prefix string) string {
	var t map[string]any = m
	for seg := range strings.SplitSeq(prefix, ".") {
		name, index, _ := cutIndex(seg)
		arr, _ := t[name].([]map[string]any)
		if index >= len(arr) {
			return ""
		}
		t = arr[index]
	}
	for _, k := range []string{"name", "problem", "source"} {
		if s, ok := t[k].(string); ok {
			return s
		}
	}
	return ""
}

// cutIndex splits "items[2]" into "items", 2, true.
func cutIndex(seg string) (name string, index int, ok bool) {
	name, rest, found := strings.Cut(seg, "[")
	if !found || !strings.HasSuffix(rest, "]") {
		return seg, 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if err != nil || n < 0 {
		return seg, 0, false
	}
	return name, n, true
}

func levelDigit(level int) string {
	if level >= 1 && level <= 3 {
		return []string{"一", "二", "三"}[level-1]
	}
	return strconv.Itoa(level)
}

// shortName keeps a name short enough for a message line.
func shortName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}
