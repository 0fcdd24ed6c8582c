// The province map of a comparison (/compare/program/…, /compare/indicator/…, /map/…): China's
// provinces shaded by how many bureaus name the program or report the indicator. ECharts and the
// provinces' GeoJSON are served from /static/vendor/; the counts are the map page's JSON twin
// (data-source). Names reach the map as text (rich-text tooltips, never HTML).
(function () {
  "use strict";
  var box = document.getElementById("province-map");
  if (!box || !window.echarts) return;
  var status = document.getElementById("province-map-status");
  var T = window.policekgText;

  function getJson(url) {
    return fetch(new URL(url, window.location.href).href, { headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (!resp.ok) throw new Error(resp.status + " " + resp.statusText + " (" + url + ")");
        return resp.json();
      });
  }

  function tooltip(params) {
    var d = params.data;
    if (!d) return params.name + ": 0";
    return params.name + ": " + T("{n} bureaus, {reports} reports", { n: d.value, reports: d.reports }) + "\n" +
      d.names.join(T(", "));
  }

  Promise.all([getJson(box.dataset.geometry), getJson(box.dataset.source)]).then(function (got) {
    window.echarts.registerMap("china-provinces", got[0]);
    var counts = got[1].provinces.map(function (c) {
      return { name: c.province, value: c.bureaus, reports: c.reports, names: c.names };
    });
    var most = counts.reduce(function (m, c) { return Math.max(m, c.value); }, 1);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", formatter: tooltip },
      visualMap: { min: 0, max: most, text: [T("bureaus"), ""], calculable: true, left: 8, bottom: 8,
                   inRange: { color: ["#eef4fb", "#08519c"] } },
      series: [{ name: got[1].label || "", type: "map", map: "china-provinces", roam: true,
                 emphasis: { label: { show: true } }, data: counts }]
    });
    box.dataset.provinces = String(counts.length);
    var unplaced = got[1].unplaced.length;
    if (status) {
      status.textContent = T("{n} provinces", { n: counts.length }) +
        (unplaced ? T("; {n} bureaus without a known province", { n: unplaced }) : "");
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }).catch(function (err) {
    if (status) status.textContent = T("The map could not be loaded: ") + err.message;
  });
})();
