"""How long SHACL validation of report graphs takes: our Oxigraph-backed path against plain pyshacl.

Baseline: `pyshacl.validate(rdflib_graph, ont_graph=ontology)`, the obvious call, which re-parses each
SPARQL-based constraint with rdflib's parser for every focus node. Ours: `kg.validate.validate_graph`
(a scratch Oxigraph store). Both must report the same results; the script checks that.

Run by hand:  .venv/bin/python benchmarks/bench_validate.py [REPORT.txt ...]
(default: the seed and the reports in tests/data). Record the ratios in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyshacl
from rdflib import RDF, Graph
from rdflib.namespace import SH

from policekg.extract import Extractor
from policekg.kg.rdf.triples import report_graph
from policekg.kg.rdf.validate import ontology_graph, shapes_graph, validate_graph
from policekg.kg.sample import SAMPLE_REPORT

ROOT = Path(__file__).resolve().parent.parent


def baseline(graph: Graph) -> int:
    """Plain pyshacl on the rdflib graph, the ontology mixed in by pyshacl; number of results."""
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                                inference="none", allow_warnings=True)
    return len(set(report.subjects(RDF.type, SH.ValidationResult)))


def timed(fn, graph: Graph) -> tuple[float, int]:
    start = time.perf_counter()
    n = fn(graph)
    return time.perf_counter() - start, n


def main(paths: list[Path]) -> None:
    extractor = Extractor()
    graphs = [report_graph(extractor(p.read_text(encoding="utf-8"))) for p in paths]
    validate_graph(graphs[0])  # warm both paths (shape parsing, imports) before timing
    baseline(graphs[0])
    total_base = total_ours = 0.0
    print(f"{'report':40} {'triples':>8} {'mentions':>8} {'baseline s':>10} {'ours s':>8} {'ratio':>6}")
    for path, graph in zip(paths, graphs):
        t_base, n_base = timed(baseline, graph)
        t_ours, n_ours = timed(lambda g: len(validate_graph(g)), graph)
        if n_base != n_ours:
            raise SystemExit(f"{path.name}: baseline found {n_base} results, ours {n_ours}")
        mentions = sum(1 for _ in graph.subjects(RDF.type, graph.namespace_manager.expand_curie("pk:Mention")))
        total_base, total_ours = total_base + t_base, total_ours + t_ours
        print(f"{path.name:40} {len(graph):8} {mentions:8} {t_base:10.2f} {t_ours:8.2f} {t_base / t_ours:6.1f}")
    print(f"{'all':40} {'':8} {'':8} {total_base:10.2f} {total_ours:8.2f} {total_base / total_ours:6.1f}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    main(args or [SAMPLE_REPORT, *sorted((ROOT / "tests" / "data").glob("*.txt"))])
