"""The default graph is the RDF merge of the report graphs: each distinct triple once (issue 14).

Oxigraph's own union default graph repeats a triple once per graph holding it (oxigraph#1919), so the
truth here is computed apart, in rdflib, from the set of triples the named graphs hold; and every
write (ingest, replace, remove, SPARQL Update) must leave the store's default graph equal to that set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA
from rdflib import Graph

from policekg.extract import Extractor
from policekg.kg.cli.common import report_ref
from policekg.kg.ingest.report import extract_report, ingest_file
from policekg.kg.rdf.errors import StoreError
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PREFIXES
from policekg.kg.rdf.store import LOADS_FILE, PENDING_FILE, GraphStore
from policekg.kg.sample import SAMPLE_REPORT

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
PROGRAMS = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }"
IMPLEMENTS = ("SELECT ?l (COUNT(?m) AS ?n) WHERE { ?m pk:implements ?p . ?p rdfs:label ?l } "
              "GROUP BY ?l ORDER BY DESC(?n) ?l")
#: Reports that share bureaus, programs and indicators with the seed (and the seed again as 2021).
SHARING = ("101_longde_county_2024", "104_wencheng_county_2021", "103_yichang_city_2022")


@pytest.fixture
def store(tmp_path: Path, extractor: Extractor) -> GraphStore:
    db = GraphStore(tmp_path / "store")
    ingest_file(db, extractor, SAMPLE_REPORT)
    ingest_file(db, extractor, SAMPLE_REPORT, year=2021)
    for name in SHARING:
        gold = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
        ingest_file(db, extractor, DATA / f"{name}.txt", issuer=gold["issuer"], year=gold["year"])
    yield db
    db.close()


def _triples(quads) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in quads}


def named_merge(store: GraphStore) -> set[tuple]:
    """The set of triples the report graphs hold, read graph by graph (the analysis graph is no report)."""
    return _triples(q for q in store.ox
                    if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value != str(ANALYSIS_GRAPH))


def default_graph(store: GraphStore) -> set[tuple]:
    return _triples(store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def truth(store: GraphStore, query: str) -> list[tuple[str, ...]]:
    """The answer over one graph holding each distinct triple once, by rdflib's own engine."""
    merged = Graph()
    triples = [ox.Triple(*t) for t in named_merge(store)]
    merged.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return [tuple(str(v) for v in row) for row in merged.query(PROLOGUE + query)]


def answer(store: GraphStore, query: str, **kwargs) -> list[tuple[str, ...]]:
    solutions = store.ox.query(PROLOGUE + query, **kwargs)
    return [tuple(s[v].value for v in solutions.variables) for s in solutions]


def test_counts_and_joins_over_the_default_graph_are_the_truth(store: GraphStore) -> None:
    assert default_graph(store) == named_merge(store)
    for query in (PROGRAMS, IMPLEMENTS):
        expected = truth(store, query)
        assert expected and answer(store, query) == expected
        assert [tuple(str(v) for v in row) for row in store.query(query)] == expected  # through rdflib too
    # The reports do share what is counted: Oxigraph's union default graph overcounts it.
    union = answer(store, PROGRAMS, use_default_graph_as_union=True)
    assert int(union[0][0]) > int(truth(store, PROGRAMS)[0][0])


def test_graph_clause_still_separates_the_reports(store: GraphStore) -> None:
    per_report = answer(store, "SELECT ?r (COUNT(?p) AS ?n) WHERE { GRAPH ?r { ?r a pk:Report . "
                               "?p a pk:Program } } GROUP BY ?r ORDER BY ?r")
    assert len(per_report) == 2 + len(SHARING)
    for report, n in per_report:
        one = store.graph(report)
        assert int(n) == len(set(one.query(PROLOGUE + "SELECT ?p WHERE { ?p a pk:Program }")))


