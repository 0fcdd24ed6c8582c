"""The foundation, as a user meets it: `policekg` commands in fresh processes over an on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from conftest import run_policekg as policekg
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from policekg.api.cli import app
from policekg.kg.rdf.iris import report_iri
from policekg.kg.sample import SAMPLE_REPORT

SEED_GRAPH = str(report_iri("慈溪市公安局", 2022))
ISSUER = "https://w3id.org/policekg/id/unit/慈溪市公安局"

OTHER_REPORT = """泾源县公安局2024年法治政府建设工作情况

2024年,泾源县公安局在县委县政府的坚强领导下,扎实推进法治公安建设。

一、加强组织领导

(一)压实法治建设责任。县局党委专题研究法治建设工作4次,推动枫桥经验落地见效。

二、规范执法行为

(一)深化警调衔接。全年通过警调衔接化解矛盾纠纷126起。
"""


def cli(*args: str) -> Result:
    """Run a command in this process (fast); the tests that need a fresh process use `policekg`."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def select(store: Path, sparql: str) -> list[dict[str, str]]:
    """Rows of a SELECT run by `policekg query --format json`, as {variable: value}."""
    answer = json.loads(cli("query", "--store", str(store), "--format", "json", sparql).stdout)
    return [{k: v["value"] for k, v in row.items()} for row in answer["results"]["bindings"]]


