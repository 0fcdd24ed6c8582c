"""How a route reaches what the app holds: the store, the settings and the query runner.

The only reader of `app.state`: `create_app` sets the store and the settings, its lifespan the runner.
Routes take them as FastAPI dependencies (`Depends(get_store)`) or call these with their request.
"""

from __future__ import annotations

from fastapi import Request

from policekg.api.query_pool import ProcessPool, ThreadRunner
from policekg.kg.config import Settings
from policekg.kg.rdf.store import GraphStore


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_query_runner(request: Request) -> ProcessPool | ThreadRunner:
    """The app's query workers (started by its lifespan, so an app serves queries only when run)."""
    return request.app.state.query_runner
