package scaffold

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/privacy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// site makes a content folder with the default site.toml and nothing else.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("../../testdata/seed/site.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestNew(t *testing.T) {
	dir := site(t)
	paths, err := New(dir, 2024, "example-project")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "2024", "evaluations", "example-project.toml"),
		filepath.Join(dir, "2024", "evaluations", "example-project.md"),
	}
	if len(paths) != 2 || paths[0] != want[0] || paths[1] != want[1] {
		t.Fatalf("New returned %q, want %q", paths, want)
	}
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", filepath.Base(p)+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		wantB, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wantB) {
			t.Errorf("%s differs from %s; run go test -update and inspect the diff", filepath.Base(p), golden)
		}
	}
}

// TestNewLoads checks that the new record passes the loader, the scorer and
// every check of `evalpress check` without a warning, and stays unpublished.
func TestNewLoads(t *testing.T) {
	dir := site(t)
	if _, err := New(dir, 2024, "example-project"); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	for _, d := range l.Items() {
		t.Errorf("load: %s", d)
	}
	if len(c.Records) != 1 {
		t.Fatalf("loaded %d records, want 1", len(c.Records))
	}
	r := c.Records[0]
	if !r.Draft || r.Year != 2024 || r.Slug != "example-project" || r.Kind != "project" || r.Narrative == nil {
		t.Errorf("record: draft %v, year %d, slug %q, kind %q, narrative %v; want a 2024 project draft with a narrative",
			r.Draft, r.Year, r.Slug, r.Kind, r.Narrative != nil)
	}
	var names []string
	for _, in := range r.Indicators {
		names = append(names, in.Name+":"+in.Max.String()+":"+in.Score.String())
	}
	if got, want := strings.Join(names, " "), "项目决策:20:0 项目过程:20:0 项目产出:40:0 项目效益:20:0"; got != want {
		t.Errorf("indicators = %s, want %s", got, want)
	}

	var p diag.List
	privacy.CheckRecord(r, nil, &p)
	for _, d := range p.Items() {
		t.Errorf("personal-data check: %s", d)
	}

	var b diag.List
	stats, err := pipeline.Check(context.Background(), pipeline.Options{Content: dir}, &b)
	if err != nil {
		t.Errorf("evalpress check: %v", err)
	}
	for _, d := range b.Items() {
		t.Errorf("evalpress check: %s", d)
	}
	if stats.Evaluations != 0 || stats.Withheld != 1 {
		t.Errorf("check: %d published, %d withheld; want the new record withheld", stats.Evaluations, stats.Withheld)
	}
}

// TestNarrativeNotes checks that the notes at the top of the narrative do
// not reach the page, and that its first heading is 二: 一 is the score
// table, made from the record.
func TestNarrativeNotes(t *testing.T) {
	dir := site(t)
	paths, err := New(dir, 2024, "x")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	doc, err := narrative.New().Render(src)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc.HTML), "说明") || strings.Contains(doc.Text, "[//]") {
		t.Errorf("the notes show on the page:\n%s", doc.HTML)
	}
	var hs []string
	for _, h := range doc.Headings {
		hs = append(hs, h.Text)
	}
	want := "二、项目绩效评价指标情况 三、项目成效、存在的问题和原因 （一）项目取得的主要成效 （二）存在的问题和原因 四、下一步拟改进措施"
	if strings.Join(hs, " ") != want {
		t.Errorf("headings = %q, want %s", hs, want)
	}
}

