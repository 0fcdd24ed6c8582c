"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs: `?graph=IRI` or `?default`.

GET (anyone): the graph in any RDF format, negotiated like /sparql or named by `format`, streamed.
`?default` is the merge of all graphs (each distinct triple once), as in queries. PUT (replace), POST
(add) and DELETE need the update token; they write named graphs only, and the store keeps the default
graph their merge. A body is measured here (`parse_guard`) and parsed in the store's writer process,
with the write (`WriteGraph`), under the write limits: never in the server process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, ClassVar

import pyoxigraph as ox
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from rdflib import URIRef

from policekg.api.auth import require_update_token
from policekg.api.deps import get_settings, get_store, get_writer
from policekg.api.errors import BadRequest, NotAcceptable, NotFound, UnsupportedMediaType
from policekg.api.negotiation import VARY, media_types, rank
from policekg.api.parse_guard import check_rdf
from policekg.api.request_params import absolute_iri, content_type
from policekg.api.streaming import stream
from policekg.api.writer import Tell
from policekg.kg.rdf.errors import FormatError
from policekg.kg.rdf.formats import RDF_FORMATS, RdfFormat, rdf_format
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore

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


async def _body(request: Request) -> tuple[bytes, str]:
    """The request body and the name of its RDF format (its Content-Type), measured off the event loop."""
    ctype = content_type(request)
    try:
        fmt = rdf_format(ctype)
    except FormatError as err:
        raise UnsupportedMediaType(f"cannot read a body of type {ctype or '(none)'}: {err}") from err
    body = await request.body()
    await run_in_threadpool(check_rdf, body, fmt.name, request.app.state.settings.max_depth)
    return body, fmt.name


def _parse_body(body: bytes, fmt: RdfFormat, iri: str) -> list[ox.Triple]:
    """The body's triples (relative IRIs against `iri`; graphs flattened)."""
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt.ox, base_iri=iri)]
    except SyntaxError as err:
        raise BadRequest(f"the {fmt.name} body does not parse: {err}") from err


@dataclass(frozen=True)
class WriteGraph:
    """A Graph Store PUT (`replace`) or POST, parsed and applied in the writer (a `WriteJob`);
    whether the graph existed before."""

    iri: str
    body: bytes
    fmt: str
    replace: bool
    limited: ClassVar[bool] = True

    def run(self, store: GraphStore, tell: Tell) -> bool:
        triples = _parse_body(self.body, rdf_format(self.fmt), self.iri)
        existed = store.ox.contains_named_graph(ox.NamedNode(self.iri))
        (store.replace_graph if self.replace else store.add_to_graph)(self.iri, triples)
        return existed


@dataclass(frozen=True)
class DropGraph:
    """A Graph Store DELETE, applied in the writer; whether the graph existed."""

    iri: str
    limited: ClassVar[bool] = True

    def run(self, store: GraphStore, tell: Tell) -> bool:
        return store.remove_graph(URIRef(self.iri))


def _writable_target(request: Request) -> str:
    require_update_token(request, get_settings(request))
    iri = _target(request)
    if iri is None:
        raise BadRequest("the default graph is the merge of the named graphs; write to ?graph=<IRI>")
    return iri


async def _write_graph(request: Request, replace: bool) -> Response:
    iri = _writable_target(request)
    body, fmt = await _body(request)
    existed = await run_in_threadpool(get_writer(request).run, WriteGraph(iri, body, fmt, replace))
    return Response(status_code=204 if existed else 201)


async def put_graph(request: Request) -> Response:
    return await _write_graph(request, replace=True)


async def post_graph(request: Request) -> Response:
    return await _write_graph(request, replace=False)


async def delete_graph(request: Request) -> Response:
    iri = _writable_target(request)
    if not await run_in_threadpool(get_writer(request).run, DropGraph(iri)):
        raise NotFound(f"no graph <{iri}> in the store")
    return Response(status_code=204)
