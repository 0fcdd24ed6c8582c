"""Search: any Chinese substring of a name or an alias, results grouped by class with counts."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.errors import BadRequest
from policekg.api.rendering import Document, Listing, Paging, paging, respond, wanted
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.paging import Page
from policekg.kg.read.search import hit_row, search


async def search_page(request: Request, suffix: str | None = None,
                      q: str = Query("", max_length=200, description="text to find in names and aliases"),
                      cls: str | None = Query(None, alias="class", description="keep one class"),
                      paged: Paging = Depends(paging), store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    if not q.strip() and cls is None:  # nothing to search for: the empty form, which only HTML has
        if fmt != "html":
            raise BadRequest("give the text to search for as ?q= (or a class to list as ?class=)")
        return await respond(request, fmt, Document("search.html", {"q": q, "page": None, "cls": cls}, None))

    def grouped(page: Page) -> dict[str, Any]:
        groups = [(c, list(hits)) for c, hits in groupby(page.items, key=lambda h: h.cls)]
        return {"q": q, "cls": cls, "groups": groups}

    def fetch(n: int, size: int, after: str | None) -> Page:
        return search(store, q, cls=cls, page=n, size=size, after=after)

    hits = Listing(fetch, paged, "search.html", "search",
                   context=grouped, head=lambda page: {"q": q, "class": cls}, item=hit_row,
                   rows=lambda page: [hit_row(h) for h in page.items])
    return await respond(request, fmt, hits)
