package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
)

// This file reads published text abstracts (评价结果（摘要版）) in the
// shape the bureaus paste into their portals: an optional 附件N line, a
// title over one to three lines, numbered sections 一、… 二、…, the first
// of which gives the total score and grade in a sentence and, often, the
// score table as text, one cell per line with a blank line between rows.
// Each 附件 of a file is one record; what stands before the first 附件
// (the bureau's own report) is listed as unused.

var (
	attachmentRe = regexp.MustCompile(`^附件\s*([0-9]+)\s*[:：]?$`)
	headingRe    = regexp.MustCompile(`^([一二三四五六七八九十]+)[、.．]\s*(.*)$`)
	subheadRe    = regexp.MustCompile(`^(（[一二三四五六七八九十]+）|[0-9]+[.．、])\s*(.+)$`)
	titleYearRe  = regexp.MustCompile(`^(.*?)([12][0-9]{3})\s*年度?\s*(.*)$`)
	titleTailRe  = regexp.MustCompile(`(?:(财政|部门|第三方|单位)?(?:绩效)?评价结果)?\s*[（(]\s*摘要版?\s*[)）]$|(财政|部门|第三方|单位)?(?:绩效)?评价结果$`)
	totalRe      = regexp.MustCompile(`综合得分\s*([0-9]+(?:\.[0-9]+)?)\s*分[^优良中差]{0,16}?等级(?:为)?\s*[:：]?\s*(优|良|中|差)`)
	sentenceRe   = regexp.MustCompile(`^[0-9]+\s*[.．、]\s*(.+?)指标(?:满分|分值)\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[，,]\s*评价得分\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[，,]\s*评价(?:等级|结果)为?\s*[:：]?\s*(优|良|中|差)`)
	budgetRe     = regexp.MustCompile(`预算资金\s*([0-9]+(?:\.[0-9]+)?)\s*万元`)
	spentRe      = regexp.MustCompile(`实际(?:成本|支出)\s*([0-9]+(?:\.[0-9]+)?)\s*万元`)
	cityRe       = regexp.MustCompile(`^(.+?(?:省|市|州|盟|县|旗|区))`)
	deptRe       = regexp.MustCompile(`^([^“”"]{2,30}?(?:委员会|局|委|中心|人民政府|政府|办公室|厅|院|站|所|馆|学校|医院|公司))([^局委厅].+)$`)
	totalRowRe   = regexp.MustCompile(`^(综合|合计|总分|总计|综合绩效|综合得分)`)
)

// line is one line of a text source with its 1-based number.
type line struct {
	n    int
	text string // trimmed of spaces and tabs at both ends
	// col is the cell's place, from 1, in a table row written on one
	// line; 0 for a whole line.
	col int
}

func (l line) ref() string {
	if l.col > 0 {
		return "第" + strconv.Itoa(l.n) + "行第" + strconv.Itoa(l.col) + "格"
	}
	return "第" + strconv.Itoa(l.n) + "行"
}

// ReadAbstract reads a published text abstract (.txt, UTF-8 or GB18030)
// into one Draft per 附件, or one for a file with no 附件 line.
func ReadAbstract(name string, data []byte) ([]*Draft, error) {
	var guesses []Guess
	// Notepad on a Chinese Windows saves in GBK unless told otherwise.
	text, enc := decodeText(data)
	if enc != "" {
		guesses = append(guesses, Guess{Note: "文件不是 UTF-8 编码，按 " + enc + " 读取：请核对文字没有乱码"})
	}
	raw := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines := make([]line, len(raw))
	var starts []int
	for i, s := range raw {
		// U+3000 is the full-width space that indents Chinese paragraphs.
		lines[i] = line{n: i + 1, text: strings.Trim(s, " \t\r\u3000\u00a0")}
		if attachmentRe.MatchString(lines[i].text) {
			starts = append(starts, i)
		}
	}
	var before []line
	if len(starts) == 0 {
		starts = []int{0}
	} else {
		before = lines[:starts[0]]
	}
	var drafts []*Draft
	for k, s := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		d := readOne(name, lines[s:end])
		if d != nil {
			drafts = append(drafts, d)
		}
	}
	if len(drafts) > 0 {
		d := drafts[0]
		d.Guesses = append(guesses, d.Guesses...)
		if first, last, ok := span(before); ok {
			d.Guesses = append(d.Guesses, Guess{Ref: fmt.Sprintf("第%d–%d行", first, last),
				Note: "第一个“附件”之前的文字不属于任何一项评价（例如工作情况说明），没有导入；年度工作情况说明写在 report.toml 和 report.md 中"})
			var pre []Cell
			for _, l := range before {
				if l.text != "" {
					pre = append(pre, Cell{Ref: l.ref(), Text: l.text})
				}
			}
			d.Unused = append(pre, d.Unused...)
		}
	}
	return drafts, nil
}

