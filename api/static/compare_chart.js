// The chart beside an indicator's bureau × year table (/compare/indicator/…), drawn with ECharts from
// /static/vendor/. Its data is /chart/indicator/… (data-source): each bureau's result a year, in one
// request from this server; nothing is inlined in the HTML. Lines over the years (a line per bureau)
// when the figures span several years, bars across bureaus otherwise; the buttons switch between the two.
(function () {
  "use strict";
  var box = document.getElementById("indicator-chart");
  if (!box || !window.echarts) return;
  var status = document.getElementById("indicator-chart-status");

  function fetchSeries(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (resp) {
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText + " (" + url + ")");
      return resp.json();
    });
  }

  // Lines for the bureaus that report the indicator in the most years: more lines than this are a tangle.
  var MAX_LINES = 20;

  function yearsReported(row) {
    return row.values.filter(function (v) { return v !== null; }).length;
  }

  function overYears(data) {
    var rows = data.items.slice().sort(function (a, b) { return yearsReported(b) - yearsReported(a); });
    rows = rows.slice(0, MAX_LINES);
    return {
      note: rows.length < data.total ?
        window.policekgText("{shown} / {all} bureaus (the most years reported)",
          { shown: rows.length, all: data.total }) : "",
      xAxis: { type: "category", data: data.years.map(String), name: window.policekgText("year") },
      series: rows.map(function (row) {
        return { name: row.bureau, type: "line", connectNulls: true, symbolSize: 8,
                 data: data.years.map(function (y, column) { return row.values[column]; }) };
      })
    };
  }

  function acrossBureaus(data) {
    return {
      note: data.items.length < data.total ?
        window.policekgText("{shown} / {all} bureaus (the most years reported)",
          { shown: data.items.length, all: data.total }) : "",
      dataZoom: data.items.length > 30 ? [{ type: "slider", end: Math.round(3000 / data.items.length) }] : [],
      xAxis: { type: "category", data: data.items.map(function (row) { return row.bureau; }),
               axisLabel: { rotate: data.items.length > 6 ? 35 : 0 } },
      series: data.years.map(function (y, column) {
        return { name: String(y), type: "bar", data: data.items.map(function (row) { return row.values[column]; }) };
      })
    };
  }

  var VIEWS = { years: overYears, bureaus: acrossBureaus };

  function draw(chart, data, view) {
    var option = VIEWS[view](data);
    if (status) status.textContent = option.note;
    delete option.note;
    chart.setOption(Object.assign({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 64, right: 24, top: 40, bottom: 80 },
      yAxis: { type: "value", name: data.unit || "" }
    }, option), true);
    box.dataset.view = view;
    document.querySelectorAll("[data-chart-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.chartView === view));
    });
  }

  fetchSeries(new URL(box.dataset.source, window.location.href).href).then(function (got) {
    var data = { years: got.years, unit: got.unit, total: got.total, items: got.bureaus };
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    draw(chart, data, data.years.length > 1 ? "years" : "bureaus");
    document.querySelectorAll("[data-chart-view]").forEach(function (button) {
      button.addEventListener("click", function () { draw(chart, data, button.dataset.chartView); });
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }).catch(function (err) {
    if (status) status.textContent = window.policekgText("The chart's data could not be loaded: ") + err.message;
  });
})();
