"""Benchmark: what storing costs on top of extraction, on the 27 test reports (issue 14's target ≤ 1.5×).

Two fresh processes over the same files (the seed, tests/data/*.txt, tests/data/blind/*.txt), timed
from start to exit, so start-up counts on both sides:
- baseline: load each file and run the `Extractor` over it, nothing else;
- ingest: `policekg ingest --jobs 1` into a fresh store (graph building, store writes and the analysis
  refresh at the end included).
Rounds alternate the two; the fastest round of each is kept. Wall-clock time and CPU time (user +
system, RocksDB's background threads included) are both given: on a shared machine the CPU time is the
steadier figure. Run by hand:

    .venv/bin/python benchmarks/ingest_overhead.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import resource
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
from policekg.kg.ingest.loaders import load
extractor = Extractor()
for name in sys.argv[1:]:
    extractor(load(Path(name)).text)
"""


def files() -> list[Path]:
    """The 27 reports the test suite holds: the seed, the tuned set and the blind sets."""
    return [ROOT / "kg" / "sample" / "000_01c10ac9e2f52e48.txt", *sorted(DATA.glob("*.txt")),
            *sorted((DATA / "blind").glob("*.txt"))]


def timed(args: list[str]) -> tuple[float, float]:
    """(wall-clock s, CPU s) of one run of `args` in a child process."""
    before, started = _cpu(), time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started, _cpu() - before


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = [str(p) for p in files()]
    best = {"extract": (float("inf"),) * 2, "ingest": (float("inf"),) * 2}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        for _ in range(args.rounds):
            best["extract"] = _fastest(best["extract"], timed([sys.executable, "-c", EXTRACT_ONLY, *paths]))
            shutil.rmtree(store, ignore_errors=True)
            ingest = [sys.executable, "-m", "policekg.api", "ingest", "-j", "1", "--store", str(store), *paths]
            best["ingest"] = _fastest(best["ingest"], timed(ingest))
        size = sum(f.stat().st_size for f in store.iterdir())
        tables = sum(f.stat().st_size for f in store.glob("*.sst"))  # the rest is mostly the write-ahead log
    (ew, ec), (iw, ic) = best["extract"], best["ingest"]
    print(f"{len(paths)} reports | extractor alone {ew:.2f} s wall, {ec:.2f} s CPU"
          f" | ingest -j 1 {iw:.2f} s wall, {ic:.2f} s CPU | ratio {iw / ew:.2f} wall, {ic / ec:.2f} CPU"
          f" | store {size / 2**20:.1f} MB ({tables / 2**20:.1f} MB in tables)")


def _fastest(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return min(a[0], b[0]), min(a[1], b[1])


if __name__ == "__main__":
    main()
