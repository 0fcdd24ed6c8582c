"""A query worker: a process of its own that answers jobs on a read-only view of the on-disk store.

Oxigraph cannot cancel a running query, and a thread cannot be killed, so a query over its time
limit can only be stopped by ending the process that runs it (`query_pool` does that). The worker
talks to the server over its stdin/stdout with `multiprocessing.connection` framing (pickles);
anything a library prints goes to stderr.

It reads a read-only view of the store (`store_view.Snapshot`) beside the service's one writer
process, reopened before a job when someone has written the store since.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import resource
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from policekg.api.guardrails import remote_operations
from policekg.api.query_exec import Job, PageJob, Unacceptable, execute
from policekg.api.store_view import Snapshot
from policekg.kg.lifeline import die_with_parent
from policekg.kg.rdf.errors import QueryError, RemoteError
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger("policekg.api.query_worker")

#: A worker's reply: ("ok", Answer) or (status word, message) with status word in
#: "query" (malformed: 400), "unacceptable" (406), "io" (reading the store failed: 500), "remote" (a query
#: using SERVICE failed to read: 502, never retried), "memory" (over the worker's memory limit: 503),
#: "failed" (the query cannot be evaluated, e.g. an unbound SERVICE variable: 400), "raised" (a page's
#: computation raised the exception sent: raised again in the server) or "bug" (500).
Reply = tuple[str, object]


def reply(store: GraphStore, job: Job | PageJob) -> Reply:
    """Run a job and turn its outcome into a picklable reply; our bugs are logged here, with traceback.
    A page's computation raises what it raises: the exception travels back to the page."""
    if isinstance(job, PageJob):
        try:
            return "ok", job.run(store)
        except MemoryError:
            return "memory", "the page needed more memory than this server gives one computation"
        except Exception as err:  # noqa: BLE001 (whatever a page raises is the page's answer)
            return "raised", err
    try:
        return "ok", execute(store, job)
    except QueryError as err:
        return "query", str(err)
    except Unacceptable as err:
        return "unacceptable", str(err)
    except MemoryError:
        return "memory", "the query needed more memory than this server gives one query"
    except OSError as err:
        return ("remote" if remote_operations(job.sparql) else "io"), str(err)
    except RemoteError:  # a SPARQL server as the store (in a thread, never a worker): the app answers 502/503
        raise
    except (RuntimeError, ValueError) as err:  # Oxigraph's other evaluation errors
        return "failed", str(err)
    except Exception:  # a process boundary: report the bug, keep serving
        log.exception("query failed: %s", job.sparql[:200])
        return "bug", "internal error (logged on the server)"


def answer(snapshot: Snapshot, job: Job | PageJob) -> Reply:
    """Reply to `job`; on a read error of the store reopen once (a compaction may have moved files
    under us). A failed SERVICE is not retried: the remote request need not be idempotent."""
    result = reply(snapshot.store(), job)
    if result[0] == "io":
        result = reply(snapshot.store(force=True), job)
    return result


#: What the pages a worker computes import (networkx, the province lookup's lexicons, the drawing):
#: imported before the worker says it is ready, so no visitor's page waits for a second of imports.
PAGE_MODULES = ("policekg.api.viz", "policekg.api.pages_map", "policekg.api.highlight", "policekg.kg.read.bureau",
                "policekg.kg.read.compare", "policekg.kg.read.describe", "policekg.kg.read.provinces")


def serve(path: Path, jobs: Connection, replies: Connection) -> None:
    """Answer jobs until the server closes the pipe."""
    snapshot = Snapshot(path)
    snapshot.store()
    for module in PAGE_MODULES:
        importlib.import_module(module)
    replies.send(("ready", os.getpid()))
    while True:
        try:
            job = jobs.recv()
        except EOFError:
            return
        replies.send_bytes(_packed(answer(snapshot, job)))


def limit_memory(megabytes: int) -> None:
    """Cap what this process may allocate (RLIMIT_DATA: heap and private mappings, not the store's
    mapped files). Past it Python raises MemoryError and Oxigraph aborts the process; the pool tells
    the client which limit was hit."""
    size = megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (size, size))


def _packed(result: Reply) -> bytes:
    """`result` pickled, or a bug reply when it cannot be (a page's odd exception or return value)."""
    try:
        return pickle.dumps(result)
    except Exception:
        log.exception("a reply that cannot be sent: %.200r", result)
        return pickle.dumps(("bug", "internal error (logged on the server)"))


def start_child(log_level: int) -> tuple[Path, Connection, Connection]:
    """What a child of the server (a query worker, the writer) does first, from its command line
    `STORE_DIR MEMORY_MB SERVER_PID`: cap its memory, end with the server, and keep the original
    stdout for replies (stray prints go to stderr). Returns the store and the jobs and replies pipes."""
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s[%(process)d]: %(message)s")
    limit_memory(int(sys.argv[2]))
    die_with_parent(int(sys.argv[3]))
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return Path(sys.argv[1]), Connection(0, writable=False), Connection(reply_fd, readable=False)


def main() -> None:
    """`python -m policekg.api.query_worker STORE_DIR MEMORY_MB SERVER_PID`: stdin carries jobs, the
    original stdout replies."""
    serve(*start_child(logging.WARNING))


if __name__ == "__main__":
    main()
