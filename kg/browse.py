"""What the pages read from the graph, as plain Python data: the overview, the list of reports, paging.

The API layer renders; this layer asks. Every query of the browsing pages lives in `kg/` (this module
and `describe`, `report_view`, `search`, `compare`), so the SPARQL stays next to the store and the
pages can be tested without HTTP. User input never reaches a query as text: names become IRIs through
`sparql_iri` (which rejects what is not an IRI) and strings become literals through `sparql_str`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from policekg.kg.errors import QueryError
from policekg.kg.iris import PK, PREFIXES
from policekg.kg.store import GraphStore

#: Entity classes in the order pages list them; an entity with several types is shown under the first.
CLASS_ORDER: tuple[str, ...] = (
    "PoliceUnit", "GovernmentBody", "Program", "LegalInstrument", "Platform", "Place", "Indicator",
    "Report", "Section", "Measure", "Observation", "Mention",
)
#: Subclasses shown under their parent class in groupings (a law is listed with the legal instruments).
_PARENT_CLASS = {"Law": "LegalInstrument", "Regulation": "LegalInstrument",
                 "PolicyDocument": "LegalInstrument"}

_XSD = PREFIXES["xsd"]
_NUMERIC = {_XSD + "integer": int, _XSD + "int": int, _XSD + "long": int, _XSD + "decimal": Decimal}


class NotFound(LookupError):
    """The graph holds nothing about the IRI or name asked for."""


def sparql_iri(iri: str) -> str:
    """`<iri>` for a query; QueryError when `iri` is not an IRI (so no text can break out of the brackets)."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError as err:
        raise QueryError(f"not a valid IRI: {iri!r} ({err})") from err


def sparql_str(text: str) -> str:
    """A quoted SPARQL string literal, escaped by Oxigraph's own N-Triples writer."""
    return str(ox.Literal(text))


