"""Stage: networkx graph (from network.to_network) → one self-contained, offline HTML page.

pyvis holds the vis-network node/edge data and options; the page is rendered through our own
Jinja2 template (templates/network.html.j2, autoescape on) that inlines vis-network's JS and CSS
from the pyvis package on disk — no CDN, no Bootstrap — plus our own network.js / network.css.
All data goes in as JSON through Jinja's ``tojson`` (which escapes <, >, & and '), never as markup;
the page's script builds the panel with createElement/textContent only.

Deterministic: node positions are precomputed with networkx (fixed seed, rounded to whole pixels),
physics is off, and everything is sorted, so the same graph gives the same bytes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

from ..errors import AssetError
from ..graph.rdf import OBCLAIM

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"
LARGE = 1000  # nodes: from here on, no edge labels and a cheaper layout
FORCE_LAYOUT = 500  # nodes in one component: from here on, our force layout (networkx's is O(n²))
FORCE_ITERATIONS = 150
CUTOFF = 2.0  # nodes farther apart than this (about two node spacings) do not push each other
LABEL_MAX = 42
# claims shown per list in the panel (an edge's claims, a node's facts, a conclusion's premises,
# a side of a disagreement): the page stays a few MB a thousand articles; the rest are counted
# and the panel names the query that lists them all
PAGE_LIST_MAX = 20
CLAIM_BASE = str(OBCLAIM)
_SOURCE_FIELDS = ("sourceTitle", "sourceDate", "sourceKind")  # the page looks them up in its sources

# type → (colour, vis shape); unknown types get a grey dot
STYLE = {
    "State": ("#1f6fb4", "dot"),
    "Treaty": ("#6a3d9a", "diamond"),
    "TreatyProvision": ("#b39ddb", "diamond"),
    "Declaration": ("#8e6bbf", "diamond"),
    "DomesticLaw": ("#5e4fa2", "square"),
    "Obligation": ("#e6a100", "star"),
    "Policy": ("#e8590c", "square"),
    "Event": ("#8c564b", "triangle"),
    "Harm": ("#d6336c", "triangleDown"),
    "Group": ("#0c8599", "hexagon"),
    "Person": ("#2b8a3e", "dot"),
    "NGO": ("#74b816", "square"),
    "IntergovernmentalOrganization": ("#087f5b", "hexagon"),
    "GovernmentBody": ("#364fc7", "square"),
    "Place": ("#a07a2c", "triangle"),
    "Report": ("#868e96", "square"),
    "Statistic": ("#adb5bd", "dot"),
}
DEFAULT_STYLE = ("#999999", "dot")
# an arrow's look by what it is (its legend entry, _legend): a relation the sources state by its
# stance (network.stance_of), an inference by its kind. A denied relation ends in a bar, not an
# arrowhead, and its label says "not" (network.stance_label)
EDGE_STYLE = {
    "asserted": {"color": "#8a96a3", "dashes": False},
    "disputed": {"color": "#5c940d", "dashes": [10, 3, 2, 3, 2, 3]},
    "alleged": {"color": "#9c36b5", "dashes": [2, 3]},
    "denied": {"color": "#c2255c", "dashes": [6, 3], "arrow": "bar"},
    "recommended": {"color": "#0c8599", "dashes": [8, 3, 2, 3]},
    "breach": {"color": "#e03131", "dashes": [8, 5]},
    "inferred": {"color": "#5c7cfa", "dashes": [2, 4]},
    "extracted": {"color": "#f08c00", "dashes": [1, 4]},
}
# the legend and its filters, in this order; the ones marked optional only when the page has one
EDGE_KINDS = [
    {"kind": "asserted", "label": "Stated by the sources (asserted)"},
    {"kind": "disputed", "label": "Disputed: stated or alleged, and denied", "optional": True},
    {"kind": "alleged", "label": "Alleged", "optional": True},
    {"kind": "denied", "label": "Denied (“not …”)"},
    {"kind": "recommended", "label": "Recommended (a source urges it)", "optional": True},
    {"kind": "breach", "label": "Potential breaches (inferred)"},
    {"kind": "inferred", "label": "Other inferences: bound by, complies with"},
    {"kind": "extracted", "label": "Machine-extracted, not reviewed (build --extract)", "optional": True},
]


def _asset(path: Path) -> Markup:
    """A trusted file to inline verbatim; refuse anything that could close its element early."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AssetError(f"cannot read {path.name}: {error.strerror}", path=str(path),
                         hint="reinstall Obligraph and pyvis==0.3.2 (`make build`)") from None
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise AssetError("contains </script, </style or <!-- and cannot be inlined safely", path=str(path))
    return Markup(text)


