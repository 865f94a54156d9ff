package content

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the site's time zone must resolve on any machine

	"github.com/evalpress/evalpress/internal/decimal"
)

// DefaultTimeZone is the time zone of a site.toml that names none.
const DefaultTimeZone = "Asia/Shanghai"

// defaultLocation is DefaultTimeZone resolved. The time zone database is
// embedded (time/tzdata), so it resolves on any machine.
var defaultLocation = func() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		panic(err) // cannot happen: time/tzdata holds it
	}
	return loc
}()

// DefaultGrades returns the national grade bands for project evaluations:
// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below, highest first.
func DefaultGrades() []Band {
	return []Band{
		{Grade: "优", Min: decimal.FromInt(90)},
		{Grade: "良", Min: decimal.FromInt(80)},
		{Grade: "中", Min: decimal.FromInt(60)},
		{Grade: "差", Min: 0},
	}
}

// site fills s from a decoded site.toml.
func (d *decoder) site(m map[string]any, s *Site) {
	d.unknown(m, "", siteKeys)
	s.Pos = d.pos
	s.Title = d.text(m, "", "title")
	s.Organization = d.text(m, "", "organization")
	if raw := d.text(m, "", "base_url"); raw != "" {
		s.BaseURL, s.BasePath = d.baseURL(raw)
	}
	s.TimeZone, s.Location = DefaultTimeZone, defaultLocation
	if tz, ok := d.str(m, "", "time_zone"); ok {
		if loc, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
			d.errorf("time_zone", `写 IANA 时区名，例如 time_zone = "Asia/Shanghai"，或删除这一行`,
				"time_zone（时区）%q 无效", tz)
		} else {
			s.TimeZone, s.Location = tz, loc
		}
	}
	d.footer(m, &s.Footer)
	d.booklet(m, &s.Booklet)
	d.favicon(m, s)
	s.Grades = DefaultGrades()
	if v, ok := m["grades"]; ok {
		t, ok := v.(map[string]any)
		if !ok {
			d.typeErr("grades", "表", "写成 [grades] 段落，每行一个等级：\"优\" = 90", v)
			return
		}
		if g := d.grades(t); g != nil {
			s.Grades = g
		}
	}
}

// baseURL checks and normalises base_url: absolute http(s), ending in "/".
func (d *decoder) baseURL(raw string) (base, path string) {
	const hint = `写完整的网址，以 http:// 或 https:// 开头，例如 base_url = "https://czj.example.gov.cn/jxgk/"`
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.errorf("base_url", hint, "base_url（网站地址）%q 不是完整的 http(s) 网址", raw)
		return "", ""
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		d.errorf("base_url", "去掉 ? 或 # 及其后的部分", "base_url（网站地址）不能带查询参数、锚点或用户名")
		return "", ""
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u.String(), u.Path
}

// grades reads the [grades] table. It returns nil after reporting a
// problem, so that records are still checked against the defaults.
func (d *decoder) grades(t map[string]any) []Band {
	const hint = "每个等级写一行下限（含），0 到 100，各不相同，最低一档为 0，例如 \"优\" = 90"
	var bands []Band
	ok := true
	for _, g := range slices.Sorted(maps.Keys(t)) {
		key := "grades." + g
		if strings.TrimSpace(g) == "" {
			d.errorf(key, hint, "等级名称不能为空")
			ok = false
			continue
		}
		d.checkText("grades", g, g) // a grade's name is published on every page
		n, _, valid := d.number(t, "grades", g, scoreLimit)
		if !valid {
			ok = false
			continue
		}
		if n < 0 || n > decimal.FromInt(100) {
			d.errorf(key, hint, "等级 %s 的下限应在 0 到 100 之间，这里写的是 %s", g, n)
			ok = false
			continue
		}
		bands = append(bands, Band{Grade: g, Min: n, Pos: d.at(key)})
	}
	if !ok {
		return nil
	}
	if len(bands) == 0 {
		d.errorf("grades", hint, "[grades] 是空的")
		return nil
	}
	slices.SortFunc(bands, func(a, b Band) int { return cmp.Or(cmp.Compare(b.Min, a.Min), cmp.Compare(a.Grade, b.Grade)) })
	for i := 1; i < len(bands); i++ {
		if bands[i].Min == bands[i-1].Min {
			d.errorf("grades."+bands[i].Grade, hint, "等级 %s 和 %s 的下限相同（%s）",
				bands[i-1].Grade, bands[i].Grade, bands[i].Min)
			ok = false
		}
	}
	if last := bands[len(bands)-1]; last.Min != 0 {
		d.errorf("grades", fmt.Sprintf("把最低一档 %s 的下限改为 0，或加一档下限为 0 的等级", last.Grade),
			"[grades] 中没有下限为 0 的等级，低于 %s 分的结果无法定级", last.Min)
		ok = false
	}
	if !ok {
		return nil
	}
	return bands
}
