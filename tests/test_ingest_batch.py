"""A folder of real-looking reports in mixed formats goes into an on-disk store in one batch: bad files
are reported while the rest go in, reports of different bureaus share their programs' nodes, a rerun
skips everything, a changed file replaces only its own graph, `remove` deletes one report only.

The reports are the seed (saved as a web page) and the corpus reports of 隆德县 2024 (.docx),
文成县 2021 (PDF, or GB18030 text when no CJK font is installed), 宜昌市 2022 (UTF-8 text) and
武侯区分局 2023 (GB18030, no extension); issuer and year are detected from the text, nothing is
given on the side.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from ingest_fixtures import (
    SEED,
    SEED_URL,
    write_binary,
    write_corrupt_pdf,
    write_docx,
    write_gb18030,
    write_html,
    write_pdf,
)
from rdflib import URIRef

from policekg.kg.ingest.batch import BatchResult, ingest_batch
from policekg.kg.ingest.files import collect_paths
from policekg.kg.rdf.iris import entity_iri, report_iri
from policekg.kg.rdf.store import GraphStore

DATA = Path(__file__).parent / "data"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
SEED_R = report_iri("慈溪市公安局", 2022)
LONGDE_R = report_iri("隆德县公安局", 2024)
WENCHENG_R = report_iri("文成县公安局", 2021)
YICHANG_R = report_iri("宜昌市公安局", 2022)
WUHOU_R = report_iri("成都市公安局武侯区分局", 2023)
REPORTS = {SEED_R, LONGDE_R, WENCHENG_R, YICHANG_R, WUHOU_R}


def gold(name: str) -> dict:
    return json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))


def make_corpus(folder: Path) -> Path:
    """The mixed-format folder, with a nested sub-folder, two broken files and one without metadata."""
    folder.mkdir(parents=True)
    (folder / "web").mkdir()
    write_html(SEED.read_text(encoding="utf-8"), folder / "web" / "cixi_2022.html")
    write_docx((DATA / "101_longde_county_2024.txt").read_text(encoding="utf-8"), folder / "longde_2024.docx")
    wencheng = (DATA / "104_wencheng_county_2021.txt").read_text(encoding="utf-8")
    if CJK_FONT.exists():
        write_pdf(wencheng, folder / "wencheng_2021.pdf", font=CJK_FONT)
    else:
        write_gb18030(wencheng, folder / "wencheng_2021.txt")
    shutil.copy(DATA / "103_yichang_city_2022.txt", folder / "yichang_2022.txt")
    write_gb18030((DATA / "102_wuhou_district_2023.txt").read_text(encoding="utf-8"), folder / "wuhou_2023")
    write_corrupt_pdf(folder / "web" / "broken_download.pdf")
    write_binary(folder / "photo")  # no extension: tried, and its content says why it is no report
    annotation = json.dumps(gold("103_yichang_city_2022"))
    (folder / "yichang_2022.gold.json").write_text(annotation, encoding="utf-8")  # no report: left out
    (folder / "anonymous.txt").write_text("一、加强执法监督\n全年调解矛盾纠纷12起。\n", encoding="utf-8")
    return folder


@contextmanager
def opened(store_path: Path) -> Iterator[GraphStore]:
    """The store, closed again (lock released) so the next `opened` or another process can open it."""
    with GraphStore(store_path) as store:
        yield store


def run(store_path: Path, paths: list[Path], **options) -> BatchResult:
    collected = collect_paths(paths)
    assert not collected.missing
    with opened(store_path) as store:
        return ingest_batch(store, collected.files, **options)


def reports(store_path: Path) -> set[URIRef]:
    with opened(store_path) as store:
        return set(store.report_graphs())


def dump(store_path: Path, iri: URIRef) -> set[tuple]:
    with opened(store_path) as store:
        return set(store.graph(iri))


def select(store_path: Path, sparql: str) -> list[dict[str, str]]:
    with opened(store_path) as store:
        result = store.ox_query(sparql)
        if isinstance(result, ox.QueryBoolean):
            return [{}] if bool(result) else []
        return [{v.value: row[v].value for v in result.variables if row[v] is not None} for row in result]


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BatchResult]:
    """The corpus ingested once, on two worker processes: (folder, store, result)."""
    base = tmp_path_factory.mktemp("batch")
    folder = make_corpus(base / "corpus")
    store = base / "store"
    handler, logger = _Records(), logging.getLogger("policekg.kg.ingest.batch")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        result = run(store, [folder], jobs=2)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert "extracting 8 files on 2 worker processes" in handler.messages
    return folder, store, result


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def copied(first: tuple[Path, Path, BatchResult], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the corpus folder and of the store, for a test that changes them."""
    folder, store, _ = first
    shutil.copytree(folder, tmp_path / "corpus")
    shutil.copytree(store, tmp_path / "store")
    return tmp_path / "corpus", tmp_path / "store"


