"""What "this file is already in" means: the source key a report graph records as `pk:sourceSha256`.

The key is the SHA-256 of the file's raw bytes — followed, when metadata was given with the file (a
sidecar or command-line options), by a NUL byte and that metadata as canonical JSON. Raw bytes, not the
normalised text, because the check must be cheap: an unchanged PDF or web page is skipped without being
parsed. Metadata is part of it because fixing a wrong issuer in a sidecar must re-ingest the file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rdflib import URIRef

from policekg.kg.rdf.store import GraphStore


def source_key(data: bytes, overrides: dict[str, Any]) -> str:
    """The `pk:sourceSha256` of a file: its bytes, and the metadata given with it (module docstring)."""
    digest = hashlib.sha256(data)
    if overrides:
        digest.update(b"\0" + json.dumps(overrides, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def stored_keys(store: GraphStore) -> dict[str, URIRef]:
    """`pk:sourceSha256` → report graph, for every report ingested from a file."""
    rows = store.ox_query("SELECT ?g ?k WHERE { GRAPH ?g { ?g pk:sourceSha256 ?k } }")
    return {row["k"].value: URIRef(row["g"].value) for row in rows}
