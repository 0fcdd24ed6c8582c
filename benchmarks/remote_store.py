"""Benchmark: the same writes and reads on the embedded store, an Oxigraph server and Virtuoso.

The seed report's graph is copied N times as N reports of N bureaus (the report IRI and everything
under it renamed; programs, laws and platforms stay shared, so the merge is kept across reports as in
a real corpus). Each backend, started fresh (the servers as the tests start them, `tests/backends.py`),
takes the N reports one `replace_graph` each (reports a second), then a query mix is timed (median and
p95 of R runs per query, ms), then one report is replaced and one removed. Run by hand:

    .venv/bin/python benchmarks/remote_store.py [--reports 100] [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from backends import start_oxigraph, start_virtuoso
from conftest import free_port

from policekg.extract import Extractor
from policekg.kg.rdf.remote import RemoteStore
from policekg.kg.rdf.sparql_client import Endpoints
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.sample import SAMPLE_REPORT

SEED_REPORT = "report/慈溪市公安局/2022"
QUERIES = {
    "count programs (default graph)": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }",
    "programs by reports naming them": (
        "SELECT ?l (COUNT(DISTINCT ?r) AS ?n) WHERE { GRAPH ?r { ?m pk:implements ?p } "
        "?p rdfs:label ?l } GROUP BY ?l ORDER BY DESC(?n) LIMIT 10"
    ),
    "one report's measures": (
        "SELECT ?m WHERE { GRAPH <https://w3id.org/policekg/id/report/局7/2022> { ?m a pk:Measure } }"
    ),
    "report graphs": "SELECT ?g WHERE { GRAPH ?g { ?g a pk:Report } } ORDER BY ?g",
}


def copies(n: int) -> list[tuple[str, bytes]]:
    """(report IRI, N-Triples) of n renamed copies of the seed report."""
    seed = report_graph(Extractor()(SAMPLE_REPORT.read_text(encoding="utf-8")))
    nt = seed.serialize(format="nt", encoding="utf-8")
    base = str(seed.identifier).removesuffix(SEED_REPORT)
    return [
        (f"{base}report/局{i}/2022", nt.replace(SEED_REPORT.encode(), f"report/局{i}/2022".encode()))
        for i in range(n)
    ]


def measure(store: GraphStore | RemoteStore, reports: list[tuple[str, bytes]], runs: int) -> dict:
    """Writes and reads on `store`; each backend gets what its `replace_graph` takes, built untimed."""
    given = [(iri, body if isinstance(store, RemoteStore) else _graph(iri, body)) for iri, body in reports]
    started = time.perf_counter()
    for iri, data in given:
        store.replace_graph(iri, data)
    ingest = time.perf_counter() - started
    timings = {}
    for name, sparql in QUERIES.items():
        spent = []
        for _ in range(runs):
            t = time.perf_counter()
            answer = list(store.ox_query(sparql))
            spent.append((time.perf_counter() - t) * 1000)
        timings[name] = (statistics.median(spent), sorted(spent)[int(0.95 * (len(spent) - 1))], len(answer))
    t = time.perf_counter()
    store.replace_graph(*given[0])
    replace = time.perf_counter() - t
    t = time.perf_counter()
    store.remove_graph(reports[1][0])
    remove = time.perf_counter() - t
    return {"rate": len(reports) / ingest, "queries": timings, "replace": replace, "remove": remove}


def _graph(iri: str, body: bytes):
    from rdflib import Graph, URIRef

    return Graph(identifier=URIRef(iri)).parse(data=body, format="nt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    reports = copies(args.reports)
    triples = reports[0][1].count(b"\n")
    print(f"{args.reports} reports of {triples} triples each")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with GraphStore(work / "embedded") as store:
            results["embedded"] = measure(store, reports, args.runs)
        for name, start in [
            ("oxigraph server", lambda d: start_oxigraph(d, free_port())),
            ("virtuoso", lambda d: start_virtuoso(d, free_port(), free_port())),
        ]:
            (work / name).mkdir()
            server = start(work / name)
            try:
                endpoints = Endpoints(server.query, server.update, None, server.user, server.password)
                with RemoteStore(endpoints, query_timeout=60) as store:
                    results[name] = measure(store, reports, args.runs)
            finally:
                server.stop()
    print("| backend | reports/s | replace one, s | remove one, s |\n| --- | ---: | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r['rate']:.1f} | {r['replace']:.2f} | {r['remove']:.2f} |")
    print("\n| query | " + " | ".join(f"{n} p50 / p95 ms (rows)" for n in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for q in QUERIES:
        cells = [
            f"{r['queries'][q][0]:.1f} / {r['queries'][q][1]:.1f} ({r['queries'][q][2]})"
            for r in results.values()
        ]
        print(f"| {q} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
