package privacy

import (
	"fmt"
	"strconv"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
)

// AllowKey is the record and report field that acknowledges personal data
// published on purpose, e.g.
//
//	allow_personal_data = ["138-0000-1234", "jxb@example.gov.cn"]
//
// Each entry is written as it appears in the text or in any other spelling
// (separators, +86 and full-width digits do not matter; e-mail case does not
// matter). It must stand before the first [[indicators]] or [[figures]]
// table, like every top-level field.
const AllowKey = "allow_personal_data"

// CheckRecord scans every published text of r — title, department,
// evaluator, attachment, tags, the file name (the page's URL), the names,
// targets and actual values of indicators at every level, and the narrative —
// and adds an error to l for each finding that allowed does not acknowledge.
// allowed is the record's allow_personal_data list, in order; an entry that
// acknowledges nothing gets a warning, so that the list does not outlive the
// text it was written for.
func CheckRecord(r *content.Record, allowed []string, l *diag.List) {
	c := newChecker(r.File, r.At, allowed, l)
	c.field("title", r.Title)
	c.field("department", r.Department)
	c.field("evaluator", r.Evaluator)
	c.field("attachment", r.Attachment)
	for i, t := range r.Tags {
		c.field("tags["+strconv.Itoa(i)+"]", t)
	}
	// The slug is the last segment of the page's URL.
	c.text(func() diag.Pos { return diag.Pos{File: r.File} }, "", r.Slug, false)
	var walk func([]*content.Indicator)
	walk = func(ins []*content.Indicator) {
		for _, in := range ins {
			c.field(in.Key+".name", in.Name)
			c.field(in.Key+".target", in.Target)
			c.field(in.Key+".actual", in.Actual)
			walk(in.Items)
		}
	}
	walk(r.Indicators)
	c.narrative(r.NarrativeFile, r.Narrative)
	c.stale()
}

// CheckReport is CheckRecord for a year report: its title, the label, value,
// unit and note of each key figure, and its narrative.
func CheckReport(rep *content.Report, allowed []string, l *diag.List) {
	at := func(key string) diag.Pos {
		if p, ok := rep.Pos.At(key); ok {
			return p
		}
		return diag.Pos{File: rep.File}
	}
	c := newChecker(rep.File, at, allowed, l)
	c.field("title", rep.Title)
	for i, f := range rep.Figures {
		key := "figures[" + strconv.Itoa(i) + "]"
		c.field(key+".label", f.Label)
		c.field(key+".value", f.Value)
		c.field(key+".unit", f.Unit)
		c.field(key+".note", f.Note)
	}
	c.narrative(rep.NarrativeFile, rep.Narrative)
	c.stale()
}

// checker reports the findings of one record or report against its
// acknowledgements.
type checker struct {
	file string
	at   func(key string) diag.Pos
	l    *diag.List
	// allowed maps each acknowledged key to the entries that name it;
	// used marks entries that acknowledged a finding.
	allowed map[string][]int
	entries []string
	used    []bool
}

func newChecker(file string, at func(string) diag.Pos, allowed []string, l *diag.List) *checker {
	c := &checker{file: file, at: at, l: l, entries: allowed, used: make([]bool, len(allowed))}
	for i, a := range allowed {
		fs := Scan(a)
		if len(fs) == 0 {
			key := AllowKey + "[" + strconv.Itoa(i) + "]"
			c.l.Warnf(at(key), key, "这里只需写正文或字段中出现的身份证号、手机号、银行卡号或电子邮箱；不是这几类的，删除这一项",
				"%s 中的 %q 不是可识别的身份证号、手机号、银行卡号或电子邮箱", AllowKey, a)
			c.used[i] = true // reported already; not stale as well
			continue
		}
		if c.allowed == nil {
			c.allowed = make(map[string][]int)
		}
		for _, f := range fs {
			c.allowed[f.key()] = append(c.allowed[f.key()], i)
		}
	}
	return c
}

// field scans one record field, reported at its key.
func (c *checker) field(key, s string) {
	if s != "" {
		c.text(func() diag.Pos { return c.at(key) }, key, s, false)
	}
}

// narrative scans a Markdown narrative, reporting each finding at its own
// line and column in the narrative file.
func (c *checker) narrative(file string, src []byte) {
	if len(src) > 0 {
		c.text(func() diag.Pos { return diag.Pos{File: file} }, "", string(src), true)
	}
}

// text reports the findings in s at the position at gives (only asked
// for a finding: positions cost a scan of the record) or, with exact, at
// the finding's own line and column.
func (c *checker) text(at func() diag.Pos, key, s string, exact bool) {
	for _, f := range Scan(s) {
		if is, ok := c.allowed[f.key()]; ok {
			for _, i := range is {
				c.used[i] = true
			}
			continue
		}
		p := at()
		if exact {
			p.Line, p.Col = f.Line, f.Col
		}
		c.l.Errorf(p, key, fmt.Sprintf(
			"删除或改写这一处；如确属有意公开（例如对外公布的服务电话），在 %s 的第一个 [[…]] 表之前加一行 %s = [\"照原文写出这个%s\"]",
			c.file, AllowKey, f.Kind),
			"疑似%s %s：公开的内容不得含有个人信息", f.Kind, f.Masked)
	}
}

// stale warns of acknowledgements that matched nothing.
func (c *checker) stale() {
	for i, used := range c.used {
		if used {
			continue
		}
		key := AllowKey + "[" + strconv.Itoa(i) + "]"
		fs := Scan(c.entries[i])
		c.l.Warnf(c.at(key), key, "内容已改过的，删除这一项；否则检查是否与正文中的写法是同一个号码或地址",
			"%s 中确认公开的%s %s 在公开的内容中没有出现", AllowKey, fs[0].Kind, fs[0].Masked)
	}
}
