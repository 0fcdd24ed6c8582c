"""The interactive graph pages: `/graph`, `/graph/entity/{path}`, `/graph/query`.

`/graph` opens on what reports share (`kg.network.views.shared_graph`: programs linked by the bureaus
naming both, with its own communities); the entity and co-occurrence views stay a click away. Each page
draws a networkx view (`kg.network.views`) with vis-network, built through pyvis
(`drawing`), inside our own template: pyvis's template pulls Bootstrap from a CDN and inserts
the heading and node titles as raw HTML. A node's summary (class, names, aliases, figures, links to
its pages) travels with the page as JSON escaped for a `<script>` (`|tojson`). What else a click shows
(a node's edges, an edge's evidence sentences or bureaus) travels with the neighbourhood and query pages
too, which are small; the overview, thousands of edges each named by up to thousands of bureaus, fetches
it on click from `/graph/details` instead, a few dozen items at a time. The page script puts it all on
screen with `textContent`: report text is untrusted. vis-network's own files are served from the pyvis
package, so the pages need no network.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import networkx as nx
from fastapi import Depends, Query
from fastapi.responses import FileResponse, Response
from markupsafe import Markup
from rdflib import Graph
from starlette.requests import Request

from policekg.api import drawing
from policekg.api.deps import get_query_runner, get_settings, get_store
from policekg.api.errors import BadRequest, NotFound, TooLarge
from policekg.api.guardrails import check_remote
from policekg.api.i18n import DEFAULT_LANGUAGE, language, quoted, translate, vocabulary_name
from policekg.api.parse_guard import check_sparql
from policekg.api.query_exec import Job
from policekg.api.rendering import (
    HTML_VARY,
    PAGE_TYPES,
    Document,
    compute,
    curie,
    render_json,
    respond,
    wanted,
)
from policekg.api.templating import STATIC_DIR, templates
from policekg.api.urls import graph_url, iri_for, page_url, raw_local_path, report_name
from policekg.kg.config import Settings
from policekg.kg.network.analysis import Metrics, analyse, current_metrics, shared_view
from policekg.kg.network.views import (
    Node,
    TooManyNodes,
    construct_view,
    cooccurrence_graph,
    entity_graph,
    naming_both,
    neighbourhood_graph,
    shared_graph,
)
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.reports import list_reports, newest_first
from policekg.schema.vocabulary import BY_NAME, tints_css

VIS_DIR = Path(str(files("pyvis"))) / "lib" / "vis-9.1.2"
ASSETS = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
#: The class filter: IRI kind segment → the class it keeps (the classes a graph legend lists).
KINDS = {BY_NAME[cls].segment: cls for cls in drawing.LEGEND}
#: Each view's title: a message id of the catalogue (api/i18n.py), shown in the request's language.
VIEW_TITLES = {
    "shared": "Programs reports share",
    "entity": "Entity graph",
    "cooccurrence": "Named in the same measure",
}
#: A neighbourhood is drawn from the newest reports naming the entity, this many unless asked for more
#: (`?reports=`, up to `MOST_REPORTS`): a program nearly every report names has a bureau in each.
NEIGHBOURHOOD_REPORTS = 50
MOST_REPORTS = 1000
#: The report filter of /graph lists the reports chosen and the newest up to this many; the others can be
#: named in the URL (`?report=IRI`), as the list of reports links them.
LISTED_REPORTS = 200
#: What a click shows lists this many of a node's reports and edges and of an edge's sentences and bureaus,
#: unless asked for more (`/graph/details?limit=`): two programs of the overview may share 15,000 bureaus.
LISTED = 50
MOST_LISTED = 100_000
#: The parameters of /graph that choose what it draws; its details take the same (colour changes nothing).
VIEW_PARAMS = ("class", "report", "view", "all")
EXAMPLE_QUERY = """PREFIX pk: <https://w3id.org/policekg/ontology#>
CONSTRUCT { ?unit pk:implements ?program . ?program rdfs:label ?name }
WHERE { ?unit pk:implements ?program . ?program rdfs:label ?name }"""


async def asset(name: str) -> Response:
    """vis-network's script and stylesheet, from the pyvis package (no CDN)."""
    if name not in ASSETS:
        raise NotFound(f"no asset {name!r}")
    return FileResponse(VIS_DIR / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})


