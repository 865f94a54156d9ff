package pipeline_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// dataFiles returns every file of the built data folder by its name
// there, with the entries of each zip as "2023.zip:2023/findings.csv".
func dataFiles(t *testing.T, s *wholesite.Site) map[string][]byte {
	t.Helper()
	dir := filepath.Join(s.Out(), "data")
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		out[name] = b
		if strings.HasSuffix(name, ".zip") {
			for entry, data := range unzip(t, name, b) {
				out[name+":"+entry] = data
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// unzip returns a zip's entries by name, checking that they are in order
// of name.
func unzip(t *testing.T, name string, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string][]byte{}
	var names []string
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", name, f.Name, err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, f.Name, err)
		}
		out[f.Name] = data
		names = append(names, f.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("%s: entries not sorted: %q", name, names)
	}
	return out
}

// parseCSV checks a CSV file's form (a byte order mark, CRLF at the end of
// every line and nowhere a bare LF) and returns its rows.
func parseCSV(t *testing.T, name string, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s has no UTF-8 byte order mark", name)
	}
	if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != crlf || n == 0 || !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s: %d line ends, %d of them CRLF", name, n, crlf)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// table returns the columns of a CSV file of the data package.
func table(t *testing.T, file string) export.Table {
	t.Helper()
	for _, tb := range export.Tables() {
		if tb.File == file {
			return tb
		}
	}
	t.Fatalf("no table %s", file)
	return export.Table{}
}

func headers(tb export.Table) []string {
	var h []string
	for _, c := range tb.Columns {
		h = append(h, c.Header)
	}
	return h
}

// csvTables maps each CSV file of the data folder to its table.
func csvTable(t *testing.T, name string) export.Table {
	base := name[strings.LastIndex(name, "/")+1:]
	if len(base) == len("2023.csv") && base[0] >= '0' && base[0] <= '9' {
		base = export.EvaluationsCSV
	}
	return table(t, base)
}

// TestDataPackageFiles checks the files of the data package of the
// two-year fixture: each CSV (and each inside the zips) has its table's
// header, parses, and ends every line with CRLF; every file the page and
// the checksums name is there.
func TestDataPackageFiles(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	files := dataFiles(t, s)
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"2022.csv", "2022.zip",
		"2022.zip:2022/evaluations.csv", "2022.zip:2022/evaluations.json", "2022.zip:2022/findings.csv", "2022.zip:2022/funds.csv", "2022.zip:2022/indicators.csv",
		"2023.csv", "2023.zip",
		"2023.zip:2023/evaluations.csv", "2023.zip:2023/evaluations.json", "2023.zip:2023/findings.csv", "2023.zip:2023/funds.csv", "2023.zip:2023/indicators.csv",
		"SHA256SUMS", "evaluations.csv", "evaluations.json", "evaluations.schema.json", "findings.csv", "funds.csv", "index.html", "indicators.csv"}
	if !slices.Equal(names, want) {
		t.Errorf("data folder:\n%q\nwant\n%q", names, want)
	}
	for _, name := range names {
		if !strings.HasSuffix(name, ".csv") {
			continue
		}
		rows := parseCSV(t, name, files[name])
		if h := headers(csvTable(t, name)); !slices.Equal(rows[0], h) {
			t.Errorf("%s: header %q, want %q", name, rows[0], h)
		}
	}
	// The findings of the published records, and only those: two in
	// 2022's rural-water, one each in 2023's rural-water and school-meals,
	// in the order of the year pages.
	rows := parseCSV(t, "findings.csv", files["findings.csv"])
	var got []string
	for _, r := range rows[1:] {
		got = append(got, strings.Join([]string{r[0], r[1], r[6], r[8], r[10]}, " "))
	}
	wantFindings := []string{
		"2023/school-meals 1 open  是",
		"2023/rural-water 1 open  否",
		"2022/rural-water 1 done 2023-06-15 否",
		"2022/rural-water 2 in-progress  否",
	}
	if !slices.Equal(got, wantFindings) {
		t.Errorf("findings.csv (id, n, status, done, overdue):\n%q\nwant\n%q", got, wantFindings)
	}
	// Every evaluation has its id in evaluations.csv, last, as the JSON has.
	rows = parseCSV(t, "evaluations.csv", files["evaluations.csv"])
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[len(r)-1])
	}
	if want := []string{"2023/school-meals", "2023/rural-water", "2022/rural-water"}; !slices.Equal(ids, want) {
		t.Errorf("evaluations.csv ids %q, want %q", ids, want)
	}
}

