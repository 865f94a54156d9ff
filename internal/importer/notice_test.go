package importer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// noticeRowSpec is one evaluation of the test notice.
type noticeRowSpec struct {
	dept, unit, title, amount, score, grade, note string
}

// noticeRows returns the 20 rows of the test notice: ten 财政评价 and ten
// 部门评价, departments with budget codes, amounts with up to four
// decimals, one long-worded grade, one row without a score, notes.
func noticeRows() []noticeRowSpec {
	grades := []string{"优", "良", "中", "良好"}
	var out []noticeRowSpec
	for i := range 20 {
		r := noticeRowSpec{
			dept:   fmt.Sprintf("%d-贵池区第%d局", 219+i, i+1),
			unit:   fmt.Sprintf("贵池区第%d中心", i+1),
			title:  fmt.Sprintf("第%d号民生项目", i+1),
			amount: fmt.Sprintf("%d.%04d", 10+i, 1000+i*37),
			score:  fmt.Sprintf("%d.%d", 70+i, i%10),
			grade:  grades[i%4],
		}
		if i == 7 {
			r.score = ""
		}
		if i%5 == 0 {
			r.note = "已整改"
		}
		out = append(out, r)
	}
	return out
}

// noticeTable lays the notice out as rows of cells: a title, a header in
// the usual wordings, two groups by 评价方式, a 合计 row and a footnote.
// It returns the rows and the row index (0-based) of each evaluation.
func noticeTable() ([][]string, []int) {
	rows := [][]string{
		{"池州市贵池区2023年度预算绩效评价结果公示"},
		{"序号", "主管部门", "项目单位", "项目名称", "资金（万元）", "得分", "等级", "备注"},
	}
	var at []int
	for i, r := range noticeRows() {
		switch i {
		case 0:
			rows = append(rows, []string{"一、财政评价"})
		case 10:
			rows = append(rows, []string{"二、部门评价"})
		}
		at = append(at, len(rows))
		rows = append(rows, []string{fmt.Sprint(i + 1), r.dept, r.unit, r.title, r.amount, r.score, r.grade, r.note})
	}
	rows = append(rows, []string{"合计", "", "", "", "300.5", "", "", ""}, []string{"注：等级按得分划分。"})
	return rows, at
}

func TestReadNoticeXLSX(t *testing.T) {
	rows, at := noticeTable()
	cells := map[string]any{}
	var merges []string
	for r, row := range rows {
		for c, s := range row {
			if s == "" {
				continue
			}
			var v any = s
			if c == 4 && r > 1 { // amounts as Excel numbers
				v = rawNumber(s)
			}
			cells[A1(r, c)] = v
		}
		if len(row) == 1 {
			merges = append(merges, fmt.Sprintf("A%d:H%d", r+1, r+1))
		}
	}
	drafts, err := ReadXLSX("公示.xlsx", book(t, sheetSpec{name: "公示", cells: cells, merges: merges}))
	if err != nil {
		t.Fatal(err)
	}
	checkNotice(t, drafts, at, func(row, col int) string { return "公示!" + A1(row, col) }, "公示!A1", "公示!A3", "公示!A14")
}

func TestReadNoticeCSV(t *testing.T) {
	rows, at := noticeTable()
	var b bytes.Buffer
	for _, row := range rows {
		b.WriteString(strings.Join(row, ",") + "\r\n")
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ref := func(row, col int) string { return fmt.Sprintf("第%d行第%d列", row+1, col+1) }
	for _, c := range []struct {
		name string
		data []byte
		enc  bool
	}{
		{"GBK", gbk, true},
		{"UTF-8 with BOM", append([]byte("\xef\xbb\xbf"), b.Bytes()...), false},
		{"UTF-8", b.Bytes(), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			drafts, err := ReadCSV("公示.csv", c.data)
			if err != nil {
				t.Fatal(err)
			}
			checkNotice(t, drafts, at, ref, "第1行第1列", "第3行第1列", "第14行第1列")
			said := strings.Contains(guessNotes(drafts[0]), "按 GBK")
			if said != c.enc {
				t.Errorf("encoding guess %v, want %v: %s", said, c.enc, guessNotes(drafts[0]))
			}
		})
	}
}

