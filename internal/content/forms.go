package content

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/decimal"
)

// This file holds the second edition of the record: the fields that real
// 项目支出绩效自评表 and evaluation reports carry besides the abstract's
// figures (the money block by source of funds, the year's goal, the
// evaluation method and its review, findings and their rectification, the
// use of the result, original documents, corrections and acknowledged
// discrepancies). Field names are fixed by the design. Package content
// checks what one file alone can say (types, allowed values, required
// fields, placeholders); package score compares figures and dates.

// Methods are the allowed values of a record's method (评价方式), with their
// Chinese names.
var Methods = map[string]string{
	"self":        "单位自评",
	"department":  "部门评价",
	"finance":     "财政评价",
	"third-party": "第三方评价",
}

// Statuses are the allowed values of a finding's status, with their Chinese
// names. A finding without a status is "open".
var Statuses = map[string]string{
	"open":        "未整改",
	"in-progress": "整改中",
	"done":        "已整改",
}

// Decisions are the allowed values of result_use.decision (结果应用), with
// their Chinese names.
var Decisions = map[string]string{
	"priority": "优先保障",
	"keep":     "保持",
	"reduce":   "调减",
	"cancel":   "取消",
	"suspend":  "暂停",
}

// Placeholder starts every text that `evalpress new` leaves for the staffer
// to replace ("（请填写项目名称）"). A record that is not a draft and still
// holds one, in any published text or its narrative, is an error: a
// half-filled form must never be published.
const Placeholder = "（请填写"

var placeholderBytes = []byte(Placeholder)

// Fund is one row of the money block by source of funds (本年财政拨款, 上年
// 结转, 其他资金), amounts in 万元 as written.
type Fund struct {
	Key                          string // "funds[0]"
	Source                       string // free text, as the form writes it
	BudgetInitial, Budget, Spent *decimal.Amount
}

// Review is a second scoring of the same form (复核).
type Review struct {
	By    string     // who reviewed
	Score *decimal.D // the review's total, nil if not stated
	Grade string     // the review's grade, "" if not stated
	// Official is true when the reviewed result is the official one: it
	// then drives the headline score and grade (see package score).
	Official bool
}

// Finding is one problem found and its rectification (整改).
type Finding struct {
	Key      string // "findings[0]"
	Problem  string // 发现的问题 (required)
	Measure  string // 整改措施
	Owner    string // 责任单位
	Deadline *Date  // 整改期限
	Status   string // one of Statuses; "open" when not written
	Done     *Date  // 完成日期, required when Status is "done"
	Result   string // 整改结果
}

// ResultUse is how the result is applied (结果应用).
type ResultUse struct {
	Decision   string          // one of Decisions, "" if not stated
	NextBudget *decimal.Amount // 下年度安排, 万元
	Note       string
}

// Document is an original file published beside the page.
type Document struct {
	Key string // "documents[0]"
	// File is the file's path as written, relative to the folder of the
	// record file, like a narrative's links: "roads/评价报告.pdf". It
	// always lies in the record's own folder (Record.Folder).
	File  string
	Title string // "" when not written: show the file's name
}

// Name returns the document's path relative to the content root
// ("2023/evaluations/roads/评价报告.pdf"), as attach.Files reads it.
func (d *Document) Name(r *Record) string {
	return strconv.Itoa(r.Year) + "/evaluations/" + d.File
}

// Rest returns the document's path inside the record's folder
// ("评价报告.pdf"): where it is published beside the page, under
// Record.Path().
func (d *Document) Rest(r *Record) string {
	return strings.TrimPrefix(d.File, r.Slug+"/")
}

// Correction is one entry of the record's 更新记录.
type Correction struct {
	Date Date
	Note string
}

// Accept acknowledges a known, deliberate discrepancy.
type Accept struct {
	// Key is the key a check names, "indicators[1].grade".
	Key string
	// Reason says why the discrepancy stays, shown on the page.
	Reason string
	// At is the accept's own key, "accept[0]", for messages.
	At string
}

// Acknowledgement is a check's warning that an [[accept]] of the record
// matched: reported as a note, and kept for the page.
type Acknowledgement struct {
	Key     string // the key the check names
	Reason  string // the [[accept]]'s reason
	Message string // what the check found, as in the diagnostic
}

// noteOf formats the note that replaces an acknowledged warning: what
// the check found, then which [[accept]] acknowledged it and why. Every
// stage that acknowledges a warning words it so.
func noteOf(msg string, a *Accept) string {
	return fmt.Sprintf("%s；已确认（%s）：%s", msg, a.At, a.Reason)
}

