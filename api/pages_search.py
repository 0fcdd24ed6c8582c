"""Search: any Chinese substring of a name or an alias, results grouped by class with counts."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import (PageError, Paging, compute, page_data, paging, render_csv, render_html,
                                    render_json, wanted)
from policekg.kg.read.search import hit_row, search
from policekg.kg.rdf.store import GraphStore

router = APIRouter(tags=["pages"])


@router.get("/search", summary="Search names and aliases")
@router.get("/search.{suffix}", include_in_schema=False)
async def search_page(request: Request, suffix: str | None = None,
                      q: str = Query("", max_length=200, description="text to find in names and aliases"),
                      cls: str | None = Query(None, alias="class", description="keep one class"),
                      paged: Paging = Depends(paging), store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    if not q.strip() and cls is None:
        if fmt == "html":
            return render_html(request, "search.html", {"q": q, "page": None, "cls": cls})
        raise PageError(400, "give the text to search for as ?q= (or a class to list as ?class=)")
    if fmt == "csv":
        limit = request.app.state.settings.row_limit
        found = await compute(request, search, store, q, cls=cls, page=1, size=limit)
        return render_csv([hit_row(h) for h in found.items], "search")
    page = await compute(request, search, store, q, cls=cls, page=paged.page, size=paged.size)
    if fmt == "json":
        data = page_data(request, page)
        data["items"] = [hit_row(h) for h in page.items]
        return render_json({"q": q, "class": cls, **data})
    groups = [(c, list(hits)) for c, hits in groupby(page.items, key=lambda h: h.cls)]
    return render_html(request, "search.html", {"q": q, "page": page, "cls": cls, "groups": groups})
