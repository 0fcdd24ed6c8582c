// The query page: run the editor's query against /sparql and show the answer.
// Every value is placed with textContent (never innerHTML): report text is untrusted.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var editor = document.getElementById("query");
  var format = document.getElementById("format");
  var status = document.getElementById("status");
  var results = document.getElementById("results");

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function cell(term) {
    if (!term) return "";
    if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function table(data) {
    if (data.boolean !== undefined) return el("p", "ASK → " + data.boolean);
    var vars = data.head.vars, rows = data.results.bindings;
    var t = el("table"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    t.appendChild(head);
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(el("td", cell(row[v]))); });
      t.appendChild(tr);
    });
    var box = el("div");
    box.appendChild(el("p", rows.length + " rows"));
    box.appendChild(t);
    return box;
  }

  function run() {
    status.textContent = "…";
    results.replaceChildren();
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: editor.value })
    }).then(function (resp) {
      var truncated = resp.headers.get("X-Policekg-Truncated") === "true";
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (body) {
        var ms = Math.round(performance.now() - started);
        if (!resp.ok) {
          status.textContent = resp.status + " (" + ms + " ms)";
          results.appendChild(el("pre", body)).className = "error";
          return;
        }
        status.textContent = ms + " ms" + (truncated ? " · truncated at the row limit" : "");
        results.appendChild(type.indexOf("json") >= 0 ? table(JSON.parse(body)) : el("pre", body));
      });
    }).catch(function (err) { status.textContent = String(err); });
  }

  form.addEventListener("submit", function (event) {
    if (format.value) return;  // a download: let the browser GET ?query=…&format=…
    event.preventDefault();
    history.replaceState(null, "", "/sparql?query=" + encodeURIComponent(editor.value));
    run();
  });
  document.querySelectorAll("ul.examples button").forEach(function (button) {
    button.addEventListener("click", function () { editor.value = button.dataset.query; run(); });
  });
  if (results.dataset.autorun) run();
})();
