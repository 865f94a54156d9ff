package site

import (
	"fmt"

	"github.com/evalpress/evalpress/internal/export"
)

// OpenDataPath is the path of the 数据说明 page, the data folder's index.
const OpenDataPath = DataDir

// OpenData is what the 数据说明 page shows: the files of the data package
// and the dictionary of their columns and fields. The dictionary comes
// from the tables the CSV writers use and from the JSON Schema, so the
// page cannot describe a column the files do not have, or miss one.
type OpenData struct {
	// Files are the files of all years, each with its path from the
	// site root.
	Files []DataFile
	// Years are the years with data, newest first, with their CSV and zip.
	Years []DataYear
	// Tables are the CSV files' columns.
	Tables []export.Table
	// Fields are the fields of evaluations.json.
	Fields []export.Field
	// PathSeparator joins the names in indicators.csv's 指标路径.
	PathSeparator string
}

// DataFile is one file of the data package and what it holds.
type DataFile struct {
	Path, Name, About string
}

// DataYear is one year's files.
type DataYear struct {
	Year     int
	CSV, Zip string
}

// openData renders the 数据说明 page.
func (r *Renderer) openData(w Writer) error {
	m := r.model
	fields, err := export.SchemaFields()
	if err != nil {
		return err
	}
	d := &OpenData{Tables: export.Tables(), Fields: fields, PathSeparator: export.PathSeparator}
	about := map[string]string{
		export.JSONFile:   "全部评价的完整数据（JSON），含各级指标、资金来源、问题整改、结果应用等全部字段",
		export.SchemaFile: "evaluations.json 的结构说明（JSON Schema 2020-12），可用于自动校验",
		export.SumsFile:   "本目录全部文件的 SHA-256 校验值",
	}
	for _, t := range d.Tables {
		about[t.File] = fmt.Sprintf("%s（CSV），每行为%s", t.Title, t.Row)
	}
	for _, name := range []string{export.EvaluationsCSV, export.IndicatorsCSV, export.FindingsCSV, export.FundsCSV, export.JSONFile, export.SchemaFile, export.SumsFile} {
		d.Files = append(d.Files, DataFile{Path: DataDir + name, Name: name, About: about[name]})
	}
	for _, y := range m.dataYears() {
		d.Years = append(d.Years, DataYear{Year: y.Year, CSV: yearCSV(y.Year), Zip: yearZip(y.Year)})
	}
	p := &Page{Site: m, Title: "数据说明", Path: OpenDataPath, Section: "data", OpenData: d,
		Crumbs: []Crumb{{"首页", ""}, {"数据说明", ""}},
		Description: fmt.Sprintf("%s公开的预算绩效评价结果数据：CSV、JSON 文件与按年度打包下载，各文件各列的含义与单位，校验方法。",
			m.Config.Organization)}
	p.Root = rootOf(p.Path)
	return r.render(w, "opendata.html", p.Path+"index.html", p)
}