def test_good_files_go_in_and_each_bad_one_is_reported_with_its_reason(first) -> None:
    _, store, result = first
    assert {s.graph for s in result.stored} == REPORTS
    failed = {f.path.name: f.reason for f in result.failed}
    assert set(failed) == {"broken_download.pdf", "photo", "anonymous.txt"}
    assert "corrupt PDF" in failed["broken_download.pdf"]
    assert "binary data" in failed["photo"]
    assert "no issuing bureau" in failed["anonymous.txt"]
    assert reports(store) == REPORTS
    formats = {s.path.name: s.format for s in result.stored}
    assert formats["cixi_2022.html"] == "html" and formats["longde_2024.docx"] == "docx"
    assert formats["wuhou_2023"] == "text"  # GB18030, no extension


def test_web_page_metadata_reaches_the_report(first) -> None:
    _, store, _ = first
    rows = select(store, f"""SELECT ?url ?issued ?source WHERE {{ GRAPH <{SEED_R}> {{
        <{SEED_R}> pk:sourceURL ?url ; dcterms:issued ?issued ; pk:sourceName ?source }} }}""")
    assert rows == [{"url": SEED_URL, "issued": "2023-03-01", "source": "市公安局"}]


def test_programs_named_in_two_reports_are_one_node_with_both_reports_mentions(first) -> None:
    _, store, _ = first
    shared = ({e["name"] for e in gold("000_01c10ac9e2f52e48")["entities"] if e["type"] == "Program"}
              & {e["name"] for e in gold("101_longde_county_2024")["entities"] if e["type"] == "Program"})
    found = {name for name in shared
             if select(store, f"ASK {{ <{entity_iri('Program', name)}> pk:mentionedIn <{SEED_R}>, <{LONGDE_R}> }}")}
    assert found, f"none of {sorted(shared)} is one node mentioned in both reports"
    for name in found:
        program = entity_iri("Program", name)
        rows = select(store, f"""SELECT DISTINCT ?r WHERE {{ ?m pk:mentionOf <{program}> ; pk:inReport ?r }}""")
        assert {SEED_R, LONGDE_R} <= {URIRef(r["r"]) for r in rows}, name
        labels = select(store, f"SELECT DISTINCT ?l WHERE {{ <{program}> rdfs:label ?l }}")
        assert labels == [{"l": name}]


