// The chart beside an indicator's bureau × year table (/compare/indicator/…), drawn with ECharts from
// /static/vendor/. Its data is the page's own JSON twin (data-source), fetched page by page from this
// server; nothing is inlined in the HTML. Lines over the years (a line per bureau) when the figures
// span several years, bars across bureaus otherwise; the buttons switch between the two.
(function () {
  "use strict";
  var box = document.getElementById("indicator-chart");
  if (!box || !window.echarts) return;
  var status = document.getElementById("indicator-chart-status");

  function fetchAll(url, items) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (resp) {
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText + " (" + url + ")");
      return resp.json();
    }).then(function (page) {
      var all = items.concat(page.items);
      return page.next ? fetchAll(new URL(page.next, url).href, all) : { head: page, items: all };
    });
  }

  // A bureau's figure for a year: the first the report gives (the table shows them all).
  function value(row, year) {
    var figures = row.values[String(year)] || [];
    return figures.length ? Number(figures[0].value) : null;
  }

  // Lines for the bureaus that report the indicator in the most years: more lines than this are a tangle.
  var MAX_LINES = 20;

  function yearsReported(row) {
    return Object.keys(row.values).filter(function (y) { return row.values[y].length; }).length;
  }

  function overYears(data) {
    var rows = data.items.slice().sort(function (a, b) { return yearsReported(b) - yearsReported(a); });
    rows = rows.slice(0, MAX_LINES);
    return {
      note: rows.length < data.items.length ?
        window.policekgText("{shown} / {all} bureaus (the most years reported)",
          { shown: rows.length, all: data.items.length }) : "",
      xAxis: { type: "category", data: data.years.map(String), name: window.policekgText("year") },
      series: rows.map(function (row) {
        return { name: row.bureau, type: "line", connectNulls: true, symbolSize: 8,
                 data: data.years.map(function (y) { return value(row, y); }) };
      })
    };
  }

  function acrossBureaus(data) {
    return {
      note: "",
      dataZoom: data.items.length > 30 ? [{ type: "slider", end: Math.round(3000 / data.items.length) }] : [],
      xAxis: { type: "category", data: data.items.map(function (row) { return row.bureau; }),
               axisLabel: { rotate: data.items.length > 6 ? 35 : 0 } },
      series: data.years.map(function (y) {
        return { name: String(y), type: "bar", data: data.items.map(function (row) { return value(row, y); }) };
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

  var source = new URL(box.dataset.source, window.location.href);
  source.searchParams.set("size", "500");
  fetchAll(source.href, []).then(function (got) {
    var data = { years: got.head.years, unit: got.head.unit, items: got.items };
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
