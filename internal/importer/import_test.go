package importer

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
)

const seedText = "../../testdata/import/qianjiang-2023.txt"

// newContent makes an empty content folder with the seed's site.toml.
func newContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	site, err := os.ReadFile("../../testdata/seed/site.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), site, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// load loads a content folder with the real loader, failing on an error.
func load(t *testing.T, dir string) *content.Content {
	t.Helper()
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	if e, _ := l.Count(); e > 0 {
		var b bytes.Buffer
		l.Write(&b)
		t.Fatalf("the imported content does not load:\n%s", b.String())
	}
	return c
}

func byTitle(c *content.Content) map[string]*content.Record {
	m := map[string]*content.Record{}
	for _, r := range c.Records {
		m[r.Title] = r
	}
	return m
}

func amountText(a *decimal.Amount) string {
	if a == nil {
		return "<none>"
	}
	return a.String()
}

func scoreText(d *decimal.D) string {
	if d == nil {
		return "<none>"
	}
	return d.String()
}

// TestSeedAbstractsEqualDefaultContent imports the seed's text (附件1 and
// 附件2) and compares each record with the one typed from it by hand
// (testdata/seed): the figures and the score table a staffer would
// otherwise retype must come out the same.
func TestSeedAbstractsEqualDefaultContent(t *testing.T) {
	dir := newContent(t)
	rep, err := Import(Options{Content: dir}, []string{seedText})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() || len(rep.Sources) != 1 || len(rep.Sources[0].Records) != 2 {
		t.Fatalf("want one source with two records written, got %+v", rep.Sources)
	}
	got := byTitle(load(t, dir))
	want := load(t, "../../testdata/seed")
	for _, w := range want.Records {
		g := got[w.Title]
		if g == nil {
			t.Errorf("no imported record titled %q (have %v)", w.Title, got)
			continue
		}
		if !g.Draft {
			t.Errorf("%s: imported record is not a draft", g.File)
		}
		for _, f := range []struct{ name, got, want string }{
			{"department", g.Department, w.Department},
			{"year", decimal.FromInt(int64(g.Year)).String(), decimal.FromInt(int64(w.Year)).String()},
			{"kind", g.Kind, w.Kind},
			{"attachment", g.Attachment, w.Attachment},
			{"evaluator", g.Evaluator, w.Evaluator},
			{"budget", amountText(g.Budget), amountText(w.Budget)},
			{"spent", amountText(g.Spent), amountText(w.Spent)},
			{"score", scoreText(g.Score), scoreText(w.Score)},
			{"grade", g.Grade, w.Grade},
		} {
			if f.got != f.want {
				t.Errorf("%s: %s = %q, want %q", w.Title, f.name, f.got, f.want)
			}
		}
		if len(g.Indicators) != len(w.Indicators) {
			t.Errorf("%s: %d indicators, want %d", w.Title, len(g.Indicators), len(w.Indicators))
			continue
		}
		for i, wi := range w.Indicators {
			gi := g.Indicators[i]
			if gi.Name != wi.Name || gi.Max != wi.Max || gi.Score != wi.Score || gi.Grade != wi.Grade {
				t.Errorf("%s: indicators[%d] = %s %s %s %s, want %s %s %s %s", w.Title, i,
					gi.Name, gi.Max, gi.Score, gi.Grade, wi.Name, wi.Max, wi.Score, wi.Grade)
			}
		}
		// The narrative keeps the abstract's sections from 二 on, as the
		// typed narrative does.
		for _, head := range []string{"## 二、", "## 三、", "## 四、"} {
			if !bytes.Contains(g.Narrative, []byte(head)) {
				t.Errorf("%s: narrative lacks %q", w.Title, head)
			}
		}
	}
}

// hostile holds texts that would break a carelessly written TOML file.
var hostile = []string{
	`他说"好"`,
	`C:\temp\new`,
	"第一行\n第二行\ttab\r\n",
	`""" ''' ]] [[indicators]] # 不是注释`,
	"title = \"x\"\n[[indicators]]\nname = \"伪造\"",
	"\x01控制\x7f字符",
	"坏字节\xff\xfe",
}

// TestHostileTextRoundTrips writes drafts whose texts hold quotes,
// backslashes, line breaks, TOML syntax and control characters, loads the
// written file with the real loader and compares the fields: no text from
// a source can break the record or add a field.
func TestHostileTextRoundTrips(t *testing.T) {
	for i, s := range hostile {
		dir := newContent(t)
		sc := decimal.FromInt(90)
		r := &content.Record{Title: "项目", Department: "局", Year: 2023, Kind: "project", Score: &sc,
			Goal: s, Outcome: s,
			Indicators: []*content.Indicator{{Name: "产出", Max: decimal.FromInt(100), Score: sc, Deviation: s}}}
		src := "来源\n伪造 = 1 " + s + ".txt"
		w := newWriter(Options{Content: dir})
		out := w.write(&Draft{Source: src, Record: r}, sourceID{"0123456789abcdef", 1, 1})
		if out.Status != StatusWritten {
			t.Fatalf("case %d: %+v", i, out)
		}
		var l diag.List
		c := content.Load(os.DirFS(dir), "content", &l)
		want := strings.ToValidUTF8(s, "\uFFFD")
		if strings.ContainsAny(want, "\x01\x7f") {
			// The loader refuses control characters in published text with
			// a message naming the field; the file itself must still parse.
			for _, d := range l.Items() {
				if strings.Contains(d.Message, "TOML") || d.Field == "" {
					t.Errorf("case %d: the written file does not parse: %s", i, d)
				}
			}
			continue
		}
		if len(c.Records) != 1 {
			var b bytes.Buffer
			l.Write(&b)
			t.Fatalf("case %d: loaded %d records\n%s", i, len(c.Records), b.String())
		}
		g := c.Records[0]
		if g.Goal != want || g.Outcome != want || g.Indicators[0].Deviation != want {
			t.Errorf("case %d: goal %q, deviation %q, want %q", i, g.Goal, g.Indicators[0].Deviation, want)
		}
		if g.Title != "项目" || len(g.Indicators) != 1 || !g.Draft {
			t.Errorf("case %d: the text changed the record: title %q, %d indicators, draft %v", i, g.Title, len(g.Indicators), g.Draft)
		}
	}
}

// TestNeverOverwrites puts a record and a narrative where the import
// would write and checks that they are untouched and the import took the
// next slug; two drafts of one run with one title get two slugs.
func TestNeverOverwrites(t *testing.T) {
	dir := newContent(t)
	evals := filepath.Join(dir, "2023", "evaluations")
	os.MkdirAll(evals, 0o755)
	mine := "# 工作人员自己的记录\n"
	os.WriteFile(filepath.Join(evals, "can-ji-ren-liang-xiang-bu-tie.toml"), []byte(mine), 0o644)
	os.WriteFile(filepath.Join(evals, "can-ji-ren-liang-xiang-bu-tie-2.md"), []byte(mine), 0o644)
	w := newWriter(Options{Content: dir})
	sc := decimal.FromInt(90)
	var paths []string
	for n := 1; n <= 2; n++ {
		r := &content.Record{Title: "残疾人“两项补贴”项目", Department: "局", Year: 2023, Kind: "project", Score: &sc}
		out := w.write(&Draft{Source: "a.txt", Record: r, Narrative: []byte("## 二、正文\n")}, sourceID{"0123456789abcdef", n, 2})
		if out.Status != StatusWritten {
			t.Fatalf("draft %d: %+v", n, out)
		}
		paths = append(paths, filepath.Base(out.Record))
	}
	if want := []string{"can-ji-ren-liang-xiang-bu-tie-3.toml", "can-ji-ren-liang-xiang-bu-tie-4.toml"}; strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("slugs = %v, want %v", paths, want)
	}
	for _, f := range []string{"can-ji-ren-liang-xiang-bu-tie.toml", "can-ji-ren-liang-xiang-bu-tie-2.md"} {
		if b, _ := os.ReadFile(filepath.Join(evals, f)); string(b) != mine {
			t.Errorf("%s was changed: %q", f, b)
		}
	}
	// A file that appears between the check and the write is not
	// overwritten either.
	if err := createNew(filepath.Join(evals, "can-ji-ren-liang-xiang-bu-tie.toml"), []byte("x")); err == nil {
		t.Error("createNew overwrote an existing file")
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"残疾人“两项补贴”项目", "can-ji-ren-liang-xiang-bu-tie"},
		{"2023年“数字化城管运行经费”项目", "shu-zi-hua-cheng-guan-yun-xing-jing-fei"},
		{"G318国道改造", "g318-guo-dao-gai-zao"},
		{"项目", "xiang-mu"},
		{"“”", "import"},
		{"中华人民共和国全国人民代表大会常务委员会关于加强预算审查监督的决定落实情况", "zhong-hua-ren-min-gong-he-guo-quan-guo"},
	} {
		if got := Slug(c.title); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.title, got, c.want)
		}
		if got := Slug(c.title); len(got) > maxSlugLen {
			t.Errorf("Slug(%q) = %q is longer than %d", c.title, got, maxSlugLen)
		}
	}
}

