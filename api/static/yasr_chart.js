// A chart view of SELECT answers for YASGUI's result pane, drawn with ECharts (from /static/vendor/).
// Columns holding numbers (xsd:integer, decimal, double, float) are the bars; the other columns, and a
// column named like a year, name each bar. Download gives the chart as SVG.
(function () {
  "use strict";
  if (typeof window.Yasgui !== "function" || !window.echarts) return;
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;
  var YEARISH = /year|年/i;

  function isNumber(term) {
    return !!term && term.type !== "uri" && NUMERIC.test(term.datatype || "") && isFinite(Number(term.value));
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.chart = null;
  }

  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results, vars = results.getVariables(), rows = results.getBindings();
    var measures = vars.filter(function (v) {
      return !YEARISH.test(v) && rows.every(function (row) { return !row[v] || isNumber(row[v]); }) &&
        rows.some(function (row) { return isNumber(row[v]); });
    });
    return { names: vars.filter(function (v) { return measures.indexOf(v) < 0; }), measures: measures, rows: rows };
  };

  ChartPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    if (!results || results.getError() || !results.getVariables || !results.getBindings()) return false;
    var cols = this.columns();
    return cols.rows.length > 0 && cols.measures.length > 0 && cols.names.length > 0;
  };

  ChartPlugin.prototype.draw = function () {
    var cols = this.columns();
    var labels = cols.rows.map(function (row) {
      return cols.names.map(function (v) { return row[v] ? row[v].value : ""; }).join(" · ");
    });
    var box = document.createElement("div");
    box.className = "yasr-chart";
    this.yasr.resultsEl.appendChild(box);
    this.chart = window.echarts.init(box, null, { renderer: "svg" });
    this.chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: cols.measures },
      grid: { left: 60, right: 20, bottom: 120 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: 40, width: 160, overflow: "truncate" } },
      yAxis: { type: "value" },
      dataZoom: labels.length > 40 ? [{ type: "slider", end: Math.round(4000 / labels.length) }] : [],
      series: cols.measures.map(function (v) {
        return { name: v, type: "bar", data: cols.rows.map(function (row) { return row[v] ? Number(row[v].value) : null; }) };
      })
    });
  };

  ChartPlugin.prototype.destroy = function () {
    if (this.chart) this.chart.dispose();
    this.chart = null;
  };

  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▮▮";
    return icon;
  };

  ChartPlugin.prototype.download = function () {
    var chart = this.chart;
    if (!chart) return undefined;
    return {
      contentType: "image/svg+xml", filename: "chart.svg", title: "Download the chart (SVG)",
      getData: function () { return chart.renderToSVGString(); }
    };
  };

  window.Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
})();
