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

  function draw(el) {
    let chart = null;
    try {
      const option = JSON.parse(el.getAttribute("data-chart-option"));
      if (reduceMotion) option.animation = false;
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