// snapshot returns every file under dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		} else {
			m[p+"/"] = ""
		}
		return nil
	})
	return m
}

func sameFiles(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok || a != b {
			t.Errorf("%s changed or removed %s", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s created %s", what, p)
		}
	}
}

// TestDryRunWritesNothing: -dry-run reports the records it would write
// and leaves the content folder byte-identical.
func TestDryRunWritesNothing(t *testing.T) {
	dir := newContent(t)
	before := snapshot(t, dir)
	rep, err := Import(Options{Content: dir, DryRun: true}, []string{seedText})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "a dry run", before, snapshot(t, dir))
	recs := rep.Sources[0].Records
	if len(recs) != 2 || recs[0].Status != StatusDryRun || !strings.HasSuffix(recs[0].Record, "can-ji-ren-liang-xiang-bu-tie.toml") {
		t.Errorf("dry run reported %+v", recs)
	}
	var b bytes.Buffer
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "将写入草稿") || !strings.Contains(b.String(), "试运行，没有写任何文件") {
		t.Errorf("the dry run's report does not say nothing was written:\n%s", b.String())
	}
}

// TestSecondImportKeepsFirstRecord: importing the same file again, after
// the staffer edited the first record, changes nothing and reports the
// records as already imported; a changed file is imported anew.
func TestSecondImportKeepsFirstRecord(t *testing.T) {
	dir := newContent(t)
	first, err := Import(Options{Content: dir}, []string{seedText})
	if err != nil {
		t.Fatal(err)
	}
	rec := first.Sources[0].Records[0].Record
	b, _ := os.ReadFile(rec)
	edited := strings.Replace(string(b), "draft = true\n", "", 1)
	os.WriteFile(rec, []byte(edited), 0o644)
	before := snapshot(t, dir)
	second, err := Import(Options{Content: dir}, []string{seedText})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "a second import", before, snapshot(t, dir))
	for _, w := range second.Sources[0].Records {
		if w.Status != StatusAlready {
			t.Errorf("second import: %s is %s, want %s", w.Title, w.Status, StatusAlready)
		}
	}
	if second.Sources[0].Records[0].Record != rec {
		t.Errorf("second import names %s, want %s", second.Sources[0].Records[0].Record, rec)
	}
	// The same abstract with one more line is another file: imported
	// beside the first, under a new slug.
	changed := filepath.Join(t.TempDir(), "changed.txt")
	src, _ := os.ReadFile(seedText)
	os.WriteFile(changed, append(src, "\n补充说明。\n"...), 0o644)
	third, _ := Import(Options{Content: dir}, []string{changed})
	if w := third.Sources[0].Records[0]; w.Status != StatusWritten || w.Record == rec {
		t.Errorf("a changed file: %+v", w)
	}
}

