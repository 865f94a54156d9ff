package importer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
)

// sourceID identifies a draft by its source: the fingerprint of the
// source file's bytes and the draft's place among the file's drafts.
type sourceID struct {
	fingerprint string
	n, of       int
}

// String is how the record's header comment writes the ID.
func (id sourceID) String() string { return id.fingerprint + "/" + strconv.Itoa(id.n) }

// fingerprint is the first 16 hex digits of the SHA-256 of a source:
// enough to tell apart every file a bureau will ever import.
func fingerprint(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// fingerprintLine is the header line that lets a second import of the same
// file find the record the first one wrote, however the staffer edited it
// since, as long as the line stays.
const fingerprintLine = "# 导入指纹："

var fingerprintRe = regexp.MustCompile(`^# 导入指纹：([0-9a-f]{16}/[0-9]+)`)

// writer writes the drafts of one run: it knows the records already in the
// content folder by their fingerprints and the slugs taken in this run.
type writer struct {
	opts Options
	// imported maps a source ID to the record that holds it, read from
	// the content folder once, on first use.
	imported map[string]string
	// taken holds the records this run has written or would write (in a
	// dry run), by path, so that two drafts never share a slug.
	taken map[string]bool
}

func newWriter(opts Options) *writer {
	return &writer{opts: opts, taken: map[string]bool{}}
}

// write writes one draft, or says why not, and returns its part of the
// report.
func (w *writer) write(d *Draft, id sourceID) *Written {
	r := d.Record
	out := &Written{Mapped: nonNil(d.Mapped), Unused: nonNil(d.Unused), Guesses: nonNil(d.Guesses)}
	if r == nil {
		out.Status, out.Problem = StatusFailed, "读取程序没有给出记录（程序错误，请报告）"
		return out
	}
	out.Title = r.Title
	if r.Year == 0 {
		r.Year = w.opts.Year
	} else if w.opts.Year != 0 && r.Year != w.opts.Year {
		out.Guesses = append(out.Guesses, Guess{Note: fmt.Sprintf("原件写的年度是 %d，与 -year %d 不同：按原件写入 %d/ 目录，请核对", r.Year, w.opts.Year, r.Year)})
	}
	if r.Year < 1900 || r.Year > 2100 {
		out.Status, out.Problem = StatusFailed, "原件中没有找到评价的年度：用 -year 指定，例如 -year 2023"
		return out
	}
	if prev := w.already(id); prev != "" {
		out.Status, out.Record = StatusAlready, prev
		return out
	}
	dir := filepath.Join(w.opts.Content, strconv.Itoa(r.Year), "evaluations")
	slug := w.slug(dir, Slug(r.Title))
	out.Record = filepath.Join(dir, slug+".toml")
	if d.Narrative != nil {
		out.Narrative = filepath.Join(dir, slug+".md")
	}
	w.taken[out.Record] = true
	body := encode(d, slug, id)
	if w.opts.DryRun {
		// Remembered as if written, so that the same file named twice
		// reports in a dry run what it would in a real one.
		w.imported[id.String()] = out.Record
		out.Status = StatusDryRun
		return out
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		out.Status, out.Problem = StatusFailed, fmt.Sprintf("无法创建目录 %s：%v", dir, err)
		return out
	}
	if err := createNew(out.Record, body); err != nil {
		out.Status, out.Problem = StatusFailed, writeProblem(out.Record, err)
		return out
	}
	if d.Narrative != nil {
		if err := createNew(out.Narrative, d.Narrative); err != nil {
			// Leave no record without its narrative: the staffer would
			// review a record whose text is missing.
			os.Remove(out.Record)
			out.Status, out.Problem = StatusFailed, writeProblem(out.Narrative, err)
			return out
		}
	}
	w.imported[id.String()] = out.Record
	out.Status = StatusWritten
	return out
}

func writeProblem(path string, err error) string {
	if errors.Is(err, fs.ErrExist) {
		return fmt.Sprintf("%s 刚被别的程序创建，没有改动它：请重新导入", path)
	}
	return fmt.Sprintf("无法写入 %s：%v", path, err)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// already returns the record an earlier import wrote from the same draft
// of the same file, "" if there is none.
func (w *writer) already(id sourceID) string {
	if w.imported == nil {
		w.imported = map[string]string{}
		records, _ := filepath.Glob(filepath.Join(w.opts.Content, "[0-9][0-9][0-9][0-9]", "evaluations", "*.toml"))
		for _, p := range records {
			if fp := readFingerprint(p); fp != "" {
				if _, dup := w.imported[fp]; !dup {
					w.imported[fp] = p
				}
			}
		}
	}
	return w.imported[id.String()]
}

// readFingerprint returns the import fingerprint in a record's leading
// comment lines, "" when it has none.
func readFingerprint(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := fingerprintRe.FindStringSubmatch(line); m != nil {
			return m[1]
		}
		if !strings.HasPrefix(line, "#") && strings.TrimSpace(line) != "" {
			return "" // the header ends at the first field
		}
	}
	return ""
}

// slug returns base, or base-2, base-3 … when a record, narrative or
// folder of that name exists in dir or this run already took it.
func (w *writer) slug(dir, base string) string {
	for n := 1; ; n++ {
		s := base
		if n > 1 {
			s = base + "-" + strconv.Itoa(n)
		}
		if w.taken[filepath.Join(dir, s+".toml")] {
			continue
		}
		free := true
		for _, name := range []string{s + ".toml", s + ".md", s} {
			if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
				free = false
			}
		}
		if free {
			return s
		}
	}
}

