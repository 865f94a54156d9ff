package content

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/diag"
)

// fullContent is the whole-site fixture with every field of the second
// edition of the record, shared by the tests of later stages.
const fullContent = "../../testdata/full"

func TestLoadFullRecord(t *testing.T) {
	var l diag.List
	c := Load(os.DirFS(fullContent), "content", &l)
	if items := l.Items(); len(items) != 0 {
		t.Fatalf("loading %s: %v", fullContent, items)
	}
	if len(c.Records) != 1 {
		t.Fatalf("got %d records, want 1", len(c.Records))
	}
	r := c.Records[0]
	if r.BudgetInitial.String() != "90" || r.Spent.String() != "89.974" || r.ExecutionRate.String() != "89.97" {
		t.Errorf("money = %v %v %v, want 90 89.974 89.97 as written", r.BudgetInitial, r.Spent, r.ExecutionRate)
	}
	if len(r.Funds) != 2 || r.Funds[0].Source != "本年财政拨款" || r.Funds[0].Spent.String() != "80.974" || r.Funds[1].Key != "funds[1]" {
		t.Errorf("funds = %+v", r.Funds)
	}
	if r.Goal == "" || r.Outcome == "" || r.Method != "self" {
		t.Errorf("goal %q outcome %q method %q", r.Goal, r.Outcome, r.Method)
	}
	if rv := r.Review; rv == nil || rv.By != "示例县财政局" || rv.Score.String() != "86" || rv.Grade != "良" || !rv.Official {
		t.Errorf("review = %+v", r.Review)
	}
	if dev := r.Indicators[0].Items[0].Items[0].Deviation; !strings.Contains(dev, "汛期") {
		t.Errorf("third-level deviation = %q", dev)
	}
	if r.Indicators[1].Deviation == "" {
		t.Error("first-level deviation missing")
	}
	if len(r.Findings) != 2 || r.Findings[0].Status != "done" || r.Findings[0].Done.String() != "2024-03-20" ||
		r.Findings[1].Status != "in-progress" || r.Findings[1].Deadline.String() != "2024-06-30" {
		t.Errorf("findings = %+v %+v", r.Findings[0], r.Findings[1])
	}
	if u := r.ResultUse; u == nil || u.Decision != "reduce" || u.NextBudget.String() != "80.5" {
		t.Errorf("result_use = %+v", r.ResultUse)
	}
	if len(r.Documents) != 1 || r.Documents[0].Name(r) != "2023/evaluations/road-maintenance/自评表.pdf" || r.Documents[0].Rest(r) != "自评表.pdf" {
		t.Errorf("documents = %+v", r.Documents)
	}
	if u := r.Updated(); u == nil || u.String() != "2024-05-10" {
		t.Errorf("Updated() = %v, want 2024-05-10", u)
	}
	if len(r.Accepts) != 1 || r.Accepts[0].Key != "indicators[1].grade" || r.Accepts[0].Reason != "按公布文件原样公开" {
		t.Errorf("accepts = %+v", r.Accepts)
	}
	// Every new key has its position, for the messages of later stages.
	for _, key := range []string{"execution_rate", "funds[1].spent", "review.grade", "findings[1].deadline",
		"result_use.decision", "documents[0].file", "corrections[0].date", "accept[0].key",
		"indicators[0].items[0].items[0].deviation"} {
		if p, ok := r.Pos.At(key); !ok || p.Line == 0 {
			t.Errorf("no position for %s", key)
		}
	}
	// Every new text is published, so the personal-data check covers it.
	var keys []string
	for _, tx := range r.PublishedTexts() {
		keys = append(keys, tx.Key)
	}
	for _, want := range []string{"funds[0].source", "goal", "outcome", "indicators[0].items[0].items[0].deviation",
		"method", "review.by", "review.grade", "findings[1].problem", "findings[0].result", "result_use.note",
		"documents[0].title", "corrections[0].note", "accept[0].reason"} {
		if !slices.Contains(keys, want) {
			t.Errorf("PublishedTexts lacks %s", want)
		}
	}
}

func TestUpdatedIsTheNewestCorrection(t *testing.T) {
	r := &Record{Corrections: []*Correction{
		{Date: Date{2024, 5, 10}}, {Date: Date{2024, 12, 1}}, {Date: Date{2024, 6, 30}},
	}}
	if u := r.Updated(); u == nil || *u != (Date{2024, 12, 1}) {
		t.Errorf("Updated() = %v, want 2024-12-01", u)
	}
	if (&Record{}).Updated() != nil {
		t.Error("Updated() of a record without corrections is not nil")
	}
}