// TestFolderImport imports a folder: every supported file in name order,
// unsupported files listed, not failed, and one report for all.
func TestFolderImport(t *testing.T) {
	dir := newContent(t)
	in := t.TempDir()
	src, _ := os.ReadFile(seedText)
	os.WriteFile(filepath.Join(in, "b.txt"), src, 0o644)
	os.WriteFile(filepath.Join(in, "a.txt"), []byte("附件3\n\n2023年道路养护项目\n财政评价结果\n一、绩效评价分数和等级\n某某县交通局2023年道路养护项目绩效评价综合得分85分，评价等级为：良。\n"), 0o644)
	os.WriteFile(filepath.Join(in, "扫描件.pdf"), []byte("%PDF"), 0o644)
	os.WriteFile(filepath.Join(in, ".DS_Store"), []byte("x"), 0o644)
	rep, err := Import(Options{Content: dir}, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Errorf("folder import failed: %+v", rep)
	}
	if len(rep.Sources) != 2 || filepath.Base(rep.Sources[0].File) != "a.txt" || filepath.Base(rep.Sources[1].File) != "b.txt" {
		t.Fatalf("sources = %+v, want a.txt then b.txt", rep.Sources)
	}
	if len(rep.Skipped) != 1 || filepath.Base(rep.Skipped[0].File) != "扫描件.pdf" || !strings.Contains(rep.Skipped[0].Reason, "扫描件") {
		t.Errorf("skipped = %+v, want the PDF with a reason", rep.Skipped)
	}
	c := load(t, dir)
	if len(c.Records) != 3 {
		t.Errorf("folder import gave %d records, want 3", len(c.Records))
	}
	road := byTitle(c)["道路养护项目"]
	if road == nil || road.Department != "某某县交通局" || scoreText(road.Score) != "85" || road.Grade != "良" || road.Attachment != "附件3" {
		t.Errorf("a.txt's record: %+v", road)
	}
}

