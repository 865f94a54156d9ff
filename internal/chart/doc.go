// Package chart turns evaluations into chart figures: for each chart an
// ECharts option as escaped JSON, a Chinese text alternative, and the same
// numbers as a table for readers without JavaScript, screen readers and print.
//
// The options are built with go-echarts' types and marshalled here with
// encoding/json, so every string is escaped for HTML (<, >, & and U+2028/9
// become \u escapes) and the bytes are the same for the same input. Every
// go-echarts option the site uses is set in this package, and most in
// options.go; the look all charts share (fonts, colours, the grades'
// patterns) is a theme (theme.go) that charts.js gives ECharts, so that
// each option holds only what is its own.
//
// Package chart is not a renderer. It writes no HTML and no script: it never
// calls go-echarts' Render or RenderSnippet, whose inline <script> carries the
// option unescaped under a random ID. The site's templates place Option in a
// data attribute and Table next to it, and assets/js/charts.js draws the
// charts with the ECharts build of tools/echarts. It does not import the
// site's model either: it takes evaluations and bands, so the site can call
// it with whatever grouping it has.
package chart
