"""The store-facing behaviour on every backend: the embedded store, Oxigraph server and Virtuoso.

One suite, parametrised by backend: ingest, replace, remove, queries with their counts, pages and
export answer the same. The servers are real processes started once per session (`backends.py`); a
server that cannot start fails these tests. Each server also holds a graph that is not ours, as a
shared server would: it must stay out of every answer.

Then what only a server can do wrong: the default graph with set semantics, the server's time limit,
a server that is down, rejects a write, or fails in the middle of an ingest.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from backends import SparqlServer, start_oxigraph, start_virtuoso
from conftest import free_port, small_report
from example_answers import answer_rows
from fastapi.testclient import TestClient
from rdflib import Graph
from typing_extensions import Self

from policekg.api.app import create_app
from policekg.api.sparql_examples import EXAMPLES
from policekg.extract import Extractor
from policekg.kg.config import Settings
from policekg.kg.network.analysis import refresh_analysis
from policekg.kg.rdf.errors import QueryError, RemoteError, RemoteUnavailable
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.remote import CATALOGUE_GRAPH, MERGE_GRAPH, RemoteStore
from policekg.kg.rdf.sparql_client import Endpoints
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph

PKR = "https://w3id.org/policekg/id/"
#: A graph of someone else's on the server, holding one of our triples and a program of its own.
FOREIGN = "http://example.org/elsewhere"
FOREIGN_DATA = (
    f"INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{PKR}program/枫桥经验> a <{PREFIXES['pk']}Program> . "
    f"<http://example.org/x> a <{PREFIXES['pk']}Program> . }} }}"
)

TEXTS = {
    "a": small_report("宁波市公安局", "坚持和发展新时代枫桥经验，推进一村一辅警。", "推行警调衔接机制。"),
    "b": small_report("温州市公安局", "坚持和发展新时代枫桥经验。", "推行一窗通办。"),
    "a2": small_report("宁波市公安局", "坚持和发展新时代枫桥经验。"),  # a's report again, two programs fewer
    "fa": small_report("台州市公安局", "全年共化解矛盾纠纷120起。"),  # a figure each, of one indicator
    "fb": small_report("丽水市公安局", "全年共化解矛盾纠纷86起。"),
}
A, B = f"{PKR}report/宁波市公安局/2023", f"{PKR}report/温州市公安局/2023"
BACKENDS = ["embedded", "oxigraph", "virtuoso"]
SERVERS = ["oxigraph", "virtuoso"]


# -- the servers and the stores on them ---------------------------------------------------------


@pytest.fixture(scope="session")
def sparql_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SparqlServer]]:
    """Both servers, started together (Virtuoso builds its database meanwhile), each with foreign data."""
    started: dict[str, SparqlServer] = {}
    try:
        started["oxigraph"] = start_oxigraph(tmp_path_factory.mktemp("oxigraph"), free_port())
        started["virtuoso"] = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port())
        for server in started.values():
            httpx.post(
                server.update, data={"update": FOREIGN_DATA}, auth=server.auth(), timeout=30
            ).raise_for_status()
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(scope="session")
def graphs() -> dict[str, Graph]:
    extractor = Extractor()
    return {name: report_graph(extractor(text)) for name, text in TEXTS.items()}


def remote_store(server: SparqlServer, **kwargs) -> RemoteStore:
    endpoints = Endpoints(server.query, server.update, kwargs.pop("gsp", None), server.user, server.password)
    return RemoteStore(endpoints, query_timeout=kwargs.pop("query_timeout", 30), **kwargs)


def emptied(store: RemoteStore) -> RemoteStore:
    """The store with none of our graphs left (the foreign graph stays)."""
    drops = [f"DROP SILENT GRAPH <{g}>" for g in [*store.catalogue(), MERGE_GRAPH, CATALOGUE_GRAPH]]
    store._client.update(" ;\n".join(drops))
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore | RemoteStore]:
    """An empty store on each backend in turn."""
    if request.param == "embedded":
        opened: GraphStore | RemoteStore = GraphStore(tmp_path / "store")
    else:
        opened = emptied(remote_store(request.getfixturevalue("sparql_servers")[request.param]))
    with opened:
        yield opened


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest, sparql_servers: dict[str, SparqlServer]) -> SparqlServer:
    emptied(remote_store(sparql_servers[request.param])).close()
    return sparql_servers[request.param]


def put(store: GraphStore | RemoteStore, graphs: dict[str, Graph], *names: str) -> None:
    for name in names:
        store.replace_graph(graphs[name].identifier, graphs[name])


def truth(graphs: dict[str, Graph], names: tuple[str, ...], sparql: str) -> list[tuple]:
    """The rows `sparql` answers over ONE graph holding each distinct triple of `names` once."""
    merged = ox.Store()
    for name in names:
        merged.load(graphs[name].serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return sorted(tuple(str(t) for t in row) for row in merged.query(sparql, prefixes=PREFIXES))


def rows(store: GraphStore | RemoteStore, sparql: str) -> list[tuple]:
    return sorted(tuple(str(t) for t in row) for row in store.ox_query(sparql))


def per_graph(store: GraphStore | RemoteStore) -> dict[str, int]:
    found = store.ox_query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in found}


# -- the same behaviour on every backend --------------------------------------------------------

DISTINCT_QUERIES = [
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pk:Program }",
    "SELECT DISTINCT ?l WHERE { ?m pk:implements ?p . ?p rdfs:label ?l }",
    "SELECT DISTINCT ?c WHERE { ?e a ?c }",
]


def test_ingest_gives_one_named_graph_per_report(store, graphs) -> None:
    put(store, graphs, "a", "b")
    assert [str(g) for g in store.report_graphs()] == sorted([A, B])
    assert (
        store.has_report(A)
        and not store.has_report(f"{PKR}report/无此局/2023")
        and not store.has_report(FOREIGN)
    )
    assert per_graph(store) == {A: len(graphs["a"]), B: len(graphs["b"])}
    for sparql in DISTINCT_QUERIES:
        assert rows(store, sparql) == truth(graphs, ("a", "b"), sparql), sparql
    classes = dict(
        truth(
            graphs,
            ("a", "b"),
            "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c "
            "FILTER(STRSTARTS(STR(?c), STR(pk:))) } GROUP BY ?c",
        )
    )
    assert store.stats()["classes"] == {
        c.strip("<>").rsplit("#", 1)[-1]: int(n.split('"')[1]) for c, n in classes.items()
    }


def test_replacing_a_report_changes_it_alone(store, graphs) -> None:
    put(store, graphs, "a", "b")
    store.replace_graph(A, graphs["a2"])
    assert per_graph(store) == {A: len(graphs["a2"]), B: len(graphs["b"])}
    assert not store.ox_query(f"ASK {{ <{PKR}program/一村一辅警> ?p ?o }}")  # only the old a named it
    assert store.ox_query(f"ASK {{ <{PKR}program/枫桥经验> ?p ?o }}")
    for sparql in DISTINCT_QUERIES:
        assert rows(store, sparql) == truth(graphs, ("a2", "b"), sparql), sparql


def test_removing_a_report_leaves_what_the_others_say(store, graphs) -> None:
    put(store, graphs, "a", "b")
    assert store.remove_graph(A)
    assert not store.remove_graph(A)
    assert [str(g) for g in store.report_graphs()] == [B]
    assert per_graph(store) == {B: len(graphs["b"])}
    for sparql in DISTINCT_QUERIES:
        assert rows(store, sparql) == truth(graphs, ("b",), sparql), sparql


def test_export_holds_the_graphs_and_their_merge(store, graphs) -> None:
    put(store, graphs, "a", "b")
    quads = ox.Dataset(ox.parse(_export(store, "trig"), ox.RdfFormat.TRIG))
    expected = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(graphs[n].identifier)))
        for n in ("a", "b")
        for t in _ox_triples(graphs[n])
    )
    assert set(quads) == set(expected)
    triples = {q.triple for q in ox.parse(_export(store, "nt"), ox.RdfFormat.N_TRIPLES)}
    assert triples == {t for n in ("a", "b") for t in _ox_triples(graphs[n])}
    one = {q.triple for q in ox.parse(_export(store, "ttl", A), ox.RdfFormat.TURTLE)}
    assert one == set(_ox_triples(graphs["a"]))


def test_pages_read_the_same_on_every_backend(store, graphs) -> None:
    put(store, graphs, "a", "b")
    reference = GraphStore()
    put(reference, graphs, "a", "b")
    labels = (
        "/sparql?query=SELECT%20DISTINCT%20%3Fl%20WHERE%20%7B%3Fp%20a%20pk%3AProgram%20%3B%20rdfs%3Alabel"
        "%20%3Fl%7D%20ORDER%20BY%20%3Fl&format=json"
    )
    pages = ["/reports.json", "/search.json?q=%E6%9E%AB%E6%A1%A5", "/compare.json", labels]
    with (
        TestClient(create_app(store, Settings(store_path=None))) as ours,
        TestClient(create_app(reference, Settings(store_path=None))) as embedded,
    ):
        for page in pages:
            got, want = ours.get(page), embedded.get(page)
            assert got.status_code == want.status_code == 200, (page, got.text[:300])
            assert got.json() == want.json(), page
        assert "枫桥经验" in ours.get("/id/program/枫桥经验").text


def test_an_indicator_compared_across_reports_reads_the_same_on_every_backend(store, graphs) -> None:
    put(store, graphs, "fa", "fb")
    reference = GraphStore()
    put(reference, graphs, "fa", "fb")
    [indicator] = {r["i"].value for r in reference.ox_query("SELECT DISTINCT ?i WHERE { ?o pk:indicator ?i }")}
    local = indicator.rsplit('/', 1)[-1]
    pages = (f"/compare/indicator/{local}.json", f"/chart/indicator/{local}")  # the table, the chart's data
    with (
        TestClient(create_app(store, Settings(store_path=None))) as ours,
        TestClient(create_app(reference, Settings(store_path=None))) as embedded,
    ):
        answers = {page: (ours.get(page), embedded.get(page)) for page in pages}
    for page, (got, want) in answers.items():
        assert got.status_code == want.status_code == 200, (page, got.text[:300])
        assert got.json() == want.json(), page
    table, chart = (answers[page][0].json() for page in pages)
    by_bureau = {row["bureau"]: [f["value"] for fs in row["values"].values() for f in fs] for row in table["items"]}
    assert by_bureau == {"台州市公安局": [120], "丽水市公安局": [86]}
    assert {b["bureau"]: b["values"] for b in chart["bureaus"]} == {"台州市公安局": [120], "丽水市公安局": [86]}


def _export(store: GraphStore | RemoteStore, fmt: str, graph: str | None = None) -> bytes:
    from io import BytesIO

    from policekg.kg.rdf.formats import rdf_format

    out = BytesIO()
    store.export(rdf_format(fmt), out, graph)
    return out.getvalue()


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    return [
        q.triple for q in ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    ]


# -- what only a server can get wrong -----------------------------------------------------------


def test_default_graph_holds_each_distinct_triple_once(server, graphs) -> None:
    """Plain counts over shared triples are the truth, not once per report; a foreign graph stays out."""
    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        for sparql in [
            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }",
            "SELECT ?l (COUNT(?m) AS ?n) WHERE { ?m pk:implements ?p . ?p rdfs:label ?l } GROUP BY ?l",
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
        ]:
            assert rows(store, sparql) == truth(graphs, ("a", "b"), sparql), sparql
        assert len(store) == len(truth(graphs, ("a", "b"), "SELECT * WHERE { ?s ?p ?o }"))
        assert not store.ox_query("ASK { <http://example.org/x> ?p ?o }")
        assert FOREIGN not in per_graph(store)
        assert not store.has_report(FOREIGN)


@pytest.fixture(scope="session")
def browse_graphs(browse_store_path: Path) -> list[Graph]:
    """Every report graph of the browse store (several bureaus and years)."""
    with GraphStore(browse_store_path, read_only=True) as store:
        return [store.graph(iri) for iri in store.report_graphs()]


def test_every_example_query_gives_the_embedded_stores_rows(server, browse_graphs, browse_store_path) -> None:
    """The example queries of /sparql are plain SPARQL 1.1 that each server answers as the embedded
    store does (compared as `example_answers` says), with rows, within the servers' time limit; the
    counts the rankings read are made on the server by the same analysis as embedded."""
    with remote_store(server) as store, GraphStore(browse_store_path, read_only=True) as embedded:
        for graph in browse_graphs:
            store.replace_graph(graph.identifier, graph)
        assert refresh_analysis(store)
        wrong = {}
        for example in EXAMPLES:
            expected, got = answer_rows(embedded, example.query), answer_rows(store, example.query)
            if not expected or got != expected:
                wrong[example.title] = (sorted(expected - got)[:2], sorted(got - expected)[:2])
        assert not wrong, wrong


def test_from_and_graph_in_a_comment_or_a_string_are_no_dataset(server, graphs) -> None:
    """Only the query's own FROM keeps its dataset: the word in a comment or a literal leaves the merge."""
    sparql = """# the programs from every report graph, counted once
    SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program FILTER(STR(?p) != "FROM <x> GRAPH") }"""
    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        assert rows(store, sparql) == truth(graphs, ("a", "b"), sparql) != [("0",)]


