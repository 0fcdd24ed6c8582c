"""Network analysis of the entity graph: centrality, communities, paths, bureau similarity.

Results are written back as triples in their own named graph (`ANALYSIS_GRAPH`: `pk:pagerank`,
`pk:betweenness`, `pk:degree`, `pk:community`, and the counts of `tallies` that rankings read), so SPARQL
can sort and filter by them. The graph also records what it was computed from: the store's generation, which every write of a report
changes (a re-ingest by a better extractor changes the triples, not the text), so checking it reads
no report; `refresh_analysis` recomputes only when it no longer matches the store.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import random
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import igraph as ig
import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, XSD, URIRef
from rdflib.namespace import PROV

from policekg.kg.lifeline import die_with_parent
from policekg.kg.network import brandes
from policekg.kg.network.tallies import Tallies, count, integer, tally_lines
from policekg.kg.network.views import Node, SharedView, entity_structure, shared_graph, simple_graph
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PK, PKR, segment
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.kept import keep, kept
from policekg.kg.read.sparql import values

log = logging.getLogger(__name__)

#: Louvain is randomised; a fixed seed makes the communities the same on every run.
LOUVAIN_SEED = 42
#: Exact betweenness searches shortest paths from every node, about n·m steps: above this many it is
#: estimated from seeded pivots …
BETWEENNESS_STEPS = 200_000
#: … this many (the ranking of the central nodes holds; cost in benchmarks/RESULTS.md).
BETWEENNESS_PIVOTS = 50
#: From how many reports `metrics_apart` computes in a process of its own (the graph's memory, about
#: 70 KB a report, then matters more than the process's start-up).
APART_FROM_REPORTS = 1000

_STORED_DIGEST = f"SELECT ?d WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ <{ANALYSIS_GRAPH}> pk:inputDigest ?d }} }}"
#: %s: the entities to read (`VALUES ?e`), or nothing for all.
_STORED_METRICS = f"""
SELECT ?e ?pr ?b ?d ?c WHERE {{ %s GRAPH <{ANALYSIS_GRAPH}> {{
  ?e pk:pagerank ?pr ; pk:betweenness ?b ; pk:degree ?d ; pk:community ?c }} }}"""


class AnalysisError(LookupError):
    """A name the analysis cannot resolve to one entity (unknown, or shared by several)."""


@dataclass(frozen=True)
class Metrics:
    """What the analysis knows of one node."""

    degree: int
    betweenness: float
    pagerank: float
    community: int


@dataclass(frozen=True)
class Computed:
    """What the analysis graph holds: the figures of every node and the collection's counts."""

    metrics: dict[str, Metrics]
    tallies: Tallies


@dataclass
class Step:
    """One edge of a path, as the reports state it: `source predicate target` and why."""

    source: str
    predicate: str
    target: str
    evidence: list[dict] = field(default_factory=list)


# -- computing ---------------------------------------------------------------------------------

def communities(g: nx.Graph) -> dict[str, int]:
    """Louvain communities, numbered by size, largest first, ties by their first IRI. igraph's (in C,
    seeded): networkx's, in Python, was a quarter of the analysis of a large store (benchmarks/RESULTS.md)."""
    nodes = sorted(g)
    at = {iri: i for i, iri in enumerate(nodes)}
    edges = [(at[a], at[b], w) for a, b, w in g.edges(data="weight", default=1)]
    h = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    ig.set_random_number_generator(random.Random(LOUVAIN_SEED))
    members: dict[int, list[str]] = {}
    for iri, group in zip(nodes, h.community_multilevel(weights=[w for *_, w in edges]).membership, strict=True):
        members.setdefault(group, []).append(iri)
    ordered = sorted(members.values(), key=lambda c: (-len(c), c[0]))
    return {iri: n for n, group in enumerate(ordered) for iri in group}


def _betweenness(g: nx.Graph) -> dict[str, float]:
    return brandes.betweenness(g, _pivots(len(g), g.number_of_edges()), LOUVAIN_SEED)


def _pivots(nodes: int, edges: int) -> int | None:
    """How many nodes betweenness searches from: None (all of them, exact) while that is within
    `BETWEENNESS_STEPS` or no more than the pivots, else `BETWEENNESS_PIVOTS`."""
    return None if nodes * edges <= BETWEENNESS_STEPS or nodes <= BETWEENNESS_PIVOTS else BETWEENNESS_PIVOTS