// TestEveryField checks that the record names every field of the content
// model, so that a staffer finds each one in the file.
func TestEveryField(t *testing.T) {
	dir := site(t)
	paths, err := New(dir, 2024, "x")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"title", "department", "year", "kind", "attachment", "evaluator", "budget", "spent",
		"published", "draft", "congress", "tags", "series", "score", "grade", "allow_personal_data",
		"[[indicators]]", "name", "max", "[[indicators.items]]", "[[indicators.items.items]]", "target", "actual",
		// The second edition of the record.
		"budget_initial", "execution_rate", "[[funds]]", "source", "goal", "outcome", "method", "deviation",
		"[review]", "by", "official", "[[findings]]", "problem", "measure", "owner", "deadline", "status", "done", "result",
		"[result_use]", "decision", "next_budget", "note", "[[documents]]", "file", "[[corrections]]", "date",
		"[[accept]]", "key", "reason"} {
		if !bytes.Contains(src, []byte(f+" = ")) && !bytes.Contains(src, []byte(f+"\n")) {
			t.Errorf("the record does not show %s", f)
		}
	}
	for _, names := range []map[string]string{content.Kinds, content.Methods, content.Statuses, content.Decisions} {
		for k := range names {
			if !bytes.Contains(src, []byte(k+"（"+names[k]+"）")) {
				t.Errorf("the record does not explain the value %s", k)
			}
		}
	}
	// In the order of the national form: money, goal, indicators with
	// their deviation, method and review, findings, result use,
	// documents, corrections, acknowledgements. TOML puts every plain
	// field before the first table, so method (a plain field) comes with
	// the money and the goal, and the fund rows after them.
	last := -1
	for _, f := range []string{"# budget_initial = ", "# goal = ", "# method = ", "\n# [[funds]]", "\n[[indicators]]",
		"# deviation = ", "\n# [review]", "\n# [[findings]]", "\n# [result_use]", "\n# [[documents]]",
		"\n# [[corrections]]", "\n# [[accept]]"} {
		i := bytes.Index(src, []byte(f))
		if i <= last {
			t.Errorf("%s is out of the national form's order", f)
		}
		last = i
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	for _, existing := range []string{"x.toml", "x.md"} {
		t.Run(existing, func(t *testing.T) {
			dir := site(t)
			ev := filepath.Join(dir, "2024", "evaluations")
			if err := os.MkdirAll(ev, 0o755); err != nil {
				t.Fatal(err)
			}
			old := []byte("旧内容\n")
			if err := os.WriteFile(filepath.Join(ev, existing), old, 0o644); err != nil {
				t.Fatal(err)
			}
			paths, err := New(dir, 2024, "x")
			if err == nil || !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "已存在") {
				t.Fatalf("New over %s = %q, %v; want an error wrapping fs.ErrExist", existing, paths, err)
			}
			entries, _ := os.ReadDir(ev)
			if len(entries) != 1 {
				t.Errorf("New wrote files beside the existing %s: %v", existing, entries)
			}
			if got, _ := os.ReadFile(filepath.Join(ev, existing)); !bytes.Equal(got, old) {
				t.Errorf("%s was changed", existing)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		year int
		slug string
		want string // in the message
	}{
		{999, "x", "四位数字"},
		{1899, "x", "1900 到 2100"},
		{2101, "x", "1900 到 2100"},
		{20240, "x", "四位数字"},
		{2024, "", "缺少名称"},
		{2024, "-x", "不能以 - 开头或结尾"},
		{2024, "x-", "不能以 - 开头或结尾"},
		{2024, "Digital-City", "小写（改为 digital-city）"},
		{2024, "数字城管", "中文项目名称写在记录的 title 中"},
		{2024, "digital_city", "不能用的字符"},
		{2024, "a b", "不能用的字符"},
		{2024, "../x", "不能用的字符"},
		{2024, "x.toml", "不能用的字符"},
		{2024, "con", "Windows"},
		{2024, "lpt1", "Windows"},
		{2024, strings.Repeat("a", 101), "名称太长"},
	}
	for _, tt := range tests {
		dir := site(t)
		paths, err := New(dir, tt.year, tt.slug)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%d, %q) = %q, %v; want an error saying %s", tt.year, tt.slug, paths, err, tt.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("New(%d, %q) created %v", tt.year, tt.slug, entries)
		}
	}
	if _, err := New(filepath.Join(t.TempDir(), "contnet"), 2024, "x"); err == nil || !strings.Contains(err.Error(), "找不到内容目录") {
		t.Errorf("New in a missing content folder: %v; want 找不到内容目录", err)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		arg  string
		year int
		slug string
		want string // error message part; "" for success
	}{
		{"2024/digital-city", 2024, "digital-city", ""},
		{`2024\digital-city`, 2024, "digital-city", ""},
		{"digital-city", 0, "", "年份/名称"},
		{"2024/a/b", 0, "", "年份/名称"},
		{"24/x", 0, "", "四位数字"},
		{"２０２４/x", 0, "", "四位数字"},
		{"2024/", 0, "", "缺少名称"},
		{"1800/x", 0, "", "1900 到 2100"},
		{"2024/X", 0, "", "小写"},
	}
	for _, tt := range tests {
		y, s, err := ParseTarget(tt.arg)
		switch {
		case tt.want == "" && (err != nil || y != tt.year || s != tt.slug):
			t.Errorf("ParseTarget(%q) = %d, %q, %v; want %d, %q", tt.arg, y, s, err, tt.year, tt.slug)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ParseTarget(%q) = %d, %q, %v; want an error saying %s", tt.arg, y, s, err, tt.want)
		}
	}
}

// TestUncommented checks that every example in the record's comments is
// valid as written: a staffer uncomments a line and edits its value.
func TestUncommented(t *testing.T) {
	dir := site(t)
	paths, err := New(dir, 2024, "x")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	// allow_personal_data stays commented: the loader does not read it yet,
	// and its example number acknowledges nothing in this record.
	example := regexp.MustCompile(`(?m)^(\s*)#\s*(\[|[a-z_]+ = )`)
	out := example.ReplaceAllFunc(src, func(m []byte) []byte {
		if bytes.Contains(m, []byte(privacy.AllowKey)) {
			return m
		}
		return example.ReplaceAll(m, []byte("$1$2"))
	})
	if n := len(example.FindAll(src, -1)); n < 20 {
		t.Fatalf("only %d examples found", n)
	}
	if err := os.WriteFile(paths[0], out, 0o644); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	for _, d := range l.Items() {
		t.Errorf("uncommented: %s", d)
	}
	if len(c.Records) != 1 {
		t.Fatalf("uncommented: %d records loaded, want 1", len(c.Records))
	}
	r := c.Records[0]
	if r.Attachment == "" || r.Evaluator == "" || r.Budget == nil || r.Spent == nil || r.Published == nil ||
		!r.Congress || len(r.Tags) != 1 || r.Series != "x" || r.Score == nil || r.Grade == "" ||
		r.Indicators[0].Grade == "" || len(r.Indicators[0].Items) != 1 || r.Indicators[0].Items[0].Items[0].Actual != "100%" {
		t.Errorf("uncommented record lacks a field: %+v", r)
	}
	// The second edition, in the order of the national form.
	if r.BudgetInitial == nil || r.ExecutionRate == nil || len(r.Funds) != 1 || r.Goal == "" || r.Outcome == "" ||
		r.Method == "" || r.Indicators[0].Deviation == "" || r.Indicators[0].Items[0].Items[0].Deviation == "" ||
		r.Review == nil || !r.Review.Official || len(r.Findings) != 1 || r.ResultUse == nil ||
		len(r.Documents) != 1 || r.Documents[0].File != "x/评价报告.pdf" || len(r.Corrections) != 1 || len(r.Accepts) != 1 {
		t.Errorf("uncommented record lacks a field of the second edition: %+v", r)
	}
}
