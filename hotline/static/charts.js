/* Draw every [data-chart] with Apache ECharts (vendored); the table beside it stays for print and screen readers. */
(function () {
  "use strict";
  function percentText(value) {
    return value === null || value === undefined || value === "-" ? "无数据" : value + "%";
  }

  function draw(node) {
    var spec = JSON.parse(node.getAttribute("data-chart"));
    var option = spec.option;
    (option.series || []).forEach(function (series) {
      if (spec.percent.indexOf(series.name) >= 0) series.tooltip = {valueFormatter: percentText};
    });
    node.closest(".chart").classList.add("drawn");  // shows the canvas (sized) and hides the table on screen
    // SVG: sharp at any zoom, and the same elements a test or a screen reader finds.
    var chart = window.echarts.init(node, null, {renderer: "svg"});
    chart.setOption(option);
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;  // the tables stay
    var charts = Array.prototype.map.call(document.querySelectorAll("[data-chart]"), draw);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
