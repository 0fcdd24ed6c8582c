"""The map of every URL the server answers: its methods, handler, formats and what it is for.

Read this table to find a page; `mount` registers exactly these routes, in this order, so the map
cannot drift from what is served. `page` says how errors on a route come back: as a page (HTML, or
JSON when the request asked for JSON) for the pages people read, as plain text for the protocols.
Static files are served under `/static` beside them (`create_app`). Every URL a page links to is made
in `urls`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.requests import Request

from policekg.api import (
    export,
    graph_store,
    i18n,
    pages_about,
    pages_bureau,
    pages_compare,
    pages_entity,
    pages_home,
    pages_map,
    pages_report,
    pages_search,
    reports_write,
    sparql,
    templating,
    viz,
)
from policekg.api.rendering import LIST_TYPES, PAGE_TYPES, RDF_TYPES
from policekg.kg.rdf.formats import RESULTS_FORMATS

PAGE = tuple(PAGE_TYPES.values())
LIST = tuple(LIST_TYPES.values())
RDF = tuple(RDF_TYPES.values())
SPARQL = tuple(dict.fromkeys(f.media_type for f in RESULTS_FORMATS))
HTML = PAGE_TYPES["html"]


@dataclass(frozen=True)
class Route:
    """One URL: what answers it and in which formats."""

    methods: tuple[str, ...]
    path: str
    endpoint: Callable
    formats: tuple[str, ...]  # the media types it answers in (the OpenAPI description's, `openapi`)
    summary: str
    page: bool = True  # errors come as a page; else as plain text
    suffixed: bool = False  # also at `{path}.{suffix}`: `/reports.csv`
    listed: bool = True  # in the OpenAPI description (/docs)


ROUTES: tuple[Route, ...] = (
    # the SPARQL 1.1 protocols and the dataset download
    Route(("GET",), "/sparql", sparql.sparql_get, SPARQL + RDF + (HTML,),
          "SPARQL query (GET), service description or query page", page=False),
    Route(("POST",), "/sparql", sparql.sparql_post, SPARQL + RDF,
          "SPARQL query or update (POST)", page=False),
    Route(("GET",), "/rdf-graphs", graph_store.get_graph, RDF, "Graph Store Protocol: read a graph", page=False),
    Route(("PUT",), "/rdf-graphs", graph_store.put_graph, (), "Graph Store Protocol: replace a graph (token)",
          page=False),
    Route(("POST",), "/rdf-graphs", graph_store.post_graph, (), "Graph Store Protocol: add to a graph (token)",
          page=False),
    Route(("DELETE",), "/rdf-graphs", graph_store.delete_graph, (), "Graph Store Protocol: delete a graph (token)",
          page=False),
    Route(("POST",), "/reports", reports_write.post_reports, ("ndjson",),
          "Ingest report files (multipart; token): one JSON line per file, then the summary", page=False),
    Route(("DELETE",), "/report/{path:path}", reports_write.delete_report, ("json",),
          "Remove the report ISSUER/YEAR (token)", page=False),
    Route(("GET",), "/export", export.export, RDF, "Download the dataset or one report graph", page=False),
    # the pages people read, each with its machine-readable twins
    Route(("GET",), "/", pages_home.home, PAGE, "Home: what the graph holds"),
    Route(("GET",), "/reports", pages_home.reports, LIST, "All reports", suffixed=True),
    Route(("GET",), "/about", pages_about.about, PAGE, "What the data is and how accurate"),
    Route(("GET",), "/lang", i18n.switch, (), "Read the pages in Chinese or English (a cookie), back to a page"),
    Route(("GET",), "/search", pages_search.search_page, LIST, "Search names and aliases", suffixed=True),
    Route(("GET",), "/id/{path:path}", pages_entity.resource, PAGE + RDF,
          "A resource of the graph (Linked Data: HTML, RDF or JSON)"),
    Route(("GET",), "/report/{path:path}", pages_report.report, LIST + RDF,
          "A report: structure, text with mentions, figures"),
    Route(("GET",), "/compare", pages_compare.compare_index, LIST,
          "Programs and indicators named in several reports", suffixed=True),
    Route(("GET",), "/compare/{path:path}", pages_compare.compare_one, LIST,
          "One program or indicator across reports"),
    Route(("GET",), "/chart/{path:path}", pages_compare.indicator_chart, ("application/json",),
          "What the chart beside an indicator's table draws: each bureau's result a year"),
    Route(("GET",), "/bureau/{path:path}", pages_bureau.bureau, LIST,
          "A bureau over the years: reports, programs, figures, sub-units, peers in its province"),
    Route(("GET",), "/map/{path:path}", pages_map.province_map_page, LIST,
          "Bureaus naming a program or reporting an indicator, by province (the map's data)"),
    # the graph pages
    Route(("GET",), "/graph/assets/{name}", viz.asset, ("text/javascript", "text/css"), "vis-network's script and stylesheet",
          listed=False),
    Route(("GET",), "/graph", viz.whole_graph, PAGE,
          "What reports share (programs linked by the bureaus naming both); the entity and "
          "co-occurrence graphs as other views, filterable by class and report"),
    Route(("GET",), "/graph/details", viz.whole_graph_details, ("application/json",),
          "What a click on a node or an edge of /graph shows: its edges, or its evidence and bureaus"),
    Route(("GET",), "/graph/entity/{path:path}", viz.neighbourhood, PAGE,
          "The neighbourhood of one entity (radius 1 or 2)"),
    Route(("GET",), "/graph/query", viz.query_graph, PAGE, "Any CONSTRUCT result drawn as a graph"),
    # written from the vocabulary table, beside the static files
    Route(("GET",), "/static/tints.css", templating.tints, ("text/css",), "Class and status tints", page=False,
          listed=False),
)

_PAGE_ENDPOINTS = frozenset(r.endpoint for r in ROUTES if r.page)


def mount(app: FastAPI) -> None:
    """Register every route of the map on `app` (before `/static` is mounted: the tints live under it)."""
    for r in ROUTES:
        app.add_api_route(r.path, r.endpoint, methods=list(r.methods), summary=r.summary,
                          include_in_schema=r.listed)
        if r.suffixed:
            app.add_api_route(f"{r.path}.{{suffix}}", r.endpoint, methods=list(r.methods), include_in_schema=False)


def is_page(request: Request) -> bool:
    """Whether the request reached a page (its errors come as a page) rather than a protocol route."""
    route = request.scope.get("route")
    return getattr(route, "endpoint", None) in _PAGE_ENDPOINTS
