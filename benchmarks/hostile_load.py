"""Other users' latency with and without attackers (issue 15): does a flood of runaway queries, deep
queries and heavy pages slow everyone else down?

A real `policekg serve` over the bundled sample (an empty store: `serve` ingests it), query time limit
`--limit` seconds. Two users loop over a small SELECT and a small page; each phase lasts `--seconds`.
Phase "quiet": the users alone. Phase "attacked": the same users while three attackers loop, one each
sending a runaway query (a triple cross product, stopped at the limit), a query nested 3000 deep
(refused before parsing) and the co-occurrence graph page. Phase "attacked + update": the same and a
fourth attacker holding the update token, looping over a runaway update (a cross product inserted,
stopped at the same limit in the store's writer process, which is then replaced).

Run by hand:  .venv/bin/python benchmarks/hostile_load.py [--seconds 30] [--limit 3]
Record the p95 figures in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

SMALL_QUERY = "SELECT ?r WHERE { ?r a pk:Report } LIMIT 5"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP = "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
RUNAWAY_UPDATE = ("INSERT { GRAPH <http://example.org/pairs> { ?a <http://example.org/with> ?d } } "
                  "WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } GRAPH ?i { ?j ?k ?l } }")
TOKEN = "hostile-load"


def start(store: Path, port: int, limit: float) -> subprocess.Popen:
    env = {**os.environ, "POLICEKG_QUERY_TIMEOUT": str(limit), "POLICEKG_UPDATE_TIMEOUT": str(limit)}
    proc = subprocess.Popen([sys.executable, "-m", "policekg.api", "serve", "--store", str(store),
                             "--port", str(port), "--update-token", TOKEN], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=5)
            return proc
        except httpx.TransportError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def loop(until: float, ask: Callable[[httpx.Client], httpx.Response], times: list[float],
         statuses: dict[int, int]) -> None:
    with httpx.Client(timeout=120) as client:
        while time.monotonic() < until:
            began = time.perf_counter()
            status = ask(client).status_code
            times.append((time.perf_counter() - began) * 1000)
            statuses[status] += 1


def phase(base: str, seconds: float, attacked: bool,
          updating: bool = False) -> dict[str, tuple[list[float], dict[int, int]]]:
    users = {
        "small SELECT": lambda c: c.get(f"{base}/sparql", params={"query": SMALL_QUERY},
                                        headers={"Accept": "application/sparql-results+json"}),
        "page /reports": lambda c: c.get(f"{base}/reports"),
    }
    attackers = {
        "runaway query": lambda c: c.get(f"{base}/sparql", params={"query": RUNAWAY}),
        "deep query": lambda c: c.get(f"{base}/sparql", params={"query": DEEP}),
        "cooccurrence page": lambda c: c.get(f"{base}/graph", params={"view": "cooccurrence"}),
    }
    if updating:
        attackers["runaway update"] = lambda c: c.post(
            f"{base}/sparql", content=RUNAWAY_UPDATE,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"})
    until = time.monotonic() + seconds
    results: dict[str, tuple[list[float], dict[int, int]]] = {}
    threads = []
    for name, ask in (users | (attackers if attacked else {})).items():
        results[name] = ([], defaultdict(int))
        threads.append(threading.Thread(target=loop, args=(until, ask, results[name][0], results[name][1])))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times, default=float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--limit", type=float, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start(Path(tmp) / "store", args.port, args.limit)
        base = f"http://127.0.0.1:{args.port}"
        try:
            phase(base, 5, False)  # warm-up: workers started, pages compiled
            print("| phase | client | requests | statuses | p50 ms | p95 ms |")
            print("| --- | --- | ---: | --- | ---: | ---: |")
            for name, attacked, updating in (("quiet", False, False), ("attacked", True, False),
                                             ("attacked + update", True, True)):
                for client, (times, statuses) in phase(base, args.seconds, attacked, updating).items():
                    seen = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
                    timed = f"{statistics.median(times):.0f} | {p95(times):.0f}" if times else "- | -"
                    print(f"| {name} | {client} | {sum(statuses.values())} | {seen} | {timed} |")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
