"""The page of one report: metadata, sections and measures with status, the highlighted text, figures.

Twins at the same address: `.json` (what the page shows), `.csv` (its table of figures) and every RDF
format of `kg.formats` (the report's whole named graph, exactly as stored).
"""

from __future__ import annotations

import io
from typing import Any

from fastapi import Depends
from fastapi.responses import Response
from rdflib import URIRef
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.errors import NotFound
from policekg.api.highlight import highlight
from policekg.api.rendering import LIST_TYPES, RDF_TYPES, VARY, Document, compute, respond, wanted
from policekg.api.urls import iri_for, raw_local_path, split_suffix
from policekg.kg.rdf.formats import rdf_format
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.report_view import report_view

REPORT_TYPES: dict[str, str] = {**LIST_TYPES, **RDF_TYPES}


async def report(request: Request, path: str, store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/report/"), REPORT_TYPES)
    iri = iri_for(f"report/{local}")
    fmt = wanted(request, suffix, REPORT_TYPES)
    if fmt in LIST_TYPES:
        view = await compute(request, report_view, store, iri)

        async def context() -> dict[str, Any]:  # the highlighted text only for the page; a long report:
            text_html = await compute(request, highlight, view.text, view.mentions)  # off the event loop
            return {"r": view, "text_html": text_html, "url": f"/report/{local}"}

        return await respond(request, fmt, Document("report.html", context, view, view.figures, "figures"))
    if not await compute(request, store.has_report, iri):
        raise NotFound(f"no report <{iri}> in the store")
    rdf = rdf_format(REPORT_TYPES[fmt])
    out = io.BytesIO()
    await compute(request, store.export, rdf, out, URIRef(iri))
    return Response(out.getvalue(), media_type=rdf.media_type, headers=VARY)
