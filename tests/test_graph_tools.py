"""The graph overview and the tools on every graph page, in a real server and Debian chromium.

The store is the one `test_graph_pages` uses (four gold reports and a hostile one). What the page
draws is compared with the networkx views computed on a copy of the store; every check is on what is
drawn or downloaded, after the page says it is ready or the action says it is done.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
import test_graph_pages as pages
from graph_fixtures import IMG_PAYLOAD, INJECTION_PROGRAM
from test_graph_pages import Visit

from policekg.api.i18n import COOKIE
from policekg.api.urls import graph_url, page_url
from policekg.kg.network.views import cooccurrence_graph, neighbourhood_graph, shared_graph
from policekg.kg.rdf.iris import PKR, entity_iri, report_iri

pytestmark = pytest.mark.browser
FENGQIAO = str(entity_iri("Program", "枫桥经验"))
SVG = "{http://www.w3.org/2000/svg}"
# the same server, store and browser as the other graph pages
server, store = pages.server, pages.store


def view_nodes(store) -> list[str]:
    return list(shared_graph(store).graph)


def tool(visit: Visit, action: str) -> None:
    visit.page.locator(f".graph-tools [data-action='{action}']").click()


def download(visit: Visit, action: str, tmp_path: Path) -> Path:
    with visit.page.expect_download() as info:
        tool(visit, action)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_overview_shows_programs_reports_share_sized_by_reach(browser, server, store, tmp_path):
    view = shared_graph(store)
    everything = shared_graph(store, everything=True)
    assert 0 < len(view.graph) < len(everything.graph) and view.folded == len(everything.graph) - len(view.graph)
    assert all(reach >= 2 for _, reach in view.graph.nodes(data="reach"))
    visit = Visit(browser, server, "/graph")
    assert visit.counts() == (len(view.graph), view.graph.number_of_edges())
    sizes = visit.page.evaluate("Object.fromEntries(policekgGraph.nodes.map(n => [n.id, n.size]))")
    widest = max(view.graph.nodes(data="reach"), key=lambda n: (n[1], n[0]))[0]
    assert widest == FENGQIAO and sizes[widest] == max(sizes.values())
    assert f"已折叠 {view.folded} 个仅一个单位提及的项目" in visit.page.locator("main").inner_text()  # Chinese first
    text = visit.click_node(FENGQIAO)
    assert "枫桥经验" in text and "提及单位\n4" in text
    visit.page.context.add_cookies([{"name": COOKIE, "value": "en", "url": server}])  # the switch's cookie
    visit.page.reload()
    visit.page.wait_for_selector("body[data-graph-ready='true']", state="attached", timeout=60_000)
    assert f"{view.folded} programs only one bureau names" in visit.page.locator("main").inner_text()
    text = visit.click_node(FENGQIAO)
    terms = visit.page.locator("#graph-info dt, #graph-info h3").all_inner_texts()
    assert "Bureaus naming it\n4" in text and not [t for t in terms if re.search(r"[\u4e00-\u9fff]", t)], terms
    visit.check_clean(tmp_path, "overview")
    whole = Visit(browser, server, "/graph?all=1")
    assert whole.counts() == (len(everything.graph), everything.graph.number_of_edges())
    whole.check_clean(tmp_path, "overview-all")


def test_search_focuses_expand_adds_and_hide_removes(browser, server, store, tmp_path):
    visit = Visit(browser, server, "/graph")
    visit.page.locator(".graph-search input").fill("枫桥")
    visit.page.locator(".graph-search button").click()
    found = {n for n in view_nodes(store) if "枫桥" in n}
    assert set(visit.page.evaluate("policekgGraph.network.getSelectedNodes()")) == found and len(found) > 1
    visit.page.locator(".graph-search input").fill("枫桥经验")
    visit.page.locator(".graph-search button").click()
    assert visit.page.evaluate("policekgGraph.network.getSelectedNodes()")[0] == FENGQIAO
    assert visit.page.locator("#graph-info h2").inner_text() == "枫桥经验"
    centre = visit.page.evaluate("""(id) => { const n = policekgGraph.network;
        const p = n.canvasToDOM(n.getPositions([id])[id]); const c = n.canvas.frame.canvas;
        return [p.x - c.clientWidth / 2, p.y - c.clientHeight / 2]; }""", FENGQIAO)
    assert all(abs(d) < 1 for d in centre), centre  # focused: in the middle of the canvas
    before = set(visit.page.evaluate("policekgGraph.nodes.getIds()"))
    tool(visit, "expand")
    visit.page.locator("body[data-graph-expanded]").wait_for(state="attached")
    after = set(visit.page.evaluate("policekgGraph.nodes.getIds()"))
    assert after == before | set(neighbourhood_graph(store, FENGQIAO)) and after > before
    visit.click_node(FENGQIAO)
    nodes, edges = visit.counts()
    touching = visit.page.evaluate("(id) => policekgGraph.network.getConnectedEdges(id).length", FENGQIAO)
    tool(visit, "hide")
    assert visit.counts() == (nodes - 1, edges - touching) and touching > 0
    assert FENGQIAO not in visit.page.evaluate("policekgGraph.nodes.getIds()")
    scale = visit.page.evaluate("policekgGraph.network.getScale()")
    tool(visit, "zoom-in")
    assert visit.page.evaluate("policekgGraph.network.getScale()") == pytest.approx(scale * 1.25)
    tool(visit, "zoom-out")
    assert visit.page.evaluate("policekgGraph.network.getScale()") == pytest.approx(scale)
    offscreen = """() => { const n = policekgGraph.network, c = n.canvas.frame.canvas;
        return Object.values(n.getPositions()).map(p => n.canvasToDOM(p))
            .filter(p => p.x < 0 || p.y < 0 || p.x > c.clientWidth || p.y > c.clientHeight).length; }"""
    visit.page.evaluate("policekgGraph.network.moveTo({ scale: 4, animation: false })")
    assert visit.page.evaluate(offscreen) > 0
    tool(visit, "fit")
    assert visit.page.evaluate(offscreen) == 0  # every node, the added ones too, is on screen after "fit"
    visit.check_clean(tmp_path, "tools")


def test_png_and_svg_export_what_is_drawn(browser, server, tmp_path):
    visit = Visit(browser, server, "/graph")
    png = download(visit, "png", tmp_path).read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    box = visit.page.locator("#graph canvas").bounding_box()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (int(box["width"]), int(box["height"]))
    svg = ET.parse(download(visit, "svg", tmp_path)).getroot()
    nodes, edges = visit.counts()
    labels = visit.page.evaluate("policekgGraph.nodes.map(n => n.label)")
    assert len(svg.findall(f".//{SVG}circle")) == nodes and len(svg.findall(f".//{SVG}line")) == edges
    assert sorted(t.text for t in svg.iter(f"{SVG}text")) == sorted(labels)
    visit.check_clean(tmp_path, "export")


def test_injected_label_stays_text_in_search_panel_and_svg(browser, server, tmp_path):
    visit = Visit(browser, server, "/graph?all=1")
    visit.page.locator(".graph-search input").fill(IMG_PAYLOAD)
    visit.page.locator(".graph-search button").click()
    assert visit.page.locator("#graph-info h2").inner_text() == INJECTION_PROGRAM
    svg_path = download(visit, "svg", tmp_path)
    svg = ET.parse(svg_path).getroot()
    assert INJECTION_PROGRAM in [t.text for t in svg.iter(f"{SVG}text")]
    assert "<img" not in svg_path.read_text(encoding="utf-8")
    visit.settle()
    assert visit.page.locator("main img, #graph-info img").count() == 0
    visit.check_clean(tmp_path, "tools-injection")


def test_a_programs_neighbourhood_has_every_bureau_naming_it(server, store):
    named_by = {row["b"].value for row in store.ox_query(
        f"SELECT ?b WHERE {{ GRAPH ?r {{ <{FENGQIAO}> pk:mentionedIn ?r . ?r dcterms:publisher ?b }} }}")}
    data = httpx.get(server + graph_url(FENGQIAO), params={"format": "json"}, timeout=60).json()
    drawn = {n["id"] for n in data["nodes"]}
    assert len(named_by) >= 4 and named_by <= drawn


# A point 20 screen pixels off an edge's middle, on the side where no other edge or node is within 8 pixels.
BESIDE = """([a, b]) => { const n = policekgGraph.network;
    const id = policekgGraph.edges.get({ filter: e => (e.from === a && e.to === b) || (e.from === b && e.to === a) })[0].id;
    const e = n.body.edges[id], s = n.getScale(), p = e.edgeType.getPoint(0.5);
    const p0 = e.edgeType.getPoint(0.49), p1 = e.edgeType.getPoint(0.51), len = Math.hypot(p1.x - p0.x, p1.y - p0.y);
    const clear = q => n.getNodeAt(n.canvasToDOM(q)) === undefined && n.body.edgeIndices.every(k => k === id ||
        s * n.body.edges[k].edgeType.getDistanceToEdge(n.body.edges[k].from.x, n.body.edges[k].from.y,
                                                       n.body.edges[k].to.x, n.body.edges[k].to.y, q.x, q.y) > 8);
    const sides = [1, -1].map(sign => ({ x: p.x - sign * (p1.y - p0.y) / len * 20 / s,
                                         y: p.y + sign * (p1.x - p0.x) / len * 20 / s }));
    const q = sides.find(clear);
    // vis-network's own rule: the nearest centre line within 10 canvas units
    const near = n.body.edgeIndices.map(k => [n.body.edges[k].edgeType.getDistanceToEdge(n.body.edges[k].from.x,
        n.body.edges[k].from.y, n.body.edges[k].to.x, n.body.edges[k].to.y, q ? q.x : 0, q ? q.y : 0), k])
        .filter(d => d[0] < 10).sort((x, y) => x[0] - y[0]);
    return q && { id: id, point: q, vis: near.length ? near[0][1] : null }; }"""


def test_a_click_beside_an_edge_selects_nothing(browser, server, store, tmp_path):
    """vis-network alone selects the nearest edge up to 10 canvas units away (30 pixels at 3×) and
    highlights it on hover; nothing is drawn there, so nothing is selected or hovered."""
    report = str(report_iri("慈溪市公安局", 2022))
    g = cooccurrence_graph(store, [report])
    visit = Visit(browser, server, f"/graph?view=cooccurrence&report={quote(report)}")
    visit.page.evaluate("policekgGraph.network.moveTo({ scale: 3, animation: false })")
    for a, b in sorted(g.edges()):
        visit.page.evaluate("([a, b]) => policekgGraph.network.focus(a, { scale: 3, animation: false })", [a, b])
        found = visit.page.evaluate(BESIDE, [a, b])
        if found and found["vis"] == found["id"]:
            break
    else:
        pytest.fail("no edge with a clear point beside it that vis-network would pick")
    box = visit.page.locator("#graph canvas").bounding_box()
    x, y = visit.page.evaluate("(q) => { const p = policekgGraph.network.canvasToDOM(q); return [p.x, p.y]; }",
                               found["point"])
    visit.page.mouse.move(box["x"] + x, box["y"] + y)
    assert visit.page.evaluate("Object.keys(policekgGraph.network.selectionHandler.hoverObj.edges)") == []
    text = visit.click_at("(n, q) => q", found["point"])
    assert visit.page.evaluate("policekgGraph.network.getSelectedEdges()") == []
    assert text.startswith("点击节点或连线")
    visit.check_clean(tmp_path, "beside")


def details(server: str, **params: str | int) -> httpx.Response:
    return httpx.get(f"{server}/graph/details", params=params, timeout=60)


def naming(store, a: str, b: str) -> dict[str, tuple[set[str], set[str]]]:
    """Bureau → (its reports naming program `a`, those naming `b`), for the bureaus naming both."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for row in store.ox_query(f"SELECT ?p ?r ?b WHERE {{ VALUES ?p {{ <{a}> <{b}> }} "
                              "GRAPH ?r { ?p a pk:Program . ?r a pk:Report ; dcterms:publisher ?b } }"):
        found.setdefault(row["b"].value, (set(), set()))[row["p"].value == b].add(row["r"].value)
    return {bureau: both for bureau, both in found.items() if all(both)}


def test_the_overview_carries_summaries_and_a_click_fetches_edges_and_bureaus(server, store):
    page = httpx.get(f"{server}/graph", params={"format": "json"}, timeout=60).json()
    assert page["details"] == "/graph/details" and page["info"]["edges"] == {}
    assert all("edges" not in n for n in page["info"]["nodes"].values())
    view = shared_graph(store).graph
    node = details(server, node=FENGQIAO).json()
    assert node["edges_total"] == view.degree(FENGQIAO) == len(node["edges"]) > 1
    assert {e["other"]["href"] for e in node["edges"]} == {page_url(n) for n in view[FENGQIAO]}
    weights = [view[FENGQIAO][n]["weight"] for n in view[FENGQIAO]]
    assert [int(re.search(r"\d+", e["predicate"]).group()) for e in node["edges"]] == sorted(weights, reverse=True)
    first = details(server, node=FENGQIAO, limit=1).json()
    assert first["edges"] == node["edges"][:1] and first["edges_total"] == node["edges_total"]
    a, b, data = max(view.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1]))
    drawn = next(e for e in page["edges"] if {e["from"], e["to"]} == {a, b})
    edge = details(server, edge=drawn["id"]).json()
    ends = (edge["source"]["href"], edge["target"]["href"])
    assert ends == (page_url(drawn["from"]), page_url(drawn["to"]))
    expected = naming(store, drawn["from"], drawn["to"])
    assert edge["bureaus_total"] == data["weight"] == len(expected) == len(edge["bureaus"]) >= 2
    assert {b["href"]: ({r["href"] for r in b["source"]}, {r["href"] for r in b["target"]}) for b in edge["bureaus"]} \
        == {page_url(b): tuple({page_url(r) for r in reports} for reports in both) for b, both in expected.items()}
    one = details(server, edge=drawn["id"], limit=1).json()
    assert one["bureaus"] == edge["bureaus"][:1] and one["bureaus_total"] == edge["bureaus_total"]


