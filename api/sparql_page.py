"""What the query page (/sparql in a browser) hands its editor, YASGUI: the examples, the prefixes the
endpoint predefines, and the vocabulary's classes and properties for completion.

YASGUI's own class and property completers ask a service on the internet (LOV); the page must fetch
nothing from elsewhere, so `static/sparql.js` swaps them for completers over these lists.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pyoxigraph as ox

from policekg.api.sparql_examples import EXAMPLES, PROLOGUE
from policekg.kg.rdf.iris import PREFIXES
from policekg.schema import ONTOLOGY

#: Terms of other vocabularies the graph uses (the vocabulary contract), offered beside the ontology's own.
BORROWED_PROPERTIES = ("rdf:type", "rdfs:label", "skos:altLabel", "dcterms:title", "dcterms:publisher",
                       "dcterms:issued")
_DECLARED = """SELECT ?term ?kind WHERE {
  ?term a ?kind FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty)) }"""


def expand(name: str) -> str:
    """`pk:Program` → the full IRI, with the endpoint's prefixes."""
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


@cache
def vocabulary_terms() -> dict[str, list[str]]:
    """The ontology's classes and properties (full IRIs, sorted): what the editor completes."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    prologue = f"PREFIX owl: <{PREFIXES['owl']}>\n"
    terms: dict[str, list[str]] = {"classes": [], "properties": [expand(p) for p in BORROWED_PROPERTIES]}
    for row in store.query(prologue + _DECLARED):
        if isinstance(row["term"], ox.NamedNode):
            kind = "classes" if row["kind"].value.endswith("#Class") else "properties"
            terms[kind].append(row["term"].value)
    return {kind: sorted(set(iris)) for kind, iris in terms.items()}


def page_context(query: str | None) -> dict[str, Any]:
    """The template's context: with `query`, the page shows it and runs it at once."""
    return {
        "examples": EXAMPLES,
        "prologue": PROLOGUE,
        "query": query,
        "default_query": EXAMPLES[0].full,
        "editor": {"endpoint": "/sparql", "prefixes": PREFIXES, **vocabulary_terms()},
    }
