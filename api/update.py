"""SPARQL Update on the store, for callers holding the update token.

An update is measured here (`parse_guard`: too deep is a 400 before any parser sees it; SERVICE and
LOAD refused unless allowed), then sent to the store's writer (`writer`): it is parsed and applied
there, never in the server process, under `Settings.update_timeout` and the writer's memory limit.
Oxigraph applies one update request atomically, and the store rebuilds its default graph (the merge
of the named graphs) in the same transaction. The readers notice the write and reopen their views.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from fastapi.concurrency import run_in_threadpool

from policekg.api.guardrails import check_remote
from policekg.api.parse_guard import check_sparql
from policekg.api.store_view import open_view
from policekg.api.writer import Tell, Writer
from policekg.kg.config import Settings
from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Update:
    """A SPARQL Update, applied in the writer (a `WriteJob`)."""

    sparql: str
    limited: ClassVar[bool] = True

    def run(self, store: GraphStore, tell: Tell) -> None:
        try:
            store.update(self.sparql)
        except QueryError:
            if store.path is not None:
                _parse(store.path, self.sparql)
            raise


def _parse(path: Path, sparql: str) -> None:
    """QueryError with the parser's position in the client's own text, for an update that does not
    parse once `GraphStore.update` has appended the merge's rebuild to it (an update cut short is
    reported at the rebuild's position). Parsed on a read-only view of the store, which refuses to
    start the write: nothing is evaluated."""
    with open_view(path) as view:
        try:
            view.ox.update(sparql, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(str(err)) from err
        except (OSError, RuntimeError):  # parsed: the view refused to write
            pass


async def run_update(writer: Writer, update: str, settings: Settings) -> None:
    """Apply `update`; QueryError (400) when malformed, TooDeep (400) when nested past the limit,
    Refused (403) for LOAD / SERVICE when not allowed, Unavailable (503) past the write limits."""
    check_remote(update, settings.allow_remote)
    check_sparql(update, settings.max_depth, "update")
    await run_in_threadpool(writer.run, Update(update))
    log.info("applied a SPARQL update (%d characters)", len(update))
