"""The home page (what is in the graph, where to start) and the list of reports."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import (PAGE_TYPES, Paging, compute, page_data, paging, render_csv, render_html,
                                    render_json, wanted)
from policekg.api.urls import page_url
from policekg.kg.read.overview import list_reports, overview
from policekg.kg.read.paging import paginate
from policekg.kg.rdf.store import GraphStore

router = APIRouter(tags=["pages"])


@router.get("/", summary="Home: what the graph holds")
async def home(request: Request, store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, None, PAGE_TYPES)
    data = await compute(request, overview, store)
    if fmt == "json":
        return render_json(data)
    return render_html(request, "home.html", {"o": data})


@router.get("/reports", summary="All reports")
@router.get("/reports.{suffix}", include_in_schema=False)
async def reports(request: Request, suffix: str | None = None, paged: Paging = Depends(paging),
                  store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    found = await compute(request, list_reports, store)
    for r in found:
        r["url"] = page_url(r["report"])
    if fmt == "csv":
        return render_csv(found[: request.app.state.settings.row_limit], "reports")
    page = paginate(found, paged.page, paged.size)
    if fmt == "json":
        return render_json(page_data(request, page))
    return render_html(request, "reports.html", {"page": page})
