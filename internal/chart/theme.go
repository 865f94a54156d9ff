package chart

import "sync"

// The look every chart of the site shares (fonts, colours of text and
// lines, the legend's place, the bars' borders and labels, the grades'
// patterns) is an ECharts theme, which assets/js/charts.js gives
// echarts.init for every chart. A page's option says only what is its
// own: the bars and their labels, the grades' colours, the axes'
// names, categories and range, the grid. At 10,000 evaluations the shared
// settings were 24 MB of the site's 37 MB of options (and 5 % of the
// bytes a build writes), repeated in every chart of every page.
//
// ECharts merges a theme into an option as defaults: theme.textStyle
// into the option's, theme.legend and theme.aria into those components,
// theme.categoryAxis and theme.valueAxis into each axis of that type,
// and theme.bar into each bar series; what the option says wins.
//
// charts.js holds a copy of Theme's JSON; TestThemeInChartsJS fails
// when the two differ, and shows the line to put there.

// theme returns the theme as ECharts reads it.
func theme() map[string]any {
	type m = map[string]any
	axisLine := m{"show": true, "lineStyle": m{"color": mutedColor}}
	// The series' colours and patterns by place: the grades' in rank
	// order (see aria).
	colors, decals := make([]string, len(gradeStyles)), make([]decal, len(gradeStyles))
	for i, s := range gradeStyles {
		colors[i], decals[i] = s.Fill, s.Decal
	}
	return m{
		"color":     colors,
		"textStyle": m{"fontFamily": fontFamily, "color": inkColor},
		"legend":    m{"show": true, "left": "0", "top": "0", "textStyle": m{"color": inkColor, "fontSize": 13}},
		"categoryAxis": m{
			"axisLine":  axisLine,
			"axisLabel": m{"show": true, "color": inkColor, "interval": "0", "showMinLabel": true, "showMaxLabel": true},
			"splitLine": m{"show": false, "lineStyle": m{"color": lineColor}},
		},
		"valueAxis": m{
			"min":       0,
			"axisLine":  axisLine,
			"axisLabel": m{"show": true, "color": mutedColor, "showMinLabel": true, "showMaxLabel": true},
			"splitLine": m{"show": true, "lineStyle": m{"color": lineColor}},
		},
		// One stack for all grade series: each category has a value in
		// only one of them, so the bars stand where a single series' bars
		// would, and each grade keeps its colour and pattern.
		"bar": m{
			"stack": "grade", "barCategoryGap": "30%",
			"itemStyle": m{"borderWidth": 1},
			"label":     m{"show": true, "color": inkColor, "fontSize": 12},
		},
		// The figure's caption and description are the chart's text
		// alternative (aria-labelledby, aria-describedby): ECharts' own
		// aria-label would say it again, and its generated one less well.
		"aria": m{
			"enabled": true,
			"label":   m{"enabled": false},
			"decal":   m{"show": true, "decals": decals},
		},
	}
}

// Theme returns the theme as JSON, as charts.js holds it.
var Theme = sync.OnceValue(func() string {
	s, err := marshal(theme())
	if err != nil {
		panic(err) // constants only: a test runs it
	}
	return s
})
