"""The SPARQL 1.1 Protocol endpoint, driven by clients nobody here wrote (SPARQLWrapper, rdflib's
SPARQLStore) and by httpx for the edges, against a real `policekg serve` over the seed store.

Expected numbers come from querying the same store directly, so they do not depend on how much the
extractor finds; the structure counts (9 sections, 28 measures) are the seed's gold.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from policekg.api.negotiation import choose, names_explicitly, parse_accept, quality, rank
from policekg.api.query_exec import Job, execute
from policekg.api.sparql_examples import EXAMPLES
from policekg.kg.rdf.iris import PREFIXES, SD
from policekg.kg.rdf.store import GraphStore

MEASURES = "SELECT ?m WHERE { ?m a pk:Measure }"
PROLOGUE = "PREFIX pk: <https://w3id.org/policekg/ontology#>\n"
CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def direct(seed_store_path: Path) -> GraphStore:
    """The seed store opened read-only beside the server's copy: the source of expected answers."""
    return GraphStore(seed_store_path, read_only=True)


def count(store: GraphStore, where: str, **dataset) -> int:
    solutions = store.ox_query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", **dataset)
    return int(next(iter(solutions))["n"].value)


@pytest.fixture(scope="module")
def report_iri(direct: GraphStore) -> str:
    return str(direct.report_graphs()[0])


