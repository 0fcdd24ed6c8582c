"""Benchmark: what keeping the default graph as the merge of the report graphs costs (issue 14).

The 27 test reports are extracted once, then written `--copies` times over (each copy a report of its
own year, so entities are shared the way a bureau's yearly reports share them) into two fresh stores:
- named graphs only (what the store did before: Oxigraph's union default graph answers queries);
- `GraphStore.replace_graph`: each report graph and the merge, in one load.
Reported: CPU time of the writes, the store on disk after closing (tables and all), and the issue's two
queries over Oxigraph's union (wrong: a shared triple counts once per graph) and over the merge. Run by hand:

    .venv/bin/python benchmarks/merge_cost.py [--copies 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_overhead import files

from policekg.extract import Extractor
from policekg.kg.ingest.loaders import load
from policekg.kg.rdf.iris import PREFIXES, report_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_triples

QUERIES = {
    "programs": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }",
    "implements by label": "SELECT ?l (COUNT(?m) AS ?n) WHERE { ?m pk:implements ?p . ?p rdfs:label ?l } "
                           "GROUP BY ?l ORDER BY DESC(?n) LIMIT 3",
}


def reports(copies: int) -> list[tuple[str, bytes]]:
    """(graph IRI, N-Triples) of every report, each test report once per year 2001, 2002, …"""
    extractor = Extractor()
    texts = [load(path).text for path in files()]
    out = []
    for year in range(2001, 2001 + copies):
        for text in texts:
            ex = extractor(text, year=year)
            out.append((str(report_iri(ex.meta.issuer, year)),
                        ox.serialize(report_triples(ex), format=ox.RdfFormat.N_TRIPLES)))
    return list(dict(out).items())  # one graph per IRI, as ingest keeps it


def disk(path: Path) -> tuple[float, float]:
    """(all files, tables only) in MB."""
    files_ = [f for f in path.iterdir() if f.is_file()]
    return (sum(f.stat().st_size for f in files_) / 2**20,
            sum(f.stat().st_size for f in files_ if f.suffix == ".sst") / 2**20)


def answers(store: ox.Store, **dataset) -> dict[str, tuple[float, list]]:
    out = {}
    for name, query in QUERIES.items():
        started = time.perf_counter()
        rows = [[t.value for t in row] for row in store.query(query, prefixes=PREFIXES, **dataset)]
        out[name] = (time.perf_counter() - started, rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    data = reports(args.copies)
    triples = sum(nt.count(b"\n") for _, nt in data)
    print(f"{len(data)} report graphs, {triples:,} triples")
    with tempfile.TemporaryDirectory() as tmp:
        named = ox.Store(str(Path(tmp) / "named"))
        started = time.process_time()
        for iri, nt in data:
            named.load(nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
        named.flush()
        named_cpu = time.process_time() - started
        union = answers(named, use_default_graph_as_union=True)
        del named
        merged = GraphStore(Path(tmp) / "merged")
        started = time.process_time()
        for iri, nt in data:
            merged.replace_graph(iri, nt)
        merged.ox.flush()
        merged_cpu = time.process_time() - started
        merge = answers(merged.ox)
        distinct = len(merged)
        merged.close()
        sizes = {"named": disk(Path(tmp) / "named"), "merged": disk(Path(tmp) / "merged")}
    print(f"distinct triples (the merge): {distinct:,}")
    print("| store | write CPU s | on disk MB (tables MB) |")
    print("| --- | ---: | ---: |")
    for label, cpu, size in (("named graphs only", named_cpu, sizes["named"]),
                             ("named graphs + merge", merged_cpu, sizes["merged"])):
        print(f"| {label} | {cpu:.2f} | {size[0]:.1f} ({size[1]:.1f}) |")
    print("| query | union s | union answer | merge s | merge answer |")
    print("| --- | ---: | --- | ---: | --- |")
    for name in QUERIES:
        u, m = union[name], merge[name]
        print(f"| {name} | {u[0]:.3f} | {u[1]} | {m[0]:.3f} | {m[1]} |")


if __name__ == "__main__":
    main()
