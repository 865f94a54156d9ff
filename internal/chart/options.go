package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/go-echarts/go-echarts/v2/types"
)

// barPrototype is a chart as charts.NewBar makes it, made once. NewBar fills
// go-echarts' defaults by walking its whole configuration by reflection,
// which is the same for every chart; every evaluation page has a chart, and
// on 10,000 pages that walk was over 1 % of a build's CPU time.
var barPrototype = charts.NewBar()

// newBar returns a chart equal to what charts.NewBar returns, copied from
// barPrototype. A struct copy shares the prototype's slices and maps: those
// that option writes into (the axes by index, the grids and series by
// append) are copied, and the assets, which Validate rewrites in place, are
// made anew, so that charts made at once on several goroutines share
// nothing that any of them writes. The rest is only ever assigned whole.
// TestNewBarIsNewBar checks the copy against charts.NewBar.
func newBar() *charts.Bar {
	c := *barPrototype
	c.XAxisList = slices.Clone(barPrototype.XAxisList)
	c.YAxisList = slices.Clone(barPrototype.YAxisList)
	c.GridList = slices.Clone(barPrototype.GridList)
	c.MultiSeries = slices.Clone(barPrototype.MultiSeries)
	c.Colors = slices.Clone(barPrototype.Colors)
	c.Assets = opts.Assets{}
	c.InitAssets()
	c.Renderer = render.NewChartRender(&c, c.Validate)
	return &c
}

// gradeStyle is how one grade band is drawn. Fills differ in hue and in
// lightness, as the site's grade badges do, and the dark ones carry a
// pattern (decal), so that 优 and 差 (both dark) stay apart in grayscale
// print and for readers who do not tell red from green.
type gradeStyle struct {
	Fill   string
	Border string // darker edge: gives light fills 3:1 against white (WCAG 1.4.11)
	Decal  decal
}

// decal is an ECharts aria decal (https://echarts.apache.org/en/option.html#aria.decal.decals).
// go-echarts 2.6.7 types aria.decal.decals as []AriaDecal, which cannot hold
// a pattern, so the patterns are our own type.
type decal struct {
	Color      string    `json:"color"`
	Symbol     string    `json:"symbol,omitempty"`
	SymbolSize float64   `json:"symbolSize,omitempty"`
	DashArrayX []float64 `json:"dashArrayX,omitempty"`
	DashArrayY []float64 `json:"dashArrayY,omitempty"`
	Rotation   float64   `json:"rotation,omitempty"`
}

// gradeStyles are indexed by a grade's rank in the bands (0 = best). The
// first four match --g0…--g3 of the site's CSS (the light blue badge becomes
// a mid blue, which reads as a bar on white). Bands beyond four, which a
// site may configure, take the greys.
var gradeStyles = []gradeStyle{
	{Fill: "#0f5132", Border: "#0f5132", Decal: decal{Color: "rgba(0,0,0,0)"}}, // solid dark green
	{Fill: "#3d7cc9", Border: "#1f4f8a", Decal: decal{Color: "rgba(255,255,255,0.6)", Symbol: "circle", SymbolSize: 0.6,
		DashArrayX: []float64{6, 6}, DashArrayY: []float64{6, 0}}}, // dots
	{Fill: "#e0b000", Border: "#7a5c00", Decal: decal{Color: "rgba(0,0,0,0.35)", Symbol: "rect", SymbolSize: 1,
		DashArrayX: []float64{1, 0}, DashArrayY: []float64{2, 6}, Rotation: -math.Pi / 4}}, // thin dark hatching
	{Fill: "#7a1010", Border: "#7a1010", Decal: decal{Color: "rgba(255,255,255,0.7)", Symbol: "rect", SymbolSize: 1,
		DashArrayX: []float64{1, 0}, DashArrayY: []float64{3, 3}}}, // white stripes
	{Fill: "#5b6470", Border: "#3a4049", Decal: decal{Color: "rgba(255,255,255,0.6)", Symbol: "triangle", SymbolSize: 0.7,
		DashArrayX: []float64{8, 8}, DashArrayY: []float64{8, 0}}},
	{Fill: "#a9b0ba", Border: "#5b6470", Decal: decal{Color: "rgba(0,0,0,0.4)", Symbol: "rect", SymbolSize: 1,
		DashArrayX: []float64{1, 0}, DashArrayY: []float64{2, 4}, Rotation: math.Pi / 4}},
}

// ungraded draws items whose grade is not one of the bands.
var ungraded = gradeStyle{Fill: "#d9dde3", Border: "#4e5969", Decal: decal{Color: "rgba(0,0,0,0.45)", Symbol: "circle",
	SymbolSize: 0.5, DashArrayX: []float64{4, 4}, DashArrayY: []float64{4, 0}}}

