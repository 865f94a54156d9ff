package privacy

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

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

// CheckRecord scans every published text of r (content's PublishedTexts,
// from content.RecordFields and IndicatorFields, wherever each appears) and
// its narrative, both its source and the text the page shows, and adds an error to l for each finding that allowed
// does not acknowledge. allowed is the record's allow_personal_data list, in
// order; an entry that acknowledges nothing gets a warning, so that the list
// does not outlive the text it was written for.
func CheckRecord(r *content.Record, allowed []string, l *diag.List) {
	c := newChecker(r.File, r.At, allowed, l)
	for _, t := range r.PublishedTexts() {
		c.field(t.Key, t.Value)
	}
	c.narrative(r.NarrativeFile, r.Narrative)
	c.stale()
}

// CheckNarrative scans the narrative of a record or year report that did
// not load because its .toml (or the narrative) has errors, so that the
// same run reports its personal data too. Nothing is acknowledged: the
// record's allow_personal_data cannot be read, which the hint says.
func CheckNarrative(file string, src []byte, l *diag.List) {
	c := newChecker(file, func(string) diag.Pos { return diag.Pos{File: file} }, nil, l)
	c.hint = func(f Finding) string {
		return "删除或改写这一处；同名 .toml 记录有错误，还读不到其中的 " + AllowKey +
			"：先改正记录的错误，如这一处确属有意公开，再在记录中按提示确认"
	}
	c.narrative(file, src)
}

// CheckReport is CheckRecord for a year report: its title, the label, value,
// unit and note of each key figure, and its narrative.
func CheckReport(rep *content.Report, allowed []string, l *diag.List) {
	c := newChecker(rep.File, posIn(rep.Pos, rep.File), allowed, l)
	for _, t := range rep.PublishedTexts() {
		c.field(t.Key, t.Value)
	}
	c.narrative(rep.NarrativeFile, rep.Narrative)
	c.stale()
}

// CheckSite scans the published texts of site.toml (the site's title and
// organisation, shown on every page and in the feed, its address, the
// names of its grades and the details of its footer). Nothing there may be
// acknowledged: site.toml has no allow_personal_data, since its one
// contact, the footer's phone, is the office's published line, never a
// person's mobile.
func CheckSite(s *content.Site, l *diag.List) {
	c := newChecker(s.File, posIn(s.Pos, s.File), nil, l)
	c.hint = func(Finding) string {
		return "删除或改写这一处：网站名称、单位名称、页脚信息等出现在每一个页面上，不能含有个人信息；" +
			"页脚的联系电话请写对外公布的办公电话或服务热线（如 0728-6221234、12345），不要写个人手机号"
	}
	for _, t := range s.PublishedTexts() {
		c.field(t.Key, t.Value)
	}
}

// posIn returns the position of a key in pos, or the file itself.
func posIn(pos *content.Positions, file string) func(string) diag.Pos {
	return func(key string) diag.Pos {
		if p, ok := pos.At(key); ok {
			return p
		}
		return diag.Pos{File: file}
	}
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
	// hint says how to fix a finding.
	hint func(Finding) string
}

func newChecker(file string, at func(string) diag.Pos, allowed []string, l *diag.List) *checker {
	c := &checker{file: file, at: at, l: l, entries: allowed, used: make([]bool, len(allowed))}
	c.hint = func(f Finding) string {
		return fmt.Sprintf("删除或改写这一处；如确属有意公开（例如对外公布的服务电话），在 %s 的第一个 [[…]] 表之前加一行 %s = [\"照原文写出这个%s\"]",
			c.file, AllowKey, f.Kind)
	}
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

// field scans one field, reported at its key; the empty key is the file
// name, reported at the file.
func (c *checker) field(key, s string) {
	at := func() diag.Pos { return c.at(key) }
	if key == "" {
		at = func() diag.Pos { return diag.Pos{File: c.file} }
	}
	for _, f := range Scan(s) {
		if !c.acknowledged(f) {
			c.report(at(), key, f, "")
		}
	}
}

// narrative scans a Markdown narrative, reporting each finding at its own
// line and column in the narrative file. It scans the source, and then, if
// the source holds markup that could hide a match from that scan (mayHide),
// the text the page shows: 138\-1234\-5678, 138**1234**5678 and
// &#49;3812345678 all show as a number the source does not spell. A finding
// of the shown text only is reported at the line where its paragraph (or
// heading, list item, table row) begins.
func (c *checker) narrative(file string, src []byte) {
	if len(src) == 0 {
		return
	}
	found := scanBytes(src)
	for _, f := range found {
		if !c.acknowledged(f) {
			c.report(diag.Pos{File: file, Line: f.Line, Col: f.Col}, "", f, "")
		}
	}
	if !mayHide(src) {
		return
	}
	// An error here is a bug that rendering reports with the file.
	rd, err := reader().Read(src)
	if err != nil {
		return
	}
	seen := make(map[string]bool, len(found))
	for _, f := range found {
		seen[f.key()] = true
	}
	for _, f := range Scan(rd.Text) {
		if seen[f.key()] || c.acknowledged(f) {
			continue
		}
		seen[f.key()] = true
		c.report(diag.Pos{File: file, Line: rd.Line(f.Offset)}, "", f,
			"（页面上显示的文字；源文件中被 Markdown 标记、转义或字符引用隔开，读者看到的仍是完整的号码或地址）")
	}
}

// scanBytes is Scan of a narrative's bytes without copying them into a
// string: the scan reads a narrative of every evaluation, and the copy
// was a measurable share of it. The string lives only during the scan;
// what a finding keeps of it is cloned, so nothing aliases src afterwards.
func scanBytes(src []byte) []Finding {
	found := Scan(unsafe.String(unsafe.SliceData(src), len(src)))
	for i := range found {
		found[i].Match = strings.Clone(found[i].Match)
		found[i].Masked = strings.Clone(found[i].Masked)
	}
	return found
}

// acknowledged reports whether allow_personal_data names f, marking the
// entries that do as used.
func (c *checker) acknowledged(f Finding) bool {
	is, ok := c.allowed[f.key()]
	for _, i := range is {
		c.used[i] = true
	}
	return ok
}

// report adds the error for finding f at p; note is added to the message.
func (c *checker) report(p diag.Pos, key string, f Finding, note string) {
	c.l.Errorf(p, key, c.hint(f), "疑似%s %s%s：公开的内容不得含有个人信息", f.Kind, f.Masked, note)
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
