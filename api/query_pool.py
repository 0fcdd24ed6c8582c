"""Where SPARQL queries run: off the event loop, each under a time limit that really stops it.

On-disk stores (every `policekg serve`): a pool of worker processes (`query_worker`). A job goes to
an idle worker; the event loop waits on the worker's pipe without blocking. When the limit passes,
the worker is killed (SIGKILL: no CPU is spent on the query after the 503) and a fresh one is started
in the background; the other workers keep answering. Requests wait for a free worker at most the
same time limit. A job running past a fraction of a second runs at a lower CPU priority, so short
queries and pages are not slowed by a runaway one.

In-memory stores (tests, notebooks) cannot be shared with another process, so their queries run in
a thread: the caller still gets its 503 at the limit, but the thread runs the query to its end.
Serve real data from disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from fastapi.concurrency import run_in_threadpool

from policekg.api.errors import ApiError, BadGateway, BadRequest, NotAcceptable, QueryFailed, Unavailable
from policekg.api.query_exec import Answer, Job, PageJob
from policekg.api.query_worker import Reply, reply
from policekg.kg.config import Settings
from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)

_STARTUP_SECONDS = 60
#: A job still running after this long gives the CPU to the short ones: its worker is reniced to
#: `_DEMOTED_NICE` (a runaway query or a heavy page must not slow every other user's small query down
#: on a machine with fewer cores than workers). Its worker gets its priority back afterwards, or, where
#: the process may not raise a priority again (no CAP_SYS_NICE), is replaced by a fresh one.
_LONG_JOB_SECONDS = 0.2
_DEMOTED_NICE = 15


def unpack(result: Reply) -> Answer:
    """A worker's reply as an Answer, or the error it stands for."""
    status, payload = result
    if status == "ok":
        return payload  # type: ignore[return-value]
    if status == "query":
        raise QueryError(str(payload))
    if status == "unacceptable":
        raise NotAcceptable(str(payload))
    if status == "failed":
        raise BadRequest(f"the query could not be evaluated: {payload}")
    if status == "remote":
        raise BadGateway(f"a remote SERVICE failed: {payload}")
    if status == "raised":
        raise payload  # type: ignore[misc]
    raise QueryFailed(f"the query failed: {payload}")


#: What ran over its time limit, by the kind of job, and the setting that sets the limit.
_OVER_LIMIT = {
    Job: "the query ran longer than this server's {:g} s limit and was stopped (POLICEKG_QUERY_TIMEOUT "
         "sets the limit)",
    PageJob: "This page took longer than {:g} s to compute and was stopped. Narrow it down (a longer "
             "search text, a smaller page, a filter) or ask the SPARQL endpoint with a LIMIT.",
}


def _over_limit(job: Job | PageJob, timeout: float) -> Unavailable:
    return Unavailable(_OVER_LIMIT[type(job)].format(timeout))


def _over_memory(megabytes: int) -> Unavailable:
    return Unavailable(f"the query used more than {megabytes} MB, this server's limit for one query, and "
                       "was stopped (POLICEKG_WORKER_MEMORY_MB sets the limit)")


#: How a worker that died without replying ended when it hit its memory limit: Oxigraph (Rust) aborts
#: when an allocation fails.
_OUT_OF_MEMORY = frozenset({-signal.SIGABRT})


class NotShippable(Exception):
    """A job that cannot be sent to a worker (it holds a closure, an open file, the store itself)."""


class Worker:
    """One worker process and the two ends of its pipe."""

    def __init__(self, store_path: Path, memory_mb: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "policekg.api.query_worker", str(store_path),
                                      str(memory_mb), str(os.getpid())], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self._jobs = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self._replies = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()
        self._nice = 0

    def wait_ready(self) -> Worker:
        """Block until the worker has opened the store (it says so first); OSError if it died."""
        if not self._replies.poll(_STARTUP_SECONDS):
            raise OSError(f"query worker {self.proc.pid} did not start")
        self._replies.recv()
        return self

    async def ask(self, job: bytes, timeout: float) -> Reply:
        """Send a pickled job and await the reply without blocking the loop; TimeoutError past `timeout`.
        Past `_LONG_JOB_SECONDS` the worker runs at a lower priority (`demoted`)."""
        self._jobs.send_bytes(job)
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self._replies.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        demote = loop.call_later(_LONG_JOB_SECONDS, self._renice, _DEMOTED_NICE)
        try:
            await asyncio.wait_for(ready, timeout)
        finally:
            demote.cancel()
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop leaves watched fds non-blocking; recv reads the whole reply
        return self._replies.recv()

    @property
    def demoted(self) -> bool:
        return self._nice != 0

    def restored(self) -> bool:
        """Give a demoted worker its priority back; False when this process may not."""
        return self._renice(0)

    def _renice(self, nice: int) -> bool:
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, nice)
        except PermissionError:
            return False
        except ProcessLookupError:  # it died; the pool notices on the pipe
            return True
        self._nice = nice
        return True

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._jobs.close()
        self._replies.close()