async def whole_graph(
    request: Request,
    kind: list[str] = Query([], alias="class", description="keep these classes (unit, program, …)"),
    report: list[str] = Query([], description="keep what these reports name (report IRIs)"),
    colour: str = Query(
        "class", pattern="^(class|community)$", description="colour nodes by class or community"
    ),
    view: str = Query(
        "shared",
        pattern="^(shared|entity|cooccurrence)$",
        description="shared: programs linked by the bureaus naming both; entity: stated relations; "
                    "cooccurrence: named in the same measure",
    ),
    everything: bool = Query(False, alias="all", description="shared view: keep what one bureau names"),
    listed: int = Query(LISTED, alias="limit", ge=1, le=MOST_LISTED,
                        description="a click lists this many of a node's edges or an edge's bureaus"),
    store: GraphStore = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    g, (reports, total), folded, own = await compute(request, _whole_graph, store, report, view, kind,
                                                     everything)
    # the shared view's communities and centrality are its own, not the per-report entity graph's; the
    # stored analysis is read here, in the server, which may store a fresh one
    metrics = own if own is not None else await compute(request, lambda: current_metrics(store, list(g)))
    context = {
        "title": translate(language(request), VIEW_TITLES[view]),
        "folded": folded,
        "everything": everything,
        "kinds": KINDS,
        "chosen": set(kind),
        "reports": [(r, report_name(r) or r) for r in reports],
        "reports_total": total,
        "chosen_reports": set(report),
        "view": view,
    }
    return await _respond(request, g, metrics, colour, settings, context, details=_details_url(request, listed))


async def whole_graph_details(
    request: Request,
    kind: list[str] = Query([], alias="class", description="as /graph"),
    report: list[str] = Query([], description="as /graph"),
    view: str = Query("shared", pattern="^(shared|entity|cooccurrence)$", description="as /graph"),
    everything: bool = Query(False, alias="all", description="as /graph"),
    node: str | None = Query(None, description="a node's IRI: its edges"),
    edge: str | None = Query(None, description="an edge's id: its evidence sentences or bureaus"),
    limit: int = Query(LISTED, ge=1, le=MOST_LISTED, description="list this many of each"),
    store: GraphStore = Depends(get_store),
) -> Response:
    """What a click on a node or an edge of `/graph` shows beyond the summary the page carries, as JSON."""
    if (node is None) == (edge is None):
        raise BadRequest("name exactly one node (?node=IRI) or edge (?edge=id) of the view")
    found = await compute(request, _details, store, (report, view, kind, everything), node, edge,
                          language(request), limit)
    return render_json(found, headers=HTML_VARY)  # the relations' words follow the language cookie


def _details(store: GraphStore, chosen: tuple[list[str], str, list[str], bool], node: str | None,
             edge: str | None, lang: str, limit: int) -> dict:
    """`node_details` or `edge_details` in the view `chosen` (/graph's parameters), in a query worker:
    only the answer crosses back to the server."""
    g, *_ = _view(store, *chosen)
    if node is not None:
        if node not in g:
            raise NotFound(f"no node <{node}> in this view of the graph")
        return node_details(g, node, lang, limit)
    found = next(((s, o, data) for eid, s, o, data in drawing.edges(g) if eid == edge), None)
    if found is None:
        raise NotFound(f"no edge {edge!r} in this view of the graph")
    s, o, data = found
    bureaus = naming_both(store, s, o, chosen[0], limit) if "bureaus" in data else None
    return edge_details(g, edge, s, o, data, lang, limit, bureaus)


def _details_url(request: Request, limit: int) -> str:
    """`/graph/details` with the parameters that chose what this page draws, and how many to list."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k in VIEW_PARAMS]
    params += [("limit", str(limit))] if limit != LISTED else []
    return "/graph/details" + (f"?{urlencode(params)}" if params else "")


async def neighbourhood(
    request: Request,
    path: str,
    radius: int = Query(1, ge=1, le=2, description="how many steps out"),
    colour: str = Query("class", pattern="^(class|community)$"),
    most: int = Query(NEIGHBOURHOOD_REPORTS, alias="reports", ge=1, le=MOST_REPORTS,
                      description="draw from this many of the newest reports naming it (or a neighbour)"),
    store: GraphStore = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    iri = iri_for(raw_local_path(request, "/graph/entity/"))

    g = await compute(request, _neighbourhood, store, iri, radius, settings.graph_max_nodes, most)
    # here, not in a worker: it may store a fresh analysis
    metrics = await compute(request, lambda: current_metrics(store, list(g)))
    name = g.nodes[iri]["node"].label
    lang = language(request)
    context = {"title": translate(lang, "{name} · Neighbourhood", name=name),
               "heading": translate(lang, "{name} · Neighbourhood", name=quoted(name)),
               "entity": {"label": name, "href": page_url(iri)}, "radius": radius, "most": most,
               "wider": min(2 * most, MOST_REPORTS) if most < MOST_REPORTS else None}
    return await _respond(request, g, metrics, colour, settings, context)


async def query_graph(
    request: Request,
    query: str = Query("", description="a SPARQL CONSTRUCT query"),
    colour: str = Query("class", pattern="^(class|community)$"),
    store: GraphStore = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    context = {"title": translate(language(request), "CONSTRUCT as a graph"), "query": query or EXAMPLE_QUERY}
    if not query.strip():
        return await respond(request, "html", Document("graph_query.html", {**context, "data": None}, None))
    result = await _construct(request, query, settings)
    g = await compute(request, lambda: construct_view(store, result))
    metrics = await compute(request, lambda: current_metrics(store, list(g)))
    return await _respond(request, g, metrics, colour, settings, context, template="graph_query.html")


def _whole_graph(store: GraphStore, report: list[str], view: str, kind: list[str], everything: bool,
                 ) -> tuple[nx.Graph, tuple[list[str], int], int | None, dict[str, Metrics] | None]:
    """The graph `/graph` draws (`_view`), the reports its filter lists (`LISTED_REPORTS`) and how many
    there are, how many nodes the shared view folded away and that view's own analysis (computed in a
    query worker). The reports are read from the table kept per state of the store."""
    g, folded, own = _view(store, report, view, kind, everything)
    metrics = (own or analyse(g)) if view == "shared" else None
    every = list_reports(store)
    newest = [r["report"] for r in sorted(every, key=newest_first)[:LISTED_REPORTS]]
    reports = sorted(dict.fromkeys([*report, *newest]))
    return _outline(g), (reports, len(every)), folded, metrics


#: What an edge of a view says about why it exists: a click reads it again (`/graph/details`).
_REASONS = ("evidence", "bureaus")


def _outline(g: nx.Graph) -> nx.Graph:
    """The graph with its edges' evidence and bureaus emptied: all the page draws, and a tenth of what
    crosses from the query worker to the server and on to the worker writing the page."""
    outline = g.__class__(**g.graph)
    outline.add_nodes_from(g.nodes(data=True))
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
    outline.add_edges_from((*ends, {k: [] if k in _REASONS else v for k, v in data.items()}) for *ends, data in edges)
    return outline


def _view(store: GraphStore, report: list[str], view: str, kind: list[str], everything: bool,
          ) -> tuple[nx.Graph, int | None, dict[str, Metrics] | None]:
    """The graph of a view of `/graph` (its parameters checked), how many nodes the shared view folded
    away, and the analysis kept with the shared view of every report (read from the store's tables)."""
    unknown = [k for k in kind if k not in KINDS]
    if unknown:
        raise BadRequest(f"unknown class {unknown[0]!r}; use one of {', '.join(KINDS)}")
    known = {r["report"] for r in list_reports(store)}
    missing = [r for r in report if r not in known]
    if missing:
        raise BadRequest(f"no report <{missing[0]}> in the store")
    folded, own = None, None
    if view == "shared" and not report:
        shared, own = shared_view(store, everything)
        g, folded = shared.graph, shared.folded
    elif view == "shared":
        shared = shared_graph(store, report, everything=everything)
        g, folded = shared.graph, shared.folded
    else:
        g = (entity_graph if view == "entity" else cooccurrence_graph)(store, report or None)
    if kind:
        whole = len(g)
        g = g.subgraph([n for n, d in g.nodes(data=True) if d["node"].kind in kind]).copy()
        own = own if len(g) == whole else None
    return g, folded, own


def _neighbourhood(store: GraphStore, iri: str, radius: int, max_nodes: int, most: int) -> nx.MultiDiGraph:
    """The entities within `radius` steps of `iri`, read from the `most` newest reports naming it (in a
    query worker); one larger than a page draws is refused before its names and evidence are read."""
    try:
        return neighbourhood_graph(store, iri, radius, max_nodes, most)
    except KeyError:
        raise NotFound(f"no report names <{iri}>") from None
    except TooManyNodes as err:
        raise TooLarge(f"{err}: open its page instead, or a smaller radius") from None


async def _construct(request: Request, query: str, settings: Settings) -> Graph:
    """Run a user's CONSTRUCT as the SPARQL endpoint runs queries: no SERVICE / LOAD unless allowed,
    in a query worker that is stopped at the time limit, the answer capped at the row limit."""
    check_remote(query, settings.allow_remote)
    check_sparql(query, settings.max_depth)
    answer = await get_query_runner(request).run(Job(query, rdf_formats=("nt",), row_limit=settings.row_limit))
    if answer.kind != "graph":
        raise BadRequest(
            f"this page draws the answer of a CONSTRUCT or DESCRIBE query, not a {answer.kind} "
            "answer (SELECT / ASK): use the SPARQL page for those",
        )
    return Graph().parse(data=answer.body, format="nt")


async def _respond(request: Request, g: nx.MultiDiGraph, metrics: dict[str, Metrics], colour: str,
                   settings: Settings, context: dict[str, Any], template: str = "graph.html",
                   details: str | None = None) -> Response:
    for size, most, what in ((len(g), settings.graph_max_nodes, "nodes"),
                             (g.number_of_edges(), settings.graph_max_edges, "edges")):
        if size > most:
            raise TooLarge(f"this graph has {size} {what}, more than the {most} a page draws: "
                           "filter it by class or report")
    fmt = wanted(request, None, PAGE_TYPES)
    lang = language(request)
    data = await compute(request, payload, g, metrics, colour == "community", settings.graph_layout_threshold,
                         lang, details)
    legend = _legend(g, metrics, lang) if colour == "community" else _class_legend(lang)
    page = {**context, "data": data, "colour": colour, "legend": legend,
            "at_size": len(g) > settings.graph_layout_threshold}
    return await respond(request, fmt, Document(template, page, data))


def standalone_html(g: nx.Graph, metrics: dict[str, Metrics], title: str, *, by_community: bool = False,
                    layout_threshold: int = 300) -> str:
    """A graph page as one self-contained HTML document (notebooks, files): scripts and styles inline.

    With no request to choose a language, it speaks the default one, as a page without a cookie does."""
    lang = DEFAULT_LANGUAGE
    data = payload(g, metrics, by_community, layout_threshold, lang)
    legend = _legend(g, metrics, lang) if by_community else _class_legend(lang)
    return templates.get_template("graph_standalone.html").render(
        title=title, data=data, legend=legend, at_size=len(g) > layout_threshold, request=None,
        styles={"site": _inline(STATIC_DIR / "style.css", "</style"), "tints": Markup(tints_css()),
                "vis": _inline(VIS_DIR / "vis-network.css", "</style"),
                "graph": _inline(STATIC_DIR / "graph.css", "</style")},
        scripts={"vis": _inline(VIS_DIR / "vis-network.min.js", "</script"),
                 "ui_text": _inline(STATIC_DIR / "ui_text.js", "</script"),
                 "graph": _inline(STATIC_DIR / "graph.js", "</script")})


@cache
def _inline(path: Path, closing: str) -> Markup:
    """A file of ours or of pyvis, trusted, as raw element content (it must not close its element)."""
    text = path.read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"{path} contains {closing!r} and cannot be inlined")
    return Markup(text)