// TestDataPackageGuardsFormulas builds a record whose texts would run as
// spreadsheet formulas in every new CSV file, and whose amounts must stay
// as written.
func TestDataPackageGuardsFormulas(t *testing.T) {
	t.Parallel()
	s := wholesite.Build(t, siteToml+`
-- content/2023/evaluations/guarded.toml --
title = "公式项目"
department = "测试市交通运输局"
year = 2023
budget = 100
spent = 89.974

[[indicators]]
name = "=SUM(A1)"
max = 100
score = 90
target = "+1"
actual = "-1"
deviation = "@cmd"

[[funds]]
source = "=HYPERLINK(\"x\")"
budget = 100
spent = 89.974

[[findings]]
problem = "-问题"
measure = "+措施"
owner = "@单位"
deadline = 2024-06-30
status = "done"
done = 2024-05-01
result = "=结果"
`)
	files := dataFiles(t, s)
	for name, want := range map[string][]string{
		"indicators.csv": {"2023/guarded", "1", "1", "'=SUM(A1)", "'=SUM(A1)", "100", "90", "90", "优", "优", "'+1", "'-1", "'@cmd"},
		"funds.csv":      {"2023/guarded", "1", `'=HYPERLINK("x")`, "", "100", "89.974"},
		"findings.csv":   {"2023/guarded", "1", "'-问题", "'+措施", "'@单位", "2024-06-30", "done", "已整改", "2024-05-01", "'=结果", "否"},
	} {
		for _, file := range []string{name, "2023.zip:2023/" + name} {
			rows := parseCSV(t, file, files[file])
			if len(rows) != 2 || !slices.Equal(rows[1], want) {
				t.Errorf("%s rows = %q, want the header and\n%q", file, rows, want)
			}
		}
	}
}

// walkIndicators lists the indicator nodes of evaluations.json depth
// first, as indicators.csv should have them.
func walkIndicators(t *testing.T, doc []byte) [][]string {
	t.Helper()
	type node struct {
		Name                      string
		Max, Score, Rate          json.Number
		Grade                     string
		GradeComputed             string `json:"grade_computed"`
		Target, Actual, Deviation string
		Items                     []json.RawMessage
	}
	var d struct {
		Evaluations []struct {
			ID         string
			Indicators []json.RawMessage
		}
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var walk func(id string, raw []json.RawMessage, level int, place, path string)
	walk = func(id string, raw []json.RawMessage, level int, place, path string) {
		for i, r := range raw {
			var n node
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.UseNumber()
			if err := dec.Decode(&n); err != nil {
				t.Fatal(err)
			}
			p, pa := fmt.Sprint(i+1), n.Name
			if place != "" {
				p, pa = place+"."+p, path+export.PathSeparator+n.Name
			}
			out = append(out, []string{id, fmt.Sprint(level), p, pa, n.Name, n.Max.String(), n.Score.String(), n.Rate.String(),
				n.Grade, n.GradeComputed, n.Target, n.Actual, n.Deviation})
			walk(id, n.Items, level+1, p, pa)
		}
	}
	for _, e := range d.Evaluations {
		walk(e.ID, e.Indicators, 1, "", "")
	}
	return out
}

// TestIndicatorsCSVEqualsJSON walks the indicator tree of evaluations.json
// of each fixture and compares its nodes one to one with the rows of
// indicators.csv: the same nodes, in the same order, with the same
// figures as written.
func TestIndicatorsCSVEqualsJSON(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]*wholesite.Site{
		"seed":   wholesite.BuildDir(t, defaultContent),
		"full":   wholesite.BuildDir(t, fullContent, on(2024, time.July, 1)),
		"series": buildSeries(t),
	} {
		files := dataFiles(t, s)
		want := walkIndicators(t, files["evaluations.json"])
		rows := parseCSV(t, "indicators.csv", files["indicators.csv"])[1:]
		if len(want) == 0 || !slices.EqualFunc(rows, want, slices.Equal) {
			t.Errorf("%s: indicators.csv\n%q\nwant the nodes of evaluations.json\n%q", name, rows, want)
		}
	}
}

