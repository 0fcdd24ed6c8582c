"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs: `?graph=IRI` or `?default`.

GET (anyone): the graph in any RDF format, negotiated like /sparql or named by `format`, streamed.
`?default` is the merge of all graphs (each distinct triple once), as in queries. PUT (replace), POST
(add) and DELETE need the update token; they write named graphs only, and the store keeps the default
graph their merge.
"""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from rdflib import URIRef

from policekg.api.auth import require_update_token
from policekg.api.deps import get_settings, get_store
from policekg.api.errors import BadRequest, NotAcceptable, NotFound, UnsupportedMediaType
from policekg.api.negotiation import VARY, media_types, rank
from policekg.api.parse_guard import check_rdf
from policekg.api.request_params import absolute_iri, content_type
from policekg.api.streaming import stream
from policekg.kg.rdf.errors import FormatError
from policekg.kg.rdf.formats import RDF_FORMATS, RdfFormat, rdf_format
from policekg.kg.rdf.iris import PREFIXES

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _target(request: Request) -> str | None:
    """The graph IRI the request names, or None for `?default`; 400 when it names neither or both."""
    params = request.query_params
    if ("graph" in params) == ("default" in params):
        raise BadRequest("name exactly one graph: ?graph=<IRI> or ?default")
    if "default" in params:
        return None
    return absolute_iri("graph", params["graph"])


def _response_format(request: Request) -> RdfFormat:
    if name := request.query_params.get("format"):
        return rdf_format(name)
    accept = request.headers.get("accept")
    ranked = rank(accept, RDF_FORMATS, media_types)
    if not ranked:
        raise NotAcceptable(f"graphs come as {', '.join(f.media_type for f in RDF_FORMATS)}, not {accept!r}")
    return ranked[0]


async def get_graph(request: Request) -> StreamingResponse:
    store = get_store(request)
    iri, fmt = _target(request), _response_format(request)
    if iri is not None and not store.ox.contains_named_graph(ox.NamedNode(iri)):
        raise NotFound(f"no graph <{iri}> in the store")

    def write(out: IO[bytes]) -> None:
        if iri is None:
            ox.serialize(store.ox_query(_UNION), out, fmt.ox, prefixes=PREFIXES)
        else:
            store.export(fmt, out, URIRef(iri))

    return StreamingResponse(stream(write), media_type=fmt.media_type, headers=VARY)


async def _body_triples(request: Request, iri: str) -> list[ox.Triple]:
    """The request body parsed in its Content-Type (relative IRIs against `iri`; graphs flattened),
    measured first and parsed off the event loop."""
    ctype = content_type(request)
    try:
        fmt = rdf_format(ctype)
    except FormatError as err:
        raise UnsupportedMediaType(f"cannot read a body of type {ctype or '(none)'}: {err}") from err
    body = await request.body()
    return await run_in_threadpool(_parse_body, body, fmt, iri, request.app.state.settings.max_depth)


def _parse_body(body: bytes, fmt: RdfFormat, iri: str, max_depth: int) -> list[ox.Triple]:
    check_rdf(body, fmt.name, max_depth)
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt.ox, base_iri=iri)]
    except SyntaxError as err:
        raise BadRequest(f"the {fmt.name} body does not parse: {err}") from err


def _writable_target(request: Request) -> str:
    require_update_token(request, get_settings(request))
    iri = _target(request)
    if iri is None:
        raise BadRequest("the default graph is the merge of the named graphs; write to ?graph=<IRI>")
    return iri


async def put_graph(request: Request) -> Response:
    iri = _writable_target(request)
    store = get_store(request)
    triples = await _body_triples(request, iri)
    existed = store.ox.contains_named_graph(ox.NamedNode(iri))
    await run_in_threadpool(store.replace_graph, iri, triples)
    return Response(status_code=204 if existed else 201)


async def post_graph(request: Request) -> Response:
    iri = _writable_target(request)
    store = get_store(request)
    node = ox.NamedNode(iri)
    triples = await _body_triples(request, iri)
    existed = store.ox.contains_named_graph(node)
    await run_in_threadpool(store.add_to_graph, iri, triples)
    return Response(status_code=204 if existed else 201)


async def delete_graph(request: Request) -> Response:
    iri = _writable_target(request)
    store = get_store(request)
    if not await run_in_threadpool(store.remove_graph, URIRef(iri)):
        raise NotFound(f"no graph <{iri}> in the store")
    return Response(status_code=204)
