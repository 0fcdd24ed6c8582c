"""Benchmark: the same writes, pages and example queries on the embedded store, an Oxigraph server and Virtuoso.

The seed report's graph is copied N times as N reports of N bureaus (the report IRI and everything
under it renamed; programs, laws and platforms stay shared, so the merge is kept across reports as in
a real corpus). Each backend, started fresh (the servers as the tests start them, `tests/backends.py`),
takes the N reports one `replace_graph` each (reports a second); one report is replaced and one removed
(and put back, untimed). Then a real `policekg serve --store …` over that backend is asked every page
and example query of `scale.py` `--rounds` times: requests a second over the whole mix, p50 and p95
of all its requests and of each URL, with ratios against the embedded store of the same run. Run by hand:

    .venv/bin/python benchmarks/remote_store.py [--reports 320] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

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


def copies(n: int) -> list[tuple[str, bytes]]:
    """(report IRI, N-Triples) of n renamed copies of the seed report."""
    seed = report_graph(Extractor()(SAMPLE_REPORT.read_text(encoding="utf-8")))
    nt = seed.serialize(format="nt", encoding="utf-8")
    base = str(seed.identifier).removesuffix(SEED_REPORT)
    return [
        (f"{base}report/局{i}/2022", nt.replace(SEED_REPORT.encode(), f"report/局{i}/2022".encode()))
        for i in range(n)
    ]


#: Each backend: how to start its server in a fresh directory (the embedded store has none).
BACKENDS: dict[str, Callable[[Path], SparqlServer | None]] = {
    "embedded": lambda d: None,
    "oxigraph server": lambda d: start_oxigraph(d, free_port()),
    "virtuoso": lambda d: start_virtuoso(d, free_port(), free_port()),
}


def write(store: GraphStore | RemoteStore, reports: list[tuple[str, bytes]]) -> dict:
    """Ingest, replace one and remove one on `store`; each backend gets what its `replace_graph` takes,
    built untimed. The removed report is put back, so every backend serves the same N reports."""
    given = [(iri, body if isinstance(store, RemoteStore) else _graph(iri, body)) for iri, body in reports]
    started = time.perf_counter()
    for iri, data in given:
        store.replace_graph(iri, data)
    ingest = time.perf_counter() - started
    t = time.perf_counter()
    store.replace_graph(*given[0])
    replace = time.perf_counter() - t
    t = time.perf_counter()
    store.remove_graph(given[1][0])
    remove = time.perf_counter() - t
    store.replace_graph(*given[1])
    return {"rate": len(reports) / ingest, "replace": replace, "remove": remove}


def _graph(iri: str, body: bytes):
    from rdflib import Graph, URIRef

    return Graph(identifier=URIRef(iri)).parse(data=body, format="nt")


def run(server: SparqlServer | None, work: Path, reports: list[tuple[str, bytes]], rounds: int) -> dict:
    """Writes into the backend, then the page and query mix through `policekg serve` over it."""
    if server is None:
        with GraphStore(work / "store") as store:
            row = write(store, reports)
        urls = serve_and_time(work / "store", rounds)
    else:
        endpoints = Endpoints(server.query, server.update, None, server.user, server.password)
        with RemoteStore(endpoints, query_timeout=Settings().query_timeout) as store:
            row = write(store, reports)
        # The log of `serve` goes beside its (unused) folder; the later --store names the server.
        urls = serve_and_time(work / "served", rounds, "--store", server.query, env=server.env())
    times = [t for u in urls for t in u["times"]]
    p50, p95 = p50_p95(times)
    not_200 = sum(bool(u["not_200"]) for u in urls)
    return row | {"urls": urls, "rps": len(times) / sum(times), "p50": p50, "p95": p95, "not_200": not_200}


def print_tables(results: dict[str, dict]) -> None:
    """Markdown: one row a backend with its ratios to the embedded store, then one row a URL."""
    base = results["embedded"]
    print("| backend | reports/s (× embedded) | replace one, s | remove one, s | requests/s (× embedded) "
          "| p50 / p95 s | URLs not all 200 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r['rate']:.1f} ({r['rate'] / base['rate']:.2f}) | {r['replace']:.2f} | "
              f"{r['remove']:.2f} | {r['rps']:.2f} ({r['rps'] / base['rps']:.2f}) | "
              f"{r['p50']:.2f} / {r['p95']:.2f} | {r['not_200']} |")
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
    args = parser.parse_args()
    # The servers' own time limit is the service's (the tests use a shorter one to test it).
    backends.SERVER_TIME_LIMIT = int(Settings().query_timeout)
    reports = copies(args.reports)
    triples = reports[0][1].count(b"\n")
    print(f"{args.reports} reports of {triples} triples each", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, start in BACKENDS.items():
            work = Path(tmp) / name
            work.mkdir()
            server = start(work)
            try:
                results[name] = run(server, work, reports, args.rounds)
            finally:
                if server is not None:
                    server.stop()
            print(f"{name}: {results[name]['rate']:.1f} reports/s, {results[name]['rps']:.2f} requests/s",
                  flush=True)
    print_tables(results)


if __name__ == "__main__":
    main()
