"""Benchmark: the same writes, pages and example queries on the embedded store, an Oxigraph server and Virtuoso.

The seed report's graph is copied N times as N reports (the report IRI and everything under it
renamed; the publisher, its units, programs, laws and platforms stay shared, so the merge is kept
across reports as in a real corpus, and one bureau has published all N: its pages read every report). Each backend, started fresh (the servers as the tests start them, `tests/backends.py`),
takes the N reports one `replace_graph` each (reports a second); one report is replaced and one removed
(and put back, untimed). Then a real `policekg serve --store …` over that backend is asked every page
and example query of `scale.py` `--rounds` times: requests a second over the whole mix, p50 and p95
of all its requests and of each URL, with ratios against the embedded store of the same run. CPU
seconds beside wall time: of this process and the server during the writes, of `policekg serve` (its
workers included, once reaped) and the server during the mix. Run by hand:

    .venv/bin/python benchmarks/remote_store.py [--reports 320] [--rounds 3] [--workdir DIR [--reuse]]

With `--workdir` the backends' data stay there (delete it once measured: 2,000 reports take GBs), and
`--reuse` times the mix again over them, with the writes' figures kept from the run that wrote them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import backends
from backends import SparqlServer, start_oxigraph, start_virtuoso
from conftest import free_port
from scale import p50_p95, serve_and_time

from policekg.extract import Extractor
from policekg.kg.config import Settings
from policekg.kg.rdf.remote import RemoteStore
from policekg.kg.rdf.sparql_client import Endpoints
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.sample import SAMPLE_REPORT

SEED_REPORT = "report/慈溪市公安局/2022"


class Copies(Sequence[tuple[str, bytes]]):
    """(report IRI, N-Triples) of n renamed copies of the seed report, each made when asked for: 2,000
    of them held at once take GBs."""

    def __init__(self, n: int) -> None:
        seed = report_graph(Extractor()(SAMPLE_REPORT.read_text(encoding="utf-8")))
        self.nt = seed.serialize(format="nt", encoding="utf-8")
        self.base = str(seed.identifier).removesuffix(SEED_REPORT)
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> tuple[str, bytes]:  # type: ignore[override]
        if not 0 <= i < self.n:
            raise IndexError(i)
        renamed = f"report/局{i}/2022"
        return f"{self.base}{renamed}", self.nt.replace(SEED_REPORT.encode(), renamed.encode())


#: Each backend: how to start its server in a fresh directory (the embedded store has none).
BACKENDS: dict[str, Callable[[Path], SparqlServer | None]] = {
    "embedded": lambda d: None,
    "oxigraph server": lambda d: start_oxigraph(d, free_port()),
    "virtuoso": lambda d: start_virtuoso(d, free_port(), free_port()),
}


def write(
    store: GraphStore | RemoteStore, reports: Sequence[tuple[str, bytes]], server: SparqlServer | None
) -> dict:
    """Ingest, replace one and remove one on `store`, each report given as its N-Triples. The removed
    report is put back, so every backend serves the same N reports."""
    cpu = time.process_time() + server_cpu(server)
    started = time.perf_counter()
    for iri, data in reports:
        store.replace_graph(iri, data)
    ingest = time.perf_counter() - started
    cpu = time.process_time() + server_cpu(server) - cpu
    t = time.perf_counter()
    store.replace_graph(*reports[0])
    replace = time.perf_counter() - t
    t = time.perf_counter()
    store.remove_graph(reports[1][0])
    remove = time.perf_counter() - t
    store.replace_graph(*reports[1])
    return {"rate": len(reports) / ingest, "cpu_per_report": cpu / len(reports), "replace": replace,
            "remove": remove}


def server_cpu(server: SparqlServer | None) -> float:
    """CPU seconds the server process has used so far (0 for the embedded store: it runs in ours)."""
    if server is None:
        return 0.0
    times = psutil.Process(server.proc.pid).cpu_times()
    return times.user + times.system


def children_cpu() -> float:
    """CPU seconds of this process's children reaped so far (a `policekg serve` and its workers)."""
    times = os.times()
    return times.children_user + times.children_system