def test_a_query_naming_its_graphs_by_iri_answers_from_those(server, graphs) -> None:
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} GRAPH <{A}> {{ ?s a ?c }} }}"
    reference = GraphStore()
    put(reference, graphs, "a", "b")
    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        assert rows(store, count) == rows(reference, count)
        assert not store.ox_query(f"ASK {{ GRAPH <{PKR}report/无此局/2023> {{ ?s ?p ?o }} }}")
        assert store.ox_query(f"ASK {{ GRAPH <{B}> {{ <{B}> a pk:Report }} }}")


@pytest.mark.parametrize("sparql", [
    f"SELECT * WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} GRAPH <{A}> {{ ?s a ?c }} }}",
    "SELECT * WHERE { GRAPH pkr:report\\/宁波市公安局\\/2023 { ?s ?p ?o } }",
])
def test_a_query_naming_each_graph_by_iri_is_sent_those_alone(sparql: str) -> None:
    """No catalogue read (the server here is down: reading it would fail), no list of every report sent;
    a GRAPH ?g, or a prefix the query declares itself, and the catalogue is read."""
    down = f"http://127.0.0.1:{free_port()}/sparql"
    with RemoteStore(Endpoints(down, down), query_timeout=5) as store:
        expected = {"default-graph-uri": [MERGE_GRAPH], "named-graph-uri": [A]}
        assert store._dataset(sparql, None, None) == expected
        for other in [
            f"SELECT * WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s a ?c }} }}",
            "PREFIX pkr: <http://example.org/> SELECT * WHERE { GRAPH pkr:a { ?s ?p ?o } }",
        ]:
            with pytest.raises(RemoteUnavailable, match="cannot reach"):
                store._dataset(other, None, None)