def test_replacing_or_removing_a_report_keeps_what_the_others_hold(store: GraphStore,
                                                                    extractor: Extractor) -> None:
    seed_2021 = report_ref("慈溪市公安局/2021")
    shared = _triples(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(seed_2021))))
    assert store.remove_graph(seed_2021)
    assert default_graph(store) == named_merge(store)
    assert shared - default_graph(store), "the 2021 copy's own triples (its report node) left the merge"
    assert len(shared & default_graph(store)) > 100, "what the 2022 seed holds too stayed"
    # A replacement holding less: the merge loses only what no other graph holds.
    longde = store.report_graphs()[0]
    kept = Graph(identifier=longde)
    for triple in list(store.graph(longde))[::2]:
        kept.add(triple)
    store.replace_graph(longde, kept)
    assert _triples(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(longde)))) == \
        _triples(ox.parse(kept.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
    assert default_graph(store) == named_merge(store)
    assert not any(g.value.startswith("urn:policekg:") for g in store.ox.named_graphs())  # no staging left
    ingest_file(store, extractor, SAMPLE_REPORT, year=2021)
    assert default_graph(store) == named_merge(store)
    assert answer(store, IMPLEMENTS) == truth(store, IMPLEMENTS)


def test_a_sparql_update_keeps_the_merge(store: GraphStore) -> None:
    seed, seed_2021 = (ox.NamedNode(str(report_ref(r))) for r in ("慈溪市公安局/2022", "慈溪市公安局/2021"))

    def holders(q: ox.Quad) -> set:
        found = store.ox.quads_for_pattern(q.subject, q.predicate, q.object)
        return {h.graph_name for h in found} - {ox.DefaultGraph()}

    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    both = next(q for q in store.ox.quads_for_pattern(None, label, None, seed_2021)
                if holders(q) == {seed, seed_2021})
    pattern = f"{both.subject} rdfs:label ?l"
    store.update(f"DELETE {{ GRAPH {seed_2021} {{ {pattern} }} }} "
                 f"WHERE {{ GRAPH {seed_2021} {{ {pattern} }} }}")
    assert answer(store, f"SELECT ?l WHERE {{ {pattern} }}")  # the 2022 graph still holds it
    store.update(f"DELETE WHERE {{ GRAPH {seed} {{ {pattern} }} }} ;")
    assert not answer(store, f"SELECT ?l WHERE {{ {pattern} }}")
    assert default_graph(store) == named_merge(store)


def _extracted(extractor: Extractor, name: str) -> tuple[str, bytes]:
    gold = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
    ex = extract_report(extractor, DATA / f"{name}.txt", {"issuer": gold["issuer"], "year": gold["year"] + 10})
    return str(ex.graph), ex.ntriples


def test_new_reports_written_in_one_bulk_load_keep_the_merge(store: GraphStore, extractor: Extractor) -> None:
    before = set(store.report_graphs())
    batch = [_extracted(extractor, name) for name in SHARING]
    store.add_new_graphs(batch)
    assert {str(g) for g in set(store.report_graphs()) - before} == {iri for iri, _ in batch}
    assert default_graph(store) == named_merge(store)
    assert answer(store, IMPLEMENTS) == truth(store, IMPLEMENTS)
    with pytest.raises(StoreError, match="new graphs only"):
        store.add_new_graphs(batch[:1])


def test_bulk_loads_are_merged_once_enough_have_piled_up_across_runs(store: GraphStore, extractor: Extractor,
                                                                     monkeypatch) -> None:
    from policekg.kg.rdf import store as store_module

    monkeypatch.setattr(store_module, "COMPACT_AFTER_LOADS", 2)
    merged: list[int] = []
    monkeypatch.setattr(ox.Store, "optimize", lambda self: merged.append(1))
    first, second = ([_extracted(extractor, name)] for name in SHARING[:2])
    path = store.path
    store.add_new_graphs(first)
    store.settle()
    assert not merged and (path / LOADS_FILE).read_text() == "1"
    store.close()
    with GraphStore(path) as reopened:  # a later run counts the loads earlier runs left
        reopened.add_new_graphs(second)
        reopened.settle()
        assert merged == [1] and not (path / LOADS_FILE).exists()


class _Interrupted:
    """A store whose bulk load writes the first half of what it is given, then dies (a kill, say)."""

    def __init__(self, real: ox.Store) -> None:
        self.real = real

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def bulk_load(self, data: bytes, fmt: ox.RdfFormat) -> None:
        lines = data.splitlines(keepends=True)
        self.real.bulk_load(b"".join(lines[: len(lines) // 2]), fmt)
        raise KeyboardInterrupt


def test_a_bulk_load_cut_short_is_undone_when_the_store_is_next_opened(store: GraphStore,
                                                                        extractor: Extractor) -> None:
    path, graphs, merge = store.path, set(store.report_graphs()), named_merge(store)
    batch = [_extracted(extractor, name) for name in SHARING]
    store._ox = _Interrupted(store._ox)
    with pytest.raises(KeyboardInterrupt):
        store.add_new_graphs(batch)
    assert (path / PENDING_FILE).exists()
    store._ox = store._ox.real
    assert len(store.report_graphs()) > len(graphs), "half of the batch went in before the interruption"
    store.close()
    with GraphStore(path) as reopened:
        assert set(reopened.report_graphs()) == graphs
        assert default_graph(reopened) == named_merge(reopened) == merge
        assert not (path / PENDING_FILE).exists()


def test_the_analysis_replaced_step_by_step_stays_out_of_the_merge(store: GraphStore, monkeypatch) -> None:
    from policekg.kg.network.analysis import refresh_analysis
    from policekg.kg.rdf import store as store_module

    monkeypatch.setattr(store_module, "_OWN_GRAPH_STEP", 97)  # many steps on the test data
    pagerank = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e <{PREFIXES['pk']}pagerank> ?v }}"
    in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ ?e <{PREFIXES['pk']}pagerank> ?v }} }}"
    analysed = ox.NamedNode(str(ANALYSIS_GRAPH))
    for _ in range(2):  # written, then replaced
        assert refresh_analysis(store, force=True)
        assert default_graph(store) == named_merge(store)
        assert answer(store, pagerank) == [("0",)] and int(answer(store, in_graph)[0][0]) > 97
    store.update(f"INSERT DATA {{ GRAPH <{ANALYSIS_GRAPH}> {{ <urn:x> <urn:y> <urn:z> }} }}")
    assert default_graph(store) == named_merge(store), "an update's remerge leaves the analysis out too"
    # a store written when the analysis was merged too: its copies in the merge go with the next results
    old = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
           for q in store.ox.quads_for_pattern(None, None, None, analysed)]
    store.ox.extend(old)
    assert refresh_analysis(store, force=True)
    assert default_graph(store) == named_merge(store)