def test_details_follow_the_view_and_name_what_is_not_in_it(server, store):
    report = str(report_iri("慈溪市公安局", 2022))
    g = cooccurrence_graph(store, [report])
    a, b, data = max(g.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1]))
    page = httpx.get(f"{server}/graph", params={"format": "json", "view": "cooccurrence", "report": report},
                     timeout=60).json()
    assert page["details"] == "/graph/details?" + urlencode({"view": "cooccurrence", "report": report})
    drawn = next(e for e in page["edges"] if {e["from"], e["to"]} == {a, b})
    edge = details(server, view="cooccurrence", report=report, edge=drawn["id"]).json()
    assert [ev["sentence"] for ev in edge["evidence"]] == [ev["sentence"] for ev in data["evidence"]]
    assert edge["evidence_total"] == data["weight"] and "bureaus_total" in edge and not edge["bureaus"]
    unknown = f"{PKR}program/没有这个"
    missing = details(server, node=unknown)
    assert missing.status_code == 404 and f"no node &lt;{unknown}&gt; in this view" in missing.text
    assert details(server, node=unknown, format="json").json()["error"].startswith(f"no node <{unknown}>")
    unknown_edge = details(server, edge="e0000", format="json")
    assert unknown_edge.status_code == 404 and unknown_edge.json()["error"].startswith("no edge 'e0000'")
    assert details(server).status_code == 400 and details(server, node=FENGQIAO, edge="e0").status_code == 400
    assert details(server, node=FENGQIAO, view="entity", report=report, **{"class": "unit"}).status_code == 404
    assert details(server, node=FENGQIAO, limit=0).status_code in (400, 422)