# -- what the page script gets ---------------------------------------------------------------------

def payload(g: nx.MultiDiGraph, metrics: dict[str, Metrics], by_community: bool, threshold: int,
            lang: str = DEFAULT_LANGUAGE, details: str | None = None) -> dict:
    """vis nodes/edges/options (from pyvis) and each node's summary, in `lang`. With `details` (the URL
    a click asks, `/graph/details?…`) that is all; without, every node's edges and every edge's
    evidence travel too (a page with no server, or a neighbourhood, small)."""
    net = drawing.network(g, metrics, by_community=by_community, layout_threshold=threshold)
    nodes = {iri: data["node"] for iri, data in g.nodes(data=True)}
    info = {iri: _node_info(node, metrics.get(iri), g.nodes[iri].get("reach"), lang) for iri, node in nodes.items()}
    edges: dict[str, dict] = {}
    if details is None:
        for summary in info.values():
            summary["edges"] = []
        for eid, s, o, data in drawing.edges(g):
            edges[eid] = _edge_info(nodes[s], nodes[o], data, lang, None)
            info[s]["edges"].append({"edge": eid, "other": edges[eid]["target"], "forward": True})
            info[o]["edges"].append({"edge": eid, "other": edges[eid]["source"], "forward": not g.is_directed()})
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "info": {"nodes": info, "edges": edges},
        "details": details,
        "physics": net.options["physics"]["enabled"],
        "drawn": g.graph.get("drawn"),  # from how many of how many reports, when not from all
    }