def py(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Any:
    """A term as the Python value a page shows: numbers as numbers, booleans as bools, the rest as str."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value
        if kind in _NUMERIC:
            try:
                return _NUMERIC[kind](term.value)
            except (ValueError, ArithmeticError):
                return term.value
        if kind == _XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


def rows(store: GraphStore, sparql: str) -> list[dict[str, Any]]:
    """A SELECT query's solutions as dicts of Python values (unbound variables are None)."""
    result = store.ox_query(sparql)
    names = [v.value for v in result.variables]
    return [{n: py(sol[n]) for n in names} for sol in result]


def class_name(iri: str) -> str:
    """`https://w3id.org/policekg/ontology#Program` → `Program` (other IRIs: their last part)."""
    return iri.rsplit("#", 1)[-1] if iri.startswith(str(PK)) else iri.rsplit("/", 1)[-1]


def status_name(iri: str | None) -> str | None:
    """A section's or measure's `pk:Done` → `Done`; None when it has no status."""
    return class_name(iri) if iri else None


def main_class(types: list[str] | set[str]) -> str | None:
    """The one class an entity is listed under, from all its `rdf:type`s (pk: names or full IRIs)."""
    names = {_PARENT_CLASS.get(class_name(t), class_name(t)) for t in types}
    return next((c for c in CLASS_ORDER if c in names), None)


@dataclass
class Page:
    """One page of a longer list: the rows shown and enough to link to the others."""

    items: list[Any]
    page: int
    size: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # more matched than a page-producing query may return

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(items: list[Any], page: int, size: int) -> Page:
    """The `page`-th slice (1-based) of `items`."""
    start = (page - 1) * size
    return Page(items[start:start + size], page, size, len(items))


@dataclass
class Overview:
    """What the home page shows: the size of the graph and where to start reading."""

    triples: int
    reports: int
    classes: dict[str, int]
    issuers: list[dict[str, Any]]
    years: list[int]
    central: dict[str, list[dict[str, Any]]]


def overview(store: GraphStore, top: int = 10) -> Overview:
    """Counts, bureaus, years and the most central programs and units."""
    stats = store.stats()
    report_rows = list_reports(store)
    issuers: dict[str, dict[str, Any]] = {}
    for r in report_rows:
        entry = issuers.setdefault(r["issuer"],
                                   {"iri": r["issuer"], "label": r["issuer_label"], "reports": 0})
        entry["reports"] += 1
    order = {c: i for i, c in enumerate(CLASS_ORDER)}
    classes = dict(sorted(stats["classes"].items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    return Overview(
        triples=int(stats["triples"]), reports=int(stats["reports"]), classes=classes,
        issuers=sorted(issuers.values(), key=lambda e: e["label"] or ""),
        years=sorted({r["year"] for r in report_rows if r["year"] is not None}),
        central={cls: central(store, cls, top) for cls in ("Program", "PoliceUnit")},
    )


# Everything about a report is read inside its own graph, so each row is that report's own statement.
_REPORTS = """
SELECT ?report ?title ?year ?issued ?issuer ?issuer_label WHERE {
  GRAPH ?report { ?report a pk:Report . OPTIONAL { ?report rdfs:label ?title }
    OPTIONAL { ?report pk:year ?year } OPTIONAL { ?report dcterms:issued ?issued }
    OPTIONAL { ?report dcterms:publisher ?issuer OPTIONAL { ?issuer rdfs:label ?issuer_label } } }
} ORDER BY ?issuer_label DESC(?year) ?report
"""


def list_reports(store: GraphStore) -> list[dict[str, Any]]:
    """Every report with its title, year, publication date and issuer, by issuer then newest first."""
    return rows(store, _REPORTS)


# Counted graph by graph (an entity's type triple is in every report graph naming it), never joined
# across graphs: that would multiply reports by mentions by copies.
_CENTRAL = """
SELECT ?iri ?reports ?mentions ?pagerank WHERE {
  { SELECT ?iri (COUNT(?report) AS ?reports) WHERE {
      GRAPH ?report { ?iri a pk:%(cls)s ; pk:mentionedIn ?report } } GROUP BY ?iri }
  OPTIONAL { SELECT ?iri (COUNT(?m) AS ?mentions) WHERE {
      GRAPH ?g { ?iri a pk:%(cls)s . ?m pk:mentionOf ?iri } } GROUP BY ?iri }
  OPTIONAL { ?iri pk:pagerank ?pagerank }
} ORDER BY DESC(?pagerank) DESC(?reports) DESC(?mentions) ?iri LIMIT %(top)d
"""


def central(store: GraphStore, cls: str, top: int) -> list[dict[str, Any]]:
    """The `top` entities of a class: by PageRank when the analysis has run, else by reports and mentions."""
    if cls not in CLASS_ORDER:
        raise QueryError(f"unknown class {cls!r}")
    found = rows(store, _CENTRAL % {"cls": cls, "top": top})
    known = names(store, [r["iri"] for r in found])
    return [{**r, "label": known.get(r["iri"], (None, set()))[0]} for r in found]


#: Names and classes of many resources at once. A figure has no label: its indicator and value name it.
_NAMES = """
SELECT DISTINCT ?o ?label ?type WHERE {
  VALUES ?o { %s }
  { ?o rdfs:label ?label } UNION { ?o a ?type }
  UNION { ?o pk:indicator/rdfs:label ?ind ; pk:value ?val BIND(CONCAT(?ind, " ", STR(?val)) AS ?label) }
}
"""


def names(store: GraphStore, iris: list[str]) -> dict[str, tuple[str | None, set[str]]]:
    """IRI → (its label, its classes), looked up for many IRIs in one DISTINCT query.

    The way to name things an aggregate found: joining their labels inside the aggregate would
    count each label once per report graph repeating it.
    """
    found: dict[str, tuple[str | None, set[str]]] = {}
    if not iris:
        return found
    for r in rows(store, _NAMES % " ".join(sparql_iri(i) for i in sorted(set(iris)))):
        label, types = found.get(r["o"], (None, set()))
        if r["type"]:
            types.add(r["type"])
        found[r["o"]] = (min(filter(None, (label, r["label"])), default=None), types)
    return found


def exists(store: GraphStore, iri: str) -> bool:
    """Whether the graph says anything about `iri` (as subject or object)."""
    e = sparql_iri(iri)
    return bool(store.ox_query(f"ASK {{ {{ {e} ?p ?o }} UNION {{ ?s ?p {e} }} }}"))

