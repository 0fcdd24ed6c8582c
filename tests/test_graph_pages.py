"""The graph pages in a real server and real headless Debian chromium.

The store holds four real reports (their gold annotations) and a hostile report whose program name
and evidence sentence carry `<img onerror>` and `</script>` payloads. Expected counts come from the
networkx views computed on a copy of the same store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import networkx as nx
import pytest
from conftest import copy_of, serving
from graph_fixtures import IMG_PAYLOAD, INJECTION_PROGRAM, SCRIPT_PAYLOAD, memory_copy

from policekg.api.urls import graph_url
from policekg.kg.network.views import cooccurrence_graph, entity_graph
from policekg.kg.rdf.iris import PK, entity_iri, report_iri
from policekg.kg.rdf.store import GraphStore

HOOK = """window.__xss = [];
window.alert = function (m) { window.__xss.push(String(m)); };
window.confirm = window.prompt = window.alert;"""
CONSTRUCT = "CONSTRUCT { ?a pk:partOf ?b . ?a rdfs:label ?n } WHERE { ?a pk:partOf ?b ; rdfs:label ?n }"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(graph_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(copy_of(graph_store_path, tmp_path_factory.mktemp("graph-pages"))) as running:
        yield running.base


@pytest.fixture(scope="module")
def store(graph_store_path: Path) -> GraphStore:
    return memory_copy(graph_store_path)


class Visit:
    """A page opened in chromium, with every console message, page error and request recorded."""

    def __init__(self, browser, base: str, path: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.add_init_script(HOOK)
        self.console, self.requests = [], []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.base = base
        self.response = self.page.goto(base + path)
        self.page.wait_for_selector("body[data-graph-ready='true']", state="attached", timeout=60_000)

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate("[policekgGraph.nodes.length, policekgGraph.edges.length]"))

    def click_at(self, canvas_point_js: str, arg: object) -> str:
        """Click the page pixel of a point given in the network's canvas coordinates.

        `canvasToDOM` answers in pixels from the canvas's corner, not the container's (the container
        has a border): clicking a pixel off near a hub, where edges run a pixel apart, picks another edge.
        """
        box = self.page.locator("#graph canvas").bounding_box()
        x, y = self.page.evaluate(f"""(arg) => {{ const n = policekgGraph.network;
            const p = n.canvasToDOM(({canvas_point_js})(n, arg)); return [p.x, p.y]; }}""", arg)
        self.page.mouse.click(box["x"] + x, box["y"] + y)
        return self.page.locator("#graph-info").inner_text()

    def shown(self, what: str) -> str:
        """The info panel's text once it shows `what` ("node:IRI", "edge:id") complete: what a click
        fetches has arrived."""
        self.page.wait_for_function("(what) => document.getElementById('graph-info').dataset.shown === what", arg=what)
        return self.page.locator("#graph-info").inner_text()

    def click_node(self, iri: str) -> str:
        """Click where the node is drawn; returns the info panel's text once complete."""
        self.click_at("(n, id) => n.getPositions([id])[id]", iri)
        return self.shown(f"node:{iri}")

    def free_point(self, edge_id: str) -> dict | None:
        """Zoom in on an edge and find a point of it (on its curve) where no node or other edge is drawn
        over it, the middle if it is free: near a hub, edges run a pixel apart when the graph is fitted,
        and a click there rightly selects the edge on top. None when there is no such point."""
        return self.page.evaluate("""(id) => { const n = policekgGraph.network, edge = n.body.edges[id].edgeType;
            n.moveTo({ position: edge.getPoint(0.5), scale: 4, animation: false });  // as a user zooms in
            const along = Array.from({ length: 19 }, (_, i) => (i + 1) / 20)  // the middle first
                .sort((x, y) => Math.abs(x - 0.5) - Math.abs(y - 0.5));
            return along.map(t => edge.getPoint(t)).find(p =>
                n.getEdgeAt(n.canvasToDOM(p)) === id && n.getNodeAt(n.canvasToDOM(p)) === undefined) || null; }""",
                                  edge_id)

    def heaviest_clickable_edge(self, g: nx.Graph) -> tuple[str, str, str]:
        """(source, target, drawn id) of the heaviest edge of `g` with a free point (`free_point`): in a
        crowded view the labels of the nodes at both ends may cover an edge from end to end."""
        ids = self.page.evaluate("Object.fromEntries(policekgGraph.edges.map(e => [[e.from, e.to].sort().join(' '), e.id]))")
        for a, b, _ in sorted(g.edges(data="weight", default=1), key=lambda e: (-e[2], e[0], e[1])):
            if self.free_point(ids[" ".join(sorted((a, b)))]):
                return a, b, ids[" ".join(sorted((a, b)))]
        raise AssertionError("no edge has a point free of nodes and other edges")

    def click_edge(self, edge_id: str) -> str:
        """Click a free point of the edge (`free_point`); returns the info panel's text once complete."""
        point = self.free_point(edge_id)
        assert point is not None, f"no point of edge {edge_id} is free of nodes and other edges"
        self.click_at("(n, p) => p", point)
        return self.shown(f"edge:{edge_id}")

    def settle(self) -> None:
        """Wait until every image on the page has loaded or failed (an `onerror` payload runs then)."""
        self.page.evaluate("""() => Promise.all([...document.images].map(img => img.complete ? null :
            new Promise(done => { img.addEventListener('load', done);
                                  img.addEventListener('error', done); })))""")
        self.page.wait_for_timeout(50)

    def check_clean(self, tmp_path: Path, name: str) -> None:
        self.page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        errors = [m for m in self.console if m[0] in ("error", "pageerror", "warning")]
        assert not errors, errors
        assert all(url.startswith(self.base) for url in self.requests), self.requests
        assert self.page.evaluate("window.__xss") == []