// checkNotice asserts the 20 drafts of the test notice, wherever it came
// from: ref names a cell, title, group1 and group2 the title and group
// rows' cells.
func checkNotice(t *testing.T, drafts []*Draft, at []int, ref func(row, col int) string, title, group1, group2 string) {
	t.Helper()
	specs := noticeRows()
	if len(drafts) != len(specs) {
		t.Fatalf("%d drafts, want %d", len(drafts), len(specs))
	}
	for i, d := range drafts {
		s, r, row := specs[i], d.Record, at[i]
		_, dept := splitCode(s.dept)
		if r.Title != s.title || r.Department != dept || r.Year != 2023 || r.Budget.String() != s.amount || len(r.Indicators) != 0 {
			t.Errorf("row %d: %q %q %d %v", i, r.Title, r.Department, r.Year, r.Budget)
		}
		wantGrade, _ := gradeOf(s.grade)
		if r.Grade != wantGrade {
			t.Errorf("row %d: grade %q, want %q", i, r.Grade, wantGrade)
		}
		wantMethod, group := "finance", group1
		if i >= 10 {
			wantMethod, group = "department", group2
		}
		if r.Method != wantMethod {
			t.Errorf("row %d: method %q", i, r.Method)
		}
		want := []string{title + "→year", group + "→method", ref(row, 1) + "→department", ref(row, 3) + "→title", ref(row, 4) + "→budget"}
		if s.score != "" {
			want = append(want, ref(row, 5)+"→score")
			if want, _ := scoreOf(s.score); r.Score == nil || *r.Score != want {
				t.Errorf("row %d: score %v, want %s", i, r.Score, s.score)
			}
		} else if r.Score != nil {
			t.Errorf("row %d: score %v from an empty cell", i, r.Score)
		}
		want = append(want, ref(row, 6)+"→grade")
		if got := mappings(d); !slices.Equal(got, want) {
			t.Errorf("row %d: mapped\n%v\nwant\n%v", i, got, want)
		}
		// The unit column stays unused (the record has the 主管部门), and so
		// does a note; the first draft also carries the sheet's 合计 row
		// and footnote.
		// The 备注 header is no field's label, so it is listed too.
		wantUnused := []string{}
		if i == 0 {
			total := len(at) + 4
			wantUnused = append(wantUnused, ref(1, 7), ref(total, 0), ref(total, 4), ref(total+1, 0))
		}
		wantUnused = append(wantUnused, ref(row, 2))
		if s.note != "" {
			wantUnused = append(wantUnused, ref(row, 7))
		}
		if got := refs(d.Unused); !slices.Equal(got, wantUnused) {
			t.Errorf("row %d: unused %v, want %v", i, got, wantUnused)
		}
		notes := guessNotes(d)
		for _, w := range []string{"前的预算代码 " + strings.Split(s.dept, "-")[0] + " 已去掉", "表头“资金（万元）”按“全年预算数”读取（budget）", "评价方式按分组标题"} {
			if !strings.Contains(notes, w) {
				t.Errorf("row %d: no guess %q in\n%s", i, w, notes)
			}
		}
		if s.grade == "良好" && !strings.Contains(notes, "等级“良好”按“良”读取") {
			t.Errorf("row %d: long grade not said: %s", i, notes)
		}
	}
}

func TestReadCSVRejectsOtherText(t *testing.T) {
	_, err := ReadCSV("x.csv", []byte("a,b\n1,2\n"))
	if err == nil || !strings.Contains(err.Error(), "x.csv") || !strings.Contains(err.Error(), "项目名称") {
		t.Errorf("err %v", err)
	}
}

// TestLargeNoticeIsLinear reads a notice of 20,000 rows: a county's whole
// year fits one sheet, and reading must not grow with the square of it.
func TestLargeNoticeIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("序号,主管部门,项目名称,资金（万元）,得分,等级\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%d,部门%d,项目%d,%d.5,%d,良\n", i+1, i%60, i, i, 80+i%10)
	}
	start := time.Now()
	drafts, err := ReadCSV("big.csv", []byte(b.String()))
	if err != nil || len(drafts) != 20000 {
		t.Fatalf("%d drafts, %v", len(drafts), err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("20,000 rows took %s", el)
	}
}