def analyse(g: nx.Graph) -> dict[str, Metrics]:
    """Degree (distinct neighbours), betweenness and community on the undirected graph; PageRank on
    the directed one when there is one, so programs and bureaus that many edges point at rank high."""
    if len(g) == 0:
        return {}
    undirected = simple_graph(g) if g.is_directed() or g.is_multigraph() else g
    pagerank = nx.pagerank(_weighted_digraph(g) if g.is_directed() else undirected, weight="weight")
    betweenness = _betweenness(undirected)
    community = communities(undirected)
    return {
        iri: Metrics(undirected.degree(iri), betweenness[iri], pagerank[iri], community[iri])
        for iri in sorted(g.nodes)
    }


def _weighted_digraph(g: nx.MultiDiGraph | nx.DiGraph) -> nx.DiGraph:
    """Parallel edges of the same direction become one edge whose weight counts them (a graph without
    parallel edges, as `entity_structure` builds, is that already)."""
    if not g.is_multigraph():
        return g
    d = nx.DiGraph()
    d.add_nodes_from(g.nodes)
    for s, o in g.edges():
        w = d[s][o]["weight"] + 1 if d.has_edge(s, o) else 1
        d.add_edge(s, o, weight=w)
    return d


def shortest_path(g: nx.MultiDiGraph, source: str, target: str) -> list[Step]:
    """The shortest chain of stated relations between two entities, in either direction, with the
    evidence sentences of every edge; AnalysisError when they are not connected."""
    try:
        hops = nx.shortest_path(simple_graph(g), source, target)
    except nx.NetworkXNoPath as err:
        raise AnalysisError(
            f"no chain of relations connects {_name(g, source)} and {_name(g, target)}"
        ) from err
    steps: list[Step] = []
    for a, b in itertools.pairwise(hops):
        for s, o in ((a, b), (b, a)):
            for predicate, data in (g.get_edge_data(s, o) or {}).items():
                steps.append(Step(s, predicate, o, data.get("evidence", [])))
    return steps


def similar_bureaus(bipartite: nx.Graph, bureau: str) -> list[tuple[str, float, list[str]]]:
    """Other bureaus ranked by the Jaccard similarity of the programs their reports name."""
    others = [n for n, side in bipartite.nodes(data="bipartite") if side == 0 and n != bureau]
    if bureau not in bipartite:
        return [(o, 0.0, []) for o in sorted(others)]
    scores = nx.jaccard_coefficient(bipartite, [(bureau, o) for o in others])
    ranked = [(o, score, sorted(nx.common_neighbors(bipartite, bureau, o))) for _, o, score in scores]
    return sorted(ranked, key=lambda r: (-r[1], r[0]))


def _name(g: nx.Graph, iri: str) -> str:
    node = g.nodes[iri].get("node") if iri in g else None
    return node.label if node else iri


def resolve(nodes: dict[str, Node], name: str) -> str:
    """The IRI a user means: a full IRI, a path like `program/枫桥经验`, or a name or alias."""
    if name in nodes:
        return name
    path = URIRef(PKR + "/".join(segment(part) for part in name.split("/")))
    if str(path) in nodes:
        return str(path)
    matches = sorted(iri for iri, n in nodes.items() if name == n.label or name in n.aliases)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AnalysisError(f"{name!r} names several entities: {', '.join(matches)}; give the IRI")
    raise AnalysisError(f"no entity called {name!r} in the store")


# -- results as triples ------------------------------------------------------------------------

def input_digest(store: GraphStore) -> tuple[str | None, list[URIRef]]:
    """The store's generation (None when unknown: recompute), and the reports the results cover."""
    return store.generation, store.report_graphs()


