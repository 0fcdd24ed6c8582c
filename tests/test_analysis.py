"""The network analysis on real reports (their gold annotations) in an Oxigraph store on disk.

Expected values are derived from the store with plain SPARQL, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import copy_of
from graph_fixtures import memory_copy
from rdflib import URIRef
from typer.testing import CliRunner

from policekg.api.cli import app
from policekg.kg.network import analysis, tallies
from policekg.kg.network.analysis import (
    AnalysisError,
    refresh_analysis,
    resolve,
    shortest_path,
    similar_bureaus,
)
from policekg.kg.network.views import bureau_program_graph, cooccurrence_graph, entity_graph, entity_nodes
from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PK
from policekg.kg.rdf.store import GraphStore


@pytest.fixture(scope="module")
def store(graph_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """A private copy (the analysis writes its graph)."""
    path = copy_of(graph_store_path, tmp_path_factory.mktemp("analysis"))
    db = GraphStore(path)
    yield db
    db.close()


@pytest.fixture(scope="module")
def egraph(store: GraphStore) -> nx.MultiDiGraph:
    return entity_graph(store)


def _rows(store: GraphStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.ox_query(sparql)
    return [tuple(row[v].value for v in result.variables) for row in result]


def test_entity_graph_has_an_edge_for_every_relation_between_entities(store, egraph):
    stated = _rows(store, """SELECT DISTINCT ?s ?p ?o WHERE {
        ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        ?s a pk:PoliceUnit . }""")
    assert stated
    for s, p, o in stated:
        assert egraph.has_edge(s, o, key=p), (s, p, o)


def test_the_whole_store_s_edges_read_from_the_merge_are_those_read_report_by_report(store):
    """All reports' edges come from scans of the merge joined in Python; naming every report reads them
    graph by graph in SPARQL (`_PROJECT`): the same edges."""
    from policekg.kg.network.views import _edges

    merged = _edges(store, None)
    assert len(merged) > 10 and merged == _edges(store, [str(r) for r in store.report_graphs()])


def test_measure_relations_hang_on_the_publisher_when_no_performer_is_named(store, egraph):
    projected = _rows(store, """SELECT DISTINCT ?pub ?p ?o WHERE { GRAPH ?r {
        ?st a rdf:Statement ; rdf:subject ?m ; rdf:predicate ?p ; rdf:object ?o .
        ?m a pk:Measure . FILTER NOT EXISTS { ?m pk:performedBy ?u } FILTER(?p != pk:performedBy)
        ?r dcterms:publisher ?pub } }""")
    assert len(projected) > 20
    for pub, p, o in projected:
        assert egraph.has_edge(pub, o, key=p), (pub, p, o)
    measures = {iri for iri, in _rows(store, "SELECT ?m WHERE { ?m a pk:Measure }")}
    assert not measures & set(egraph.nodes), "measures are report-local: not nodes of the entity graph"


def test_every_edge_carries_evidence_sentences_from_its_report(store, egraph):
    texts = dict(_rows(store, "SELECT ?r ?t WHERE { GRAPH ?r { ?r pk:fullText ?t } }"))
    for s, o, p, data in egraph.edges(keys=True, data=True):
        assert data["evidence"], (s, p, o)
        for ev in data["evidence"]:
            assert ev["sentence"] in texts[ev["report"]]


def test_isolated_entities_are_nodes_with_their_names(store, egraph):
    named = {iri for iri, in _rows(store, "SELECT DISTINCT ?e WHERE { ?e a pk:Program }")}
    assert named <= set(egraph.nodes)
    node = egraph.nodes[next(iter(named))]["node"]
    assert node.cls == "Program" and node.label and node.reports


def test_cooccurrence_weight_counts_the_measures_naming_both(store):
    g = cooccurrence_graph(store)
    spans = {m: (int(a), int(b), r) for m, a, b, r in _rows(store, """SELECT ?m ?a ?b ?r WHERE {
        ?m a pk:Measure ; pk:start ?a ; pk:end ?b ; pk:inReport ?r }""")}
    texts = dict(_rows(store, "SELECT ?r ?t WHERE { GRAPH ?r { ?r pk:fullText ?t } }"))
    nodes = entity_nodes(store)
    heaviest = sorted(g.edges(data=True), key=lambda e: -e[2]["weight"])[:5]
    assert heaviest and heaviest[0][2]["weight"] > 1
    for a, b, data in heaviest:
        assert data["weight"] == len(set(data["measures"]))
        for m in data["measures"]:
            start, end, report = spans[m]
            text = texts[report][start:end]
            for iri in (a, b):
                names = [nodes[iri].label, *nodes[iri].aliases]
                named = any(n in text for n in names)
                assert named or bool(store.ox_query(f"ASK {{ <{m}> ?p <{iri}> }}")), (m, iri)


def test_bureau_similarity_is_the_jaccard_of_their_programs(store):
    programs: dict[str, set[str]] = {}
    for bureau, program in _rows(store, """SELECT DISTINCT ?b ?p WHERE { GRAPH ?r {
            ?r dcterms:publisher ?b . ?p a pk:Program ; pk:mentionedIn ?r } }"""):
        programs.setdefault(bureau, set()).add(program)
    assert len(programs) >= 4
    bipartite = bureau_program_graph(store)
    for bureau, mine in programs.items():
        ranked = similar_bureaus(bipartite, bureau)
        assert {other for other, _, _ in ranked} == set(programs) - {bureau}
        for other, score, shared in ranked:
            theirs = programs[other]
            assert score == pytest.approx(len(mine & theirs) / len(mine | theirs))
            assert set(shared) == mine & theirs
        assert [s for _, s, _ in ranked] == sorted((s for _, s, _ in ranked), reverse=True)


def test_results_are_stored_as_triples_sparql_can_sort(store, egraph):
    refresh_analysis(store, force=True)
    top = _rows(store, f"""SELECT ?e ?pr WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ ?e pk:pagerank ?pr }} }}
                           ORDER BY DESC(?pr) LIMIT 3""")
    computed = analysis.analyse(egraph)
    best = max(computed, key=lambda iri: computed[iri].pagerank)
    assert top[0][0] == best
    assert float(top[0][1]) == pytest.approx(computed[best].pagerank, abs=1e-7)
    counted = _rows(store, f"""SELECT (COUNT(?e) AS ?n) WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{
        ?e pk:degree ?d ; pk:betweenness ?b ; pk:community ?c }} }}""")
    assert int(counted[0][0]) == len(egraph)
    degree = computed[best].degree
    assert degree == len(set(egraph.successors(best)) | set(egraph.predecessors(best)))


def test_communities_are_reproducible_and_stored(store, egraph):
    first = analysis.communities(analysis.simple_graph(egraph))
    again = analysis.communities(analysis.simple_graph(egraph))
    assert first == again
    assert len(set(first.values())) > 1
    stored = analysis.current_metrics(store)
    assert {iri: m.community for iri, m in stored.items()} == first


def test_refresh_recomputes_only_when_the_reports_change(graph_store_path: Path):
    store = memory_copy(graph_store_path)  # this test changes reports: a store of its own
    assert refresh_analysis(store) is True
    assert refresh_analysis(store) is False
    hostile = next(g for g in store.report_graphs() if "恶意" in g)
    graph = store.graph(hostile)
    statement = next(graph.subjects(PK.evidence, None))
    graph.remove((statement, None, None))  # same text (same pk:sha256), fewer triples
    store.replace_graph(hostile, graph)
    assert refresh_analysis(store) is True
    assert refresh_analysis(store) is False
    store.remove_graph(hostile)
    assert refresh_analysis(store) is True
    gone = [iri for iri, node in entity_nodes(store).items() if node.reports == [str(hostile)]]
    assert not gone
    assert not any("恶意" in iri for iri in analysis.current_metrics(store))


@pytest.mark.parametrize("pivots", [None, 7])
def test_betweenness_by_matrix_products_is_networkx_s(egraph, pivots):
    """The same figures as networkx on the test reports' entity graph, exact and from sampled sources."""
    from policekg.kg.network import brandes

    g = analysis.simple_graph(egraph)
    mine = brandes.betweenness(g, pivots, seed=3)
    theirs = nx.betweenness_centrality(g, k=pivots, seed=3)
    assert mine.keys() == theirs.keys() and max(theirs.values()) > 0
    assert all(abs(mine[v] - theirs[v]) < 1e-12 for v in g)


