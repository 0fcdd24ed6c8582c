"""One report file in: its text, its extraction, its graph, and the write that swaps the graph in.

A file either goes in whole or not at all: loading, extraction and graph building happen before the
store is touched, and the store swaps the report's graph in one transaction. `extract_report` does not
touch the store: it is what the worker processes of `kg.ingest.batch` run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from policekg.extract import Extractor
from policekg.kg.ingest.loaders import LoadError, load, load_bytes, read_file
from policekg.kg.ingest.outcomes import Extracted, Stored
from policekg.kg.ingest.source_key import source_key
from policekg.kg.rdf.iris import PK, report_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import P, report_triples

#: Longest report text extracted: extraction memory grows with the text, and a real report is a few
#: tens of thousands of characters; a longer text is refused, not extracted.
MAX_REPORT_CHARS = 300_000


def extract_report(extractor: Extractor, path: Path, overrides: dict[str, Any],
                   data: bytes | None = None) -> Extracted:
    """Load, extract and build the graph of one file (its `data` when already read); raises LoadError
    or ExtractionError.

    Metadata the file itself carries (a page's canonical URL, title, date) comes first, the
    overrides given by the user win over it, and both win over what the text says.
    """
    loaded = load(path) if data is None else load_bytes(data)
    if len(loaded.text) > MAX_REPORT_CHARS:
        raise LoadError(f"the text has {len(loaded.text):,} characters, more than the {MAX_REPORT_CHARS:,} "
                        "a report may have (is it several reports in one file?)")
    extraction = extractor(loaded.text, **{**loaded.meta, **overrides})
    triples = report_triples(extraction)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    warnings = [*loaded.warnings, *extraction.warnings]
    return Extracted(path, report_iri(extraction.meta.issuer, extraction.meta.year), ntriples, len(triples),
                     class_counts(triples), len(extraction.text), loaded.format, warnings)


def store_report(store: GraphStore, extracted: Extracted, key: str | None) -> Stored:
    """Swap the report's graph in (one transaction), recording the source key."""
    replaced = store.has_report(extracted.graph)
    ntriples, stored = keyed(extracted, key, replaced)
    store.replace_graph(extracted.graph, ntriples)
    return stored


def keyed(extracted: Extracted, key: str | None, replaced: bool) -> tuple[bytes, Stored]:
    """The report's N-Triples with its source key (what tells the next run the file is unchanged), and
    what storing them will have done."""
    iri, ntriples, count = extracted.graph, extracted.ntriples, extracted.triples
    if key:
        source = ox.Triple(ox.NamedNode(str(iri)), P.sourceSha256, ox.Literal(key))
        ntriples, count = ntriples + ox.serialize([source], format=ox.RdfFormat.N_TRIPLES), count + 1
    return ntriples, Stored(extracted.path, iri, count, extracted.chars, extracted.format, replaced,
                            extracted.classes, extracted.warnings)


def class_counts(triples: list[ox.Triple]) -> Counter:
    """Nodes per pk: class in one report's triples (`PoliceUnit`: 12, …)."""
    prefix = str(PK)
    return Counter(t.object.value[len(prefix):] for t in triples
                   if t.predicate == P.type and t.object.value.startswith(prefix))


def ingest_file(store: GraphStore, extractor: Extractor, path: Path, **overrides: Any) -> Stored:
    """Extract one file and replace its report's graph; raises LoadError or ExtractionError on bad input."""
    given = {k: v for k, v in overrides.items() if v is not None}
    data = read_file(path)  # read once: for the source key and for the text
    return store_report(store, extract_report(extractor, path, given, data), source_key(data, given))