def test_whole_graph_offline_matches_the_networkx_view(browser, server, store, tmp_path):
    g = entity_graph(store)
    visit = Visit(browser, server, "/graph?view=entity")
    assert visit.counts() == (len(g), g.number_of_edges())
    # below the threshold physics laid the graph out, then stopped: nothing moves any more
    assert visit.page.evaluate("policekgGraph.network.physics.options.enabled") is False
    moved = visit.page.evaluate("""() => new Promise(done => { const n = policekgGraph.network;
        const before = JSON.stringify(n.getPositions()); setTimeout(() =>
        done(JSON.stringify(n.getPositions()) !== before), 500); })""")
    assert not moved
    html = visit.response.text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html), "no external scripts or styles"
    assert "vis-network.min.js" in html and visit.page.locator(".graph-legend li").count() >= 6
    visit.check_clean(tmp_path, "graph")


def test_filters_by_class_and_report_and_colours_by_community(browser, server, store, tmp_path):
    report = report_iri("隆德县公安局", 2024)
    g = entity_graph(store, [str(report)])
    kept = [n for n, d in g.nodes(data=True) if d["node"].kind in ("unit", "program")]
    sub = g.subgraph(kept)
    path = f"/graph?view=entity&class=unit&class=program&colour=community&report={quote(str(report))}"
    visit = Visit(browser, server, path)
    assert visit.counts() == (len(sub), sub.number_of_edges())
    assert 0 < len(sub) < len(entity_graph(store))
    assert visit.page.locator(".graph-legend li").first.inner_text().startswith("社区")
    visit.check_clean(tmp_path, "graph-filtered")


