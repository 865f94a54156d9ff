package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file reads Word (.docx, also as WPS saves it) documents: each
// top-level table becomes a Grid, so that a 项目支出绩效自评表 typed as a
// Word table is read by the same ReadForm as a worksheet, and the
// paragraphs outside tables become the narrative. OOXML is a zip of XML;
// only word/document.xml is read, with archive/zip and encoding/xml (no
// maintained Go library reads Word tables with their merges).

// wordNS is the WordprocessingML namespace of w: elements.
const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// maxDocumentXML bounds word/document.xml as read: a form or a report is
// far smaller; a larger part is no document a bureau types.
const maxDocumentXML = 64 << 20

// ReadDOCX reads a Word document: each table that is a self-evaluation
// form becomes one Draft, each table that is a results notice one Draft
// per row. The document's paragraphs outside tables (a report's headings
// and text) become the narrative of the first form's Draft. Refs are
// "表1 第3行第2列": the table's number in the document, the row and the
// column of the table's grid, from 1.
func ReadDOCX(name string, data []byte) ([]*Draft, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s：不是可读取的 Word 文档（.docx）：%v；如是旧版 .doc，请在 Word 或 WPS 中另存为 .docx", name, err)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
		}
	}
	if part == nil {
		return nil, fmt.Errorf("%s：文档中没有正文（word/document.xml），不是 Word 文档", name)
	}
	rc, err := part.Open()
	if err != nil {
		return nil, fmt.Errorf("%s：读取正文失败：%v", name, err)
	}
	defer rc.Close()
	tables, narrative, err := parseDocument(io.LimitReader(rc, maxDocumentXML))
	if err != nil {
		return nil, fmt.Errorf("%s：正文的 XML 有误：%v；请在 Word 或 WPS 中打开后重新保存", name, err)
	}
	var out []*Draft
	told := false // whether the narrative went to a form's Draft
	for i, t := range tables {
		g := t.grid(i + 1)
		switch {
		case g.Rows() == 0:
		case IsForm(g):
			d := ReadForm(name, g)
			if len(narrative) > 0 && !told {
				d.Narrative, told = narrative, true
			}
			out = append(out, d)
		case IsNotice(g):
			out = append(out, ReadNotice(name, g)...)
		}
	}
	if len(out) == 0 {
		return nil, errors.New(name + "：文档中没有项目支出绩效自评表（找不到“一级指标”“三级指标”等表头）或评价结果公示表（找不到“项目名称”和“得分”或“等级”列）")
	}
	return out, nil
}

// wordCell is a table cell as Word stores it.
type wordCell struct {
	text   strings.Builder
	paras  int
	span   int    // w:gridSpan
	vmerge string // "", "restart" or "continue" (w:vMerge)
}

// wordTable is a table as Word stores it: rows of cells, each row shifted
// right by its w:gridBefore.
type wordTable struct {
	rows   [][]*wordCell
	before []int
}

// grid lays a Word table out on its grid: a cell spanning columns is a
// merged range, and cells continuing a vertical merge extend the range
// of the cell above.
func (t *wordTable) grid(n int) *Grid {
	cells := make([][]string, len(t.rows))
	var merges []Merge
	open := map[int]int{} // column → index in merges of the range a vMerge may extend
	for r, row := range t.rows {
		col := t.before[r]
		cells[r] = make([]string, col)
		for _, c := range row {
			span := max(c.span, 1)
			for range span {
				cells[r] = append(cells[r], "")
			}
			if c.vmerge == "continue" {
				if i, ok := open[col]; ok && merges[i].Bottom == r-1 {
					merges[i].Bottom = r
					col += span
					continue
				}
			}
			cells[r][col] = strings.TrimSpace(c.text.String())
			if span > 1 || c.vmerge == "restart" {
				merges = append(merges, Merge{Top: r, Left: col, Bottom: r, Right: col + span - 1})
				open[col] = len(merges) - 1
			} else {
				delete(open, col)
			}
			col += span
		}
	}
	g := NewGrid("表"+strconv.Itoa(n), cells, merges)
	g.refs = func(row, col int) string { return fmt.Sprintf("表%d 第%d行第%d列", n, row+1, col+1) }
	return g
}

