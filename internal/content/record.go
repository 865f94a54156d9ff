package content

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/decimal"
)

// record fills r from a decoded record file. folder is the year of the
// folder the file is in, which decides the page's URL.
func (d *decoder) record(m map[string]any, r *Record, folder int, bands []Band) {
	slug := strings.TrimSuffix(path.Base(d.file), ".toml")
	d.doc = m
	d.preAccepts(m)
	d.unknown(m, "", recordKeys)
	r.Title = d.text(m, "", "title")
	r.Department = d.text(m, "", "department")
	r.Year = d.year(m, "", folder, true)

	r.Kind = "project"
	if k, ok := d.str(m, "", "kind"); ok {
		if _, known := Kinds[k]; known {
			r.Kind = k
		} else {
			d.errorf("kind", "改成其中之一，或删除这一行（默认 project）",
				"kind（评价类型）只能是 %s，这里写的是 %q", nameList(Kinds), k)
		}
	}
	r.Attachment, _ = d.str(m, "", "attachment")
	r.Evaluator, _ = d.str(m, "", "evaluator")
	r.Budget = d.amount(m, "", "budget")
	r.Spent = d.amount(m, "", "spent")
	r.Published = d.date(m, "", "published")
	r.Draft = d.boolean(m, "", "draft")
	r.Congress = d.boolean(m, "", "congress")
	r.Tags = d.strs(m, "tags")
	r.AllowPersonalData = d.strs(m, "allow_personal_data")
	if s, ok := d.str(m, "", "series"); ok {
		if !validSlug(s) {
			d.warnf("series", "系列名用英文字母、数字和 -，与往年同一项目的记录写法一致，例如 disability-subsidies",
				"series（系列）%q 不是规范的名称", s)
		}
		r.Series = s
	}
	r.Score = d.total(m, "", "得分")
	r.Grade = d.grade(m, "", bands)

	ts, ok := d.tables(m, "", "indicators")
	if ok {
		r.Indicators = d.indicators(ts, "indicators", 1, bands)
	}
	_, hasInd := m["indicators"]
	_, hasScore := m["score"]
	_, hasGrade := m["grade"]
	if !hasInd && !hasScore && !hasGrade {
		d.errorf("", "至少写明总得分 score、等级 grade，或用 [[indicators]] 列出指标",
			"记录里没有评价结果：缺少 indicators（指标）、score（得分）和 grade（等级）")
	}
	d.forms(m, r, slug, bands)
	r.Slug = slug
	d.checkPlaceholders(r)
	r.AcceptedWarnings = d.acked
}

// year reads a year; it must be four digits and, where the file lives in a
// year folder, that folder's year.
func (d *decoder) year(m map[string]any, path string, folder int, required bool) int {
	key := join(path, "year")
	if _, ok := m["year"]; !ok {
		if required {
			d.errorf(key, fmt.Sprintf("加一行 year = %d", max(folder, 2023)), "缺少必填字段 year（年度）")
		}
		return folder
	}
	n, ok := d.integer(m, path, "year", "2023")
	if !ok {
		return 0
	}
	if n < 1900 || n > 2100 {
		d.errorf(key, "写评价的预算年度，四位数字，例如 year = 2023", "year（年度）应为四位年份，这里写的是 %d", n)
		return 0
	}
	if folder != 0 && int(n) != folder {
		d.errorf(key, fmt.Sprintf("改成 year = %d，或把文件移到 %d/ 目录", folder, n),
			"year（年度）写的是 %d，但文件在 %d/ 目录中（网址按目录生成）", n, folder)
		return 0
	}
	return int(n)
}

// amount reads a non-negative sum in 万元, kept as written.
func (d *decoder) amount(m map[string]any, path, name string) *decimal.Amount {
	n, places, ok := d.number(m, path, name, amountLimit)
	if !ok {
		return nil
	}
	if n < 0 {
		key := join(path, name)
		d.errorf(key, "金额以万元为单位，写正数，例如 45 或 52.88", "%s不能为负数，这里写的是 %s", d.subject(key, ""), n)
		return nil
	}
	return &decimal.Amount{Value: n, Places: places}
}

// strs reads an array of non-empty strings.
func (d *decoder) strs(m map[string]any, name string) []string {
	v, ok := m[name]
	if !ok {
		return nil
	}
	hint := `写成 ` + name + ` = ["民生", "教育"]`
	a, ok := v.([]any)
	if !ok {
		d.typeErr(name, "文本数组", hint, v)
		return nil
	}
	out := make([]string, 0, len(a))
	for i, e := range a {
		key := name + "[" + strconv.Itoa(i) + "]"
		s, ok := e.(string)
		if !ok {
			d.typeErr(key, "文本", hint, e)
			continue
		}
		if strings.TrimSpace(s) == "" {
			d.errorf(key, "删除空的一项", "%s不能为空", d.subject(key, ""))
			continue
		}
		d.checkText("", key, s)
		out = append(out, own(s))
	}
	return out
}

// grade reads an optional stated grade, which must be one of the bands.
func (d *decoder) grade(m map[string]any, path string, bands []Band) string {
	g, ok := d.str(m, path, "grade")
	if !ok {
		return ""
	}
	for _, b := range bands {
		if b.Grade == g {
			return g
		}
	}
	names := make([]string, len(bands))
	for i, b := range bands {
		names[i] = b.Grade
	}
	d.errorf(join(path, "grade"), "等级按 site.toml 的 [grades] 设置；要用新的等级，先在那里加上",
		"%s只能是 %s，这里写的是 %q", d.subject(join(path, "grade"), ""), strings.Join(names, "、"), g)
	return ""
}

