package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ReadXLSX reads a workbook (.xlsx): each sheet that is a self-evaluation
// form (项目支出绩效自评表) becomes one Draft, each sheet that is a results
// notice one Draft per row. Sheets that are neither are skipped; a
// workbook with no form and no notice is an error, said in Chinese.
//
// Cells are read raw, as stored, not as formatted for display: a number
// format of "0.00" would show 89.974 as 89.97, and the importer takes
// figures as written. A float Excel stored with binary noise is read back
// at Excel's 15 significant digits (see cleanNumber). A percentage is the
// exception: Excel keeps 98.97% as 0.9897, so a cell with a percent format
// is read as it shows ("98.97%"), which is what the form published.
func ReadXLSX(name string, data []byte) ([]*Draft, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s：不是可读取的 Excel 工作簿（.xlsx）：%v；如是旧版 .xls，请在 Excel 或 WPS 中另存为 .xlsx", name, err)
	}
	defer f.Close()
	var out []*Draft
	var skipped []string
	for _, sheet := range f.GetSheetList() {
		g, err := sheetGrid(f, sheet)
		if err != nil {
			return nil, fmt.Errorf("%s：读取工作表“%s”失败：%v", name, sheet, err)
		}
		switch {
		case g.Rows() == 0:
			continue
		case IsForm(g):
			out = append(out, ReadForm(name, g))
		case IsNotice(g):
			out = append(out, ReadNotice(name, g)...)
		default:
			skipped = append(skipped, sheet)
		}
	}
	if len(out) == 0 {
		if len(skipped) > 0 {
			return nil, fmt.Errorf("%s：工作表 %q 既不是项目支出绩效自评表（找不到“一级指标”“三级指标”等表头），也不是评价结果公示表（找不到“项目名称”和“得分”或“等级”列）", name, skipped)
		}
		return nil, errors.New(name + "：工作簿是空的")
	}
	return out, nil
}

// sheetGrid reads one worksheet into a Grid, merged ranges resolved.
func sheetGrid(f *excelize.File, sheet string) (*Grid, error) {
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	percent := map[int]bool{} // style id → shows its number as a percentage
	for r, row := range rows {
		for c, s := range row {
			row[c] = cleanNumber(s)
			if numberLike(s) && percentCell(f, sheet, r, c, percent) {
				// Excel stores 98.97% as 0.9897 and shows it with a percent
				// format; the form publishes what it shows.
				if v, err := f.GetCellValue(sheet, A1(r, c)); err == nil && strings.HasSuffix(v, "%") {
					row[c] = v
				}
			}
		}
	}
	mcs, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, err
	}
	merges := make([]Merge, 0, len(mcs))
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		merges = append(merges, Merge{Top: r1 - 1, Left: c1 - 1, Bottom: r2 - 1, Right: c2 - 1})
	}
	return NewGrid(sheet, rows, merges), nil
}

// percentCell reports whether the cell at (row, col) has a percent number
// format (built-in 9 and 10, or a custom format with %), remembering the
// answer by style in seen.
func percentCell(f *excelize.File, sheet string, row, col int, seen map[int]bool) bool {
	id, err := f.GetCellStyle(sheet, A1(row, col))
	if err != nil || id == 0 {
		return false
	}
	if p, ok := seen[id]; ok {
		return p
	}
	st, err := f.GetStyle(id)
	p := err == nil && (st.NumFmt == 9 || st.NumFmt == 10 || (st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "%")))
	seen[id] = p
	return p
}
