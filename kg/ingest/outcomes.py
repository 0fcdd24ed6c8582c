"""What became of one file in an ingest: stored, skipped or failed (and, between, extracted)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

#: The word each outcome travels under between a service and the `ingest --server` that sent the files.
_KINDS: dict[str, type] = {"stored": Stored, "skipped": Skipped, "failed": Failed}


def outcome_json(outcome: Outcome, path: str) -> dict[str, Any]:
    """`outcome` as JSON, its file named `path` (the name the sender gave, not where the service kept it)."""
    kind = next(k for k, cls in _KINDS.items() if isinstance(outcome, cls))
    fields = dict(vars(outcome))  # not `asdict`: it rebuilds a Counter from its items, counting pairs
    fields["path"] = path
    if fields.get("graph") is not None:
        fields["graph"] = str(fields["graph"])
    if "classes" in fields:
        fields["classes"] = dict(fields["classes"])
    return {"outcome": kind, **fields}


def outcome_from_json(data: dict[str, Any]) -> Outcome:
    """The outcome `outcome_json` wrote; ValueError when `data` is none."""
    fields = dict(data)
    cls = _KINDS.get(fields.pop("outcome", None))
    if cls is None:
        raise ValueError(f"not an ingest outcome: {data!r}")
    fields["path"] = Path(fields["path"])
    if fields.get("graph") is not None:
        fields["graph"] = URIRef(fields["graph"])
    if "classes" in fields:
        fields["classes"] = Counter(fields["classes"])
    return cls(**fields)
