package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestImportWorkbooksEndToEnd imports a folder holding the national form,
// a GBK notice of 20 rows and generated forms through Import, writes them, and
// loads the records with the real loader: every written record loads
// without an error (the loader reads drafts like any record), the form's
// figures survive the TOML as written, and a second run changes nothing.
func TestImportWorkbooksEndToEnd(t *testing.T) {
	src := t.TempDir()
	if err := GenerateForms(src, 5, 3); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "national.xlsx"), book(t, nationalForm()), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, _ := noticeTable()
	var csv strings.Builder
	for _, row := range rows {
		csv.WriteString(strings.Join(row, ",") + "\r\n")
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "公示.csv"), []byte(gbk), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := newContent(t)
	rep, err := Import(Options{Content: dir, Year: 2023}, []string{src})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("import failed: %+v", rep.Sources)
	}
	n := 0
	for _, s := range rep.Sources {
		n += len(s.Records)
	}
	if n != 26 {
		t.Fatalf("%d records from 6 forms and a notice of 20 rows", n)
	}
	c := load(t, dir)
	if len(c.Records) != 26 {
		t.Errorf("%d records load", len(c.Records))
	}
	if nr := byTitle(c)["第12号民生项目"]; nr == nil || nr.Method != "department" || amountText(nr.Budget) != "21.1407" || nr.Department != "贵池区第12局" {
		t.Errorf("notice row as loaded: %+v", nr)
	}
	r := byTitle(c)["棠溪镇农村道路养护项目"]
	if r == nil {
		t.Fatalf("the national form's record is missing")
	}
	if len(r.Funds) != 2 || amountText(r.Funds[0].Spent) != "89.974" || amountText(r.Funds[1].Spent) != "9.0001" ||
		amountText(r.ExecutionRate) != "98.97" || scoreText(r.Score) != "93.86" || len(r.Indicators) != 4 ||
		r.Indicators[1].Items[0].Items[0].Deviation != "两处路段汛期封闭" || r.Department != "池州市贵池区棠溪镇人民政府" {
		t.Errorf("record as loaded: funds %d, rate %s, score %s, %d indicators", len(r.Funds), amountText(r.ExecutionRate), scoreText(r.Score), len(r.Indicators))
	}
	before, _ := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(r.File, "content/")))
	rep2, err := Import(Options{Content: dir, Year: 2023}, []string{src})
	if err != nil || rep2.Failed() {
		t.Fatalf("second import: %v", err)
	}
	for _, s := range rep2.Sources {
		for _, w := range s.Records {
			if w.Status != StatusAlready {
				t.Errorf("second import of %s: %s", s.File, w.Status)
			}
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(r.File, "content/")))
	if string(before) != string(after) || len(before) == 0 {
		t.Errorf("a second import changed the first record")
	}
}
