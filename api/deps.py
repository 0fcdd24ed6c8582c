"""How a route reaches what the app holds: the store to read, the writer, the settings and the query runner.

The only reader of `app.state`: `create_app` sets the settings and how the store is read and written,
its lifespan the runner and starts the writer. Routes take them as FastAPI dependencies
(`Depends(get_store)`) or call these with their request.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from policekg.api.query_pool import ProcessPool, ThreadRunner
from policekg.api.writer import Writer
from policekg.kg.config import Settings
from policekg.kg.rdf.store import GraphStore

#: What gives the store to read as it is now (for a store on disk: a read-only view, reopened after writes).
Reader = Callable[[], GraphStore]


def get_store(request: Request) -> GraphStore:
    """The store to read, as it was when the request first asked: one view for the whole request, so
    that what a page reads in several steps is consistent. Never write through it: writes go to
    `get_writer`."""
    try:
        return request.state.store
    except AttributeError:
        request.state.store = store = get_reader(request)()
        return store


def get_reader(request: Request) -> Reader:
    """What gives the store as it is now, for work that outlives the request (the analysis refresh)."""
    return request.app.state.read


def get_writer(request: Request) -> Writer:
    """Where every write goes (`writer`)."""
    return request.app.state.writer


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_query_runner(request: Request) -> ProcessPool | ThreadRunner:
    """The app's query workers (started by its lifespan, so an app serves queries only when run)."""
    return request.app.state.query_runner