def test_details_keep_injected_text_inert(server, store):
    program = str(entity_iri("Program", INJECTION_PROGRAM))
    page = httpx.get(f"{server}/graph", params={"format": "json", "all": "1"}, timeout=60).json()
    drawn = next(e for e in page["edges"] if program in (e["from"], e["to"]))
    other = drawn["to"] if drawn["from"] == program else drawn["from"]
    for answer in (details(server, all=1, node=other, limit=1000), details(server, all=1, edge=drawn["id"])):
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
        assert "<img" not in answer.text and "\\u003cimg" in answer.text  # escaped, and still the same JSON
    edge = details(server, all=1, edge=drawn["id"]).json()
    assert INJECTION_PROGRAM in (edge["source"]["label"], edge["target"]["label"])


def test_clicking_an_overview_edge_lists_some_bureaus_and_links_to_all(browser, server, store, tmp_path):
    view = shared_graph(store).graph
    visit = Visit(browser, server, "/graph?limit=1")
    a, b, eid = visit.heaviest_clickable_edge(view)  # every edge of this view has at least two bureaus
    data = view[a][b]
    text = visit.click_edge(eid)
    assert f"同时提及二者的单位 共 {data['weight']} 个,列出 1 个" in text
    items = visit.page.locator("#graph-info ul.graph-bureaus > li")
    assert items.count() == 1 and "/report/" in items.first.locator("a").nth(1).get_attribute("href")
    everything = visit.page.locator("#graph-info h3 a").get_attribute("href")
    assert everything == f"/graph/details?limit={data['weight']}&edge={eid}"
    listed = httpx.get(server + everything, timeout=60).json()["bureaus"]
    assert {x["href"] for x in listed} == {page_url(bureau) for bureau in naming(store, a, b)}
    tool(visit, "fit")
    text = visit.click_node(FENGQIAO)
    assert f"关系与依据 共 {view.degree(FENGQIAO)} 个,列出 1 个" in text
    visit.check_clean(tmp_path, "overview-details")
