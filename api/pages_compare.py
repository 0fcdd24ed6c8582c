"""Compare across reports: a program across bureaus and years, an indicator across reports.

`/compare` lists what can be compared (programs and indicators, most widely reported first);
`/compare/program/{name}` and `/compare/indicator/{name}` show one across every report that names it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import (LIST_TYPES, PageError, Paging, compute, page_data, paging, render_csv,
                                    render_html, render_json, wanted)
from policekg.api.urls import iri_for, raw_local_path, split_suffix
from policekg.kg.read.paging import paginate
from policekg.kg.read.compare import comparable, indicator_across, program_across
from policekg.kg.rdf.store import GraphStore

router = APIRouter(tags=["pages"])


@router.get("/compare", summary="Programs and indicators named in several reports")
@router.get("/compare.{suffix}", include_in_schema=False)
async def compare_index(request: Request, suffix: str | None = None,
                        cls: str = Query("Program", alias="class", pattern="^(Program|Indicator)$"),
                        paged: Paging = Depends(paging), store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    found = await compute(request, comparable, store, cls)
    if fmt == "csv":
        return render_csv(found[: request.app.state.settings.row_limit], f"compare-{cls.lower()}")
    page = paginate(found, paged.page, paged.size)
    if fmt == "json":
        return render_json({"class": cls, **page_data(request, page)})
    return render_html(request, "compare.html", {"page": page, "cls": cls})


@router.get("/compare/{path:path}", summary="One program or indicator across reports")
async def compare_one(request: Request, path: str, paged: Paging = Depends(paging),
                      store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/compare/"), LIST_TYPES)
    kind = local.split("/", 1)[0]
    if kind not in ("program", "indicator"):
        raise PageError(404, "only programs (/compare/program/…) and indicators (/compare/indicator/…) "
                             "can be compared across reports")
    fmt = wanted(request, suffix)
    if kind == "program":
        data = await compute(request, program_across, store, iri_for(local))
        rows, items = [_program_row(r) for r in data.reports], data.reports
    else:
        data = await compute(request, indicator_across, store, iri_for(local))
        rows, items = data.figures, data.table
    if fmt == "csv":
        return render_csv(rows, f"compare-{kind}")
    page = paginate(items, paged.page, paged.size)  # a report per row, or a bureau per row
    if fmt == "json":
        head = {k: v for k, v in vars(data).items() if k not in ("reports", "figures", "table")}
        return render_json({**head, **page_data(request, page)})
    shown = [f for row in page.items for figs in row.get("values", {}).values() for f in figs]
    context = {"c": data, "page": page, "figures": shown, "url": f"/compare/{local}"}
    return render_html(request, f"compare_{kind}.html", context)


def _program_row(r: dict[str, Any]) -> dict[str, Any]:
    """One report's line of a program comparison, flat for CSV."""
    figures = [f"{f['indicator_label']} {f['value']}{f['unit'] or ''}" for f in r["figures"]]
    return {"bureau": r["issuer_label"], "year": r["year"], "report": r["report"], "mentions": r["mentions"],
            "units": r["units"], "measures": r["measures"], "figures": figures}
