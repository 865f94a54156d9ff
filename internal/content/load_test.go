package content

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unsafe"

	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const siteTOML = `title = "潜江市财政局 预算绩效评价结果公开"
organization = "潜江市财政局"
base_url = "https://czj.example.gov.cn/jxgk"
`

const rec = "2023/evaluations/a.toml"

// load loads files (plus a valid site.toml unless files has one) under the
// prefix "content".
func load(t *testing.T, files map[string]string) (*Content, []diag.Diagnostic) {
	t.Helper()
	fsys := fstest.MapFS{}
	if _, ok := files["site.toml"]; !ok {
		fsys["site.toml"] = &fstest.MapFile{Data: []byte(siteTOML)}
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	var l diag.List
	c := Load(fsys, "content", &l)
	return c, l.Items()
}

// short formats a diagnostic as "file:line:col severity field", what the
// tables below assert on.
func short(d diag.Diagnostic) string {
	s := d.Pos.String() + " " + d.Severity.String()
	if d.Field != "" {
		s += " " + d.Field
	}
	return s
}

func shorts(ds []diag.Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = short(d)
	}
	return out
}

const minimal = `title = "t"
department = "d"
year = 2023
score = 90
`

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		// msg, if set, must occur in the first diagnostic's message+hint.
		msg string
	}{
		// Syntax.
		{"syntax error", map[string]string{rec: "title = \"t\"\ndepartment = \"d\nyear = 2023\n"},
			[]string{"content/" + rec + ":2:16 error"}, "TOML 格式错误"},

		// Types, at the block they are in, not the last occurrence.
		{"type error in second indicators block", map[string]string{rec: minimal + `
[[indicators]]
name = "决策"
max = 20
score = 17

[[indicators]]
name = "过程"
max = 30
score = "26.5分"

[[indicators]]
name = "产出"
max = 30
score = 30
`}, []string{"content/" + rec + ":14:1 error indicators[1].score"}, "应为数字"},
		{"type error in nested items", map[string]string{rec: minimal + `
[[indicators]]
name = "决策"
max = 20
score = 17
  [[indicators.items]]
  name = "a"
  max = 10
  score = 10
  [[indicators.items]]
  name = "b"
  max = "10"
  score = 7
[[indicators]]
name = "过程"
max = 30
score = 26
  [[indicators.items]]
  name = "a"
  max = 10
  score = 10
`}, []string{"content/" + rec + ":16:3 error indicators[0].items[1].max"}, "的分值：应为数字，这里写的是文本 \"10\""},
		{"year as string", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = \"2023\"\ngrade = \"优\"\n"},
			[]string{"content/" + rec + ":3:1 error year"}, "整数"},
		{"draft as string", map[string]string{rec: minimal + "draft = \"false\"\n"},
			[]string{"content/" + rec + ":5:1 error draft"}, "true"},
		{"published as string", map[string]string{rec: minimal + "published = \"2024-04-30\"\n"},
			[]string{"content/" + rec + ":5:1 error published"}, "日期"},
		{"tags element", map[string]string{rec: minimal + "tags = [\"民生\",\n  3]\n"},
			[]string{"content/" + rec + ":6:3 error tags[1]"}, "文本"},
		{"indicators as a table", map[string]string{rec: minimal + "[indicators]\nname = \"x\"\n"},
			[]string{"content/" + rec + ":5:1 error indicators"}, "[[indicators]]"},

		// Unknown keys.
		{"unknown key with suggestion", map[string]string{rec: minimal + "scroe = 3\n"},
			[]string{"content/" + rec + ":5:1 error scroe"}, "是否应为 score（得分）？"},
		{"unknown key in indicator", map[string]string{rec: minimal + "[[indicators]]\nname = \"a\"\nmax = 1\nscore = 1\nmaks = 2\n"},
			[]string{"content/" + rec + ":9:1 error indicators[0].maks"}, "max（分值）"},
		{"chinese key", map[string]string{rec: minimal + "\"部门\" = \"x\"\n"},
			[]string{"content/" + rec + ":5:1 error 部门"}, "department"},

		// Missing and empty fields.
		{"missing title", map[string]string{rec: "department = \"d\"\nyear = 2023\nscore = 1\n"},
			[]string{"content/" + rec + ":1:1 error title"}, "缺少必填字段 title（标题）"},
		{"empty department", map[string]string{rec: "title = \"t\"\ndepartment = \" \"\nyear = 2023\nscore = 1\n"},
			[]string{"content/" + rec + ":2:1 error department"}, "不能为空"},
		{"no result", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\n"},
			[]string{"content/" + rec + ":1:1 error"}, "缺少 indicators"},
		{"indicator without score", map[string]string{rec: minimal + "\n[[indicators]]\nname = \"a\"\nmax = 1\n"},
			[]string{"content/" + rec + ":6:1 error indicators[0].score"}, "score（得分）"},
		{"indicator without name", map[string]string{rec: minimal + "[[indicators]]\nmax = 1\nscore = 1\n"},
			[]string{"content/" + rec + ":5:1 error indicators[0].name"}, "第1个一级指标的指标名称：缺少必填字段"},

		// Years.
		{"year out of range", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 23\nscore = 1\n"},
			[]string{"content/" + rec + ":3:1 error year"}, "四位"},
		{"year differs from folder", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2022\nscore = 1\n"},
			[]string{"content/" + rec + ":3:1 error year"}, "2023/ 目录"},

		// Values.
		{"grade not a band", map[string]string{rec: minimal + "grade = \"A\"\n"},
			[]string{"content/" + rec + ":5:1 error grade"}, "优、良、中、差"},
		{"kind unknown", map[string]string{rec: minimal + "kind = \"program\"\n"},
			[]string{"content/" + rec + ":5:1 error kind"}, "project"},
		{"score above max", map[string]string{rec: minimal + "[[indicators]]\nname = \"a\"\nmax = 20\nscore = 20.5\n"},
			[]string{"content/" + rec + ":8:1 error indicators[0].score"}, "超过了分值"},
		{"score negative", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = -1\n"},
			[]string{"content/" + rec + ":4:1 error score"}, "小于 0"},
		{"score too precise", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = 93.456\n"},
			[]string{"content/" + rec + ":4:1 error score"}, "两位小数"},
		{"score nan", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = nan\n"},
			[]string{"content/" + rec + ":4:1 error score"}, "nan"},
		{"score inf", map[string]string{rec: "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = -inf\n"},
			[]string{"content/" + rec + ":4:1 error score"}, "nan"},
		{"max zero", map[string]string{rec: minimal + "[[indicators]]\nname = \"a\"\nmax = 0\nscore = 0\n"},
			[]string{"content/" + rec + ":7:1 error indicators[0].max"}, "大于 0"},
		{"budget negative", map[string]string{rec: minimal + "budget = -45\n"},
			[]string{"content/" + rec + ":5:1 error budget"}, "负数"},
		{"duplicate indicator names", map[string]string{rec: minimal + "[[indicators]]\nname = \"a\"\nmax = 1\nscore = 1\n[[indicators]]\nname = \"a\"\nmax = 1\nscore = 1\n"},
			[]string{"content/" + rec + ":10:1 warning indicators[1].name"}, "重复"},
		{"inline indicators", map[string]string{rec: minimal + "indicators = [\n  {name = \"a\", max = 1, score = 1},\n  {name = \"b\", max = 1, score = \"x\"},\n]\n"},
			[]string{"content/" + rec + ":7:25 error indicators[1].score"}, "数字"},

		// Files.
		{"narrative without record", map[string]string{"2023/evaluations/b.md": "# b\n"},
			[]string{"content/2023/evaluations/b.md error"}, "b.toml"},
		{"bad slug", map[string]string{"2023/evaluations/Digital City_2023.toml": minimal},
			[]string{"content/2023/evaluations/Digital City_2023.toml error"}, "digital-city-2023.toml"},
		{"upper-case slug", map[string]string{"2023/evaluations/Foo.toml": minimal},
			[]string{"content/2023/evaluations/Foo.toml warning"}, "foo.toml"},
		{"unexpected file", map[string]string{rec: minimal, "2023/evaluations/a.docx": "x"},
			[]string{"content/2023/evaluations/a.docx warning"}, ""},
		{"bad year folder", map[string]string{"2023年/evaluations/a.toml": minimal},
			[]string{"content/2023年 error"}, "四位"},
		{"unknown top-level entry", map[string]string{"notes.txt": "x", "templates/page.html": "x", "static/a.css": "x"},
			[]string{"content/notes.txt warning"}, ""},
		{"report.md without report.toml", map[string]string{"2023/report.md": "x"},
			[]string{"content/2023/report.md error"}, "report.toml"},
		{"empty site.toml", map[string]string{"site.toml": "", rec: minimal},
			[]string{"content/site.toml:1:1 error base_url", "content/site.toml:1:1 error organization", "content/site.toml:1:1 error title"}, ""},

		// Encodings.
		{"GBK record", map[string]string{rec: gbk("title = \"t\"\ndepartment = \"潜江市民政局\"\n")},
			[]string{"content/" + rec + ":2:15 error"}, "GBK"},
		{"GBK narrative", map[string]string{rec: minimal, "2023/evaluations/a.md": gbk("# 成效\n")},
			[]string{"content/2023/evaluations/a.md:1:3 error"}, "iconv -f GBK -t UTF-8"},
		{"BOM and CRLF", map[string]string{rec: "\uFEFFtitle = \"t\"\r\ndepartment = \"d\"\r\nyear = 2023\r\nscore = 90\r\nscroe = 1\r\n"},
			[]string{"content/" + rec + ":5:1 error scroe"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, tt.files)
			if got := shorts(ds); !slices.Equal(got, tt.want) {
				t.Fatalf("diagnostics:\ngot  %q\nwant %q\n%v", got, tt.want, ds)
			}
			if tt.msg != "" && !strings.Contains(ds[0].Message+ds[0].Hint, tt.msg) {
				t.Errorf("message %q, hint %q: want it to contain %q", ds[0].Message, ds[0].Hint, tt.msg)
			}
			for _, d := range ds {
				if d.Message == "" {
					t.Errorf("%s: empty message", d.Pos)
				}
				if d.Severity == diag.Error && d.Hint == "" {
					t.Errorf("%s: error without a hint", short(d))
				}
			}
		})
	}
}

