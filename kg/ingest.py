"""Reading report files, extracting them and storing each as its own named graph.

A file either goes in whole or not at all: extraction and graph building happen before the store
is touched, and the store swaps the report's graph in one transaction. One bad file is reported
and skipped; the rest of the batch goes in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import URIRef

from policekg.extract import ExtractionError, Extractor
from policekg.kg.store import GraphStore
from policekg.kg.triples import report_graph

log = logging.getLogger(__name__)

#: The report shipped with the package, ingested by `serve` into an empty store.
SAMPLE_REPORT = Path(str(files("policekg.kg") / "sample" / "000_01c10ac9e2f52e48.txt"))


@dataclass
class Stored:
    """A report that went in: its graph IRI and how much it holds."""

    path: Path
    graph: URIRef
    triples: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Failed:
    """A file that did not go in, and why, in words a user can act on."""

    path: Path
    reason: str


def read_text(path: Path) -> str:
    """The text of a report file; ExtractionError when it is not readable UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ExtractionError(f"cannot read the file: {err.strerror or err}") from err
    if not data.strip():
        raise ExtractionError("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ExtractionError(f"not UTF-8 text (byte {err.start} cannot be decoded)") from err


def ingest_file(store: GraphStore, extractor: Extractor, path: Path, **overrides: Any) -> Stored:
    """Extract one file and replace its report's graph; raises ExtractionError on bad input."""
    extraction = extractor(read_text(path), **overrides)
    graph = report_graph(extraction)
    store.replace_graph(graph.identifier, graph)
    return Stored(path, graph.identifier, len(graph), extraction.warnings)


def ingest_files(store: GraphStore, extractor: Extractor, paths: list[Path],
                 **overrides: Any) -> tuple[list[Stored], list[Failed]]:
    """Ingest every file, collecting failures instead of stopping at the first."""
    stored: list[Stored] = []
    failed: list[Failed] = []
    for path in paths:
        try:
            stored.append(ingest_file(store, extractor, path, **overrides))
        except ExtractionError as err:
            log.warning("%s: %s", path, err)
            failed.append(Failed(path, str(err)))
    return stored, failed
