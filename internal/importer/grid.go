package importer

import (
	"strconv"
	"strings"
)

// Grid is one table of a source file (a worksheet, later a Word table) as
// the readers of forms see it: rows and columns of text, with merged
// ranges resolved. A merged range's text is known at every position it
// covers, so that a reader walking a row finds the 一级指标 merged down
// over its children, but the range has one place, its top-left cell, which
// is the cell that is mapped or listed as unused, once.
type Grid struct {
	// Name names the table in refs: the sheet's name ("Sheet1").
	Name string
	// cells holds the text of each top-left (or unmerged) cell, by row,
	// 0-based; rows may be ragged.
	cells [][]string
	// origin maps each position covered by a merged range, other than its
	// top-left, to that top-left.
	origin map[[2]int][2]int
	// used marks top-left cells a reader has taken (mapped, or read as a
	// label it recognised), so that the rest can be listed as unused.
	used map[[2]int]bool
	// refs names a position for the report; nil means A1 refs.
	refs func(row, col int) string
	// width is the widest row's length, counted once: readers ask for it
	// on every row.
	width int
}

// Merge is a merged range, 0-based and inclusive.
type Merge struct{ Top, Left, Bottom, Right int }

// NewGrid makes a grid of cells (by row, 0-based) with merged ranges. The
// text of a merged range is the text of its top-left cell; text found
// elsewhere in a range (which Excel keeps but never shows) is ignored.
func NewGrid(name string, cells [][]string, merges []Merge) *Grid {
	g := &Grid{Name: name, cells: cells, origin: map[[2]int][2]int{}, used: map[[2]int]bool{}}
	for _, r := range cells {
		g.width = max(g.width, len(r))
	}
	for _, m := range merges {
		for r := m.Top; r <= m.Bottom; r++ {
			for c := m.Left; c <= m.Right; c++ {
				if r != m.Top || c != m.Left {
					g.origin[[2]int{r, c}] = [2]int{m.Top, m.Left}
				}
			}
		}
	}
	return g
}

// Rows is the number of rows.
func (g *Grid) Rows() int { return len(g.cells) }

// Cols is the width of the widest row.
func (g *Grid) Cols() int { return g.width }

// Origin returns the top-left cell of the range covering (row, col), or
// (row, col) itself.
func (g *Grid) Origin(row, col int) (int, int) {
	if o, ok := g.origin[[2]int{row, col}]; ok {
		return o[0], o[1]
	}
	return row, col
}

// raw returns the text stored at a top-left cell.
func (g *Grid) raw(row, col int) string {
	if row < 0 || row >= len(g.cells) || col < 0 || col >= len(g.cells[row]) {
		return ""
	}
	return g.cells[row][col]
}

// Text returns the text shown at (row, col), trimmed: a merged range's
// text at every position it covers.
func (g *Grid) Text(row, col int) string {
	r, c := g.Origin(row, col)
	return strings.TrimSpace(g.raw(r, c))
}

// Merged reports whether (row, col) lies in a merged range but is not its
// top-left cell: the same text again, not a new value.
func (g *Grid) Merged(row, col int) bool {
	_, ok := g.origin[[2]int{row, col}]
	return ok
}

// Ref names the cell that holds the text at (row, col), the top-left of
// its range: "Sheet1!C12".
func (g *Grid) Ref(row, col int) string {
	r, c := g.Origin(row, col)
	if g.refs != nil {
		return g.refs(r, c)
	}
	return g.Name + "!" + A1(r, c)
}

// Cell returns the cell at (row, col) for a report: its top-left's ref
// and the text as stored.
func (g *Grid) Cell(row, col int) Cell {
	r, c := g.Origin(row, col)
	return Cell{Ref: g.Ref(r, c), Text: strings.TrimSpace(g.raw(r, c))}
}

// Use marks the cell at (row, col) (its range's top-left) as taken.
func (g *Grid) Use(row, col int) {
	r, c := g.Origin(row, col)
	g.used[[2]int{r, c}] = true
}

// Used reports whether the cell at (row, col) was taken.
func (g *Grid) Used(row, col int) bool {
	r, c := g.Origin(row, col)
	return g.used[[2]int{r, c}]
}

// Unused lists, in row order, every non-empty top-left cell not taken.
func (g *Grid) Unused() []Cell {
	var out []Cell
	for r, row := range g.cells {
		for c, s := range row {
			if strings.TrimSpace(s) == "" || g.Merged(r, c) || g.used[[2]int{r, c}] {
				continue
			}
			out = append(out, g.Cell(r, c))
		}
	}
	return out
}

// RowTexts returns the texts of a row, one per column to the grid's
// width, merged ranges resolved.
func (g *Grid) RowTexts(row int) []string {
	out := make([]string, g.Cols())
	for c := range out {
		out[c] = g.Text(row, c)
	}
	return out
}

// A1 names a 0-based position in A1 style: A1(11, 2) is "C12".
func A1(row, col int) string {
	return colName(col) + strconv.Itoa(row+1)
}

// colName is the letters of a 0-based column: 0 is A, 26 is AA.
func colName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// cleanNumber returns the text of a number cell as Excel shows it at full
// precision: a float Excel stored with binary noise (89.974000000000004,
// 1.0000000000000001E-3) is read at Excel's 15 significant digits, so
// that what the staffer typed comes back. Any other text is returned as
// it is.
func cleanNumber(s string) string {
	if s == "" || !numberLike(s) {
		return s
	}
	digits := 0
	for _, c := range s {
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	// Noise shows in a fraction or an exponent; a long run of digits
	// without either is an ID kept as text (Excel cannot hold it as a
	// number) and is left alone.
	if !strings.ContainsAny(s, ".eE") || (digits <= 15 && !strings.ContainsAny(s, "eE")) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	// 15 significant digits, then the shortest decimal that rounds to it.
	g := strconv.FormatFloat(f, 'g', 15, 64)
	f2, _ := strconv.ParseFloat(g, 64)
	return strconv.FormatFloat(f2, 'f', -1, 64)
}

// numberLike reports whether s is a plain number as a spreadsheet stores
// one: digits, one point, a sign, an exponent.
func numberLike(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}
