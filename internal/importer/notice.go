package importer

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/content"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file reads results notices (评价结果公示, FORMS.md §4): one row per
// evaluation, from a worksheet or a CSV file. Each row becomes a list-only
// Draft: title, department, amount, score, grade, method, no indicators.

// The notice's columns.
var noticeCols = []header{
	{"seq", []string{"序号", "编号"}},
	{"title", []string{"项目名称", "项目", "评价项目", "评价对象", "政策名称", "项目(政策)名称"}},
	{"department", []string{"主管部门", "部门", "主管单位", "预算部门", "部门名称", "单位名称"}},
	{"unit", []string{"项目单位", "实施单位", "项目实施单位"}},
	{"budget", []string{"全年预算数", "预算数", "资金", "金额", "项目资金", "资金规模", "预算金额", "项目金额", "资金额"}},
	{"spent", []string{"全年执行数", "执行数", "实际支出", "支出数"}},
	{"score", []string{"得分", "评价得分", "自评得分", "综合得分", "分数", "评分"}},
	{"grade", []string{"等级", "评价等级", "自评等级", "评价结果", "结果等级"}},
	{"method", []string{"评价方式", "评价类型", "评价方法"}},
	{"year", []string{"年度", "预算年度", "评价年度"}},
}

// methodOf returns the method a notice's cell names: 单位自评 → self.
func methodOf(s string) string {
	n := norm(s)
	switch {
	case strings.Contains(n, "自评"):
		return "self"
	case strings.Contains(n, "第三方"):
		return "third-party"
	case strings.Contains(n, "财政"):
		return "finance"
	case strings.Contains(n, "部门"):
		return "department"
	}
	return ""
}

// noticeHeader finds the header row of a notice: the first row naming a
// project column and a score, grade or amount column. cols maps fields
// to columns; -1 when there is none.
func noticeHeader(g *Grid) (int, map[string]int, map[string]bool) {
	for row := range min(g.Rows(), 30) {
		cols, syn := map[string]int{}, map[string]bool{}
		for col, t := range g.RowTexts(row) {
			if g.Merged(row, col) {
				continue
			}
			h, s := match(noticeCols, t)
			if h == nil {
				continue
			}
			if _, dup := cols[h.field]; !dup {
				cols[h.field], syn[h.field] = col, s
			}
		}
		_, title := cols["title"]
		_, score := cols["score"]
		_, grade := cols["grade"]
		_, budget := cols["budget"]
		if title && (score || grade || budget) {
			return row, cols, syn
		}
	}
	return -1, nil, nil
}

// IsNotice reports whether a grid holds a results notice.
func IsNotice(g *Grid) bool {
	row, _, _ := noticeHeader(g)
	return row >= 0
}

