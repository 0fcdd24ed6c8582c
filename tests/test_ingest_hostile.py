"""Ingest under hostile or damaged input (issue 15): a zip-bomb .docx, a file with a few bad bytes, a
killed `ingest --jobs 2`, a run killed during the analysis. The files are written here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import psutil
import pytest
from conftest import small_report

from policekg.kg.ingest.batch import ingest_batch
from policekg.kg.ingest.loaders import MAX_UNPACKED_BYTES, LoadError, load_bytes
from policekg.kg.ingest.report import MAX_REPORT_CHARS
from policekg.kg.network.analysis import ANALYSIS_GRAPH
from policekg.kg.rdf.store import GraphStore


def zip_bomb(path: Path) -> Path:
    """A .docx-shaped ZIP whose document part inflates past the limit (about 260 KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * 2**20
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                part.write(chunk)
    return path


def test_a_zip_bomb_docx_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    data = zip_bomb(tmp_path / "bomb.docx").read_bytes()
    assert len(data) < 2**20
    with pytest.raises(LoadError, match="zip bomb"):
        load_bytes(data)


def test_a_few_bad_bytes_are_replaced_and_named_and_a_gbk_file_is_still_gbk() -> None:
    text = small_report("余姚市公安局", "开展普法宣传。")
    broken = text.encode().replace("普法".encode(), b"\xff\xfe\xfd", 1)
    loaded = load_bytes(broken)
    assert "\ufffd" in loaded.text and loaded.encoding == "utf-8"
    line, byte = text[: text.index("普法")].count("\n") + 1, text.encode().index("普法".encode())
    assert loaded.warnings and f"line {line} (byte {byte})" in loaded.warnings[0]
    assert load_bytes(text.encode("gb18030")).encoding == "gb18030"


def test_one_batch_stores_the_mended_file_and_fails_only_the_bomb_and_the_unreadable(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    text = small_report("余姚市公安局", "开展普法宣传。")
    good.write_bytes(text.encode().replace("宣传".encode(), b"\xff", 1))
    bomb = zip_bomb(tmp_path / "bomb.docx")
    unreadable = Path("/proc/self/mem")  # a file whose read fails (EIO), even for root
    with GraphStore(tmp_path / "store") as store:
        result = ingest_batch(store, [bomb, unreadable, good], jobs=1)
    assert [s.path for s in result.stored] == [good] and "not UTF-8" in result.stored[0].warnings[0]
    reasons = {f.path: f.reason for f in result.failed}
    assert "zip bomb" in reasons[bomb] and "cannot read the file" in reasons[unreadable]


def test_a_text_longer_than_any_report_is_one_failed_file_not_a_memory_blowup(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    report = small_report("余姚市公安局", "开展普法宣传。")
    huge.write_text(report * (MAX_REPORT_CHARS // len(report) + 1), encoding="utf-8")
    with GraphStore(tmp_path / "store") as store:
        result = ingest_batch(store, [huge], jobs=1)
    assert not result.stored and "more than the 300,000" in result.failed[0].reason


def test_a_missing_analysis_is_rebuilt_by_a_run_that_stores_nothing(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(small_report("余姚市公安局", "开展普法宣传。"), encoding="utf-8")
    analysis = f"ASK {{ GRAPH <{ANALYSIS_GRAPH}> {{ ?s ?p ?o }} }}"
    with GraphStore(tmp_path / "store") as store:
        ingest_batch(store, [report], jobs=1)
        assert bool(store.ox_query(analysis))
        store.remove_graph(ANALYSIS_GRAPH)  # what a kill during the analysis leaves
        again = ingest_batch(store, [report], jobs=1)
        assert not again.stored and bool(store.ox_query(analysis))


def test_a_killed_parallel_ingest_leaves_no_worker_processes(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(10):
        (folder / f"r{n}.txt").write_text(small_report(f"第{n}市公安局", "开展普法宣传。"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "policekg.api", "ingest", str(folder), "--jobs", "2",
                             "--store", str(tmp_path / "store")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = [c for c in psutil.Process(proc.pid).children(recursive=True)
                   if "resource_tracker" not in " ".join(c.cmdline())]
        time.sleep(0.2)
    assert workers, "ingest started no worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
