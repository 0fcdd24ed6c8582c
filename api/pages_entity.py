"""The page of any `pkr:` IRI: `https://w3id.org/policekg/id/{path}` dereferences to `/id/{path}`.

One resource, several representations at the same address: HTML for people; Turtle, JSON-LD and the
other RDF formats of `kg.formats` (its triples, the links pointing at it and its neighbours' labels);
and a simple JSON of what the page shows. `Accept` chooses, or a suffix (`.ttl`, `.jsonld`, `.json`).
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Depends
from fastapi.responses import RedirectResponse, Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import (
    PAGE_TYPES,
    RDF_TYPES,
    VARY,
    Document,
    Paging,
    compute,
    paging,
    respond,
    wanted,
)
from policekg.api.urls import iri_for, page_url, raw_local_path, split_suffix
from policekg.kg.rdf.formats import rdf_format
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.describe import describe, resource_graph
from policekg.kg.read.sparql import exists

#: What a resource comes as: suffix → media type. RDF rows come from the one format table.
RESOURCE_TYPES: dict[str, str] = {**PAGE_TYPES, **RDF_TYPES}


async def resource(request: Request, path: str, paged: Paging = Depends(paging),
                   store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = await compute(request, _resolve, store, raw_local_path(request, "/id/"))
    iri = iri_for(local)
    fmt = wanted(request, suffix, RESOURCE_TYPES)
    if fmt == "html" and page_url(iri) != f"/id/{local}":  # a report has its own page
        return RedirectResponse(page_url(iri) or "/", status_code=303, headers=VARY)
    if fmt in PAGE_TYPES:
        data = await compute(request, describe, store, iri, paged.page, paged.size, paged.after)
        return await respond(request, fmt, Document("entity.html", {"d": data, "url": f"/id/{local}"}, data))
    rdf = rdf_format(RESOURCE_TYPES[fmt])
    triples = await compute(request, resource_graph, store, iri)
    return Response(ox.serialize(triples, format=rdf.ox, prefixes=PREFIXES), media_type=rdf.media_type,
                    headers=VARY)


def _resolve(store: GraphStore, local: str) -> tuple[str, str | None]:
    """Split a format suffix off the path, unless the name itself ends that way (`….json` as a name)."""
    stem, suffix = split_suffix(local, RESOURCE_TYPES)
    if suffix and not exists(store, iri_for(local)):
        return stem, suffix
    return local, None
