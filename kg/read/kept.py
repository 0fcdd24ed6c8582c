"""Answers computed over the whole store, kept beside it for one state of the store.

The home page, the list of reports, the /compare indexes and the /graph overview read every report; at
thousands of reports that takes longer than a page may. So each is computed once per state of the store
(`GraphStore.state()`: the generation, which every write of a report changes, and the analysis's stamp),
by the writer after an ingest (`overview.keep_overview`) or by the first reader, and written beside the
store as `policekg.<name>.json`, keyed by that state; a page reads it back while the state holds.
A store in memory or on a server has no directory to keep anything in: its tables are kept in the
memory of the process reading it (a service), by the same state.
"""

from __future__ import annotations

import json
import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from policekg.kg.rdf.store import GraphStore, write_atomically

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The tables of the stores without a directory: store → name → (state#variant, value).
_IN_MEMORY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept_file(path: Path, name: str) -> Path:
    """Where the table `name` is kept beside the store at `path`."""
    return path / f"policekg.{name}.json"


def kept(store: GraphStore, name: str, variant: str, compute: Callable[[], T],
         encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T:
    """The table `name` (its `variant`: the arguments it was computed for) for the store as it is now:
    read back when kept for this state, else computed and kept."""
    state = store.state()
    found, value = _held(store, name, f"{state}#{variant}")
    if not found:
        return keep(store, name, variant, compute, encode, state)
    return value if store.path is None else decode(value)


def is_kept(store: GraphStore, name: str, variant: str) -> bool:
    """Whether the table `name` (its `variant`) is kept for the store as it is now."""
    return _held(store, name, f"{store.state()}#{variant}")[0]


def _held(store: GraphStore, name: str, key: str) -> tuple[bool, Any]:
    """Whether the table `name` is kept under `key` (state#variant), and its value as kept: in this
    process for a store without a directory, encoded in its file beside the store otherwise."""
    if store.path is None:
        held = _IN_MEMORY.get(store, {}).get(name)
        return (True, held[1]) if held is not None and held[0] == key else (False, None)
    try:
        found = _read(kept_file(store.path, name))
    except (OSError, ValueError):
        return False, None
    if isinstance(found, dict) and found.get("key") == key and "value" in found:
        return True, found["value"]
    return False, None


#: The kept files this process read last: file → (its inode, mtime and size, its JSON). A page about a
#: program named by every report reads the list of reports each time; a table is written anew (a new
#: file renamed over the old one) whenever it changes.
_READ: dict[Path, tuple[tuple[int, int, int], Any]] = {}


def _read(file: Path) -> Any:
    """The JSON of a kept file, parsed again only when the file was written again since this process
    last read it."""
    seen = file.stat()
    signature = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
    held = _READ.get(file)
    if held is None or held[0] != signature:
        held = _READ[file] = (signature, json.loads(file.read_text(encoding="utf-8")))
    return held[1]


def keep(store: GraphStore, name: str, variant: str, compute: Callable[[], T], encode: Callable[[T], Any],
         state: str | None = None) -> T:
    """Compute the table and keep it beside the store (when it can be written) for the pages."""
    state = state or store.state()  # before computing: a write meanwhile leaves the kept table stale
    fresh = compute()
    if state.startswith("None/"):  # a store of unknown generation: no state to key it by
        return fresh
    if store.path is None:
        _IN_MEMORY.setdefault(store, {})[name] = (f"{state}#{variant}", fresh)
        return fresh
    try:
        write_atomically(kept_file(store.path, name),
                         json.dumps({"key": f"{state}#{variant}", "value": encode(fresh)}, default=str))
    except OSError as err:
        log.warning("cannot keep %s beside the store: %s", name, err)
    return fresh


def as_is(value: T) -> T:
    """The encoding of a table kept as it is (rows of JSON values), and its decoding."""
    return value
