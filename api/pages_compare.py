"""Compare across reports: a program across bureaus and years, an indicator across reports.

`/compare` lists what can be compared (programs and indicators, most widely reported first);
`/compare/program/{name}` and `/compare/indicator/{name}` show one across every report that names it;
`/chart/indicator/{name}` is what the chart beside an indicator's table draws (JSON).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.errors import NotFound
from policekg.api.rendering import LIST_TYPES, Listing, Paging, compute, paging, render_json, respond, wanted
from policekg.api.urls import iri_for, raw_local_path, split_suffix
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.compare import ProgramAcross, comparable_page, program_label, program_page
from policekg.kg.read.indicator import IndicatorAcross, IndicatorPage, indicator_page, indicator_series
from policekg.kg.read.paging import Page


async def compare_index(request: Request, suffix: str | None = None,
                        cls: str = Query("Program", alias="class", pattern="^(Program|Indicator)$"),
                        paged: Paging = Depends(paging), store: GraphStore = Depends(get_store)) -> Response:
    fmt = wanted(request, suffix)
    listing = Listing(partial(comparable_page, store, cls), paged, "compare.html", f"compare-{cls.lower()}",
                      context=lambda page: {"cls": cls}, head=lambda page: {"class": cls})
    return await respond(request, fmt, listing)


async def compare_one(request: Request, path: str, paged: Paging = Depends(paging),
                      store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/compare/"), LIST_TYPES)
    kind = local.split("/", 1)[0]
    if kind not in ("program", "indicator"):
        raise NotFound("only programs (/compare/program/…) and indicators (/compare/indicator/…) "
                       "can be compared across reports")
    fmt = wanted(request, suffix)
    if kind == "program":  # a report per row, its details read for the page shown; a table line per report
        iri = iri_for(local)
        program = ProgramAcross(iri, await compute(request, program_label, store, iri), [])
        fetch, about, rows = partial(program_page, store, iri), lambda page: program, _program_rows
    else:  # a bureau per row, its figures read for the page shown; the table has one line per figure
        fetch, about, rows = partial(indicator_page, store, iri_for(local)), _indicator_of, _indicator_rows

    def context(page: Page) -> dict[str, Any]:
        return {"c": about(page), "figures": _results(page), "url": f"/compare/{local}"}

    def head(page: Page) -> dict[str, Any]:
        return {k: v for k, v in vars(about(page)).items() if k not in ("reports", "table")}

    listing = Listing(fetch, paged, f"compare_{kind}.html", f"compare-{kind}", context=context, head=head,
                      rows=rows)
    return await respond(request, fmt, listing)


async def indicator_chart(request: Request, path: str, store: GraphStore = Depends(get_store)) -> Response:
    """Each bureau's result a year, for the chart: one request, where the table's pages are many."""
    local = raw_local_path(request, "/chart/")
    if not local.startswith("indicator/"):
        raise NotFound("a chart is drawn for an indicator (/chart/indicator/…)")
    return render_json(await compute(request, indicator_series, store, iri_for(local)))


def _indicator_of(page: IndicatorPage) -> IndicatorAcross:
    """The indicator a page of its table is of (read with the page, in one job)."""
    assert page.across is not None, "an indicator's page comes with its indicator"
    return page.across


def _results(page: Page) -> list[dict[str, Any]]:
    """The results in the year cells of a page of an indicator's table (none for a program's rows)."""
    return [f for row in page.items for figs in row.get("values", {}).values() for f in figs]


def _indicator_rows(page: IndicatorPage) -> list[dict[str, Any]]:
    """The table of an indicator: its results (of the bureaus of `page`), then its changes and targets."""
    data = _indicator_of(page)
    return _results(page) + data.changes + data.targets


def _program_rows(page: Page) -> list[dict[str, Any]]:
    return [_program_row(r) for r in page.items]


def _program_row(r: dict[str, Any]) -> dict[str, Any]:
    """One report's line of a program comparison, flat for CSV."""
    figures = [f"{f['indicator_label']} {f['value']}{f['unit'] or ''}" for f in r["figures"]]
    return {"bureau": r["issuer_label"], "year": r["year"], "report": r["report"], "mentions": r["mentions"],
            "units": r["units"], "measures": r["measures"], "figures": figures}
