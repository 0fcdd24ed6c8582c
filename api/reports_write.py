"""Reports sent to the running service, which is its store's one writer (`policekg ingest --server`).

POST /reports takes report files (multipart, each part named `file`; a `<name>.json` part beside a file
is its sidecar) and the overrides `issuer`, `year`, `force` as form fields; DELETE /report/{issuer}/{year}
removes one report. Both need the update token. The files go through the same batch as `policekg ingest`,
run by the store's writer process (`writer`; `IngestFiles`): extraction in worker processes it starts,
the writes there, one batch or write at a time. The analysis is not refreshed per request: after a
write, one background thread brings it up to date, computing it in a worker process over a read-only
view of the store and sending the results to the writer (writes that come meanwhile are covered by
the next round); until then pages show the previous figures. The answer to a POST streams one JSON
line per file as it is decided (`kg.ingest.outcomes.outcome_json`), then a last line with the run's
time and the store's counts, so the sender shows the same progress and summary as a local ingest.
Pages and the query workers read the store as it now is: nothing to restart.
"""

from __future__ import annotations

import json
import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from rdflib import URIRef
from starlette.datastructures import UploadFile

from policekg.api.auth import require_update_token
from policekg.api.deps import Reader, get_reader, get_settings, get_writer
from policekg.api.errors import BadRequest, NotFound
from policekg.api.writer import Tell, Writer
from policekg.kg.ingest.files import SIDECAR_SUFFIX, check_overrides
from policekg.kg.ingest.loaders import LoadError
from policekg.kg.ingest.outcomes import Outcome, outcome_json
from policekg.kg.network import analysis
from policekg.kg.rdf.iris import report_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.overview import keep_overview

log = logging.getLogger(__name__)

#: Most parts one request may carry (files and sidecars); more are sent in several requests.
MAX_PARTS = 1000
_FIELDS = ("issuer", "year", "force")
_DEFERRED = "the analysis is refreshed by the service in the background"
_NDJSON = "application/x-ndjson"


