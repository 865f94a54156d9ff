package pipeline_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// jsonData mirrors the fields of evaluations.json that the tests check.
type jsonData struct {
	Version      int
	Title        string
	Organization string
	Evaluations  []struct {
		Slug, URL, Title, Department, Kind, Attachment, Evaluator string
		Year                                                      int
		Budget, Spent, Total, Rate                                *json.Number
		Grade                                                     string
		Congress, Mismatch                                        bool
		Stated                                                    struct {
			Score *json.Number
			Grade string
		}
		Computed *struct {
			Total json.Number
			Grade string
		}
		Indicators []struct {
			Name             string
			Max, Score, Rate json.Number
			Grade            string
			GradeComputed    string `json:"grade_computed"`
			Items            []struct{ Name string }
		}
	}
}

func readJSON(t *testing.T, s *wholesite.Site) jsonData {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s.File("data/evaluations.json")))
	dec.UseNumber()
	var d jsonData
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("evaluations.json: %v", err)
	}
	return d
}

// readCSV parses a CSV output and checks the form Excel needs: a UTF-8
// byte order mark and CRLF line ends.
func readCSV(t *testing.T, s *wholesite.Site, name string) [][]string {
	t.Helper()
	b := []byte(s.File(name))
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s has no UTF-8 byte order mark", name)
	}
	if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != crlf || n == 0 {
		t.Errorf("%s: %d line ends, %d of them CRLF", name, n, crlf)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

func TestDefaultSiteOpenData(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, defaultContent)

	d := readJSON(t, s)
	if d.Version != 1 || d.Title != "潜江市财政局 预算绩效评价结果公开" || d.Organization != "潜江市财政局" {
		t.Errorf("header = %d %q %q", d.Version, d.Title, d.Organization)
	}
	if len(d.Evaluations) != 2 {
		t.Fatalf("%d evaluations in JSON, want 2", len(d.Evaluations))
	}
	ds, dc := d.Evaluations[0], d.Evaluations[1]
	if ds.Slug != "disability-subsidies" || ds.URL != "https://czj.example.gov.cn/jxgk/2023/disability-subsidies/" ||
		ds.Year != 2023 || ds.Department != "潜江市民政局" || ds.Attachment != "附件1" || ds.Kind != "project" {
		t.Errorf("first evaluation = %+v", ds)
	}
	if ds.Total == nil || ds.Total.String() != "93.5" || ds.Grade != "优" || ds.Stated.Score == nil || ds.Stated.Score.String() != "93.5" {
		t.Errorf("disability-subsidies total %v grade %q stated %v, want 93.5 优", ds.Total, ds.Grade, ds.Stated.Score)
	}
	// The seed's one finding: 项目过程 26.5/30 stated 优, computed 良.
	if !ds.Mismatch {
		t.Errorf("disability-subsidies: mismatch = false, want true")
	}
	found := false
	for _, in := range ds.Indicators {
		if in.Name == "项目过程" {
			found = true
			if in.Score.String() != "26.5" || in.Max.String() != "30" || in.Rate.String() != "88.33" || in.Grade != "优" || in.GradeComputed != "良" {
				t.Errorf("项目过程 = %+v, want 26.5/30, 88.33, stated 优, computed 良", in)
			}
		}
	}
	if !found {
		t.Errorf("disability-subsidies has no 项目过程 indicator: %+v", ds.Indicators)
	}
	if dc.Slug != "digital-city-management" || dc.Total == nil || dc.Total.String() != "92" ||
		dc.Budget == nil || dc.Budget.String() != "45" || dc.Spent == nil || dc.Spent.String() != "52.88" || dc.Computed == nil {
		t.Errorf("digital-city-management = %+v", dc)
	}

	for _, name := range []string{"data/evaluations.csv", "data/2023.csv"} {
		rows := readCSV(t, s, name)
		if len(rows) != 3 {
			t.Fatalf("%s: %d rows, want a header and 2", name, len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for i, want := range []struct{ title, total, grade, budget, url string }{
			{"残疾人“两项补贴”项目", "93.5", "优", "", "https://czj.example.gov.cn/jxgk/2023/disability-subsidies/"},
			{"“数字化城管运行经费”项目", "92", "优", "45", "https://czj.example.gov.cn/jxgk/2023/digital-city-management/"},
		} {
			r := rows[i+1]
			if r[col["项目名称"]] != want.title || r[col["综合得分"]] != want.total || r[col["评价等级"]] != want.grade ||
				r[col["预算（万元）"]] != want.budget || r[col["网址"]] != want.url || r[col["年度"]] != "2023" {
				t.Errorf("%s row %d = %q, want %+v", name, i+1, r, want)
			}
		}
	}
	// The year page links its data files.
	s.AssertFileContent("2023/index.html", `href="../data/2023.csv"`, `href="../data/evaluations.json"`)
}

// TestOpenDataQuotesAndGuards builds a record whose text needs CSV quoting
// and would run as a spreadsheet formula. (A line break would need quoting
// too, but a title cannot hold one: it is a single-line field.)
func TestOpenDataQuotesAndGuards(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/quoted.toml --
title = "=HYPERLINK(\"x\"), 项目 第二行"
department = "部门,甲"
year = 2023
score = 70.25
`)
	rows := readCSV(t, s, "data/evaluations.csv")
	if len(rows) != 2 || rows[1][2] != "'=HYPERLINK(\"x\"), 项目 第二行" || rows[1][3] != "部门,甲" || rows[1][8] != "70.25" {
		t.Errorf("rows = %q", rows)
	}
	d := readJSON(t, s)
	if len(d.Evaluations) != 1 || d.Evaluations[0].Title != "=HYPERLINK(\"x\"), 项目 第二行" || d.Evaluations[0].Total.String() != "70.25" {
		t.Errorf("json = %+v", d.Evaluations)
	}
}

func TestOpenDataLeavesOutDrafts(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+goodRecord+`
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
draft = true
-- content/2024/evaluations/later.toml --
title = "尚未到期项目"
department = "保密部门乙"
year = 2024
grade = "优"
published = 2024-06-02
`)
	if d := readJSON(t, s); len(d.Evaluations) != 1 || d.Evaluations[0].Slug != "roads" {
		t.Errorf("json has %+v, want only roads", d.Evaluations)
	}
	if rows := readCSV(t, s, "data/evaluations.csv"); len(rows) != 2 || rows[1][2] != "农村公路养护项目" {
		t.Errorf("csv rows = %q, want only roads", rows)
	}
	// No data file for a year with only a future record.
	s.AssertNoFile("data/2024.csv")
}