// TestFundsAndFindingsEqualJSON compares funds.csv and findings.csv of the
// fixture with every field with its evaluations.json.
func TestFundsAndFindingsEqualJSON(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, fullContent, on(2024, time.July, 1))
	files := dataFiles(t, s)
	var d struct {
		Evaluations []struct {
			ID    string
			Funds []struct {
				Source        string
				BudgetInitial *json.Number `json:"budget_initial"`
				Budget, Spent *json.Number
			}
			Findings []struct {
				Problem, Measure, Owner, Deadline, Status string
				StatusName                                string `json:"status_name"`
				Done, Result                              string
				Overdue                                   bool
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(files["evaluations.json"]))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	num := func(n *json.Number) string {
		if n == nil {
			return ""
		}
		return n.String()
	}
	var funds, findings [][]string
	for _, e := range d.Evaluations {
		for i, f := range e.Funds {
			funds = append(funds, []string{e.ID, fmt.Sprint(i + 1), f.Source, num(f.BudgetInitial), num(f.Budget), num(f.Spent)})
		}
		for i, f := range e.Findings {
			overdue := map[bool]string{true: "是", false: "否"}[f.Overdue]
			findings = append(findings, []string{e.ID, fmt.Sprint(i + 1), f.Problem, f.Measure, f.Owner, f.Deadline, f.Status, f.StatusName, f.Done, f.Result, overdue})
		}
	}
	if got := parseCSV(t, "funds.csv", files["funds.csv"])[1:]; len(funds) != 2 || !slices.EqualFunc(got, funds, slices.Equal) {
		t.Errorf("funds.csv\n%q\nwant\n%q", got, funds)
	}
	if got := parseCSV(t, "findings.csv", files["findings.csv"])[1:]; len(findings) != 2 || !slices.EqualFunc(got, findings, slices.Equal) {
		t.Errorf("findings.csv\n%q\nwant\n%q", got, findings)
	}
	// 89.974 万元 as written, never a float's 89.97399999.
	if !bytes.Contains(files["funds.csv"], []byte(",80.974\r\n")) {
		t.Errorf("funds.csv does not give 80.974 as written")
	}
}

// schema compiles evaluations.schema.json as the build published it.
func schema(t *testing.T, s *wholesite.Site) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(s.File("data/evaluations.schema.json")))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("evaluations.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("evaluations.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, doc string) error {
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// TestJSONValidatesAgainstSchema validates evaluations.json of the three
// fixtures, and of each year's zip, against the published schema; and
// checks that the schema refuses a document with a wrong type, an unknown
// field, a code it does not know or a missing id.
func TestJSONValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	var full *wholesite.Site
	for name, s := range map[string]*wholesite.Site{
		"seed":   wholesite.BuildDir(t, defaultContent),
		"full":   wholesite.BuildDir(t, fullContent, on(2024, time.July, 1)),
		"series": buildSeries(t),
	} {
		if name == "full" {
			full = s
		}
		sch := schema(t, s)
		for file, b := range dataFiles(t, s) {
			if strings.HasSuffix(file, "evaluations.json") {
				if err := validate(sch, string(b)); err != nil {
					t.Errorf("%s: %s does not validate: %v", name, file, err)
				}
			}
		}
	}
	sch := schema(t, full)
	doc := full.File("data/evaluations.json")
	for _, tt := range []struct{ why, old, new string }{
		{"a year as text", `"year":2023`, `"year":"2023"`},
		{"an unknown field", `"slug":`, `"color":"red","slug":`},
		{"an unknown field of a finding", `"problem":`, `"priority":1,"problem":`},
		{"an unknown status", `"status":"done"`, `"status":"closed"`},
		{"an unknown decision", `"decision":"reduce"`, `"decision":"increase"`},
		{"an unknown method", `"method":"self"`, `"method":"guess"`},
		{"an amount as text", `"spent":89.974`, `"spent":"89.974"`},
		{"a date in another form", `"deadline":"2024-03-31"`, `"deadline":"2024/3/31"`},
		{"a missing id", `"id":"2023/road-maintenance",`, ``},
		{"an indicator of the third level with an unknown field", `"name":"日常养护里程"`, `"name":"日常养护里程","weight":1`},
	} {
		bad := strings.Replace(doc, tt.old, tt.new, 1)
		if bad == doc {
			t.Fatalf("%s: %q is not in the document", tt.why, tt.old)
		}
		if err := validate(sch, bad); err == nil {
			t.Errorf("the schema accepts %s", tt.why)
		}
	}
}