// parseDocument reads word/document.xml: its top-level tables, and its
// paragraphs outside tables as Markdown (headings by their style's level).
func parseDocument(r io.Reader) ([]*wordTable, []byte, error) {
	dec := xml.NewDecoder(r)
	var tables []*wordTable
	var table *wordTable
	var cell *wordCell
	depth := 0 // of nested w:tbl
	var md bytes.Buffer
	var para strings.Builder
	heading := 0
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != wordNS {
				continue
			}
			switch e.Name.Local {
			case "tbl":
				depth++
				if depth == 1 {
					table = &wordTable{}
					tables = append(tables, table)
				}
			case "tr":
				if depth == 1 {
					table.rows = append(table.rows, nil)
					table.before = append(table.before, 0)
				}
			case "gridBefore":
				if depth == 1 && len(table.before) > 0 {
					table.before[len(table.before)-1] = min(max(attrInt(e, "val"), 0), 1000)
				}
			case "tc":
				if depth == 1 && len(table.rows) > 0 {
					cell = &wordCell{span: 1}
					table.rows[len(table.rows)-1] = append(table.rows[len(table.rows)-1], cell)
				}
			case "gridSpan":
				if depth == 1 && cell != nil {
					cell.span = min(max(attrInt(e, "val"), 1), 1000)
				}
			case "vMerge":
				if depth == 1 && cell != nil {
					cell.vmerge = "continue"
					if attr(e, "val") == "restart" {
						cell.vmerge = "restart"
					}
				}
			case "p":
				if cell != nil {
					if cell.paras > 0 {
						cell.text.WriteByte('\n')
					}
					cell.paras++
				} else {
					para.Reset()
					heading = 0
				}
			case "pStyle":
				if cell == nil {
					heading = headingLevel(attr(e, "val"))
				}
			case "t":
				inText = true
			case "tab":
				write(cell, &para, " ")
			case "br":
				write(cell, &para, "\n")
			}
		case xml.EndElement:
			if e.Name.Space != wordNS {
				continue
			}
			switch e.Name.Local {
			case "tbl":
				depth--
				if depth == 0 {
					table = nil
				}
			case "tc":
				if depth == 1 {
					cell = nil
				}
			case "t":
				inText = false
			case "p":
				if cell == nil && depth == 0 {
					if s := strings.TrimSpace(para.String()); s != "" {
						if heading > 0 {
							md.WriteString(strings.Repeat("#", min(heading+1, 6)) + " ")
						}
						md.WriteString(s + "\n\n")
					}
				}
			}
		case xml.CharData:
			if inText {
				write(cell, &para, string(e))
			}
		}
	}
	var narrative []byte
	if md.Len() > 0 {
		narrative = bytes.TrimRight(md.Bytes(), "\n")
		narrative = append(narrative, '\n')
	}
	return tables, narrative, nil
}

// write adds text to the cell being read, or to the paragraph outside
// tables.
func write(cell *wordCell, para *strings.Builder, s string) {
	if cell != nil {
		cell.text.WriteString(s)
		return
	}
	para.WriteString(s)
}

// headingLevel returns the level of a heading style ("Heading1", "1",
// "标题 2"; WPS and Chinese Word name them by number), 0 for body text.
func headingLevel(style string) int {
	s := strings.TrimSpace(style)
	for _, p := range []string{"Heading", "heading", "标题"} {
		s = strings.TrimPrefix(s, p)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 9 {
		return 0
	}
	return n
}

// attr returns the w: attribute name of e.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// attrInt returns the w: attribute name of e as a number, 0 if it is none.
func attrInt(e xml.StartElement, name string) int {
	n, _ := strconv.Atoi(attr(e, name))
	return n
}
