"""The store itself: named graphs per report, the union default graph, and Oxigraph's own engine."""

from __future__ import annotations

import pytest
import rdflib.plugins.sparql.processor as rdflib_sparql
from rdflib import Graph, Literal, URIRef

from policekg.extract import Extraction
from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import PK
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph


@pytest.fixture
def store(seed_extraction: Extraction) -> GraphStore:
    db = GraphStore()  # in memory: persistence is not the subject here
    graph = report_graph(seed_extraction)
    db.replace_graph(graph.identifier, graph)
    return db


def test_queries_reach_oxigraph_as_strings_never_rdflibs_engine(store: GraphStore, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("rdflib's own SPARQL engine was used")

    monkeypatch.setattr(rdflib_sparql.SPARQLProcessor, "query", refuse)
    monkeypatch.setattr(rdflib_sparql, "prepareQuery", refuse)
    result = store.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pk:Measure }")
    assert int(next(iter(result))[0]) == 28


def test_union_default_graph_sees_every_report(store: GraphStore, seed_extraction: Extraction) -> None:
    other = Graph(identifier=URIRef("https://w3id.org/policekg/id/report/X/2020"))
    other.add((other.identifier, PK.year, Literal(2020)))
    other.add((other.identifier, PK.sha256, Literal("x")))
    store.replace_graph(other.identifier, other)
    years = {int(r[0]) for r in store.query("SELECT ?y WHERE { ?r pk:year ?y }")}
    assert years == {2020, seed_extraction.meta.year}


def test_replacing_one_graph_leaves_the_others(store: GraphStore) -> None:
    seed = store.report_graphs()[0]
    before = set(store.graph(seed))
    other = URIRef("https://w3id.org/policekg/id/report/X/2020")
    for value in ("first", "second"):
        g = Graph(identifier=other)
        g.add((other, PK.sha256, Literal(value)))
        store.replace_graph(other, g)
    assert set(store.graph(other)) == {(other, PK.sha256, Literal("second"))}
    assert set(store.graph(seed)) == before
    assert store.remove_graph(other) and not store.remove_graph(other)
    assert set(store.graph(seed)) == before


def test_malformed_query_raises_query_error_with_position(store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"1:\d+"):
        store.ox_query("SELECT ?s WHERE { ?s ?p }")


def test_has_report_names_report_graphs_only(store: GraphStore, seed_extraction: Extraction) -> None:
    graph = report_graph(seed_extraction)
    store.replace_graph(graph.identifier, graph)
    other = URIRef("https://w3id.org/policekg/resource/analysis")
    store.replace_graph(other, Graph().add((other, PK.computedAt, Literal("now"))))
    assert store.has_report(str(graph.identifier))
    assert not store.has_report(str(other)) and not store.has_report("not an IRI> } ASK {")


def test_every_write_but_the_analysis_changes_the_generation(tmp_path, seed_extraction: Extraction) -> None:
    from policekg.kg.rdf.iris import ANALYSIS_GRAPH

    db = GraphStore(tmp_path / "store")
    seen = [db.generation]
    graph = report_graph(seed_extraction)
    for write in (lambda: db.replace_graph(graph.identifier, graph),
                  lambda: db.replace_graph(graph.identifier, graph),
                  lambda: db.add_to_graph("http://example.org/g", graph),
                  lambda: db.update("DROP GRAPH <http://example.org/g>"),
                  lambda: db.remove_graph(graph.identifier)):
        write()
        seen.append(db.generation)
    assert None not in seen and len(set(seen)) == len(seen)
    db.replace_graph(ANALYSIS_GRAPH, Graph().add((ANALYSIS_GRAPH, PK.computedAt, Literal("now"))))
    assert not db.remove_graph(graph.identifier) and db.generation == seen[-1]
    db.close()
    assert GraphStore(tmp_path / "store", read_only=True).generation == seen[-1]  # kept on disk


def test_two_writes_at_once_each_change_the_generation(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server writes from several threads (two Graph Store PUTs at once): the second write's new
    generation lands while the first is half-way through writing its own, and neither fails."""
    import os

    import policekg.kg.rdf.store as store_module

    db = GraphStore(tmp_path / "store")
    replace, tokens = os.replace, []

    def interleaved(scratch, target):  # the first write is between its scratch file and its rename
        monkeypatch.setattr(store_module.os, "replace", replace)
        db.add_to_graph("http://example.org/b", Graph().add((PK.b, PK.p, Literal("b"))))
        tokens.append(db.generation)
        replace(scratch, target)

    monkeypatch.setattr(store_module.os, "replace", interleaved)
    db.add_to_graph("http://example.org/a", Graph().add((PK.a, PK.p, Literal("a"))))
    assert tokens[0] is not None and db.generation not in (None, tokens[0])
    assert sorted(p.name for p in (tmp_path / "store").glob("policekg.generation*")) == ["policekg.generation"]
    db.close()


class _Recording:
    """The pyoxigraph store, noting the triples each load writes and each update deletes."""

    def __init__(self, real) -> None:
        self.real, self.loaded, self.deleted = real, [], []

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def load(self, data: bytes, *args, **kwargs) -> None:
        self.loaded += data.decode().splitlines()
        self.real.load(data, *args, **kwargs)

    def update(self, sparql: str) -> None:
        self.deleted.append(sparql)
        self.real.update(sparql)


def test_the_analysis_graph_is_replaced_by_writing_what_changed_only(tmp_path) -> None:
    import pyoxigraph as ox

    from policekg.kg.network.analysis import _decimal
    from policekg.kg.rdf.iris import ANALYSIS_GRAPH

    def figures(values: list[float]) -> bytes:
        return "".join(f"<urn:e{i}> <{PK.pagerank}> {_decimal(v)} .\n" for i, v in enumerate(values)).encode()

    db = GraphStore(tmp_path / "store")
    db.replace_own_graph(ANALYSIS_GRAPH, figures([0.5, 0.25, 0.0, 1.0, 0.125]))
    db._ox = recording = _Recording(db._ox)
    db.replace_own_graph(ANALYSIS_GRAPH, figures([0.5, 0.25, 0.0, 1.0, 0.75, 0.3]))
    assert [line.split()[0] for line in recording.loaded] == ["<urn:e4>", "<urn:e5>"]
    assert len(recording.deleted) == 1
    assert "<urn:e4>" in recording.deleted[0] and "<urn:e3>" not in recording.deleted[0]
    held = {(q.subject.value, q.object.value)
            for q in db.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(ANALYSIS_GRAPH)))}
    assert held == {(t.subject.value, t.object.value)
                    for t in ox.parse(figures([0.5, 0.25, 0.0, 1.0, 0.75, 0.3]), ox.RdfFormat.N_TRIPLES)}