def test_clicking_a_node_shows_class_names_and_evidence(browser, server, store, tmp_path):
    iri = str(entity_iri("PoliceUnit", "慈溪市公安局"))
    g = entity_graph(store)
    visit = Visit(browser, server, graph_url(iri))
    ego = {iri} | set(g.successors(iri)) | set(g.predecessors(iri))
    assert visit.counts()[0] == len(ego)
    text = visit.click_node(iri)
    assert "慈溪市公安局" in text and "PoliceUnit" in text and "市局" in text  # class, name, an alias
    sentence = next(ev["sentence"] for _, _, d in g.in_edges(iri, data=True) for ev in d["evidence"])
    assert sentence in text
    links = visit.page.locator("#graph-info a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert "/id/unit/慈溪市公安局" in links and any(h.startswith("/report/") for h in links)
    visit.check_clean(tmp_path, "neighbourhood")


def test_clicking_an_edge_shows_why_it_exists(browser, server, store, tmp_path):
    unit, bureau = str(entity_iri("PoliceUnit", "周巷派出所")), str(entity_iri("PoliceUnit", "慈溪市公安局"))
    sentences = [ev["sentence"] for ev in entity_graph(store)[unit][bureau][str(PK.partOf)]["evidence"]]
    visit = Visit(browser, server, graph_url(unit))
    edge = visit.page.evaluate(
        """([s, o]) => policekgGraph.edges.get({ filter: e => e.from === s && e.to === o
                                                                       && e.label === "partOf" })[0].id""",
        [unit, bureau],
    )
    text = visit.click_edge(edge)
    assert "周巷派出所 —pk:partOf→ 慈溪市公安局" in text
    assert sentences and all(sentence in text for sentence in sentences)
    links = visit.page.locator("#graph-info a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert {"/id/unit/周巷派出所", "/id/unit/慈溪市公安局", "/report/慈溪市公安局/2022"} <= set(links)
    visit.check_clean(tmp_path, "edge")


def test_cooccurrence_view_shows_the_measures_behind_an_edge(browser, server, store, tmp_path):
    report = str(report_iri("慈溪市公安局", 2022))
    g = cooccurrence_graph(store, [report])
    visit = Visit(browser, server, f"/graph?view=cooccurrence&report={quote(report)}")
    assert visit.counts() == (len(g), g.number_of_edges())
    a, b, edge = visit.heaviest_clickable_edge(g)
    data = g[a][b]
    text = visit.click_edge(edge)
    assert f"×{data['weight']}" in text and "→" in text.splitlines()[0]  # the edge's panel, not a node's
    assert (
        all(title["sentence"] in text for title in data["evidence"])
        and len(data["evidence"]) == data["weight"]
    )
    visit.check_clean(tmp_path, "cooccurrence")


def test_injected_markup_shows_as_text_and_never_runs(browser, server, store, tmp_path):
    iri = str(entity_iri("Program", INJECTION_PROGRAM))
    visit = Visit(browser, server, graph_url(iri) + "?radius=2")
    assert INJECTION_PROGRAM in visit.page.locator("h1").inner_text()
    text = visit.click_node(iri)
    visit.settle()
    assert visit.page.evaluate("window.__xss") == []
    assert IMG_PAYLOAD in text
    issuer = next(n for n in visit.page.evaluate("policekgGraph.nodes.getIds()") if "恶意" in n)
    text = visit.click_node(issuer)
    assert SCRIPT_PAYLOAD in text
    visit.settle()
    assert visit.page.locator("#graph-info img, main img").count() == 0
    visit.check_clean(tmp_path, "injection")
    whole = Visit(browser, server, "/graph?view=entity&report=" + quote(str(report_iri("恶意市公安局", 2023))))
    whole.click_node(iri)
    whole.check_clean(tmp_path, "injection-whole")


def test_construct_query_drawn_as_a_graph(browser, server, store, tmp_path):
    partof = {(r["a"].value, r["b"].value) for r in store.ox_query("SELECT ?a ?b WHERE { ?a pk:partOf ?b }")}
    visit = Visit(browser, server, "/graph/query?query=" + quote(CONSTRUCT))
    nodes = {n for pair in partof for n in pair}
    assert visit.counts() == (len(nodes), len(partof))
    visit.check_clean(tmp_path, "query")


def test_at_size_positions_come_from_the_server_and_physics_is_off(
    browser, graph_store_path, store, tmp_path
):
    env = {"POLICEKG_GRAPH_LAYOUT_THRESHOLD": "50"}
    with serving(copy_of(graph_store_path, tmp_path), env=env) as running:
        base = running.base
        data = httpx.get(f"{base}/graph", params={"format": "json", "view": "entity"}, timeout=60).json()
        assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
        assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
        visit = Visit(browser, base, "/graph?view=entity")
        assert (
            visit.counts()
            == (len(data["nodes"]), len(data["edges"]))
            == (len(entity_graph(store)), entity_graph(store).number_of_edges())
        )
        assert "物理模拟关闭" in visit.page.locator(".graph-summary").inner_text()
        visit.check_clean(tmp_path, "at-size")


def test_a_graph_over_the_edges_a_page_draws_is_refused_before_it_is_laid_out(graph_store_path, store, tmp_path):
    edges = entity_graph(store).number_of_edges()
    env = {"POLICEKG_GRAPH_MAX_EDGES": str(edges - 1)}
    with serving(copy_of(graph_store_path, tmp_path), env=env) as running:
        refused = httpx.get(f"{running.base}/graph", params={"view": "entity"}, timeout=60)
        assert refused.status_code == 413
        assert f"this graph has {edges} edges, more than the {edges - 1} a page draws" in refused.text
        assert httpx.get(f"{running.base}/graph", params={"view": "entity", "class": "program"},
                         timeout=60).status_code == 200


def test_query_page_offers_an_example_that_draws(server):
    from policekg.api.viz import EXAMPLE_QUERY

    form = httpx.get(f"{server}/graph/query")
    assert form.status_code == 200 and "<textarea" in form.text and "graph-data" not in form.text
    drawn = httpx.get(f"{server}/graph/query", params={"query": EXAMPLE_QUERY, "format": "json"},
                      timeout=60)  # the first query starts the worker processes
    assert drawn.status_code == 200 and drawn.json()["edges"]


def test_bad_requests_are_clear_errors(server):
    query = httpx.get(f"{server}/graph/query", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert query.status_code == 400 and "CONSTRUCT" in query.text
    broken = httpx.get(f"{server}/graph/query", params={"query": "CONSTRUCT {"})
    assert broken.status_code == 400 and "error at" in broken.text
    remote = httpx.get(
        f"{server}/graph/query",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
    )
    assert remote.status_code == 403 and "SERVICE" in remote.text
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for query_text in ("SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT {",
                       "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"):
        page = httpx.get(f"{server}/graph/query", params={"query": query_text}, headers=browser)
        assert page.status_code in (400, 403) and page.headers["content-type"].startswith("text/html")
    protocol = httpx.get(f"{server}/sparql", params={"query": "CONSTRUCT {"})  # the protocol stays plain text
    assert protocol.status_code == 400 and protocol.headers["content-type"].startswith("text/plain")
    assert httpx.get(f"{server}/graph", params={"class": "nonsense"}).status_code == 400
    odd = httpx.get(f"{server}/graph", params={"report": "x> } } SELECT * { ?s ?p ?o"})
    assert odd.status_code == 400 and "no report" in odd.text
    assert httpx.get(f"{server}/graph/entity/program/没有这个").status_code == 404
    assert httpx.get(f"{server}/graph/assets/other.js").status_code == 404
    vis = httpx.get(f"{server}/graph/assets/vis-network.min.js")
    assert vis.status_code == 200 and vis.headers["content-type"].startswith("text/javascript")