def node_details(g: nx.MultiDiGraph, iri: str, lang: str, limit: int) -> dict:
    """A node's edges in the view, the heaviest first (`limit` of them, and of each one's sentences)."""
    nodes = {n: data["node"] for n, data in g.nodes(data=True)}
    touching = [(eid, s, o, data) for eid, s, o, data in drawing.edges(g) if iri in (s, o)]
    touching.sort(key=lambda t: (-t[3].get("weight", 1), nodes[t[2] if t[1] == iri else t[1]].label, t[0]))
    listed = []
    for eid, s, o, data in touching[:limit]:
        edge = _edge_info(nodes[s], nodes[o], data, lang, limit)
        forward = s == iri or not g.is_directed()
        listed.append({"edge": eid, "other": edge["target" if s == iri else "source"], "forward": forward,
                       "predicate": edge["predicate"], "evidence": edge["evidence"],
                       "evidence_total": edge["evidence_total"]})
    return {"node": iri, "edges": listed, "edges_total": len(touching)}


def edge_details(g: nx.MultiDiGraph, eid: str, s: str, o: str, data: dict, lang: str, limit: int,
                 bureaus: tuple[int, list[tuple[str, str, list[str], list[str]]]] | None) -> dict:
    """An edge's predicate, ends and evidence (`limit` sentences); an edge of the shared view lists the
    `bureaus` naming both ends instead (how many, and some: IRI, name, its reports naming each end)."""
    edge = {"edge": eid, **_edge_info(g.nodes[s]["node"], g.nodes[o]["node"], data, lang, limit)}
    if bureaus is not None:
        edge["bureaus_total"], listed = bureaus
        edge["bureaus"] = [{"label": label, "href": page_url(b), "source": _reports(of_s), "target": _reports(of_o)}
                           for b, label, of_s, of_o in listed]
    return edge