// styleOf returns the style of the grade of rank r (-1: no band).
func styleOf(r int) gradeStyle {
	switch {
	case r < 0:
		return ungraded
	case r < len(gradeStyles):
		return gradeStyles[r]
	default:
		return gradeStyles[len(gradeStyles)-2+(r-len(gradeStyles))%2]
	}
}

// fontFamily is the site's CJK font stack (assets/css/site.css), so that the
// labels in a chart look like the text around it.
const fontFamily = `"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif`

const (
	inkColor   = "#1d2129"
	mutedColor = "#4e5969"
	lineColor  = "#d9dde3"
)

// bar is one bar chart: categories along one axis, one value per category,
// each coloured by a grade. Every chart of the site is one of these.
type bar struct {
	Horizontal bool // categories top to bottom, bars to the right
	Categories []string
	Items      []item // one per category
	// Grades names the bands in rank order; each becomes a series, so the
	// legend shows every grade with its colour and pattern.
	Grades []string
	// ValueMax fixes the value axis' end (100 for rates); 0 lets ECharts choose.
	ValueMax float64
	// ValueName names the value axis, ValueUnit follows its tick labels.
	ValueName, ValueUnit string
	// CategoryName names the category axis.
	CategoryName string
	// Integer values only (counts): no ticks at 0.5.
	Integer bool
	// LabelRoom is the room in px right of (or above) the bars for labels.
	LabelRoom int
}

// item is one bar.
type item struct {
	Value float64
	Rank  int    // grade rank in the bands, -1 for none
	Label string // shown next to the bar; literal text, no {} templates
	// Empty marks a category without a value (a department with grades
	// only): no bar, only its Label, which says why.
	Empty bool
}

// option builds the ECharts option of b with go-echarts and marshals it.
// All go-echarts settings of the site are here.
func (b bar) option() (string, error) {
	c := newBar()

	valueAxis := axisOptions{
		Type: "value", Name: b.ValueName, Unit: b.ValueUnit, Max: b.ValueMax, Integer: b.Integer,
	}
	categoryAxis := axisOptions{Type: "category", Name: b.CategoryName, Data: b.Categories, Inverse: b.Horizontal}
	if !b.Horizontal && len(b.Categories) > 6 {
		// Ten bins of a histogram do not fit side by side on a phone;
		// slanted, every one stays readable.
		categoryAxis.Rotate = 40
	}
	// ECharts 6 keeps axis labels inside the grid by itself (grid.outerBounds);
	// the margins leave room for the legend and the bar labels.
	grid := opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "8"}
	if b.Horizontal {
		c.XYReversal()
		c.SetGlobalOptions(charts.WithXAxisOpts(valueAxis.x()), charts.WithYAxisOpts(categoryAxis.y()))
		grid.Right = fmt.Sprint(16 + b.LabelRoom)
	} else {
		c.SetGlobalOptions(charts.WithXAxisOpts(categoryAxis.x()), charts.WithYAxisOpts(valueAxis.y()))
		grid.Top = fmt.Sprint(56 + b.LabelRoom) // the value axis's name stands above the axis
	}
	// The legend's place and text are the theme's (see Theme); it is
	// drawn because the option has one.
	c.SetGlobalOptions(charts.WithGridOpts(grid), charts.WithLegendOpts(opts.Legend{}))
	c.SetXAxis(b.Categories)

	series := seriesOf(b.Grades, b.Items)
	position := "top"
	if b.Horizontal {
		position = "right"
	}
	// Room for every series at once: go-echarts appends each (1,224
	// bytes), and growing the slice one by one copied them (a tenth of
	// the evaluation pages' chart allocations).
	c.MultiSeries = make(charts.MultiSeries, 0, len(series))
	for _, s := range series {
		data := make([]opts.BarData, len(b.Items))
		for i, it := range b.Items {
			if it.Empty && s.rank == 0 && it.Label != "" {
				// An invisible bar of 0 in the first series carries the
				// label that says why there is no bar.
				data[i] = opts.BarData{Value: 0, Label: &opts.Label{Formatter: it.Label, Color: mutedColor},
					ItemStyle: &opts.ItemStyle{Color: "rgba(0,0,0,0)", BorderColor: "rgba(0,0,0,0)"}}
				continue
			}
			if it.Empty || !s.holds(it.Rank) {
				data[i] = opts.BarData{Value: "-"} // ECharts' "no value": no bar, no label
				continue
			}
			if math.IsNaN(it.Value) || math.IsInf(it.Value, 0) {
				return "", fmt.Errorf("chart: %q has a value that is not a number", b.Categories[i])
			}
			data[i] = opts.BarData{Value: it.Value, Label: &opts.Label{Formatter: it.Label}}
		}
		// The stack, the gap, the border's width and the label's text are
		// the theme's (see Theme); the grade's colours and the label's side
		// are the series' own.
		c.AddSeries(s.name, data,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: s.style.Fill, BorderColor: s.style.Border}),
			charts.WithLabelOpts(opts.Label{Position: position}),
		)
	}
	c.Validate()

	obj := c.JSON()
	// Components the site does not load (tools/echarts) and go-echarts
	// always emits as {}: drop them so the option says only what is drawn.
	// There is no tooltip on purpose: every number is on the bar and in the
	// table, and ECharts' HTML tooltip writes style attributes that the
	// site's CSP (style-src 'self') refuses.
	delete(obj, "title")
	delete(obj, "toolbox")
	delete(obj, "tooltip")
	// go-echarts' default palette: the series have their grades' colours,
	// and the theme the grades' palette.
	delete(obj, "color")
	obj["aria"] = aria(series)
	return marshal(obj)
}

