"""What a page reads grows with the page, not with the store (issue 14), on a real Oxigraph store on disk.

A neighbourhood, a program's comparison and an entity's figures are read from what names them: adding
reports that name none of it leaves the queries and the rows they read the same. What /reports, /compare
and /graph read of every report is computed once per state of the store and kept beside it: read back
while the store is unchanged, computed again after a write. Nothing here measures time.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from conftest import copy_of, small_report

from policekg.api import drawing
from policekg.kg.network import analysis, views
from policekg.kg.network.views import (
    TooManyNodes,
    _add_issuers,
    entity_graph,
    entity_nodes,
    naming_reports,
    neighbourhood_graph,
)
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PK, entity_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.read import compare, overview, reports
from policekg.kg.read import describe as describe_module
from policekg.kg.read.compare import by_bureau, program_across, program_page, program_reports
from policekg.kg.read.describe import describe, figures
from policekg.kg.read.kept import kept_file
from policekg.kg.read.reports import keep_reports

FENGQIAO = str(entity_iri("Program", "枫桥经验"))
#: Reports naming nothing the gold reports name: new bureaus, a program and a platform of their own.
UNRELATED = [small_report(f"{place}县公安局", f"{place}县公安局推行“{place}说事”工作法。",
                          "依托“码上办”平台办理。") for place in ("甲", "乙", "丙")]


class Reads:
    """The store's queries, counted: how many, how many rows each kind of query returned, and their text."""

    def __init__(self, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queries = 0
        self.rows: Counter[str] = Counter()
        self.texts: list[tuple[str, int]] = []
        real = store.ox_query

        def counted(sparql: str, **kwargs):
            result = real(sparql, **kwargs)
            self.queries += 1
            if not hasattr(result, "variables"):
                return result
            found = _Rows(result)
            self.rows[" ".join(sparql.split())[:60]] += len(found)
            self.texts.append((sparql, len(found)))
            return found

        monkeypatch.setattr(store, "ox_query", counted)


class _Rows(list):
    """A query's solutions read to the end, still answering `.variables` as Oxigraph's do."""

    def __init__(self, result) -> None:
        super().__init__(result)
        self.variables = result.variables


@pytest.fixture
def store(graph_store_path: Path, tmp_path: Path) -> GraphStore:
    db = GraphStore(copy_of(graph_store_path, tmp_path))
    yield db
    db.close()


def _add_unrelated(store: GraphStore, extractor) -> None:
    for text in UNRELATED:
        store.replace_graph(*_graph_of(extractor, text))


def _work(store: GraphStore, monkeypatch: pytest.MonkeyPatch, read) -> tuple[int, Counter[str], object]:
    with monkeypatch.context() as patch:
        reads = Reads(store, patch)
        answer = read()
    return reads.queries, reads.rows, answer


def test_a_neighbourhood_reads_as_much_whatever_else_the_store_holds(store, extractor, monkeypatch):
    """The reports it is drawn from are dated by the list of reports, which a writer keeps after writing."""
    keep_reports(store, store.state())
    queries, rows, before = _work(store, monkeypatch, lambda: neighbourhood_graph(store, FENGQIAO))
    _add_unrelated(store, extractor)
    keep_reports(store, store.state())
    assert len(store.report_graphs()) == 5 + len(UNRELATED)
    queries_after, rows_after, after = _work(store, monkeypatch, lambda: neighbourhood_graph(store, FENGQIAO))
    assert (queries_after, rows_after) == (queries, rows)
    assert set(after.edges(keys=True)) == set(before.edges(keys=True)) and len(after) > 3


@pytest.mark.parametrize("radius", [1, 2])
def test_a_neighbourhood_is_the_ego_graph_of_the_entity_graph_of_the_reports_naming_it(store, radius):
    """What the page promises, computed the long way: the entity graph of the reports naming the entity
    (for radius 2: naming it or a neighbour), every naming bureau tied to it, the ego graph around it."""
    own = naming_reports(store, [FENGQIAO])
    found = own
    for step in range(1, radius + 1):
        whole = entity_graph(store, sorted(found))
        _add_issuers(whole, FENGQIAO, own)
        expected = nx.ego_graph(whole, FENGQIAO, radius=step, undirected=True)
        found = naming_reports(store, sorted(expected))
    got = neighbourhood_graph(store, FENGQIAO, radius)
    assert set(got.edges(keys=True)) == set(expected.edges(keys=True))
    assert {n: got.nodes[n]["node"] for n in got} == {n: expected.nodes[n]["node"] for n in expected}
    for s, o, key, data in expected.edges(keys=True, data=True):
        sentences = sorted((e["sentence"], e["report"]) for e in data["evidence"])
        if key != str(PK.mentionedIn):  # a sentence naming the entity: any of its report's
            assert sorted((e["sentence"], e["report"]) for e in got[s][o][key]["evidence"]) == sentences
    assert any(got[s][o][k]["evidence"] for s, o, k in got.edges(keys=True) if k != str(PK.mentionedIn))


def test_a_neighbourhood_over_the_limit_stops_before_reading_names(store, monkeypatch):
    size = len(neighbourhood_graph(store, FENGQIAO))
    with monkeypatch.context() as patch:
        reads = Reads(store, patch)
        with pytest.raises(TooManyNodes, match=f"{size} nodes, more than the {size - 1}"):
            neighbourhood_graph(store, FENGQIAO, max_nodes=size - 1)
    named = [q[-120:] for q, _ in reads.texts if "rdfs:label" in q or "pk:evidence" in q]
    assert reads.texts and not named, named


def test_a_program_and_its_figures_read_as_much_whatever_else_the_store_holds(store, extractor, monkeypatch):
    """What the reports naming it are (issuer, year, title) comes from the list of reports, which a writer
    keeps after its writes (`keep_reports`, run here as `keep_overview` runs it)."""
    def read():
        return program_across(store, FENGQIAO), describe(store, FENGQIAO)

    keep_reports(store, store.state())
    queries, rows, before = _work(store, monkeypatch, read)
    _add_unrelated(store, extractor)
    keep_reports(store, store.state())
    queries_after, rows_after, after = _work(store, monkeypatch, read)
    assert (queries_after, rows_after) == (queries, rows) and after == before


def test_whole_store_tables_are_kept_for_a_state_and_computed_again_after_a_write(store, extractor,
                                                                                monkeypatch):
    counted: Counter[str] = Counter()
    for module, name in ((reports, "_list_reports"), (compare, "count_comparable"),
                         (analysis, "_analysed_shared")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, _real=real, _name=name: counted.update([_name]) or _real(*a))

    def read():
        return (reports.list_reports(store), compare.comparable(store, "Program"),
                analysis.shared_view(store)[0].graph.nodes(data="reach"))

    first = read()
    assert counted == {"_list_reports": 1, "count_comparable": 1, "_analysed_shared": 1}
    assert read() == first and sum(counted.values()) == 3, "read back, not computed again"
    assert kept_file(store.path, "reports").exists()
    _add_unrelated(store, extractor)
    listed, *_ = read()
    assert counted == {"_list_reports": 2, "count_comparable": 2, "_analysed_shared": 2}
    assert len(listed) == len(first[0]) + len(UNRELATED)


def test_a_store_without_a_directory_keeps_its_tables_in_memory_for_a_state(extractor, monkeypatch):
    counted: Counter[str] = Counter()
    real = reports._list_reports
    monkeypatch.setattr(reports, "_list_reports", lambda *a: counted.update(["listed"]) or real(*a))
    with GraphStore() as memory:  # as a store on a SPARQL server: no directory beside it
        _add_unrelated(memory, extractor)
        first = reports.list_reports(memory)
        assert reports.list_reports(memory) == first and counted["listed"] == 1, "kept, not listed again"
        memory.replace_graph(*_graph_of(extractor, small_report("第九市公安局", "开展普法宣传。")))
        assert len(reports.list_reports(memory)) == len(first) + 1 and counted["listed"] == 2


def _graph_of(extractor, text: str) -> tuple:
    graph = report_graph(extractor(text))
    return graph.identifier, graph


def test_the_writer_keeps_every_table_the_pages_read(store, monkeypatch):
    overview.keep_overview(store)
    for module, name in ((reports, "_list_reports"), (overview, "_overview"), (compare, "count_comparable"),
                         (analysis, "_analysed_shared")):
        monkeypatch.setattr(module, name, lambda *_, _name=name: pytest.fail(f"{_name} computed on a visit"))
    overview.overview(store)
    reports.list_reports(store)
    for cls in compare.COMPARABLE:
        compare.comparable(store, cls)
    for everything in (False, True):
        analysis.shared_view(store, everything)


@pytest.mark.parametrize("cls", ["Program", "PoliceUnit"])
def test_the_central_entities_are_counted_for_the_first_by_pagerank_only(store, cls):
    """The home page counts reports and mentions for the entities PageRank ranks first, not for every
    entity of the class: the same rows, ties at the last PageRank included, as counting them all."""
    analysis.refresh_analysis(store)
    for top in (3, 10):
        counted = overview.central(store, cls, top)
        everything = overview.rows(store, overview._CENTRAL % {
            "cls": cls, "top": top, "only": "", "apart": overview.apart(cls), "analysis": ANALYSIS_GRAPH})
        assert len(counted) == top and all(c.pagerank is not None for c in counted)
        assert [(c.iri, c.reports, c.mentions) for c in counted] == [
            (r["iri"], r["reports"], r["mentions"]) for r in everything]


def test_graph_pages_read_the_figures_of_the_nodes_they_draw(store, monkeypatch):
    analysis.refresh_analysis(store)
    every = analysis.current_metrics(store)
    some = sorted(every)[:3]
    with monkeypatch.context() as patch:
        reads = Reads(store, patch)
        assert analysis.current_metrics(store, some) == {iri: every[iri] for iri in some}
    assert max(n for q, n in reads.texts if "pagerank" in q) == len(some) < len(every)


def test_a_large_star_is_laid_out_around_its_hub_without_a_spring_layout_of_every_node(monkeypatch):
    star = nx.star_graph(drawing.SPRING_LIMIT * 3)
    star.add_edges_from([(1, 2), (2, 3)])  # a small core beside the hub
    sizes = []
    real = nx.spring_layout
    monkeypatch.setattr(nx, "spring_layout", lambda g, **kw: sizes.append(len(g)) or real(g, **kw))
    placed = drawing._cluster_layout(star, 1000.0)
    assert set(placed) == set(star) and sizes == [4]
    assert len({(round(x, 3), round(y, 3)) for x, y in placed.values()}) == len(star)


def test_a_comparison_page_reads_the_details_of_its_own_reports_only(store, monkeypatch):
    named = sorted(program_reports(store, FENGQIAO), key=by_bureau)
    assert len(named) > 1
    page = program_page(store, FENGQIAO, 2, 1)
    whole = {r["report"]: r for r in program_across(store, FENGQIAO).reports}
    assert page.total == len(named) and page.items == [whole[named[1]["report"]]]


def test_figures_of_some_reports_are_read_for_those_reports_only(profile_store_path, tmp_path, monkeypatch):
    store = GraphStore(copy_of(profile_store_path, tmp_path))
    indicator = str(entity_iri("Indicator", "disputes_resolved"))
    every = figures(store, indicator)
    one = every[0]["report"]
    assert {f["report"] for f in every} != {one}, "the figures come from several reports"
    with monkeypatch.context() as patch:
        reads = Reads(store, patch)
        mine = figures(store, indicator, {one})
    assert mine == [f for f in every if f["report"] == one]
    assert sum(n for q, n in reads.texts if "pk:indicator ?indicator" in q) == len(mine) < len(every)
    store.close()


def test_the_entity_graph_of_some_reports_read_graph_by_graph_is_the_whole_graphs_part(store, monkeypatch):
    """Of given reports, relations, evidence and entities (past `PAIR_LOOKUPS` pairs) are read in each
    report's graph by name (`each_graph`); of all of them, by one query over every graph: the two agree."""
    monkeypatch.setattr(views, "PAIR_LOOKUPS", 0)
    every = sorted(str(r) for r in store.report_graphs())
    whole, named = entity_graph(store), entity_graph(store, every)
    assert set(named.edges(keys=True)) == set(whole.edges(keys=True)) and len(whole.edges) > 10
    assert {n: named.nodes[n]["node"] for n in named} == {n: whole.nodes[n]["node"] for n in whole}
    for s, o, key, data in whole.edges(keys=True, data=True):
        evidence = sorted((e["sentence"], e["report"]) for e in data["evidence"])
        assert sorted((e["sentence"], e["report"]) for e in named[s][o][key]["evidence"]) == evidence
    nodes = set(list(whole)[:3])
    assert views._evidence(store, every, nodes) == views._evidence(store, None, nodes)
    assert entity_nodes(store, every, only=nodes) == entity_nodes(store, None, only=nodes)


def test_an_entity_page_names_the_first_neighbours_of_each_relation_and_counts_them_all(store, monkeypatch):
    whole = describe(store, FENGQIAO)
    links = {d: {p: len(rows) for p, rows in getattr(whole, d).items()} for d in ("outgoing", "incoming")}
    assert any(n > 1 for found in links.values() for n in found.values()), "a relation with several neighbours"
    assert whole.counts["out"].items() >= links["outgoing"].items()
    assert whole.counts["in"].items() >= links["incoming"].items()
    monkeypatch.setattr(describe_module, "SHOWN", 1)
    capped = describe(store, FENGQIAO)
    assert capped.counts == whole.counts
    for d in ("outgoing", "incoming"):
        assert {p: len(rows) for p, rows in getattr(capped, d).items()} == {p: 1 for p in links[d]}
        assert all(row in getattr(whole, d)[p] for p, rows in getattr(capped, d).items() for row in rows)
