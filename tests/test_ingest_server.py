"""Reports added to a running service (issue 14): `ingest --server` / `remove --server` through a real
`policekg serve`, the pages showing the new report at once, the token, and the one-line message for a
store a service holds."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from conftest import copy_of, run_policekg, serving, small_report

from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PKR

TOKEN = "s3cret-token"
#: A patient client: on a loaded machine a page may take longer than httpx's default 5 s.
_http = httpx.Client(timeout=120)
ISSUER = "测试市公安局"


@pytest.fixture
def served(seed_store_path: Path, tmp_path: Path):
    store = copy_of(seed_store_path, tmp_path)
    with serving(store, env={"POLICEKG_UPDATE_TOKEN": TOKEN}) as server:
        yield store, server.base


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "new" / "report.txt"
    path.parent.mkdir()
    path.write_text(small_report(ISSUER, "推行“三项制度”。"), encoding="utf-8")
    sidecar = {"issuer": ISSUER, "year": 2023}
    (path.parent / "report.txt.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def test_ingest_and_remove_through_the_service(served: tuple[Path, str], tmp_path: Path) -> None:
    _, base = served
    report = _report(tmp_path)
    before = _http.get(f"{base}/reports.json").json()
    done = run_policekg("ingest", str(report), "--server", base, "--token", TOKEN)
    assert f"stored\t{report}\t<" in done.stdout  # the same progress line as a local ingest
    assert "stored" in done.stdout and "failed" in done.stdout  # and the same summary table
    page = _http.get(f"{base}/report/{ISSUER}/2023")
    assert page.status_code == 200 and ISSUER in page.text
    assert _http.get(f"{base}/reports.json").json()["total"] == before["total"] + 1
    assert "analysis is refreshed by the service in the background" in done.stderr
    _wait_for_analysis_of(base, f"{PKR}report/{ISSUER}/2023")
    again = run_policekg("ingest", str(report), "--server", base, "--token", TOKEN)
    assert f"skipped\t{report}\tunchanged since it was stored" in again.stdout
    removed = run_policekg("remove", f"{ISSUER}/2023", "--server", base, "--token", TOKEN)
    assert "removed <" in removed.stdout
    assert _http.get(f"{base}/report/{ISSUER}/2023").status_code == 404
    gone = run_policekg("remove", f"{ISSUER}/2023", "--server", base, "--token", TOKEN, check=False)
    assert gone.returncode == 1 and "no report graph" in gone.stderr


def _wait_for_analysis_of(base: str, report: str) -> None:
    """Wait (at most two minutes) until the service's background analysis covers `report`."""
    ask = f"ASK {{ GRAPH <{ANALYSIS_GRAPH}> {{ <{ANALYSIS_GRAPH}> prov:wasDerivedFrom <{report}> }} }}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _http.get(f"{base}/sparql", params={"query": ask},
                     headers={"Accept": "application/sparql-results+json"}).json()["boolean"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"the analysis never came to cover <{report}>")


def test_writes_need_the_token(served: tuple[Path, str], tmp_path: Path) -> None:
    _, base = served
    report = _report(tmp_path)
    files = {"file": ("report.txt", report.read_bytes())}
    assert _http.post(f"{base}/reports", files=files).status_code == 403
    wrong = {"Authorization": "Bearer wrong"}
    assert _http.post(f"{base}/reports", files=files, headers=wrong).status_code == 403
    assert _http.delete(f"{base}/report/{ISSUER}/2023").status_code == 403
    refused = run_policekg("ingest", str(report), "--server", base, "--token", "wrong", check=False)
    assert refused.returncode == 1 and "403" in refused.stderr


def test_a_bad_file_is_its_own_failure_and_the_rest_go_in(served: tuple[Path, str], tmp_path: Path) -> None:
    _, base = served
    report = _report(tmp_path)
    bad = tmp_path / "new" / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    done = run_policekg("ingest", str(report), str(bad), "--server", base, "--token", TOKEN, check=False)
    assert done.returncode == 1
    assert f"failed\t{bad}\t" in done.stderr
    assert f"stored\t{report}\t" in done.stdout


def test_a_store_held_by_the_service_names_it(served: tuple[Path, str], tmp_path: Path) -> None:
    store, base = served
    report = _report(tmp_path)
    for args in (("ingest", str(report)), ("remove", "x市公安局/2020")):
        proc = run_policekg(*args, "--store", str(store), check=False)
        assert proc.returncode == 1
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{base}/" in lines[0] and "--server" in lines[0], proc.stderr


def test_stats_and_home_page_are_counted_once_per_state_of_the_store(copy_store: Path, extractor,
                                                                    tmp_path: Path) -> None:
    from policekg.kg.ingest.report import ingest_file
    from policekg.kg.network.analysis import refresh_analysis
    from policekg.kg.rdf.store import STATS_FILE, GraphStore, count_stats
    from policekg.kg.read import overview as overview_module
    from policekg.kg.read.overview import OVERVIEW_FILE, overview

    with GraphStore(copy_store) as store:
        home = overview(store)
        assert json.loads((copy_store / OVERVIEW_FILE).read_text())["key"].startswith(store.state())
        with pytest.MonkeyPatch.context() as patch:  # read back from what was kept for this state
            patch.setattr(overview_module, "_overview", lambda *_: pytest.fail("the overview was computed again"))
            assert overview(store) == home
        first = store.stats()
        assert json.loads((copy_store / STATS_FILE).read_text())["stats"] == first
        ingest_file(store, extractor, _report(tmp_path))
        second = store.stats()
        assert second["reports"] == first["reports"] + 1 and second == count_stats(store)
        assert overview(store).reports == home.reports + 1
        refresh_analysis(store, force=True)  # the analysis graph keeps the generation and is no report:
        assert store.stats() == count_stats(store) == second  # the counts of the reports stand