def test_betweenness_is_exact_while_cheap_and_estimated_from_pivots_beyond():
    steps, pivots = analysis.BETWEENNESS_STEPS, analysis.BETWEENNESS_PIVOTS
    assert analysis._pivots(100, steps // 100) is None
    assert analysis._pivots(300, 9_000) == pivots  # a small but dense graph (the /graph overview's)
    assert analysis._pivots(100_000, 300_000) == pivots
    assert analysis._pivots(pivots, steps) is None  # no more nodes than pivots: exact


def test_a_large_store_is_computed_apart_with_the_same_figures(graph_store_path: Path, tmp_path: Path):
    """Below `APART_FROM_REPORTS` the figures are computed in the writer's process; above, in a process
    of its own over a read-only view. Both must give the same figures (seeded, so exactly the same)."""
    with GraphStore(copy_of(graph_store_path, tmp_path)) as store:
        reports = len(store.report_graphs())
        here = analysis.computed_apart(store, reports)
        apart = analysis.computed_apart(store, analysis.APART_FROM_REPORTS)
    assert here.metrics and apart == here


#: What the kept counts of programs and years say, and the same counted from the report graphs.
_KEPT_PROGRAMS = """SELECT ?p ?n ?b WHERE { ?p a pk:Program .
  GRAPH pkr:analysis { ?p pk:reportCount ?n ; pk:bureauCount ?b } }"""
_COUNTED_PROGRAMS = """SELECT ?p (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?pub) AS ?b)
WHERE { GRAPH ?r { ?p a pk:Program . ?r dcterms:publisher ?pub } } GROUP BY ?p"""
_KEPT_YEARS = "SELECT ?y ?n WHERE { GRAPH pkr:analysis { ?x a pk:Year ; pk:year ?y ; pk:reportCount ?n } }"
_COUNTED_YEARS = "SELECT ?y (COUNT(?r) AS ?n) WHERE { GRAPH ?r { ?r a pk:Report ; pk:year ?y } } GROUP BY ?y"


def test_the_kept_counts_follow_the_reports_once_the_analysis_is_refreshed(graph_store_path: Path):
    """Written with the figures, stale after a write until the next refresh, then right again."""
    store = memory_copy(graph_store_path)
    refresh_analysis(store)
    before = sorted(_rows(store, _KEPT_PROGRAMS))
    assert before and before == sorted(_rows(store, _COUNTED_PROGRAMS))
    assert sorted(_rows(store, _KEPT_YEARS)) == sorted(_rows(store, _COUNTED_YEARS))
    store.remove_graph(store.report_graphs()[0])
    stale = sorted(_rows(store, _KEPT_PROGRAMS))  # of the programs other reports still name
    assert set(stale) <= set(before) and stale != sorted(_rows(store, _COUNTED_PROGRAMS))
    assert refresh_analysis(store) is True
    assert sorted(_rows(store, _KEPT_PROGRAMS)) == sorted(_rows(store, _COUNTED_PROGRAMS))
    assert sorted(_rows(store, _KEPT_YEARS)) == sorted(_rows(store, _COUNTED_YEARS))


_COUNTED_OF_CLASS = """SELECT ?e (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?pub) AS ?b)
WHERE {{ GRAPH ?r {{ ?e a pk:{} . ?r dcterms:publisher ?pub }} }} GROUP BY ?e"""


@pytest.mark.parametrize("kind", ["Program", "LegalInstrument"])
def test_the_kept_ranking_is_the_place_by_bureaus_then_reports_cut_after_its_length(
        graph_store_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str):
    """A place is one more than the entities of the class counted ahead (more bureaus, or as many and
    more reports), so ties share it; places beyond `RANKED` are not kept."""
    monkeypatch.setattr(tallies, "RANKED", 3)
    plain = _rows(memory_copy(graph_store_path), _COUNTED_OF_CLASS.format(kind))
    counted = {e: (int(b), int(n)) for e, n, b in plain}
    places = {e: 1 + sum(other > mine for other in counted.values()) for e, mine in counted.items()}
    kept = tallies.count(memory_copy(graph_store_path)).counts
    expected = {e: p if p <= 3 else None for e, p in places.items()}
    assert {e: kept[e].get("bureauRank") for e in counted} == expected
    assert max(places.values()) > 3, "the store's classes are too short to show the cut"


def test_shortest_path_across_reports_says_why_each_edge_exists(store, egraph):
    nodes = {iri: d["node"] for iri, d in egraph.nodes(data=True)}
    source, target = resolve(nodes, "周巷派出所"), resolve(nodes, "宜昌市公安局")
    steps = shortest_path(egraph, source, target)
    hops = nx.shortest_path_length(analysis.simple_graph(egraph), source, target)
    touched = {source, target}
    for step in steps:
        assert step.evidence and egraph.has_edge(step.source, step.target, key=step.predicate)
        touched |= {step.source, step.target}
    assert len(touched) == hops + 1


def test_unconnected_and_ambiguous_names_are_clear_errors(store, egraph):
    nodes = {iri: d["node"] for iri, d in egraph.nodes(data=True)}
    isolated = next(iri for iri in egraph if egraph.degree(iri) == 0)
    with pytest.raises(AnalysisError, match="no chain"):
        shortest_path(egraph, resolve(nodes, "周巷派出所"), isolated)
    with pytest.raises(AnalysisError, match="several entities"):
        resolve(nodes, "市局")
    with pytest.raises(AnalysisError, match="no entity called"):
        resolve(nodes, "不存在的单位")
    assert resolve(nodes, "program/枫桥经验") == resolve(nodes, "枫桥经验") == str(URIRef(
        "https://w3id.org/policekg/id/program/枫桥经验"))


def test_a_report_filter_cannot_break_out_of_its_iri(store):
    with pytest.raises(QueryError):
        entity_graph(store, ["x> } } SELECT * { ?s ?p ?o"])
    assert len(entity_graph(store, [str(store.report_graphs()[0])])) > 0


def test_cli_prints_centrality_path_and_similarity(graph_store_path: Path, tmp_path: Path):
    path = copy_of(graph_store_path, tmp_path)
    runner = CliRunner()
    central = runner.invoke(app, ["analyze", "centrality", "--store", str(path), "--top", "3"])
    assert central.exit_code == 0, central.output
    db = memory_copy(graph_store_path)  # the CLI still holds the on-disk copy
    metrics, nodes = analysis.current_metrics(db), entity_nodes(db)
    pairs = _rows(db, "SELECT ?a ?b WHERE { ?a pk:partOf ?b } ORDER BY ?a LIMIT 1")
    best = max(metrics, key=lambda iri: metrics[iri].pagerank)
    assert nodes[best].label in central.output
    legal = runner.invoke(app, ["analyze", "centrality", "--store", str(path), "--class", "LegalInstrument"])
    laws = {nodes[iri].label for iri in metrics if iri in nodes and nodes[iri].cls == "Law"}
    assert legal.exit_code == 0 and laws and any(law in legal.output for law in laws)  # a law is a legal instrument

    unit, bureau = (nodes[iri].label for iri in pairs[0])
    found = runner.invoke(app, ["analyze", "path", unit, bureau, "--store", str(path)])
    assert found.exit_code == 0, found.output
    assert f"{unit} —partOf→ {bureau}" in found.output and "“" in found.output

    similar = runner.invoke(app, ["analyze", "similar", "慈溪市公安局", "--store", str(path)])
    assert similar.exit_code == 0 and "隆德县公安局" in similar.output and "枫桥经验" in similar.output
    unknown = runner.invoke(app, ["analyze", "similar", "不存在的公安局", "--store", str(path)])
    assert unknown.exit_code == 1 and "no entity called" in unknown.output

    groups = runner.invoke(app, ["analyze", "communities", "--store", str(path)])
    assert groups.exit_code == 0 and "members (by PageRank)" in groups.output


def test_seed_store_from_the_extractor_gets_a_figure_for_every_entity(seed_store_path: Path):
    db = memory_copy(seed_store_path)
    assert refresh_analysis(db) is True
    assert set(analysis.current_metrics(db)) == set(entity_graph(db).nodes)


def test_pyvis_network_carries_no_html_titles_or_heading(store, egraph):
    """pyvis shows a title holding "href" as raw HTML and puts the heading in unescaped: we set neither."""
    from policekg.api.drawing import network

    metrics = analysis.analyse(egraph)
    net = network(egraph, metrics)
    assert (net.num_nodes(), net.num_edges()) == (len(egraph), egraph.number_of_edges())
    assert not any("title" in item for item in [*net.nodes, *net.edges])
    assert net.heading == ""
    hostile = next(n for n in net.nodes if "onerror" in n["label"])  # shown as a canvas label: text
    assert hostile["label"].startswith("<img")
    sizes = {n["id"]: n["size"] for n in net.nodes}
    best = max(metrics, key=lambda iri: metrics[iri].pagerank)
    assert sizes[best] == max(sizes.values())
