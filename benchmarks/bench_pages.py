"""How long the browsing pages' queries take on many reports: ours against the obvious SPARQL.

An entity's triples (type, label, aliases) are repeated in every report graph naming it, and
Oxigraph's union default graph returns one copy per graph. Baseline: the queries as one first writes
them, joining over the union (the first version of `kg/read/` modules). Ours: the `kg`
functions the pages call (counts inside `GRAPH ?report`, names looked up once with DISTINCT/VALUES).
Both must give the same answer; the script checks that.

The store: the seed and the reports of tests/data, extracted once, then copied `--copies` times
under renamed bureaus (慈溪市公安局 → 慈溪市3公安局), so programs and indicators are shared by
many reports, as in the real corpus.

Run by hand:  .venv/bin/python benchmarks/bench_pages.py [--copies 10]
Record the ratios in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from policekg.extract import Extractor
from policekg.kg.rdf.iris import PK
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.read import compare, describe, overview, search, sparql
from policekg.kg.sample import SAMPLE_REPORT

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
REPORT_CLASS = ox.NamedNode(str(PK.Report))

NAIVE_SEARCH = """
SELECT ?e (COUNT(DISTINCT ?r) AS ?reports) WHERE {
  VALUES ?cls { pk:PoliceUnit pk:GovernmentBody pk:Program pk:LegalInstrument pk:Platform pk:Place
                pk:Indicator pk:Report pk:Measure }
  ?e a ?cls ; rdfs:label|skos:altLabel ?name . FILTER(CONTAINS(LCASE(STR(?name)), "市局"))
  ?e a ?type . OPTIONAL { ?e pk:mentionedIn ?r }
} GROUP BY ?e
"""
NAIVE_CENTRAL = """
SELECT ?iri (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?iri a pk:Program ; rdfs:label ?label ; pk:mentionedIn ?report . OPTIONAL { ?m pk:mentionOf ?iri }
} GROUP BY ?iri ORDER BY DESC(?reports) DESC(?mentions) ?iri LIMIT 10
"""
NAIVE_FIGURES = """
SELECT DISTINCT ?obs WHERE {
  ?obs pk:indicator %s ; pk:value ?value ; pk:inReport ?report .
  OPTIONAL { ?obs pk:indicator/rdfs:label ?l } OPTIONAL { ?obs pk:unit ?u }
  OPTIONAL { ?report dcterms:publisher/rdfs:label ?issuer }
}
"""
NAIVE_COMPARE = """
SELECT ?iri (COUNT(DISTINCT ?report) AS ?reports) WHERE {
  ?iri a pk:Program . OPTIONAL { ?iri rdfs:label ?label } ?iri pk:mentionedIn ?report .
  ?report a pk:Report . OPTIONAL { ?report dcterms:publisher ?issuer } OPTIONAL { ?report pk:year ?year }
} GROUP BY ?iri
"""


def build_store(path: Path, copies: int) -> int:
    """Extract the corpus once, store `copies` renamed copies of every report; number of reports."""
    extractor = Extractor()
    sources = [(SAMPLE_REPORT, {})]
    for gold in sorted(DATA.glob("1*.gold.json")):
        meta = json.loads(gold.read_text(encoding="utf-8"))
        sources.append((gold.with_name(gold.name.replace(".gold.json", ".txt")),
                        {"issuer": meta["issuer"], "year": meta["year"]}))
    graphs = []
    for text_path, overrides in sources:
        extraction = extractor(text_path.read_text(encoding="utf-8"), **overrides)
        graphs.append((extraction.meta.issuer, report_graph(extraction).serialize(format="nt")))
    store = ox.Store(str(path))
    for k in range(copies):
        for issuer, nt in graphs:
            renamed = issuer.replace("公安局", f"{k}公安局") if "公安局" in issuer else f"{issuer}{k}"
            triples = list(ox.parse(nt.replace(issuer, renamed).encode(), format=ox.RdfFormat.N_TRIPLES))
            graph = next(t.subject for t in triples if t.object == REPORT_CLASS)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    store.flush()
    del store
    gc.collect()
    return copies * len(graphs)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        reports = build_store(Path(tmp) / "store", copies)
        store = GraphStore(Path(tmp) / "store", read_only=True)
        print(f"{reports} reports, {len(store)} quads")
        program = "https://w3id.org/policekg/id/program/枫桥经验"
        indicator = compare.comparable(store, "Indicator")[0]["iri"]
        cases = [
            ("search 市局", lambda: {h.iri for h in search.search(store, "市局", size=5000).items},
             lambda: {r["e"] for r in sparql.rows(store, NAIVE_SEARCH)}),
            ("central programs", lambda: [r.iri for r in overview.central(store, "Program", 10)],
             lambda: [r["iri"] for r in sparql.rows(store, NAIVE_CENTRAL)]),
            ("figures of an indicator", lambda: {f["obs"] for f in describe.figures(store, indicator)},
             lambda: {r["obs"] for r in sparql.rows(store, NAIVE_FIGURES % sparql.sparql_iri(indicator))}),
            ("compare index",
             lambda: {(r["iri"], r["reports"]) for r in compare.comparable(store, "Program")},
             lambda: {(r["iri"], r["reports"]) for r in sparql.rows(store, NAIVE_COMPARE)}),
            ("entity page 枫桥经验", lambda: len(describe.describe(store, program).reports), None),
        ]
        print(f"{'page query':28} {'baseline s':>10} {'ours s':>8} {'ratio':>7}")
        for name, ours, naive in cases:
            t_ours, got = timed(ours)
            if naive is None:
                print(f"{name:28} {'':>10} {t_ours:8.3f}")
                continue
            t_base, expected = timed(naive)
            assert got == expected, f"{name}: answers differ"
            print(f"{name:28} {t_base:10.3f} {t_ours:8.3f} {t_base / t_ours:7.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of each corpus report")
    main(parser.parse_args().copies)