class ProcessPool:
    """`size` query workers over the store at `store_path`, started on first use, each allowed
    `memory_mb` of memory."""

    def __init__(self, store_path: Path, size: int, timeout: float, memory_mb: int = 2048) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.workers: set[Worker] = set()
        self._idle: asyncio.Queue[Worker] | None = None
        #: Workers being started: the loop keeps only weak references to tasks, so we hold them.
        self._starting: set[asyncio.Task[None]] = set()

    async def run(self, job: Job | PageJob, timeout: float | None = None) -> Answer:
        """The job's answer (for a PageJob: what its function returned); NotShippable when the job
        cannot be pickled, before any worker is taken."""
        timeout = self.timeout if timeout is None else timeout
        try:
            payload = pickle.dumps(job)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            raise NotShippable(str(err)) from err
        idle = self._started()
        try:
            worker = await self._take(idle, timeout)
        except asyncio.TimeoutError:
            if isinstance(job, PageJob):  # a reader sees one wait, whatever it was spent on
                raise _over_limit(job, timeout) from None
            raise Unavailable(f"all {self.size} query workers stayed busy for {timeout:g} s; "
                              "try again later") from None
        try:
            result = await worker.ask(payload, timeout)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise _over_limit(job, timeout) from None
        except EOFError:
            self._replace(worker)
            raise self._death(worker) from None
        except BaseException:  # died, or the request was cancelled mid-query: the worker is not reusable
            self._replace(worker)
            raise
        if result[0] == "memory":
            self._replace(worker)  # its heap may be fragmented past use; start afresh
            raise _over_memory(self.memory_mb)
        if worker.demoted and not worker.restored():
            self._replace(worker)  # a worker left at low priority would slow the next user's small query
        else:
            idle.put_nowait(worker)
        return unpack(result)

    async def _take(self, idle: asyncio.Queue[Worker], timeout: float) -> Worker:
        """An idle worker within `timeout`, or beyond it while the pool has none alive and some starting
        (the service has just started, or every worker was replaced): a worker's start-up, seconds of
        imports, is not the query's time, and a short limit would refuse every query until one is up."""
        while True:
            try:
                return await asyncio.wait_for(idle.get(), timeout)
            except asyncio.TimeoutError:
                if self.workers or not self._starting:
                    raise

    def _death(self, worker: Worker) -> ApiError:
        """What to answer for a worker that died mid-job (it has been reaped by `_replace`)."""
        if worker.proc.returncode in _OUT_OF_MEMORY:
            return _over_memory(self.memory_mb)
        return QueryFailed("the query worker died while running the query (see the server log)")

    def _started(self) -> asyncio.Queue[Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._spawn()
        return self._idle

    def _spawn(self) -> None:
        """Start a worker; it joins the idle queue once it has opened the store."""
        async def start() -> None:
            try:
                worker = await run_in_threadpool(lambda: Worker(self.store_path, self.memory_mb).wait_ready())
            except OSError:
                log.exception("a query worker could not start; the pool is one smaller")
                return
            self.workers.add(worker)
            assert self._idle is not None
            self._idle.put_nowait(worker)

        task = asyncio.get_running_loop().create_task(start())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    def _replace(self, worker: Worker) -> None:
        log.warning("killing query worker %d", worker.proc.pid)
        self.workers.discard(worker)
        worker.kill()
        self._spawn()

    def close(self) -> None:
        for worker in list(self.workers):
            worker.kill()
        self.workers.clear()
        self._idle = None


class ThreadRunner:
    """In-memory stores: queries in a thread; the 503 comes at the limit but the thread is not stopped."""

    def __init__(self, store: GraphStore, timeout: float) -> None:
        self.store = store
        self.timeout = timeout

    async def run(self, job: Job | PageJob, timeout: float | None = None) -> Answer:
        timeout = self.timeout if timeout is None else timeout
        try:
            result = await asyncio.wait_for(run_in_threadpool(reply, self.store, job), timeout)
        except asyncio.TimeoutError:
            raise _over_limit(job, timeout) from None
        return unpack(result)

    def close(self) -> None:
        pass


def runner_for(store: GraphStore | Path, settings: Settings) -> ProcessPool | ThreadRunner:
    """Worker processes for a store on disk (named by its path, or held open by the caller), a thread
    for any other."""
    path = store if isinstance(store, Path) else store.path
    if path is None:
        return ThreadRunner(store, settings.query_timeout)
    return ProcessPool(path, settings.query_workers, settings.query_timeout, settings.worker_memory_mb)
