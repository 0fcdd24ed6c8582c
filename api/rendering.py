"""How every page answers: one table from output format to renderer, a time limit, paging and errors.

A page computes its data once (`compute`: under `Settings.query_timeout`) and hands it
to `respond`, which picks the renderer the request asked for: `.json` / `.csv` suffix,
`?format=`, or the `Accept` header. Adding a format is adding a row to `RENDERERS`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import JSONResponse, Response
from starlette.requests import Request

from policekg.api.errors import ApiError
from policekg.api.negotiation import VARY, choose
from policekg.api.query_exec import PageJob, TheStore
from policekg.api.query_pool import NotShippable, ThreadRunner
from policekg.api.sparql import query_runner
from policekg.api.templating import templates
from policekg.api.urls import (compare_url, graph_url, page_url, raw_path, report_name, split_suffix, twin_url,
                               with_params)
from policekg.kg import browse
from policekg.kg.browse import Page
from policekg.kg.errors import QueryError
from policekg.kg.formats import RDF_FORMATS
from policekg.kg.iris import PREFIXES
from policekg.kg.search import SEARCHED

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Most rows on one HTML / JSON page; CSV exports carry the whole list (up to Settings.row_limit).
MAX_PAGE_SIZE = 500


class PageError(ApiError):
    """A page that cannot be shown, with the status and the sentence the user reads (answered, like
    every API error, by `errors`: as a page, since pages raise it)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple:  # raised in a query worker, it travels back pickled
        return PageError, (self.status, str(self))


async def compute(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` where it is stopped at `Settings.query_timeout` (503, saying so).

    A module-level function with picklable arguments runs in a query worker (the app's store among
    the arguments becomes the worker's read-only view), which is killed at the limit. Anything else
    (a closure, an open file, a method of the store) runs in a thread: the user gets the 503 at the
    limit, but Oxigraph cannot cancel a running query, so the thread finishes in the background.
    """
    timeout = request.app.state.settings.query_timeout
    store = request.app.state.store
    job = PageJob(fn, tuple(TheStore() if a is store else a for a in args), kwargs)
    try:
        try:
            return await query_runner(request).run(job, timeout)
        except NotShippable:
            return await ThreadRunner(store, timeout).run(job)
    except browse.NotFound as err:  # a LookupError of kg, not the HTTP NotFound of api.errors
        raise PageError(404, str(err)) from err
    except QueryError as err:
        raise PageError(400, str(err)) from err


@dataclass
class Paging:
    """The `page` and `size` query parameters, validated by FastAPI (422 names a bad one)."""

    page: int
    size: int


def paging(page: int = Query(1, ge=1, description="page number, from 1"),
           size: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="rows per page")) -> Paging:
    return Paging(page, size)


# -- choosing the format ---------------------------------------------------------------------------

#: The formats of the pages, suffix → media type (first is the default): a page, a list, an RDF twin.
PAGE_TYPES = {"html": "text/html", "json": "application/json"}
LIST_TYPES = {**PAGE_TYPES, "csv": "text/csv"}
RDF_TYPES = {f.suffix: f.media_type for f in RDF_FORMATS}


def wanted(request: Request, suffix: str | None, offered: dict[str, str] = LIST_TYPES) -> str:
    """The format asked for: a suffix wins, then `?format=`, then `Accept`; PageError 406 if none fits."""
    name = suffix or request.query_params.get("format")
    if name:
        if name not in offered:
            raise PageError(404 if suffix else 400,
                            f"unknown format {name!r}; this page comes as {', '.join(offered)}")
        return name
    media = choose(request.headers.get("accept"), list(offered.values()))
    if media is None:
        raise PageError(406, f"cannot answer in {request.headers.get('accept')!r}; "
                             f"this page comes as {', '.join(offered.values())}")
    return next(n for n, m in offered.items() if m == media)


# -- renderers --------------------------------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """Plain JSON values: exact decimals as numbers, sets as sorted lists, dataclasses as dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def render_html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(request, template, {**context, "status": status}, status_code=status,
                                      headers=VARY)


def render_json(data: Any, status: int = 200) -> Response:
    return JSONResponse(jsonable(data), status_code=status, headers=VARY)


def page_data(request: Request, page: Page) -> dict[str, Any]:
    """A page of a list as its JSON twin: the rows, the totals and the links to the pages around it."""
    return {"items": page.items, "page": page.page, "size": page.size, "total": page.total,
            "pages": page.pages, "counts": page.counts, "truncated": page.truncated,
            "next": with_params(request, page=page.page + 1) if page.has_next else None,
            "prev": with_params(request, page=page.page - 1) if page.page > 1 else None}


def render_csv(rows: list[dict[str, Any]], filename: str) -> Response:
    """A CSV file of flat rows; list cells are joined with `; `, link dicts become their labels."""
    out = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    headers = {**VARY, "Content-Disposition": content_disposition(f"{filename}.csv")}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266 / 8187).

    The one builder of download names (CSV pages, /export): a quote or a non-ASCII character in a
    name cannot break the header.
    """
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


#: A text cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """One CSV cell; text from reports that a spreadsheet would run as a formula is quoted with `'`."""
    if isinstance(value, dict):
        value = value.get("label") or value.get("iri") or ""
    elif isinstance(value, (list, tuple, set)):
        value = "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: Suffixes that name the format an error should come in (HTML for `.html`, JSON for the others).
_ERROR_SUFFIXES = {*LIST_TYPES, *RDF_TYPES}


def error_response(request: Request, status: int, message: str) -> Response:
    """The error as the page or data the request asked for."""
    _, suffix = split_suffix(raw_path(request), _ERROR_SUFFIXES)
    try:
        fmt = suffix or wanted(request, None)
    except PageError:
        fmt = "html"
    if fmt == "html":
        return render_html(request, "error.html", {"message": message}, status)
    return render_json({"error": message, "status": status}, status)


# -- template helpers -------------------------------------------------------------------------------

def curie(iri: str | None) -> str:
    """`https://w3id.org/policekg/ontology#implements` → `pk:implements` (for headings and tables)."""
    if not iri:
        return ""
    for prefix, ns in _CURIE_NAMESPACES:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


#: The prefixes `curie` writes, the longest namespace first (sorted once; curie runs per table cell).
_CURIE_NAMESPACES = sorted(((p, ns) for p, ns in PREFIXES.items() if p != "pkr"), key=lambda kv: -len(kv[1]))


#: How classes and statuses are named on the pages (Chinese first: the data is Chinese).
CLASS_NAMES = {
    "PoliceUnit": "公安机关 Police units", "GovernmentBody": "其他机关 Government bodies",
    "Program": "工作机制 Programs", "LegalInstrument": "法律文件 Legal instruments",
    "Law": "法律 Laws", "Regulation": "法规 Regulations", "PolicyDocument": "规范性文件 Policy documents",
    "Platform": "平台 Platforms", "Place": "地点 Places", "Indicator": "指标 Indicators",
    "Report": "报告 Reports", "Section": "部分 Sections", "Measure": "举措 Measures",
    "Observation": "数据 Figures", "Mention": "提及 Mentions",
}
STATUS_NAMES = {"Done": "已完成 done", "Problem": "问题 problem", "Planned": "计划 planned"}

templates.env.globals.update(page_url=page_url, graph_url=graph_url, compare_url=compare_url, report_name=report_name,
                             twin_url=twin_url, with_params=with_params, curie=curie,
                             CLASS_NAMES=CLASS_NAMES, STATUS_NAMES=STATUS_NAMES, LISTED_CLASSES=SEARCHED)