// NoteOf is noteOf for the later stages' checks (package score).
func (a *Accept) NoteOf(msg string) string { return noteOf(msg, a) }

// Updated returns the date of the newest correction, nil without any: the
// page's updated date in the feed and sitemap.
func (r *Record) Updated() *Date {
	var newest *Date
	for _, c := range r.Corrections {
		if newest == nil || c.Date.After(*newest) {
			d := c.Date
			newest = &d
		}
	}
	return newest
}

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool {
	if d.Year != e.Year {
		return d.Year > e.Year
	}
	if d.Month != e.Month {
		return d.Month > e.Month
	}
	return d.Day > e.Day
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// forms decodes the second edition's fields of a record into r.
func (d *decoder) forms(m map[string]any, r *Record, slug string, bands []Band) {
	r.BudgetInitial = d.amount(m, "", "budget_initial")
	if n, places, ok := d.number(m, "", "execution_rate", rateLimit); ok {
		if n < 0 {
			d.errorf("execution_rate", "执行率按公开文件填写百分数，例如 99.97", "execution_rate（执行率）不能为负数，这里写的是 %s", n)
		} else {
			r.ExecutionRate = &decimal.Amount{Value: n, Places: places}
		}
	}
	if ts, ok := d.tablesMax(m, "funds", MaxFunds); ok {
		for i, t := range ts {
			key := "funds[" + strconv.Itoa(i) + "]"
			d.unknown(t, key, fundKeys)
			f := &Fund{Key: key, Source: d.text(t, key, "source")}
			f.BudgetInitial = d.amount(t, key, "budget_initial")
			f.Budget = d.amount(t, key, "budget")
			f.Spent = d.amount(t, key, "spent")
			_, bi := t["budget_initial"]
			_, b := t["budget"]
			_, s := t["spent"]
			if !bi && !b && !s {
				d.errorf(key, "写出这一来源的 budget_initial、budget 或 spent，或删除这一段",
					"资金来源“%s”没有任何金额", f.Source)
			}
			r.Funds = append(r.Funds, f)
		}
	}
	r.Goal, _ = d.str(m, "", "goal")
	r.Outcome, _ = d.str(m, "", "outcome")
	if v, ok := d.str(m, "", "method"); ok {
		if _, known := Methods[v]; known {
			r.Method = v
		} else {
			d.errorf("method", "改成其中之一，或删除这一行", "method（评价方式）只能是 %s，这里写的是 %q", nameList(Methods), v)
		}
	}
	if t, ok := d.table(m, "review"); ok {
		d.unknown(t, "review", reviewKeys)
		rv := &Review{}
		rv.By, _ = d.str(t, "review", "by")
		rv.Score = d.total(t, "review", "复核得分")
		rv.Grade = d.grade(t, "review", bands)
		rv.Official = d.boolean(t, "review", "official")
		_, hasScore := t["score"]
		_, hasGrade := t["grade"]
		if !hasScore && !hasGrade {
			d.errorf("review", "写出复核的 score（得分）或 grade（等级），或删除 [review] 段落",
				"[review]（复核）没有复核结果：缺少 score 和 grade")
		}
		r.Review = rv
	}
	if ts, ok := d.tablesMax(m, "findings", MaxFindings); ok {
		for i, t := range ts {
			key := "findings[" + strconv.Itoa(i) + "]"
			d.unknown(t, key, findingKeys)
			f := &Finding{Key: key, Problem: d.text(t, key, "problem"), Status: "open"}
			f.Measure, _ = d.str(t, key, "measure")
			f.Owner, _ = d.str(t, key, "owner")
			f.Result, _ = d.str(t, key, "result")
			f.Deadline = d.date(t, key, "deadline")
			f.Done = d.date(t, key, "done")
			if s, ok := d.str(t, key, "status"); ok {
				if _, known := Statuses[s]; known {
					f.Status = s
				} else {
					d.errorf(key+".status", "改成其中之一；不写时为 open（未整改）",
						"status（整改状态）只能是 %s，这里写的是 %q", nameList(Statuses), s)
				}
			}
			switch {
			case f.Status == "done" && f.Done == nil:
				if _, written := t["done"]; !written {
					d.errorf(key+".status", "加一行 done = 2024-05-20（整改完成的日期）；尚未完成的，把 status 改为 in-progress 或 open",
						"已整改（status = \"done\"）的问题须写明完成日期 done")
				}
			case f.Status != "done" && f.Done != nil:
				d.errorf(key+".done", "已完成的，把 status 改为 \"done\"；未完成的，删除 done 一行",
					"写了完成日期 done，但整改状态是“%s”", Statuses[f.Status])
			}
			r.Findings = append(r.Findings, f)
		}
	}
	if t, ok := d.table(m, "result_use"); ok {
		d.unknown(t, "result_use", resultUseKeys)
		u := &ResultUse{}
		if v, ok := d.str(t, "result_use", "decision"); ok {
			if _, known := Decisions[v]; known {
				u.Decision = v
			} else {
				d.errorf("result_use.decision", "改成其中之一", "decision（结果应用）只能是 %s，这里写的是 %q", nameList(Decisions), v)
			}
		}
		u.NextBudget = d.amount(t, "result_use", "next_budget")
		u.Note, _ = d.str(t, "result_use", "note")
		if len(t) == 0 {
			d.errorf("result_use", "写出 decision（结果应用）、next_budget（下年度安排）或 note，或删除 [result_use] 段落",
				"[result_use]（结果应用）是空的")
		}
		r.ResultUse = u
	}
	if ts, ok := d.tablesMax(m, "documents", MaxDocuments); ok {
		seen := map[string]int{}
		for i, t := range ts {
			key := "documents[" + strconv.Itoa(i) + "]"
			d.unknown(t, key, documentKeys)
			doc := &Document{Key: key, File: d.text(t, key, "file")}
			doc.Title, _ = d.str(t, key, "title")
			if doc.File != "" && d.documentPath(key, doc.File, slug) {
				if j, dup := seen[doc.File]; dup {
					d.errorf(key+".file", "每个文件只列一次", "文件 %s 已在 documents[%d] 中列出", doc.File, j)
				}
				seen[doc.File] = i
			}
			r.Documents = append(r.Documents, doc)
		}
	}
	if ts, ok := d.tablesMax(m, "corrections", MaxCorrections); ok {
		for i, t := range ts {
			key := "corrections[" + strconv.Itoa(i) + "]"
			d.unknown(t, key, correctionKeys)
			c := &Correction{Note: d.text(t, key, "note")}
			if _, ok := t["date"]; !ok {
				d.errorf(key+".date", "加一行 date = 2024-05-10（更正的日期）", "缺少必填字段 date（更正日期）")
			} else if dt := d.date(t, key, "date"); dt != nil {
				c.Date = *dt
			}
			r.Corrections = append(r.Corrections, c)
		}
	}
	if ts, ok := d.tablesMax(m, "accept", MaxAccepts); ok {
		seen := map[string]int{}
		for i, t := range ts {
			key := "accept[" + strconv.Itoa(i) + "]"
			d.unknown(t, key, acceptKeys)
			a := &Accept{At: key, Key: d.text(t, key, "key"), Reason: d.text(t, key, "reason")}
			if a.Key != "" {
				if j, dup := seen[a.Key]; dup {
					d.errorf(key+".key", "每个差异只确认一次；把两条说明合并", "%q 已在 accept[%d] 中确认过", a.Key, j)
				}
				seen[a.Key] = i
			}
			r.Accepts = append(r.Accepts, a)
		}
	}
}

// preAccepts reads the keys and reasons of the record's [[accept]] before
// anything else, so that the loader's own warnings (a duplicated
// indicator name, an irregular series) can be acknowledged like the
// later stages' ones. Their form is checked, and reported, by forms.
func (d *decoder) preAccepts(m map[string]any) {
	ts, ok := m["accept"].([]map[string]any)
	if !ok {
		return
	}
	for i, t := range ts {
		key, _ := t["key"].(string)
		reason, _ := t["reason"].(string)
		if key == "" || strings.TrimSpace(reason) == "" {
			continue
		}
		if d.accepts == nil {
			d.accepts = map[string]*Accept{}
		}
		if _, dup := d.accepts[key]; !dup {
			d.accepts[key] = &Accept{Key: own(key), Reason: own(reason), At: "accept[" + strconv.Itoa(i) + "]"}
		}
	}
}

// documentPath checks a document's file as written: a relative path, like
// a narrative's links, inside the record's own folder. It reports whether
// the path is acceptable; whether the file exists and may be published is
// checked where files are read (package attach).
func (d *decoder) documentPath(key, file, slug string) bool {
	hint := fmt.Sprintf("把文件放进与记录同名的文件夹 %s/，写成 file = \"%s/评价报告.pdf\"（相对于记录文件所在的目录，与正文中的链接写法相同）", slug, slug)
	clean := path.Clean(file)
	switch {
	case strings.Contains(file, `\`):
		d.errorf(key+".file", "路径用 / 分隔："+strings.ReplaceAll(file, `\`, "/"), "文件路径 %q 中有反斜杠 \\", file)
	case path.IsAbs(file) || strings.Contains(file, "://") || clean == ".." || strings.HasPrefix(clean, "../"):
		d.errorf(key+".file", hint, "文件 %q 不在记录的文件夹中：只能发布记录同名文件夹里的文件", file)
	case clean != file && "./"+clean != file:
		d.errorf(key+".file", "写成 "+clean, "文件路径 %q 不规范", file)
	case !strings.HasPrefix(clean, slug+"/"):
		d.errorf(key+".file", hint, "文件 %q 不在记录的文件夹 %s/ 中", file, slug)
	default:
		return true
	}
	return false
}

// checkPlaceholders reports each published text of a record that is not a
// draft and still holds a scaffold placeholder, and a table of indicators
// whose scores are all zero: both are what `evalpress new` writes.
func (d *decoder) checkPlaceholders(r *Record) {
	if r.Draft {
		return
	}
	errs := d.errs
	// The scaffold writes its placeholders literally: a file without
	// one in its bytes has none in its texts, and nearly every record is
	// spared listing them.
	if bytes.Contains(d.src, placeholderBytes) {
		for _, t := range r.PublishedTexts() {
			if t.Key != "" && strings.Contains(t.Value, Placeholder) {
				d.errorf(t.Key, "换成公开文件中的内容；还没有填好的，保留或加上 draft = true，记录就不会公开",
					"%s还是 evalpress new 留下的占位文字 %q，不能公开", d.subject(t.Key, ""), t.Value)
			}
		}
	}
	if len(r.Indicators) == 0 || errs > 0 {
		return // a score missing or out of range is reported already
	}
	for _, in := range r.Indicators {
		if in.Score != 0 {
			return
		}
	}
	d.errorf("indicators[0].score", "照原文评分表填写各一级指标的 score（得分）；还没有填好的，加上 draft = true，记录就不会公开",
		"各一级指标得分都是 0：像是没有填写的评分表，公开后会显示为 0 分、差")
}

// tablesMax reads an array of tables of at most max entries.
func (d *decoder) tablesMax(m map[string]any, name string, max int) ([]map[string]any, bool) {
	ts, ok := d.tables(m, "", name)
	if ok && len(ts) > max {
		d.errorf(name, "检查是否重复粘贴了内容；确实这样多的，只列出主要的几项",
			"%s有 %d 项，最多 %d 项", d.subject(name, ""), len(ts), max)
		return nil, false
	}
	return ts, ok
}

// table reads an optional table ([name]) of the top level.
func (d *decoder) table(m map[string]any, name string) (map[string]any, bool) {
	v, ok := m[name]
	if !ok {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		d.typeErr(name, "表", fmt.Sprintf("写成 [%s] 段落，其下每行一个字段", name), v)
		return nil, false
	}
	return t, true
}

// nameList lists the values of a map of allowed values with their Chinese
// names, sorted: "done（已整改）、in-progress（整改中）、open（未整改）".
func nameList(names map[string]string) string {
	ks := slices.Sorted(maps.Keys(names))
	for i, k := range ks {
		ks[i] = k + "（" + names[k] + "）"
	}
	return strings.Join(ks, "、")
}

// The keys of the second edition's tables.
var (
	fundKeys       = []string{"source", "budget_initial", "budget", "spent"}
	reviewKeys     = []string{"by", "score", "grade", "official"}
	findingKeys    = []string{"problem", "measure", "owner", "deadline", "status", "done", "result"}
	resultUseKeys  = []string{"decision", "next_budget", "note"}
	documentKeys   = []string{"file", "title"}
	correctionKeys = []string{"date", "note"}
	acceptKeys     = []string{"key", "reason"}
)

// rateLimit is for execution_rate, a percentage as published: forms print
// two places, some four; an overspent project exceeds 100 %.
var rateLimit = limit{places: 4, max: decimal.FromInt(100_000), rng: "应在 0 到 100000 之间",
	hint: "执行率按公开文件填写百分数，不带 %，最多四位小数，例如 99.97"}