def test_the_servers_time_limit_stops_a_query(server, graphs) -> None:
    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        with pytest.raises(RemoteUnavailable, match="time limit"):
            store.ox_query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")


def test_a_rejected_write_leaves_the_report_as_it_was(server, graphs) -> None:
    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        before = per_graph(store), len(store)
        with pytest.raises((QueryError, RemoteError)):
            store.replace_graph(A, b"<https://w3id.org/policekg/id/x> <not an IRI> .\n")
        assert (per_graph(store), len(store)) == before


def test_a_server_that_is_down_is_named_and_answered_503() -> None:
    down = f"http://127.0.0.1:{free_port()}/sparql"
    with RemoteStore(Endpoints(down, down), query_timeout=5) as store:
        with pytest.raises(RemoteUnavailable, match="cannot reach the SPARQL server at .* is it running"):
            store.report_graphs()
        with TestClient(create_app(store, Settings(store_path=None))) as client:
            for page in ["/sparql?query=ASK%7B%7D", "/reports", "/export?format=nt", "/export?graph=" + A]:
                answer = client.get(page)
                assert answer.status_code == 503 and "cannot reach the SPARQL server" in answer.text, page
    proc = _policekg("stats", env={"POLICEKG_STORE": down})
    assert proc.returncode == 1
    message = (
        f"error: cannot reach the SPARQL server at {down}: [Errno 111] Connection refused; is it running?"
    )
    assert proc.stderr.strip().splitlines() == [message]


