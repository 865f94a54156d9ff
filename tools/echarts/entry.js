// The ECharts that evalpress ships: bar charts drawn as SVG, with grid,
// legend and aria (descriptions and decal patterns), nothing else. Each
// import adds to every page with a chart; internal/chart uses no other
// series type or component (no title: the page's figcaption is the title;
// no tooltip: every number is on the bars and in the table, and ECharts'
// HTML tooltip writes style attributes that a strict CSP refuses).
import { use, init, getInstanceByDom, version } from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendPlainComponent, AriaComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, GridComponent, LegendPlainComponent, AriaComponent, SVGRenderer]);

// The bundle is an IIFE with globalName "echarts": these become
// window.echarts.init and so on, which assets/js/charts.js uses.
export { init, getInstanceByDom, version };
