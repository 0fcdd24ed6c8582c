"""Which store a run uses: a SPARQL server when `--store` is its URL, else the embedded store on disk."""

from __future__ import annotations

from policekg.kg.config import Settings
from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.remote import RemoteStore
from policekg.kg.rdf.sparql_client import Endpoints
from policekg.kg.rdf.store import GraphStore


def open_store(settings: Settings, *, write: bool) -> GraphStore | RemoteStore:
    """The store `settings` name. On disk, readers fall back to read-only when a server holds the lock."""
    if settings.store_url:
        endpoints = Endpoints(
            settings.store_url,
            settings.update_url or settings.store_url,
            settings.gsp_url,
            settings.store_user,
            settings.store_password,
        )
        return RemoteStore(endpoints, query_timeout=settings.query_timeout)
    path = settings.store_path
    try:
        return GraphStore(path)
    except StoreError:
        if write or path is None or not path.exists():
            raise
        return GraphStore(path, read_only=True)
