"""A networkx view as a pyvis `Network`: colours and shapes by class, size by reach or PageRank, a layout.

Shared by the graph pages (`viz`) and the notebook. Names and sentences from reports are untrusted: they
go into node and edge *labels* only (vis-network draws labels on a canvas, as text), never into
pyvis `title`s (shown as HTML) or the page heading (inserted unescaped by pyvis's template).

Small graphs are laid out by vis-network's physics, which the page stops once it has stabilised;
above `layout_threshold` nodes the positions come from networkx here and physics stays off, so a
graph of thousands of nodes opens still and usable.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator

import networkx as nx
from pyvis.network import Network

from policekg.kg.network.analysis import LOUVAIN_SEED, Metrics, communities
from policekg.kg.network.views import short_predicate, simple_graph
from policekg.schema.vocabulary import ENTITY_CLASSES

#: Class → (colour, vis shape), from the vocabulary; a node of a class we do not know is a grey dot.
STYLE: dict[str, tuple[str, str]] = {
    **{c.name: (c.colour, c.shape) for c in ENTITY_CLASSES},
    "Thing": ("#9aa3b5", "dot"),
}
#: The classes a legend lists, in the vocabulary's order: those the extractor names in the text, a legal
#: subclass under its parent (the legal instruments share one look; their class still shows on click).
LEGEND: tuple[str, ...] = tuple(dict.fromkeys(c.parent or c.name for c in ENTITY_CLASSES if c.extracted))
#: Colours of the largest communities; the rest are grey.
COMMUNITY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                     "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939")
OTHER_COMMUNITY = "#c7c7c7"
MIN_SIZE, MAX_SIZE = 10, 45
#: Room per node in server-side layouts (vis canvas units).
NODE_SPACING = 60
#: Communities larger than this are laid out as a core and its leaves (`_cluster_layout`).
SPRING_LIMIT = 300
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def node_colour(cls: str, metrics: Metrics | None, by_community: bool) -> str:
    if by_community:
        n = metrics.community if metrics else -1
        return COMMUNITY_COLOURS[n] if 0 <= n < len(COMMUNITY_COLOURS) else OTHER_COMMUNITY
    return STYLE.get(cls, STYLE["Thing"])[0]


def edges(g: nx.Graph) -> Iterator[tuple[str, str, str, dict]]:
    """(id, source, target, data) of every edge. The id is a digest of the edge itself (source, predicate,
    target; either order when undirected), so the same edge has the same id on every page and in every
    JSON twin: a page can add a neighbourhood it fetched to what it draws without doubling edges."""
    triples = g.edges(keys=True, data=True) if g.is_multigraph() else ((s, o, "", d) for s, o, d in g.edges(data=True))
    for s, o, key, data in triples:
        ends = (s, o) if g.is_directed() else tuple(sorted((s, o)))
        digest = hashlib.blake2b("\n".join((ends[0], str(key), ends[1])).encode(), digest_size=8).hexdigest()
        yield f"e{digest}", s, o, data


def _sizes(g: nx.Graph, metrics: dict[str, Metrics]) -> dict[str, float]:
    """Area grows with the node's `reach` when the view has one (the bureaus naming it), else with its
    PageRank, relative to the largest in view; nodes without figures are smallest."""
    ranks = {iri: float(d["reach"]) for iri, d in g.nodes(data=True) if "reach" in d}
    ranks = ranks or {iri: metrics[iri].pagerank for iri in g if iri in metrics}
    top = max(ranks.values(), default=0) or 1
    return {iri: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(ranks.get(iri, 0) / top) for iri in g}


def positions(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Server-side positions for a large graph: each Louvain community laid out on its own, the
    communities packed in rows, largest first, and unconnected nodes in a grid after them.

    A spring layout of the whole graph costs O(n²) per iteration; per community the cost is the sum of
    their squares (benchmarks/RESULTS.md, "the /graph page at size"), and the picture shows the communities.
    """
    simple = simple_graph(g)
    groups = sorted(communities(simple).items(), key=lambda kv: kv[0])
    members: dict[int, list[str]] = {}
    for iri, n in groups:
        members.setdefault(n, []).append(iri)
    clusters = [m for m in members.values() if len(m) > 1]
    alone = sorted(iri for m in members.values() if len(m) == 1 for iri in m)
    placed: dict[str, tuple[float, float]] = {}
    width = NODE_SPACING * math.sqrt(len(g)) * 3  # rows about as wide as they stack high
    x = y = row_height = 0.0
    for cluster in sorted(clusters, key=lambda m: (-len(m), min(m))):
        radius = NODE_SPACING * math.sqrt(len(cluster))
        if x + 2 * radius > width and x > 0:
            x, y, row_height = 0.0, y + row_height, 0.0
        layout = _cluster_layout(simple.subgraph(cluster), radius)
        placed.update({iri: (x + radius + px, y + radius + py) for iri, (px, py) in layout.items()})
        x, row_height = x + 2 * radius + NODE_SPACING, max(row_height, 2 * radius + NODE_SPACING)
    columns = max(1, int(width // NODE_SPACING))
    top = y + row_height + NODE_SPACING
    for i, iri in enumerate(alone):
        placed[iri] = (NODE_SPACING * (i % columns), top + NODE_SPACING * (i // columns))
    return {iri: (float(px), float(py)) for iri, (px, py) in placed.items()}


def _cluster_layout(cluster: nx.Graph, radius: float) -> dict[str, tuple[float, float]]:
    """A spring layout of the community; above `SPRING_LIMIT` nodes, of its core only (the nodes with
    more than one neighbour), each leaf then placed on a sunflower spiral around its one neighbour.

    A spring layout costs O(n²) per iteration, and the large communities of these views are stars: a
    program and the hundreds of bureaus naming it, each of them a leaf.
    """
    if len(cluster) <= SPRING_LIMIT:
        return nx.spring_layout(cluster, seed=LOUVAIN_SEED, scale=radius, iterations=50)
    leaves = {n: next(iter(cluster[n])) for n in cluster if cluster.degree(n) == 1}
    leaves = {n: hub for n, hub in leaves.items() if hub not in leaves}  # a pair stays in the core
    core = cluster.subgraph(n for n in cluster if n not in leaves)
    placed = nx.spring_layout(core, seed=LOUVAIN_SEED, scale=radius / 2,
                              iterations=50 if len(core) < 500 else 15) if len(core) > 1 else \
        {n: (0.0, 0.0) for n in core}
    around: dict[str, int] = {}
    for leaf, hub in sorted(leaves.items()):
        i = around[hub] = around.get(hub, 0) + 1
        r, angle = NODE_SPACING * math.sqrt(i) / 2, i * _GOLDEN_ANGLE
        placed[leaf] = (placed[hub][0] + r * math.cos(angle), placed[hub][1] + r * math.sin(angle))
    return placed


def options(physics: bool, nodes: int, directed: bool = True) -> dict:
    """vis-network options: no tooltips (titles are never set), stabilise then stop when physics is on.

    vis's "improved layout" (Kamada-Kawai seeding) only helps, and only works, on small graphs.
    """
    return {
        "layout": {"improvedLayout": nodes <= 100, "randomSeed": LOUVAIN_SEED},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": physics, "iterations": 400, "updateInterval": 50},
        },
        "edges": {
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "smooth": {"type": "continuous"},
            "font": {"size": 10, "align": "middle", "color": "#5b6478"},
            "color": {"inherit": False},
        },
        "nodes": {"font": {"size": 14, "face": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"}},
        "interaction": {"hover": True, "tooltipDelay": 3_600_000, "hideEdgesOnDrag": not physics},
    }


def network(g: nx.Graph, metrics: dict[str, Metrics], *, by_community: bool = False,
            layout_threshold: int = 300) -> Network:
    """The pyvis network of a view whose nodes carry a `node` (`graphviews.Node`).

    Node ids are IRIs; edge ids come from `edges`, so the page can look up the evidence of a clicked edge.
    """
    at_size = len(g) > layout_threshold
    # Always a directed pyvis network: its undirected one checks every edge against all others (O(m²)).
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.options = options(physics=not at_size, nodes=len(g), directed=g.is_directed())
    sizes = _sizes(g, metrics)
    where = positions(g) if at_size else {}
    for iri, data in g.nodes(data=True):
        node = data["node"]
        extra = {"x": where[iri][0], "y": where[iri][1]} if at_size else {}
        net.add_node(iri, label=node.label, shape=STYLE.get(node.cls, STYLE["Thing"])[1], size=sizes[iri],
                     color=node_colour(node.cls, metrics.get(iri), by_community), **extra)
    for eid, s, o, data in edges(g):
        label = short_predicate(data["predicate"]) if "predicate" in data else str(data.get("weight", ""))
        net.add_edge(s, o, id=eid, label=label, width=1 + math.log2(data.get("weight", 1)))
    return net

