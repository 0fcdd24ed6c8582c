"""All settings in one place, with sane defaults, each overridable by an environment variable.

The CLI builds one `Settings` (flags win over the environment) and hands it down; nothing else
reads the environment. Most fields are the server's (`api/` reads them), yet the class lives in
`kg/`: the commands of `kg.cli` read the store's path from it, `kg/` may not import `api/`, and one
class keeps every setting and its variable in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "POLICEKG_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_bool(name: str) -> bool:
    return (_env(name, "") or "").lower() in {"1", "true", "yes", "on"}


def is_url(store: str) -> bool:
    """Whether a `--store` value names a SPARQL server's query endpoint rather than a directory."""
    return store.startswith(("http://", "https://"))


def _store_env() -> str:
    return _env("STORE", "policekg-data") or "policekg-data"


@dataclass
class Settings:
    """What a deployment can change. `store_path=None` means an in-memory store (tests, notebooks)."""

    store_path: Path | None = field(
        default_factory=lambda: None if is_url(_store_env()) else Path(_store_env()))
    #: A SPARQL server's query endpoint to use as the store instead of a directory (`--store URL`).
    store_url: str | None = field(default_factory=lambda: _store_env() if is_url(_store_env()) else None)
    #: Its SPARQL Update endpoint where the server keeps it apart (default: the query endpoint).
    update_url: str | None = field(default_factory=lambda: _env("UPDATE_URL"))
    #: Its Graph Store Protocol endpoint, read for whole graphs when given (else CONSTRUCT queries).
    gsp_url: str | None = field(default_factory=lambda: _env("GSP_URL"))
    #: Credentials for the server's update endpoint (HTTP Basic or Digest, as the server asks).
    store_user: str | None = field(default_factory=lambda: _env("STORE_USER"))
    store_password: str | None = field(default_factory=lambda: _env("STORE_PASSWORD"))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1") or "127.0.0.1")
    port: int = field(default_factory=lambda: int(_env("PORT", "8000") or 8000))
    #: Seconds a SPARQL query may run before it is stopped and answered 503.
    query_timeout: float = field(default_factory=lambda: float(_env("QUERY_TIMEOUT", "10") or 10))
    #: Most rows a SELECT answer carries; more are cut and the answer says so.
    row_limit: int = field(default_factory=lambda: int(_env("ROW_LIMIT", "100000") or 100000))
    #: Bearer token that unlocks SPARQL Update and Graph Store writes; None keeps the server read-only.
    update_token: str | None = field(default_factory=lambda: _env("UPDATE_TOKEN"))
    #: Whether SERVICE (federation) and LOAD may make the server fetch URLs.
    allow_remote: bool = field(default_factory=lambda: _env_bool("ALLOW_REMOTE"))
    #: Worker processes that run SPARQL queries (a query over its time limit is stopped by killing its worker).
    query_workers: int = field(default_factory=lambda: int(_env("QUERY_WORKERS", "4") or 4))
    #: Graph pages with more nodes than this get server-side positions and no physics (stays usable).
    graph_layout_threshold: int = field(
        default_factory=lambda: int(_env("GRAPH_LAYOUT_THRESHOLD", "300") or 300))
    #: Most nodes a graph page draws; a larger graph is refused with a message to filter it.
    graph_max_nodes: int = field(default_factory=lambda: int(_env("GRAPH_MAX_NODES", "6000") or 6000))
    #: Most edges a graph page draws (laying out tens of thousands takes longer than the time limit).
    graph_max_edges: int = field(default_factory=lambda: int(_env("GRAPH_MAX_EDGES", "20000") or 20000))
    #: Largest request body the service reads, in bytes; a larger one is answered 413 before it is read.
    max_body_bytes: int = field(default_factory=lambda: int(_env("MAX_BODY_BYTES", "") or 16 * 2**20))
    #: Deepest nesting of brackets a query, an update or an RDF body may have (their parsers recurse).
    max_depth: int = field(default_factory=lambda: int(_env("MAX_DEPTH", "") or 100))
    #: Memory (MB) a query worker may allocate; one that needs more is killed and its query answered 503.
    worker_memory_mb: int = field(default_factory=lambda: int(_env("WORKER_MEMORY_MB", "") or 2048))
    #: Seconds an update's checks (parsing, in a worker process) may take before it is refused with a 503.
    update_timeout: float = field(default_factory=lambda: float(_env("UPDATE_TIMEOUT", "") or 10))
    #: Seconds the service waits for running requests after SIGTERM before it exits regardless.
    shutdown_grace: float = field(default_factory=lambda: float(_env("SHUTDOWN_GRACE", "") or 3))