def vis_assets() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as shipped inside the pyvis package."""
    import pyvis
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    return _asset(lib / "vis-network.min.js"), _asset(lib / "vis-network.css")


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
                raw = nx.spring_layout(sub, seed=seed, k=3 / math.sqrt(len(component)),
                                       iterations=30 if large else 300)
            positions = {n: (float(x) * size / 2, float(y) * size / 2) for n, (x, y) in raw.items()}
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        boxes.append((positions, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    width_limit = max([b[3] for b in boxes[:1]] + [900])
    gap = 260.0  # about one long label
    if large:  # thousands of small components: rows as wide as the whole is tall, not a long strip
        width_limit = max(width_limit, math.sqrt(sum((b[3] + gap) * (b[4] + gap) for b in boxes)))
    result: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for positions, left, top, width, height in boxes:
        if x > 0 and x + width > width_limit:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (px, py) in positions.items():
            result[node] = (round(x + px - left), round(y + py - top))
        x += width + gap
        row_height = max(row_height, height)
    return result


def main_component(network: nx.MultiDiGraph) -> list[str]:
    """The largest connected component's nodes: the page opens zoomed to it."""
    if not network.number_of_nodes():
        return []
    return sorted(max(nx.weakly_connected_components(network), key=lambda c: (len(c), sorted(c)[0])))


