"""Where the service's writes run: one at a time, in the store's one writer process, under limits.

On-disk stores (every `policekg serve`): the server process never opens the store for writing. A
writer process (`writer_process`) holds it; every write (SPARQL Update, Graph Store PUT / POST /
DELETE, POST /reports and DELETE /report/…, the analysis refresh's results) is a job sent to it, and
the server and its query workers read through read-only views (`store_view`). A job runs under
`Settings.update_timeout` (but a batch of reports, bounded by ingest's own limits, runs to its end)
and the writer under `Settings.worker_memory_mb`: past either the writer is killed (its uncommitted
transaction is lost, so nothing is half-written), a fresh one is started, and the client gets a 503
naming the limit. Writes wait for the writer at most the same time limit (a batch of reports waits
for its turn, however long).

Stores the caller holds open (in memory for tests and notebooks, a SPARQL server whose own limits
apply, a store on disk in a notebook) are written in the calling thread, one write at a time, with no
time limit: serve real data with `policekg serve`.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from policekg.api.errors import ApiError, QueryFailed, Unavailable
from policekg.kg.config import Settings
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)

_STARTUP_SECONDS = 60
#: The writer runs below the readers' priority from its first instruction (its start-up, after each
#: kill, too): a write (a runaway update until its limit, a batch of reports and its extraction
#: processes) must not slow other users' queries and pages on a machine with few cores. A write that
#: contends with nothing runs at full speed all the same.
_NICE = 10
#: How a writer that died without replying ended when it hit its memory limit: Oxigraph (Rust) aborts
#: when an allocation fails.
_OUT_OF_MEMORY = frozenset({-signal.SIGABRT})

Tell = Callable[[object], None]


class WriteJob(Protocol):
    """A write, picklable (a module-level class), applied by `run` on the read-write store; `tell`
    sends progress back to the caller. `limited`: whether the write time limit applies."""

    limited: bool

    def run(self, store: GraphStore, tell: Tell) -> object: ...


def _ignore(_: object) -> None:
    """Progress nobody listens to."""


class _Process:
    """One writer process and the two ends of its pipe."""

    def __init__(self, store_path: Path, memory_mb: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "policekg.api.writer_process", str(store_path),
                                      str(memory_mb), str(os.getpid())], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        os.setpriority(os.PRIO_PROCESS, self.proc.pid, _NICE)  # lowering a priority is always allowed
        self.jobs = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()

    def wait_ready(self) -> None:
        """Block until the writer has opened the store; the error it sent (the store is held by
        another process), or OSError when it died or hung."""
        if not self.replies.poll(_STARTUP_SECONDS):
            self.kill()
            raise OSError(f"the store's writer process {self.proc.pid} did not start")
        try:
            status, payload = self.replies.recv()
        except EOFError:
            self.kill()
            raise OSError(f"the store's writer process {self.proc.pid} died while starting") from None
        if status == "raised":
            self.kill()
            raise payload  # type: ignore[misc]

    def stop(self) -> None:
        """End it now (idempotent): a write in progress is lost whole; whoever waits on the pipe gets EOF."""
        if self.proc.returncode is None:
            self.proc.kill()
            self.proc.wait()

    def kill(self) -> None:
        """Stop it and close our ends of the pipe (only the one waiting on the pipe may)."""
        self.stop()
        self.jobs.close()
        self.replies.close()


class WriterProcess:
    """The writer process of the store at `store_path`: jobs run one at a time, each stopped at
    `timeout` seconds (when limited) by killing the process, which is then replaced."""

    def __init__(self, store_path: Path, timeout: float, memory_mb: int) -> None:
        self.store_path = store_path
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._turn = threading.Lock()  # one write at a time; held while a job runs
        self._current: _Process | None = None
        self._closed = False

    def start(self) -> None:
        """Start the writer if none runs (it takes the store's lock; StoreError when another process
        holds it)."""
        with self._turn:
            self._running()

    def run(self, job: WriteJob, tell: Tell = _ignore) -> object:
        """Apply `job` in the writer (blocking: call it from a thread) and return what it returned;
        the error it raised, raised here; Unavailable (503) past the time or memory limit."""
        if not self._turn.acquire(timeout=self.timeout if job.limited else -1):  # a batch waits its turn
            raise Unavailable(f"the store's writer stayed busy with other writes for {self.timeout:g} s; "
                              "try again later")
        try:
            payload = pickle.dumps(job)
            current = self._running()
            if current.proc.poll() is not None:  # it died idle (killed from outside): a new one takes it
                self._forget(current)
                current = self._running()
            try:
                current.jobs.send_bytes(payload)
            except OSError:  # it died just now
                self._replace(current)
                raise self._death(current) from None
            return self._await(current, job, tell)
        finally:
            self._turn.release()

    def _await(self, current: _Process, job: WriteJob, tell: Tell) -> object:
        deadline = time.monotonic() + self.timeout if job.limited else None
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not current.replies.poll(left):
                self._replace(current)
                raise Unavailable(f"the write ran longer than this server's {self.timeout:g} s limit and "
                                  "was stopped; nothing of it was stored (POLICEKG_UPDATE_TIMEOUT sets the "
                                  "limit)")
            try:
                status, payload = current.replies.recv()
            except (EOFError, OSError):
                self._replace(current)
                raise self._death(current) from None
            if status == "tell":
                tell(payload)
            elif status == "ok":
                return payload
            elif status == "memory":
                self._replace(current)
                raise self._over_memory()
            else:
                raise payload  # type: ignore[misc]

    def _running(self) -> _Process:
        """The writer process, started (and waited for) when none runs; call with `_turn` held."""
        if self._closed:
            raise Unavailable("the service is stopping")
        if self._current is None:
            started = _Process(self.store_path, self.memory_mb)
            started.wait_ready()
            if self._closed:  # the service began stopping while it started
                started.kill()
                raise Unavailable("the service is stopping")
            self._current = started
            log.info("the store's writer process is %d", started.proc.pid)
        return self._current

    def _replace(self, current: _Process) -> None:
        """Kill `current` and start its successor in the background (the next write waits for it)."""
        log.warning("killing the store's writer process %d", current.proc.pid)
        self._forget(current)
        if not self._closed:
            threading.Thread(target=self._restart, name="policekg-writer-start", daemon=True).start()

    def _forget(self, current: _Process) -> None:
        current.kill()
        if self._current is current:
            self._current = None

    def _restart(self) -> None:
        try:
            self.start()
        except (OSError, ApiError):
            if not self._closed:
                log.exception("the store's writer could not be restarted; the next write tries again")

    def _death(self, current: _Process) -> ApiError:
        """What to answer for a writer that died mid-write (it has been reaped)."""
        if self._closed:
            return Unavailable("the service is stopping; the write was not applied")
        if current.proc.returncode in _OUT_OF_MEMORY:
            return self._over_memory()
        return QueryFailed("the store's writer died while applying the write, which was not stored "
                           "(see the server log)")

    def _over_memory(self) -> Unavailable:
        return Unavailable(f"the write used more than {self.memory_mb} MB, this server's limit for its "
                           "writer, and was stopped; nothing of it was stored (POLICEKG_WORKER_MEMORY_MB "
                           "sets the limit)")

    def close(self) -> None:
        """Kill the writer, whatever it is doing (the service is stopping); a waiting write gets a 503."""
        self._closed = True
        current = self._current
        self._current = None
        if current is not None:
            current.stop()


class InProcessWriter:
    """Stores in memory and SPARQL servers: jobs run in the calling thread, one at a time, unlimited."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._turn = threading.Lock()

    def start(self) -> None:
        """Nothing to start."""

    def run(self, job: WriteJob, tell: Tell = _ignore) -> object:
        with self._turn:
            return job.run(self.store, tell)

    def close(self) -> None:
        """Nothing to stop: the caller owns the store."""


Writer = WriterProcess | InProcessWriter


def writer_for(store: GraphStore | Path, settings: Settings) -> Writer:
    """A writer process for a store on disk named by its path, the calling thread for a store held open."""
    if isinstance(store, Path):
        return WriterProcess(store, settings.update_timeout, settings.worker_memory_mb)
    return InProcessWriter(store)