func gbk(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestMissingSite(t *testing.T) {
	var l diag.List
	Load(fstest.MapFS{rec: &fstest.MapFile{Data: []byte(minimal)}}, "content", &l)
	if got, want := shorts(l.Items()), []string{"content/site.toml error"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSite(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		want     []string
		base     string
		path     string
		bands    string
		timeZone string
	}{
		{"defaults", siteTOML, nil, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优90 良80 中60 差0", "Asia/Shanghai"},
		{"root", "title = \"t\"\norganization = \"o\"\nbase_url = \"http://example.org\"\ntime_zone = \"UTC\"\n",
			nil, "http://example.org/", "/", "优90 良80 中60 差0", "UTC"},
		{"custom grades", siteTOML + "[grades]\n\"合格\" = 60\n\"优秀\" = 85.5\n\"不合格\" = 0\n",
			nil, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优秀85.5 合格60 不合格0", "Asia/Shanghai"},
		{"relative url", "title = \"t\"\norganization = \"o\"\nbase_url = \"/jxgk/\"\n",
			[]string{"content/site.toml:3:1 error base_url"}, "", "", "优90 良80 中60 差0", "Asia/Shanghai"},
		{"no zero band", siteTOML + "[grades]\n\"优\" = 90\n\"良\" = 80\n",
			[]string{"content/site.toml:4:1 error grades"}, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优90 良80 中60 差0", "Asia/Shanghai"},
		{"same bound", siteTOML + "[grades]\n\"优\" = 90\n\"良\" = 90\n\"差\" = 0\n",
			[]string{"content/site.toml:6:1 error grades.良"}, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优90 良80 中60 差0", "Asia/Shanghai"},
		{"bound above 100", siteTOML + "[grades]\n\"优\" = 190\n\"差\" = 0\n",
			[]string{"content/site.toml:5:1 error grades.优"}, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优90 良80 中60 差0", "Asia/Shanghai"},
		{"bad time zone", siteTOML + "time_zone = \"Beijing\"\n",
			[]string{"content/site.toml:4:1 error time_zone"}, "https://czj.example.gov.cn/jxgk/", "/jxgk/", "优90 良80 中60 差0", "Asia/Shanghai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ds := load(t, map[string]string{"site.toml": tt.src})
			if got := shorts(ds); !slices.Equal(got, tt.want) {
				t.Errorf("diagnostics: got %q, want %q", got, tt.want)
			}
			s := c.Site
			var bands []string
			for _, b := range s.Grades {
				bands = append(bands, b.Grade+b.Min.String())
			}
			if s.BaseURL != tt.base || s.BasePath != tt.path || strings.Join(bands, " ") != tt.bands || s.TimeZone != tt.timeZone {
				t.Errorf("got %q %q %q %q, want %q %q %q %q", s.BaseURL, s.BasePath, strings.Join(bands, " "), s.TimeZone,
					tt.base, tt.path, tt.bands, tt.timeZone)
			}
			// The zone is resolved here, once, for every later stage.
			if s.Location == nil || s.Location.String() != tt.timeZone {
				t.Errorf("Location: got %v, want %s", s.Location, tt.timeZone)
			}
		})
	}
}

const fullRecord = `# 附件1
title = "残疾人“两项补贴”项目"
department = "潜江市民政局"
year = 2023
kind = "policy"
attachment = "附件1"
evaluator = "潜江市财政局"
budget = 45.0
spent = 52.88
published = 2024-04-30
draft = false
congress = true
tags = ["民生", "残疾人"]
series = "disability-subsidies"
score = 93.5
grade = "优"

[[indicators]]
name = "项目决策"
max = 20
score = 17
grade = "良"
  [[indicators.items]]
  name = "立项依据充分性"
  max = 20
  score = 17
    [[ indicators . items . items ]]
    name = "补贴对象符合率"
    max = 20
    score = 17
    target = "100%"
    actual = 98.5

[[indicators]]
name = "项目过程"
max = 80
score = 76.5
`

func TestFullRecord(t *testing.T) {
	c, ds := load(t, map[string]string{
		"2023/evaluations/disability-subsidies.toml": fullRecord,
		"2023/evaluations/disability-subsidies.md":   "# 成效\n",
		"2022/evaluations/z.toml":                    strings.Replace(minimal, "2023", "2022", 1),
		"2023/report.toml":                           "title = \"说明\"\npublished = 2024-05-01T10:00:00+08:00\n[[figures]]\nlabel = \"项目\"\nvalue = 448\nunit = \"个\"\n[[figures]]\nlabel = \"资金\"\nvalue = 11.52\nunit = \"亿元\"\nnote = \"自评\"\n",
		"2023/report.md":                             "正文\n",
	})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if len(c.Records) != 2 || c.Records[0].Slug != "z" || c.Records[0].Year != 2022 {
		t.Fatalf("records not sorted by year: %+v", c.Records)
	}
	r := c.Records[1]
	d := func(s string) *decimal.D { n, _ := decimal.Parse(s); return &n }
	a := func(s string) *decimal.Amount { n, _ := decimal.ParseAmount(s); return &n }
	want := &Record{
		File: "content/2023/evaluations/disability-subsidies.toml", Slug: "disability-subsidies",
		Narrative: []byte("# 成效\n"), NarrativeFile: "content/2023/evaluations/disability-subsidies.md",
		Title: "残疾人“两项补贴”项目", Department: "潜江市民政局", Year: 2023, Kind: "policy",
		Attachment: "附件1", Evaluator: "潜江市财政局", Budget: a("45.0"), Spent: a("52.88"),
		Published: &Date{2024, 4, 30}, Congress: true, Tags: []string{"民生", "残疾人"},
		Series: "disability-subsidies", Score: d("93.5"), Grade: "优",
	}
	got := *r
	got.Indicators, got.Pos = nil, nil
	if g, w := sprint(&got), sprint(want); g != w {
		t.Errorf("record:\ngot  %s\nwant %s", g, w)
	}
	in := r.Indicators
	if len(in) != 2 || in[0].Name != "项目决策" || in[0].Max != *d("20") || in[0].Score != *d("17") || in[0].Grade != "良" ||
		in[1].Score != *d("76.5") || in[1].Key != "indicators[1]" {
		t.Errorf("indicators: %s", sprint(in))
	}
	leaf := in[0].Items[0].Items[0]
	if leaf.Key != "indicators[0].items[0].items[0]" || leaf.Target != "100%" || leaf.Actual != "98.5" || leaf.Name != "补贴对象符合率" {
		t.Errorf("leaf: %+v", leaf)
	}
	for key, want := range map[string]string{
		"title":                                "2:1",
		"indicators[0]":                        "18:1",
		"indicators[0].items[0]":               "23:3",
		"indicators[0].items[0].items[0]":      "27:5",
		"indicators[0].items[0].items[0].name": "28:5",
		"indicators[1].score":                  "37:1",
		"tags[1]":                              "13:15",
	} {
		p := r.At(key)
		if got := strings.TrimPrefix(p.String(), r.File+":"); got != want {
			t.Errorf("Pos[%q] = %s, want %s", key, got, want)
		}
	}
	if len(c.Reports) != 1 {
		t.Fatalf("reports: %+v", c.Reports)
	}
	rep := c.Reports[0]
	if rep.Title != "说明" || rep.Year != 2023 || *rep.Published != (Date{2024, 5, 1}) || string(rep.Narrative) != "正文\n" ||
		len(rep.Figures) != 2 || rep.Figures[1] != (Figure{"资金", "11.52", "亿元", "自评"}) || rep.Figures[0].Value != "448" {
		t.Errorf("report: %+v", rep)
	}
	if p, _ := rep.Pos.At("figures[1].value"); p.Line != 9 {
		t.Errorf("figures[1].value at %s, want line 9", p)
	}
}

// TestDefaultContent loads the project's own content tree, which must stay
// clean.
func TestDefaultContent(t *testing.T) {
	if _, err := os.Stat("../../testdata/seed/site.toml"); err != nil {
		t.Skip("no default content")
	}
	var l diag.List
	c := Load(os.DirFS("../../testdata/seed"), "content", &l)
	for _, d := range l.Items() {
		t.Error(d)
	}
	if len(c.Records) != 2 || len(c.Reports) != 1 {
		t.Errorf("got %d records, %d reports", len(c.Records), len(c.Reports))
	}
}

// sprint shows v with pointers followed, for comparing records.
func sprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// TestInspectNarrativeOfRecordsThatDoNotLoad: the narrative of a record
// whose .toml has an error (or whose narrative does) reaches
// InspectNarrative, in LoadWith and in LoadRecord, so the build can check
// it for personal data in the same run; a record that loads does not
// (Inspect has it), nor does a record without a narrative.
func TestInspectNarrativeOfRecordsThatDoNotLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                  {Data: []byte(siteTOML)},
		"2023/evaluations/good.toml": {Data: []byte(minimal)},
		"2023/evaluations/good.md":   {Data: []byte("好的说明\n")},
		"2023/evaluations/bad.toml":  {Data: []byte(minimal + "grade = \"良\n")},
		"2023/evaluations/bad.md":    {Data: []byte("坏记录的说明\n")},
		"2023/evaluations/lone.toml": {Data: []byte(minimal + "score = \"x\"\n")},
	}
	var mu sync.Mutex
	got := map[string]string{}
	opts := Options{InspectNarrative: func(file string, src []byte) {
		mu.Lock()
		got[file] = string(src)
		mu.Unlock()
	}}
	var l diag.List
	LoadWith(fsys, "content", opts, &l)
	want := map[string]string{"content/2023/evaluations/bad.md": "坏记录的说明\n"}
	if !maps.Equal(got, want) {
		t.Errorf("LoadWith inspected %q, want %q", got, want)
	}
	site := &Site{}
	clear(got)
	if r := LoadRecord(fsys, "content", "2023/evaluations/bad.toml", site, opts, &l); r != nil {
		t.Fatal("a record with an error loaded")
	}
	if !maps.Equal(got, want) {
		t.Errorf("LoadRecord inspected %q, want %q", got, want)
	}
}

// TestListedBeforeRead checks that LoadWith tells Options.Listed how many
// records the year folders hold, drafts and records with errors included,
// before it reads any of them: a build sizes its memory budget by the
// number, and the load is where memory grows with the site.
func TestListedBeforeRead(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                   {Data: []byte(siteTOML)},
		"2023/evaluations/a.toml":     {Data: []byte(minimal)},
		"2023/evaluations/a.md":       {Data: []byte("说明\n")},
		"2023/evaluations/draft.toml": {Data: []byte(minimal + "draft = true\n")},
		"2022/evaluations/bad.toml":   {Data: []byte(minimal + "score = \"x\"\n")},
	}
	var mu sync.Mutex
	listed, readBefore := -1, 0
	opts := Options{
		Listed: func(n int) {
			mu.Lock()
			listed = n
			mu.Unlock()
		},
		Read: func(name string, _ []byte) {
			mu.Lock()
			if listed < 0 && name != "site.toml" {
				readBefore++
			}
			mu.Unlock()
		},
	}
	var l diag.List
	LoadWith(fsys, "content", opts, &l)
	if listed != 3 {
		t.Errorf("Listed was told %d records, want 3", listed)
	}
	if readBefore > 0 {
		t.Errorf("%d files were read before Listed was told", readBefore)
	}
}

// TestTail checks that a record's name in the content folder is the one
// path.Join makes, whatever the prefix, shared with the name that has it.
func TestTail(t *testing.T) {
	for _, prefix := range []string{"", ".", "/", "content", "/srv/site/content", "../content", "a/2023"} {
		for _, c := range [][2]string{{"2023/evaluations", "roads.toml"}, {"2023", "report.md"}, {"evaluations", "evaluations"}} {
			full := path.Join(prefix, c[0], c[1])
			got, want := tail(full, c[0], c[1]), path.Join(c[0], c[1])
			if got != want {
				t.Errorf("tail(%q, %q, %q) = %q, want %q", full, c[0], c[1], got, want)
			}
			if len(prefix) > 1 && unsafe.StringData(got) != unsafe.StringData(full[len(full)-len(got):]) {
				t.Errorf("tail(%q, %q, %q) made a new string", full, c[0], c[1])
			}
		}
	}
	if got := tail("x/2023/evaluations/roads.toml", "2023/evaluations", "roads.toml"); got != "2023/evaluations/roads.toml" {
		t.Errorf("got %q", got)
	}
	if got := tail("other/roads.toml", "2023/evaluations", "roads.toml"); got != "2023/evaluations/roads.toml" {
		t.Errorf("a full name of another folder: got %q", got)
	}
}

// A narrative whose name differs from its record's only in case, as a
// staffer saves them on Windows or macOS, is the record's narrative on
// every system, with a warning; where both cases exist, the exact name
// wins and the other narrative is an orphan.
func TestNarrativePairedWhatever(t *testing.T) {
	c, ds := load(t, map[string]string{
		"2023/evaluations/Roads.toml": minimal,
		"2023/evaluations/roads.md":   "# 成效\n道路\n",
	})
	if len(c.Records) != 1 || c.Records[0].NarrativeFile != "content/2023/evaluations/roads.md" || !strings.Contains(string(c.Records[0].Narrative), "道路") {
		t.Fatalf("Roads.toml with roads.md: evaluations %+v", c.Records)
	}
	// The preview reloads one record as the build pairs it.
	var one diag.List
	fsys := fstest.MapFS{
		"2023/evaluations/Roads.toml": {Data: []byte(minimal)},
		"2023/evaluations/roads.md":   {Data: []byte("# 成效\n道路\n")},
	}
	if r := LoadRecord(fsys, "content", "2023/evaluations/Roads.toml", &Site{}, Options{}, &one); r == nil || r.NarrativeFile != "content/2023/evaluations/roads.md" {
		t.Errorf("LoadRecord of Roads.toml does not take roads.md: %+v %v", r, one.Items())
	}
	var warned bool
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("error: %v", d)
		}
		if d.Severity == diag.Warning && strings.Contains(d.Message, "只差字母大小写") && strings.Contains(d.Hint, "把 Roads.toml 改名为 roads.toml") && !strings.Contains(d.Hint, "roads.md 改名") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about the case of roads.md: %v", ds)
	}

	// Both cases (Linux): Roads.md is Roads.toml's, roads.md nobody's.
	c, ds = load(t, map[string]string{
		"2023/evaluations/Roads.toml": minimal,
		"2023/evaluations/Roads.md":   "# 成效\n大写\n",
		"2023/evaluations/roads.md":   "# 成效\n小写\n",
	})
	if len(c.Records) != 1 || !strings.Contains(string(c.Records[0].Narrative), "大写") {
		t.Errorf("with both cases the exact narrative must win: %+v", c.Records)
	}
	if got := shorts(ds); !slices.Contains(got, "content/2023/evaluations/roads.md error") {
		t.Errorf("the other narrative is not reported as an orphan: %v", got)
	}

	// Two records a name could belong to: neither takes it.
	c, ds = load(t, map[string]string{
		"2023/evaluations/Roads.toml": minimal,
		"2023/evaluations/ROADS.toml": minimal,
		"2023/evaluations/roads.md":   "# 成效\n",
	})
	for _, e := range c.Records {
		if e.NarrativeFile != "" {
			t.Errorf("%s took the ambiguous narrative", e.File)
		}
	}
	if got := shorts(ds); !slices.Contains(got, "content/2023/evaluations/roads.md error") {
		t.Errorf("the ambiguous narrative is not reported: %v", got)
	}
}

// The hint for a pair differing in case renames toward the lower-case
// name checkSlug asks for, only the files that differ from it.
func TestSameCaseHint(t *testing.T) {
	for _, c := range []struct{ slug, md, want string }{
		{"Roads", "roads", "把 Roads.toml 改名为 roads.toml，两个文件名完全一致"},
		{"roads", "Roads", "把 Roads.md 改名为 roads.md，两个文件名完全一致"},
		{"Roads", "ROADS", "把 Roads.toml 改名为 roads.toml，把 ROADS.md 改名为 roads.md，两个文件名完全一致"},
	} {
		if got := sameCaseHint(c.slug, c.md); got != c.want {
			t.Errorf("sameCaseHint(%q, %q) = %q, want %q", c.slug, c.md, got, c.want)
		}
	}
}

// TestJoinerAsPathJoin: the names of the records' files, joined without
// cleaning, are path.Join's for every kind of prefix a build or a test
// gives, clean or not.
func TestJoinerAsPathJoin(t *testing.T) {
	for _, prefix := range []string{"", ".", "/", "content", "./content", "content/", "/srv/jxgk/content", "../up", "C:/内容", "a//b", "a/../b"} {
		for _, c := range [][2]string{{"2023/evaluations", "roads.toml"}, {"2023/evaluations", "道路.md"}, {"2023", "report.toml"}} {
			if got, want := joiner(prefix)(c[0], c[1]), path.Join(prefix, c[0], c[1]); got != want {
				t.Errorf("joiner(%q)(%q, %q) = %q, want %q", prefix, c[0], c[1], got, want)
			}
		}
	}
}