func TestFormsDiagnostics(t *testing.T) {
	const head = "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = 90\n" // lines 1–4
	tests := []struct {
		name string
		body string
		want []string
		msg  string // in the first diagnostic's message
	}{
		{"amount with six places", "spent = 89.974125\n", nil, ""},
		{"amount with seven places", "spent = 89.9741251\n", []string{"5:1 error spent"}, "最多六位小数"},
		{"negative initial budget", "budget_initial = -1\n", []string{"5:1 error budget_initial"}, "不能为负数"},
		{"rate as text", "execution_rate = \"99%\"\n", []string{"5:1 error execution_rate"}, "应为数字"},
		{"rate with five places", "execution_rate = 99.97111\n", []string{"5:1 error execution_rate"}, "最多四位小数"},
		{"fund without amounts", "[[funds]]\nsource = \"本年财政拨款\"\n", []string{"5:1 error funds[0]"}, "没有任何金额"},
		{"fund without source", "[[funds]]\nspent = 1\n", []string{"5:1 error funds[0].source"}, "缺少必填字段"},
		{"fund row amount with seven places", "[[funds]]\nsource = \"s\"\nspent = 0.1234567\n", []string{"7:1 error funds[0].spent"}, "最多六位小数"},
		{"unknown method", "method = \"audit\"\n", []string{"5:1 error method"}, "单位自评"},
		{"review without result", "[review]\nby = \"x\"\n", []string{"5:1 error review"}, "没有复核结果"},
		{"review grade not a band", "[review]\ngrade = \"A\"\n", []string{"6:1 error review.grade"}, "只能是"},
		{"review typo", "[review]\nscroe = 80\n", []string{"5:1 error review", "6:1 error review.scroe"}, ""},
		{"finding without problem", "[[findings]]\nstatus = \"open\"\n", []string{"5:1 error findings[0].problem"}, "缺少必填字段"},
		{"bad status", "[[findings]]\nproblem = \"p\"\nstatus = \"closed\"\n", []string{"7:1 error findings[0].status"}, "已整改"},
		{"done without date", "[[findings]]\nproblem = \"p\"\nstatus = \"done\"\n", []string{"7:1 error findings[0].status"}, "完成日期"},
		{"date without done", "[[findings]]\nproblem = \"p\"\nstatus = \"open\"\ndone = 2024-01-02\n", []string{"8:1 error findings[0].done"}, "未整改"},
		{"deadline as text", "[[findings]]\nproblem = \"p\"\ndeadline = \"2024年6月\"\n", []string{"7:1 error findings[0].deadline"}, "应为日期"},
		{"bad decision", "[result_use]\ndecision = \"more\"\n", []string{"6:1 error result_use.decision"}, "调减"},
		{"empty result use", "[result_use]\n", []string{"5:1 error result_use"}, "空的"},
		{"next budget with seven places", "[result_use]\nnext_budget = 1.0000001\n", []string{"6:1 error result_use.next_budget"}, "最多六位小数"},
		{"document outside the folder", "[[documents]]\nfile = \"../../secret.pdf\"\n", []string{"6:1 error documents[0].file"}, "不在记录的文件夹"},
		{"document beside the record", "[[documents]]\nfile = \"report.pdf\"\n", []string{"6:1 error documents[0].file"}, "a/"},
		{"document absolute", "[[documents]]\nfile = \"/etc/passwd\"\n", []string{"6:1 error documents[0].file"}, "不在记录的文件夹"},
		{"document backslash", "[[documents]]\nfile = 'a\\r.pdf'\n", []string{"6:1 error documents[0].file"}, "反斜杠"},
		{"document listed twice", "[[documents]]\nfile = \"a/r.pdf\"\n[[documents]]\nfile = \"a/r.pdf\"\n", []string{"8:1 error documents[1].file"}, "已在 documents[0]"},
		{"correction without date", "[[corrections]]\nnote = \"n\"\n", []string{"5:1 error corrections[0].date"}, "缺少必填字段"},
		{"accept without reason", "[[accept]]\nkey = \"grade\"\n", []string{"5:1 error accept[0].reason"}, "缺少必填字段"},
		{"accept twice", "[[accept]]\nkey = \"grade\"\nreason = \"r\"\n[[accept]]\nkey = \"grade\"\nreason = \"r\"\n", []string{"9:1 error accept[1].key"}, "已在 accept[0]"},
		{"deviation with line breaks", "[[indicators]]\nname = \"n\"\nmax = 100\nscore = 90\ndeviation = \"\"\"\na\nb\"\"\"\n", nil, ""},
		{"deviation with a control character", "[[indicators]]\nname = \"n\"\nmax = 100\nscore = 90\ndeviation = \"a\\u001bb\"\n", []string{"9:1 error indicators[0].deviation"}, "控制字符"},
		{"too many funds", strings.Repeat("[[funds]]\nsource = \"s\"\nspent = 1\n", MaxFunds+1), []string{"5:1 error funds"}, "最多 20 项"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, map[string]string{rec: head + tt.body})
			got := shorts(ds)
			for i := range got {
				got[i] = strings.TrimPrefix(got[i], "content/"+rec+":")
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("diagnostics:\n got  %q\n want %q\n%v", got, tt.want, ds)
			}
			if tt.msg != "" && !strings.Contains(ds[0].Message+ds[0].Hint, tt.msg) {
				t.Errorf("message %q lacks %q", ds[0].Message+"（"+ds[0].Hint+"）", tt.msg)
			}
		})
	}
}