def _short(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _legend(data: dict) -> str:
    """An edge's legend entry (EDGE_KINDS), which its look and its filter follow: an inference's
    or an unreviewed extraction's kind, else the stance of the claims behind it."""
    if data["kind"] in ("breach", "extracted") or (data["kind"] == "inferred" and data["inferred"]):
        return data["kind"]
    return data["stance"]


def _stance_counts(stances: dict[str, int]) -> str:
    """``2 assert, 1 denies``: how many claims take each stance (none: empty)."""
    return ", ".join(f"{n} {name if n == 1 else name[:-1]}" for name, n in stances.items() if n)


def _disagreement(record: dict, ids) -> dict:
    """A contradiction as the page holds it: claims by id, side by side."""
    return dict(record, sides=[dict(side, claims=ids(side["claims"]), count=len(side["claims"]))
                               for side in record["sides"]])


def _claim_key(iri: str) -> str:
    """A claim's key in the page: its IRI past the claim namespace (source/claim), which is
    unique and a third the length; the claims are referenced many times over."""
    return iri.removeprefix(CLAIM_BASE)


def _shown(records: list[dict]) -> list[dict]:
    """The claims a list shows: all of them up to PAGE_LIST_MAX; past it, the reference
    record's first (the authoritative side), then the others in their order."""
    if len(records) <= PAGE_LIST_MAX:
        return records
    return sorted(records, key=lambda r: r.get("sourceKind") != "ReferenceRecord")[:PAGE_LIST_MAX]


def page_data(network: nx.MultiDiGraph) -> dict:
    """Everything the page needs, as plain JSON-able values: vis nodes/edges/options via pyvis,
    and the details behind them (claims by id, so a claim on several edges is stored once)."""
    from pyvis.network import Network

    large = network.number_of_nodes() >= LARGE
    positions = layout(network)
    degree = dict(network.degree())
    net = Network(directed=True, cdn_resources="in_line")
    claims: dict[str, dict] = {}

    def ids(records: list[dict]) -> list[str]:
        shown = _shown(records)
        for record in shown:
            key = _claim_key(record["id"])
            if key not in claims:
                claims[key] = {k: v for k, v in record.items() if k not in _SOURCE_FIELDS} | {"id": key}
        return [_claim_key(r["id"]) for r in shown]

    node_details = {}
    types: dict[str, int] = {}
    for node in sorted(network.nodes):
        data = network.nodes[node]
        colour, shape = STYLE.get(data["type"], DEFAULT_STYLE)
        types[data["type"]] = types.get(data["type"], 0) + 1
        x, y = positions[node]
        net.nodes.append({
            "id": node, "label": _short(data["label"]), "group": data["type"], "shape": shape,
            "color": colour, "size": round(9 + 3 * math.sqrt(degree[node]), 1), "x": x, "y": y,
            "title": f"{_short(data['label'], 120)} · {data['type']} · {_plural(degree[node], 'relation')}",
        })
        node_details[node] = {
            "label": data["label"], "type": data["type"], "aliases": data["aliases"],
            "note": data["note"], "sameAs": data["sameAs"], "facts": ids(data["facts"]),
            "factCount": len(data["facts"]),
            "disagreements": [_disagreement(d, ids) for d in data["disagreements"]],
        }
    edge_details = {}
    pairs: dict[tuple[str, str], int] = {}
    for source, target, key in sorted(network.edges(keys=True)):
        data = network.edges[source, target, key]
        edge_id = f"{source}|{key}|{target}"
        pair = tuple(sorted((source, target)))
        index = pairs[pair] = pairs.get(pair, -1) + 1
        legend = _legend(data)
        style = EDGE_STYLE[legend]
        n_claims = len(data["claims"])
        what = f"{_plural(n_claims, 'claim')}: {_stance_counts(data['stances'])}" if n_claims else "inferred"
        edge = {
            "id": edge_id, "from": source, "to": target, "kind": data["kind"], "legend": legend,
            "stance": data["stance"],
            "color": {"color": style["color"], "highlight": style["color"], "hover": style["color"]},
            "dashes": style["dashes"], "width": round(1 + math.log2(1 + n_claims), 2),
            "title": f"{_short(network.nodes[source]['label'])} — {data['label']} → "
                     f"{_short(network.nodes[target]['label'])} · {what}",
            "smooth": ({"enabled": True, "type": "curvedCW", "roundness": round(0.15 * index, 2)}
                       if index else {"enabled": False}),
        }
        if "arrow" in style:
            edge["arrows"] = {"to": {"enabled": True, "type": style["arrow"], "scaleFactor": 0.5}}
        if not large:
            edge["label"] = data["label"]
        net.edges.append(edge)
        edge_details[edge_id] = {
            "from": source, "to": target, "relation": data["relation"], "label": data["label"],
            "predicate": key, "kind": data["kind"], "legend": legend, "stance": data["stance"],
            "stances": data["stances"], "sources": data["sources"], "claims": ids(data["claims"]),
            "claimCount": n_claims,
            # a conclusion's IRI is for the graph, not the panel: left out, it is a third of the page
            "conclusions": [{k: v for k, v in c.items() if k != "id"} | {
                "premises": ids(c["premises"]), "premiseCount": len(c["premises"])} for c in data["conclusions"]],
            "disagreements": [_disagreement(d, ids) for d in data["disagreements"]],
        }
    net.options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        "nodes": {"borderWidth": 1, "font": {"size": 12, "face": "system-ui, sans-serif",
                                              "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "selectionWidth": 2,
                  "font": {"size": 9, "align": "middle", "color": "#495057", "strokeWidth": 3,
                           "face": "system-ui, sans-serif"}},
    }
    nodes, edges, _, _, _, options_json = net.get_network_data()
    node_sources: dict[str, set] = {n: {c["source"] for c in network.nodes[n]["facts"]} for n in network.nodes}
    for detail in edge_details.values():
        node_sources[detail["from"]].update(detail["sources"])
        node_sources[detail["to"]].update(detail["sources"])
    return {
        "nodes": nodes, "edges": edges, "options": json.loads(options_json),
        "details": {"nodes": node_details, "edges": edge_details, "claims": dict(sorted(claims.items()))},
        "nodeSources": {n: sorted(s) for n, s in sorted(node_sources.items())},
        "sources": network.graph.get("sources", []),
        "types": [{"type": t, "count": c, "color": STYLE.get(t, DEFAULT_STYLE)[0],
                   "shape": STYLE.get(t, DEFAULT_STYLE)[1]} for t, c in sorted(types.items())],
        "edgeKinds": _edge_kinds(edges),
        "large": large,
        "mainComponent": main_component(network),
    }


def _edge_kinds(edges: list[dict]) -> list[dict]:
    """The legend's relation entries with their look and how many arrows each has; an optional
    one only when the page has such an arrow."""
    counts = {k["kind"]: sum(1 for e in edges if e["legend"] == k["kind"]) for k in EDGE_KINDS}
    return [{"kind": k["kind"], "label": k["label"], "color": EDGE_STYLE[k["kind"]]["color"],
             "dashes": EDGE_STYLE[k["kind"]]["dashes"] or [], "arrow": EDGE_STYLE[k["kind"]].get("arrow", "arrow"),
             "count": counts[k["kind"]]} for k in EDGE_KINDS if counts[k["kind"]] or not k.get("optional")]


def to_html(network: nx.MultiDiGraph, *, title: str = "Obligraph — the interactive network") -> str:
    """The page as a string (UTF-8 when written). Raises AssetError if an inlined file is missing."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    try:
        template = environment.get_template("network.html.j2")
    except jinja2.TemplateNotFound:
        raise AssetError("the page template is missing", path=str(TEMPLATES / "network.html.j2"),
                         hint="restore obligraph/views/templates/ from version control") from None
    vis_js, vis_css = vis_assets()
    data = page_data(network)
    return template.render(
        title=title, data=data, vis_js=vis_js, vis_css=vis_css, vis_version=VIS_VERSION,
        app_js=_asset(TEMPLATES / "network.js"), app_css=_asset(TEMPLATES / "network.css"),
        counts={"nodes": len(data["nodes"]), "edges": len(data["edges"])},
    )