async def post_reports(request: Request) -> StreamingResponse:
    """Ingest the files of the request; the answer streams each file's outcome, then the summary."""
    require_update_token(request, get_settings(request))
    form = await request.form(max_files=MAX_PARTS, max_fields=len(_FIELDS))
    overrides, force = _overrides(form)
    parts = [p for p in form.getlist("file") if isinstance(p, UploadFile)]
    if not parts:
        raise BadRequest("send the report files as multipart parts named 'file'")
    folder = Path(tempfile.mkdtemp(prefix="policekg-upload-"))
    try:
        names = await _save(parts, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    batch = IngestFiles(names, overrides, force)
    lines = _run(get_reader(request), get_writer(request), batch, folder)
    return StreamingResponse(lines, media_type=_NDJSON)


def _overrides(form: Any) -> tuple[dict[str, Any], bool]:
    """The `issuer` / `year` overrides and `force`, checked like the command line's; 400 when wrong."""
    given: dict[str, Any] = {}
    if form.get("issuer"):
        given["issuer"] = str(form["issuer"])
    if form.get("year"):
        if not str(form["year"]).isdigit():
            raise BadRequest(f"year must be a number, not {form['year']!r}")
        given["year"] = int(form["year"])
    try:
        check_overrides(given, "the form")
    except LoadError as err:
        raise BadRequest(str(err)) from err
    return given, str(form.get("force", "")).lower() in ("1", "true", "yes")


async def _save(parts: list[UploadFile], folder: Path) -> dict[Path, str]:
    """Write the parts under `folder`, each report in a folder of its own with its sidecar beside it;
    the report files saved, with the name each was sent under."""
    sent = [p.filename or "" for p in parts]
    reports = {name for name in sent
               if not name.endswith(SIDECAR_SUFFIX) or name[: -len(SIDECAR_SUFFIX)] not in sent}
    slots = {name: i for i, name in enumerate(dict.fromkeys(n for n in sent if n in reports))}
    names: dict[Path, str] = {}
    for part, name in zip(parts, sent, strict=True):
        base = Path(name.replace("\\", "/")).name
        if base in ("", ".", ".."):
            raise BadRequest(f"a file part needs a file name, not {name!r}")
        owner = name if name in reports else name[: -len(SIDECAR_SUFFIX)]
        target = folder / str(slots[owner]) / base
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(await part.read())
        if name in reports:
            names[target] = name
    return names


class _Relay:
    """The batch's progress, as JSON lines told to the server."""

    def __init__(self, tell: Tell, names: dict[Path, str]) -> None:
        self.tell, self.names = tell, names

    def start(self, total: int) -> None:
        self.tell({"total": total})

    def advance(self, outcome: Outcome) -> None:
        self.tell(outcome_json(outcome, self.names.get(outcome.path, str(outcome.path))))


@dataclass(frozen=True)
class IngestFiles:
    """The saved files (with the names they were sent under), ingested in the writer (a `WriteJob`):
    each file's outcome told as it is decided; the run's seconds and the store's counts returned.
    Not stopped at the write time limit: a batch is bounded by ingest's own limits (text size,
    archives) and may hold many files; two batches never interleave (the writer runs one job)."""

    names: dict[Path, str]
    overrides: dict[str, Any]
    force: bool
    limited: ClassVar[bool] = False

    def run(self, store: GraphStore, tell: Tell) -> dict[str, object]:
        from policekg.kg.ingest.batch import ingest_batch

        result = ingest_batch(store, list(self.names), overrides=self.overrides, force=self.force,
                              progress=_Relay(tell, self.names), pool_min=1, analysis=False)
        return {"seconds": result.seconds, "classes": store.stats()["classes"]}


def _run(read: Reader, writer: Writer, batch: IngestFiles, folder: Path) -> Iterator[bytes]:
    """The batch sent to the writer from a thread of its own, its lines yielded as they come (Starlette
    iterates this off the event loop); the files are deleted when it ends, whether or not the sender
    still listens."""
    lines: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            summary = writer.run(batch, lines.put)
            _REFRESHER.kick(read, writer)
            lines.put({**summary, "note": _DEFERRED})
        except Exception as err:  # the sender must hear why its batch stopped
            log.exception("ingest of %d files sent to the service", len(batch.names))
            lines.put({"error": f"the service failed while ingesting ({type(err).__name__}: {err})"})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            lines.put(None)

    threading.Thread(target=work, name="policekg-ingest", daemon=True).start()
    while (line := lines.get()) is not None:
        yield (json.dumps(line, ensure_ascii=False) + "\n").encode()


async def delete_report(request: Request, path: str) -> JSONResponse:
    """Remove the report `ISSUER/YEAR` (its graph and nothing else), then bring the analysis up to date."""
    require_update_token(request, get_settings(request))
    issuer, _, year = path.rstrip("/").rpartition("/")
    if not issuer or not year.isdigit():
        raise BadRequest(f"name the report as /report/ISSUER/YEAR, not /report/{path}")
    iri = report_iri(issuer, int(year))
    writer = get_writer(request)
    if not await run_in_threadpool(writer.run, RemoveReport(str(iri))):
        raise NotFound(f"no report graph <{iri}> in the store")
    _REFRESHER.kick(get_reader(request), writer)
    return JSONResponse({"removed": str(iri)})


@dataclass(frozen=True)
class RemoveReport:
    """Remove one report's graph (and nothing else), in the writer; whether it was there."""

    iri: str
    limited: ClassVar[bool] = True

    def run(self, store: GraphStore, tell: Tell) -> bool:
        if not store.has_report(self.iri):
            return False
        store.remove_graph(self.iri)
        return True


@dataclass(frozen=True)
class StoreAnalysis:
    """The analysis results (figures and counts) computed from the store at generation `digest`, stored
    by the writer. Not stopped at the write time limit: their size is the store's, not a client's choice."""

    computed: analysis.Computed
    digest: str | None
    reports: list[URIRef]
    limited: ClassVar[bool] = False

    def run(self, store: GraphStore, tell: Tell) -> None:
        analysis.store_results(store, self.computed, self.digest, self.reports)


class _Refresher:
    """One thread bringing the analysis up to date after writes, never two rounds at once."""

    def __init__(self) -> None:
        self.wanted = threading.Event()
        self.thread: threading.Thread | None = None
        self.service: tuple[Reader, Writer] | None = None
        self.guard = threading.Lock()

    def kick(self, read: Reader, writer: Writer) -> None:
        """Ask for a round (after the one running, if any) on the store `read` reads and `writer` writes."""
        with self.guard:
            self.service = read, writer
            self.wanted.set()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="policekg-analysis", daemon=True)
                self.thread.start()

    def _loop(self) -> None:
        while self.wanted.wait(timeout=60):
            self.wanted.clear()
            try:
                _refresh(*self.service)
            except Exception:  # the next write asks again; the pages show the previous figures meanwhile
                log.exception("refreshing the analysis after a write")


def _refresh(read: Reader, writer: Writer) -> None:
    """Compute the analysis of the store as it is now and have the writer store it, unless it is current."""
    store = read()
    if analysis.is_current(store):
        keep_overview(store)  # kept already, unless a run killed before keeping them left a store without
        return
    digest, reports = analysis.input_digest(store)
    computed = analysis.computed_apart(store, len(reports))
    writer.run(StoreAnalysis(computed, digest, reports))
    keep_overview(read())  # off the request path, on the store with the results: the home page then reads it
    log.info("analysis refreshed for %d reports", len(reports))


_REFRESHER = _Refresher()


def refresh_in_background(read: Reader, writer: Writer) -> None:
    """Bring the analysis and the pages' kept tables up to date in a thread of this process: what a
    service over a SPARQL server's store runs when it starts, since those tables live in its memory
    (`kg.read.kept`) and, at thousands of reports, take longer than a visitor may wait."""
    _REFRESHER.kick(read, writer)