func TestPlaceholdersNeverPublish(t *testing.T) {
	const body = "title = \"（请填写项目名称）\"\ndepartment = \"民政局\"\nyear = 2023\n" +
		"[[indicators]]\nname = \"决策\"\nmax = 50\nscore = 0\n[[indicators]]\nname = \"过程\"\nmax = 50\nscore = 0\n"
	const md = "[//]: # (把每个“（请填写……）”换成原文。)\n\n## 二\n\n（请填写主要成效。）\n"
	c, ds := load(t, map[string]string{rec: body, "2023/evaluations/a.md": md})
	want := []string{
		"content/2023/evaluations/a.md:5:1 error",
		"content/2023/evaluations/a.toml:1:1 error title",
		"content/2023/evaluations/a.toml:7:1 error indicators[0].score",
	}
	if got := shorts(ds); !slices.Equal(got, want) {
		t.Fatalf("diagnostics:\n got  %q\n want %q\n%v", got, want, ds)
	}
	if len(c.Records) != 0 {
		t.Error("a record with placeholders was loaded for publishing")
	}
	// The same record as a draft is fine: it is not published.
	_, ds = load(t, map[string]string{rec: "draft = true\n" + body, "2023/evaluations/a.md": md})
	if len(ds) != 0 {
		t.Errorf("a draft with placeholders: %v", ds)
	}
	// Every published text is checked, the second edition's included.
	_, ds = load(t, map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = 90\n" +
		"[[findings]]\nproblem = \"（请填写发现的问题）\"\n"})
	if got := shorts(ds); !slices.Equal(got, []string{"content/" + rec + ":6:1 error findings[0].problem"}) {
		t.Errorf("placeholder in a finding: %v", ds)
	}
}

// TestLoaderWarningsCanBeAcknowledged checks that the loader's own
// warnings, like a duplicated indicator name that the published form
// holds, are acknowledged like the later stages' ones.
func TestLoaderWarningsCanBeAcknowledged(t *testing.T) {
	const body = "title = \"t\"\ndepartment = \"d\"\nyear = 2023\n" +
		"[[indicators]]\nname = \"满意度\"\nmax = 50\nscore = 45\n" +
		"[[indicators]]\nname = \"满意度\"\nmax = 50\nscore = 45\n" +
		"[[accept]]\nkey = \"indicators[1].name\"\nreason = \"原表如此\"\n"
	c, ds := load(t, map[string]string{rec: body})
	if got := shorts(ds); !slices.Equal(got, []string{"content/" + rec + ":9:1 note indicators[1].name"}) ||
		!strings.Contains(ds[0].Message, "原表如此") {
		t.Fatalf("diagnostics = %v, want one note", ds)
	}
	r := c.Records[0]
	if len(r.AcceptedWarnings) != 1 || r.AcceptedWarnings[0].Key != "indicators[1].name" || r.AcceptedWarnings[0].Reason != "原表如此" {
		t.Errorf("AcceptedWarnings = %+v", r.AcceptedWarnings)
	}
	// Without the [[accept]], a warning.
	_, ds = load(t, map[string]string{rec: body[:strings.Index(body, "[[accept]]")]})
	if got := shorts(ds); !slices.Equal(got, []string{"content/" + rec + ":9:1 warning indicators[1].name"}) {
		t.Errorf("diagnostics without the [[accept]] = %v", ds)
	}
}
