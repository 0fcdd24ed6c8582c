"""Benchmark: what storing costs on top of extraction, on the 27 test reports (issue 14's target ≤ 1.5×).

Two fresh processes over the same files (the seed, tests/data/*.txt, tests/data/blind/*.txt), timed
wall-clock from start to exit, so start-up counts on both sides:
- baseline: load each file and run the `Extractor` over it, nothing else;
- ingest: `policekg ingest --jobs 1` into a fresh store (graph building, store writes and the analysis
  refresh at the end included).
Rounds alternate the two (the machine is shared); the fastest round of each is kept. Run by hand:

    .venv/bin/python benchmarks/ingest_overhead.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

EXTRACT_ONLY = """
import sys
from pathlib import Path
from policekg.extract import Extractor
from policekg.kg.loaders import load
extractor = Extractor()
for name in sys.argv[1:]:
    extractor(load(Path(name)).text)
"""


def files() -> list[Path]:
    """The 27 reports the test suite holds: the seed, the tuned set and the blind sets."""
    return [ROOT / "kg" / "sample" / "000_01c10ac9e2f52e48.txt", *sorted(DATA.glob("*.txt")),
            *sorted((DATA / "blind").glob("*.txt"))]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = [str(p) for p in files()]
    best = {"extract": float("inf"), "ingest": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        for _ in range(args.rounds):
            best["extract"] = min(best["extract"], timed([sys.executable, "-c", EXTRACT_ONLY, *paths]))
            shutil.rmtree(store, ignore_errors=True)
            ingest = [sys.executable, "-m", "policekg.kg", "ingest", "-j", "1", "--store", str(store), *paths]
            best["ingest"] = min(best["ingest"], timed(ingest))
        size = sum(f.stat().st_size for f in store.iterdir())
        tables = sum(f.stat().st_size for f in store.glob("*.sst"))  # the rest is mostly the write-ahead log
    print(f"{len(paths)} reports | extractor alone {best['extract']:.2f} s | ingest -j 1 {best['ingest']:.2f} s"
          f" | ratio {best['ingest'] / best['extract']:.2f} | store {size / 2**20:.1f} MB"
          f" ({tables / 2**20:.1f} MB in tables)")


if __name__ == "__main__":
    main()
