"""Benchmark: each example query of /sparql in process, over a store opened read-only.

What a query costs the engine without the service around it: CPU seconds (`time.process_time`) and wall
seconds per run, every row read, p50 / p95 of `--rounds`; read-only, so it may run beside a serve of the
same store and on stores nobody may write. Run by hand:

    .venv/bin/python benchmarks/examples_cpu.py /work/stores/s2000/store --bureau 龙桥县公安局 [--rounds 3]

`--bureau` as in `scale.py`: the bureau the examples ask about instead of the sample report's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import EXAMPLES_BUREAU, p50_p95

from policekg.api.sparql_examples import EXAMPLES
from policekg.kg.rdf.store import GraphStore


def timed(store: GraphStore, sparql: str) -> tuple[float, float, int]:
    """(CPU s, wall s, rows) of one run of `sparql`, every row read."""
    cpu, wall = time.process_time(), time.perf_counter()
    rows = sum(1 for _ in store.ox_query(sparql))
    return time.process_time() - cpu, time.perf_counter() - wall, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bureau", default=EXAMPLES_BUREAU)
    parser.add_argument("--only", default="", help="the examples whose English title contains this")
    args = parser.parse_args()
    store = GraphStore(args.store, read_only=True)
    print(f"| example | CPU p50 / p95 s | wall p50 / p95 s (of {args.rounds}) | rows |")
    print("| --- | ---: | ---: | ---: |")
    for example in EXAMPLES:
        if args.only not in example.title:
            continue
        runs = [timed(store, example.query.replace(EXAMPLES_BUREAU, args.bureau)) for _ in range(args.rounds)]
        cpu, wall = p50_p95([r[0] for r in runs]), p50_p95([r[1] for r in runs])
        print(f"| {example.title.split(' · ')[-1]} | {cpu[0]:.2f} / {cpu[1]:.2f} "
              f"| {wall[0]:.2f} / {wall[1]:.2f} | {runs[-1][2]:,} |", flush=True)


if __name__ == "__main__":
    main()
