"""Benchmark: the whole service at a corpus size (issue 14's scale targets), on this machine.

Generates the corpus of `ingest_corpus.py` (or reuses it), ingests it once with `--jobs 2` in a fresh
process (time, analysis refresh, peak memory, MB a report on disk), times `policekg stats` (the first
run counts, later runs read the counts kept for the store's generation), then starts a real
`policekg serve` over the store and asks every page and every example query of /sparql `--rounds`
times: p50 and p95 per URL, and the answers that were not 200 (the server's own time limit answers 503).
Run by hand:

    .venv/bin/python benchmarks/scale.py --reports 2000 [--workdir /tmp/policekg-scale] [--rounds 5]

`--bureau NAME` asks the examples about one bureau of the store instead of the sample report's
(the generator's bureaus are invented, so the examples as written find nothing there);
`--examples-only` times the example queries alone (no pages, no `stats`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import serving
from ingest_corpus import make_corpus, measure

from policekg.api.sparql_examples import EXAMPLES
from policekg.kg.rdf.iris import PKR

#: Pages that name no resource, and those built from one resource of each kind the store holds.
#: The bureau the example queries name (the sample report's), which `--bureau` replaces.
EXAMPLES_BUREAU = "慈溪市公安局"
FIXED_PAGES = ("/", "/reports", "/search?q=%E5%85%AC%E5%AE%89", "/compare", "/graph", "/sparql")
_PICK = """SELECT ?report ?bureau ?program ?indicator WHERE {
  { SELECT ?report ?bureau WHERE { ?report a pk:Report ; dcterms:publisher ?bureau } LIMIT 1 }
  { SELECT ?program (COUNT(?r) AS ?n) WHERE { ?program a pk:Program ; pk:mentionedIn ?r }
    GROUP BY ?program ORDER BY DESC(?n) LIMIT 1 }
  OPTIONAL { SELECT ?indicator (COUNT(?figure) AS ?m) WHERE { ?figure pk:indicator ?indicator }
    GROUP BY ?indicator ORDER BY DESC(?m) LIMIT 1 } }"""


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _policekg(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policekg.api", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def resource_pages(base: str) -> list[str]:
    """A page of each kind for the most named program, a report, its bureau and the most measured
    indicator (its comparison, its chart's data and its map)."""
    answer = httpx.get(f"{base}/sparql", params={"query": _PICK},
                       headers={"Accept": "application/sparql-results+json"}, timeout=120).json()
    row = {k: v["value"][len(PKR):] for k, v in answer["results"]["bindings"][0].items()}
    pages = [f"/{quote(row['report'])}", f"/id/{quote(row['program'])}", f"/compare/{quote(row['program'])}",
             f"/map/{quote(row['program'])}", f"/graph/entity/{quote(row['program'])}",
             f"/bureau/{quote(row['bureau'].split('/', 1)[1])}", f"/id/{quote(row['bureau'])}"]
    if "indicator" in row:
        pages += [f"/{kind}/{quote(row['indicator'])}" for kind in ("compare", "chart", "map")]
    return pages


def serve_and_time(store: Path, rounds: int, *extra: str, env: dict[str, str] | None = None,
                   bureau: str = EXAMPLES_BUREAU, pages: bool = True) -> list[dict]:
    """p50/p95 per page (unless not `pages`) and example query of `policekg serve` over `store` (or over
    the server that `extra`, e.g. `--store URL`, and `env` name), with the times of the requests behind
    them; the examples ask about `bureau`."""
    with serving(store, *extra, env=env) as server:
        pages = [(p, {}) for p in (*FIXED_PAGES, *resource_pages(server.base))] if pages else []
        queries = [(f"/sparql {e.title.split(' · ')[-1]}", {"_path": "/sparql", "query": e.query.replace(EXAMPLES_BUREAU, bureau)})
                   for e in EXAMPLES]
        rows = []
        for label, params in pages + queries:
            path = params.pop("_path", label)
            rows += [{**r, "what": label} for r in _timed_one(server.base, path, params, rounds)]
        return rows


def _timed_one(base: str, path: str, params: dict, rounds: int) -> list[dict]:
    accept = "application/sparql-results+json" if params else "text/html"
    times, statuses = [], []
    with httpx.Client(timeout=120) as client:
        for _ in range(rounds):
            started = time.perf_counter()
            answer = client.get(base + path, params=params or None, headers={"Accept": accept})
            statuses.append(answer.status_code)
            times.append(time.perf_counter() - started)
    p50, p95 = p50_p95(times)
    return [{"p50": p50, "p95": p95,
             "not_200": sorted({s for s in statuses if s != 200}), "times": times}]


def p50_p95(times: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank) of `times`."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))]


def stats_in_process(store_path: Path) -> str:
    """What `stats` costs without the command's start-up: counting, and reading the kept counts."""
    from policekg.kg.rdf.store import GraphStore, count_stats

    with GraphStore(store_path) as store:
        started = time.perf_counter()
        count_stats(store)
        counted = time.perf_counter() - started
        started = time.perf_counter()
        store.stats()
        kept = time.perf_counter() - started
        return f"stats in process: counting {counted:.2f} s, kept counts {kept:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/policekg-scale"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="time the pages of the store already ingested")
    parser.add_argument("--bureau", default=EXAMPLES_BUREAU, help="the bureau the example queries ask about")
    parser.add_argument("--examples-only", action="store_true", help="time the example queries only")
    args = parser.parse_args()
    corpus, store = args.workdir / "corpus", args.workdir / "store"
    if not args.reuse:
        started = time.perf_counter()
        formats = make_corpus(corpus, args.reports)
        seconds = time.perf_counter() - started
        print(f"corpus: {args.reports} reports {formats} in {seconds:.1f} s", flush=True)
        row = measure(corpus, store, args.jobs)
        row["mb_per_report"] = _du_mb(store) / max(1, row["stored"])
        print(f"ingest --jobs {args.jobs}: {json.dumps(row, ensure_ascii=False)}", flush=True)
    if not args.examples_only:
        print(f"store on disk: {_du_mb(store):.0f} MB", flush=True)
        print(f"stats: first {_policekg('stats', '--store', str(store)):.2f} s, "
              f"again {_policekg('stats', '--store', str(store)):.2f} s (both with start-up)", flush=True)
        print(stats_in_process(store), flush=True)
    rows = serve_and_time(store, args.rounds, bureau=args.bureau, pages=not args.examples_only)
    print(f"\n| page or example query | p50 s | p95 s (of {args.rounds}) | not 200 |")
    print("| --- | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['what']} | {r['p50']:.2f} | {r['p95']:.2f} | {', '.join(map(str, r['not_200']))} |")


if __name__ == "__main__":
    main()
