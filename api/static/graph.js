/* policekg graph pages: draw the vis network and explain what is clicked.
 *
 * Report text is untrusted: every name and sentence is put on screen with textContent, links only
 * ever point at our own pages (paths starting with "/"), and nothing is ever assigned to innerHTML.
 * The data arrives as JSON in <script type="application/json" id="graph-data"> (data, never run), what
 * a click shows beyond it from /graph/details, and a node's neighbourhood as the JSON twin of its
 * neighbourhood page; there is no inline script. Its words
 * come in the page's language from policekgText (ui_text.js).
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

  document.querySelectorAll(".swatch[data-colour]").forEach(function (swatch) {
    swatch.style.setProperty("--swatch", swatch.dataset.colour);
  });

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
      if (i) span.appendChild(document.createTextNode(policekgText(", ")));
      span.appendChild(link(item));
    });
    return span;
  }

  function evidenceList(evidence) {
    const list = el("ul", null, "graph-evidence");
    evidence.forEach(function (ev) {
      const li = el("li");
      if (ev.sentence) li.appendChild(el("blockquote", ev.sentence, "evidence"));
      li.appendChild(document.createTextNode("— "));
      li.appendChild(link(ev.report));
      list.appendChild(li);
    });
    return list;
  }

  // What a click shows beyond a node's summary travels with the page (data.details is null) or is
  // fetched from data.details, /graph/details with the view's parameters. Each click is numbered: the
  // answer to an earlier one is dropped. When the panel is complete it names what it shows
  // (data-shown="node:…" or "edge:…"), so a test or a script can wait for it.
  let clicks = 0;

  function begin() {
    clicks += 1;
    panel.replaceChildren();
    delete panel.dataset.shown;
    return clicks;
  }

  function finish(click, what) {
    if (click === clicks) panel.dataset.shown = what;
  }

  function detailsUrl(kind, id, limit) {
    const url = new URL(data.details, window.location.href);
    url.searchParams.set(kind, id);
    if (limit) url.searchParams.set("limit", String(limit));
    return url.pathname + url.search;
  }

  function load(click, kind, id, render) {
    if (!data.details) return;  // a page with no server carries everything it can show
    const wait = el("p", policekgText("loading…"), "muted graph-loading");
    panel.appendChild(wait);
    fetch(detailsUrl(kind, id), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        return r.json();
      })
      .then(function (details) {
        if (click !== clicks) return;
        wait.remove();
        render(details, function (total) { return detailsUrl(kind, id, total); });
        finish(click, kind + ":" + id);
      })
      .catch(function (err) {
        if (click !== clicks) return;
        wait.textContent = policekgText("could not load the details: ") + err.message;
        finish(click, kind + ":" + id);
      });
  }

  // "N of M", and a link to all M when there is a listing of them (`all(M)` gives its URL).
  function partOf(shown, total, all) {
    if (!total || total <= shown) return null;
    const note = el("span", " " + policekgText("{shown} of {total}", { shown: shown, total: total }), "muted");
    if (all) {
      note.appendChild(document.createTextNode(" · "));
      note.appendChild(link({ label: policekgText("all {n}", { n: total }), href: all(total) }));
    }
    return note;
  }

  function heading(text, shown, total, all) {
    const h = el("h3", text);
    const note = partOf(shown, total, all);
    if (note) h.appendChild(note);
    panel.appendChild(h);
  }

  function showNode(id) {
    const info = data.info.nodes[id];
    if (!info) return;
    const click = begin();
    panel.appendChild(el("h2", info.label));
    panel.appendChild(el("span", info.class_name, "cls " + info.cls));
    const dl = el("dl", null, "meta");
    row(dl, policekgText("Name"), info.label);
    row(dl, policekgText("Class"), info.cls);
    row(dl, policekgText("Aliases"), info.aliases.join(policekgText(", ")));
    if (info.reports.length) {
      const reports = links(info.reports);
      const note = partOf(info.reports.length, info.reports_total, null);
      if (note) reports.appendChild(note);
      row(dl, policekgText("Reports"), reports);
    }
    row(dl, policekgText("Bureaus naming it"), info.reach);
    if (info.metrics) {
      row(dl, policekgText("Degree"), info.metrics.degree);
      row(dl, "PageRank", info.metrics.pagerank);
      row(dl, policekgText("Betweenness"), info.metrics.betweenness);
      row(dl, policekgText("Community"), info.metrics.community);
    }
    info.properties.forEach(function (p) { row(dl, p.predicate, p.value); });
    panel.appendChild(dl);
    const nav = el("p");
    if (info.href) nav.appendChild(link({ label: policekgText("Entity page"), href: info.href }));
    if (info.graph) {
      nav.appendChild(document.createTextNode(" · "));
      nav.appendChild(link({ label: policekgText("Neighbourhood"), href: info.graph }));
    }
    panel.appendChild(nav);
    if (!info.edges) { load(click, "node", id, nodeEdges); return; }
    const listed = info.edges.map(function (t) {
      const edge = data.info.edges[t.edge];
      return Object.assign({ predicate: edge.predicate, evidence: edge.evidence,
                             evidence_total: edge.evidence_total }, t);
    });
    nodeEdges({ edges: listed, edges_total: listed.length }, null);
    finish(click, "node:" + id);
  }

  function nodeEdges(details, all) {
    if (!details.edges.length) return;
    heading(policekgText("Relations and evidence"), details.edges.length, details.edges_total, all);
    details.edges.forEach(function (t) {
      const head = el("p", null, "graph-relation");
      const arrow = t.forward ? t.predicate + " → " : "← " + t.predicate + " ";
      head.appendChild(document.createTextNode(arrow));
      head.appendChild(link(t.other));
      const note = partOf(t.evidence.length, t.evidence_total, all);
      if (note) head.appendChild(note);
      panel.appendChild(head);
      panel.appendChild(evidenceList(t.evidence));
    });
  }

  function showEdge(id) {
    const click = begin();
    const edge = data.info.edges[id];
    if (!edge) { load(click, "edge", id, edgeDetails); return; }
    edgeDetails(edge, null);
    finish(click, "edge:" + id);
  }

  // A bureau naming both ends, with its reports naming each (when the details say which).
  function bureauItem(bureau, edge) {
    const li = el("li");
    li.appendChild(link(bureau));
    [[edge.source, bureau.source], [edge.target, bureau.target]].forEach(function (end) {
      if (!end[1]) return;
      li.appendChild(document.createTextNode(" · " + end[0].label + ": "));
      li.appendChild(links(end[1]));
    });
    return li;
  }

  function edgeDetails(edge, all) {
    const head = el("h2", null, "graph-relation");
    head.appendChild(link(edge.source));
    head.appendChild(document.createTextNode(" —" + edge.predicate + "→ "));
    head.appendChild(link(edge.target));
    panel.appendChild(head);
    const bureaus = edge.bureaus || [];
    if (bureaus.length) {
      heading(policekgText("Bureaus naming both"), bureaus.length, edge.bureaus_total, all);
      const list = el("ul", null, "graph-bureaus");
      bureaus.forEach(function (b) { list.appendChild(bureauItem(b, edge)); });
      panel.appendChild(list);
      return;
    }
    const title = edge.evidence.length ? "Evidence" : "No evidence sentence";
    heading(policekgText(title), edge.evidence.length, edge.evidence_total, all);
    panel.appendChild(evidenceList(edge.evidence));
  }

  // vis-network takes the edge whose centre line is nearest in canvas units (10 of them: a few pixels
  // when zoomed out, 30 at 3×), whatever is painted under the pointer: near a hub, where edges run a
  // pixel apart, that is often another edge. Its selection handler asks `getEdgeAt` on click and on
  // hover; ours answers with what is drawn at the pointer: an edge label, else the topmost edge whose
  // stroke covers the pixel, else the nearest edge within a few screen pixels, else none.
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

  network.selectionHandler.getEdgeAt = function (pointer, returnEdge) {
    const id = edgeAt(pointer);
    if (id === null) return undefined;
    return returnEdge === false ? id : network.body.edges[id];
  };

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  state.showNode = showNode;
  state.showEdge = showEdge;

  // -- tools: find, expand, hide, fit, zoom, export ----------------------------------------------------
  const tools = document.querySelector(".graph-tools");
  const status = tools ? tools.querySelector(".graph-status") : null;
  const SVG_NS = "http://www.w3.org/2000/svg";
  let selected = null;

  function say(text) { if (status) status.textContent = text; }

  function select(id) {
    selected = id;
    if (!tools) return;
    tools.querySelectorAll("[data-action=expand], [data-action=hide]").forEach(function (b) {
      b.disabled = id === null;
    });
  }
  network.on("click", function () {
    const chosen = network.getSelectedNodes();
    select(chosen.length ? chosen[0] : null);
  });

  function names() {
    const list = document.getElementById("graph-names");
    if (!list) return;
    list.replaceChildren();
    nodes.forEach(function (n) {
      const option = document.createElement("option");
      option.value = String(n.label);
      list.appendChild(option);
    });
  }

  function find(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    // the best match first: a name equal to the query, then one starting with it, then one containing it
    const rank = function (id) {
      const info = data.info.nodes[id];
      const words = (info ? [info.label].concat(info.aliases) : [nodes.get(id).label]).map(function (w) {
        return String(w).toLowerCase();
      });
      return Math.min.apply(null, words.map(function (w) {
        return w === q ? 0 : w.indexOf(q) === 0 ? 1 : w.indexOf(q) > 0 ? 2 : 3;
      }));
    };
    return nodes.getIds().map(function (id) { return [rank(id), id]; })
      .filter(function (r) { return r[0] < 3; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .map(function (r) { return r[1]; });
  }

  function search(query) {
    const found = find(query);
    network.selectNodes(found, false);
    if (!found.length) { say(policekgText("nothing found: {q}", { q: query })); select(null); return; }
    network.focus(found[0], { scale: Math.max(network.getScale(), 1.2), animation: false });
    showNode(found[0]);
    select(found[0]);
    say(policekgText("{n} found", { n: found.length }));
  }

  function around(centre, count) {
    const c = network.getPositions([centre])[centre] || { x: 0, y: 0 };
    return function (i) {
      const angle = (2 * Math.PI * i) / Math.max(count, 1);
      return { x: c.x + 160 * Math.cos(angle), y: c.y + 160 * Math.sin(angle) };
    };
  }

  function merge(more, centre) {
    const fresh = more.nodes.filter(function (n) { return !nodes.get(n.id); });
    const place = around(centre, fresh.length);
    nodes.add(fresh.map(function (n, i) { return Object.assign({}, n, place(i)); }));
    edges.add(more.edges.filter(function (e) { return !edges.get(e.id); }));
    Object.assign(data.info.edges, more.info.edges);
    Object.keys(more.info.nodes).forEach(function (id) {
      if (!data.info.nodes[id]) data.info.nodes[id] = more.info.nodes[id];
    });
    names();
    return fresh.length;
  }

  function expand(id) {
    const info = data.info.nodes[id];
    if (!info || !info.graph) { say(policekgText("this node has no neighbourhood page")); return; }
    const url = new URL(info.graph, window.location.href);
    url.searchParams.set("format", "json");
    say(policekgText("fetching…"));
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        return r.json();
      })
      .then(function (more) {
        const added = merge(more, id);
        say(policekgText("{n} nodes added", { n: added }));
        document.body.dataset.graphExpanded = String(added);
      })
      .catch(function (err) { say(policekgText("could not expand: ") + err.message); });
  }

  function hide(id) {
    edges.remove(network.getConnectedEdges(id));
    nodes.remove(id);
    select(null);
    names();
    say(policekgText("hidden: {name}", { name: data.info.nodes[id] ? data.info.nodes[id].label : id }));
  }

  function download(href, name) {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function png() {
    const source = container.querySelector("canvas");
    const copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0);
    download(copy.toDataURL("image/png"), "graph.png");
  }

  function svgElement(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function colourOf(n) {
    const c = n.color;
    return typeof c === "string" ? c : (c && c.background) || "#9aa3b5";
  }

  // The SVG is built from the network's positions: straight edges, round nodes, every name as text.
  function svg() {
    const at = network.getPositions();
    const ids = Object.keys(at);
    const xs = ids.map(function (id) { return at[id].x; });
    const ys = ids.map(function (id) { return at[id].y; });
    const pad = 80;
    const left = Math.min.apply(null, xs.concat([0])) - pad;
    const top = Math.min.apply(null, ys.concat([0])) - pad;
    const width = Math.max.apply(null, xs.concat([0])) + pad - left;
    const height = Math.max.apply(null, ys.concat([0])) + pad - top;
    const root = svgElement("svg", { xmlns: SVG_NS, viewBox: [left, top, width, height].join(" "),
                                     width: Math.round(width), height: Math.round(height),
                                     "font-family": "sans-serif" });
    root.appendChild(svgElement("rect", { x: left, y: top, width: width, height: height, fill: "#fff" }));
    const lines = svgElement("g", { stroke: "#9aa3b5", "stroke-opacity": 0.8 });
    edges.forEach(function (e) {
      const a = at[e.from];
      const b = at[e.to];
      if (!a || !b) return;
      lines.appendChild(svgElement("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "stroke-width": e.width || 1 }));
    });
    root.appendChild(lines);
    const circles = svgElement("g", { "font-size": 14, "text-anchor": "middle" });
    ids.forEach(function (id) {
      const n = nodes.get(id);
      const r = n.size || 10;
      const g = svgElement("g", { "data-id": id });
      g.appendChild(svgElement("circle", { cx: at[id].x, cy: at[id].y, r: r, fill: colourOf(n) }));
      g.appendChild(svgElement("text", { x: at[id].x, y: at[id].y + r + 16 }, n.label));
      circles.appendChild(g);
    });
    root.appendChild(circles);
    const text = new XMLSerializer().serializeToString(root);
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    download(url, "graph.svg");
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  const ACTIONS = {
    expand: function () { if (selected !== null) expand(selected); },
    hide: function () { if (selected !== null) hide(selected); },
    fit: function () { network.fit({ animation: false }); },
    "zoom-in": function () { network.moveTo({ scale: network.getScale() * 1.25, animation: false }); },
    "zoom-out": function () { network.moveTo({ scale: network.getScale() / 1.25, animation: false }); },
    png: png,
    svg: svg,
  };

  if (tools) {
    tools.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (!button || !ACTIONS[button.dataset.action]) return;
      event.preventDefault();
      ACTIONS[button.dataset.action]();
    });
    tools.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      search(event.target.elements.q.value);
    });
    names();
  }
  state.search = search;
  state.expand = expand;
  state.hide = hide;
})();