def results_triples(computed: Computed, digest: str, reports: list[URIRef]) -> bytes:
    """The analysis named graph as N-Triples: one set of figures per node, the counts, then what they were
    computed from (last: a graph written in steps says it is current only once its figures are all in).
    The figures are written as lines here (their IRIs come from the store, valid as they are): pyoxigraph
    terms, and rdflib's before them, of a large store's figures cost more than computing them."""
    lines = tally_lines(computed.tallies)
    for iri, m in computed.metrics.items():
        lines += [f"<{iri}> {_DEGREE} {integer(m.degree)} .\n",
                  f"<{iri}> {_BETWEENNESS} {_decimal(m.betweenness)} .\n",
                  f"<{iri}> {_PAGERANK} {_decimal(m.pagerank)} .\n",
                  f"<{iri}> {_COMMUNITY} {integer(m.community)} .\n"]
    a = ox.NamedNode(str(ANALYSIS_GRAPH))
    stamp = datetime.now(timezone.utc).isoformat()
    closing = [ox.Triple(a, _DERIVED, ox.NamedNode(str(r))) for r in reports]
    closing += [ox.Triple(a, _RDF_TYPE, _PROV_ENTITY),
                ox.Triple(a, _GENERATED, ox.Literal(stamp, datatype=_XSD_DATETIME)),
                ox.Triple(a, _INPUT_DIGEST, ox.Literal(digest))]
    return "".join(lines).encode() + ox.serialize(closing, format=ox.RdfFormat.N_TRIPLES)


_RDF_TYPE, _PROV_ENTITY = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(PROV.Entity))
_INPUT_DIGEST, _GENERATED = ox.NamedNode(str(PK.inputDigest)), ox.NamedNode(str(PROV.generatedAtTime))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_DEGREE, _BETWEENNESS, _PAGERANK, _COMMUNITY = (
    f"<{PK[name]}>" for name in ("degree", "betweenness", "pagerank", "community"))
_XSD_DATETIME = ox.NamedNode(str(XSD.dateTime))


def _decimal(x: float) -> str:
    """An xsd:decimal of eight decimals in N-Triples, written as Oxigraph writes the value back (no
    trailing zeros: `0.25`, `0`), so an unchanged figure is the same line as the stored one and
    `replace_own_graph` leaves it."""
    return f'"{f"{x:.8f}".rstrip("0").rstrip(".")}"^^<{XSD.decimal}>'


def _stored_digest(store: GraphStore) -> str | None:
    found = [row["d"].value for row in store.ox_query(_STORED_DIGEST)]
    return found[0] if len(found) == 1 else None


def _recompute(store: GraphStore, digest: str | None, reports: list[URIRef]) -> dict[str, Metrics]:
    """Compute the figures and, when the store is writable, replace the analysis graph with them and the
    counts (a reader of a store it cannot write needs the figures only)."""
    if store.read_only:
        log.warning("analysis is out of date but the store is read-only: computed, not stored")
        return analyse(entity_structure(store))
    computed = computed_here(store)
    store_results(store, computed, digest, reports)
    return computed.metrics


def refresh_analysis(store: GraphStore, *, force: bool = False) -> bool:
    """Recompute and store the analysis when the reports changed since it was last computed.

    Cheap when nothing changed (two small queries), so ingest, `analyze` and the graph pages all
    call it. Returns True when it recomputed and stored new results.
    """
    digest, reports = input_digest(store)
    if (digest is not None and _stored_digest(store) == digest and not force) or store.read_only:
        return False
    store_results(store, computed_apart(store, len(reports)), digest, reports)
    return True


def computed_here(store: GraphStore) -> Computed:
    """The figures and the counts, computed in this process."""
    return Computed(analyse(entity_structure(store)), count(store))


def computed_apart(store: GraphStore, reports: int) -> Computed:
    """The figures of the store's entity graph of `reports` reports and the counts, each computed in a
    process of its own over a read-only view when the store is on disk and large, side by side: the
    graph of a whole store would add its memory (about 1.4 GB at 20,000 reports) to the process holding
    the store, and that one is the store's writer. Below `APART_FROM_REPORTS` the graph is small and
    starting processes would cost more than computing; a store in memory or on a server is computed
    here too (no view another process could open, or nothing held), a server's without the pages' time
    limit (`unhurried`)."""
    if store.path is None or reports < APART_FROM_REPORTS:
        with store.unhurried() as unhurried:
            return computed_here(unhurried)
    if not store.read_only:
        store.ox.flush()  # the views read what is on disk
    found = _each_apart({"metrics": metrics_of_view, "tallies": tallies_of_view}, str(store.path))
    return Computed(found["metrics"], found["tallies"])


