"""The page's layout: whole-pixel node positions, computed at build time (fixed seeds, physics
off in the page), so the same network gives the same bytes.

:func:`layout` lays out each connected component on its own (networkx's spring layout, or for a
component of ``FORCE_LAYOUT`` nodes or more our neighbour force layout) and packs the components
in rows. :func:`layered_layout` lays out the nodes the page draws by default that way, then
places the others (drawn by the record switch) around them with those held fixed: turning the
switch on adds to the picture, it never moves what was there."""

from __future__ import annotations

import math

import networkx as nx

LARGE = 1000  # nodes: from here on, no edge labels and a cheaper layout
FORCE_LAYOUT = 500  # nodes in one component: from here on, our force layout (networkx's is O(n²))
FORCE_ITERATIONS = 150
CUTOFF = 2.0  # nodes farther apart than this (about two node spacings) do not push each other
SPREAD_FROM = 60  # nodes in a component: from here on, its crowded middle is spread (_spread)
SPREAD_POWER = 0.45
SPREAD_SIZE = 1.6  # and it gets this much more room: the others are a few nodes each

GAP = 120.0  # between components (labels are decluttered by the page, they need no room of their own)
ASPECT = 1.2  # the shape of the network's pane in a laptop browser, width over height
AROUND_ITERATIONS = 40  # spring iterations placing the switch-drawn nodes around the fixed ones


def _neighbour_force_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int,
                           iterations: int = FORCE_ITERATIONS) -> dict[str, tuple[float, float]]:
    """A force layout for big components, O(n log n) an iteration where networkx's spring layout
    is O(n²) in time and memory (12 s at 5,000 nodes, gigabytes at 12,000). ForceAtlas2's forces
    — edges pull linearly, nodes push by (degree + 1)² / distance, so hubs get room for their
    leaves — but, as in Fruchterman–Reingold's grid variant, only nodes closer than ``CUTOFF``
    push each other (pairs found with a k-d tree). Steps are capped by a temperature cooling
    linearly. Vectorised with numpy, summed with bincount in a fixed order: the same positions
    on every run. Returned centred and scaled into [-1, 1]."""
    import numpy as np
    from scipy.spatial import cKDTree

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    ends = np.array([(index[u], index[v]) for u, v in edges], dtype=np.int64).reshape(-1, 2)
    mass = np.bincount(ends.ravel(), minlength=n).astype(float) + 1
    side = math.sqrt(n)  # start about one node per unit square
    pos = np.random.default_rng(seed).uniform(0.0, side, size=(n, 2))
    hottest = side / 10
    for step in range(iterations):
        shift = np.zeros((n, 2))
        pairs = cKDTree(pos).query_pairs(CUTOFF, output_type="ndarray")
        if len(pairs):
            first, second = pairs[:, 0], pairs[:, 1]
            delta = pos[first] - pos[second]
            distance2 = (delta ** 2).sum(axis=1)
            same = distance2 < 1e-12  # on top of each other: part them in a direction fixed by their ids
            angle = (first[same] * 7919 + second[same]) % 360 * (math.pi / 180)
            delta[same] = np.column_stack((np.cos(angle), np.sin(angle))) * 1e-3
            push = delta * (mass[first] * mass[second] / np.maximum(distance2, 1e-6))[:, None]
            for axis in (0, 1):
                shift[:, axis] += np.bincount(first, push[:, axis], n) - np.bincount(second, push[:, axis], n)
        if len(ends):
            pull = (pos[ends[:, 0]] - pos[ends[:, 1]]) / 2  # half: a leaf never lands on its hub
            for axis in (0, 1):
                shift[:, axis] -= np.bincount(ends[:, 0], pull[:, axis], n) - np.bincount(ends[:, 1], pull[:, axis], n)
        length = np.maximum(np.sqrt((shift ** 2).sum(axis=1)), 1e-9)
        temperature = 0.1 + (hottest - 0.1) * (1 - step / iterations)
        pos += shift * (np.minimum(length, temperature) / length)[:, None]
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}


