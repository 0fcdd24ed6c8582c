"""SPARQL Update on the server's read-write store, for callers holding the update token.

Updates run in the server process (the only one that may write), in a thread. Oxigraph applies one
update request atomically, and the store rebuilds its default graph (the merge of the named graphs)
in the same transaction. They have no time limit: a thread cannot be stopped, and only token
holders can send them. The query workers notice the write and reopen their read-only views.
"""

from __future__ import annotations

import logging

from fastapi.concurrency import run_in_threadpool

from policekg.api.guardrails import check_remote
from policekg.kg.config import Settings
from policekg.kg.store import GraphStore

log = logging.getLogger(__name__)


async def run_update(store: GraphStore, update: str, settings: Settings) -> None:
    """Apply `update`; QueryError (400) when malformed, Refused (403) for LOAD / SERVICE when not allowed."""
    check_remote(update, settings.allow_remote)
    await run_in_threadpool(store.update, update)
    log.info("applied a SPARQL update (%d characters)", len(update))
