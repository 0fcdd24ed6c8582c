"""Canonical indicators from text to page: triples, shapes, and the comparison pages over HTTP.

Two reports written for these tests (two bureaus, two years) state the same quantity in different
words (调处 / 化解 矛盾纠纷), one of them through a program (警调衔接: a narrower indicator), with bounds,
a change and a target. The graph must hold one canonical indicator for them, and the pages must
compare them as one, keeping the target and the change out of the bureau × year table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import serving
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from policekg.extract import Extractor
from policekg.kg.rdf.iris import PK, PKR
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.rdf.validate import validate
from policekg.kg.read.indicator import indicator_series

REPORTS = {
    ("甲县公安局", 2022): "甲县公安局2022年法治政府建设工作情况\n一、工作情况\n(一)化解纠纷。全县累计通过警调衔接"
                         "成功调处矛盾纠纷1200余起,全年化解矛盾纠纷3000起,破获电信网络诈骗案件300起,同比下降12%。\n"
                         "二、2023年工作打算\n(一)深化调解。力争化解矛盾纠纷5000起以上。\n",
    ("乙市公安局", 2023): "乙市公安局2023年法治政府建设工作情况\n一、工作情况\n(一)调解纠纷。全市调解矛盾纠纷"
                         "约2100起,通过警调衔接调处矛盾纠纷640起。\n",
}
DISPUTES = f"{PKR}indicator/disputes_resolved"
THROUGH = f"{PKR}indicator/disputes_resolved/警调衔接"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    path = tmp_path_factory.mktemp("indicators") / "store"
    store = GraphStore(path)
    for (issuer, year), text in REPORTS.items():
        graph = report_graph(extractor(text, issuer=issuer, year=year))
        store.replace_graph(graph.identifier, graph)
    store.close()
    return path


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    with serving(store_path) as running:
        yield running.base


def get(base: str, path: str, **params: str | int) -> httpx.Response:
    response = httpx.get(base + path, params=params, timeout=30)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response


def test_one_canonical_indicator_with_headings_kind_and_broader(extractor: Extractor) -> None:
    (issuer, year), text = next(iter(REPORTS.items()))
    graph = report_graph(extractor(text, issuer=issuer, year=year))
    disputes, through = URIRef(DISPUTES), URIRef(THROUGH)
    assert (disputes, RDF.type, PK.CanonicalIndicator) in graph
    assert set(graph.objects(disputes, RDFS.label)) == {Literal("化解矛盾纠纷", lang="zh"),
                                                        Literal("Disputes resolved", lang="en")}
    assert (disputes, PK.quantityKind, PK.Count) in graph
    assert (through, SKOS.broader, disputes) in graph
    indicators = set(graph.subjects(RDF.type, PK.Indicator))
    fragments = {URIRef(f"{PKR}indicator/{w}") for w in ("下降", "同比下降", "和", "力争")}
    assert not indicators & fragments


def test_a_figure_carries_its_bound_target_change_scope_and_program(extractor: Extractor) -> None:
    (issuer, year), text = next(iter(REPORTS.items()))
    graph = report_graph(extractor(text, issuer=issuer, year=year))
    by_value = {str(graph.value(o, PK.value)): o for o in graph.subjects(RDF.type, PK.Observation)}
    through, plan, decline = by_value["1200"], by_value["5000"], by_value["12"]
    assert graph.value(through, PK.bound) == PK.AtLeast and graph.value(through, PK.approximate).toPython()
    assert graph.value(through, PK.about) == URIRef(f"{PKR}program/警调衔接")
    assert (graph.value(through, PK.scope), graph.value(through, PK.qualifier)) == (
        Literal("全县", lang="zh"), Literal("累计", lang="zh"))
    assert graph.value(plan, PK.target).toPython() and graph.value(plan, PK.bound) == PK.AtLeast
    assert not graph.value(by_value["3000"], PK.target).toPython()
    assert graph.value(decline, PK.changeDirection) == PK.Decrease
    assert graph.value(decline, PK.changeBasis) == Literal("同比", lang="zh")
    assert str(graph.value(decline, PK.indicator)).startswith(f"{PKR}indicator/") and graph.value(
        graph.value(decline, PK.indicator), RDF.type) is not None


def test_the_shapes_pass(store_path: Path) -> None:
    store = GraphStore(store_path, read_only=True)
    try:
        assert validate(store) == []
    finally:
        store.close()


def test_the_indicator_page_is_a_bureau_by_year_table_of_results(server: str) -> None:
    data = get(server, "/compare/indicator/disputes_resolved.json", size=500).json()
    assert data["label"] == "化解矛盾纠纷" and data["years"] == [2022, 2023]
    cells = {row["bureau"]: {y: sorted(f["value"] for f in figs) for y, figs in row["values"].items()}
             for row in data["items"]}
    # the narrower figures (through 警调衔接) are folded in; the target (5000) and the change (12%) are not
    assert cells == {"甲县公安局": {"2022": [1200, 3000]}, "乙市公安局": {"2023": [640, 2100]}}
    assert [n["iri"] for n in data["narrower"]] == [THROUGH] and data["narrower"][0]["figures"] == 2
    assert [f["value"] for f in data["targets"]] == [5000] and not data["changes"]
    html = get(server, "/compare/indicator/disputes_resolved").text
    assert "≥1200" in html and "≈2100" in html and 'id="targets"' in html
    assert "/compare/indicator/disputes_resolved/%E8%AD%A6" in html or \
        "/compare/indicator/disputes_resolved/警调衔接" in html
    rows = list(csv.DictReader(io.StringIO(get(server, "/compare/indicator/disputes_resolved.csv").text)))
    assert sorted((r["kind"], r["value"]) for r in rows) == [
        ("result", "1200"), ("result", "2100"), ("result", "3000"), ("result", "640"), ("target", "5000")]


def test_the_indicator_table_pages_by_bureau_and_reads_the_page_shown(server: str) -> None:
    first = get(server, "/compare/indicator/disputes_resolved.json", size=1).json()
    assert first["results"] == 4 and first["total"] == 2 and first["years"] == [2022, 2023]
    second = get(server, "/compare/indicator/disputes_resolved.json", size=1, page=2).json()
    shown = {row["bureau"]: sorted(f["value"] for figs in row["values"].values() for f in figs)
             for page in (first, second) for row in page["items"]}
    assert shown == {"甲县公安局": [1200, 3000], "乙市公安局": [640, 2100]}
    # the target is listed on its bureau's page only, and counted on every page
    targets = {row["bureau"]: [f["value"] for f in page["targets"]] for page in (first, second)
               for row in page["items"]}
    assert sorted(targets.values()) == [[], [5000]]
    assert first["kinds"] == second["kinds"] == {"result": 4, "target": 1, "change": 0}
    assert all(f["evidence"] and f["report"] for page in (first, second) for row in page["items"]
               for figs in row["values"].values() for f in figs)


def test_the_narrower_page_names_its_broader_one(server: str) -> None:
    data = get(server, "/compare/indicator/disputes_resolved/警调衔接.json").json()
    assert data["broader"] == {"iri": DISPUTES, "label": "化解矛盾纠纷"}
    assert sorted(f["value"] for row in data["items"] for figs in row["values"].values() for f in figs) == [640, 1200]


def test_the_program_page_shows_each_bureaus_figures_about_it(server: str) -> None:
    data = get(server, "/compare/program/警调衔接.json").json()
    figures = {r["issuer_label"]: [f["value"] for f in r["figures"]] for r in data["items"]}
    assert figures == {"甲县公安局": [1200], "乙市公安局": [640]}


def test_the_index_lists_indicators_by_how_many_bureaus_report_them(server: str) -> None:
    items = get(server, "/compare.json", **{"class": "Indicator", "size": 500}).json()["items"]
    bureaus = [i["bureaus"] for i in items]
    assert bureaus == sorted(bureaus, reverse=True)
    first = items[0]
    assert first["canonical"] and first["bureaus"] == 2 and first["iri"] in (DISPUTES, THROUGH)


def test_the_entity_and_report_pages_show_canonical_indicators(server: str) -> None:
    for path in ("/id/indicator/disputes_resolved", "/id/indicator/disputes_resolved/警调衔接"):
        assert "化解矛盾纠纷" in get(server, path).text
    report = get(server, "/report/甲县公安局/2022").text
    assert "化解矛盾纠纷" in report and "/indicator/下降" not in report
    assert "≥1200" in report and "↓12" in report  # 1200余起; 同比下降12%
    assert "≥5000<span lang=\"zh\">起</span> <span class=\"muted\">目标</span>" in report  # 力争…5000起以上


def test_the_chart_draws_the_first_value_of_each_cell_in_one_request(server: str) -> None:
    table = get(server, "/compare/indicator/disputes_resolved.json", size=500).json()
    chart = get(server, "/chart/indicator/disputes_resolved").json()
    assert chart["years"] == table["years"] and chart["unit"] == table["unit"]
    first = {row["bureau"]: [row["values"].get(str(y), [{}])[0].get("value") for y in table["years"]]
             for row in table["items"]}
    assert {b["bureau"]: b["values"] for b in chart["bureaus"]} == first
    assert first == {"甲县公安局": [3000, None], "乙市公安局": [None, 2100]}
    assert chart["total"] == 2
    refused = httpx.get(server + "/chart/program/警调衔接", headers={"Accept": "application/json"}, timeout=30)
    assert refused.status_code == 404 and "/chart/indicator/" in refused.text


def test_the_chart_draws_so_many_bureaus_and_says_of_how_many(store_path: Path) -> None:
    store = GraphStore(store_path, read_only=True)
    try:
        full, one = indicator_series(store, DISPUTES), indicator_series(store, DISPUTES, most=1)
    finally:
        store.close()
    assert one.total == full.total == 2 and len(full.bureaus) == 2
    assert one.bureaus == full.bureaus[:1]  # a tie on years reported keeps the table's order