// createNew writes a file that must not exist yet: O_EXCL makes the check
// and the creation one step, so that a file an editor saves in between is
// never overwritten.
func createNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// encode writes a draft as a record file, in the order and with the
// comments of the record `evalpress new` writes, fields the source did not
// give left out.
func encode(d *Draft, slug string, id sourceID) []byte {
	r := d.Record
	var b bytes.Buffer
	e := &enc{b: &b}
	// The source's name goes into a comment: escaped, so that a file name
	// holding a line break cannot end the comment and start a field.
	e.comment("由 evalpress import 从 %s 导入（第 %d 条，共 %d 条）。", quoteComment(d.Source), id.n, id.of)
	e.comment("%s%s（再次导入同一文件时据此认出本记录，请保留这一行）", strings.TrimPrefix(fingerprintLine, "# "), id)
	e.comment("")
	e.comment("这是导入的草稿，网站不会公开它。请对照原件逐项核对：导入报告列出了每个字段取自")
	e.comment("原件的哪一格、哪些内容没有用上、哪些是推测的。核对无误后删去下面 draft = true")
	e.comment("这一行，再运行 evalpress check。")
	if d.Narrative != nil {
		e.comment("正文在同名的 %s.md 中。", slug)
	}
	b.WriteString("draft = true\n\n")

	e.str("项目名称", "title", r.Title)
	e.str("被评价的部门或单位", "department", r.Department)
	e.line("评价的预算年度", "year", strconv.Itoa(r.Year))
	e.str("评价类型：project 项目支出、department 部门整体支出、policy 政策、fiscal 财政运行综合", "kind", r.Kind)
	e.str("附件编号", "attachment", r.Attachment)
	e.str("评价机构", "evaluator", r.Evaluator)
	if r.BudgetInitial != nil || r.Budget != nil || r.Spent != nil || r.ExecutionRate != nil {
		e.comment("—— 项目资金（万元），照原件写法，不四舍五入 ——")
	}
	e.amount("年初预算数", "budget_initial", r.BudgetInitial)
	e.amount("全年预算数", "budget", r.Budget)
	e.amount("全年执行数", "spent", r.Spent)
	e.amount("执行率（%）", "execution_rate", r.ExecutionRate)
	e.str("年度总体目标（预期目标）", "goal", r.Goal)
	e.str("实际完成情况", "outcome", r.Outcome)
	e.str("评价方式：self 单位自评、department 部门评价、finance 财政评价、third-party 第三方评价", "method", r.Method)
	if r.Published != nil {
		e.line("公开日期", "published", r.Published.String())
	}
	if r.Congress {
		e.line("作为参阅件报送人大", "congress", "true")
	}
	e.strs("标签", "tags", r.Tags)
	e.str("系列", "series", r.Series)
	e.strs("确认公开的个人信息", "allow_personal_data", r.AllowPersonalData)
	if r.Score != nil {
		e.line("综合得分", "score", r.Score.String())
	}
	e.str("等级", "grade", r.Grade)

	for _, f := range r.Funds {
		b.WriteString("\n[[funds]]\n")
		e.str("", "source", f.Source)
		e.amount("", "budget_initial", f.BudgetInitial)
		e.amount("", "budget", f.Budget)
		e.amount("", "spent", f.Spent)
	}
	if len(r.Indicators) > 0 {
		b.WriteString("\n")
		e.comment("评分表：每个 [[indicators]] 是一项一级指标（name 名称、max 分值、score 得分、grade 等级）。")
	}
	e.indicators(r.Indicators, "indicators", "")
	if v := r.Review; v != nil {
		b.WriteString("\n[review]\n")
		e.str("", "by", v.By)
		if v.Score != nil {
			e.line("", "score", v.Score.String())
		}
		e.str("", "grade", v.Grade)
		if v.Official {
			e.line("", "official", "true")
		}
	}
	for _, f := range r.Findings {
		b.WriteString("\n[[findings]]\n")
		e.str("", "problem", f.Problem)
		e.str("", "measure", f.Measure)
		e.str("", "owner", f.Owner)
		if f.Deadline != nil {
			e.line("", "deadline", f.Deadline.String())
		}
		e.str("", "status", f.Status)
		if f.Done != nil {
			e.line("", "done", f.Done.String())
		}
		e.str("", "result", f.Result)
	}
	if u := r.ResultUse; u != nil {
		b.WriteString("\n[result_use]\n")
		e.str("", "decision", u.Decision)
		e.amount("", "next_budget", u.NextBudget)
		e.str("", "note", u.Note)
	}
	for _, doc := range r.Documents {
		b.WriteString("\n[[documents]]\n")
		e.str("", "file", doc.File)
		e.str("", "title", doc.Title)
	}
	for _, c := range r.Corrections {
		b.WriteString("\n[[corrections]]\n")
		e.line("", "date", c.Date.String())
		e.str("", "note", c.Note)
	}
	for _, a := range r.Accepts {
		b.WriteString("\n[[accept]]\n")
		e.str("", "key", a.Key)
		e.str("", "reason", a.Reason)
	}
	return b.Bytes()
}

