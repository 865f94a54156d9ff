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
  function optionOf(el) {
    const option = JSON.parse(el.getAttribute("data-chart-option"));
    if (reduceMotion) option.animation = false;
    if (elderOn()) {
      scaleFonts(option);
      option.textStyle = Object.assign({ fontSize: Math.round(12 * ELDER_SCALE) }, option.textStyle);
    }
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
      chart = echarts.init(el, null, { renderer: "svg" });
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