// indicators reads one level of indicators (level 1 is the first) and,
// recursively, their items, down to MaxIndicatorLevels.
func (d *decoder) indicators(ts []map[string]any, path string, level int, bands []Band) []*Indicator {
	out := make([]*Indicator, 0, len(ts))
	// One allocation for a level's indicators rather than one each: a
	// large site holds a million of them until their pages are made, and
	// the collector looks at every object it holds.
	slab := make([]Indicator, len(ts))
	seen := make(map[string]int, len(ts))
	for i, t := range ts {
		key := path + "[" + strconv.Itoa(i) + "]"
		d.unknown(t, key, indicatorKeys)
		in := &slab[i]
		in.Key = own(key) // every record repeats the same keys
		in.Name = d.text(t, key, "name")
		if in.Name != "" {
			if j, dup := seen[in.Name]; dup {
				d.warnf(key+".name", "同一级指标的名称应各不相同；若确是两项，请写明区别",
					"指标名称 %q 与 %s[%d] 重复", in.Name, path, j)
			} else {
				seen[in.Name] = i
			}
		}
		maxOK := false
		if _, ok := t["max"]; !ok {
			d.errorf(key+".max", "加一行 max = 20（该指标的满分）", "缺少必填字段 max（分值）")
		} else if n, _, ok := d.number(t, key, "max", scoreLimit); ok {
			if n <= 0 {
				d.errorf(key+".max", "分值是该指标的满分，应大于 0", "max（分值）应大于 0，这里写的是 %s", n)
			} else {
				in.Max, maxOK = n, true
			}
		}
		if _, ok := t["score"]; !ok {
			d.errorf(key+".score", "加一行 score = …（该指标的评价得分）", "缺少必填字段 score（得分）")
		} else if n, _, ok := d.number(t, key, "score", scoreLimit); ok {
			switch {
			case n < 0:
				d.errorf(key+".score", "得分在 0 和分值之间", "score（得分）不能小于 0，这里写的是 %s", n)
			case maxOK && n > in.Max:
				d.errorf(key+".score", "得分不能超过分值 max；检查是否把两者写反了",
					"score（得分）%s 超过了分值 max %s", n, in.Max)
			default:
				in.Score = n
			}
		}
		in.Grade = d.grade(t, key, bands)
		in.Target = d.asWritten(t, key, "target")
		in.Actual = d.asWritten(t, key, "actual")
		in.Deviation, _ = d.str(t, key, "deviation")
		if _, ok := t["items"]; ok && level >= MaxIndicatorLevels {
			d.errorf(key+".items", "把第四级的内容并入第三级指标（写在 target、actual 或说明中），或删除这一段",
				"指标最多 %d 级（一级、二级、三级），这里的 items 是第 %d 级", MaxIndicatorLevels, level+1)
		} else if items, ok := d.tables(t, key, "items"); ok {
			in.Items = d.indicators(items, key+".items", level+1, bands)
		}
		out = append(out, in)
	}
	return out
}

// asWritten reads text that may have been written as a number (target =
// 100 instead of "100%"); numbers are kept as the author wrote them, a
// float with its trailing zeros (11.50 stays 11.50).
func (d *decoder) asWritten(m map[string]any, path, name string) string {
	v, ok := m[name]
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case string:
		d.checkText(path, name, v)
		return own(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		key := join(path, name)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		text := d.floatText(key, v)
		if a, err := decimal.ParseAmount(text); err == nil {
			return a.String() // without underscores or exponent
		}
		return own(strings.ReplaceAll(text, "_", ""))
	}
	d.typeErr(join(path, name), "文本或数字", fmt.Sprintf(`写成 %s = "100%%"`, name), v)
	return ""
}

// report fills r from a decoded report.toml.
func (d *decoder) report(m map[string]any, r *Report, folder int) {
	d.unknown(m, "", reportKeys)
	r.Title = d.text(m, "", "title")
	r.Year = d.year(m, "", folder, false)
	r.Published = d.date(m, "", "published")
	r.AllowPersonalData = d.strs(m, "allow_personal_data")
	ts, ok := d.tables(m, "", "figures")
	if !ok {
		return
	}
	r.Figures = make([]Figure, 0, len(ts))
	for i, t := range ts {
		key := "figures[" + strconv.Itoa(i) + "]"
		d.unknown(t, key, figureKeys)
		f := Figure{Label: d.text(t, key, "label")}
		if _, ok := t["value"]; !ok {
			d.errorf(key+".value", `加一行 value = 448 或 value = "11.52"`, "缺少必填字段 value（数值）")
		} else {
			f.Value = d.asWritten(t, key, "value")
		}
		f.Unit, _ = d.str(t, key, "unit")
		f.Note, _ = d.str(t, key, "note")
		r.Figures = append(r.Figures, f)
	}
}

// total reads the stated total score under key "score" of m, in table
// ("" for the record itself): nil when it is absent, malformed or below
// 0, each reported. what names it in Chinese (得分, 复核得分).
func (d *decoder) total(m map[string]any, table, what string) *decimal.D {
	s, _, ok := d.number(m, table, "score", scoreLimit)
	if !ok {
		return nil
	}
	if s < 0 {
		key := join(table, "score")
		d.errorf(key, "检查"+what, "%s（%s）不能小于 0，这里写的是 %s", key, what, s)
		return nil
	}
	return &s
}
