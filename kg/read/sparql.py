"""The SPARQL helpers every read model uses: safe IRIs and literals, rows as Python values, names, classes.

The API layer renders; this package asks. Every query of the pages lives in `kg/read/` (`overview`,
`describe`, `report_view`, `search`, `compare`), so the SPARQL stays next to the store and the pages can
be tested without HTTP. User input never reaches a query as text: names become IRIs through
`sparql_iri` (which rejects what is not an IRI) and strings become literals through `sparql_str`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from sys import intern
from typing import Any

import pyoxigraph as ox

from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import PK, PREFIXES
from policekg.kg.rdf.store import GraphStore
from policekg.schema.vocabulary import BY_NAME, GROUPED_CLASSES, PAGE_PARENT, REPORT_PARTS

#: Classes in the order pages list them; an entity with several types is shown under the first.
CLASS_ORDER: tuple[str, ...] = GROUPED_CLASSES + tuple(p.name for p in REPORT_PARTS)

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


def values(var: str, iris: Iterable[str] | None) -> str:
    """`VALUES ?var {…}` of some IRIs ("" for None or none: no restriction); QueryError for a bad IRI."""
    if not iris:
        return ""
    return f"VALUES ?{var} {{ {' '.join(sparql_iri(i) for i in sorted(iris))} }}"


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


#: Graphs one query reads by name (`each_graph`); more are read by several queries.
GRAPHS_A_QUERY = 200


def each_graph(graphs: list[str], body: str, var: str = "report") -> list[str]:
    """The pattern `body` read inside each of `graphs` by name, `?var` bound to the graph, as the WHERE
    clauses of one query or more (at most `GRAPHS_A_QUERY` graphs each): `{ GRAPH <g> { body } BIND(<g>
    AS ?var) } UNION …`. Where `VALUES ?var {…} GRAPH ?var { body }` lets Oxigraph read `body` in every
    graph first and join afterwards (a UNION or OPTIONAL inside it does), each branch here reads one
    graph's own part: the work grows with the graphs named, not the store. `body` must not use `?var`."""
    branches = [f"{{ GRAPH {g} {{ {body} }} BIND({g} AS ?{var}) }}" for g in map(sparql_iri, graphs)]
    return [" UNION ".join(branches[start:start + GRAPHS_A_QUERY])
            for start in range(0, len(branches), GRAPHS_A_QUERY)]


def class_name(iri: str) -> str:
    """`https://w3id.org/policekg/ontology#Program` → `Program` (other IRIs: their last part)."""
    return iri.rsplit("#", 1)[-1] if iri.startswith(str(PK)) else iri.rsplit("/", 1)[-1]


def status_name(iri: str | None) -> str | None:
    """A section's or measure's `pk:Done` → `Done`; None when it has no status."""
    return class_name(iri) if iri else None


def main_class(types: list[str] | set[str]) -> str | None:
    """The one class an entity is listed under, from all its `rdf:type`s (pk: names or full IRIs)."""
    names = {PAGE_PARENT.get(class_name(t), class_name(t)) for t in types}
    names -= {BY_NAME[n].parent for n in names if n in BY_NAME}  # a formulation is not listed as a program
    return next((c for c in CLASS_ORDER if c in names), None)


#: Names and classes of many resources at once. A figure has no label: its indicator and value name it.
_NAMES = """
SELECT DISTINCT ?o ?label ?type WHERE {
  VALUES ?o { %s }
  { ?o rdfs:label ?label FILTER(LANG(?label) != "en") } UNION { ?o a ?type }
  UNION { ?o pk:indicator/rdfs:label ?ind ; pk:value ?val FILTER(LANG(?ind) != "en")
          BIND(CONCAT(?ind, " ", STR(?val)) AS ?label) }
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


def iri_rows(store: GraphStore, query: str) -> Iterator[list[str]]:
    """The rows of a SELECT answering IRIs only, for a scan of many: Oxigraph writes its own TSV (no
    Python object per term) to a file read back a line at a time (the answer of a scan held whole took
    more memory than the rows kept), every IRI one string however many rows name it."""
    with tempfile.TemporaryFile() as answer:
        store.ox_query(query).serialize(answer, format=ox.QueryResultsFormat.TSV)
        answer.seek(0)
        answer.readline()  # the variables
        for line in answer:
            yield [intern(term[1:-1]) for term in line.decode().rstrip("\n").split("\t")]
