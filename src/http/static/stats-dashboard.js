/* Draws the dashboard's charts with ECharts (served from the installed package at /vendor/echarts.min.js).
   Each chart's option is in its container's data-chart attribute; the tables beside them carry the same numbers. */
(function () {
  'use strict';
  function draw() {
    if (typeof window.echarts === 'undefined') return;
    var charts = [];
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      try {
        var chart = window.echarts.init(el, null, { renderer: 'canvas' });
        chart.setOption(JSON.parse(el.getAttribute('data-chart')));
        el.setAttribute('data-drawn', 'true');
        charts.push(chart);
      } catch (e) {
        el.setAttribute('data-error', String(e && e.message));
      }
    });
    window.addEventListener('resize', function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