def _each_apart(calls: dict[str, Callable[[str], Any]], path: str) -> dict[str, Any]:
    """Every call of `calls` on `path` in a process of its own, side by side; each process ends as soon as
    its call returns, so the memory of the part done first is free while the other goes on."""
    spawn, found = multiprocessing.get_context("spawn"), {}
    pools = {name: ProcessPoolExecutor(1, mp_context=spawn, initializer=die_with_parent,
                                       initargs=(os.getpid(),)) for name in calls}
    try:
        running = {pools[name].submit(call, path): name for name, call in calls.items()}
        for done in as_completed(running):
            found[running[done]] = done.result()
            pools[running[done]].shutdown()
    finally:
        for pool in pools.values():
            pool.shutdown(cancel_futures=True)
    return found


def is_current(store: GraphStore) -> bool:
    """Whether the stored results describe the reports as they are now."""
    digest = store.generation
    return digest is not None and _stored_digest(store) == digest


def metrics_of_view(path: str) -> dict[str, Metrics]:
    """The figures computed over a read-only view of the store at `path`: what a writer runs in another
    process, so that its own (a service answering requests) stays free; it then stores them itself."""
    with GraphStore(path, read_only=True) as view:
        return analyse(entity_structure(view))


def tallies_of_view(path: str) -> Tallies:
    """The counts over a read-only view of the store at `path` (beside `metrics_of_view`)."""
    with GraphStore(path, read_only=True) as view:
        return count(view)


def store_results(store: GraphStore, computed: Computed, digest: str | None, reports: list[URIRef]) -> None:
    """Replace the analysis graph with `computed`, computed from the store at generation `digest`
    (taken before computing: a write since then leaves the results stale, as they are). The writer
    then keeps the tables the pages read (`overview.keep_overview`)."""
    store.replace_own_graph(ANALYSIS_GRAPH, results_triples(computed, digest or "", reports))


def current_metrics(store: GraphStore, only: Iterable[str] | None = None) -> dict[str, Metrics]:
    """The figures of every entity (or at least of those in `only`: a page reads those it draws): read
    from the analysis graph when it is up to date, else recomputed for all (and stored, unless another
    process holds the store and it is open read-only)."""
    digest = store.generation
    if digest is None or _stored_digest(store) != digest:
        return _recompute(store, digest, store.report_graphs())
    if only is not None and not (only := sorted(only)):
        return {}
    wanted = values("e", only)
    return {
        row["e"].value: Metrics(int(row["d"].value), float(row["b"].value), float(row["pr"].value),
                                int(row["c"].value))
        for row in store.ox_query(_STORED_METRICS % wanted)
    }


# -- the /graph overview, kept ---------------------------------------------------------------------

def shared_view(store: GraphStore, everything: bool = False) -> tuple[SharedView, dict[str, Metrics]]:
    """The shared view of every report (`views.shared_graph`) and its own analysis: what /graph opens on.
    It joins every report's programs, so it is kept per state of the store (`kg.read.kept`)."""
    return kept(store, _shared_name(everything), "", lambda: _analysed_shared(store, everything),
                _encode_shared, _decode_shared)


def keep_shared(store: GraphStore, everything: bool, state: str | None = None) -> None:
    """Compute the shared view and its analysis and keep them beside the store (what writers run)."""
    keep(store, _shared_name(everything), "", lambda: _analysed_shared(store, everything), _encode_shared,
         state)


def _shared_name(everything: bool) -> str:
    return "shared-all" if everything else "shared"


def _analysed_shared(store: GraphStore, everything: bool) -> tuple[SharedView, dict[str, Metrics]]:
    view = shared_graph(store, everything=everything)
    return view, analyse(view.graph)


def _encode_shared(found: tuple[SharedView, dict[str, Metrics]]) -> dict:
    view, metrics = found
    return {"folded": view.folded,
            "nodes": [[iri, data["node"].label, data["reach"]] for iri, data in view.graph.nodes(data=True)],
            "edges": [[a, b, data["weight"], data["bureaus"]] for a, b, data in view.graph.edges(data=True)],
            "metrics": {iri: [m.degree, m.betweenness, m.pagerank, m.community]
                        for iri, m in metrics.items()}}


def _decode_shared(data: dict) -> tuple[SharedView, dict[str, Metrics]]:
    g = nx.Graph()
    for iri, label, reach in data["nodes"]:
        g.add_node(iri, node=Node(iri, "Program", label), reach=reach)
    for a, b, weight, bureaus in data["edges"]:
        g.add_edge(a, b, weight=weight, bureaus=[tuple(bureau) for bureau in bureaus])
    return SharedView(g, data["folded"]), {iri: Metrics(*m) for iri, m in data["metrics"].items()}
