"""SPARQL Update on the server's read-write store, for callers holding the update token.

An update is measured (`parse_guard`: too deep is a 400 before any parser sees it) and then parsed
in a query worker process (`ProcessPool.check_update`, under `Settings.update_timeout`), so a text
that crashes or stalls Oxigraph's parser costs a worker, not the server. Only then is it applied, in
the server process (the only one that may write), in a thread: Oxigraph applies one update request
atomically, and the store rebuilds its default graph (the merge of the named graphs) in the same
transaction. The query workers notice the write and reopen their read-only views.
"""

from __future__ import annotations

import logging
from typing import Protocol

from fastapi.concurrency import run_in_threadpool

from policekg.api.guardrails import check_remote
from policekg.api.parse_guard import check_sparql
from policekg.kg.config import Settings
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)


class UpdateChecker(Protocol):
    async def check_update(self, update: str) -> None: ...


async def run_update(store: GraphStore, update: str, settings: Settings, checker: UpdateChecker) -> None:
    """Apply `update`; QueryError (400) when malformed, TooDeep (400) when nested past the limit,
    Refused (403) for LOAD / SERVICE when not allowed, Unavailable (503) when its check ran too long."""
    check_remote(update, settings.allow_remote)
    check_sparql(update, settings.max_depth, "update")
    await checker.check_update(update)
    await run_in_threadpool(store.update, update)
    log.info("applied a SPARQL update (%d characters)", len(update))