// span returns the first and last numbers of the non-empty lines.
func span(ls []line) (first, last int, ok bool) {
	for _, l := range ls {
		if l.text == "" {
			continue
		}
		if !ok {
			first, ok = l.n, true
		}
		last = l.n
	}
	return first, last, ok
}

// abstract is the state of reading one 附件.
type abstract struct {
	d    *Draft
	r    *content.Record
	used map[int]bool // lines that became a field or the narrative
	// cells are the refs of the cells that became a field, for the cells
	// of a one-line table row, which the line alone cannot tell.
	cells map[string]bool
}

func (a *abstract) mapLine(l line, field, text string) {
	a.d.Mapped = append(a.d.Mapped, Mapping{Cell: Cell{Ref: l.ref(), Text: text}, Field: field})
	a.used[l.n] = true
	a.cells[l.ref()] = true
}

func (a *abstract) guess(l line, format string, args ...any) {
	a.d.Guesses = append(a.d.Guesses, Guess{Ref: l.ref(), Note: fmt.Sprintf(format, args...)})
}

// readOne reads the lines of one 附件 (or a whole file without one); nil
// when they hold no evaluation (no title and no score).
func readOne(name string, ls []line) *Draft {
	r := &content.Record{Kind: "project"}
	a := &abstract{d: &Draft{Source: name, Record: r}, r: r, used: map[int]bool{}, cells: map[string]bool{}}
	i := 0
	for i < len(ls) && ls[i].text == "" {
		i++
	}
	if i < len(ls) {
		if m := attachmentRe.FindStringSubmatch(ls[i].text); m != nil {
			r.Attachment = "附件" + m[1]
			a.mapLine(ls[i], "attachment", ls[i].text)
			i++
		}
	}
	// The title: the lines up to the first numbered section.
	var titleLines []line
	for ; i < len(ls) && !headingRe.MatchString(ls[i].text); i++ {
		if ls[i].text != "" {
			titleLines = append(titleLines, ls[i])
		}
	}
	a.title(titleLines)
	// The sections: the first holds the score; the others are the text.
	var sections [][]line
	for ; i < len(ls); i++ {
		if headingRe.MatchString(ls[i].text) {
			sections = append(sections, nil)
		}
		sections[len(sections)-1] = append(sections[len(sections)-1], ls[i])
	}
	if len(sections) > 0 {
		a.scores(sections[0])
	}
	if len(sections) > 1 {
		var md bytes.Buffer
		for _, sec := range sections[1:] {
			a.narrative(&md, sec)
		}
		a.d.Narrative = md.Bytes()
		if len(r.Indicators) == 0 {
			a.sentences(sections[1:])
		}
	}
	a.money(ls)
	// An abstract publishes a result: text without a score is not one.
	if r.Score == nil && len(r.Indicators) == 0 {
		return nil
	}
	for _, l := range ls {
		if l.text != "" && !a.used[l.n] {
			a.d.Unused = append(a.d.Unused, Cell{Ref: l.ref(), Text: l.text})
		}
	}
	// Source order, as the report promises: the narrative's and the
	// money's lines were mapped after the table's.
	slices.SortStableFunc(a.d.Mapped, func(x, y Mapping) int { return refLine(x.Ref) - refLine(y.Ref) })
	return a.d
}