def test_a_server_answering_errors_is_answered_502() -> None:
    with (
        _FailingAfter(None, 0) as proxy,
        RemoteStore(Endpoints(proxy.query, proxy.update), query_timeout=5) as store,
        TestClient(create_app(store, Settings(store_path=None))) as client,
    ):
        answer = client.get("/reports")
        assert answer.status_code == 502 and "answered 500" in answer.text


def test_the_endpoints_guardrails_hold_on_every_backend(store, graphs) -> None:
    """The row cap cuts a server's answer as the embedded store's, and SERVICE / LOAD are refused before
    anything reaches the server (both servers would fetch the URL themselves)."""
    put(store, graphs, "a", "b")
    # (a limit far above the queries' cost: the embedded store's first query also starts its workers)
    settings = Settings(store_path=None, row_limit=2, update_token="t", query_timeout=60)
    with TestClient(create_app(store, settings)) as client:
        programs = {"query": "SELECT ?p WHERE { ?p a pk:Program }", "format": "json"}
        capped = client.get("/sparql", params=programs)
        assert capped.status_code == 200 and capped.headers["X-Policekg-Truncated"] == "true"
        assert len(capped.json()["results"]["bindings"]) == 2
        fetch = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
        service = client.get("/sparql", params={"query": fetch})
        assert service.status_code == 403 and "SERVICE" in service.text
        load = client.post("/sparql", content="LOAD <http://127.0.0.1:9/x.ttl>", headers={
            "Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        assert load.status_code == 403 and "LOAD" in load.text
    assert [str(g) for g in store.report_graphs()] == sorted([A, B])


@pytest.mark.parametrize("stall", ["silent", "dripping"])
def test_a_server_over_the_clients_time_limit_is_cut_off_and_answered_503(stall: str) -> None:
    """A server that never answers, or answers a byte at a time, is given up at the client's limit: the
    request is cancelled (the server sees its connection closed), the error names the limit, the service
    answers 503."""
    with _Stalling(stall) as slow, RemoteStore(Endpoints(slow.url, slow.url), query_timeout=1) as store:
        raised = _raised_within(60, lambda: store.ox_query("SELECT * WHERE { ?s ?p ?o }"))
        assert isinstance(raised, RemoteUnavailable), raised
        assert str(raised) == f"the SPARQL server at {slow.url} did not answer within 1 s" + (
            " (ReadTimeout)" if stall == "silent" else ""
        )
        assert slow.closed.wait(60), "the request was not cancelled"
        with TestClient(create_app(store, Settings(store_path=None))) as client:
            answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 503 and "did not answer within 1 s" in answer.text


def test_the_analysis_reads_a_server_without_the_pages_time_limit() -> None:
    """The analysis scans every report: on a server its queries get the write's limit (`unhurried`),
    while the pages' queries meanwhile keep theirs."""
    with (_Stalling("late") as slow,
          RemoteStore(Endpoints(slow.url, slow.url), query_timeout=0.5, write_timeout=30) as store,
          store.unhurried() as unhurried):
        assert unhurried.ox_query("ASK { ?s ?p ?o }")
        assert isinstance(_raised_within(60, lambda: store.ox_query("ASK { ?s ?p ?o }")), RemoteUnavailable)


def test_an_answer_with_a_header_per_named_graph_is_read() -> None:
    """Virtuoso echoes the dataset in its answer's headers, a header per named graph: 3,000 of them
    (225 KB, past httpcore's default 100 KB) are read like any answer."""
    with (
        _Stalling("echoing") as server,
        RemoteStore(Endpoints(server.url, server.url), query_timeout=5) as store,
    ):
        assert bool(store.ox_query("ASK { ?s ?p ?o }")) is True


def test_an_answer_that_is_not_http_is_a_502_naming_it() -> None:
    """A server that answers in something that is not HTTP is not down: 502, saying so."""
    with (
        _Stalling("garbled") as server,
        RemoteStore(Endpoints(server.url, server.url), query_timeout=5) as store,
    ):
        with pytest.raises(RemoteError, match=f"{server.url} sent an answer that cannot be read") as raised:
            store.ox_query("SELECT * WHERE { ?s ?p ?o }")
        assert not isinstance(raised.value, RemoteUnavailable)


@pytest.mark.parametrize("name", SERVERS)
def test_cli_on_a_server(name: str, sparql_servers, tmp_path: Path) -> None:
    """ingest (analysis included), stats, query, analyze, export and validate (whole graphs read through
    the Graph Store endpoint given), remove: the commands a user runs, on the server."""
    server = sparql_servers[name]
    emptied(remote_store(server)).close()
    files = _report_files(tmp_path, "a", "b")
    env = server.env()
    proc = _policekg("ingest", "--jobs", "1", *map(str, files), env=env)
    assert proc.returncode == 0, proc.stderr
    assert [line.split("\t")[0] for line in proc.stdout.splitlines() if "\t" in line] == ["stored", "stored"]
    stats = _policekg("stats", env=env).stdout
    assert "reports" in stats and " 2 " in stats
    count = _policekg(
        "query", "--format", "csv", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }", env=env
    )
    assert count.stdout.split() == ["n", "4"]  # 枫桥经验 in both reports counts once
    exported = _policekg("export", "--format", "nq", "--gsp-url", server.gsp, env=env)
    assert exported.returncode == 0, exported.stderr
    assert {q.graph_name.value for q in ox.parse(exported.stdout.encode(), ox.RdfFormat.N_QUADS)} >= {A, B}
    central = _policekg("analyze", "centrality", "--class", "Program", "--format", "csv", env=env)
    assert central.returncode == 0 and "枫桥经验" in central.stdout, central.stderr
    checked = _policekg("validate", "--gsp-url", server.gsp, env=env)
    assert "2 report graphs checked" in checked.stdout, checked.stderr
    nowhere = server.gsp.rsplit("/", 1)[0] + "/nowhere"
    wrong = _policekg("validate", "--graph", "宁波市公安局/2023", "--gsp-url", nowhere, env=env)
    assert wrong.returncode == 1 and f"{nowhere} is no SPARQL endpoint (404)" in wrong.stderr
    # the endpoints as options, the account alone from the environment
    account = {k: v for k, v in env.items() if k in ("POLICEKG_STORE_USER", "POLICEKG_STORE_PASSWORD")}
    flags = ["--store", server.query]
    removed = _policekg("remove", "温州市公安局/2023", *flags, "--update-url", server.update, env=account)
    assert removed.returncode == 0, removed.stderr
    assert _policekg(
        "query", "--format", "csv", "SELECT ?g WHERE { GRAPH ?g { ?g a pk:Report } }", *flags, env=account
    ).stdout.split() == ["g", A]


def test_ingest_into_a_server_failing_midway_says_what_did_not_go_in(sparql_servers, tmp_path: Path) -> None:
    """The server fails after the first report's write: that report is wholly in, the others wholly
    out, and each is named as failed with the server's message."""
    server = sparql_servers["oxigraph"]
    emptied(remote_store(server)).close()
    files = _report_files(tmp_path, "a", "b")
    with _FailingAfter(server, 1) as proxy:
        env = {"POLICEKG_STORE": proxy.query, "POLICEKG_UPDATE_URL": proxy.update}
        proc = _policekg("ingest", "--jobs", "1", *map(str, files), env=env)
    assert proc.returncode == 1
    assert f"stored\t{files[0]}" in proc.stdout
    assert (
        f"failed\t{files[1]}\tcould not be stored: the SPARQL server at {proxy.update} answered 500"
        in proc.stderr
    )
    with remote_store(server) as store:
        assert [str(g) for g in store.report_graphs()] == [A]
        assert per_graph(store)[A] > 0 and B not in per_graph(store)


def test_a_write_failing_on_the_server_leaves_the_report_wholly_out(server, graphs) -> None:
    """The server took (some of) the write and then failed: the report is taken out, the others and the
    merge are as if it had never been written."""
    with (
        _FailingAfter(server, 1, lost=True) as proxy,
        RemoteStore(Endpoints(proxy.query, proxy.update), query_timeout=30) as through,
    ):
        put(through, graphs, "a")
        with pytest.raises(RemoteError, match="answered 500.*was taken out of the store"):
            put(through, graphs, "b")
    with remote_store(server) as store:
        assert [str(g) for g in store.report_graphs()] == [A]
        assert per_graph(store) == {A: len(graphs["a"])}
        assert len(store) == len(graphs["a"])


class _LocalServer:
    """A real HTTP server of the test's own on 127.0.0.1 (`self.http`), serving in a thread while entered."""

    http: ThreadingHTTPServer

    def __enter__(self) -> Self:
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()


class _FailingAfter(_LocalServer):
    """A real HTTP server in front of `upstream`: it passes queries and the first `updates` update
    requests on, then answers every request 500, as a server failing midway does. With `lost`, the
    next update reaches the server and only its answer is a 500 (a write done, or half done, that
    failed), and the server works on."""

    def __init__(self, upstream: SparqlServer | None, updates: int, *, lost: bool = False) -> None:
        self.upstream, self.left, self.lost = upstream, updates, lost
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                is_update = self.path == "/update"
                failing = outer.upstream is None or (is_update and outer.left <= 0) or outer.left < 0
                if failing and not outer.lost:
                    outer.left = -1  # down for good
                    return self._reply(500, "text/plain", b"internal error: the disk is full")
                outer.left -= is_update
                target = outer.upstream.update if is_update else outer.upstream.query
                answer = httpx.post(
                    target,
                    content=body,
                    auth=outer.upstream.auth(),
                    headers={
                        k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
                    },
                )
                if outer.lost and is_update and outer.left == -1:  # the one update whose answer is lost
                    return self._reply(500, "text/plain", b"internal error: the disk is full")
                self._reply(answer.status_code, answer.headers.get("content-type", ""), answer.content)

            def _reply(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        base = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.query, self.update = f"{base}/query", f"{base}/update"


def _raised_within(seconds: float, call: Callable[[], object]) -> BaseException | None:
    """What `call` raised (None if nothing), failing the test if it has not returned after `seconds`:
    a hang is the bug looked for, and must not hang the suite."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as err:  # noqa: BLE001 - handed to the test
            outcome.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds:g} s"
    return outcome[0]


class _Stalling(_LocalServer):
    """A real HTTP server that takes every request and then, "silent", sends nothing, or, "dripping",
    a 200 whose body comes a byte every tenth of a second, until the client hangs up (then `closed` is
    set); or, "echoing", an ASK's answer with 3,000 headers, as Virtuoso's for a dataset of 3,000 graphs;
    or, "garbled", a line that is not HTTP; or, "late", an ASK's answer after 1.5 s."""

    def __init__(self, stall: str) -> None:
        self.closed = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stall in ("echoing", "late"):
                    time.sleep(1.5 if stall == "late" else 0)
                    body = b'{"head": {}, "boolean": true}'
                    self.send_response(200)
                    for i in range(3000 if stall == "echoing" else 0):
                        self.send_header("X-SPARQL-named-graph", f"{PKR}report/{i}/2022")
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if stall == "garbled":
                    self.wfile.write(b"this is not HTTP\r\n\r\n")
                    return
                if stall == "dripping":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.end_headers()
                try:
                    while True:
                        if stall == "dripping":
                            self.wfile.write(b" ")
                            self.wfile.flush()
                        elif select.select([self.connection], [], [], 0.1)[0] and not self.connection.recv(1):
                            break  # readable and empty: the client closed the connection
                        time.sleep(0.1)
                except OSError:
                    pass  # the client closed the connection under a write
                outer.closed.set()

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/sparql"


def _report_files(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / f"{name}.txt"
        path.write_text(TEXTS[name], encoding="utf-8")
        paths.append(path)
    return paths


def _policekg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POLICEKG_")}
    return subprocess.run(
        [sys.executable, "-m", "policekg.api", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **env},
        check=False,
    )


def test_the_service_writes_through_to_the_server(server, graphs) -> None:
    """Graph Store PUT / POST / DELETE and SPARQL Update on the service keep the merge in step."""
    nt = {"Content-Type": "application/n-triples", "Authorization": "Bearer T"}
    with (
        remote_store(server) as store,
        TestClient(create_app(store, Settings(store_path=None, update_token="T"))) as client,
    ):
        body = graphs["b"].serialize(format="nt", encoding="utf-8")
        assert client.put("/rdf-graphs", params={"graph": B}, content=body, headers=nt).status_code == 201
        note = b'<http://example.org/n> <http://www.w3.org/2000/01/rdf-schema#comment> "note" .\n'
        assert client.post("/rdf-graphs", params={"graph": B}, content=note, headers=nt).status_code == 204
        update = {"update": f'DELETE DATA {{ GRAPH <{B}> {{ <http://example.org/n> rdfs:comment "note" }} }}'}
        assert client.post("/sparql", data=update, headers={"Authorization": "Bearer T"}).status_code in (
            200,
            204,
        )
        classes = "SELECT DISTINCT ?c WHERE { ?e a ?c }"
        assert rows(store, classes) == truth(graphs, ("b",), classes)
        assert len(store) == len(graphs["b"])
        assert client.delete("/rdf-graphs", params={"graph": B}, headers=nt).status_code == 204
        assert store.catalogue() == [] and len(store) == 0


def test_a_report_graph_written_by_an_update_is_listed_and_merged(server, graphs) -> None:
    """A SPARQL Update through our endpoint that creates a report graph: the pages list it, as ingested."""
    new = f"{PKR}report/新建市公安局/2024"
    update = f"""INSERT DATA {{ GRAPH <{new}> {{ <{new}> a pk:Report ; pk:year 2024 ;
                     dcterms:publisher <{PKR}unit/新建市公安局> }} }}"""
    with (
        remote_store(server) as store,
        TestClient(create_app(store, Settings(store_path=None, update_token="T"))) as client,
    ):
        put(store, graphs, "b")
        posted = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer T"})
        assert posted.status_code in (200, 204)
        assert [str(g) for g in store.report_graphs()] == sorted([B, new]) and store.has_report(new)
        assert store.ox_query(f"ASK {{ <{new}> pk:year 2024 }}")  # in the merge, the default graph
        assert "新建市公安局" in client.get("/reports").text


def test_the_counts_are_kept_per_state_of_the_store(server, graphs) -> None:
    """`stats` counts once per generation: a write around policekg leaves them, one through it renews them."""
    with remote_store(server) as store:
        put(store, graphs, "a")
        first = store.stats()
        around = f"INSERT DATA {{ GRAPH <{MERGE_GRAPH}> {{ <http://example.org/y> a <{PREFIXES['pk']}Platform> }} }}"
        httpx.post(server.update, data={"update": around}, auth=server.auth(), timeout=30).raise_for_status()
        assert store.stats() == first
        put(store, graphs, "b")
        assert store.stats()["reports"] == 2 and store.stats()["triples"] == len(store)


def test_graphs_read_through_the_graph_store_endpoint(server, graphs) -> None:
    with remote_store(server) as plain, remote_store(server, gsp=server.gsp) as gsp:
        put(plain, graphs, "a", "b")
        assert (
            set(_ox_triples(gsp.graph(A)))
            == set(_ox_triples(plain.graph(A)))
            == set(_ox_triples(graphs["a"]))
        )
        assert {q.triple for q in ox.parse(_export(gsp, "nq"), ox.RdfFormat.N_QUADS)} == {
            t for n in ("a", "b") for t in _ox_triples(graphs[n])
        }


@pytest.mark.parametrize("name", SERVERS)
def test_serve_on_an_empty_server_ingests_the_sample_and_serves_it(
    name: str, sparql_servers, tmp_path: Path
) -> None:
    server = sparql_servers[name]
    emptied(remote_store(server)).close()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POLICEKG_")}
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "policekg.api", "serve", "--port", str(port)],
            env={**clean, **server.env()},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        reports = _when_up(f"http://127.0.0.1:{port}/reports.json", proc, tmp_path / "serve.log")
        assert [r["issuer_label"] for r in reports.json()["items"]] == ["慈溪市公安局"]
        sparql = httpx.get(
            f"http://127.0.0.1:{port}/sparql",
            params={"query": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }"},
            headers={"Accept": "text/csv"},
            timeout=30,
        )
        assert sparql.text.split() == ["n", "39"]  # the sample report names 39 programs (formulations too)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _when_up(url: str, proc: subprocess.Popen, log: Path) -> httpx.Response:
    """The first answer of a `policekg serve` starting up (it ingests the sample first)."""
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {log.read_text(errors='replace')}")
        try:
            return httpx.get(url, timeout=10)
        except httpx.TransportError:
            time.sleep(0.5)
    raise AssertionError(f"serve did not answer: {log.read_text(errors='replace')}")


def test_a_service_over_a_server_keeps_the_pages_tables_from_its_start(server, graphs) -> None:
    """A server's store keeps the home page's tables in the memory of the service reading it: the service
    computes them (and the analysis) when it starts, before anyone visits: at thousands of reports a
    visitor would wait past the time limit, every time."""
    from policekg.kg.read.kept import is_kept

    with remote_store(server) as store:
        put(store, graphs, "a", "b")
        with TestClient(create_app(store, Settings(store_path=None))):
            deadline = time.monotonic() + 120
            while not is_kept(store, "overview", "10") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert is_kept(store, "overview", "10"), "nothing kept two minutes after the start"


def test_the_generation_changes_with_every_report_write_and_not_with_the_analysis(server, graphs) -> None:
    from policekg.kg.rdf.iris import ANALYSIS_GRAPH

    with remote_store(server) as store:
        assert store.generation is None
        seen = []
        for write in (lambda: put(store, graphs, "a"), lambda: put(store, graphs, "b"),
                      lambda: store.remove_graph(B)):
            write()
            seen.append(store.generation)
        assert None not in seen and len(set(seen)) == 3
        store.replace_graph(ANALYSIS_GRAPH, graphs["b"])
        assert store.generation == seen[-1]
