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
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from backends import SparqlServer, start_oxigraph, start_virtuoso
from conftest import free_port, small_report
from fastapi.testclient import TestClient
from rdflib import Graph

from policekg.api.app import create_app
from policekg.extract import Extractor
from policekg.kg.config import Settings
from policekg.kg.rdf.errors import QueryError, RemoteError, RemoteUnavailable
from policekg.kg.rdf.formats import RdfFormat
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.remote import CATALOGUE_GRAPH, MERGE_GRAPH, RemoteStore
from policekg.kg.rdf.sparql_client import Endpoints
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph

PKR = "https://w3id.org/policekg/id/"
#: A graph of someone else's on the server, holding one of our triples and a program of its own.
FOREIGN = "http://example.org/elsewhere"
FOREIGN_DATA = (f"INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{PKR}program/枫桥经验> a <{PREFIXES['pk']}Program> . "
                f"<http://example.org/x> a <{PREFIXES['pk']}Program> . }} }}")

TEXTS = {
    "a": small_report("宁波市公安局", "坚持和发展新时代枫桥经验，推进一村一辅警。", "推行警调衔接机制。"),
    "b": small_report("温州市公安局", "坚持和发展新时代枫桥经验。", "推行一窗通办。"),
    "a2": small_report("宁波市公安局", "坚持和发展新时代枫桥经验。"),  # a's report again, two programs fewer
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
            httpx.post(server.update, data={"update": FOREIGN_DATA}, auth=server.auth(),
                       timeout=30).raise_for_status()
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
    assert store.has_report(A) and not store.has_report(f"{PKR}report/无此局/2023") and not store.has_report(FOREIGN)
    assert per_graph(store) == {A: len(graphs["a"]), B: len(graphs["b"])}
    for sparql in DISTINCT_QUERIES:
        assert rows(store, sparql) == truth(graphs, ("a", "b"), sparql), sparql
    classes = dict(truth(graphs, ("a", "b"), "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c "
                                            "FILTER(STRSTARTS(STR(?c), STR(pk:))) } GROUP BY ?c"))
    assert store.stats()["classes"] == {c.strip("<>").rsplit("#", 1)[-1]: int(n.split('"')[1])
                                        for c, n in classes.items()}


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
    expected = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(graphs[n].identifier)))
                          for n in ("a", "b") for t in _ox_triples(graphs[n]))
    assert set(quads) == set(expected)
    triples = {q.triple for q in ox.parse(_export(store, "nt"), ox.RdfFormat.N_TRIPLES)}
    assert triples == {t for n in ("a", "b") for t in _ox_triples(graphs[n])}
    one = {q.triple for q in ox.parse(_export(store, "ttl", A), ox.RdfFormat.TURTLE)}
    assert one == set(_ox_triples(graphs["a"]))


def test_pages_read_the_same_on_every_backend(store, graphs) -> None:
    put(store, graphs, "a", "b")
    reference = GraphStore()
    put(reference, graphs, "a", "b")
    pages = ["/reports.json", "/search.json?q=%E6%9E%AB%E6%A1%A5", "/compare.json",
             "/sparql?query=SELECT%20DISTINCT%20%3Fl%20WHERE%20%7B%3Fp%20a%20pk%3AProgram%20%3B%20rdfs%3Alabel"
             "%20%3Fl%7D%20ORDER%20BY%20%3Fl&format=json"]
    with TestClient(create_app(store, Settings(store_path=None))) as ours, \
            TestClient(create_app(reference, Settings(store_path=None))) as embedded:
        for page in pages:
            got, want = ours.get(page), embedded.get(page)
            assert got.status_code == want.status_code == 200, (page, got.text[:300])
            assert got.json() == want.json(), page
        assert "枫桥经验" in ours.get("/id/program/枫桥经验").text


def _export(store: GraphStore | RemoteStore, fmt: str, graph: str | None = None) -> bytes:
    from io import BytesIO

    from policekg.kg.rdf.formats import rdf_format

    out = BytesIO()
    store.export(rdf_format(fmt), out, graph)
    return out.getvalue()


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)]
