// evalpress charts: draws each <div class="chart" data-chart-option="…">
// with ECharts (assets/vendor/echarts/echarts.min.js, loaded before this
// file).
//
// A classic deferred script, not an ES module like the other page scripts:
// a built site opened straight from the disk (evalpress build says the
// index.html may be opened directly) must still draw its charts, and
// browsers refuse module scripts from file:// URLs. It is written in the
// same dialect as the modules, held to ES2017 (the target of the ECharts
// build: a browser that runs ECharts runs this too), and wrapped in a
// function, so that it leaves nothing in the global scope.
//
// The option is JSON written by internal/chart and escaped into the
// attribute by its Chart.OptionAttr, so no inline script is needed and the page
// works under Content-Security-Policy: script-src 'self'. Nothing here
// evaluates strings as code.
//
// Without JavaScript, or when ECharts failed to load or throws, the chart
// boxes stay hidden (CSS shows .chart only with .chart-on) and the data
// tables next to them carry the same numbers.
(() => {
  "use strict";

  const echarts = window.echarts;
  if (!echarts || typeof echarts.init !== "function") return;

  const reduceMotion = Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  const drawn = [];

  // In the 适老化 mode (elder.js sets data-elder="on" on <html>, or the
  // page is at #elder without that script) the charts' text is larger
  // too, as the page's is: every fontSize of the option is scaled.
  const ELDER_SCALE = 1.35;
  function elderOn() {
    const root = document.documentElement;
    const attr = root.getAttribute("data-elder");
    return attr === "on" || (attr === null && window.location.hash === "#elder");
  }
  function scaleFonts(v) {
    if (Array.isArray(v)) {
      v.forEach(scaleFonts);
    } else if (v && typeof v === "object") {
      for (const k of Object.keys(v)) {
        if (k === "fontSize" && typeof v[k] === "number") v[k] = Math.round(v[k] * ELDER_SCALE);
        else scaleFonts(v[k]);
      }
    }
  }
  // The look every chart shares is a theme, given to ECharts with each
  // chart: its option says only what is its own (internal/chart,
  // theme.go). The line below is internal/chart's Theme() as it is;
  // TestThemeInChartsJS fails when they differ, and shows the line to put
  // here. The 适老化 mode has a copy with its text larger.
  // prettier-ignore
  const THEME = {"aria":{"decal":{"decals":[{"color":"rgba(0,0,0,0)"},{"color":"rgba(255,255,255,0.6)","symbol":"circle","symbolSize":0.6,"dashArrayX":[6,6],"dashArrayY":[6,0]},{"color":"rgba(0,0,0,0.35)","symbol":"rect","symbolSize":1,"dashArrayX":[1,0],"dashArrayY":[2,6],"rotation":-0.7853981633974483},{"color":"rgba(255,255,255,0.7)","symbol":"rect","symbolSize":1,"dashArrayX":[1,0],"dashArrayY":[3,3]},{"color":"rgba(255,255,255,0.6)","symbol":"triangle","symbolSize":0.7,"dashArrayX":[8,8],"dashArrayY":[8,0]},{"color":"rgba(0,0,0,0.4)","symbol":"rect","symbolSize":1,"dashArrayX":[1,0],"dashArrayY":[2,4],"rotation":0.7853981633974483}],"show":true},"enabled":true,"label":{"enabled":false}},"bar":{"barCategoryGap":"30%","itemStyle":{"borderWidth":1},"label":{"color":"#1d2129","fontSize":12,"show":true},"stack":"grade"},"categoryAxis":{"axisLabel":{"color":"#1d2129","interval":"0","show":true,"showMaxLabel":true,"showMinLabel":true},"axisLine":{"lineStyle":{"color":"#4e5969"},"show":true},"splitLine":{"lineStyle":{"color":"#d9dde3"},"show":false}},"color":["#0f5132","#3d7cc9","#e0b000","#7a1010","#5b6470","#a9b0ba"],"legend":{"left":"0","show":true,"textStyle":{"color":"#1d2129","fontSize":13},"top":"0"},"textStyle":{"color":"#1d2129","fontFamily":"\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", system-ui, sans-serif"},"valueAxis":{"axisLabel":{"color":"#4e5969","show":true,"showMaxLabel":true,"showMinLabel":true},"axisLine":{"lineStyle":{"color":"#4e5969"},"show":true},"min":0,"splitLine":{"lineStyle":{"color":"#d9dde3"},"show":true}}};
  const elderTheme = JSON.parse(JSON.stringify(THEME));
  scaleFonts(elderTheme);
  elderTheme.textStyle = Object.assign({ fontSize: Math.round(12 * ELDER_SCALE) }, elderTheme.textStyle);
  function theme() {
    return elderOn() ? elderTheme : THEME;
  }

  function optionOf(el) {
    const option = JSON.parse(el.getAttribute("data-chart-option"));
    if (reduceMotion) option.animation = false;
    if (elderOn()) scaleFonts(option);
    return option;
  }

  function draw(el) {
    let chart = null;
    try {
      const option = optionOf(el);
      // The box needs its size before ECharts measures it.
      el.classList.add("chart-on");
      // SVG: crisp at any zoom, text stays text, and nothing is drawn
      // with inline styles that the CSP would refuse.
      chart = echarts.init(el, theme(), { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-chart-drawn", "");
      drawn.push(chart);
    } catch (err) {
      if (chart) chart.dispose();
      el.classList.remove("chart-on");
      el.setAttribute("data-chart-error", String((err && err.message) || err));
    }
  }

  document.querySelectorAll(".chart[data-chart-option]").forEach(draw);
  if (drawn.length === 0) return;

  // The mode switched: draw again with the text at its new size.
  document.addEventListener("evalpress:elder", () => {
    for (const chart of drawn) {
      try {
        chart.setTheme(theme());
        chart.setOption(optionOf(chart.getDom()), true);
      } catch (err) {
        chart.getDom().setAttribute("data-chart-error", String((err && err.message) || err));
      }
    }
  });

  // Redraw at the box's new width: on a window resize, and, where the
  // browser has ResizeObserver, whenever a box changes width (a scrollbar
  // appearing, a font loading), debounced so that a drag redraws once.
  let timer = 0;
  function resizeSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const chart of drawn) {
        if (chart.getWidth() !== chart.getDom().clientWidth) chart.resize();
      }
    }, 150);
  }
  window.addEventListener("resize", resizeSoon);
  if (window.ResizeObserver) {
    const observer = new ResizeObserver(resizeSoon);
    for (const chart of drawn) observer.observe(chart.getDom());
  }

  // Printed pages give the charts' place to their tables (the print CSS
  // hides .chart): open the closed data tables for the print, then close
  // them again.
  const opened = [];
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details.chart-data:not([open])")) {
      details.open = true;
      opened.push(details);
    }
  });
  window.addEventListener("afterprint", () => {
    while (opened.length) opened.pop().open = false;
  });
})();
