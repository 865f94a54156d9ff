package importer

import (
	"bytes"
	"errors"
	"fmt"

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
// at Excel's 15 significant digits (see cleanNumber).
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
	for _, row := range rows {
		for i, s := range row {
			row[i] = cleanNumber(s)
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
