"""One report file in: which files a command line means, the metadata given with them, the text of
the file, its extraction, its graph, and the write that swaps the report's graph in.

A file either goes in whole or not at all: loading, extraction and graph building happen before the
store is touched, and the store swaps the report's graph in one transaction. The functions that do
not touch the store (`extract_report`) are what the worker processes of `kg.batch` run.

What "this file is already in" means: `pk:sourceSha256` on the report holds the SHA-256 of the
file's raw bytes — followed, when metadata was given with the file (a sidecar or command-line
options), by a NUL byte and that metadata as canonical JSON. Raw bytes, not the normalised text,
because the check must be cheap: an unchanged PDF or web page is skipped without being parsed.
Metadata is part of it because fixing a wrong issuer in a sidecar must re-ingest the file.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from policekg.extract import Extractor
from policekg.kg.iris import PK, PKR, report_iri
from policekg.kg.loaders import LoadError, load, load_bytes, read_file
from policekg.kg.store import GraphStore
from policekg.kg.triples import P, report_triples
from rdflib import URIRef

log = logging.getLogger(__name__)

#: The report shipped with the package, ingested by `serve` into an empty store.
SAMPLE_REPORT = Path(str(files("policekg.kg") / "sample" / "000_01c10ac9e2f52e48.txt"))
#: `report.pdf.json` beside `report.pdf` gives metadata the text does not state.
SIDECAR_SUFFIX = ".json"
#: What a sidecar or the command line may set, and the type each value must have.
OVERRIDE_KEYS: dict[str, type | tuple[type, ...]] = {
    "issuer": str, "year": int, "title": str, "published": str, "source_url": str,
}
_GLOB_CHARS = set("*?[")


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


# -- which files ---------------------------------------------------------------------------------

def collect_paths(args: list[str | Path]) -> tuple[list[Path], list[Failed]]:
    """The report files that files, folders (recursively) and glob patterns name, each once, in order.

    Hidden files and metadata sidecars found inside folders are left out; a name that matches
    nothing is a failure, so a typo is not silently an empty batch.
    """
    found: dict[Path, None] = {}
    missing: list[Failed] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            candidates = [p for p in candidates if not is_sidecar(p)]
        elif path.is_file():
            if is_sidecar(path):  # `ingest reports/*` in a shell names the sidecars too
                continue
            candidates = [path]
        elif _GLOB_CHARS & set(str(arg)):
            candidates = [Path(p) for p in sorted(glob.glob(str(arg), recursive=True))]
            candidates = [p for p in candidates if p.is_file() and not is_sidecar(p)]
        else:
            candidates = []
        if not candidates:
            missing.append(Failed(path, _nothing_there(path, str(arg))))
        for candidate in candidates:
            found.setdefault(candidate, None)
    return list(found), missing


def _nothing_there(path: Path, arg: str) -> str:
    if path.exists():
        return "no report files in it"
    return "the pattern matches no file" if _GLOB_CHARS & set(arg) else "no such file or folder"


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def is_sidecar(path: Path) -> bool:
    """`x.pdf.json` beside `x.pdf` is metadata, not a report."""
    return path.name.endswith(SIDECAR_SUFFIX) and path.with_name(path.name[: -len(SIDECAR_SUFFIX)]).is_file()


# -- metadata given with a file ------------------------------------------------------------------

def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in `<file>.json` next to `path` ({} when there is none); LoadError when it is wrong."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LoadError(f"sidecar {sidecar.name} is not readable JSON: {err}") from err
    return check_overrides(data, f"sidecar {sidecar.name}")


def check_overrides(data: Any, where: str) -> dict[str, Any]:
    """Metadata overrides with known keys and values of the right type (a bad sidecar is named)."""
    if not isinstance(data, dict):
        raise LoadError(f"{where} must hold a JSON object like {{\"issuer\": …, \"year\": …}}")
    unknown = sorted(set(data) - set(OVERRIDE_KEYS))
    if unknown:
        raise LoadError(f"{where}: unknown keys {', '.join(unknown)} (known: {', '.join(OVERRIDE_KEYS)})")
    for key, value in data.items():
        if value is not None and (not isinstance(value, OVERRIDE_KEYS[key]) or isinstance(value, bool)):
            raise LoadError(f"{where}: {key} must be a {OVERRIDE_KEYS[key].__name__}, not {value!r}")
    if data.get("published"):
        try:
            date.fromisoformat(data["published"])
        except ValueError as err:
            raise LoadError(f"{where}: published must be a date like 2023-03-01, not {data['published']!r}") from err
    return {k: v for k, v in data.items() if v is not None}


def source_key(data: bytes, overrides: dict[str, Any]) -> str:
    """The `pk:sourceSha256` of a file: its bytes, and the metadata given with it (module docstring)."""
    digest = hashlib.sha256(data)
    if overrides:
        digest.update(b"\0" + json.dumps(overrides, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


# -- extraction (runs in the worker processes) ---------------------------------------------------

def extract_report(extractor: Extractor, path: Path, overrides: dict[str, Any],
                   data: bytes | None = None) -> Extracted:
    """Load, extract and build the graph of one file (its `data` when already read); raises LoadError
    or ExtractionError.

    Metadata the file itself carries (a page's canonical URL, title, date) comes first, the
    overrides given by the user win over it, and both win over what the text says.
    """
    loaded = load(path) if data is None else load_bytes(data)
    extraction = extractor(loaded.text, **{**loaded.meta, **overrides})
    triples = report_triples(extraction)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Extracted(path, report_iri(extraction.meta.issuer, extraction.meta.year), ntriples, len(triples),
                     class_counts(triples), len(extraction.text), loaded.format, extraction.warnings)


# -- storing -------------------------------------------------------------------------------------

def store_report(store: GraphStore, extracted: Extracted, key: str | None) -> Stored:
    """Swap the report's graph in (one transaction), recording the source key."""
    iri, ntriples, count = extracted.graph, extracted.ntriples, extracted.triples
    if key:
        source = ox.Triple(ox.NamedNode(str(iri)), P.sourceSha256, ox.Literal(key))
        ntriples, count = ntriples + ox.serialize([source], format=ox.RdfFormat.N_TRIPLES), count + 1
    replaced = store.has_report(iri)
    store.replace_graph(iri, ntriples)
    return Stored(extracted.path, iri, count, extracted.chars, extracted.format, replaced, extracted.classes,
                  extracted.warnings)


def class_counts(triples: list[ox.Triple]) -> Counter:
    """Nodes per pk: class in one report's triples (`PoliceUnit`: 12, …)."""
    prefix = str(PK)
    return Counter(t.object.value[len(prefix):] for t in triples
                   if t.predicate == P.type and t.object.value.startswith(prefix))


def stored_keys(store: GraphStore) -> dict[str, URIRef]:
    """`pk:sourceSha256` → report graph, for every report ingested from a file."""
    rows = store.ox_query("SELECT ?g ?k WHERE { GRAPH ?g { ?g pk:sourceSha256 ?k } }")
    return {row["k"].value: URIRef(row["g"].value) for row in rows}


def ingest_file(store: GraphStore, extractor: Extractor, path: Path, **overrides: Any) -> Stored:
    """Extract one file and replace its report's graph; raises LoadError or ExtractionError on bad input."""
    given = {k: v for k, v in overrides.items() if v is not None}
    data = read_file(path)  # read once: for the source key and for the text
    return store_report(store, extract_report(extractor, path, given, data), source_key(data, given))


def report_ref(text: str) -> URIRef:
    """A report named on the command line: its IRI (`https://…/report/慈溪市公安局/2022`, `pkr:report/…`)
    or `ISSUER/YEAR`; ValueError when it is neither."""
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    if text.startswith("pkr:"):
        return URIRef(str(PKR) + text[len("pkr:"):])
    issuer, _, year = text.rstrip("/").rpartition("/")
    if not issuer or not year.isdigit():
        raise ValueError(f"{text!r} is neither a report IRI nor ISSUER/YEAR (like 慈溪市公安局/2022)")
    return report_iri(issuer, int(year))
