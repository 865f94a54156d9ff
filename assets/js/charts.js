/* evalpress charts: draws each <div class="chart" data-chart-option="…"> with
   ECharts (assets/vendor/echarts/echarts.min.js, loaded before this file).

   The option is JSON written by internal/chart and escaped into the
   attribute by html/template, so no inline script is needed and the page
   works under Content-Security-Policy: script-src 'self'. Nothing here
   evaluates strings as code.

   Without JavaScript, or when ECharts failed to load or throws, the chart
   boxes stay hidden (CSS shows .chart only with .chart-on) and the data
   tables next to them carry the same numbers. */
(function () {
  'use strict';

  var echarts = window.echarts;
  if (!echarts || typeof echarts.init !== 'function' || !document.querySelectorAll) {
    return;
  }

  var reduceMotion = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  var drawn = [];

  function draw(el) {
    var chart = null;
    try {
      var option = JSON.parse(el.getAttribute('data-chart-option'));
      if (reduceMotion) {
        option.animation = false;
      }
      // The box needs its size before ECharts measures it.
      el.classList.add('chart-on');
      // SVG: crisp at any zoom, text stays text, and nothing is drawn
      // with inline styles that the CSP would refuse.
      chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(option);
      el.setAttribute('data-chart-drawn', '');
      drawn.push(chart);
    } catch (err) {
      if (chart) {
        chart.dispose();
      }
      el.classList.remove('chart-on');
      el.setAttribute('data-chart-error', String(err && err.message || err));
    }
  }

  var nodes = document.querySelectorAll('.chart[data-chart-option]');
  for (var i = 0; i < nodes.length; i++) {
    draw(nodes[i]);
  }
  if (!drawn.length) {
    return;
  }

  // Redraw at the box's new width: on a window resize, and, where the
  // browser has ResizeObserver, whenever a box changes width (a scrollbar
  // appearing, a font loading), debounced so that a drag redraws once.
  var timer = 0;
  function resizeSoon() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      for (var i = 0; i < drawn.length; i++) {
        if (drawn[i].getWidth() !== drawn[i].getDom().clientWidth) {
          drawn[i].resize();
        }
      }
    }, 150);
  }
  window.addEventListener('resize', resizeSoon);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(resizeSoon);
    for (var j = 0; j < drawn.length; j++) {
      observer.observe(drawn[j].getDom());
    }
  }

  // Printed pages give the charts' place to their tables (the print CSS
  // hides .chart): open the closed data tables for the print, then close
  // them again.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    var details = document.querySelectorAll('details.chart-data:not([open])');
    for (var i = 0; i < details.length; i++) {
      details[i].open = true;
      opened.push(details[i]);
    }
  });
  window.addEventListener('afterprint', function () {
    while (opened.length) {
      opened.pop().open = false;
    }
  });
}());
