"""How every page answers: one table from output format to renderer, a time limit, paging and errors.

A page computes what it shows once (in a query worker process where it can be sent there, else a thread; under `Settings.query_timeout`: `compute`),
as a `Listing` (a list: reports, search hits, comparisons) or a `Document` (one thing: the home page,
a report, a graph), and hands it to `respond`, which renders it in the format the request asked for:
`.json` / `.csv` suffix, `?format=`, or the `Accept` header (`wanted`). Adding a format is adding a row
to `RENDERERS`; RDF twins come from the one RDF format table (`kg.formats`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import Response
from jinja2.utils import htmlsafe_json_dumps
from starlette.requests import Request

from policekg.api.accuracy import ACCURACY
from policekg.api.deps import get_query_runner, get_settings, get_store
from policekg.api.drawing import LEGEND
from policekg.api.errors import ApiError, BadRequest, NotAcceptable, NotFound
from policekg.api.negotiation import VARY, choose
from policekg.api.query_exec import PageJob, TheStore
from policekg.api.query_pool import NotShippable, ThreadRunner
from policekg.api.templating import templates
from policekg.api.urls import (
    bureau_url,
    compare_url,
    graph_url,
    page_url,
    raw_path,
    report_name,
    split_suffix,
    twin_url,
    with_params,
)
from policekg.kg.rdf.formats import RDF_FORMATS
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.read.paging import Page
from policekg.kg.read.search import SEARCHED
from policekg.schema.vocabulary import VALUE_SETS

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Most rows on one HTML / JSON page; CSV exports carry the whole list (up to Settings.row_limit).
MAX_PAGE_SIZE = 500


async def compute(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` where it is stopped at `Settings.query_timeout` (503, saying so).

    A module-level function with picklable arguments runs in a query worker (the app's store among
    the arguments becomes the worker's read-only view), which is killed at the limit. Anything else
    (a closure, an open file, a method of the store) runs in a thread: the user gets the 503 at the
    limit, but Oxigraph cannot cancel a running query, so the thread finishes in the background.
    """
    timeout = get_settings(request).query_timeout
    store = get_store(request)
    job = PageJob(fn, tuple(TheStore() if a is store else a for a in args), kwargs)
    try:
        return await get_query_runner(request).run(job, timeout)
    except NotShippable:
        return await ThreadRunner(store, timeout).run(job)


@dataclass
class Paging:
    """The `page`, `size` and `_next` query parameters, validated by FastAPI (422 names a bad one); a
    cursor that is not one the list gave is refused by the list (`kg.read.paging`, 400)."""

    page: int
    size: int
    after: str | None = None


def paging(page: int = Query(1, ge=1, description="page number, from 1"),
           size: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="rows per page"),
           after: str | None = Query(None, alias="_next", max_length=2000,
                                     description="the cursor of a next link: the page after it")) -> Paging:
    return Paging(page, size, after)


# -- what a page shows -------------------------------------------------------------------------------

class Shown(Protocol):
    """What a page computed, in the three shapes the renderers take: a page, data, a table."""

    async def page(self, request: Request) -> tuple[str, dict[str, Any]]:
        """The HTML template and its context."""

    async def data(self, request: Request) -> Any:
        """The JSON twin (made plain by `jsonable`)."""

    async def table(self, request: Request) -> tuple[list[dict[str, Any]], str]:
        """Flat rows and the download's name (without suffix)."""


def _same(value: Any) -> Any:
    return value


def _none(page: Page) -> dict[str, Any]:
    return {}