def wrapper(base: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# -- content negotiation, alone -------------------------------------------------------------------

def test_accept_parsing_takes_the_most_specific_range_and_its_q_value() -> None:
    ranges = parse_accept("text/*;q=0.3, text/csv;q=0.7, */*;q=0.1, bogus, text/html;q=x")
    assert quality(ranges, "text/csv") == 0.7
    assert quality(ranges, "text/turtle") == 0.3
    assert quality(ranges, "application/json") == 0.1
    assert quality(ranges, "text/html") == 0.0  # malformed q counts as 0


def test_negotiation_ties_go_to_the_server_order_and_zero_refuses() -> None:
    assert choose("*/*", ["application/sparql-results+json", "text/csv"]) == "application/sparql-results+json"
    assert choose(None, ["text/html", "application/json"]) == "text/html"
    offers = ["text/csv", "application/json"]
    assert choose("text/csv;q=0.5, application/json;q=0.9", offers) == "application/json"
    assert choose("text/csv;q=0, */*", ["text/csv"]) is None
    assert rank("a/b;q=0.2, c/d", ["a/b", "x/y", "c/d"], lambda m: (m,)) == ["c/d", "a/b"]


def test_browsers_name_html_and_curl_does_not() -> None:
    assert names_explicitly(CHROME, "text/html") == 1.0
    assert names_explicitly("*/*", "text/html") == 0.0


# -- the answer writer, alone ---------------------------------------------------------------------

def test_row_cap_cuts_and_flags_and_keeps_every_term_exact() -> None:
    store = GraphStore()
    store.update(r'INSERT DATA { GRAPH <http://g> { <http://a> <http://p> "tab\there\nnew \"q\""@zh, 1, '
                 r'2.50, "2022"^^<http://www.w3.org/2001/XMLSchema#gYear>, <http://b> . } }')
    query = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY STR(?o)"
    full = execute(store, Job(query, row_limit=100))
    assert not full.truncated
    expected = store.ox_query(query).serialize(format=ox.QueryResultsFormat.JSON)
    assert json.loads(full.body) == json.loads(expected)
    cut = execute(store, Job(query, row_limit=2))
    assert cut.truncated and len(json.loads(cut.body)["results"]["bindings"]) == 2
    graph = execute(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", rdf_formats=("nt",), row_limit=3))
    assert graph.truncated and graph.body.decode().count("\n") == 3


# -- real clients against the real server ---------------------------------------------------------

def test_sparqlwrapper_json_counts_match_the_store(live_server: str, direct: GraphStore) -> None:
    result = wrapper(live_server, PROLOGUE + MEASURES, JSON).query().convert()
    assert len(result["results"]["bindings"]) == count(direct, "?m a pk:Measure") == 28
    sections = wrapper(live_server, "SELECT (COUNT(?s) AS ?n) WHERE { ?s a pk:Section }", JSON)
    sections = sections.query().convert()
    assert int(sections["results"]["bindings"][0]["n"]["value"]) == 9


def test_sparqlwrapper_xml_csv_tsv(live_server: str, direct: GraphStore) -> None:
    expected = count(direct, "?m a pk:Measure")
    xml = wrapper(live_server, MEASURES, XML).query().convert()
    assert len(xml.getElementsByTagName("result")) == expected
    rows = list(csv.reader(io.StringIO(wrapper(live_server, MEASURES, CSV).query().convert().decode())))
    assert rows[0] == ["m"] and len(rows) - 1 == expected
    tsv = wrapper(live_server, MEASURES, TSV).query().convert().decode().strip().split("\n")
    assert tsv[0] == "?m" and len(tsv) - 1 == expected and tsv[1].startswith("<https://w3id.org/policekg/id/")


def test_sparqlwrapper_construct_turtle(live_server: str, direct: GraphStore) -> None:
    client = wrapper(live_server, "CONSTRUCT { ?s a pk:Section ; rdfs:label ?l } WHERE { ?s a pk:Section ; "
                                  "rdfs:label ?l }", TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 2 * count(direct, "?s a pk:Section ; rdfs:label ?l") > 0


def test_rdflib_sparqlstore_reads_the_endpoint(live_server: str, direct: GraphStore) -> None:
    graph = Graph(store=SPARQLStore(f"{live_server}/sparql", returnFormat="json"))
    rows = list(graph.query(PROLOGUE + "SELECT ?s ?l WHERE { ?s a pk:Section ; rdfs:label ?l }"))
    assert len(rows) == count(direct, "?s a pk:Section ; rdfs:label ?l")
    assert all(isinstance(s, URIRef) for s, _ in rows)
    assert graph.query(PROLOGUE + "ASK { ?s a pk:Report }").askAnswer is True


# -- the protocol's edges, with httpx -------------------------------------------------------------

def bindings(resp: httpx.Response) -> list[dict]:
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def test_post_form_and_post_body_answer_like_get(live_server: str) -> None:
    url = f"{live_server}/sparql"
    by_get = bindings(httpx.get(url, params={"query": MEASURES}))
    by_form = bindings(httpx.post(url, data={"query": MEASURES}))
    by_body = bindings(httpx.post(url, content=MEASURES.encode(),
                                  headers={"Content-Type": "application/sparql-query"}))
    assert by_get == by_form == by_body and by_get


def test_default_graph_is_the_union_and_dataset_parameters_narrow_it(live_server: str, direct: GraphStore,
                                                                      report_iri: str) -> None:
    url = f"{live_server}/sparql"
    union = bindings(httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}))
    assert int(union[0]["n"]["value"]) == count(direct, "?s ?p ?o")
    one = bindings(httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                          "default-graph-uri": report_iri}))
    assert int(one[0]["n"]["value"]) == count(direct, f"GRAPH <{report_iri}> {{ ?s ?p ?o }}")
    none = bindings(httpx.get(url, params={"query": "SELECT ?s WHERE { ?s ?p ?o }",
                                           "default-graph-uri": "http://example.org/no-such-graph"}))
    assert none == []
    named = bindings(httpx.post(url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                           "named-graph-uri": report_iri}))
    assert [b["g"]["value"] for b in named] == [report_iri]


