"""The page of one report: metadata, sections and measures with status, the highlighted text, figures.

Twins at the same address: `.json` (what the page shows), `.csv` (its table of figures) and every RDF
format of `kg.formats` (the report's whole named graph, exactly as stored).
"""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from rdflib import URIRef
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.highlight import highlight
from policekg.api.rendering import (LIST_TYPES, RDF_TYPES, VARY, PageError, compute, render_csv, render_html,
                                    render_json, wanted)
from policekg.api.urls import iri_for, raw_local_path, split_suffix
from policekg.kg.rdf.formats import rdf_format
from policekg.kg.read.report_view import report_view
from policekg.kg.rdf.store import GraphStore

router = APIRouter(tags=["pages"])

REPORT_TYPES: dict[str, str] = {**LIST_TYPES, **RDF_TYPES}


@router.get("/report/{path:path}", summary="A report: structure, text with mentions, figures")
async def report(request: Request, path: str, store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/report/"), REPORT_TYPES)
    iri = iri_for(f"report/{local}")
    fmt = wanted(request, suffix, REPORT_TYPES)
    if fmt in ("html", "json", "csv"):
        view = await compute(request, report_view, store, iri)
        if fmt == "csv":
            return render_csv(view.figures, "figures")
        if fmt == "json":
            return render_json(view)
        text_html = await compute(request, highlight, view.text, view.mentions)  # a long report: off the event loop
        context = {"r": view, "text_html": text_html, "url": f"/report/{local}"}
        return render_html(request, "report.html", context)
    if not await compute(request, store.has_report, iri):
        raise PageError(404, f"no report <{iri}> in the store")
    rdf = rdf_format(REPORT_TYPES[fmt])
    out = io.BytesIO()
    await compute(request, store.export, rdf, out, URIRef(iri))
    return Response(out.getvalue(), media_type=rdf.media_type, headers=VARY)