def _edge_info(s: Node, o: Node, data: dict, lang: str, limit: int | None) -> dict:
    """What an edge says, between which nodes, and why: the first `limit` (or all) of its sentences, and
    the bureaus the view lists (the shared view keeps a few; `edge_details` reads them all)."""
    evidence = data.get("evidence", [])
    return {"predicate": _relation(data, lang), "source": _link(s), "target": _link(o),
            "evidence": [_evidence(ev) for ev in evidence[:limit]], "evidence_total": len(evidence),
            "bureaus": [{"label": label, "href": page_url(b)} for b, label in data.get("bureaus", [])],
            "bureaus_total": data["weight"] if "bureaus" in data else 0}


def _relation(data: dict, lang: str) -> str:
    """What an edge says: a stated relation, a count of shared measures, or of bureaus naming both."""
    if "predicate" in data:
        return curie(data["predicate"])
    if "bureaus" in data:
        return str(translate(lang, "named together by {n} bureaus", n=data["weight"]))
    return str(translate(lang, "same measure ×{n}", n=data["weight"]))


def _link(node: Node) -> dict:
    return {"label": node.label, "href": page_url(node.iri)}


def _evidence(ev: dict) -> dict:
    return {"sentence": ev["sentence"], "report": _reports([ev["report"]])[0]}


def _reports(reports: list[str]) -> list[dict]:
    return [{"label": report_name(r) or r, "href": page_url(r)} for r in reports]


def _node_info(node: Node, m: Metrics | None, reach: int | None, lang: str) -> dict:
    """A node's summary: what a click shows at once. Its reports are listed up to `LISTED` (its entity
    page lists them all)."""
    return {
        "reach": reach,
        "label": node.label, "cls": node.cls, "class_name": vocabulary_name(lang, "class", node.cls),
        "iri": node.iri, "href": page_url(node.iri), "graph": graph_url(node.iri), "aliases": node.aliases,
        "reports": _reports(node.reports[:LISTED]), "reports_total": len(node.reports),
        "metrics": None if m is None else {"degree": m.degree, "pagerank": round(m.pagerank, 4),
                                           "betweenness": round(m.betweenness, 4), "community": m.community},
        "properties": [{"predicate": curie(p), "value": v} for p, v in node.properties],
    }


def _class_legend(lang: str) -> list[dict]:
    return [
        {"name": vocabulary_name(lang, "class", cls), "colour": drawing.STYLE[cls][0], "shape": drawing.STYLE[cls][1]}
        for cls in drawing.LEGEND
    ]


def _legend(g: nx.Graph, metrics: dict[str, Metrics], lang: str) -> list[dict]:
    """One entry per coloured community in view, named by its most central member."""
    best: dict[int, tuple[float, str]] = {}
    for iri, data in g.nodes(data=True):
        m = metrics.get(iri)
        if m and m.community < len(drawing.COMMUNITY_COLOURS):
            best[m.community] = max(best.get(m.community, (-1.0, "")), (m.pagerank, data["node"].label))
    entries = [{"name": translate(lang, "Community {n} · {name}", n=c, name=quoted(label)),
                "colour": drawing.COMMUNITY_COLOURS[c], "shape": "dot"} for c, (_, label) in sorted(best.items())]
    return entries + [{"name": translate(lang, "other"), "colour": drawing.OTHER_COMMUNITY, "shape": "dot"}]