def test_accept_q_values_and_format_parameter_choose_the_format(live_server: str) -> None:
    url = f"{live_server}/sparql"
    resp = httpx.get(url, params={"query": MEASURES},
                     headers={"Accept": "application/sparql-results+xml;q=0.5, text/csv;q=0.9"})
    assert resp.headers["content-type"].startswith("text/csv")
    resp = httpx.get(url, params={"query": MEASURES, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert resp.headers["content-type"].startswith("text/tab-separated-values")
    resp = httpx.get(url, params={"query": "CONSTRUCT WHERE { ?s a pk:Report }"},
                     headers={"Accept": "application/n-quads;q=0.4, application/ld+json"})
    assert resp.headers["content-type"] == "application/ld+json" and json.loads(resp.text)


def test_curl_and_no_accept_get_json_and_turtle(live_server: str) -> None:
    url = f"{live_server}/sparql"
    for headers in ({"Accept": "*/*"}, {}):
        select = httpx.get(url, params={"query": MEASURES}, headers=headers)
        assert select.headers["content-type"] == "application/sparql-results+json"
        graph = httpx.get(url, params={"query": "DESCRIBE ?r WHERE { ?r a pk:Report }"}, headers=headers)
        assert graph.headers["content-type"].startswith("text/turtle")
        assert len(Graph().parse(data=graph.text, format="turtle")) > 0


def test_nothing_acceptable_is_406_and_an_unknown_format_400(live_server: str) -> None:
    url = f"{live_server}/sparql"
    resp = httpx.get(url, params={"query": MEASURES}, headers={"Accept": "image/png"})
    assert resp.status_code == 406 and "application/sparql-results+json" in resp.text
    resp = httpx.get(url, params={"query": "CONSTRUCT WHERE { ?s a pk:Report }"},
                     headers={"Accept": "text/csv"})
    assert resp.status_code == 406 and "text/turtle" in resp.text
    resp = httpx.get(url, params={"query": MEASURES, "format": "docx"})
    assert resp.status_code == 400 and "docx" in resp.text


def test_malformed_query_is_400_with_the_parsers_message(live_server: str) -> None:
    resp = httpx.get(f"{live_server}/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert resp.status_code == 400
    assert "error at 1:" in resp.text and "Traceback" not in resp.text
    resp = httpx.post(f"{live_server}/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415


def test_service_description_for_rdf_clients(live_server: str, direct: GraphStore) -> None:
    resp = httpx.get(f"{live_server}/sparql", headers={"Accept": "*/*"})
    assert resp.headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=resp.text, format="turtle")
    assert (None, SD.endpoint, URIRef(f"{live_server}/sparql")) in sd
    assert (None, SD.feature, SD.UnionDefaultGraph) in sd
    named = {g.value for g in direct.ox.named_graphs()}
    assert {str(o) for o in sd.objects(None, SD.name)} == named >= {str(g) for g in direct.report_graphs()}
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in sd  # no token: read-only


def test_browsers_get_the_query_page_with_everything_escaped(live_server: str) -> None:
    page = httpx.get(f"{live_server}/sparql", headers={"Accept": CHROME})
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.count('data-query="') == len(EXAMPLES) and "<textarea" in page.text
    assert all(f"PREFIX {p}: &lt;{iri}&gt;" in page.text for p, iri in PREFIXES.items())
    evil = 'SELECT * WHERE { ?s ?p "</textarea><script>alert(1)</script>" }'
    page = httpx.get(f"{live_server}/sparql", params={"query": evil}, headers={"Accept": CHROME})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text
    assert "&lt;/textarea&gt;&lt;script&gt;" in page.text
    raw = httpx.get(f"{live_server}/sparql", params={"query": MEASURES, "format": "json"},
                    headers={"Accept": CHROME})
    assert raw.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.title.split(" · ")[-1])
def test_every_example_query_answers_on_the_browse_store(browse_server: str, example) -> None:
    """The seed and three more reports: several bureaus and years, as similarity and trends need."""
    rows = bindings(httpx.post(f"{browse_server}/sparql", data={"query": example.full}))
    assert rows, f"example {example.title!r} returned no rows on the seed and its companions"


def test_graph_store_read_side(live_server: str, direct: GraphStore, report_iri: str) -> None:
    url = f"{live_server}/rdf-graphs"
    resp = httpx.get(url, params={"graph": report_iri}, headers={"Accept": "application/n-triples"})
    assert resp.headers["content-type"] == "application/n-triples"
    expected = count(direct, f"GRAPH <{report_iri}> {{ ?s ?p ?o }}")
    assert len(Graph().parse(data=resp.text, format="nt")) == expected
    union = httpx.get(url, params={"default": "", "format": "ttl"})
    assert len(Graph().parse(data=union.text, format="turtle")) == count(direct, "SELECT DISTINCT ?s ?p ?o "
                                                                                 "WHERE { ?s ?p ?o }")
    assert httpx.get(url, params={"graph": "http://example.org/none"}).status_code == 404
    assert httpx.get(url).status_code == 400
