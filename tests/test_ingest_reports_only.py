"""Ingest reads reports only: a folder's gold annotations, notes and fixtures are left out and counted,
and a report whose year or issuer looks wrong is stored with a warning."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from conftest import DATA, small_report

from policekg.kg.ingest.files import collect_paths, ignored_summary, is_report, metadata_warnings
from policekg.kg.rdf.iris import report_iri


def test_the_test_data_folder_yields_its_report_texts_and_counts_the_rest() -> None:
    collected = collect_paths([DATA])
    every = [p for p in DATA.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert collected.files and all(p.suffix == ".txt" for p in collected.files)
    assert not any(p.name.endswith(".json") for p in collected.files)
    by_suffix = Counter(p.suffix or "(no extension)" for p in every if p not in collected.files)
    assert collected.ignored == by_suffix
    assert collected.ignored[".json"] >= 25  # the gold annotations
    assert ignored_summary(Counter({".json": 25, ".md": 1})) == "25 .json files, 1 .md file"


def test_a_report_is_told_by_extension_and_content(tmp_path: Path) -> None:
    files = {
        "report.txt": "慈溪市公安局2022年法治政府建设工作情况".encode(),
        "page.html": b"<html><body><p>x</p></body></html>",
        "no_extension": "宁波市公安局2023年工作报告".encode("gb18030"),
        "scan.bin": b"%PDF-1.7\n...",  # a PDF by its signature, whatever its name
        "gold.txt": b'{"issuer": "x"}',  # JSON is data, whatever its name
        "no_extension_json": b"\xef\xbb\xbf  [1, 2]",
        "notes.md": "# 说明".encode(),
        "photo.jpg": b"\xff\xd8\xff\xe0 JFIF",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    taken = {name for name in files if is_report(tmp_path / name)}
    assert taken == {"report.txt", "page.html", "no_extension", "scan.bin"}
    assert is_report(tmp_path / "notes.md", named=True)  # named by the user: tried, its failure says why
    assert not is_report(tmp_path / "gold.txt", named=True)


def test_metadata_that_looks_wrong_is_named() -> None:
    today = date(2026, 12, 7)
    assert metadata_warnings(str(report_iri("慈溪市公安局", 2025)), today) == []
    assert metadata_warnings(str(report_iri("宁波市公安局海曙分局", 2026)), today) == []
    assert metadata_warnings(str(report_iri("浙江省公安厅", 2024)), today) == []
    future = metadata_warnings(str(report_iri("慈溪市公安局", 2031)), today)
    assert len(future) == 1 and "2031" in future[0] and "2026" in future[0]
    odd = metadata_warnings(str(report_iri("一村一辅警工作情况", 2022)), today)
    assert len(odd) == 1 and "一村一辅警工作情况" in odd[0] and "bureau" in odd[0]
    assert metadata_warnings("https://example.org/not/a/report", today) == []


def test_cli_ingest_of_a_mixed_folder_skips_and_warns(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "fixtures").mkdir(parents=True)
    (folder / "cixi.txt").write_text(small_report("慈溪市公安局", "推行警调衔接工作。"), encoding="utf-8")
    later = date.today().year + 3
    (folder / "future.txt").write_text(small_report("余姚市公安局", "推进一村一辅警。"), encoding="utf-8")
    (folder / "future.txt.json").write_text(json.dumps({"year": later}), encoding="utf-8")
    for n in range(3):
        (folder / f"cixi_{n}.gold.json").write_text(json.dumps({"issuer": "慈溪市公安局"}), encoding="utf-8")
    (folder / "README.md").write_text("说明", encoding="utf-8")
    (folder / "fixtures" / "blob.bin").write_bytes(b"\x00\x01\x02")
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, "-m", "policekg.api", "ingest", str(folder), "--store", str(store),
                           "-j", "1"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "skipped 3 .json files, 1 .bin file, 1 .md file: not reports" in done.stderr
    assert "skipped, not reports (3 .json files, 1 .bin file, 1 .md file)" in done.stdout
    stored = [line.split("\t") for line in done.stdout.splitlines() if line.startswith("stored\t")]
    assert sorted(Path(fields[1]).name for fields in stored) == ["cixi.txt", "future.txt"]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning\t")]
    assert any("future.txt" in w and f"the year {later} is after this year" in w for w in warnings), warnings
    assert not any("cixi.txt" in w and "metadata: the" in w for w in warnings), warnings
