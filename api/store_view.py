"""Read-only views of the on-disk store, reopened whenever someone has written it since.

The service's one writer process holds the store read-write; the server and its query workers read
it with `Store.read_only` (RocksDB allows read-only views beside the writer). A view is a snapshot
taken at opening: it does not see later writes. So before every use a `Snapshot` compares the
store's write-ahead logs and manifest (names, sizes, times) with what it saw at opening and reopens
when they changed: a few stat calls per use, and one reopen after each write, whoever made it (its
cost: benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.store import GraphStore

#: Opening a view reads the manifest, then the files it names; the writer may replace them in between
#: (a flush or compaction, which every start of a writer does). Then the open fails and is tried again
#: on the new manifest, this many times, a little later each time.
_OPEN_ATTEMPTS = 5
_RETRY_SECONDS = 0.05


def _stamp(path: Path) -> tuple:
    """What changes when anyone writes the store: its write-ahead logs, manifest and CURRENT pointer."""
    with os.scandir(path) as entries:
        watched = [e for e in entries
                   if e.name.endswith(".log") or e.name.startswith("MANIFEST") or e.name == "CURRENT"]
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in watched))


class Snapshot:
    """A read-only view of the store at `path`, reopened whenever someone has written it since.

    Safe to share between threads: a request keeps the view it was given (a view stays valid while
    referenced) and the next one gets the current view."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple | None = None
        self._store: GraphStore | None = None
        self._guard = threading.Lock()

    def store(self, *, force: bool = False) -> GraphStore:
        with self._guard:
            stamp = _stamp(self.path)
            if force or self._store is None or stamp != self._stamp:
                self._store = open_view(self.path)
                self._stamp = stamp
            return self._store


def open_view(path: Path) -> GraphStore:
    """A read-only view of the store at `path`, opened again when files moved under the open."""
    for attempt in range(1, _OPEN_ATTEMPTS):
        try:
            return GraphStore(path, read_only=True)
        except (StoreError, RuntimeError):  # RocksDB: "Corruption: ... No such file" for a replaced file
            time.sleep(_RETRY_SECONDS * attempt)
    return GraphStore(path, read_only=True)