// TestYearZips opens each year's zip of the two-year fixture and compares
// its files with that year's rows of the files of all years; checks the
// date of its entries (the day its evaluations last changed, not the
// build's); and builds again on another day to check that the zips and
// checksums are byte-identical.
func TestYearZips(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	files := dataFiles(t, s)
	for _, year := range []string{"2022", "2023"} {
		zipName := year + ".zip"
		entry := func(name string) []byte { return files[zipName+":"+year+"/"+name] }
		if !bytes.Equal(entry("evaluations.csv"), files[year+".csv"]) {
			t.Errorf("%s: evaluations.csv differs from %s.csv", zipName, year)
		}
		for _, name := range []string{"indicators.csv", "findings.csv", "funds.csv", "evaluations.csv"} {
			all := parseCSV(t, name, files[name])
			var want [][]string
			want = append(want, all[0])
			for _, r := range all[1:] {
				id := r[0]
				if name == "evaluations.csv" {
					id = r[len(r)-1]
				}
				if strings.HasPrefix(id, year+"/") {
					want = append(want, r)
				}
			}
			if got := parseCSV(t, zipName+":"+name, entry(name)); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("%s: %s\n%q\nwant the year's rows\n%q", zipName, name, got, want)
			}
		}
		var all, one struct {
			Version     int
			Title       string
			Evaluations []json.RawMessage
		}
		if err := json.Unmarshal(files["evaluations.json"], &all); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(entry("evaluations.json"), &one); err != nil {
			t.Fatalf("%s: evaluations.json: %v", zipName, err)
		}
		var want []json.RawMessage
		for _, e := range all.Evaluations {
			if bytes.Contains(e, []byte(`"year":`+year+`,`)) {
				want = append(want, e)
			}
		}
		if one.Version != all.Version || one.Title != all.Title || len(want) == 0 ||
			!slices.EqualFunc(one.Evaluations, want, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
			t.Errorf("%s: evaluations.json holds %d evaluations, want the year's %d as in evaluations.json", zipName, len(one.Evaluations), len(want))
		}
	}
	// 2022: the finding done on 2023-06-15 changed it after its
	// publication (2023-04-28); 2023: published on 2024-04-26.
	cst := time.FixedZone("CST", 8*3600)
	for name, want := range map[string]time.Time{
		"2022.zip": time.Date(2023, 6, 15, 0, 0, 0, 0, cst),
		"2023.zip": time.Date(2024, 4, 26, 0, 0, 0, 0, cst),
	} {
		z, err := zip.NewReader(bytes.NewReader(files[name]), int64(len(files[name])))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if !f.Modified.Equal(want) {
				t.Errorf("%s: %s dated %v, want %v", name, f.Name, f.Modified, want)
			}
		}
	}
	again := wholesite.BuildDir(t, seriesContent, on(2024, time.September, 2))
	for _, name := range []string{"2022.zip", "2023.zip", "SHA256SUMS"} {
		if again.File("data/"+name) != string(files[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestSHA256SUMS checks that SHA256SUMS lists every other file of the data
// folder with its digest, and that sha256sum -c accepts it.
func TestSHA256SUMS(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	files := dataFiles(t, s)
	var listed []string
	for _, line := range strings.Split(strings.TrimSuffix(string(files["SHA256SUMS"]), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("line %q is not digest, two spaces, name", line)
		}
		h := sha256.Sum256(files[name])
		if _, there := files[name]; !there || hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: listed %s", name, sum)
		}
		listed = append(listed, name)
	}
	var want []string
	for name := range files {
		if !strings.Contains(name, ":") && name != "SHA256SUMS" {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Errorf("SHA256SUMS lists\n%q\nwant every other file of the data folder, sorted\n%q", listed, want)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum is not installed here; the digests were checked above")
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", "SHA256SUMS")
	cmd.Dir = filepath.Join(s.Out(), "data")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out)
	}
}

// TestDataPackageDisclosesNothingMore builds the fixture on 2024-09-01,
// when one of its records is a draft and another not yet due, and looks
// for their texts in every file of the data folder, inside the zips too.
func TestDataPackageDisclosesNothingMore(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	files := dataFiles(t, s)
	if len(files) < 10 {
		t.Fatalf("only %d files in the data folder", len(files))
	}
	for name, b := range files {
		// 草稿 alone too: whole-site tests take it anywhere in the output
		// as the sign of a leaked draft, so the package's own words (the
		// page, the schema's descriptions) avoid it.
		for _, secret := range []string{"草稿中的问题不应公开", "未到公开日期的问题", "草稿项目（不应公开）", "未到公开日期的项目",
			"draft-plan", "future-plan", "示例县草稿局", "示例县未来局", "草稿"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
	// The check can fail: the published finding is there, in the zip too.
	if !bytes.Contains(files["2023.zip:2023/findings.csv"], []byte("食材采购台账不规范")) {
		t.Error("2023.zip lacks the published finding")
	}
}

// jsonPaths returns the path of every field of a JSON document, as the
// data dictionary names them (evaluations[].findings[].deadline); an
// indicator's lower levels have the fields of the indicator.
func jsonPaths(t *testing.T, doc []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				out[p] = true
				if k == "items" && strings.HasSuffix(prefix, "indicators[]") {
					walk(prefix, x) // a lower level: the same fields
					continue
				}
				walk(p, x)
			}
		case []any:
			for _, x := range v {
				walk(strings.TrimSuffix(prefix, "[]")+"[]", x)
			}
		}
	}
	walk("", v)
	return out
}

// TestDataPageDescribesEveryColumn checks the 数据说明 page of the fixture
// with every field: every column of every CSV file and every field of
// evaluations.json it publishes has a row of the dictionary, and the page
// links every file and each year's zip, and says how to check them.
func TestDataPageDescribesEveryColumn(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, fullContent, on(2024, time.July, 1))
	page := s.File("data/index.html")
	files := dataFiles(t, s)
	for name, b := range files {
		if !strings.HasSuffix(name, ".csv") {
			continue
		}
		for _, h := range parseCSV(t, name, b)[0] {
			if !strings.Contains(page, `<th scope="row">`+h+`</th>`) {
				t.Errorf("the page does not describe column %s of %s", h, name)
			}
		}
	}
	paths := jsonPaths(t, files["evaluations.json"])
	if len(paths) < 90 {
		t.Fatalf("only %d fields in evaluations.json", len(paths))
	}
	for p := range paths {
		if !strings.Contains(page, `<th scope="row"><code>`+p+`</code></th>`) {
			t.Errorf("the page does not describe field %s of evaluations.json", p)
		}
	}
	for name := range files {
		if !strings.Contains(name, ":") && name != "index.html" && !strings.Contains(page, `href="../data/`+name+`"`) {
			t.Errorf("the page does not link %s", name)
		}
	}
	s.AssertFileContent("data/index.html", "万元", "日期（YYYY-MM-DD）", "sha256sum -c SHA256SUMS", "certutil -hashfile", "UTF-8", "CRLF",
		// A province's indicators.csv outgrows a worksheet (1,268,750 rows
		// at 100,000 evaluations): the page says where to turn.
		"1,048,576 行", "各年度数据包中的同名文件")
	// Linked from every page's footer and from the year's downloads.
	s.AssertFileContent("2023/road-maintenance/index.html", `<p class="data-link"><a href="../../data/">数据说明与下载</a>`)
	s.AssertFileContent("2023/index.html", `<a href="../data/2023.zip" download>2023年数据包（ZIP）</a>`, `<a href="../data/">数据说明</a>`)
	s.AssertFileContent("congress/2023/index.html", `<a href="../../data/2023.zip" download>2023年数据包（ZIP）</a>`)
}

// TestSitemapListsDataPage checks that the 数据说明 page is in the sitemap,
// without a date (it has none stated).
func TestSitemapListsDataPage(t *testing.T) {
	t.Parallel()
	s := buildSeries(t)
	var sm sitemap
	if err := xml.Unmarshal([]byte(s.File("sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	for _, u := range sm.URLs {
		if u.Loc == "https://czj.example.gov.cn/jxgk/data/" {
			if u.LastMod != "" {
				t.Errorf("sitemap: data/ lastmod %q, want none", u.LastMod)
			}
			return
		}
	}
	t.Error("the sitemap lacks the data page")
}
