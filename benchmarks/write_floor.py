"""Benchmark: what the store's writes cost against extraction, for the same reports, in one process.

Issue 14 asks for an ingest whose writes are at most a fifth of its time, at 50 reports a second on two
cores. This measures the floor under that: the extraction of each report of the benchmark's corpus (the
baseline), then Oxigraph's bulk load of the very quads ingest writes (each triple in its report graph
and in the merge), then the same without the merge (a design that kept no merge at all), each into a
fresh store, flushed and compacted as `ingest` leaves it. CPU seconds of this process (Oxigraph's
loader threads included), per report and as a ratio to extraction; the store's size on disk per report.

    .venv/bin/python benchmarks/write_floor.py [--reports 500] [--workdir /tmp/policekg-floor]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest_corpus import make_corpus

from policekg.extract import Extractor
from policekg.kg.ingest.batch import _FLUSH_EVERY
from policekg.kg.ingest.report import extract_report
from policekg.kg.rdf.store import _in_graph_and_merge


def extract_all(corpus: Path) -> tuple[list[tuple[str, bytes]], float]:
    """Every report's graph IRI and N-Triples, and the CPU seconds extraction took (files read included)."""
    extractor = Extractor()
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.endswith(".json"))
    started = time.process_time()
    graphs = [(str(e.graph), e.ntriples) for e in (extract_report(extractor, f, {}) for f in files)]
    return graphs, time.process_time() - started


def load(graphs: list[tuple[str, bytes]], folder: Path, merge: bool) -> tuple[float, int]:
    """CPU seconds to bulk-load the graphs `_FLUSH_EVERY` at a time (as `ingest` does), flush and compact;
    the bytes the store then takes on disk."""
    shutil.rmtree(folder, ignore_errors=True)
    store = ox.Store(str(folder))
    started = time.process_time()
    for i in range(0, len(graphs), _FLUSH_EVERY):
        quads = [_in_graph_and_merge(nt, ox.NamedNode(g)) for g, nt in graphs[i:i + _FLUSH_EVERY]]
        if not merge:  # the merge's copy is the second half of each report's N-Quads
            quads = [q[:len(q) - len(nt)] for q, (_, nt) in zip(quads, graphs[i:i + _FLUSH_EVERY])]
        store.bulk_load(b"".join(quads), ox.RdfFormat.N_QUADS)
        store.flush()
    store.optimize()
    seconds = time.process_time() - started
    del store
    return seconds, sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/policekg-floor"))
    args = parser.parse_args()
    make_corpus(args.workdir / "corpus", args.reports)
    graphs, extraction = extract_all(args.workdir / "corpus")
    n, quads = len(graphs), sum(nt.count(b"\n") for _, nt in graphs)
    print(f"{n} reports, {quads / n:,.0f} triples a report")
    print("\n| step | CPU ms a report | × extraction | MB a report on disk |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| extraction (baseline) | {1000 * extraction / n:.1f} | 1.00 | |")
    for label, merge in (("bulk load, report graph + merge (as ingest)", True),
                         ("bulk load, report graph only (no merge)", False)):
        seconds, size = load(graphs, args.workdir / "store", merge)
        print(f"| {label} | {1000 * seconds / n:.1f} | {seconds / extraction:.2f} | {size / n / 1e6:.2f} |")
    shutil.rmtree(args.workdir / "store", ignore_errors=True)


if __name__ == "__main__":
    main()
