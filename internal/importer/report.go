package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
)

// Report is the account of one import run, for `evalpress import`'s text
// report and, field for field, its JSON report (-format json); the JSON
// names are part of the command's interface and documented in the README.
type Report struct {
	// DryRun is true when nothing was written.
	DryRun bool `json:"dry_run"`
	// Sources are the files read, in the order read.
	Sources []*Source `json:"sources"`
	// Skipped are the files of no supported kind, not read.
	Skipped []Skipped `json:"skipped"`
}

// Source is what one source file gave.
type Source struct {
	File string `json:"file"`
	// Error says in Chinese why the file gave no record; "" when it was
	// read.
	Error   string     `json:"error,omitempty"`
	Records []*Written `json:"records"`
}

// Skipped is a file that was not read, and why.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// The values of Written.Status.
const (
	// StatusWritten: the record (and narrative) were written.
	StatusWritten = "written"
	// StatusDryRun: the record would have been written (-dry-run).
	StatusDryRun = "dry-run"
	// StatusAlready: an earlier import wrote this draft of this very file
	// (same bytes); Record names that record, which was left untouched.
	StatusAlready = "already-imported"
	// StatusFailed: the record could not be written; Problem says why.
	StatusFailed = "failed"
)

// Written is one draft of a source and what became of it.
type Written struct {
	Title string `json:"title"`
	// Status is one of the Status constants.
	Status string `json:"status"`
	// Record is the record file's path (written, to be written, or the
	// earlier import's); Narrative the narrative's, "" when none.
	Record    string `json:"record,omitempty"`
	Narrative string `json:"narrative,omitempty"`
	// Problem says in Chinese why a record was not written.
	Problem string    `json:"problem,omitempty"`
	Mapped  []Mapping `json:"mapped"`
	Unused  []Cell    `json:"unused"`
	Guesses []Guess   `json:"guesses"`
}

// Failed reports whether any source or record of the run failed: the
// command then exits with a non-zero status.
func (r *Report) Failed() bool {
	for _, s := range r.Sources {
		if s.Error != "" {
			return true
		}
		for _, w := range s.Records {
			if w.Status == StatusFailed {
				return true
			}
		}
	}
	return false
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	if r.Sources == nil {
		r.Sources = []*Source{}
	}
	if r.Skipped == nil {
		r.Skipped = []Skipped{}
	}
	for _, s := range r.Sources {
		if s.Records == nil {
			s.Records = []*Written{}
		}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes the report for people, in Chinese: per source file,
// each record with its path, every mapped cell with the field it became,
// every unused non-empty cell and every guess. Texts from the source are
// escaped (diag.Escape): a cell holding ESC [2J must not clear the
// staffer's terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	written, already, failed := 0, 0, 0
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "== %s\n", diag.Escape(s.File))
		if s.Error != "" {
			fmt.Fprintf(&b, "  错误：%s\n", diag.Escape(s.Error))
			failed++
		}
		for _, rec := range s.Records {
			title := diag.Escape(rec.Title)
			switch rec.Status {
			case StatusWritten:
				written++
				fmt.Fprintf(&b, "  已写入草稿：%s（%s）\n", diag.Escape(rec.Record), title)
			case StatusDryRun:
				written++
				fmt.Fprintf(&b, "  将写入草稿：%s（%s）\n", diag.Escape(rec.Record), title)
			case StatusAlready:
				already++
				fmt.Fprintf(&b, "  已导入过：%s（%s）：同一文件的这条评价以前导入到了这里，没有改动它\n", diag.Escape(rec.Record), title)
				continue
			case StatusFailed:
				failed++
				fmt.Fprintf(&b, "  错误：%s：%s\n", title, diag.Escape(rec.Problem))
			}
			if rec.Narrative != "" {
				fmt.Fprintf(&b, "    正文：%s\n", diag.Escape(rec.Narrative))
			}
			fmt.Fprintf(&b, "    取用的内容（%d 处）：\n", len(rec.Mapped))
			for _, m := range rec.Mapped {
				fmt.Fprintf(&b, "      %s → %s%s\n", diag.Escape(m.Ref), FieldLabel(m.Field), short(m.Text))
			}
			fmt.Fprintf(&b, "    没有用上的内容（%d 处，请确认无需填写）：\n", len(rec.Unused))
			for _, c := range rec.Unused {
				fmt.Fprintf(&b, "      %s %s\n", diag.Escape(c.Ref), short(c.Text))
			}
			fmt.Fprintf(&b, "    推测（%d 处，请核对）：\n", len(rec.Guesses))
			for _, g := range rec.Guesses {
				if g.Ref != "" {
					fmt.Fprintf(&b, "      %s：%s\n", diag.Escape(g.Ref), diag.Escape(g.Note))
				} else {
					fmt.Fprintf(&b, "      %s\n", diag.Escape(g.Note))
				}
			}
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("== 没有导入的文件\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "  %s：%s\n", diag.Escape(s.File), s.Reason)
		}
	}
	verb := "写入"
	if r.DryRun {
		verb = "将写入（试运行，没有写任何文件）"
	}
	fmt.Fprintf(&b, "导入完成：%d 个文件，%s %d 条草稿，%d 条以前已导入，%d 个错误，%d 个文件不支持。\n",
		len(r.Sources), verb, written, already, failed, len(r.Skipped))
	_, err := io.WriteString(w, b.String())
	return err
}

// short quotes a source text for one line of the report: escaped, and cut
// after 60 characters (the record holds it whole).
func short(s string) string {
	const limit = 60
	rs := []rune(s)
	if len(rs) > limit {
		s = string(rs[:limit]) + "……"
	}
	return diag.Escape(s)
}

// fieldLabels are the Chinese names of the record's fields, as the
// record's comments and the guide call them.
var fieldLabels = map[string]string{
	"title": "项目名称", "department": "部门", "year": "年度", "kind": "评价类型",
	"attachment": "附件编号", "evaluator": "评价机构", "budget_initial": "年初预算数",
	"budget": "全年预算数", "spent": "全年执行数", "execution_rate": "执行率",
	"goal": "年度总体目标", "outcome": "实际完成情况", "method": "评价方式",
	"published": "公开日期", "score": "得分", "grade": "等级", "narrative": "正文",
	"name": "名称", "max": "分值", "target": "年度指标值", "actual": "实际完成值",
	"deviation": "偏差原因分析及改进措施", "source": "资金来源", "by": "复核单位",
	"problem": "问题", "measure": "整改措施", "next_budget": "下年度安排",
}

// FieldLabel writes a field key with its Chinese name for the report:
// "spent（全年执行数）", "indicators[1].score（第2个一级指标的得分）".
func FieldLabel(key string) string {
	if strings.Contains(key, "[") {
		if w := content.Where(key, func(string) string { return "" }); w != "" {
			return key + "（" + w + "）"
		}
	}
	if key == "review.score" {
		return key + "（复核得分）"
	}
	leaf := key
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		leaf = key[i+1:]
	}
	if l, ok := fieldLabels[leaf]; ok {
		return key + "（" + l + "）"
	}
	return key
}
