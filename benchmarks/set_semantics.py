"""Check at size: plain queries over the default graph answer as over the distinct union of the reports.

Issue 14's queries (how many programs; how many measures implement each program, by label), each run
twice over a store on disk: as a user writes it, over the default graph (the merge policekg keeps),
and written out against the named graphs with DISTINCT, which is the set-semantics union by
definition whatever the default graph holds. Oxigraph's own union default graph is asked too, to show
what the merge corrects (with `--union`: its joins grow with the square of the reports naming an
entity, so at 20,000 reports it runs for many minutes). Prints rows compared, whether they are equal, and the seconds each took.
Run by hand over a store made by `scale.py`:

    .venv/bin/python benchmarks/set_semantics.py /tmp/policekg-scale/store
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore

#: (what, as a user writes it, the same over the named graphs with set semantics spelled out)
QUERIES = (
    ("programs",
     "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Program }",
     "SELECT (COUNT(?p) AS ?n) WHERE { SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a pk:Program } } }"),
    ("implements by label",
     "SELECT ?l (COUNT(?m) AS ?n) WHERE { ?m pk:implements ?p . ?p rdfs:label ?l } GROUP BY ?l",
     ("SELECT ?l (COUNT(?m) AS ?n) WHERE { { SELECT DISTINCT ?m ?p WHERE { GRAPH ?g { ?m pk:implements ?p } } }"
     " { SELECT DISTINCT ?p ?l WHERE { GRAPH ?h { ?p rdfs:label ?l } } } } GROUP BY ?l")),
)


def rows(store: GraphStore, sparql: str, **kwargs: object) -> tuple[set[tuple[str, ...]], float]:
    started = time.perf_counter()
    found = store.ox.query(sparql, prefixes=PREFIXES, **kwargs)
    answer = {tuple(s[v].value for v in found.variables) for s in found}
    return answer, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--union", action="store_true", help="also ask Oxigraph's own union default graph")
    args = parser.parse_args()
    with GraphStore(args.store, read_only=True) as store:
        print(f"{len(store.report_graphs())} reports")
        print("| query | rows | default graph s | distinct union s | equal | Oxigraph's union equal |")
        print("| --- | ---: | ---: | ---: | --- | --- |")
        for what, plain, spelled in QUERIES:
            merged, merged_s = rows(store, plain)
            truth, truth_s = rows(store, spelled)
            union = rows(store, plain, use_default_graph_as_union=True)[0] == truth if args.union else "not asked"
            print(f"| {what} | {len(truth)} | {merged_s:.2f} | {truth_s:.2f} | {merged == truth} | {union} |")

if __name__ == "__main__":
    main()