// marshal encodes an option as compact JSON. encoding/json sorts map keys,
// so the bytes depend only on the option; it escapes <, >, &, U+2028 and
// U+2029, so the JSON is inert in HTML; and it refuses NaN and ±Inf.
func marshal(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// ariaOption is ECharts' aria. go-echarts' opts.Aria cannot express the
// decal patterns (see decal).
type ariaOption struct {
	Enabled types.Bool `json:"enabled"`
	Decal   *struct {
		Decals []decal `json:"decals"`
	} `json:"decal,omitempty"`
}

// aria enables ECharts' accessibility: the theme gives the series at
// place i the pattern of the grade of rank i (see Theme), and an option
// names its series' patterns only when a series is not that grade's (one
// of items without a grade, or of a rank past the theme's). The chart's
// text alternative is the figure's caption and description, which its
// element names (aria-labelledby, aria-describedby); the theme turns
// ECharts' own aria-label off, which no screen reader would read beside
// them.
func aria(series []series) ariaOption {
	a := ariaOption{Enabled: opts.Bool(true)}
	for i, s := range series {
		if s.rank != i || i >= len(gradeStyles) {
			decals := make([]decal, len(series))
			for j, s := range series {
				decals[j] = s.style.Decal
			}
			a.Decal = &struct {
				Decals []decal `json:"decals"`
			}{decals}
			break
		}
	}
	return a
}

// axisOptions are the settings common to x and y axes.
type axisOptions struct {
	Type    string
	Name    string
	Unit    string
	Data    []string
	Max     float64
	Integer bool
	Inverse bool
	Rotate  float64
}

// label returns what the axis' labels have of their own: the unit
// after the value, the slant of crowded categories. Their colours and the
// rest are the theme's.
func (a axisOptions) label() *opts.AxisLabel {
	if a.Unit == "" && a.Rotate == 0 {
		return nil
	}
	// go-echarts writes showMinLabel and showMaxLabel even when unset, as
	// null, which ECharts would take over the theme's: they are set here
	// to the theme's value.
	l := &opts.AxisLabel{Rotate: a.Rotate, ShowMinLabel: opts.Bool(true), ShowMaxLabel: opts.Bool(true)}
	if a.Unit != "" {
		l.Formatter = types.FuncStr("{value}" + a.Unit)
	}
	return l
}

// bounds returns the value axis' end and step; its start, 0, is the
// theme's.
func (a axisOptions) bounds() (max any, minInterval float64) {
	if a.Type != "value" {
		return nil, 0
	}
	if a.Max > 0 {
		max = a.Max
	}
	if a.Integer {
		minInterval = 1
	}
	return max, minInterval
}

func (a axisOptions) inverse() types.Bool {
	if a.Inverse {
		return opts.Bool(true)
	}
	return nil
}

func (a axisOptions) x() opts.XAxis {
	max, minInterval := a.bounds()
	return opts.XAxis{
		Type: a.Type, Name: a.Name, Data: a.data(), Max: max, MinInterval: minInterval,
		Inverse: a.inverse(), AxisLabel: a.label(),
	}
}

func (a axisOptions) y() opts.YAxis {
	max, minInterval := a.bounds()
	return opts.YAxis{
		Type: a.Type, Name: a.Name, Data: a.data(), Max: max, MinInterval: minInterval,
		Inverse: a.inverse(), AxisLabel: a.label(),
	}
}

func (a axisOptions) data() any {
	if a.Data == nil {
		return nil
	}
	return a.Data
}

// series is one grade's series of a bar chart.
type series struct {
	name  string
	rank  int // -1: items outside the bands
	style gradeStyle
}

func (s series) holds(rank int) bool {
	if s.rank < 0 {
		return rank < 0
	}
	return rank == s.rank
}

// seriesOf returns a series per grade, in rank order, and one for items
// without a grade if there are any. Every grade has a series even when it
// is empty, so a grade's colour and pattern are the same in every chart.
func seriesOf(grades []string, items []item) []series {
	out := make([]series, 0, len(grades)+1)
	for r, g := range grades {
		out = append(out, series{name: g, rank: r, style: styleOf(r)})
	}
	for _, it := range items {
		if it.Rank < 0 && !it.Empty {
			out = append(out, series{name: "未定等级", rank: -1, style: styleOf(-1)})
			break
		}
	}
	return out
}
