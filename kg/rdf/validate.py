"""SHACL validation of the stored reports: does every report graph keep the contract of the ontology?

Each report graph is validated on its own (a report stands alone, and a violation is reported with the
graph it lives in). The ontology is mixed into the data graph so `sh:class` and `sh:targetClass` follow
`rdfs:subClassOf` (a `pk:Law` is a `pk:LegalInstrument`), but no RDFS inference runs: it would derive
the classes of relation objects from the property ranges, and the shapes checking those classes could
then never fail.

pyshacl runs on an in-memory Oxigraph store, not an rdflib graph: it re-parses a SPARQL-based constraint
for every focus node, and rdflib's parser is far slower at that (benchmarks/RESULTS.md). We mix the
ontology in ourselves, because pyshacl's own mixing (`ont_graph`) fails on an Oxigraph store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore
from policekg.schema import ONTOLOGY, SHAPES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where (graph, focus node, path), what is wrong (message, value), how bad."""

    graph: URIRef
    focus: Node
    path: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: Node | None = None

    def __str__(self) -> str:
        value = f" (value: {_short(self.value, 80)})" if self.value is not None else ""
        return (f"{self.severity}: {_short(self.focus)} {_short(self.path) if self.path is not None else '-'}: "
                f"{self.message}{value} [graph {_short(self.graph)}]")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes, parsed once per process."""
    return Graph().parse(SHAPES, format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology, parsed once per process."""
    return Graph().parse(ONTOLOGY, format="turtle")


@lru_cache(maxsize=1)
def _ontology_ntriples() -> bytes:
    return ontology_graph().serialize(format="nt", encoding="utf-8")


def validate_graph(data: Graph, graph: URIRef | None = None) -> list[Violation]:
    """Every SHACL result for one report graph (`data` is not modified)."""
    graph = graph if graph is not None else URIRef(str(data.identifier))
    return _validate_ntriples(data.serialize(format="nt", encoding="utf-8"), graph)


def validate(store: GraphStore, graph: URIRef | None = None,
             done: Callable[[URIRef, int], None] | None = None) -> list[Violation]:
    """Validate one report graph of the store, or all of them; raises StoreError for an unknown graph.

    `done(graph, results)` is called after each graph (a long run shows its progress with it).
    """
    graphs = store.report_graphs()
    if graph is not None:
        if URIRef(str(graph)) not in graphs:
            raise StoreError(f"no report graph <{graph}> in the store")
        graphs = [URIRef(str(graph))]
    violations: list[Violation] = []
    for iri in graphs:
        data = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri)))
        found = _validate_ntriples(data, iri)
        log.info("validated %s: %d results", iri, len(found))
        violations.extend(found)
        if done is not None:
            done(iri, len(found))
    return violations


def _validate_ntriples(data: bytes, graph: URIRef) -> list[Violation]:
    """Validate one graph given as N-Triples, in a scratch Oxigraph store with the ontology added."""
    work = ox.Store()
    work.load(data, format=ox.RdfFormat.N_TRIPLES)
    work.load(_ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    _conforms, report, _text = pyshacl.validate(work, shacl_graph=shapes_graph(), inference="none",
                                                allow_warnings=True, inplace=True)
    return sorted((_violation(report, r, graph) for r in report.subjects(RDF.type, SH.ValidationResult)),
                  key=lambda v: (str(v.focus), str(v.path), v.message))


def _violation(report: Graph, result: Node, graph: URIRef) -> Violation:
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    severity = report.value(result, SH.resultSeverity)
    return Violation(
        graph=graph,
        focus=report.value(result, SH.focusNode),
        path=report.value(result, SH.resultPath),
        message="; ".join(messages) or str(report.value(result, SH.sourceConstraintComponent)),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        value=report.value(result, SH.value),
    )


@lru_cache(maxsize=1)
def _namespaces() -> NamespaceManager:
    nsm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        nsm.bind(prefix, iri)
    return nsm


def _short(term: Node, width: int | None = None) -> str:
    """A term as a reader wants it: `pk:end`, `pkr:report/…/mention/3-9`, a literal cut to `width`."""
    text = term.n3(_namespaces()) if hasattr(term, "n3") else str(term)
    return text if width is None or len(text) <= width else text[: width - 1] + "…"
