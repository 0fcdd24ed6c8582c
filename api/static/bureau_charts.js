// The small charts of a bureau profile (/bureau/…): one line per indicator over the bureau's report
// years, drawn with ECharts from /static/vendor/. The data is the page's own JSON twin (data-source),
// fetched from this server; nothing is inlined in the HTML. Names reach the charts as text (tooltips
// in ECharts' rich-text mode, never as HTML).
(function () {
  "use strict";
  var box = document.getElementById("bureau-charts");
  if (!box || !window.echarts) return;
  var status = document.getElementById("bureau-charts-status");

  function option(years, series) {
    var byYear = {};
    series.points.forEach(function (p) { byYear[p.year] = Number(p.value); });
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 56, right: 12, top: 12, bottom: 28 },
      xAxis: { type: "category", data: years.map(String) },
      yAxis: { type: "value", name: "", splitNumber: 3 },
      series: [{
        name: series.label || "", type: "line", connectNulls: true, symbolSize: 7,
        data: years.map(function (y) { return y in byYear ? byYear[y] : null; })
      }]
    };
  }

  fetch(new URL(box.dataset.source, window.location.href).href, { headers: { Accept: "application/json" } })
    .then(function (resp) {
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText);
      return resp.json();
    }).then(function (profile) {
      var charts = [];
      box.querySelectorAll("[data-series]").forEach(function (canvas) {
        var series = profile.series[Number(canvas.dataset.series)];
        if (!series) return;
        var chart = window.echarts.init(canvas, null, { renderer: "svg" });
        chart.setOption(option(profile.years, series));
        canvas.dataset.drawn = String(series.points.length);
        charts.push(chart);
      });
      if (status) status.textContent = window.policekgText("{n} charts", { n: charts.length });
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    }).catch(function (err) {
      if (status) status.textContent = window.policekgText("The charts' data could not be loaded: ") + err.message;
    });
})();
