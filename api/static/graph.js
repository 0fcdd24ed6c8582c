/* policekg graph pages: draw the vis network and explain what is clicked.
 *
 * Report text is untrusted: every name and sentence is put on screen with textContent, links only
 * ever point at our own pages (paths starting with "/"), and nothing is ever assigned to innerHTML.
 * The data arrives as JSON in <script type="application/json" id="graph-data">.
 */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const container = document.getElementById("graph");
  const panel = document.getElementById("graph-info");
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  const state = { network: network, nodes: nodes, edges: edges, stabilized: !data.physics };
  window.policekgGraph = state;

  function ready() {
    state.stabilized = true;
    document.body.dataset.graphReady = "true";
  }
  if (data.physics) {
    // Let physics find a layout, then stop it: a still graph is one you can read and click.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function link(target) {
    if (!target || typeof target.href !== "string" || target.href.charAt(0) !== "/") {
      return el("span", target ? target.label : "");
    }
    const a = el("a", target.label);
    a.href = target.href;
    return a;
  }

  function row(dl, term, value) {
    const empty = value === undefined || value === null || value === "";
    if (empty || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", term));
    const dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  function links(items) {
    const span = el("span");
    items.forEach(function (item, i) {
      if (i) span.appendChild(document.createTextNode("、"));
      span.appendChild(link(item));
    });
    return span;
  }

  function evidenceList(evidence) {
    const list = el("ul", null, "graph-evidence");
    evidence.forEach(function (ev) {
      const li = el("li");
      li.appendChild(el("blockquote", ev.sentence, "evidence"));
      li.appendChild(document.createTextNode("— "));
      li.appendChild(link(ev.report));
      list.appendChild(li);
    });
    return list;
  }

  function showNode(id) {
    const info = data.info.nodes[id];
    if (!info) return;
    panel.replaceChildren();
    panel.appendChild(el("h2", info.label));
    panel.appendChild(el("span", info.class_name, "cls " + info.cls));
    const dl = el("dl", null, "meta");
    row(dl, "名称 Name", info.label);
    row(dl, "类别 Class", info.cls);
    row(dl, "别名 Aliases", info.aliases.join("、"));
    row(dl, "报告 Reports", info.reports.length ? links(info.reports) : null);
    if (info.metrics) {
      row(dl, "度 Degree", info.metrics.degree);
      row(dl, "PageRank", info.metrics.pagerank);
      row(dl, "中介 Betweenness", info.metrics.betweenness);
      row(dl, "社区 Community", info.metrics.community);
    }
    info.properties.forEach(function (p) { row(dl, p.predicate, p.value); });
    panel.appendChild(dl);
    const nav = el("p");
    if (info.href) nav.appendChild(link({ label: "实体页面 Entity page", href: info.href }));
    if (info.graph) {
      nav.appendChild(document.createTextNode(" · "));
      nav.appendChild(link({ label: "邻域图 Neighbourhood", href: info.graph }));
    }
    panel.appendChild(nav);
    if (info.edges.length) panel.appendChild(el("h3", "关系与依据 Relations and evidence"));
    info.edges.forEach(function (t) {
      const edge = data.info.edges[t.edge];
      const head = el("p", null, "graph-relation");
      const arrow = t.forward ? edge.predicate + " → " : "← " + edge.predicate + " ";
      head.appendChild(document.createTextNode(arrow));
      head.appendChild(link(t.other));
      panel.appendChild(head);
      panel.appendChild(evidenceList(edge.evidence));
    });
  }

  function showEdge(id) {
    const edge = data.info.edges[id];
    if (!edge) return;
    panel.replaceChildren();
    const head = el("h2", null, "graph-relation");
    head.appendChild(link(edge.source));
    head.appendChild(document.createTextNode(" —" + edge.predicate + "→ "));
    head.appendChild(link(edge.target));
    panel.appendChild(head);
    panel.appendChild(el("h3", edge.evidence.length ? "依据 Evidence" : "无依据句 No evidence sentence"));
    panel.appendChild(evidenceList(edge.evidence));
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  state.showNode = showNode;
  state.showEdge = showEdge;
})();