def count(store: Path, where: str) -> int:
    return int(select(store, f"PREFIX pk: <https://w3id.org/policekg/ontology#> "
                             f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"])


def dump_graph(store: Path, graph: str) -> Graph:
    data = cli("export", "--store", str(store), "--format", "nt", "--graph", graph).stdout
    return Graph().parse(data=data, format="nt")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store into which `policekg ingest` put the seed report (metadata detected from its text)."""
    store = tmp_path_factory.mktemp("e2e") / "store"
    policekg("ingest", str(SAMPLE_REPORT), "--store", str(store))
    return store


def test_seed_structure_is_found_by_a_new_process(ingested: Path) -> None:
    out = policekg("query", "--store", str(ingested), "--format", "csv",
                   "PREFIX pk: <https://w3id.org/policekg/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a pk:Measure }")
    assert out.stdout.split() == ["n", "28"]
    assert count(ingested, "?s a pk:Section") == 9
    assert count(ingested, "?m a pk:Measure") == 28
    assert count(ingested, "?m a pk:Measure ; pk:status pk:Planned") == 5
    assert count(ingested, "?m a pk:Measure ; pk:status pk:Problem") == 2


def test_issuer_has_its_iri_and_labels(ingested: Path) -> None:
    rows = select(ingested, "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: "
                            "<http://www.w3.org/2000/01/rdf-schema#> PREFIX pk: "
                            "<https://w3id.org/policekg/ontology#> "
                            "SELECT ?issuer ?label ?year WHERE { ?r a pk:Report ; dcterms:publisher ?issuer ; "
                            "pk:year ?year . ?issuer rdfs:label ?label }")
    assert rows == [{"issuer": ISSUER, "label": "慈溪市公安局", "year": "2022"}]


def test_union_default_graph_and_graph_clause_both_work(ingested: Path) -> None:
    rows = select(ingested, "PREFIX pk: <https://w3id.org/policekg/ontology#> "
                            "SELECT ?g ?r WHERE { GRAPH ?g { ?m a pk:Measure ; pk:inReport ?r } } LIMIT 1")
    assert rows == [{"g": SEED_GRAPH, "r": SEED_GRAPH}]
    assert count(ingested, "?m a pk:Measure ; pk:inReport ?r") == 28


def test_reingesting_doubles_nothing(ingested: Path) -> None:
    before = dump_graph(ingested, SEED_GRAPH)
    cli("ingest", str(SAMPLE_REPORT), "--store", str(ingested), "--jobs", "1", "--force")
    after = dump_graph(ingested, SEED_GRAPH)
    assert len(after) == len(before) > 1000
    assert count(ingested, "?m a pk:Measure") == 28


def test_second_report_leaves_the_first_untouched(ingested: Path, tmp_path: Path) -> None:
    before = dump_graph(ingested, SEED_GRAPH)
    other = tmp_path / "jingyuan.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")
    cli("ingest", str(other), "--store", str(ingested), "--jobs", "1")
    other_graph = str(report_iri("泾源县公安局", 2024))
    assert len(dump_graph(ingested, other_graph)) > 20
    after = dump_graph(ingested, SEED_GRAPH)
    assert set(after) == set(before)


@pytest.mark.parametrize("name, content, reason", [
    ("binary.txt", bytes(range(256)) * 2, "not text"),
    ("empty.txt", b"  \n", "empty"),
    ("anonymous.txt", "我们认真开展了执法规范化建设工作,取得明显成效。".encode(), "issuer"),
])
def test_bad_input_is_reported_and_the_store_is_unchanged(ingested: Path, tmp_path: Path, name: str,
                                                          content: bytes, reason: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = count(ingested, "?s ?p ?o")
    proc = policekg("ingest", str(bad), "--store", str(ingested), "--jobs", "1", check=False)
    assert proc.returncode != 0
    assert any(name in line and reason in line for line in proc.stderr.splitlines()), proc.stderr
    assert count(ingested, "?s ?p ?o") == before


def test_issuer_and_year_options_rescue_a_text_that_names_neither(tmp_path: Path) -> None:
    report = tmp_path / "anonymous.txt"
    report.write_text("一、加强学习\n\n(一)深入学习。组织学习培训12次。\n", encoding="utf-8")
    store = tmp_path / "store"
    cli("ingest", str(report), "--store", str(store), "--issuer", "泾源县公安局", "--year", "2025", "--jobs", "1")
    assert count(store, "?r a pk:Report ; pk:year 2025") == 1


def test_malformed_query_names_the_position(ingested: Path) -> None:
    proc = policekg("query", "--store", str(ingested), "SELECT ?s WHERE { ?s ?p }", check=False)
    assert proc.returncode == 1
    assert "error" in proc.stderr and "1:" in proc.stderr


@pytest.mark.parametrize("fmt, rdflib_format, quads", [
    ("ttl", "turtle", False), ("trig", "trig", True), ("nt", "nt", False), ("nq", "nquads", True),
    ("jsonld", "json-ld", False), ("xml", "xml", False),
])
def test_export_round_trips_through_rdflib(ingested: Path, tmp_path: Path, fmt: str, rdflib_format: str,
                                           quads: bool) -> None:
    target = tmp_path / f"out.{fmt}"
    cli("export", "--store", str(ingested), "--format", fmt, "--graph", SEED_GRAPH, "-o", str(target))
    parsed = (Dataset() if quads else Graph()).parse(target, format=rdflib_format)
    assert len(parsed) == len(dump_graph(ingested, SEED_GRAPH))


def test_whole_dataset_export_keeps_named_graphs(ingested: Path) -> None:
    data = cli("export", "--store", str(ingested), "--format", "nq").stdout
    graphs = {str(c.identifier) for c in Dataset().parse(data=data, format="nquads").graphs()}
    assert SEED_GRAPH in graphs


def test_stats_counts_reports_and_classes(ingested: Path) -> None:
    out = cli("stats", "--store", str(ingested)).stdout
    rows = {cells[0]: cells[1] for cells in (line.strip("│┃ ").split("│") for line in out.splitlines())
            if len(cells) == 2}
    rows = {k.strip(): v.strip() for k, v in rows.items()}
    assert rows["pk:Measure"] == str(count(ingested, "?m a pk:Measure"))
    assert rows["reports"] == str(count(ingested, "?r a pk:Report"))


def test_server_answers_sparql_json_over_http(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={
        "query": "PREFIX pk: <https://w3id.org/policekg/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a pk:Measure }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "28"


def test_server_rejects_malformed_sparql_with_400(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