@dataclass
class Listing:
    """A list: one page of it for HTML and JSON (`?page=`, `?size=`), all of it up to
    `Settings.row_limit` for a table.

    `fetch(page, size, after)` returns a `Page` of rows (it runs under the time limit): `paginate` over a
    list computed once, or a read that pages itself (search, a program's reports); `after` is the `_next`
    cursor.
    """

    fetch: Callable[[int, int, str | None], Page]
    paged: Paging
    template: str
    filename: str
    context: Callable[[Page], dict[str, Any]] = _none  # more for the HTML page, from the page shown
    head: Callable[[Page], dict[str, Any]] = _none  # more for the JSON twin, before the page's keys
    item: Callable[[Any], Any] = _same  # a row as the JSON twin shows it
    rows: Callable[[Page], list[dict[str, Any]]] = lambda page: page.items  # a page as table rows

    async def page(self, request: Request) -> tuple[str, dict[str, Any]]:
        page = await compute(request, self.fetch, self.paged.page, self.paged.size, self.paged.after)
        return self.template, {"page": page, **self.context(page)}

    async def data(self, request: Request) -> Any:
        page = await compute(request, self.fetch, self.paged.page, self.paged.size, self.paged.after)
        return {**self.head(page), **page_data(request, page), "items": [self.item(i) for i in page.items]}

    async def table(self, request: Request) -> tuple[list[dict[str, Any]], str]:
        page = await compute(request, self.fetch, 1, get_settings(request).row_limit, None)
        return self.rows(page), self.filename


@dataclass
class Document:
    """One thing shown: its page, its JSON twin and, where it has one, its table.

    `context` may be a coroutine function when the page needs more work than its twins (a report's
    highlighted text): it runs only when HTML is asked for.
    """

    template: str
    context: dict[str, Any] | Callable[[], Awaitable[dict[str, Any]]]
    twin: Any
    rows: list[dict[str, Any]] = field(default_factory=list)
    filename: str = ""

    async def page(self, request: Request) -> tuple[str, dict[str, Any]]:
        return self.template, self.context if isinstance(self.context, dict) else await self.context()

    async def data(self, request: Request) -> Any:
        return self.twin

    async def table(self, request: Request) -> tuple[list[dict[str, Any]], str]:
        return self.rows, self.filename


# -- renderers --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Renderer:
    """One output format of the pages: its media type, how it writes what a page shows, and its link."""

    media_type: str
    render: Callable[[Request, Shown], Awaitable[Response]]
    label: str  # the link to it on a list page
    download: bool = False  # a file of the whole list, not a page of it


async def _html(request: Request, shown: Shown) -> Response:
    template, context = await shown.page(request)
    return render_html(request, template, context)


async def _json(request: Request, shown: Shown) -> Response:
    return render_json(await shown.data(request))


async def _csv(request: Request, shown: Shown) -> Response:
    return render_csv(*await shown.table(request))


#: Format name (the URL suffix, `?format=`) → renderer; the first is the default. Adding a format is a row.
RENDERERS: dict[str, Renderer] = {
    "html": Renderer("text/html", _html, "HTML"),
    "json": Renderer("application/json", _json, "JSON"),
    "csv": Renderer("text/csv", _csv, "CSV", download=True),
}
#: The links a list page offers to its other formats: downloads first.
EXPORTS: list[tuple[str, Renderer]] = sorted(((n, r) for n, r in RENDERERS.items() if n != "html"),
                                             key=lambda nr: not nr[1].download)


async def respond(request: Request, fmt: str, shown: Shown) -> Response:
    """`shown` in the format `wanted` chose."""
    return await RENDERERS[fmt].render(request, shown)


# -- choosing the format ---------------------------------------------------------------------------

#: The formats of the pages, suffix → media type (first is the default): a thing, a list, an RDF twin.
PAGE_TYPES = {name: RENDERERS[name].media_type for name in ("html", "json")}
LIST_TYPES = {name: r.media_type for name, r in RENDERERS.items()}
RDF_TYPES = {f.suffix: f.media_type for f in RDF_FORMATS}


def wanted(request: Request, suffix: str | None, offered: dict[str, str] = LIST_TYPES) -> str:
    """The format asked for: a suffix wins, then `?format=`, then `Accept`.

    An unknown suffix is a page that does not exist (404), an unknown `?format=` a bad request (400),
    an Accept header nothing offered satisfies 406.
    """
    name = suffix or request.query_params.get("format")
    if name:
        if name not in offered:
            error = NotFound if suffix else BadRequest
            raise error(f"unknown format {name!r}; this page comes as {', '.join(offered)}")
        return name
    media = choose(request.headers.get("accept"), list(offered.values()))
    if media is None:
        raise NotAcceptable(f"cannot answer in {request.headers.get('accept')!r}; "
                            f"this page comes as {', '.join(offered.values())}")
    return next(n for n, m in offered.items() if m == media)


