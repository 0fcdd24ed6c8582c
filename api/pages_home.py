"""The home page (what is in the graph, where to start) and the list of reports."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Depends
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import PAGE_TYPES, Document, Listing, Paging, compute, paging, respond, wanted
from policekg.api.urls import page_url
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.overview import overview
from policekg.kg.read.reports import reports_page


async def home(request: Request, store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, None, PAGE_TYPES)
    data = await compute(request, overview, store)
    return await respond(request, fmt, Document("home.html", {"o": data}, data))


async def reports(request: Request, suffix: str | None = None, paged: Paging = Depends(paging),
                  store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    listing = Listing(partial(reports_page, store), paged, "reports.html", "reports", item=_with_url,
                      rows=lambda page: [_with_url(r) for r in page.items])
    return await respond(request, fmt, listing)


def _with_url(report: dict[str, Any]) -> dict[str, Any]:
    """A report's row with the address of its page."""
    return {**report, "url": page_url(report["report"])}
