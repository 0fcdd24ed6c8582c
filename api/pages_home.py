"""The home page (what is in the graph, where to start) and the list of reports."""

from __future__ import annotations

from functools import partial

from fastapi import Depends
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import PAGE_TYPES, Document, Listing, Paging, compute, paging, respond, wanted
from policekg.api.urls import page_url
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.overview import list_reports, overview
from policekg.kg.read.paging import paginate


async def home(request: Request, store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, None, PAGE_TYPES)
    data = await compute(request, overview, store)
    return await respond(request, fmt, Document("home.html", {"o": data}, data))


async def reports(request: Request, suffix: str | None = None, paged: Paging = Depends(paging),
                  store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    found = await compute(request, list_reports, store)
    for r in found:
        r["url"] = page_url(r["report"])
    return await respond(request, fmt, Listing(partial(paginate, found), paged, "reports.html", "reports"))
