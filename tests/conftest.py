"""Shared fixtures: the seed report, an on-disk store holding it, and a real server over that store.

Expensive things are session-scoped: the spaCy pipeline is built once, the seed is extracted once,
and one `policekg serve` process answers every HTTP test that only reads.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from policekg.extract import Extraction, Extractor
from policekg.kg.ingest.report import ingest_file
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.sample import SAMPLE_REPORT

DATA = Path(__file__).parent / "data"
SEED_GOLD = DATA / "000_01c10ac9e2f52e48.gold.json"


def small_report(issuer: str, *measures: str) -> str:
    """A small 2023 report of `issuer` written for a test: a title line, then one section holding one
    measure per text (and one more, so the section has the measures a report's section has)."""
    items = "\n\n".join(f"({n})第{n}项工作。{m}" for n, m in zip("一二三四五六", [*measures, "完成任务。"]))
    return f"{issuer}2023年法治政府建设工作情况\n\n一、推进法治建设\n\n{items}\n"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SAMPLE_REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_extraction(extractor: Extractor, seed_text: str) -> Extraction:
    return extractor(seed_text)


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory, seed_extraction: Extraction) -> Path:
    """An on-disk store holding the seed report, closed again so any process may open it.

    Read-only users share it; a test that writes must copy it first (`copy_store`).
    """
    path = tmp_path_factory.mktemp("seed-store") / "store"
    store = GraphStore(path)
    graph = report_graph(seed_extraction)
    store.replace_graph(graph.identifier, graph)
    store.close()
    return path


@pytest.fixture
def copy_store(seed_store_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the seed store."""
    return copy_of(seed_store_path, tmp_path)


def run_policekg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the command-line tool in a new process, as a user would; `check` fails the test on exit ≠ 0."""
    proc = subprocess.run([sys.executable, "-m", "policekg.api", *args], capture_output=True, text=True,
                          timeout=300, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"policekg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `policekg serve` on a free port and wait until it answers; returns (process, base URL)."""
    port = free_port()
    cmd = [sys.executable, "-m", "policekg.api", "serve", "--store", str(store), "--port", str(port), *extra]
    # The log goes to a file beside the store: a pipe nobody reads fills up (64 KB of access log)
    # and then blocks the server mid-suite.
    log = store.parent / f"server-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Server(NamedTuple):
    """A running `policekg serve`: where to ask it, and its pid (for tests that watch its workers)."""

    base: str
    pid: int


@contextmanager
def serving(store: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`policekg serve` over `store` for the block, stopped however the block ends."""
    proc, base = start_server(store, *extra, env=env)
    try:
        yield Server(base, proc.pid)
    finally:
        stop_server(proc)


def copy_of(store: Path, parent: Path) -> Path:
    """A private copy of a closed store at `parent/store`: a server or a writing test may hold it."""
    target = parent / "store"
    shutil.copytree(store, target)
    return target


@pytest.fixture(scope="session")
def live_server(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real `policekg serve` over a copy of the seed store (read-only use only)."""
    with serving(copy_of(seed_store_path, tmp_path_factory.mktemp("live"))) as server:
        yield server.base


#: Reports the page tests browse besides the seed: both share programs and indicators with it.
BROWSE_REPORTS = ("101_longde_county_2024", "104_wencheng_county_2021")
#: A report whose text carries HTML and script, to show the pages print it as text.
HOSTILE_REPORT = DATA / "hostile" / "report_with_markup.txt"


@pytest.fixture(scope="session")
def browse_store_path(seed_extraction: Extraction, tmp_path_factory: pytest.TempPathFactory,
                      extractor: Extractor) -> Path:
    """The seed plus two more real-genre reports and the hostile one, all through the extractor
    (issuer and year given, as `policekg ingest --issuer --year` would), and the seed once more as
    its bureau's 2021 report (a bureau with two years), with the analysis every ingest writes (the
    example queries' rankings read its counts): what the page tests browse."""
    from policekg.kg.network.analysis import refresh_analysis

    path = tmp_path_factory.mktemp("browse-store") / "store"
    store = GraphStore(path)
    seed = report_graph(seed_extraction)
    store.replace_graph(seed.identifier, seed)
    for name in BROWSE_REPORTS:
        gold = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
        ingest_file(store, extractor, DATA / f"{name}.txt", issuer=gold["issuer"], year=gold["year"])
    ingest_file(store, extractor, HOSTILE_REPORT, issuer="余姚市公安局", year=2023)
    ingest_file(store, extractor, SAMPLE_REPORT, year=2021)
    refresh_analysis(store)
    store.close()
    gc.collect()  # GraphStore.close() leaves Oxigraph open until the Dataset's reference cycle is collected
    return path


@pytest.fixture(scope="session")
def browse_server(browse_store_path: Path) -> Iterator[str]:
    """Base URL of a real `policekg serve` over the browse store (read-only use only)."""
    with serving(browse_store_path) as server:
        yield server.base


@pytest.fixture(scope="session")
def graph_store_path(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """An on-disk store for the graph analysis and pages: four real reports as their gold files
    describe them (relations with evidence, shared programs) plus one hostile report whose names and
    sentences carry HTML/JS payloads (see `graph_fixtures`). Closed again; copy it before writing."""
    from graph_fixtures import GOLD_REPORTS, gold_extraction, injection_extraction

    path = tmp_path_factory.mktemp("graph-store") / "store"
    store = GraphStore(path)
    for extraction in [*(gold_extraction(n) for n in GOLD_REPORTS), injection_extraction(extractor)]:
        graph = report_graph(extraction)
        store.replace_graph(graph.identifier, graph)
    store.close()
    del store
    gc.collect()  # rdflib's reference cycles keep Oxigraph's lock until collected
    return path


@pytest.fixture(scope="session")
def profile_store_path(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """The store of the bureau profile and province map tests (`profile_fixtures`); read-only use."""
    from profile_fixtures import build_profile_store

    return build_profile_store(tmp_path_factory.mktemp("profile-store") / "store", extractor)


@pytest.fixture(scope="session")
def profile_server(profile_store_path: Path) -> Iterator[str]:
    """Base URL of a real `policekg serve` over the profile store (read-only use only)."""
    with serving(profile_store_path) as server:
        yield server.base


# -- the browser tests (Debian chromium) --------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page that records console errors, uncaught exceptions, dialogs and requests to other hosts."""

    def __init__(self, page, base: str) -> None:
        self.page, self.problems = page, []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", lambda r: r.url.startswith(base) or self.problems.append(f"external: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))


@contextmanager
def watching(browser, server: str) -> Iterator[Watched]:
    """A watched page on `server`; whatever it recorded fails the test when it closes."""
    context = browser.new_context(base_url=server)
    watched = Watched(context.new_page(), server)
    yield watched
    context.close()
    assert watched.problems == []


def children(pid: int) -> list[int]:
    """The processes `pid` started, from any of its threads (workers start from a thread pool)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return found
