"""The command line as a pipe sees it: `analyze … --format table|csv|json` with whole Chinese names,
progress on `validate`, and the short report name (`慈溪市公安局/2022`) wherever a report is taken."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import copy_of, run_policekg

from policekg.kg.rdf.iris import report_iri

CIXI = "慈溪市公安局"


@pytest.fixture(scope="module")
def store(profile_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private copy of the profile store, with its analysis computed once."""
    path = copy_of(profile_store_path, tmp_path_factory.mktemp("cli-formats"))
    run_policekg("analyze", "centrality", "--store", str(path), "--top", "1")
    return str(path)


def test_similar_bureaus_as_csv_json_and_a_piped_table(store: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run_policekg("analyze", "similar", CIXI, "--store", store,
                                                        "--format", "csv").stdout)))
    assert rows[0].keys() == {"bureau", "jaccard", "shared programs"}
    wencheng = next(r for r in rows if r["bureau"] == "文成县公安局")
    assert "矛盾纠纷多元化解机制" in wencheng["shared programs"].split("、")
    data = json.loads(run_policekg("analyze", "similar", CIXI, "--store", store, "-f", "json").stdout)
    assert [r["bureau"] for r in data] == [r["bureau"] for r in rows]
    assert isinstance(data[0]["jaccard"], float) and isinstance(data[0]["shared programs"], list)
    table = run_policekg("analyze", "similar", CIXI, "--store", store).stdout  # piped: never cut
    assert wencheng["shared programs"] in table and "…" not in table


def test_centrality_communities_and_path_as_json(store: str) -> None:
    central = json.loads(run_policekg("analyze", "centrality", "--store", store, "--top", "5",
                                      "-f", "json").stdout)
    assert [r["rank"] for r in central] == [1, 2, 3, 4, 5]
    assert [r["pagerank"] for r in central] == sorted((r["pagerank"] for r in central), reverse=True)
    groups = json.loads(run_policekg("analyze", "communities", "--store", store, "-f", "json").stdout)
    assert groups and all(g["size"] == len(g["members"]) for g in groups)
    assert any(g["size"] == 1 for g in groups)  # the lone entities too, which the table only counts
    steps = json.loads(run_policekg("analyze", "path", "周巷派出所", CIXI, "--store", store, "-f", "json").stdout)
    assert steps[0]["from"] == "周巷派出所" and steps[-1]["to"] == CIXI and steps[0]["sentences"]
    bad = run_policekg("analyze", "similar", CIXI, "--store", store, "-f", "xml", check=False)
    assert bad.returncode == 1 and "unknown format 'xml'" in bad.stderr


def test_export_validate_and_remove_take_the_short_report_name(store: str, tmp_path: Path) -> None:
    iri = str(report_iri(CIXI, 2022))
    short = run_policekg("export", "--store", store, "--graph", f"{CIXI}/2022", "-f", "nt").stdout
    assert short and short == run_policekg("export", "--store", store, "--graph", iri, "-f", "nt").stdout
    missing = run_policekg("export", "--store", store, "--graph", f"{CIXI}/1999", check=False)
    assert missing.returncode == 1 and f"no report graph <{report_iri(CIXI, 1999)}>" in missing.stderr
    wrong = run_policekg("validate", "--store", store, "--graph", "慈溪市公安局", check=False)
    assert wrong.returncode == 1 and "neither a report IRI nor ISSUER/YEAR" in wrong.stderr
    one = run_policekg("validate", "--store", store, "--graph", f"{CIXI}/2021")
    assert "1 report graphs checked" in one.stdout
    assert one.stderr.splitlines() == [f"validated\t<{report_iri(CIXI, 2021)}>\t0 results"]
    copy = copy_of(Path(store), tmp_path)
    run_policekg("remove", f"{CIXI}/2021", "--store", str(copy))
    assert str(report_iri(CIXI, 2021)) not in run_policekg("query", "SELECT ?g WHERE { GRAPH ?g {} }",
                                                           "--store", str(copy), "-f", "csv").stdout


def test_validate_shows_a_line_per_graph_when_piped(store: str) -> None:
    done = run_policekg("validate", "--store", store)
    lines = [line.split("\t") for line in done.stderr.splitlines()]
    assert [fields[0] for fields in lines] == ["validated"] * 5
    assert {fields[1] for fields in lines} == {f"<{report_iri(b, y)}>" for b, y in (
        (CIXI, 2021), (CIXI, 2022), ("文成县公安局", 2021), ("隆德县公安局", 2024), ("余姚市公安局", 2023))}
    assert "5 report graphs checked" in done.stdout


def test_a_piped_query_table_keeps_wide_chinese_rows_whole(store: str) -> None:
    long_a, long_b = "慈溪市公安局周巷派出所" * 4, "矛盾纠纷多元化解机制" * 4  # 88 and 80 columns wide
    table = run_policekg("query", f'SELECT ("{long_a}" AS ?a) ("{long_b}" AS ?b) WHERE {{}}', "--store", store)
    assert long_a in table.stdout and long_b in table.stdout and "…" not in table.stdout