// refLine returns the first line number of a "第12行" or "第12–20行" ref.
func refLine(ref string) int {
	s := strings.TrimPrefix(ref, "第")
	end := 0
	for end < len(s) && '0' <= s[end] && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// title reads the title lines: department, year, project name, and what
// the 评价结果 kind tells of the method and the evaluator.
func (a *abstract) title(ls []line) {
	if len(ls) == 0 {
		return
	}
	var full string
	for _, l := range ls {
		full += l.text
	}
	rest := full
	kind := ""
	for {
		m := titleTailRe.FindStringSubmatchIndex(rest)
		if m == nil || m[1] != len(rest) || m[0] == m[1] {
			break
		}
		for _, g := range []int{2, 4} {
			if m[g] >= 0 && kind == "" {
				kind = rest[m[g]:m[g+1]]
			}
		}
		rest = strings.TrimSpace(rest[:m[0]])
	}
	first := ls[0]
	if m := titleYearRe.FindStringSubmatch(rest); m != nil {
		a.r.Department = m[1]
		a.r.Year, _ = strconv.Atoi(m[2])
		rest = m[3]
		a.mapLine(lineWith(ls, m[2]), "year", m[2])
		if m[1] != "" {
			a.mapLine(lineWith(ls, m[1]), "department", m[1])
		}
	}
	if a.r.Department == "" {
		// “2024年度某某县交通运输局农村公路养护项目”: the department
		// after the year, told from the project by its unit's suffix.
		if m := deptRe.FindStringSubmatch(rest); m != nil {
			a.r.Department, rest = m[1], m[2]
			a.mapLine(lineWith(ls, m[1]), "department", m[1])
			a.d.Guesses = append(a.d.Guesses, Guess{Ref: first.ref(),
				Note: fmt.Sprintf("标题中年度之后的“%s”按部门读取，项目名称为“%s”：请核对两者的分界", m[1], m[2])})
		}
	}
	a.r.Title = rest
	for _, l := range ls {
		a.mapLine(l, "title", l.text)
	}
	switch {
	case strings.Contains(rest, "部门整体"):
		a.r.Kind = "department"
	case strings.Contains(rest, "政策"):
		a.r.Kind = "policy"
	case strings.Contains(rest, "财政运行"):
		a.r.Kind = "fiscal"
	}
	last := ls[len(ls)-1]
	for _, l := range ls {
		if strings.Contains(l.text, "评价结果") {
			last = l
		}
	}
	switch kind {
	case "财政":
		a.r.Method = "finance"
		a.mapLine(last, "method", last.text)
	case "第三方":
		a.r.Method = "third-party"
		a.mapLine(last, "method", last.text)
	case "部门":
		a.r.Method = "department"
		a.mapLine(last, "method", last.text)
	case "单位":
		a.r.Method = "self"
		a.mapLine(last, "method", last.text)
	}
}

// lineWith returns the first line holding s, or the first line.
func lineWith(ls []line, s string) line {
	for _, l := range ls {
		if strings.Contains(l.text, s) {
			return l
		}
	}
	return ls[0]
}

// scores reads the first section: the sentence with the total score and
// grade, and the score table when there is one.
func (a *abstract) scores(sec []line) {
	a.used[sec[0].n] = true // the heading
	for _, l := range sec {
		m := totalRe.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		if s, err := decimal.Parse(m[1]); err == nil {
			a.r.Score = &s
			a.mapLine(l, "score", m[1])
		}
		a.r.Grade = m[2]
		a.mapLine(l, "grade", m[2])
		if a.r.Department == "" {
			if p := titleYearRe.FindStringSubmatch(l.text); p != nil && p[1] != "" {
				a.r.Department = p[1]
				a.mapLine(l, "department", p[1])
				a.guess(l, "标题中没有部门，部门“%s”取自综合得分一句中年度之前的文字：请核对是否为被评价单位的全称", p[1])
			}
		}
		if a.r.Year == 0 {
			if p := titleYearRe.FindStringSubmatch(l.text); p != nil {
				a.r.Year, _ = strconv.Atoi(p[2])
				a.mapLine(l, "year", p[2])
			}
		}
		break
	}
	a.evaluator()
	a.table(sec[1:])
}

// evaluator guesses the evaluator of a 财政评价: the finance bureau of the
// department's city or county.
func (a *abstract) evaluator() {
	if a.r.Method != "finance" || a.r.Evaluator != "" {
		return
	}
	if m := cityRe.FindStringSubmatch(a.r.Department); m != nil {
		a.r.Evaluator = m[1] + "财政局"
		a.d.Guesses = append(a.d.Guesses, Guess{Note: fmt.Sprintf("标题为“财政评价结果”，评价机构 evaluator 按部门所在地写为“%s”：请核对", a.r.Evaluator)})
	}
}

// cellRow is one row of a text table: its cells and their lines.
type cellRow []line

// rows splits lines into table rows. Abstracts write a table two ways: one
// cell a line with a blank line between rows (copied from a Word table),
// or one row a line with its cells separated by tabs or spaces. A line of
// three cells or more is a row of its own; other lines are cells of the
// row that runs to the next blank line.
func rows(ls []line) []cellRow {
	var out []cellRow
	var cur cellRow
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur = nil
	}
	for _, l := range ls {
		if l.text == "" {
			flush()
			continue
		}
		if f := strings.Fields(l.text); len(f) >= 3 {
			flush()
			for j, c := range f {
				cur = append(cur, line{n: l.n, text: c, col: j + 1})
			}
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return out
}

// table reads the score table, when the section has one: a header row
// naming 指标, 分值 and 得分, then one row per first-level indicator and a
// total row.
func (a *abstract) table(ls []line) {
	rs := rows(ls)
	h := -1
	col := map[string]int{}
	for k, row := range rs {
		c := map[string]int{}
		for j, cell := range row {
			t := cell.text
			switch {
			case strings.Contains(t, "权重"):
				c["weight"] = j
			case strings.Contains(t, "分值") || strings.Contains(t, "满分"):
				c["max"] = j
			case strings.Contains(t, "得分"):
				c["score"] = j
			case strings.Contains(t, "等级"):
				c["grade"] = j
			case strings.Contains(t, "指标") || strings.Contains(t, "项目"):
				c["name"] = j
			}
		}
		_, hasName := c["name"]
		_, hasMax := c["max"]
		_, hasScore := c["score"]
		if hasName && hasMax && hasScore {
			h, col = k, c
			for _, cell := range row {
				a.used[cell.n] = true
			}
			break
		}
	}
	if h < 0 {
		return
	}
	cell := func(row cellRow, key string) (line, bool) {
		j, ok := col[key]
		if !ok || j >= len(row) {
			return line{}, false
		}
		return row[j], true
	}
	for _, row := range rs[h+1:] {
		a.tableRow(row, cell)
		for _, c := range row {
			if c.col > 0 && !a.cells[c.ref()] {
				a.d.Unused = append(a.d.Unused, Cell{Ref: c.ref(), Text: c.text})
				a.used[c.n] = true
			}
		}
	}
}

// tableRow reads one row of the score table below its header.
func (a *abstract) tableRow(row cellRow, cell func(cellRow, string) (line, bool)) {
	name, ok := cell(row, "name")
	if !ok {
		return
	}
	if totalRowRe.MatchString(name.text) {
		a.totalRow(row, cell)
		return
	}
	maxCell, ok1 := cell(row, "max")
	scoreCell, ok2 := cell(row, "score")
	if !ok1 || !ok2 {
		return
	}
	mx, err1 := decimal.Parse(strings.TrimSuffix(maxCell.text, "分"))
	sc, err2 := decimal.Parse(strings.TrimSuffix(scoreCell.text, "分"))
	if err1 != nil || err2 != nil {
		return
	}
	key := "indicators[" + strconv.Itoa(len(a.r.Indicators)) + "]"
	in := &content.Indicator{Key: key, Name: name.text, Max: mx, Score: sc}
	a.mapLine(name, key+".name", name.text)
	a.mapLine(maxCell, key+".max", maxCell.text)
	a.mapLine(scoreCell, key+".score", scoreCell.text)
	if g, ok := cell(row, "grade"); ok {
		in.Grade = g.text
		a.mapLine(g, key+".grade", g.text)
	}
	a.r.Indicators = append(a.r.Indicators, in)
}

// totalRow checks the table's total row against the sentence's total, or
// takes the total from it when the sentence gave none.
func (a *abstract) totalRow(row cellRow, cell func(cellRow, string) (line, bool)) {
	if sc, ok := cell(row, "score"); ok {
		if s, err := decimal.Parse(strings.TrimSuffix(sc.text, "分")); err == nil {
			switch {
			case a.r.Score == nil:
				a.r.Score = &s
				a.mapLine(sc, "score", sc.text)
			case *a.r.Score == s:
				a.mapLine(sc, "score", sc.text)
			default:
				a.guess(sc, "评分表的合计得分 %s 与正文的综合得分 %s 不同：按正文填写，请核对原件", s, *a.r.Score)
			}
		}
	}
	if g, ok := cell(row, "grade"); ok {
		switch a.r.Grade {
		case "":
			a.r.Grade = g.text
			a.mapLine(g, "grade", g.text)
		case g.text:
			a.mapLine(g, "grade", g.text)
		default:
			a.guess(g, "评分表的合计等级“%s”与正文的“%s”不同：按正文填写，请核对原件", g.text, a.r.Grade)
		}
	}
}

// sentences reads the first-level indicators from the lines of the
// 指标情况 section (“1.项目决策指标满分20分，评价得分18分，评价等级为优。”)
// when the abstract has no score table. The lines stay in the narrative.
func (a *abstract) sentences(secs [][]line) {
	for _, sec := range secs {
		for _, l := range sec {
			m := sentenceRe.FindStringSubmatch(l.text)
			if m == nil {
				continue
			}
			mx, err1 := decimal.Parse(m[2])
			sc, err2 := decimal.Parse(m[3])
			if err1 != nil || err2 != nil {
				continue
			}
			key := "indicators[" + strconv.Itoa(len(a.r.Indicators)) + "]"
			a.r.Indicators = append(a.r.Indicators, &content.Indicator{Key: key, Name: m[1], Max: mx, Score: sc, Grade: m[4]})
			a.mapLine(l, key+".name", m[1])
			a.mapLine(l, key+".max", m[2])
			a.mapLine(l, key+".score", m[3])
			a.mapLine(l, key+".grade", m[4])
		}
		if len(a.r.Indicators) > 0 {
			a.guess(sec[0], "原件没有评分表：一级指标的名称、分值、得分和等级取自本节各条的文字（这些文字也保留在正文中）")
			return
		}
	}
}

// money reads the budget and the actual cost when the text states them
// (“项目实际成本52.88万元＞项目预算资金45万元”): a guess, since a sentence
// may speak of another sum.
func (a *abstract) money(ls []line) {
	for _, l := range ls {
		if a.r.Budget == nil {
			if m := budgetRe.FindStringSubmatch(l.text); m != nil {
				if v, err := decimal.ParseAmount(m[1]); err == nil {
					a.r.Budget = &v
					a.mapLine(l, "budget", m[1])
					a.guess(l, "全年预算数 budget = %s 取自正文“%s”：请核对", m[1], m[0])
				}
			}
		}
		if a.r.Spent == nil {
			if m := spentRe.FindStringSubmatch(l.text); m != nil {
				if v, err := decimal.ParseAmount(m[1]); err == nil {
					a.r.Spent = &v
					a.mapLine(l, "spent", m[1])
					a.guess(l, "全年执行数 spent = %s 取自正文“%s”：请核对", m[1], m[0])
				}
			}
		}
	}
}

// narrative writes a section as Markdown: its heading as ##, its short
// numbered lines without a full stop as ###, other lines as paragraphs,
// and records the section's lines as the narrative's.
func (a *abstract) narrative(md *bytes.Buffer, sec []line) {
	head := sec[0]
	md.WriteString("## " + escapeMarkdown(head.text) + "\n")
	first, last := head.n, head.n
	for _, l := range sec[1:] {
		if l.text == "" {
			continue
		}
		a.used[l.n] = true
		last = l.n
		md.WriteString("\n")
		if m := subheadRe.FindStringSubmatch(l.text); m != nil && utf8.RuneCountInString(l.text) <= 24 &&
			!strings.ContainsAny(l.text, "。；;：:") {
			md.WriteString("### ")
		}
		md.WriteString(escapeMarkdown(l.text) + "\n")
	}
	ref := fmt.Sprintf("第%d–%d行", first, last)
	if first == last {
		ref = head.ref()
	}
	a.d.Mapped = append(a.d.Mapped, Mapping{Cell: Cell{Ref: ref, Text: head.text}, Field: "narrative"})
	a.used[head.n] = true
	md.WriteString("\n")
}

// escapeMarkdown keeps a line of plain text plain in Markdown: a line that
// starts with "1." stays text (the abstracts write "1.项目决策…" and the
// default content keeps it so), but a leading #, >, -, + or * would make a
// heading, a quote or a list, and < would start raw HTML.
func escapeMarkdown(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '-', '+', '*', '=', '|', '`', '~':
		s = `\` + s
	}
	return strings.ReplaceAll(s, "<", "&lt;")
}