@pytest.mark.parametrize("cls", ["Program", "LegalInstrument", "Platform", "GovernmentBody", "Indicator"])
def test_every_kind_of_shared_thing_is_one_node_across_reports(first, cls: str) -> None:
    """Nodes in two or more report graphs exist for each kind, and each is one node with one Chinese label
    whose mentions (or, for an indicator, observations) come from each of those reports. (A canonical
    indicator has an English heading too, and a report graph holding a narrower indicator describes
    its broader one: an indicator counts in the graphs whose figures cite it.)"""
    _, store, _ = first
    link = "?n pk:indicator ?e" if cls == "Indicator" else "?n pk:mentionOf ?e"
    named = "?x pk:indicator ?e" if cls == "Indicator" else f"?e a pk:{cls}"
    rows = select(store, f"""SELECT ?e (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(DISTINCT ?r) AS ?cited)
        (COUNT(DISTINCT ?l) AS ?labels) WHERE {{
          GRAPH ?g {{ ?g a pk:Report . {named} }}
          {link} ; pk:inReport ?r . ?e rdfs:label ?l FILTER(LANG(?l) != "en") }}
        GROUP BY ?e HAVING (COUNT(DISTINCT ?g) > 1)""")
    assert rows, f"no pk:{cls} is named in two of the reports"
    for row in rows:
        assert row["cited"] == row["graphs"] and row["labels"] == "1", row


def test_two_chengguan_stations_of_different_bureaus_stay_two(first) -> None:
    _, store, _ = first
    longde = entity_iri("PoliceUnit", "城关派出所", "隆德县公安局")
    wencheng = entity_iri("PoliceUnit", "城关派出所", "文成县公安局")
    rows = select(store, "SELECT DISTINCT ?u ?r WHERE { ?u a pk:PoliceUnit ; rdfs:label '城关派出所'@zh ; "
                         "pk:mentionedIn ?r }")
    assert {(URIRef(r["u"]), URIRef(r["r"])) for r in rows} == {(longde, LONGDE_R), (wencheng, WENCHENG_R)}


def test_paths_are_files_folders_and_globs_each_once(first) -> None:
    folder, _, _ = first
    collected = collect_paths([folder / "web", str(folder / "**" / "*.html"), folder / "yichang_2022.txt",
                               folder / "nothing_here.txt", str(folder / "*.none")])
    assert [p.name for p in collected.files] == ["broken_download.pdf", "cixi_2022.html", "yichang_2022.txt"]
    assert collect_paths([folder]).ignored == {".json": 1}  # the gold annotation beside its report
    assert [(m.path.name, m.reason) for m in collected.missing] == [
        ("nothing_here.txt", "no such file or folder"),
                                                          ("*.none", "the pattern matches no file")]


def test_rerun_skips_every_stored_file(copied) -> None:
    folder, store = copied
    before = {r: dump(store, r) for r in REPORTS}
    result = run(store, [folder], jobs=1)
    assert result.stored == []
    assert {s.path.name for s in result.skipped} == {"cixi_2022.html", "longde_2024.docx", "yichang_2022.txt", "wuhou_2023",
                                                     next(p.name for p in folder.glob("wencheng_2021.*"))}
    assert len(result.failed) == 3  # the bad files are tried again, and fail again
    assert {r: dump(store, r) for r in REPORTS} == before
    forced = run(store, [folder / "yichang_2022.txt"], jobs=1, force=True)
    assert [(s.graph, s.replaced) for s in forced.stored] == [(YICHANG_R, True)]


def test_changed_file_replaces_only_its_own_graph(copied) -> None:
    folder, store = copied
    before = {r: dump(store, r) for r in REPORTS}
    path = folder / "yichang_2022.txt"
    text = path.read_text(encoding="utf-8")
    assert "2022年" in text
    path.write_text(text + "\n全年新增法治宣传栏987个。\n", encoding="utf-8")
    result = run(store, [folder], jobs=1)
    assert [(s.path.name, s.replaced) for s in result.stored] == [("yichang_2022.txt", True)]
    assert len(result.skipped) == 4
    for r in REPORTS - {YICHANG_R}:
        assert dump(store, r) == before[r]
    assert dump(store, YICHANG_R) != before[YICHANG_R]
    assert select(store, f"ASK {{ GRAPH <{YICHANG_R}> {{ <{YICHANG_R}> pk:fullText ?t "
                         f"FILTER(CONTAINS(?t, '法治宣传栏987个')) }} }}")