// TestReportNamesEveryCell checks the text report and the JSON report of
// the seed: each mapped line with its field, each unused line, each guess.
func TestReportNamesEveryCell(t *testing.T) {
	dir := newContent(t)
	rep, err := Import(Options{Content: dir, DryRun: true}, []string{seedText})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"第36行 → score（得分）93.5",
		"第53行 → indicators[1].score（第2个一级指标的得分）26.5",
		"第127行 → spent（全年执行数）52.88",
		"第45行 20%", // the 权重 column: computed by the site, not a field
		"第1行 潜江市2023年预算绩效工作开展情况说明",
		"评价机构 evaluator 按部门所在地写为“潜江市财政局”",
		"部门“潜江市数字城管监督指挥中心”取自综合得分一句",
		"2 条草稿",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var got struct {
		DryRun  bool `json:"dry_run"`
		Sources []struct {
			File    string `json:"file"`
			Records []struct {
				Title, Status, Record, Narrative string
				Mapped                           []struct{ Ref, Text, Field string }
				Unused                           []struct{ Ref, Text string }
				Guesses                          []struct{ Ref, Note string }
			} `json:"records"`
		} `json:"sources"`
		Skipped []struct{ File, Reason string } `json:"skipped"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, js.String())
	}
	if !got.DryRun || len(got.Sources) != 1 || len(got.Sources[0].Records) != 2 || got.Skipped == nil {
		t.Fatalf("JSON report shape: %s", js.String())
	}
	r := got.Sources[0].Records[1]
	found := false
	for _, m := range r.Mapped {
		if m.Ref == "第127行" && m.Field == "spent" && m.Text == "52.88" {
			found = true
		}
	}
	if !found || r.Status != StatusDryRun || !strings.HasSuffix(r.Narrative, ".md") || len(r.Guesses) == 0 {
		t.Errorf("JSON record 2: %+v", r)
	}
	if !bytes.Contains(js.Bytes(), []byte(`"unused": [`)) || !bytes.Contains(js.Bytes(), []byte(`"guesses": [`)) {
		t.Errorf("JSON report lacks its arrays:\n%s", js.String())
	}
}

// TestAbstractShapes reads the other shapes abstracts take: a GBK file
// from Notepad, a score table with one row a line, and a file that holds
// no evaluation, which is an error of that source and not of the run.
func TestAbstractShapes(t *testing.T) {
	in := t.TempDir()
	oneLine := "2024年度某某县交通运输局农村公路养护项目绩效评价结果（摘要版）\n" +
		"一、项目绩效评价分数和等级\n" +
		"某某县2024年度农村公路养护项目绩效评价综合得分81.25分，评价等级为：良。\n" +
		"评价指标  指标分值  评价得分  评价等级\n" +
		"项目决策  20  16.5  良\n" +
		"项目过程  20  15.75  中\n" +
		"项目产出  40  31  良\n" +
		"项目效益  20  18  优\n" +
		"合计  100  81.25  良\n" +
		"二、存在的问题\n1.养护台账不全。\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(oneLine))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "gbk.txt"), gbk, 0o644)
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("会议纪要\n\n今天开会。\n"), 0o644)
	dir := newContent(t)
	rep, err := Import(Options{Content: dir}, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Failed() || rep.Sources[1].Error == "" || len(rep.Sources[1].Records) != 0 {
		t.Errorf("a text with no evaluation: %+v", rep.Sources[1])
	}
	w := rep.Sources[0].Records
	if len(w) != 1 || w[0].Status != StatusWritten {
		t.Fatalf("gbk.txt: %+v", rep.Sources[0])
	}
	// A row on one line names its cells: the total row's label and 100
	// are no field, and the report says so cell by cell.
	unused := map[string]string{}
	for _, c := range w[0].Unused {
		unused[c.Ref] = c.Text
	}
	if unused["第9行第1格"] != "合计" || unused["第9行第2格"] != "100" {
		t.Errorf("unused cells = %v, want the total row's 合计 and 100", unused)
	}
	mapped := map[string]string{}
	for _, m := range w[0].Mapped {
		mapped[m.Ref] = m.Field
	}
	if mapped["第6行第3格"] != "indicators[1].score" || mapped["第9行第3格"] != "score" {
		t.Errorf("mapped cells = %v", mapped)
	}
	if !strings.Contains(w[0].Guesses[0].Note, "GBK") {
		t.Errorf("the GBK reading is not reported as a guess: %+v", w[0].Guesses)
	}
	r := byTitle(load(t, dir))["农村公路养护项目"]
	if r == nil {
		t.Fatal("no record titled 农村公路养护项目")
	}
	if r.Department != "某某县交通运输局" || r.Year != 2024 || scoreText(r.Score) != "81.25" || r.Grade != "良" || r.Method != "" {
		t.Errorf("record: department %q year %d score %s grade %q method %q", r.Department, r.Year, scoreText(r.Score), r.Grade, r.Method)
	}
	var got []string
	for _, in := range r.Indicators {
		got = append(got, in.Name+" "+in.Max.String()+" "+in.Score.String()+" "+in.Grade)
	}
	if want := "项目决策 20 16.5 良|项目过程 20 15.75 中|项目产出 40 31 良|项目效益 20 18 优"; strings.Join(got, "|") != want {
		t.Errorf("indicators = %v, want %s", got, want)
	}
}

// TestReportEscapesSourceText: a cell holding terminal control sequences
// is shown escaped in the text report, so printing the report cannot
// clear or rewrite the staffer's terminal.
func TestReportEscapesSourceText(t *testing.T) {
	rep := &Report{Sources: []*Source{{File: "a\x1b[2J.txt", Records: []*Written{{
		Title: "t\u202e", Status: StatusWritten, Record: "r.toml",
		Mapped: []Mapping{{Cell: Cell{Ref: "第1行", Text: "\x1b[31m红"}, Field: "title"}},
		Unused: []Cell{{Ref: "第2行", Text: "\x07铃"}},
	}}}}}
	var b bytes.Buffer
	rep.WriteText(&b)
	for _, r := range b.String() {
		if r == 0x1b || r == 0x07 || r == 0x202e {
			t.Fatalf("report holds raw %U:\n%q", r, b.String())
		}
	}
	if !strings.Contains(b.String(), `\u001b[31m红`) && !strings.Contains(b.String(), `\x1b[31m红`) {
		t.Errorf("escaped text missing:\n%s", b.String())
	}
}

// TestYearOption: -year places an abstract that states no year; without it
// such a record is not written and the report says to give -year; a
// source that states its year keeps it and the difference is a guess.
func TestYearOption(t *testing.T) {
	in := filepath.Join(t.TempDir(), "no-year.txt")
	os.WriteFile(in, []byte("附件1\n道路养护项目财政评价结果\n一、分数和等级\n某某县交通运输局道路养护项目综合得分85分，评价等级为：良。\n"), 0o644)
	dir := newContent(t)
	rep, _ := Import(Options{Content: dir}, []string{in})
	if w := rep.Sources[0].Records[0]; w.Status != StatusFailed || !strings.Contains(w.Problem, "-year") || !rep.Failed() {
		t.Errorf("no year, no -year: %+v", w)
	}
	rep, _ = Import(Options{Content: dir, Year: 2022}, []string{in})
	if w := rep.Sources[0].Records[0]; w.Status != StatusWritten || !strings.Contains(w.Record, filepath.Join("2022", "evaluations")) {
		t.Errorf("-year 2022: %+v", w)
	}
	rep, _ = Import(Options{Content: dir, Year: 2024, DryRun: true}, []string{seedText})
	w := rep.Sources[0].Records[0]
	if !strings.Contains(w.Record, filepath.Join("2023", "evaluations")) || !strings.Contains(w.Guesses[len(w.Guesses)-1].Note, "-year 2024") {
		t.Errorf("a stated year against -year: %+v", w)
	}
}

// TestSameFileTwiceInOneRun: a file named twice (or also inside a folder
// named) is written once, in a dry run as in a real one.
func TestSameFileTwiceInOneRun(t *testing.T) {
	for _, dry := range []bool{true, false} {
		dir := newContent(t)
		rep, err := Import(Options{Content: dir, DryRun: dry}, []string{seedText, "../../testdata/import/"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Sources) != 2 {
			t.Fatalf("dry %v: %d sources", dry, len(rep.Sources))
		}
		for _, w := range rep.Sources[1].Records {
			if w.Status != StatusAlready || w.Record != rep.Sources[0].Records[0].Record && w.Record != rep.Sources[0].Records[1].Record {
				t.Errorf("dry %v: second naming gave %s %s", dry, w.Status, w.Record)
			}
		}
	}
}