// ReadNotice reads a results notice from a grid: one Draft per row that
// names a project. Cells outside the rows (a title, a footnote) are listed
// unused with the first Draft; a year in the title above the header
// applies to every row. A row holding a single text (一、财政评价) sets
// the method of the rows below it.
func ReadNotice(source string, g *Grid) []*Draft {
	hdr, cols, syn := noticeHeader(g)
	if hdr < 0 {
		return nil
	}
	year, yearCell := 0, [2]int{-1, -1}
	for row := range hdr {
		for col, t := range g.RowTexts(row) {
			if g.Merged(row, col) {
				continue
			}
			if m := yearIn.FindStringSubmatch(t); m != nil && year == 0 {
				year, _ = strconv.Atoi(m[1])
				yearCell = [2]int{row, col}
				g.Use(row, col)
			}
		}
	}
	var headerGuesses []Guess
	for field, col := range sortedCols(cols) {
		g.Use(hdr, col)
		if syn[field] {
			h, _ := match(noticeCols, g.Text(hdr, col))
			headerGuesses = append(headerGuesses, Guess{Ref: g.Ref(hdr, col),
				Note: fmt.Sprintf("表头“%s”按“%s”读取", g.Text(hdr, col), h.wordings[0])})
			if field == "budget" {
				headerGuesses[len(headerGuesses)-1].Note += "（budget）；如为执行数，请改为 spent"
			}
		}
	}
	var out []*Draft
	method, methodCell := "", Cell{}
	var sheetUnused []Cell
	for row := hdr + 1; row < g.Rows(); row++ {
		texts := g.RowTexts(row)
		var filled []int
		for col, t := range texts {
			if !g.Merged(row, col) && strings.TrimSpace(t) != "" {
				filled = append(filled, col)
			}
		}
		if len(filled) == 0 {
			continue
		}
		title := ""
		if col, ok := cols["title"]; ok {
			// A line merged across the table (a group heading, a note) is
			// no project's title.
			if _, c0 := g.Origin(row, col); c0 == col {
				title = g.Text(row, col)
			}
		}
		if len(filled) == 1 && (title == "" || filled[0] != cols["title"] || methodOf(title) != "") {
			if m := methodOf(texts[filled[0]]); m != "" && !strings.Contains(texts[filled[0]], "合计") {
				method, methodCell = m, g.Cell(row, filled[0])
				g.Use(row, filled[0])
				continue
			}
		}
		if title == "" || isTotalLabel(norm(title)) {
			for _, c := range filled {
				if !g.Used(row, c) {
					sheetUnused = append(sheetUnused, g.Cell(row, c))
					g.Use(row, c)
				}
			}
			continue
		}
		out = append(out, noticeRow(source, g, row, cols, year, yearCell, method, methodCell, headerGuesses))
	}
	if len(out) > 0 {
		// What lies outside the rows: above the header, or rows without a
		// project (notes, a 合计 line).
		rest := append(g.Unused(), sheetUnused...)
		out[0].Unused = append(rest, out[0].Unused...)
	}
	return out
}

// sortedCols returns cols in column order, so that mappings and guesses
// come out in the order a staffer reads the row.
func sortedCols(cols map[string]int) func(func(string, int) bool) {
	fields := slices.Collect(maps.Keys(cols))
	slices.SortFunc(fields, func(a, b string) int { return cmp.Compare(cols[a], cols[b]) })
	return func(yield func(string, int) bool) {
		for _, f := range fields {
			if !yield(f, cols[f]) {
				return
			}
		}
	}
}

