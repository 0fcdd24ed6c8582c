"""The store's one writer: a process of its own holding the on-disk store read-write, applying every
write of the service (SPARQL Update, Graph Store writes, reports sent with `ingest --server`, the
analysis refresh) with GraphStore's methods, one at a time.

A write is parsed and applied here, never in the server process: a parser that crashes, an update
that runs for hours or grows without bound costs this process, which the server kills (`writer`) and
replaces. Killing it loses only the write in progress: Oxigraph commits one write (an update, a load)
as one RocksDB transaction, and an uncommitted transaction is not in the write-ahead log.

It talks to the server as the query workers do: jobs come pickled on stdin (`multiprocessing.connection`
framing), replies go to the original stdout, anything a library prints goes to stderr. A job is an
object with `run(store, tell)` (`writer.WriteJob`); each job is answered by any number of
("tell", progress) messages, then ("ok", result), ("raised", error) or ("memory", message).
"""

from __future__ import annotations

import logging
import os
import pickle
from multiprocessing.connection import Connection
from pathlib import Path

from policekg.api.errors import BUG, QueryFailed, meaning
from policekg.api.query_worker import start_child
from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger("policekg.api.writer_process")


def _outcome(err: Exception) -> tuple[str, object]:
    """The reply for a job that raised `err`: the error itself, raised again in the server (which
    answers it with its status), or a stand-in when it cannot be pickled; our bugs are logged here."""
    if isinstance(err, MemoryError):
        return "memory", "the write needed more memory than this server gives its writer"
    found = meaning(err)
    if found is BUG or found.public is not None:
        log.error("a write failed", exc_info=err)
    try:
        pickle.dumps(err)
    except Exception:  # noqa: BLE001 (an odd exception: the log has it)
        return "raised", QueryFailed("the writer failed (see the server log)")
    return "raised", err


def serve(path: Path, jobs: Connection, replies: Connection) -> None:
    """Open the store for writing, say so, and apply jobs until the server closes the pipe."""
    try:
        store = GraphStore(path)
    except StoreError as err:  # held by another process: the server says which and stops
        replies.send(("raised", err))
        return
    replies.send(("ready", os.getpid()))
    with store:
        while True:
            try:
                job = jobs.recv_bytes()
            except EOFError:
                return
            try:
                replies.send(("ok", pickle.loads(job).run(store, lambda said: replies.send(("tell", said)))))
            except Exception as err:  # noqa: BLE001 (a process boundary: every failure is answered)
                replies.send(_outcome(err))


def main() -> None:
    """`python -m policekg.api.writer_process STORE_DIR MEMORY_MB SERVER_PID`."""
    serve(*start_child(logging.INFO))

if __name__ == "__main__":
    main()
