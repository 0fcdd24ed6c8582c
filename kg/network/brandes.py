"""Betweenness centrality by sparse matrix products: networkx's figures, without its Python loop per edge.

Brandes' algorithm counts, from each source, the shortest paths to every node (forward, level by
level) and then how much each node lies on them (backward). Both passes are the same for every
source, so a batch of sources is one dense column each and a level is one product with the adjacency
matrix. The sources are sampled and the sums scaled exactly as `networkx.betweenness_centrality`
does for an unweighted undirected graph (normalized, endpoints excluded): the same figures.
"""

from __future__ import annotations

import random
from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy import sparse

#: Cells (nodes × sources) of each dense array a batch of sources holds: about 32 MB each.
BATCH_CELLS = 4_000_000


def betweenness(g: nx.Graph, k: int | None, seed: int) -> dict[Hashable, float]:
    """Normalized betweenness of every node of the undirected `g`, from all nodes (`k=None`) or from
    `k` sampled with `random.Random(seed)`, as networkx samples them."""
    nodes = list(g)
    n = len(nodes)
    sampled = None if k is None or k >= n else random.Random(seed).sample(nodes, k)
    at = {v: i for i, v in enumerate(nodes)}
    sources = np.array([at[s] for s in (sampled or nodes)], dtype=np.int64)
    adj = _adjacency(g, at)
    per_batch = max(1, min(64, BATCH_CELLS // max(n, 1)))
    found = np.zeros(n)
    for start in range(0, len(sources), per_batch):
        found += _dependencies(adj, sources[start:start + per_batch])
    return dict(zip(nodes, (found * _scale(n, sources, sampled is not None)).tolist(), strict=True))


def _adjacency(g: nx.Graph, at: dict[Hashable, int]) -> sparse.csr_matrix:
    """The 0/1 symmetric adjacency matrix, self-loops left out (they lie on no shortest path)."""
    pairs = np.array([(at[a], at[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    rows, cols = np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])
    adj = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(at), len(at)))
    adj.data[:] = 1.0  # an edge given twice is one edge
    return adj


def _dependencies(adj: sparse.csr_matrix, batch: np.ndarray) -> np.ndarray:
    """Summed over the sources in `batch`, how much each node lies on their shortest paths."""
    n, k = adj.shape[0], len(batch)
    cols = np.arange(k)
    sigma = np.zeros((n, k))  # shortest paths from each source
    sigma[batch, cols] = 1.0
    depth = np.full((n, k), -1, dtype=np.int32)
    depth[batch, cols] = 0
    frontier, deepest = sigma.copy(), 0
    while True:
        reached = adj @ frontier
        reached[depth >= 0] = 0.0
        if not reached.any():
            break
        deepest += 1
        depth[reached > 0] = deepest
        sigma += reached
        frontier = reached
    delta = np.zeros((n, k))
    inverse = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
    for level in range(deepest, 0, -1):
        share = np.where(depth == level, (1.0 + delta) * inverse, 0.0)
        delta += np.where(depth == level - 1, sigma * (adj @ share), 0.0)
    delta[batch, cols] = 0.0
    return delta.sum(axis=1)


def _scale(n: int, sources: np.ndarray, sampled: bool) -> np.ndarray | float:
    """networkx's normalisation: over the (source, target) pairs a node could lie between; a sampled
    source is not a target of its own paths, so it lies between one source fewer."""
    if n <= 2:
        return 1.0
    if not sampled:
        return 1 / ((n - 1) * (n - 2))
    k = len(sources)
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[sources] = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return scale
