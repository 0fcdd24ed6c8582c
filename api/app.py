"""The FastAPI application: `create_app(store, settings)` makes it from the route map (`routes`).

Here, and only here, the app gets what it holds (`app.state.read`: the store to read as it is now,
`.writer`: where writes go, `.settings`, and for as long as it runs, `.query_runner`: the query
workers), the templates their globals, and the one error handler. Routes read the app's state
through `deps`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from policekg.api import limits, openapi, routes
from policekg.api.errors import KG_ERRORS, ApiError, meaning
from policekg.api.query_pool import runner_for
from policekg.api.rendering import TEMPLATE_GLOBALS, error_response
from policekg.api.reports_write import refresh_in_background
from policekg.api.store_view import Snapshot
from policekg.api.templating import STATIC_DIR, templates
from policekg.api.writer import writer_for
from policekg.kg.config import Settings
from policekg.kg.rdf.errors import RemoteError
from policekg.kg.rdf.remote import RemoteStore
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)


def create_app(store: GraphStore | Path, settings: Settings | None = None) -> FastAPI:
    """An application serving `store`. Given the path of a store on disk (what `policekg serve` does),
    the app's writer process opens it for writing (nobody else may hold it) and the app reads read-only
    views of it. Given a store the caller holds and closes (in memory, on a SPARQL server, or on disk
    in a notebook), the app reads it as it is and writes it in the calling process (`writer`)."""
    path = store if isinstance(store, Path) else store.path
    settings = settings or Settings(store_path=path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.query_runner = runner_for(store, settings)
        try:
            await run_in_threadpool(app.state.writer.start)  # takes the store's lock, or says who has it
            if isinstance(store, RemoteStore):
                await run_in_threadpool(_refresh_if_reports, app, store)
            yield
        finally:
            app.state.writer.close()
            app.state.query_runner.close()

    app = FastAPI(title="policekg", description="A knowledge graph of police rule-of-law reports.",
                  lifespan=lifespan)
    app.state.read = Snapshot(store).store if isinstance(store, Path) else lambda: store
    app.state.writer = writer_for(store, settings)
    app.state.settings = settings
    templates.env.globals.update(TEMPLATE_GLOBALS)
    routes.mount(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for known in (ApiError, *KG_ERRORS):  # answered by the app, not re-raised to the server as bugs are
        app.add_exception_handler(known, answer_error)
    app.add_exception_handler(Exception, answer_error)
    limits.install(app)
    openapi.install(app)
    return app


def _refresh_if_reports(app: FastAPI, store: RemoteStore) -> None:
    """A server's store keeps its pages' tables in this process: have them computed now, if it holds
    reports. A server that cannot answer yet leaves them to the first visitors (the pages say why)."""
    try:
        if store.report_graphs():
            refresh_in_background(app.state.read, app.state.writer)
    except RemoteError as err:
        log.warning("the pages' tables are left to the first visitors: %s", err)


def _text(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={"X-Content-Type-Options": "nosniff"})


async def answer_error(request: Request, err: Exception) -> Response:
    """Every error, answered once: its status from `errors.meaning`; on a page, a page (or JSON, as
    asked), on a protocol route, plain text. Our own failures (a bug, a store that cannot be used) are
    logged and answered in plain text everywhere: the page machinery may be what failed."""
    where = f"{request.method} {request.url.path}"
    m = meaning(err)
    if m.public is not None:
        log.error("%s failed", where, exc_info=err)
        return _text(m.status, m.public)
    if m.status >= 500:
        log.warning("%s: %s", where, err)
    if routes.is_page(request):
        return error_response(request, m.status, str(err))
    return _text(m.status, str(err))
