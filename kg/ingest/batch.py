"""Many report files in: plan what needs doing, extract in parallel processes, write from one place.

Extraction is CPU work in pure Python (spaCy components, regexes), so it is spread over processes,
each building its `Extractor` once. Only this process writes to the store: Oxigraph takes one writer,
and one writer also means the checks that need the whole batch (two files that are the same report)
are decided in input order, the same way on every run whatever the number of processes.

The batch never stops on a file: a bad file becomes a `Failed` with its reason, an unchanged one a
`Skipped`, and a file that fails leaves nothing of itself behind, since its graph is only written
once it is complete, in one transaction.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rdflib import URIRef

from policekg.extract import ExtractionError, Extractor
from policekg.kg.ingest.files import metadata_warnings, read_sidecar
from policekg.kg.ingest.loaders import LoadError, read_file
from policekg.kg.ingest.outcomes import Extracted, Failed, Outcome, Skipped, Stored
from policekg.kg.ingest.report import extract_report, keyed, store_report
from policekg.kg.ingest.source_key import source_key, stored_keys
from policekg.kg.lifeline import die_with_parent
from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.store import GraphStore

log = logging.getLogger(__name__)

#: Files handed to each worker ahead of the one being written: keeps workers busy, bounds memory.
#: (The window also covers a whole bulk batch, see `_FLUSH_EVERY`: the workers go on extracting
#: while this process writes one.)
_AHEAD = 4
#: Reports written between flushes of the store (RocksDB otherwise keeps every write in memory
#: tables until they fill, which made a 1,000-report batch grow past 2 GB), and new reports written
#: together in one bulk load.
_FLUSH_EVERY = 25
#: Fewer files than this are extracted in this process: starting a worker (imports, pipeline) costs
#: about as much as extracting several reports.
_POOL_MIN_FILES = 8


class Progress(Protocol):
    """What the batch tells whoever shows its progress (a terminal bar, log lines, nothing)."""

    def start(self, total: int) -> None: ...

    def advance(self, outcome: Outcome) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, outcome: Outcome) -> None:
        pass


@dataclass
class BatchResult:
    """What a batch did, file by file, and how long it took."""

    stored: list[Stored] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        {Stored: self.stored, Skipped: self.skipped, Failed: self.failed}[type(outcome)].append(outcome)

    @property
    def chars(self) -> int:
        return sum(s.chars for s in self.stored)

    @property
    def triples(self) -> int:
        return sum(s.triples for s in self.stored)


@dataclass
class _Task:
    path: Path
    overrides: dict[str, Any]
    key: str


def ingest_batch(store: GraphStore, paths: list[Path], *, jobs: int | None = None,
                 overrides: dict[str, Any] | None = None, force: bool = False,
                 progress: Progress | None = None, pool_min: int = _POOL_MIN_FILES,
                 analysis: bool = True, bulk: bool = False) -> BatchResult:
    """Ingest `paths` into `store`: skip what is stored unchanged (unless `force`), extract the rest on
    `jobs` processes (default: one per core), write each report's graph as it arrives.

    `overrides` (issuer, year, …) apply to every file; a file's sidecar wins over them. From `pool_min`
    files on, extraction runs in worker processes (a server passes 1: its own process must stay free
    to answer requests). `analysis=False` leaves the analysis refresh to the caller (a service defers it).
    `bulk=True` writes new reports `_FLUSH_EVERY` at a time with the store's bulk load, for a caller no
    one reads the store beside (the command line); replaced reports always go in one transaction each.
    """
    started = time.monotonic()
    progress = progress or _Silent()
    result = BatchResult()
    progress.start(len(paths))
    tasks, early = _plan(paths, overrides or {}, {} if force else stored_keys(store))
    for outcome in early:
        result.add(outcome)
        progress.advance(outcome)
    writer = _Writer(store, bulk, {o.graph: o.path for o in early if isinstance(o, Skipped) and o.graph})
    for task, extracted in _extract_all(tasks, jobs or os.cpu_count() or 1, pool_min):
        done = [extracted] if isinstance(extracted, Failed) else writer.write(extracted, task.key)
        for outcome in done:
            result.add(outcome)
            progress.advance(outcome)
    for outcome in writer.flush():
        result.add(outcome)
        progress.advance(outcome)
    if writer.bulk_loaded:
        store.settle()
    # Every run, even one that stored nothing: a run killed during the analysis left it missing or
    # stale, and refreshing is two small queries when it is current.
    if analysis:
        # Imported here: the spawned extraction workers import this module and need no networkx.
        from policekg.kg.network.analysis import refresh_analysis
        from policekg.kg.read.overview import keep_overview

        refresh_analysis(store)
        keep_overview(store)  # the home page's reads of the whole store, done here once, not per visit
    result.seconds = time.monotonic() - started
    return result


def _plan(paths: list[Path], overrides: dict[str, Any],
          known: dict[str, URIRef]) -> tuple[list[_Task], list[Outcome]]:
    """The files to extract, and the outcomes already decided: bad sidecars, unreadable or unchanged files."""
    tasks: list[_Task] = []
    early: list[Outcome] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            given = {**overrides, **read_sidecar(path)}
            key = source_key(read_file(path), given)  # not kept: a batch of thousands would hold them all
        except LoadError as err:
            early.append(Failed(path, str(err)))
            continue
        if key in known:
            early.append(Skipped(path, known[key], "unchanged since it was stored"))
        elif key in seen:
            early.append(Skipped(path, None, f"same content as {seen[key]}"))
        else:
            seen[key] = path
            tasks.append(_Task(path, given, key))
    return tasks, early


def _extract_all(tasks: list[_Task], jobs: int, pool_min: int) -> Iterator[tuple[_Task, Extracted | Failed]]:
    """Each task with its extraction, in input order; on up to `jobs` worker processes from `pool_min`
    tasks on (one job and a `pool_min` of 1: one worker process)."""
    if not tasks:
        return
    if len(tasks) < pool_min or (jobs <= 1 and pool_min > 1):
        extractor = Extractor()
        for task in tasks:
            yield task, _extract(extractor, task)
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding the store open
    log.info("extracting %d files on %d worker processes", len(tasks), min(jobs, len(tasks)))
    window = _AHEAD * min(jobs, len(tasks)) + _FLUSH_EVERY
    futures: dict[int, Future] = {}
    done = 0
    try:
        with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=context, initializer=_start_worker,
                                 initargs=(os.getpid(),)) as pool:
            # A bounded window, not pool.map: finished graphs wait in memory only until written.
            for i, task in enumerate(tasks):
                for j in range(len(futures) + done, min(i + window, len(tasks))):
                    futures[j] = pool.submit(_extract_in_worker, tasks[j])
                extracted = futures.pop(i).result()
                yield task, extracted
                done = i + 1
    except BrokenProcessPool as err:
        log.error("a worker process died: %s", err)
        for task in tasks[done:]:
            yield task, Failed(task.path, "a worker process died while this file was pending (out of memory?)")


_WORKER_EXTRACTOR: Extractor | None = None


def _start_worker(parent: int) -> None:
    """Build the worker's one Extractor (the spaCy pipeline and lexicons) before its first file, and
    end with the ingest that started it, even a killed one."""
    global _WORKER_EXTRACTOR
    die_with_parent(parent)
    _WORKER_EXTRACTOR = Extractor()


def _extract_in_worker(task: _Task) -> Extracted | Failed:
    assert _WORKER_EXTRACTOR is not None, "worker started without _start_worker"
    return _extract(_WORKER_EXTRACTOR, task)


def _extract(extractor: Extractor, task: _Task) -> Extracted | Failed:
    """One file's graph, or why not. A crash of the extractor on one file is that file's failure."""
    try:
        extracted = extract_report(extractor, task.path, task.overrides)
        extracted.warnings.extend(metadata_warnings(str(extracted.graph)))
        return extracted
    except (LoadError, ExtractionError) as err:
        return Failed(task.path, str(err))
    except Exception as err:  # a bug on one odd file must not cost the user the rest of the batch
        log.exception("extracting %s", task.path)
        return Failed(task.path, f"internal error while extracting ({type(err).__name__}: {err}); please report it")


class _Writer:
    """Writes the batch's reports in input order and says, once each is written, what became of it."""

    def __init__(self, store: GraphStore, bulk: bool, written: dict[URIRef, Path]) -> None:
        self.store = store
        self.bulk = bulk and store.bulk_loads
        # A stored report whose file is skipped as unchanged still owns its graph in this batch: another
        # file that turns out to be the same report must not replace it (and be replaced back next run).
        self.written = written
        self.pending: list[tuple[bytes, Stored]] = []
        self.since_flush = 0
        self.bulk_loaded = False

    def write(self, extracted: Extracted, key: str) -> list[Outcome]:
        """Store one report (or keep it for the next bulk load): the outcomes now settled."""
        iri = extracted.graph
        if iri in self.written:
            return [Failed(extracted.path, f"the same report <{iri}> as {self.written[iri]} in this batch: keep one "
                                           f"file, or give this one its issuer and year in a sidecar")]
        self.written[iri] = extracted.path
        if self.bulk and not self.store.has_report(iri):
            self.pending.append(keyed(extracted, key, replaced=False))
            return self.flush() if len(self.pending) >= _FLUSH_EVERY else []
        done = self.flush()
        try:
            done.append(store_report(self.store, extracted, key))
        except (StoreError, OSError) as err:
            del self.written[iri]
            return [*done, Failed(extracted.path, f"could not be stored: {err}")]
        self.since_flush += 1
        if self.since_flush >= _FLUSH_EVERY:
            self.store.ox.flush()
            self.since_flush = 0
        return done

    def flush(self) -> list[Outcome]:
        """Write the reports kept for a bulk load, all or none."""
        pending, self.pending = self.pending, []
        if not pending:
            return []
        try:
            self.store.add_new_graphs([(stored.graph, ntriples) for ntriples, stored in pending])
        except (StoreError, OSError) as err:
            for _, stored in pending:
                del self.written[stored.graph]
            return [Failed(stored.path, f"could not be stored: {err}") for _, stored in pending]
        self.bulk_loaded = True
        return [stored for _, stored in pending]