def jsonable(value: Any) -> Any:
    """Plain JSON values: exact decimals as numbers, sets as sorted lists, dataclasses as dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # not asdict: it copies deep first
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


#: A page's words follow the language cookie, so caches keep one copy per language.
HTML_VARY = {"Vary": f"{VARY['Vary']}, Cookie"}


def render_html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(request, template, {**context, "status": status}, status_code=status,
                                      headers=HTML_VARY)


def render_json(data: Any, status: int = 200, headers: dict[str, str] = VARY) -> Response:
    """`data` as JSON, `<`, `>`, `&` and `'` written as escapes: report text in it stays inert wherever it
    is read as HTML (`headers`: `HTML_VARY` when its words follow the language cookie)."""
    body = htmlsafe_json_dumps(jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def page_data(request: Request, page: Page) -> dict[str, Any]:
    """A page of a list as its JSON twin: the rows, the totals and the links to the pages around it."""
    return {"items": page.items, "page": page.page, "size": page.size, "total": page.total,
            "pages": page.pages, "counts": page.counts, "truncated": page.truncated,
            "next": next_url(request, page), "prev": prev_url(request, page)}


def next_url(request: Request, page: Page) -> str | None:
    """The link to the page after `page`: by its cursor when the list has a stable order, else by number."""
    if page.next is not None:
        return with_params(request, _next=page.next, page=None)
    return with_params(request, page=page.page + 1, _next=None) if page.has_next else None


def prev_url(request: Request, page: Page) -> str | None:
    """The link to the page before `page`, by number."""
    return with_params(request, page=page.page - 1, _next=None) if page.page > 1 else None


#: Opens every CSV download: without it Excel reads UTF-8 as the local code page (mojibake in Chinese).
CSV_BOM = "\ufeff"


def render_csv(rows: list[dict[str, Any]], filename: str) -> Response:
    """A CSV file of flat rows, starting with a byte-order mark (`CSV_BOM`); list cells are joined with
    `; `, link dicts become their labels."""
    out = io.StringIO(CSV_BOM)
    out.seek(len(CSV_BOM))
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
    """An error on a page, as the page or data the request asked for (HTML when it cannot tell)."""
    _, suffix = split_suffix(raw_path(request), _ERROR_SUFFIXES)
    try:
        fmt = suffix or wanted(request, None)
    except ApiError:
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


#: The analysis' numbers and counts (`kg.network.tallies`), which entity pages show apart from what the
#: reports say.
ANALYSIS_PROPERTIES: tuple[str, ...] = tuple(PREFIXES["pk"] + p for p in (
    "pagerank", "betweenness", "degree", "community", "reportCount", "bureauCount", "firstYear", "measureCount",
    "figureCount", "programCount", "bureauRank"))

#: What every template may use, set on the template environment by `create_app`; the words of the
#: pages are set by `templating` (`i18n`).
TEMPLATE_GLOBALS: dict[str, Any] = {
    "page_url": page_url, "graph_url": graph_url, "compare_url": compare_url, "report_name": report_name,
    "twin_url": twin_url, "with_params": with_params, "curie": curie, "bureau_url": bureau_url,
    "next_url": next_url, "prev_url": prev_url,
    "LISTED_CLASSES": SEARCHED, "LEGEND_CLASSES": LEGEND, "EXPORTS": EXPORTS,
    "ANALYSIS_PROPERTIES": ANALYSIS_PROPERTIES, "ACCURACY": ACCURACY.as_percentages(),
    "SIGNS": {v.name: v.sign for key in ("Bound", "ChangeDirection") for v in VALUE_SETS[key]},
}