def _spring_layout(graph: nx.Graph, *, k: float, iterations: int, seed: int, pos: dict | None = None,
                   fixed: list | None = None) -> dict:
    """``nx.spring_layout(graph, k=k, iterations=iterations, seed=seed, pos=pos, fixed=fixed)``,
    the same positions to the last bit: for fewer than 500 nodes (networkx's dense
    Fruchterman–Reingold, networkx 3.6) the same arithmetic in the same order, minus the cost of
    np.linalg.norm along an axis of two (a third of the time: a pair's distance is the root of its
    two squares added, which is what norm's reduction does); from 500 nodes networkx's own."""
    import numpy as np

    n = len(graph)
    if n < 2 or n >= 500:
        return nx.spring_layout(graph, k=k, iterations=iterations, seed=seed, pos=pos, fixed=fixed)
    random = np.random.RandomState(seed)
    center = np.zeros(2)
    adjacency = nx.to_numpy_array(graph, weight="weight")
    if pos is not None:  # networkx draws the starting positions, then puts the given ones over them
        size = max(coord for place in pos.values() for coord in place) or 1
        start = random.rand(n, 2) * size + center
        for i, node in enumerate(graph):
            if node in pos:
                start[i] = np.asarray(pos[node])
    else:
        start = np.asarray(random.rand(n, 2), dtype=adjacency.dtype)
    index = {node: i for i, node in enumerate(graph)}
    held = np.asarray([index[node] for node in fixed if node in index]) if fixed is not None else None
    moved = _fruchterman_reingold(adjacency, k, start.astype(adjacency.dtype), held, iterations)
    if held is None:  # networkx's rescale_layout(pos, scale=1) + center
        moved -= moved.mean(axis=0)
        limit = np.abs(moved).max()
        if limit > 0:
            moved *= 1 / limit
        moved = moved + center
    return dict(zip(graph, moved))


def _fruchterman_reingold(adjacency, k: float, pos, fixed, iterations: int, threshold: float = 1e-4):
    """networkx's ``_fruchterman_reingold`` (3.6), step for step. The differences between points
    are taken one axis at a time, into the array networkx makes in one go (broadcasting over an
    axis of two is a fifth as fast), and the distances from them: the same numbers."""
    import numpy as np

    nnodes = adjacency.shape[0]
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    delta = np.empty((nnodes, nnodes, 2), dtype=pos.dtype)
    for _ in range(iterations):
        dx = np.subtract(pos[:, 0, np.newaxis], pos[np.newaxis, :, 0], out=delta[..., 0])
        dy = np.subtract(pos[:, 1, np.newaxis], pos[np.newaxis, :, 1], out=delta[..., 1])
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        displacement = np.einsum("ijk,ij->ik", delta, (k * k / distance**2 - adjacency * distance / k))
        length = np.sqrt(displacement[:, 0] * displacement[:, 0] + displacement[:, 1] * displacement[:, 1])
        length = np.clip(length, a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        if fixed is not None:
            delta_pos[fixed] = 0.0
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / nnodes) < threshold:
            break
    return pos