def test_file_that_turns_bad_leaves_its_stored_report_untouched(copied) -> None:
    folder, store = copied
    before = dump(store, YICHANG_R)
    write_binary(folder / "yichang_2022.txt")
    result = run(store, [folder / "yichang_2022.txt"], jobs=1)
    assert [f.path.name for f in result.failed] == ["yichang_2022.txt"]
    assert dump(store, YICHANG_R) == before


def test_same_report_twice_in_one_batch_fails_the_second(tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    folder.mkdir()
    shutil.copy(SEED, folder / "a_seed.txt")
    write_html(SEED.read_text(encoding="utf-8"), folder / "b_seed.html")
    result = run(tmp_path / "store", [folder], jobs=1)
    assert [s.path.name for s in result.stored] == ["a_seed.txt"]
    assert [f.path.name for f in result.failed] == ["b_seed.html"]
    assert "same report" in result.failed[0].reason and "a_seed.txt" in result.failed[0].reason
    again = run(tmp_path / "store", [folder], jobs=1)  # the stored one is skipped and keeps its graph
    assert [s.path.name for s in again.skipped] == ["a_seed.txt"]
    assert [f.path.name for f in again.failed] == ["b_seed.html"]


def test_sidecar_supplies_what_the_text_lacks_and_is_part_of_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "side"
    folder.mkdir()
    report = folder / "notice.txt"
    report.write_text("一、加强执法监督\n(一)推行警调衔接工作。全年通过警调衔接调解矛盾纠纷12起。\n", encoding="utf-8")
    sidecar = folder / "notice.txt.json"
    sidecar.write_text(json.dumps({"issuer": "泾源县公安局", "year": 2025}), encoding="utf-8")
    collected = collect_paths(sorted(folder.glob("*")))  # a shell's `ingest side/*`
    assert (collected.files, collected.missing, collected.ignored) == ([report], [], {})
    store = tmp_path / "store"
    result = run(store, [folder], jobs=1)
    assert [s.graph for s in result.stored] == [report_iri("泾源县公安局", 2025)]
    assert [s.path.name for s in run(store, [folder], jobs=1).skipped] == ["notice.txt"]
    sidecar.write_text(json.dumps({"issuer": "泾源县公安局", "year": 2025, "title": "泾源县公安局年度报告"}),
                       encoding="utf-8")
    assert [s.replaced for s in run(store, [folder], jobs=1).stored] == [True]


def policekg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policekg.api", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_cli_ingest_is_line_oriented_when_piped_and_remove_deletes_one_report(first, tmp_path: Path) -> None:
    folder, _, _ = first
    store = tmp_path / "store"
    done = policekg("ingest", str(folder / "yichang_2022.txt"), str(folder / "longde_2024.docx"),
                    str(folder / "photo"), str(tmp_path / "missing.txt"), "--store", str(store), "-j", "1")
    assert done.returncode == 1, done.stderr
    assert f"stored\t{folder / 'yichang_2022.txt'}\t<{YICHANG_R}>" in done.stdout, done.stderr
    assert f"failed\t{folder / 'photo'}\tbinary data" in done.stderr
    assert f"failed\t{tmp_path / 'missing.txt'}\tno such file or folder" in done.stderr
    assert "skipped (unchanged)" in done.stdout and "pk:Report" in done.stdout
    assert "\r" not in done.stderr  # no progress bar when piped
    before = dump(store, LONGDE_R)
    removed = policekg("remove", "宜昌市公安局/2022", "--store", str(store))
    assert removed.returncode == 0, removed.stderr
    assert reports(store) == {LONGDE_R}
    assert dump(store, LONGDE_R) == before
    again = policekg("remove", str(YICHANG_R), "--store", str(store))
    assert again.returncode == 1 and "no report graph" in again.stderr
    not_a_report = policekg("remove", "pkr:analysis", "--store", str(store))
    assert not_a_report.returncode == 1 and "no report graph" in not_a_report.stderr
