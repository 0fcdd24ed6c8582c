// The query page: YASGUI (from /static/vendor/) in place of the plain form, asking this server's
// /sparql only. Completion comes from our vocabulary (YASGUI's own completers ask LOV, on the
// internet), IRIs of our resources in the results open their pages here, and every query run is
// kept in the address bar (/sparql?query=…), so a page can be bookmarked or shared.
(function () {
  "use strict";
  var mount = document.getElementById("yasgui");
  var form = document.getElementById("sparql-form");
  if (!mount || typeof window.Yasgui !== "function") return;  // the plain form stays usable
  var editor = JSON.parse(mount.dataset.editor);
  var endpoint = new URL(editor.endpoint, window.location.href).href;
  var Yasqe = window.Yasgui.Yasqe;

  function localCompleter(base, name, iris) {
    Yasqe.forkAutocompleter(base, {
      name: name, bulk: true, persistenceId: null,
      get: function () { return Promise.resolve(iris); }
    });
  }
  localCompleter("class", "pk-class", editor.classes);
  localCompleter("property", "pk-property", editor.properties);
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (name) {
    return name !== "class" && name !== "property";
  });

  // YASR's table gets each cell's sort and search key by running the raw literal through DOMPurify,
  // which parses it as HTML: a literal holding markup becomes elements (Chromium checks their event
  // handler attributes against our CSP and reports them). The keys need the text only, so the table gets
  // it HTML-escaped: DataTables decodes an entity-holding key back to text (through textContent).
  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  var TablePlugin = window.Yasgui.Yasr.plugins.table;
  var tableColumns = TablePlugin.prototype.getColumns;
  TablePlugin.prototype.getColumns = function () {
    return tableColumns.call(this).map(function (column) {
      var render = column.render;
      column.render = function (data, type, row, meta) {
        var key = type === "filter" || type === "sort" || !type;
        return key && data && typeof data === "object" ? escapeText(data.value) : render(data, type, row, meta);
      };
      return column;
    });
  };

  // "Simple view" first: values without their @zh and ^^xsd:integer (the toggle brings them back)
  var tablePlugin = window.Yasgui.Yasr.defaults.plugins.table || {};
  tablePlugin.dynamicConfig = Object.assign({}, tablePlugin.dynamicConfig, { compact: true });
  window.Yasgui.Yasr.defaults.plugins.table = tablePlugin;

  var yasgui = new window.Yasgui(mount, {
    persistenceId: null,  // the page's query (from ?query= or the first example), not an old session's
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    yasqe: { value: document.getElementById("query").value },
    yasr: { prefixes: editor.prefixes, defaultPlugin: "table" }
  });
  form.hidden = true;

  yasgui.on("query", function (instance, tab) {
    history.replaceState(null, "", "/sparql?query=" + encodeURIComponent(tab.getQuery()));
  });

  // Our resources' IRIs (https://w3id.org/policekg/id/…) have their page on this server: /id/…
  var ours = editor.prefixes.pkr;
  function localise(event) {
    var link = event.target.closest && event.target.closest("a.iri");
    if (!link) return;
    var href = link.getAttribute("href") || "";
    if (href.indexOf(ours) === 0) {
      link.setAttribute("href", "/id/" + href.slice(ours.length));
      link.removeAttribute("target");
    }
  }
  ["mouseover", "focusin", "click"].forEach(function (type) { mount.addEventListener(type, localise, true); });

  document.querySelectorAll("ul.examples button").forEach(function (button) {
    button.addEventListener("click", function () {
      var tab = yasgui.getTab();
      tab.setQuery(button.dataset.query);
      tab.query();
      mount.scrollIntoView({ behavior: "smooth" });
    });
  });
  if (mount.dataset.autorun) yasgui.getTab().query();
})();