def layout(network: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Whole-pixel positions: each connected component laid out on its own (fixed seed), then the
    components packed in rows, largest first. Spring layout, except for components of
    ``FORCE_LAYOUT`` nodes or more: the neighbour force layout above."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    large = simple.number_of_nodes() >= LARGE
    boxes = []
    for component in components:
        size = 150 * math.sqrt(len(component)) if len(component) > 1 else 0
        if len(component) == 1:
            positions = {component[0]: (0.0, 0.0)}
        else:
            edges = sorted(tuple(sorted(e)) for e in simple.subgraph(component).edges())
            if len(component) >= FORCE_LAYOUT:
                raw = _neighbour_force_layout(component, edges, seed)
            else:
                sub = nx.Graph()
                sub.add_nodes_from(component)
                sub.add_edges_from(edges)
                # k three times the default spreads the dense core around the hubs (China, the refugees)
                raw = _spring_layout(sub, seed=seed, k=3 / math.sqrt(len(component)),
                                     iterations=30 if large else 300)
            if not large and len(component) >= SPREAD_FROM:
                raw = _spread(raw)
                size *= SPREAD_SIZE
            positions = {n: (float(x) * size / 2, float(y) * size / 2) for n, (x, y) in raw.items()}
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        boxes.append((positions, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    gap = GAP
    if large:  # thousands of small components: rows as wide as the whole is tall, not a long strip
        width_limit = max([b[3] for b in boxes[:1]] + [900])
        width_limit = max(width_limit, math.sqrt(sum((b[3] + gap) * (b[4] + gap) for b in boxes)))
        places, _, _ = _shelves(boxes, width_limit, gap)
    else:
        places = _beside_the_largest(boxes, gap)
    result: dict[str, tuple[int, int]] = {}
    for (positions, left, top, _, _), (x, y) in zip(boxes, places):
        for node, (px, py) in positions.items():
            result[node] = (round(x + px - left), round(y + py - top))
    return result


def _spread(raw: dict) -> dict:
    """Spring layouts crowd a component's hubs in its middle (China, the refugees, the treaties
    they share), where their labels cannot all show: distances from the centre raised to
    SPREAD_POWER give the middle room and draw the outskirts in, every node keeping its
    direction and its rank by distance. Into [-1, 1] again."""
    xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    reach = max(math.hypot(x - cx, y - cy) for x, y in raw.values()) or 1.0
    out = {}
    for node, (x, y) in raw.items():
        r = math.hypot(x - cx, y - cy) / reach
        factor = r ** SPREAD_POWER / r if r > 0 else 0.0
        out[node] = ((x - cx) / reach * factor, (y - cy) / reach * factor)
    return out


def _shelves(boxes: list, width_limit: float, gap: float) -> tuple[list, float, float]:
    """Boxes (positions, left, top, width, height) in rows no wider than ``width_limit``, in their
    order: the top-left corner of each, and the width and height of the whole."""
    places, x, y, row_height, width = [], 0.0, 0.0, 0.0, 0.0
    for _, _, _, w, h in boxes:
        if x > 0 and x + w > width_limit:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        places.append((x, y))
        width, row_height = max(width, x + w), max(row_height, h)
        x += w + gap
    return places, width, y + row_height


def _beside_the_largest(boxes: list, gap: float) -> list:
    """The largest component at the origin and the others in rows beside it (to its right, as
    narrow as fits its height) or under it (as wide as it), whichever whole is nearer the
    screen's shape (ASPECT, width over height): the page opens on all of it at a legible zoom."""
    if len(boxes) < 2:
        return [(0.0, 0.0)] * len(boxes)
    first, rest = boxes[0], boxes[1:]
    width, height = first[3], first[4]
    below, w, h = _shelves(rest, max(width, max(b[3] for b in rest)), gap)
    options = [(abs(math.log(max(width, w, 1) / max(height + gap + h, 1) / ASPECT)),
                [(0.0, 0.0)] + [(x, height + gap + y) for x, y in below])]
    limit = max(max(b[3] for b in rest), gap)  # single nodes are 0 wide: 0 × 1.1 would never grow
    total = sum(b[3] + gap for b in rest)
    while True:  # the narrowest column of rows that is no taller than the largest component
        right, w, h = _shelves(rest, limit, gap)
        if h <= height or limit >= total:
            break
        limit *= 1.1
    options.append((abs(math.log((width + gap + w) / max(height, h, 1) / ASPECT)),
                    [(0.0, 0.0)] + [(width + gap + x, y) for x, y in right]))
    return min(options, key=lambda o: o[0])[1]


def layered_layout(network: nx.MultiDiGraph, shown: set[str], shown_edges: list[tuple[str, str]],
                   seed: int = 7) -> dict[str, tuple[int, int]]:
    """Positions for every node: ``shown`` (the nodes drawn by default, with ``shown_edges``
    between them) by :func:`layout`; the others by a spring layout of the whole network in which
    the shown nodes do not move — each lands near what it is related to, outside the picture it
    joins when it has no room inside. Whole pixels, deterministic."""
    base = nx.MultiDiGraph()
    base.add_nodes_from(sorted(shown))
    base.add_edges_from(sorted(shown_edges))
    fixed = layout(base, seed=seed)
    rest = sorted(set(network.nodes) - set(fixed))
    if not rest:
        return fixed
    xs, ys = [p[0] for p in fixed.values()] or [0], [p[1] for p in fixed.values()] or [0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 300.0)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    simple = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in network.edges() if u != v}))
    import numpy as np
    rng = np.random.default_rng(seed)
    start = {n: ((x - cx) / span, (y - cy) / span) for n, (x, y) in fixed.items()}
    for node in rest:  # start on a ring around the picture, where the spring pulls them in from
        angle = rng.uniform(0, 2 * math.pi)
        start[node] = (0.8 * math.cos(angle), 0.8 * math.sin(angle))
    moved = _spring_layout(simple, pos=start, fixed=sorted(fixed), seed=seed,
                           k=1.2 / math.sqrt(max(len(fixed), 1)), iterations=AROUND_ITERATIONS)
    result = dict(fixed)
    taken = set(fixed.values())
    for node in rest:
        x, y = moved[node]
        spot = (round(cx + float(x) * span), round(cy + float(y) * span))
        while spot in taken:  # never two on one pixel
            spot = (spot[0] + 7, spot[1] + 3)
        taken.add(spot)
        result[node] = spot
    return result
