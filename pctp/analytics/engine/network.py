"""Criminal networks: people linked by being accused in the same case.

Pure Python/numpy (no Django, no networkx). Nodes are any hashable ids; edges are undirected
and unweighted for the centralities (a weight counts the shared cases).

- degree centrality: ``deg(v) / (n - 1)``;
- betweenness centrality (Brandes 2001, "A faster algorithm for betweenness centrality",
  J. Math. Sociol. 25(2):163-177): the share of shortest paths between other pairs that pass
  through ``v``, normalised by ``(n - 1)(n - 2) / 2`` pairs (undirected) as networkx does;
- connected components;
- a deterministic spring layout (Fruchterman & Reingold 1991) for drawing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable

import numpy as np


def co_accused_edges(cases: dict[Hashable, Iterable[Hashable]]) -> dict[tuple, int]:
    """``{case: people}`` -> ``{(a, b): number of shared cases}`` with ``a < b`` (by repr)."""
    edges: dict[tuple, int] = {}
    for people in cases.values():
        ps = sorted(set(people), key=repr)
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                edges[(a, b)] = edges.get((a, b), 0) + 1
    return edges


def adjacency(nodes: Iterable[Hashable], edges: Iterable[tuple]) -> dict[Hashable, set]:
    adj: dict[Hashable, set] = {v: set() for v in nodes}
    for a, b in edges:
        if a == b:
            continue
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    return adj


def degree_centrality(adj: dict[Hashable, set]) -> dict[Hashable, float]:
    n = len(adj)
    if n <= 1:
        return {v: 0.0 for v in adj}
    return {v: len(nb) / (n - 1) for v, nb in adj.items()}


def betweenness_centrality(adj: dict[Hashable, set], normalized: bool = True
                           ) -> dict[Hashable, float]:
    """Brandes' algorithm for unweighted undirected graphs."""
    bc = dict.fromkeys(adj, 0.0)
    for s in adj:
        stack = []
        pred: dict = {v: [] for v in adj}
        sigma = dict.fromkeys(adj, 0)
        sigma[s] = 1
        dist = dict.fromkeys(adj, -1)
        dist[s] = 0
        q = deque([s])
        while q:
            v = q.popleft()
            stack.append(v)
            for w in adj[v]:
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    q.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
                    pred[w].append(v)
        delta = dict.fromkeys(adj, 0.0)
        while stack:
            w = stack.pop()
            for v in pred[w]:
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
            if w != s:
                bc[w] += delta[w]
    # each pair was counted from both ends
    n = len(adj)
    scale = 0.5
    if normalized:
        scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: b * scale for v, b in bc.items()}


def components(adj: dict[Hashable, set]) -> list[list]:
    """Connected components, largest first (ties by their smallest member's repr)."""
    seen: set = set()
    out = []
    for v in sorted(adj, key=repr):
        if v in seen:
            continue
        comp = []
        q = deque([v])
        seen.add(v)
        while q:
            u = q.popleft()
            comp.append(u)
            for w in adj[u]:
                if w not in seen:
                    seen.add(w)
                    q.append(w)
        out.append(sorted(comp, key=repr))
    out.sort(key=lambda c: (-len(c), repr(c[0])))
    return out


def spring_layout(adj: dict[Hashable, set], iterations: int = 80, seed: int = 0
                  ) -> dict[Hashable, tuple[float, float]]:
    """Positions in the unit square per component; components are tiled in rows."""
    comps = components(adj)
    pos: dict = {}
    cols = max(1, int(np.ceil(np.sqrt(len(comps)))))
    for k, comp in enumerate(comps):
        ox, oy = (k % cols) * 1.3, -(k // cols) * 1.3
        xy = _layout_component(comp, adj, iterations, seed + k)
        for v, (x, y) in zip(comp, xy, strict=True):
            pos[v] = (ox + float(x), oy + float(y))
    return pos


def _layout_component(comp: list, adj: dict, iterations: int, seed: int) -> np.ndarray:
    n = len(comp)
    if n == 1:
        return np.array([[0.5, 0.5]])
    index = {v: i for i, v in enumerate(comp)}
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * np.arange(n) / n
    xy = 0.5 + 0.4 * np.column_stack([np.cos(angle), np.sin(angle)])
    xy += rng.normal(0, 0.01, xy.shape)
    a = np.zeros((n, n))
    for v in comp:
        for w in adj[v]:
            a[index[v], index[w]] = 1.0
    k = 1.0 / np.sqrt(n)
    t = 0.1
    for _ in range(iterations):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.maximum(np.linalg.norm(d, axis=2), 1e-3)
        force = (k * k / dist ** 2 - a * dist / k)[:, :, None] * d
        disp = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        xy += disp / length[:, None] * np.minimum(length, t)[:, None]
        t *= 0.95
    xy -= xy.min(axis=0)
    span = max(float(xy.max()), 1e-9)
    return xy / span