// enc writes the lines of a record file.
type enc struct {
	b      *bytes.Buffer
	indent string
}

func (e *enc) comment(format string, args ...any) {
	e.b.WriteString(e.indent)
	s := fmt.Sprintf(format, args...)
	if s == "" {
		e.b.WriteString("#\n")
		return
	}
	e.b.WriteString("# " + s + "\n")
}

// line writes key = value (value already TOML), after its comment.
func (e *enc) line(note, key, value string) {
	if note != "" {
		e.comment("%s", note)
	}
	e.b.WriteString(e.indent + key + " = " + value + "\n")
}

func (e *enc) str(note, key, s string) {
	if s != "" {
		e.line(note, key, quote(s))
	}
}

func (e *enc) strs(note, key string, ss []string) {
	if len(ss) == 0 {
		return
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	e.line(note, key, "["+strings.Join(q, ", ")+"]")
}

func (e *enc) amount(note, key string, a *decimal.Amount) {
	if a != nil {
		e.line(note, key, a.String()) // with its written places: 89.970 stays 89.970
	}
}

// indicators writes one level of the score table and, below each
// indicator, its items, indented like the template's.
func (e *enc) indicators(ins []*content.Indicator, table, indent string) {
	for _, in := range ins {
		e.indent = indent
		e.b.WriteString("\n" + indent + "[[" + table + "]]\n")
		e.str("", "name", in.Name)
		e.line("", "max", in.Max.String())
		e.line("", "score", in.Score.String())
		e.str("", "grade", in.Grade)
		e.str("", "target", in.Target)
		e.str("", "actual", in.Actual)
		e.str("", "deviation", in.Deviation)
		e.indicators(in.Items, table+".items", indent+"  ")
	}
	e.indent = ""
}

// quote writes s as a TOML basic string. TOML forbids control characters
// other than tab in a basic string and requires UTF-8, so every such
// character is written as an escape and invalid bytes become U+FFFD: no
// text from a source file can end the string or start a new key.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7F:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// quoteComment makes s safe inside a one-line comment: TOML comments may
// hold no control character but tab, and a line break would end it.
func quoteComment(s string) string {
	q := quote(s)
	return q[1 : len(q)-1]
}