def run(
    server: SparqlServer | None, work: Path, reports: Sequence[tuple[str, bytes]] | None, rounds: int
) -> dict:
    """Writes into the backend (or, without `reports`, the figures of the run that wrote it), then the
    page and query mix through `policekg serve` over it."""
    kept = work / "writes.json"
    if reports is not None:
        kept.write_text(json.dumps(_write(server, work, reports)))
    row = json.loads(kept.read_text())
    cpu = children_cpu() + server_cpu(server)
    if server is None:
        urls = serve_and_time(work / "store", rounds)
    else:
        # The log of `serve` goes beside its (unused) folder; the later --store names the server.
        urls = serve_and_time(work / "served", rounds, "--store", server.query, env=server.env())
    cpu = children_cpu() + server_cpu(server) - cpu
    times = [t for u in urls for t in u["times"]]
    p50, p95 = p50_p95(times)
    not_200 = sum(bool(u["not_200"]) for u in urls)
    return row | {"urls": urls, "rps": len(times) / sum(times), "p50": p50, "p95": p95, "not_200": not_200,
                  "mix_cpu": cpu, "mix_wall": sum(times)}


def _write(server: SparqlServer | None, work: Path, reports: Sequence[tuple[str, bytes]]) -> dict:
    if server is None:
        with GraphStore(work / "store") as store:
            return write(store, reports, None)
    endpoints = Endpoints(server.query, server.update, None, server.user, server.password)
    with RemoteStore(endpoints, query_timeout=Settings().query_timeout) as store:
        return write(store, reports, server)


def print_tables(results: dict[str, dict]) -> None:
    """Markdown: one row a backend with its ratios to the embedded store, then one row a URL."""
    base = results["embedded"]
    print("| backend | reports/s (× embedded) | CPU s a report | replace one, s | remove one, s "
          "| requests/s (× embedded) | p50 / p95 s | mix wall / CPU s | URLs not all 200 |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r['rate']:.1f} ({r['rate'] / base['rate']:.2f}) | {r['cpu_per_report']:.3f} | "
              f"{r['replace']:.2f} | {r['remove']:.2f} | {r['rps']:.2f} ({r['rps'] / base['rps']:.2f}) | "
              f"{r['p50']:.2f} / {r['p95']:.2f} | {r['mix_wall']:.0f} / {r['mix_cpu']:.0f} | {r['not_200']} |")
    print("\n| page or example query | " + " | ".join(f"{n} p50 / p95 s" for n in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for i, url in enumerate(base["urls"]):
        cells = [f"{r['urls'][i]['p50']:.2f} / {r['urls'][i]['p95']:.2f}"
                 + (f" ({r['urls'][i]['p50'] / url['p50']:.1f}×)" if r is not base else "")
                 + "".join(f" **{s}**" for s in r["urls"][i]["not_200"]) for r in results.values()]
        print(f"| {unquote(url['what'])} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=320)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the backends' data here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="time the mix over the data in --workdir")
    parser.add_argument("--only", action="append", choices=list(BACKENDS), default=[],
                        help="this backend only (repeat for more); the others' kept figures are shown")
    args = parser.parse_args()
    if args.reuse and args.workdir is None:
        parser.error("--reuse needs the --workdir of an earlier run")
    # The servers' own time limit is the service's (the tests use a shorter one to test it).
    backends.SERVER_TIME_LIMIT = int(Settings().query_timeout)
    # Virtuoso stopped after thousands of reports replays its transaction log when started again (`--reuse`):
    # minutes, not the tests' two.
    backends.START_WITHIN = 1800.0
    # Virtuoso as its guide sets it up for 2 GB of memory, not with the tests' 80 MB of buffers.
    backends.VIRTUOSO_BUFFERS = (170_000, 130_000)
    reports = None if args.reuse else Copies(args.reports)
    if reports:
        triples = reports[0][1].count(b"\n")
        print(f"{args.reports} reports of {triples} triples each", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        print_tables(run_all(args.workdir or Path(tmp), reports, args.rounds, args.only))


def run_all(workdir: Path, reports: Sequence[tuple[str, bytes]] | None, rounds: int, only: list[str]) -> dict:
    """Each backend in turn, in its own folder under `workdir` (made afresh when `reports` are given);
    each one's figures also kept there (`result.json`), so a run of `only` some keeps the others'."""
    for name, start in BACKENDS.items():
        work = workdir / name
        if only and name not in only:
            continue
        if reports is not None:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
        server = start(work)
        try:
            result = run(server, work, reports, rounds)
        finally:
            if server is not None:
                server.stop()
        (work / "result.json").write_text(json.dumps(result))
        print(f"{name}: {result['rate']:.1f} reports/s, {result['rps']:.2f} requests/s", flush=True)
    kept = {name: workdir / name / "result.json" for name in BACKENDS}
    return {name: json.loads(path.read_text()) for name, path in kept.items() if path.exists()}


if __name__ == "__main__":
    main()
