"""FastAPI dependencies: how a route gets the store and the settings of the app serving it."""

from __future__ import annotations

from fastapi import Request

from policekg.kg.config import Settings
from policekg.kg.rdf.store import GraphStore


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
