"""`ingest` and `remove` through a running service (`--server URL`), which is its store's one writer.

The files go to the service's POST /reports in requests of at most `CHUNK_BYTES` (under the service's
default body limit), each file with its sidecar; the service answers one JSON line per file as it is
decided, and these become the same outcomes, progress lines and summary as a local ingest. Nothing
here imports the web layer: this is an HTTP client of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rdflib import URIRef

from policekg.kg.ingest.batch import BatchResult, Progress
from policekg.kg.ingest.files import SIDECAR_SUFFIX
from policekg.kg.ingest.outcomes import outcome_from_json
from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.iris import local_path

#: Bytes of files sent in one request: below the service's default body limit (16 MiB), so a large batch
#: goes in several requests; a single larger file is sent alone and the service's limit decides.
CHUNK_BYTES = 8 * 2**20
#: Seconds to wait for the service to answer a request's first byte or next line (extraction included).
TIMEOUT = 600.0


def _headers(token: str | None) -> dict[str, str]:
    if not token:
        raise StoreError("writing through a service needs its update token: --token or POLICEKG_UPDATE_TOKEN")
    return {"Authorization": f"Bearer {token}"}


def _chunks(files: list[Path]) -> Iterator[list[Path]]:
    """The files in order, in groups of at most CHUNK_BYTES (one file alone when it is larger)."""
    group: list[Path] = []
    size = 0
    for path in files:
        weight = path.stat().st_size if path.is_file() else 0
        if group and size + weight > CHUNK_BYTES:
            yield group
            group, size = [], 0
        group.append(path)
        size += weight
    if group:
        yield group


def _parts(files: list[Path]) -> list[tuple[str, tuple[str, bytes]]]:
    """Each file as a part named by its path as given, followed by its sidecar when there is one."""
    parts = []
    for path in files:
        parts.append(("file", (str(path), path.read_bytes())))
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        if sidecar.is_file():
            parts.append(("file", (str(path) + SIDECAR_SUFFIX, sidecar.read_bytes())))
    return parts


def _refused(server: str, response: httpx.Response) -> StoreError:
    response.read()
    reason = " ".join(response.text.split())[:300]
    return StoreError(f"the service at {server} answered {response.status_code}: {reason}")


def send_files(server: str, token: str | None, files: list[Path], overrides: dict[str, Any], force: bool,
               progress: Progress) -> tuple[BatchResult, dict[str, Any]]:
    """Ingest `files` through the service at `server`: what happened to each, and the service's last
    summary (`classes`: the store's counts; `note`: what it does after the batch)."""
    headers = _headers(token)
    started = time.monotonic()
    result = BatchResult()
    summary: dict[str, Any] = {"classes": {}}
    progress.start(len(files))
    form = {k: str(v) for k, v in overrides.items()} | ({"force": "true"} if force else {})
    url = server.rstrip("/") + "/reports"
    try:
        with httpx.Client(timeout=TIMEOUT) as client:
            for group in _chunks(files):
                with client.stream("POST", url, files=_parts(group), data=form, headers=headers) as response:
                    if response.status_code != httpx.codes.OK:
                        raise _refused(server, response)
                    summary = _read_lines(response.iter_lines(), result, progress)
    except httpx.HTTPError as err:
        raise StoreError(f"cannot reach the service at {server}: {err}") from err
    result.seconds = time.monotonic() - started
    return result, summary


def _read_lines(lines: Iterator[str], result: BatchResult, progress: Progress) -> dict[str, Any]:
    """Follow one answer: each outcome into `result` and `progress`; the summary at its end."""
    for line in lines:
        if not line.strip():
            continue
        data = json.loads(line)
        if "error" in data:
            raise StoreError(data["error"])
        if "outcome" in data:
            outcome = outcome_from_json(data)
            result.add(outcome)
            progress.advance(outcome)
        elif "classes" in data:
            return data
    raise StoreError("the service's answer ended before its summary (did the service stop?)")


def remove_report(server: str, token: str | None, iri: URIRef) -> str:
    """Remove the report `iri` through the service at `server`; the IRI it removed."""
    local = local_path(str(iri))
    if local is None or not local.startswith("report/"):
        raise StoreError(f"<{iri}> is not a report IRI of this graph")
    url = server.rstrip("/") + "/" + quote(local, safe="/%")
    try:
        response = httpx.delete(url, headers=_headers(token), timeout=TIMEOUT)
    except httpx.HTTPError as err:
        raise StoreError(f"cannot reach the service at {server}: {err}") from err
    if response.status_code == httpx.codes.NOT_FOUND:
        raise StoreError(f"no report graph <{iri}> in the store of {server}")
    if response.status_code != httpx.codes.OK:
        raise _refused(server, response)
    return response.json()["removed"]
