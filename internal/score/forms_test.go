package score

import (
	"os"
	"strings"
	"testing"
	gotime "time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

// loadFull loads the whole-site fixture with every field of the second
// edition.
func loadFull(t *testing.T) *content.Record {
	t.Helper()
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/full"), "content", &l)
	if len(l.Items()) != 0 || len(c.Records) != 1 {
		t.Fatalf("loading the fixture: %v", l.Items())
	}
	return c.Records[0]
}

func TestEvaluateFullRecord(t *testing.T) {
	r := loadFull(t)
	var l diag.List
	e := EvaluateAt([]*content.Record{r}, DefaultBands, content.Date{Year: 2024, Month: 7, Day: 1}, &l)[0]
	// Its one discrepancy is acknowledged: a note, no warning.
	items := l.Items()
	if len(items) != 1 || items[0].Severity != diag.Note || items[0].Field != "indicators[1].grade" ||
		!strings.Contains(items[0].Message, "按公布文件原样公开") {
		t.Fatalf("diagnostics = %v, want one note on indicators[1].grade", items)
	}
	if l.Failed(true) {
		t.Error("an acknowledged discrepancy fails -strict")
	}
	// The official review drives the headline; the self-evaluation is
	// shown beside it.
	if e.Total != d("86") || e.GradeShown != "良" || e.Official != "复核结果" || e.GradeRank != 1 || e.Rate != d("86") {
		t.Errorf("headline %s %s %q rank %d rate %s, want 86 良 复核结果 1 86", e.Total, e.GradeShown, e.Official, e.GradeRank, e.Rate)
	}
	if o := e.Other; o == nil || o.Label != "单位自评结果" || o.Total != d("91") || o.Grade != "优" || o.By != "示例县交通运输局" {
		t.Errorf("other = %+v, want the self-evaluation 91 优", e.Other)
	}
	if e.Execution != "89.97" || e.ExecutionComputed != d("89.97") || !e.HasExecutionComputed || e.Overspent {
		t.Errorf("execution %q computed %s overspent %v", e.Execution, e.ExecutionComputed, e.Overspent)
	}
	if len(e.Findings) != 2 || e.Findings[0].Overdue || !e.Findings[1].Overdue || e.Findings[1].StatusName != "整改中" {
		t.Errorf("findings = %+v", e.Findings)
	}
	if n, done, overdue := e.FindingCounts(); n != 2 || done != 1 || overdue != 1 {
		t.Errorf("FindingCounts() = %d, %d, %d; want 2, 1, 1", n, done, overdue)
	}
	if e.MethodName() != "单位自评" || e.DecisionName() != "调减" {
		t.Errorf("MethodName %q DecisionName %q", e.MethodName(), e.DecisionName())
	}
	if len(e.Discrepancies) != 1 || !e.Discrepancies[0].Accepted || e.Discrepancies[0].Reason != "按公布文件原样公开" ||
		len(e.Notes) != 1 || !e.Mismatch() {
		t.Errorf("discrepancies %+v notes %v", e.Discrepancies, e.Notes)
	}
	if len(e.Acknowledged) != 1 || e.Acknowledged[0].Key != "indicators[1].grade" {
		t.Errorf("acknowledged = %+v", e.Acknowledged)
	}
	row := e.Rows()[len(e.Rows())-2] // 效益指标
	if row.Name != "效益指标" || row.GradeShown != "良" || row.Reason != "按公布文件原样公开" || row.Deviation == "" {
		t.Errorf("row = %+v", row)
	}
	if dev := e.Rows()[2].Deviation; !strings.Contains(dev, "汛期") || e.Rows()[2].Level != 3 {
		t.Errorf("third-level row = %+v", e.Rows()[2])
	}
	// Without the build's date nothing is overdue.
	e = Evaluate([]*content.Record{r}, DefaultBands, &diag.List{})[0]
	if e.Findings[1].Overdue {
		t.Error("a finding is overdue without a date to judge it on")
	}
	// On the deadline itself it is not overdue yet.
	e = EvaluateAt([]*content.Record{r}, DefaultBands, content.Date{Year: 2024, Month: 6, Day: 30}, &diag.List{})[0]
	if e.Findings[1].Overdue {
		t.Error("a finding is overdue on its deadline")
	}
}

func amount(s string) *decimal.Amount {
	a, err := decimal.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return &a
}

func date(y int, m int, day int) *content.Date {
	return &content.Date{Year: y, Month: month(m), Day: day}
}

func TestFormsChecks(t *testing.T) {
	today := content.Date{Year: 2024, Month: 7, Day: 1}
	tests := []struct {
		name string
		edit func(r *content.Record)
		want []string // findings as strings, in order
	}{
		{"rate as published", func(r *content.Record) {
			r.Budget, r.Spent, r.ExecutionRate = amount("90"), amount("89.974"), amount("99.97")
		}, nil},
		{"rate cut, not rounded", func(r *content.Record) {
			r.Budget, r.Spent, r.ExecutionRate = amount("3"), amount("2"), amount("66.66")
		}, nil},
		{"rate wrong in the last place", func(r *content.Record) {
			r.Budget, r.Spent, r.ExecutionRate = amount("90"), amount("89.974"), amount("99.98")
		}, []string{"x.toml:5:1: warning: execution_rate: 填写的执行率 99.98% 与 spent ÷ budget 不符：89.974 ÷ 90 × 100 = 99.97%"}},
		{"rate without budget is not checked", func(r *content.Record) {
			r.Spent, r.ExecutionRate = amount("89.974"), amount("50")
		}, nil},
		{"funds add up", func(r *content.Record) {
			r.Budget, r.Spent = amount("100"), amount("89.974")
			r.Funds = []*content.Fund{{Key: "funds[0]", Source: "a", Budget: amount("90"), Spent: amount("80.974")},
				{Key: "funds[1]", Source: "b", Budget: amount("10"), Spent: amount("9")}}
		}, nil},
		{"funds do not add up", func(r *content.Record) {
			r.Budget, r.Spent = amount("100"), amount("89.974")
			r.Funds = []*content.Fund{{Key: "funds[0]", Source: "a", Budget: amount("90"), Spent: amount("80.97")},
				{Key: "funds[1]", Source: "b", Budget: amount("10"), Spent: amount("9")}}
		}, []string{"x.toml:7:1: warning: funds.spent: [[funds]] 各行的 spent（全年执行数）合计 89.97 万元，与 spent = 89.974 万元不一致"}},
		{"funds without a record total are not summed", func(r *content.Record) {
			r.Funds = []*content.Fund{{Key: "funds[0]", Source: "a", Budget: amount("90")}}
		}, nil},
		{"review grade against its score", func(r *content.Record) {
			r.Review = &content.Review{By: "财政局", Score: ptr(d("86")), Grade: "优", Official: true}
		}, []string{"x.toml:11:1: warning: review.grade: 复核填写的等级“优”与复核得分不符：86 分按等级标准应为“良”"}},
		{"review above full marks", func(r *content.Record) {
			r.Review = &content.Review{Score: ptr(d("101"))}
		}, []string{"x.toml:10:1: error: review.score: 复核得分 101 超过了满分 100"}},
		{"deadline before the evaluation year", func(r *content.Record) {
			r.Findings = []*content.Finding{{Key: "findings[0]", Problem: "p", Status: "open", Deadline: date(2022, 12, 31)}}
		}, []string{"x.toml:12:1: warning: findings[0].deadline: 第1条问题「p」的整改期限：整改期限 2022-12-31 早于评价的预算年度 2023 年"}},
		{"done after today", func(r *content.Record) {
			r.Findings = []*content.Finding{{Key: "findings[0]", Problem: "p", Status: "done", Done: date(2024, 7, 2)}}
		}, []string{"x.toml:13:1: warning: findings[0].done: 第1条问题「p」的完成日期：完成日期 2024-07-02 晚于今天（2024-07-01）"}},
		{"done today", func(r *content.Record) {
			r.Findings = []*content.Finding{{Key: "findings[0]", Problem: "p", Status: "done", Done: date(2024, 7, 1)}}
		}, nil},
		{"correction after today", func(r *content.Record) {
			r.Corrections = []*content.Correction{{Date: content.Date{Year: 2024, Month: 6, Day: 1}, Note: "n"},
				{Date: content.Date{Year: 2024, Month: 8, Day: 1}, Note: "n"}}
		}, []string{"x.toml:15:1: warning: corrections[1].date: 更新日期 2024-08-01 晚于今天（2024-07-01）"}},
		{"acknowledged discrepancy is a note", func(r *content.Record) {
			r.Score = ptr(d("91"))
			r.Accepts = []*content.Accept{{Key: "score", Reason: "按原文", At: "accept[0]"}}
		}, []string{"x.toml:3:1: note: score: 填写的综合得分 91 与一级指标得分合计 90 不一致；已确认（accept[0]）：按原文"}},
		{"stale acknowledgement is a warning", func(r *content.Record) {
			r.Accepts = []*content.Accept{{Key: "indicators[0].grade", Reason: "按原文", At: "accept[0]"}}
		}, []string{"x.toml:14:1: warning: accept[0].key: [[accept]] 确认的 \"indicators[0].grade\" 没有对应的警告"}},
		{"errors cannot be acknowledged", func(r *content.Record) {
			r.Score = ptr(d("120"))
			r.Indicators = nil
			r.Accepts = []*content.Accept{{Key: "score", Reason: "按原文", At: "accept[0]"}}
		}, []string{"x.toml:3:1: error: score: 综合得分 120 超过了满分 100", "x.toml:14:1: warning: accept[0].key: [[accept]] 确认的 \"score\" 没有对应的警告（错误必须改正"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rec(ind("indicators[0]", "决策", "100", "90", ""))
			f := "content/2023/evaluations/x.toml"
			r.Pos = content.KeyPositions(map[string]diag.Pos{
				"score": {File: f, Line: 3, Col: 1}, "execution_rate": {File: f, Line: 5, Col: 1},
				"budget": {File: f, Line: 6, Col: 1}, "spent": {File: f, Line: 7, Col: 1},
				"review.score": {File: f, Line: 10, Col: 1}, "review.grade": {File: f, Line: 11, Col: 1},
				"findings[0].deadline": {File: f, Line: 12, Col: 1}, "findings[0].done": {File: f, Line: 13, Col: 1},
				"accept[0].key": {File: f, Line: 14, Col: 1}, "corrections[1].date": {File: f, Line: 15, Col: 1},
			})
			tt.edit(r)
			var l diag.List
			EvaluateAt([]*content.Record{r}, DefaultBands, today, &l)
			items := l.Items()
			if len(items) != len(tt.want) {
				t.Fatalf("got %d findings, want %d: %v", len(items), len(tt.want), items)
			}
			for i, w := range tt.want {
				if !strings.Contains(items[i].String(), w) {
					t.Errorf("finding %d = %q, want it to contain %q", i, items[i], w)
				}
			}
		})
	}
}

func TestOverspentAndComputedRate(t *testing.T) {
	r := rec()
	r.Score = ptr(d("92"))
	r.Budget, r.Spent = amount("45"), amount("52.88")
	e := Evaluate([]*content.Record{r}, DefaultBands, &diag.List{})[0]
	if !e.Overspent || e.Execution != "117.51" || e.ExecutionComputed != d("117.51") {
		t.Errorf("overspent %v execution %q, want true 117.51", e.Overspent, e.Execution)
	}
	r.Spent = amount("45")
	if e := Evaluate([]*content.Record{r}, DefaultBands, &diag.List{})[0]; e.Overspent || e.Execution != "100.00" {
		t.Errorf("spent = budget: overspent %v execution %q", e.Overspent, e.Execution)
	}
}

func TestReviewNotOfficial(t *testing.T) {
	r := rec(ind("indicators[0]", "决策", "100", "90", ""))
	r.Method = "finance"
	r.Review = &content.Review{By: "省财政厅", Grade: "良"}
	e := Evaluate([]*content.Record{r}, DefaultBands, &diag.List{})[0]
	if e.Total != d("90") || e.GradeShown != "优" || e.Official != "财政评价结果" {
		t.Errorf("headline %s %s %q, want the record's own 90 优 财政评价结果", e.Total, e.GradeShown, e.Official)
	}
	if o := e.Other; o == nil || o.Label != "复核结果" || o.HasTotal || o.Grade != "良" || o.By != "省财政厅" {
		t.Errorf("other = %+v", e.Other)
	}
}

func month(m int) (out gotime.Month) { return gotime.Month(m) }

// TestLoaderAcknowledgementIsNotStale checks that an [[accept]] matched
// by the loader's own warning is not reported as matching nothing, and
// that the Evaluation lists it.
func TestLoaderAcknowledgementIsNotStale(t *testing.T) {
	r := rec(ind("indicators[0]", "满意度", "50", "45", ""), ind("indicators[1]", "满意度", "50", "45", ""))
	r.Accepts = []*content.Accept{{Key: "indicators[1].name", Reason: "原表如此", At: "accept[0]"}}
	r.AcceptedWarnings = []content.Acknowledgement{{Key: "indicators[1].name", Reason: "原表如此", Message: "m"}}
	var l diag.List
	e := Evaluate([]*content.Record{r}, DefaultBands, &l)[0]
	if items := l.Items(); len(items) != 0 {
		t.Errorf("diagnostics = %v, want none", items)
	}
	if len(e.Acknowledged) != 1 || e.Acknowledged[0].Key != "indicators[1].name" {
		t.Errorf("Acknowledged = %+v", e.Acknowledged)
	}
}
