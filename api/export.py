"""/export: the whole dataset or one report's graph as an RDF file download, streamed.

The same function as `policekg export` (GraphStore.export), so the download and the CLI's file are
the same bytes. TriG and N-Quads keep the named graphs; triple formats get their merge (each distinct
triple once).
"""

from __future__ import annotations

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse
from rdflib import URIRef

from policekg.api.deps import get_store
from policekg.api.errors import NotFound
from policekg.api.rendering import content_disposition
from policekg.api.streaming import stream
from policekg.kg.rdf.formats import RdfFormat, rdf_format
from policekg.kg.rdf.iris import PKR
from policekg.kg.rdf.store import GraphStore


async def export(format: str = Query("trig", description="ttl, trig, nt, nq, jsonld, xml or a media type"),
                 graph: str | None = Query(None, description="IRI of one report graph"),
                 store: GraphStore = Depends(get_store)) -> StreamingResponse:
    fmt = rdf_format(format)
    target = URIRef(graph) if graph else None
    if target is not None and not store.has_report(target):
        raise NotFound(f"no report graph <{graph}> in the store")
    if target is None:  # one cheap read before the first byte: a store that cannot be read (a SPARQL
        store.has_report(PKR)  # server down) fails here with its status, not in the middle of a download
    return StreamingResponse(stream(lambda out: store.export(fmt, out, target)), media_type=fmt.media_type,
                             headers={"Content-Disposition": content_disposition(download_name(target, fmt))})


def download_name(graph: URIRef | None, fmt: RdfFormat) -> str:
    """`policekg.trig`, or for a report `policekg-慈溪市公安局-2022.ttl` (from its IRI's path)."""
    if graph is None:
        return f"policekg.{fmt.suffix}"
    local = str(graph).removeprefix(str(PKR)).removeprefix("report/")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in local).strip("-")
    return f"policekg-{safe or 'graph'}.{fmt.suffix}"
