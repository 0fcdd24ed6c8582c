"""提法 on the pages: a formulation (四个意识) is a pk:Program by the ontology, yet pages list it apart.

A report written for this test names two formulations and two work programs; a real `policekg serve`
over an on-disk store answers the home page, /search, an entity page and SPARQL.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import serving, small_report

from policekg.extract import Extractor
from policekg.kg.rdf.iris import PKR
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph

TEXT = ("增强“四个意识”,落实“第一议题”制度。", "推行“一村一辅警”工作机制,开展“净网”专项行动。")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("formulations") / "store"
    store = GraphStore(path)
    graph = report_graph(extractor(small_report("某某县公安局", *TEXT)))
    store.replace_graph(graph.identifier, graph)
    store.close()
    del store
    gc.collect()  # rdflib's reference cycles keep Oxigraph's lock until collected
    with serving(path) as running:
        yield running.base


def _json(base: str, path: str, **params: object) -> dict:
    return httpx.get(base + path, params=params, headers={"Accept": "application/json"}, timeout=30).json()


def test_home_and_search_list_formulations_apart_from_programs(server: str) -> None:
    counts = _json(server, "/")["classes"]
    listed = {cls: _json(server, "/search.json", **{"class": cls}) for cls in ("Formulation", "Program")}
    assert {h["label"] for h in listed["Formulation"]["items"]} == {"四个意识", "第一议题"}
    assert {"一村一辅警", "净网"} <= {h["label"] for h in listed["Program"]["items"]}
    for cls, found in listed.items():
        assert found["total"] == counts[cls], f"the home page counts {cls} as /search lists it"
        assert {h["class"] for h in found["items"]} == {cls}
    central = {c["label"] for c in _json(server, "/")["central"]["Program"]}
    assert central and not central & {"四个意识", "第一议题"}, "the home page's central programs are work programs"
    by_text = _json(server, "/search.json", q="四个意识")
    assert by_text["counts"] == {"Formulation": 1}


def test_an_entity_page_names_the_formulation_class_and_sparql_still_finds_a_program(server: str) -> None:
    iri = _json(server, "/search.json", q="四个意识")["items"][0]["iri"]
    assert _json(server, "/id/" + iri[len(PKR):] + ".json")["cls"] == "Formulation"
    page = httpx.get(server + "/id/" + iri[len(PKR):], timeout=30).text
    assert 'class="cls Formulation"' in page and 'class="cls Program"' not in page
    compared = httpx.get(server + "/compare/" + iri[len(PKR):], timeout=30)
    assert compared.status_code == 200 and "四个意识" in compared.text, "a formulation compares as a program"
    ask = f"PREFIX pk: <https://w3id.org/policekg/ontology#> ASK {{ <{iri}> a pk:Program }}"
    answer = httpx.get(f"{server}/sparql", params={"query": ask},
                       headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.json()["boolean"] is True
