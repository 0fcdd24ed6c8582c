"""The FastAPI application: `create_app(store, settings)` wires one router per concern.

The app holds no state of its own beyond `app.state.store` and `app.state.settings`; routers reach
them through the dependencies in `api.deps`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from policekg.api import errors, export, graph_store, limits, pages, sparql, viz
from policekg.api.templating import STATIC_DIR
from policekg.kg.config import Settings
from policekg.kg.store import GraphStore


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    """An application serving `store`; the caller owns the store and closes it."""
    app = FastAPI(title="policekg", description="A knowledge graph of police rule-of-law reports.")
    app.state.store = store
    app.state.settings = settings or Settings(store_path=store.path)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(export.router)
    pages.include(app)
    app.include_router(viz.router)
    limits.install(app)
    return app
