package chart

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Chart is one figure: what the page shows in place of the drawing when
// JavaScript or ECharts is missing (Title, Description, Table), and what
// assets/js/charts.js draws (Option).
type Chart struct {
	// ID is unique on a page and stable across builds: "chart-eval",
	// "chart-grades-2023". It is ASCII letters, digits and '-', valid as an
	// HTML id; the script never turns it into a JavaScript name.
	ID string
	// Title is the figure's caption, in Chinese.
	Title string
	// Description is the text alternative: the chart's numbers in one or
	// two Chinese sentences, for aria and for the page.
	Description string
	// Option is the ECharts option as JSON, with <, >, & and U+2028/9
	// escaped as \u sequences, so that the bytes are safe wherever they
	// land. Templates place it with OptionAttr, never on its own.
	Option string
	// Table holds the chart's numbers, and for large years more rows than
	// the chart shows.
	Table Table
	// Height is the drawing's height in CSS px: one of Heights, chosen so
	// that each bar has room whether there is 1 of them or 30.
	Height int
	// Sentence, when not empty, says in words all that the chart would
	// show, and pages show it instead of the chart: see Informative.
	Sentence string
}

// Informative reports whether the chart is worth drawing. The rule: a
// year's chart needs at least two bars with something to show (a count or
// an amount other than 0, or a department's label). With fewer it compares
// nothing: a year of one record drew four charts of "1 项 / 0 / 0 / 0",
// and two records of one grade draw one bar beside empty ones. Such a
// chart has a Sentence that says the same in one line, and its page shows
// that instead of the drawing and its table.
func (c *Chart) Informative() bool { return c.Sentence == "" }

// minBars is the number of bars with something to show that a year's
// chart needs to be drawn (see Chart.Informative).
const minBars = 2

// shownBars counts the items that draw a bar or a label.
func shownBars(items []item) int {
	n := 0
	for _, it := range items {
		if it.Empty || it.Value != 0 {
			n++
		}
	}
	return n
}

// OptionAttr returns the data-chart-option attribute that carries Option
// to assets/js/charts.js. The value is single-quoted, so the JSON's many
// double quotes stay as they are (5 KB of option instead of 8 KB on an
// evaluation page), and escaped with attrEscaper: ampersands, apostrophes
// and angle brackets become entities, so the JSON is text to the HTML
// parser and cannot end the attribute or the tag. A test checks that the
// value decodes to the option whatever it holds.
func (c *Chart) OptionAttr() template.HTMLAttr {
	return template.HTMLAttr(`data-chart-option='` + attrEscaper.Replace(c.Option) + `'`)
}

// attrEscaper escapes text for a single-quoted attribute value.
var attrEscaper = strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;")

// SizeClass returns the CSS class that gives the chart its height,
// "chart-h320"; the site's stylesheet has one rule per entry of Heights (no
// style attribute: the CSP forbids inline styles).
func (c *Chart) SizeClass() string { return fmt.Sprintf("chart-h%d", c.Height) }

// Heights are the heights a chart may have, in CSS px.
var Heights = func() []int {
	var h []int
	for px := minHeight; px <= maxHeight; px += heightStep {
		h = append(h, px)
	}
	return h
}()

const (
	minHeight  = 240
	maxHeight  = 960
	heightStep = 80
	// fixedHeight is the height of charts with a few vertical bars.
	fixedHeight = 320
	// rowHeight is the room of one horizontal bar with a two-line name,
	// and frame the room of legend and value axis.
	rowHeight = 28
	frame     = 88
	// maxRows bounds the bars of one chart: (960-88)/28 = 31. A year with
	// more departments shows the ones with most evaluations; the table
	// lists them all.
	maxRows = 30
)

// heightFor returns the height for n horizontal bars.
func heightFor(n int) int {
	h := frame + n*rowHeight
	h = (h + heightStep - 1) / heightStep * heightStep
	return min(max(h, minHeight), maxHeight)
}

// Table is a chart's data as a table. The first column names the row (it is
// a row header); the others are values.
type Table struct {
	Caption string
	Head    []string
	// Numeric marks the columns to align right, one flag per column.
	Numeric []bool
	Rows    [][]string
	// Note says what the rows leave out or how they are counted, or "".
	Note string
}

// wrap breaks a category name into lines of at most width runes, at most
// lines lines, ending in "…" if cut, so that a long department name does not
// squeeze the bars on a phone. The table keeps the full name.
func wrap(name string, width, lines int) string {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) <= width {
		return name
	}
	r := []rune(name)
	var out []string
	for len(r) > 0 && len(out) < lines {
		n := min(width, len(r))
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	if len(r) > 0 {
		last := []rune(out[len(out)-1])
		out[len(out)-1] = string(last[:len(last)-1]) + "…"
	}
	return strings.Join(out, "\n")
}
