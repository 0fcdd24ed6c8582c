"""Benchmark: the graph pages of a store already ingested, through a real `policekg serve`.

Times each URL `--rounds` times after one warm-up request (wall p50/p95), with the size of its answer
and the CPU the server spent on it (its process and its workers, from /proc, in seconds), and prints
the load average beside them: the machine is shared, so wall time alone says little.

    .venv/bin/python benchmarks/graph_page.py --store /work/stores/t20k/store [--rounds 10] [URL ...]

Without URLs it asks /graph and /graph?all=1; with `--details`, also the details of the node of the
most edges and of the edge of the most bureaus of /graph (the JSON a click fetches).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conftest import serving
from scale import p50_p95

TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and every live descendant, with the children they reaped."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / TICK
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | more, bool(more)
    return sum(times.get(p, 0.0) for p in tree)


def time_url(client: httpx.Client, base: str, pid: int, url: str, rounds: int) -> dict:
    """Wall p50/p95, bytes and server CPU a request of `url` (after a warm-up request)."""
    client.get(base + url).raise_for_status()
    walls, cpus, size = [], [], 0
    for _ in range(rounds):
        cpu, started = tree_cpu(pid), time.perf_counter()
        answer = client.get(base + url)
        walls.append(time.perf_counter() - started)
        cpus.append(tree_cpu(pid) - cpu)
        answer.raise_for_status()
        size = len(answer.content)
    p50, p95 = p50_p95(walls)
    return {"url": url, "bytes": size, "p50": p50, "p95": p95, "cpu": sum(cpus) / rounds}


def detail_urls(client: httpx.Client, base: str) -> list[str]:
    """The details a click on /graph fetches: of the node with the most edges, of the widest edge."""
    data = client.get(base + "/graph", params={"format": "json"}).json()
    degree: dict[str, int] = {}
    for edge in data["edges"]:
        for end in (edge["from"], edge["to"]):
            degree[end] = degree.get(end, 0) + 1
    hub = max(degree, key=lambda n: (degree[n], n))
    widest = max(data["edges"], key=lambda e: (e.get("width", 1), e["id"]))
    return [f"{data['details']}?{urlencode({'node': hub})}", f"{data['details']}?{urlencode({'edge': widest['id']})}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--details", action="store_true", help="also time what a click on /graph fetches")
    parser.add_argument("urls", nargs="*", default=["/graph", "/graph?all=1"])
    args = parser.parse_args()
    with serving(args.store) as server, httpx.Client(timeout=300, headers={"Accept": "text/html"}) as client:
        urls = args.urls + (detail_urls(client, server.base) if args.details else [])
        print("| URL | bytes | wall p50 s | wall p95 s | server CPU s a request | load (1 min) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for url in urls:
            row = time_url(client, server.base, server.pid, url, args.rounds)
            print(f"| {row['url']} | {row['bytes']:,} | {row['p50']:.3f} | {row['p95']:.3f} | {row['cpu']:.3f} "
                  f"| {os.getloadavg()[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
