"""Benchmark the SPARQL endpoint against rdflib-endpoint and bare `oxigraph serve`, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/sparql_endpoint.py [--reports 320] [--seconds 20] [--rdflib-seconds 90]

The data: the seed report extracted once, then varied (issuer, year, figures) into `--reports`
report graphs (320 ≈ 1M triples), written as one N-Quads file that all three servers load. Each
server runs alone (2 shared cores), gets the same query mix (lookups, aggregations, property
paths, a CONSTRUCT) from the same `--concurrency` client threads for a fixed time, after one
correctness pass that checks every server returns the same number of rows per query. rdflib-endpoint
is far slower, so it gets its own (longer) time box; its throughput is still requests per second.
The result table goes into benchmarks/RESULTS.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
from typing_extensions import Self

from policekg.extract import Extraction, Extractor
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.sample import SAMPLE_REPORT

log = logging.getLogger("bench")
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- sparql_endpoint:start -->", "<!-- sparql_endpoint:end -->"
CITIES = ["慈溪市", "余姚市", "宁海县", "象山县", "奉化区", "鄞州区", "海曙区", "江北区", "北仑区", "镇海区",
          "诸暨市", "嵊州市", "新昌县", "上虞区", "柯桥区", "越城区", "临海市", "温岭市", "玉环市", "天台县",
          "仙居县", "三门县", "黄岩区", "椒江区", "路桥区", "义乌市", "东阳市", "永康市", "兰溪市", "浦江县",
          "武义县", "磐安县"]
YEARS = range(2015, 2025)


# -- data -----------------------------------------------------------------------------------------

def variants(seed: Extraction, count: int) -> list[Extraction]:
    """`count` reports made from the seed: another issuer and year each, figures scaled at random."""
    rng = random.Random(4)
    out = []
    for i in range(count):
        ex = copy.deepcopy(seed)
        ex.meta.issuer = f"{CITIES[i % len(CITIES)]}公安局"
        ex.meta.year = YEARS[i // len(CITIES) % len(YEARS)]
        ex.meta.title = None
        for obs in ex.observations:
            obs.value = (obs.value * Decimal(rng.randint(50, 200)) / 100).quantize(Decimal(1))
        out.append(ex)
    return out


def build_dataset(workdir: Path, reports: int) -> Path:
    """The N-Quads file of all synthetic reports (made once per --reports and kept)."""
    path = workdir / f"data-{reports}.nq"
    if path.exists():
        return path
    seed = Extractor()(SAMPLE_REPORT.read_text(encoding="utf-8"), issuer="慈溪市公安局", year=2022)
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as out:
        for ex in variants(seed, reports):
            graph = report_graph(ex)
            node = ox.NamedNode(str(graph.identifier))
            nt = graph.serialize(format="nt", encoding="utf-8")
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object, node)
                          for t in ox.parse(nt, ox.RdfFormat.N_TRIPLES)), out, ox.RdfFormat.N_QUADS)
    tmp.rename(path)
    return path


def load_stores(workdir: Path, data: Path) -> tuple[Path, Path]:
    """Fresh on-disk stores for our server and for `oxigraph serve`, loaded from the same file."""
    ours, bare = workdir / "store-policekg", workdir / "store-oxigraph"
    done = workdir / f"stores-{data.stem}.loaded"
    if done.exists():
        return ours, bare
    for d in (ours, bare):
        shutil.rmtree(d, ignore_errors=True)
    store = GraphStore(ours)
    store.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.remerge()  # the bulk load filled the named graphs only: derive the default graph, their merge
    log.info("policekg store: %d distinct triples", len(store))
    store.close()
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(bare), "--file", str(data)], check=True,
                   capture_output=True)
    done.touch()
    return ours, bare


# -- queries --------------------------------------------------------------------------------------

def query_mix(store: GraphStore) -> dict[str, tuple[str, str]]:
    """name → (query, Accept): lookups, aggregations, property paths, a CONSTRUCT. Constants picked from
    the data (a report, a program, an indicator, a measure) so every query has answers.

    Queries that join triples several report graphs share (an entity's label and type) match them
    inside `GRAPH ?r { }`: Oxigraph 0.5's union default graph repeats a shared triple once per graph
    (oxigraph/oxigraph#1919, fixed for 0.6), so a join of two shared triples over 320 reports makes
    320² rows. Inside GRAPH each report counts once, on every server."""
    def one(q: str) -> str:
        return next(iter(store.ox_query(q)))[0].value

    report = one("SELECT ?r WHERE { GRAPH ?r { ?r a pk:Report } } ORDER BY ?r LIMIT 1")
    program = one("SELECT ?l WHERE { GRAPH ?g { ?p a pk:Program ; rdfs:label ?l } } ORDER BY ?l LIMIT 1")
    indicator = one(f"SELECT ?i WHERE {{ GRAPH <{report}> {{ ?o pk:indicator ?i }} }} ORDER BY ?i LIMIT 1")
    measure = one(f"SELECT ?m WHERE {{ GRAPH <{report}> {{ ?m pk:hasObservation ?o }} }} ORDER BY ?m LIMIT 1")
    json, ttl = "application/sparql-results+json", "text/turtle"
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    mix = {
        "lookup: report metadata":
            (f"SELECT ?p ?o WHERE {{ <{report}> ?p ?o FILTER(?p != pk:fullText) }}", json),
        "lookup: entity by label":
            (f'SELECT ?e ?type ?r WHERE {{ GRAPH ?r {{ ?e rdfs:label "{program}"@zh ; a ?type }} }}', json),
        "aggregate: programs by bureaus":
            (("SELECT ?program (COUNT(DISTINCT ?b) AS ?bureaus) WHERE { GRAPH ?r {"
             " ?p a pk:Program ; rdfs:label ?program . ?r dcterms:publisher ?b } }"
             " GROUP BY ?program ORDER BY DESC(?bureaus) ?program LIMIT 20"), json),
        "aggregate: measures by year and status":
            (("SELECT ?year ?status (COUNT(?m) AS ?n) WHERE {"
             " ?r pk:year ?year ; pk:hasSection ?s . ?s pk:hasMeasure ?m . ?m pk:status ?status }"
             " GROUP BY ?year ?status ORDER BY ?year ?status"), json),
        "path: a report's figures":
            ((f"SELECT ?o ?indicator ?value WHERE {{ GRAPH <{report}> {{"
             f" <{report}> pk:hasSection/pk:hasMeasure/pk:hasObservation ?o ."
             " ?o pk:value ?value ; pk:indicator/rdfs:label ?indicator } } ORDER BY ?o"), json),
        "path: indicator across reports":
            ((f"SELECT ?o ?bureau ?year ?value WHERE {{ GRAPH ?r {{"
             f" ?o pk:indicator <{indicator}> ; pk:value ?value ."
             " ?r pk:year ?year ; dcterms:publisher/rdfs:label ?bureau } } ORDER BY ?o"), json),
        "filter: measures naming 执法":
            (("SELECT ?m ?l WHERE { ?m a pk:Measure ; rdfs:label ?l"
             ' FILTER(CONTAINS(?l, "执法")) } ORDER BY ?m LIMIT 50'), json),
        "construct: one measure":
            (f"CONSTRUCT {{ <{measure}> ?p ?o }} WHERE {{ <{measure}> ?p ?o }}", ttl),
    }
    return {name: (prologue + q, accept) for name, (q, accept) in mix.items()}


# -- servers --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    cmd: list[str]
    port: int
    path: str
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def __enter__(self) -> Self:
        self.log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{self.port}.log", "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **self.env})
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            try:
                if httpx.get(self.url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(1)
        raise RuntimeError(f"{self.name} did not start")

    def __exit__(self, *exc) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def servers(ours: Path, bare: Path, data: Path) -> list[Server]:
    p = [free_port() for _ in range(3)]
    return [
        Server("policekg", [sys.executable, "-m", "policekg.api", "serve", "--store", str(ours),
                            "--port", str(p[0])], p[0], "/sparql", {"POLICEKG_QUERY_TIMEOUT": "120"}),
        Server("oxigraph serve", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(bare), "--bind",
                                  f"127.0.0.1:{p[1]}", "--union-default-graph"], p[1], "/query"),
        Server("rdflib-endpoint", [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1",
                                   "--port", str(p[2])], p[2], "/"),
    ]


# -- load -----------------------------------------------------------------------------------------

def rows(resp: httpx.Response) -> int:
    if resp.headers["content-type"].startswith("text/turtle"):
        return len(list(ox.parse(resp.content, ox.RdfFormat.TURTLE)))
    return len(resp.json()["results"]["bindings"])


def ask(client: httpx.Client, url: str, query: str, accept: str) -> httpx.Response:
    return client.post(url, data={"query": query}, headers={"Accept": accept}, timeout=600)


def check(server: Server, mix: dict[str, tuple[str, str]]) -> dict[str, int]:
    """One pass over the mix (also the warm-up): row counts per query, which must match across servers."""
    with httpx.Client() as client:
        return {name: rows(ask(client, server.url, q, accept)) for name, (q, accept) in mix.items()}


def load(server: Server, mix: dict[str, tuple[str, str]], seconds: float, threads: int) -> dict:
    """`threads` clients cycling through the mix for `seconds`; latency of every request, errors counted."""
    names = list(mix)
    latencies: dict[str, list[float]] = {n: [] for n in names}
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client_loop(offset: int) -> None:
        with httpx.Client() as client:
            i = offset
            while time.monotonic() < stop:
                name = names[i % len(names)]
                started = time.perf_counter()
                resp = ask(client, server.url, *mix[name])
                elapsed = time.perf_counter() - started
                with lock:
                    if resp.status_code == 200:
                        latencies[name].append(elapsed)
                    else:
                        errors[0] += 1
                i += 1

    started = time.monotonic()
    pool = [threading.Thread(target=client_loop, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.monotonic() - started
    every = [x for xs in latencies.values() for x in xs]
    return {"requests": len(every), "errors": errors[0], "wall": wall, "rps": len(every) / wall,
            "p50": _pct(every, 50), "p95": _pct(every, 95),
            "per_query": {n: (len(xs), _pct(xs, 95)) for n, xs in latencies.items()}}


def _pct(xs: list[float], p: int) -> float:
    if not xs:
        return float("nan")
    if len(xs) == 1:
        return xs[0] * 1000
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1] * 1000


# -- report ---------------------------------------------------------------------------------------

def report(results: dict[str, dict], triples: int, reports: int, args: argparse.Namespace,
           mismatches: list[str]) -> str:
    ours, bare, rdfl = (results[n] for n in ("policekg", "oxigraph serve", "rdflib-endpoint"))
    command = (f"benchmarks/sparql_endpoint.py --reports {reports} --seconds {args.seconds:g} "
               f"--rdflib-seconds {args.rdflib_seconds:g} --concurrency {args.concurrency}")
    lines = [START, "## SPARQL endpoint: policekg vs rdflib-endpoint vs `oxigraph serve`", "",
             (f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `{command}`: {triples:,} quads in "
             f"{reports} report graphs (the seed, varied), {len(ours['per_query'])} queries in the mix, "
             f"{args.concurrency} client threads, one server at a time on the same 2 shared cores."), "",
             "| server | requests | errors | seconds | req/s | p50 ms | p95 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['requests']} | {r['errors']} | {r['wall']:.0f} | {r['rps']:.1f} | "
                     f"{r['p50']:.1f} | {r['p95']:.1f} |")
    vs_rdflib = f"**{ours['rps'] / rdfl['rps']:.1f}×**" if rdfl["rps"] else "∞ (nothing answered in its box)"
    lines += ["", f"- policekg / rdflib-endpoint throughput: {vs_rdflib} (target ≥ 10×)",
              f"- policekg / oxigraph serve throughput: **{ours['rps'] / bare['rps']:.2f}×** (target ≥ 0.5×)",
              "", "p95 per query, ms (requests):", "",
              "| query | " + " | ".join(results) + " |", "| --- |" + " ---: |" * len(results)]
    for name in ours["per_query"]:
        cells = [f"{r['per_query'][name][1]:.1f} ({r['per_query'][name][0]})" for r in results.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    agreed = "Row counts per query agreed across the three servers."
    lines += ["", agreed if not mismatches else "Row-count mismatches: " + "; ".join(mismatches), END]
    return "\n".join(lines) + "\n"


def record(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=320)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rdflib-seconds", type=float, default=90)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/policekg-bench"))
    parser.add_argument("--no-record", action="store_true", help="print the table only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args.workdir.mkdir(parents=True, exist_ok=True)
    data = build_dataset(args.workdir, args.reports)
    ours_dir, bare_dir = load_stores(args.workdir, data)
    store = GraphStore(ours_dir, read_only=True)
    triples, mix = len(store), query_mix(store)
    del store
    results, counts = {}, {}
    for server in servers(ours_dir, bare_dir, data):
        log.info("starting %s", server.name)
        with server:
            counts[server.name] = check(server, mix)
            seconds = args.rdflib_seconds if server.name == "rdflib-endpoint" else args.seconds
            results[server.name] = load(server, mix, seconds, args.concurrency)
        log.info("%s: %s", server.name, {k: v for k, v in results[server.name].items() if k != "per_query"})
    mismatches = [f"{q}: {', '.join(f'{s}={c[q]}' for s, c in counts.items())}"
                  for q in mix if len({c[q] for c in counts.values()}) > 1]
    section = report(results, triples, args.reports, args, mismatches)
    print(section)
    if not args.no_record:
        record(section)


if __name__ == "__main__":
    main()
