"""What became of one file in an ingest: stored, skipped or failed (and, between, extracted)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef


@dataclass
class Stored:
    """A report that went in: its graph IRI and how much it holds."""

    path: Path
    graph: URIRef
    triples: int
    chars: int = 0
    format: str = "text"
    replaced: bool = False
    classes: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """A file whose content (and metadata) is already stored, or repeated in this batch."""

    path: Path
    graph: URIRef | None
    reason: str


@dataclass
class Failed:
    """A file that did not go in, and why, in words a user can act on."""

    path: Path
    reason: str


@dataclass
class Extracted:
    """A file turned into its report's triples, not yet stored (what a worker process hands back).

    The triples travel as N-Triples bytes: pickling pyoxigraph terms from a worker costs more than
    building them, and Oxigraph reads N-Triples in one call.
    """

    path: Path
    graph: URIRef
    ntriples: bytes
    triples: int
    classes: Counter
    chars: int
    format: str
    warnings: list[str]


Outcome = Stored | Skipped | Failed
