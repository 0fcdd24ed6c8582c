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

  // vis-network selects the edge whose centre line is nearest in canvas units (10 of them: a few pixels
  // when zoomed out), whatever is painted under the pointer: near a hub, where edges run a pixel apart,
  // that is often another edge. We pick what is drawn at the pointer: an edge label, else the topmost
  // edge whose stroke covers the pixel, else the nearest edge within a few screen pixels.
  const PICK_PX = 4;

  function edgeAt(pointer) {
    const body = network.body;
    const scale = network.getScale();
    const p = network.DOMtoCanvas(pointer);
    const order = body.edgeIndices.map(function (id) { return body.edges[id]; })
      .filter(function (e) { return e.connected; }).reverse();  // drawn last = on top = first here
    const label = order.find(function (e) {
      return e.getItemsOnPoint(p).some(function (item) { return item.labelId !== undefined; });
    });
    if (label) return label.id;
    let nearest = null;
    let best = PICK_PX;
    for (const e of order) {
      const d = scale * e.edgeType.getDistanceToEdge(e.from.x, e.from.y, e.to.x, e.to.y, p.x, p.y);
      if (d <= Math.max(0.5, scale * e.options.width / 2)) return e.id;
      if (d < best) { nearest = e.id; best = d; }
    }
    return nearest;
  }

  function pick(pointer) {
    let node = network.getNodeAt(pointer);
    if (node === undefined) {  // a dot's name is drawn under it: clicking the name picks the node
      const p = network.DOMtoCanvas(pointer);
      node = network.body.nodeIndices.slice().reverse().find(function (id) {
        return network.body.nodes[id].getItemsOnPoint(p).length > 0;
      });
    }
    if (node !== undefined) return { nodes: [node], edges: [] };
    const edge = edgeAt(pointer);
    return { nodes: [], edges: edge === null ? [] : [edge] };
  }

  network.on("click", function (params) {
    const chosen = pick(params.pointer.DOM);
    network.setSelection(chosen, { unselectAll: true, highlightEdges: false });
    if (chosen.nodes.length) showNode(chosen.nodes[0]);
    else if (chosen.edges.length) showEdge(chosen.edges[0]);
  });
  state.pick = pick;
  state.showNode = showNode;
  state.showEdge = showEdge;
})();
