"""The SPARQL 1.1 Protocol endpoint, /sparql: queries for everyone, updates for holders of the token.

- Query by GET `?query=`, POST form (`query=`) or POST `application/sparql-query`; `default-graph-uri`
  and `named-graph-uri` choose the dataset, otherwise the default graph is the merge of all graphs
  (each distinct triple once).
- Answers in the format the `format` parameter names, else the best the Accept header allows
  (`kg.formats` is the table); 406 when none fits. curl's `*/*` gets SPARQL JSON or Turtle; a browser
  (Accept naming text/html first) gets the query page with the query filled in and its answer shown.
- GET without a query: the service description (Turtle for `*/*`) or, for browsers, the query page.
- Update by POST form (`update=`) or `application/sparql-update`, only with the update token. It
  writes named graphs (GRAPH / WITH); the store then rebuilds the default graph, their merge, in the same
  transaction (`GraphStore.update`).

Queries run in the app's `query_pool` (time limit, off the event loop), after the SERVICE / LOAD guardrail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import ImmutableMultiDict

from policekg.api.auth import require_update_token
from policekg.api.deps import get_query_runner, get_settings, get_store, get_writer
from policekg.api.errors import BadRequest, NotAcceptable, UnsupportedMediaType
from policekg.api.guardrails import check_remote
from policekg.api.negotiation import VARY, choose, media_types, names_explicitly, rank
from policekg.api.parse_guard import check_sparql
from policekg.api.query_exec import Job
from policekg.api.rendering import HTML_VARY
from policekg.api.request_params import absolute_iri, content_type
from policekg.api.service_description import service_description
from policekg.api.sparql_page import page_context
from policekg.api.templating import templates
from policekg.api.update import run_update
from policekg.kg.rdf.errors import FormatError
from policekg.kg.rdf.formats import (
    RDF_FORMATS,
    RESULTS_FORMATS,
    RdfFormat,
    ResultsFormat,
    rdf_format,
    results_format,
)
from policekg.kg.rdf.iris import SD

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
#: Set on answers cut at the row limit (with X-Policekg-Row-Limit naming the limit).
TRUNCATED_HEADER = "X-Policekg-Truncated"
F = TypeVar("F", RdfFormat, ResultsFormat)
#: Every media type a query answer can come in (SPARQL results, then RDF), for errors and negotiation.
DATA_TYPES = tuple(t for f in (*RESULTS_FORMATS, *RDF_FORMATS) for t in media_types(f))


async def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        raise BadRequest("SPARQL Update must be sent with POST")
    if "query" not in params:
        return _describe(request)
    return await answer_query(request, params["query"], params)


async def sparql_post(request: Request) -> Response:
    ctype = content_type(request)
    if ctype == QUERY_TYPE:
        return await answer_query(request, await _body_text(request), request.query_params)
    if ctype == UPDATE_TYPE:
        require_update_token(request, request.app.state.settings)  # before reading a body nobody may send
        return await answer_update(request, await _body_text(request), request.query_params)
    if ctype not in (FORM_TYPE, "multipart/form-data"):
        raise UnsupportedMediaType(f"POST /sparql takes {QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}, "
                                   f"not {ctype or 'a body without Content-Type'}")
    form = await request.form()
    params = ImmutableMultiDict([*request.query_params.multi_items(),
                                 *((k, v) for k, v in form.multi_items() if isinstance(v, str))])
    if "query" in params and "update" in params:
        raise BadRequest("send either 'query' or 'update', not both")
    if "query" in params:
        return await answer_query(request, params["query"], params)
    if "update" in params:
        return await answer_update(request, params["update"], params)
    raise BadRequest("the form needs a 'query' or an 'update' field")


async def _body_text(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(f"the request body is not UTF-8 (byte {err.start})") from err


async def answer_query(request: Request, query: str, params: ImmutableMultiDict) -> Response:
    """Run a query and answer it in the negotiated format (or the query page, for a browser)."""
    settings = get_settings(request)
    fmt = params.get("format")
    if not fmt and _wants_page(request):
        return _page(request, query)
    check_remote(query, settings.allow_remote)
    check_sparql(query, settings.max_depth)
    results, graphs = _acceptable(request.headers.get("accept"), fmt)
    job = Job(query, _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"),
              tuple(f.name for f in results), tuple(f.name for f in graphs), settings.row_limit)
    answer = await get_query_runner(request).run(job)
    headers = dict(VARY)
    if answer.truncated:
        headers |= {TRUNCATED_HEADER: "true", "X-Policekg-Row-Limit": str(settings.row_limit)}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def answer_update(request: Request, update: str, params: ImmutableMultiDict) -> Response:
    settings = get_settings(request)
    require_update_token(request, settings)
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise BadRequest("using-graph-uri / using-named-graph-uri are not supported; "
                         "name the graphs in the update itself (WITH, USING, GRAPH)")
    await run_update(get_writer(request), update, settings)
    return Response(status_code=204)


def _iris(params: ImmutableMultiDict, name: str) -> tuple[str, ...]:
    return tuple(absolute_iri(name, value) for value in params.getlist(name))


def _acceptable(accept: str | None, fmt: str | None) -> tuple[list[ResultsFormat], list[RdfFormat]]:
    """The formats the client takes, best first: for SELECT/ASK answers and for graph answers."""
    if fmt:
        results, graphs = _named(results_format, fmt), _named(rdf_format, fmt)
        if not results and not graphs:
            known = ", ".join(dict.fromkeys(f.name for f in (*RESULTS_FORMATS, *RDF_FORMATS)))
            raise FormatError(f"unknown format {fmt!r}; use one of {known}")
        return results, graphs
    results, graphs = rank(accept, RESULTS_FORMATS, media_types), rank(accept, RDF_FORMATS, media_types)
    if not results and not graphs:
        offered = ", ".join(DATA_TYPES)
        raise NotAcceptable(f"cannot answer in {accept!r}; SPARQL answers come as {offered}")
    return results, graphs


def _named(lookup: Callable[[str], F], name: str) -> list[F]:
    """[the format `name` names] or [] when the table has none of that kind by that name."""
    try:
        return [lookup(name)]
    except FormatError:
        return []


def _wants_page(request: Request) -> bool:
    """A browser: it names text/html and likes it at least as much as any data format."""
    accept = request.headers.get("accept")
    explicit = names_explicitly(accept, "text/html") > 0
    return explicit and choose(accept, ["text/html", *DATA_TYPES]) == "text/html"


def _describe(request: Request) -> Response:
    """GET /sparql without a query: the query page for browsers, the service description for the rest."""
    accept = request.headers.get("accept")
    formats = rank(accept, RDF_FORMATS, media_types)
    if _wants_page(request) or (not formats and names_explicitly(accept, "text/html") > 0):
        return _page(request, None)
    if not formats:
        raise NotAcceptable("the service description comes as " + ", ".join(f.media_type for f in RDF_FORMATS)
                            + " (or text/html, the query page)")
    store, settings = get_store(request), get_settings(request)
    endpoint = str(request.url.replace(query=""))
    graphs = sorted(g.value for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode))
    triples = service_description(endpoint, graphs, settings)
    body = ox.serialize(triples, format=formats[0].ox, prefixes={"sd": str(SD)})
    return Response(body, media_type=formats[0].media_type, headers=VARY)


def _page(request: Request, query: str | None) -> Response:
    """The HTML query page; with `query`, the page shows it and runs it at once."""
    return templates.TemplateResponse(request, "sparql.html", page_context(query), headers=HTML_VARY)