// noticeRow reads one row of a notice into a Draft.
func noticeRow(source string, g *Grid, row int, cols map[string]int, year int, yearCell [2]int, method string, methodCell Cell, guesses []Guess) *Draft {
	r := &content.Record{Kind: "project", Year: year, Method: method}
	d := &Draft{Source: source, Record: r, Guesses: append([]Guess(nil), guesses...)}
	mapCell := func(col int, field string) {
		g.Use(row, col)
		d.Mapped = append(d.Mapped, Mapping{Cell: g.Cell(row, col), Field: field})
	}
	if yearCell[0] >= 0 {
		d.Mapped = append(d.Mapped, Mapping{Cell: g.Cell(yearCell[0], yearCell[1]), Field: "year"})
	}
	if method != "" {
		d.Mapped = append(d.Mapped, Mapping{Cell: methodCell, Field: "method"})
		d.Guesses = append(d.Guesses, Guess{Ref: methodCell.Ref, Note: fmt.Sprintf("评价方式按分组标题“%s”读取（method = %q）", methodCell.Text, method)})
	}
	_, hasDept := cols["department"]
	for field, col := range sortedCols(cols) {
		t := g.Text(row, col)
		if g.Merged(row, col) && field != "department" && field != "method" {
			continue
		}
		if blank(t) {
			continue
		}
		switch field {
		case "seq":
			g.Use(row, col) // the row's number: no field, nothing lost
		case "title":
			code, name := splitCode(t)
			if code != "" {
				d.Guesses = append(d.Guesses, Guess{Ref: g.Ref(row, col), Note: fmt.Sprintf("“%s”前的代码 %s 已去掉", t, code)})
			}
			r.Title = name
			mapCell(col, "title")
		case "department", "unit":
			if field == "unit" && hasDept {
				continue // stays unused: the record has one unit, the 主管部门
			}
			code, name := splitCode(t)
			if code != "" {
				d.Guesses = append(d.Guesses, Guess{Ref: g.Ref(row, col), Note: fmt.Sprintf("“%s”前的预算代码 %s 已去掉，只保留名称“%s”", t, code, name)})
			}
			if field == "unit" {
				d.Guesses = append(d.Guesses, Guess{Ref: g.Ref(row, col), Note: "表中没有主管部门一列，项目单位按部门（department）读取"})
			}
			r.Department = name
			mapCell(col, "department")
		case "budget", "spent":
			a, ok := amountOf(t)
			if !ok {
				continue
			}
			if field == "budget" {
				r.Budget = a
			} else {
				r.Spent = a
			}
			mapCell(col, field)
		case "score":
			s, ok := scoreOf(t)
			if !ok {
				continue
			}
			r.Score = &s
			mapCell(col, "score")
		case "grade":
			gr, long := gradeOf(t)
			if gr == "" {
				continue
			}
			if long {
				d.Guesses = append(d.Guesses, Guess{Ref: g.Ref(row, col), Note: fmt.Sprintf("等级“%s”按“%s”读取", t, gr)})
			}
			r.Grade = gr
			mapCell(col, "grade")
		case "method":
			m := methodOf(t)
			if m == "" {
				continue
			}
			r.Method = m
			if !g.Merged(row, col) {
				mapCell(col, "method")
			} else {
				d.Mapped = append(d.Mapped, Mapping{Cell: g.Cell(row, col), Field: "method"})
				g.Use(row, col)
			}
		case "year":
			y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(t, "年度"), "年"))
			if err != nil || y < 1900 || y > 2100 {
				continue
			}
			r.Year = y
			mapCell(col, "year")
		}
	}
	for col, t := range g.RowTexts(row) {
		if !g.Merged(row, col) && strings.TrimSpace(t) != "" && !g.Used(row, col) {
			d.Unused = append(d.Unused, g.Cell(row, col))
			g.Use(row, col)
		}
	}
	return d
}

// ReadCSV reads a results notice saved as CSV: UTF-8 with or without a
// byte-order mark, or GBK/GB18030 as Excel and WPS in China save it. Each
// row that names a project becomes one list-only Draft; refs are "第12行
// 第3列".
func ReadCSV(name string, data []byte) ([]*Draft, error) {
	text, enc := decodeText(data)
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s：CSV 格式有误：%v；请在 Excel 或 WPS 中打开后另存为 CSV", name, err)
		}
		rows = append(rows, rec)
	}
	g := NewGrid(name, rows, nil)
	g.refs = func(row, col int) string { return fmt.Sprintf("第%d行第%d列", row+1, col+1) }
	if !IsNotice(g) {
		return nil, fmt.Errorf("%s：前 30 行中找不到结果公示表的表头（需要“项目名称”一列，以及“得分”“等级”或“资金（万元）”一列）", name)
	}
	out := ReadNotice(name, g)
	if enc != "" && len(out) > 0 {
		out[0].Guesses = append([]Guess{{Ref: "第1行", Note: "文件不是 UTF-8 编码，按 " + enc + " 读取；如有乱码，请另存为“CSV UTF-8”后重新导入"}}, out[0].Guesses...)
	}
	return out, nil
}

// decodeText returns data as UTF-8 text: a byte-order mark is dropped,
// and text that is not valid UTF-8 is read as GB18030 (a superset of GBK,
// what Excel in China saves). enc names the encoding when it was not
// UTF-8.
func decodeText(data []byte) (text, enc string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), ""
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), ""
	}
	return string(out), "GBK（GB18030）"
}
