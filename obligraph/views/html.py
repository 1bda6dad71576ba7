"""Stage: networkx graph (from network.to_network) → one self-contained, offline HTML page.

The page is rendered through our own Jinja2 template (templates/network.html.j2, autoescape on)
that inlines vis-network's JS and CSS from the pyvis package on disk — no CDN, no Bootstrap — plus
our own data.js / panel.js / network.js / network.css. All data goes in as one block of JSON,
gzipped and in base64 (:func:`embed`; a fifth of the JSON's size): only A–Z, a–z, 0–9, + / and =,
so nothing a source says can close the block or be read as markup; the page inflates it with the
browser's own DecompressionStream (templates/data.js) and builds the panel with
createElement/textContent only. :func:`page_json` reads it back out of a page.

Deterministic: node positions are precomputed (fixed seed, rounded to whole pixels), physics is
off, everything is sorted and the gzip stream carries no timestamp, so the same graph gives the
same bytes."""

from __future__ import annotations

import base64
import gc
import gzip
import importlib.util
import json
import math
import re
import struct
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

from ..errors import AssetError
from ..graph.rdf import OBCLAIM
from . import record
from .shelf import ClaimShelf
from .layout import LARGE, layered_layout, layout  # noqa: F401 (layout: bench/html_scale.py calls html.layout)
from ..graph.collector import without_gc

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"
LABEL_MAX = 42
CANVAS_LABEL_MAX = 32  # labels on the canvas (the page shows as many as have room)
# claims shown per list in the panel (an edge's claims, a node's facts, a conclusion's premises,
# a side of a disagreement): the page stays a few MB a thousand articles; the rest are counted
# and the panel names the query that lists them all
PAGE_LIST_MAX = 20
# Past OVERVIEW_EDGES relations a page opens as an overview, so that it stays one file of a few
# tens of MB that a browser draws in seconds (about 10,000 articles: 65,000 relations, 8,400
# entities, 29.6 MB and 27 s before): the states, treaties, policies, organisations and
# obligations of OVERVIEW_TYPES are drawn, with the OVERVIEW_EDGES relations that have most
# claims; a selected entity draws all its relations, a switch draws every one, and a type
# ticked in the legend (or found by the search) draws its entities. Lists show OVERVIEW_LIST_MAX
# claims, each quote with its offsets but without the words around it; the panel names the
# query (or `obligraph serve`) that gives them all.
OVERVIEW_EDGES = 10_000
OVERVIEW_LIST_MAX = 5
OVERVIEW_TYPES = ("State", "Treaty", "Policy", "IntergovernmentalOrganization", "NGO",
                  "GovernmentBody", "Obligation")
CLAIM_BASE = str(OBCLAIM)
_SOURCE_FIELDS = ("sourceTitle", "sourceDate", "sourceKind")  # the page looks them up in its sources
_CONCLUSION_ONLY = ("id", "refs", "reservations", "basis")  # for the graph and record.py, not the panel
SIZE_CAP = 40  # relations: a node's size grows with them up to here (a treaty has 190 parties)
DATA_TYPE = "application/gzip;base64"  # the data block's type: no script a browser would run
_DATA_BLOCK = re.compile(r'<script id="obligraph-data" type="' + re.escape(DATA_TYPE) + r'">([A-Za-z0-9+/=]*)</script>')

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
# stance (stances.stance_of), an inference by its kind. A denied relation ends in a bar, not an
# arrowhead, and its label says "not" (stances.stance_label)
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


_DATA_IMAGE = re.compile(r'url\("data:image/[a-z]+;base64,[A-Za-z0-9+/=]+"\)')


def vis_assets() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as shipped inside the pyvis package; the CSS without the images
    of the navigation and editing buttons (base64 PNGs, 200 of its 220 KB), which the page never
    shows (no navigationButtons, no manipulation)."""
    spec = importlib.util.find_spec("pyvis")  # its files, without importing it (and IPython with it)
    if spec is None or not spec.submodule_search_locations:
        raise AssetError("the pyvis package is not installed", path="pyvis",
                         hint="reinstall Obligraph and pyvis==0.3.2 (`make build`)")
    lib = Path(spec.submodule_search_locations[0]).resolve() / "templates" / "lib" / f"vis-{VIS_VERSION}"
    css = _asset(lib / "vis-network.css")
    return _asset(lib / "vis-network.min.js"), Markup(_DATA_IMAGE.sub("none", str(css)))


def _short(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def canvas_label(data: dict) -> str:
    """A node's label on the canvas: a treaty by its common short name where the registry gives
    one (the shortest alias of several words, "Refugee Convention", else an acronym, "ICCPR"),
    anything else by its label; at most CANVAS_LABEL_MAX characters. The tooltip and the panel
    give the full name."""
    label = data["label"]
    if data["type"] == "Treaty" and len(label) > CANVAS_LABEL_MAX:
        names = sorted((a for a in data["aliases"] if len(a) <= CANVAS_LABEL_MAX),
                       key=lambda a: (" " not in a, len(a), a))
        acronyms = [a for a in names if " " not in a and len(a) >= 3 and a.isupper()]
        words = [a for a in names if " " in a]
        label = (words or acronyms or [label])[0]
    return _short(label, CANVAS_LABEL_MAX)


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


def _conclusion(record: dict, ids) -> dict:
    """A conclusion as the page holds it: its premises (and a premise of status's two sides) by id."""
    shown = {k: v for k, v in record.items() if k not in _CONCLUSION_ONLY}
    shown |= {"premises": ids(record["premises"]), "premiseCount": len(record["premises"])}
    if "premiseOfStatus" in record:
        shown["premiseOfStatus"] = [dict(p, **{"for": ids(p["for"]), "against": ids(p["against"]),
                                            "forCount": len(p["for"]), "againstCount": len(p["against"])})
                                    for p in record["premiseOfStatus"]]
    return shown


@lru_cache(maxsize=1 << 16)  # one string per claim, however many lists it is in
def _claim_key(iri: str) -> str:
    """A claim's key in the page: its IRI past the claim namespace (source/claim), which is
    unique and a third the length; the claims are referenced many times over."""
    return iri.removeprefix(CLAIM_BASE)


def _shown(records: list[dict], limit: int = PAGE_LIST_MAX) -> list[dict]:
    """The claims a list shows: all of them up to ``limit``; past it, the reference record's
    first (the authoritative side), then the others in their order."""
    if len(records) <= limit:
        return records
    return sorted(records, key=lambda r: r.get("sourceKind") != "ReferenceRecord")[:limit]


def page_claim(record: dict, *, overview: bool) -> dict:
    """A claim as the page's ``details.claims`` holds it: keyed by :func:`_claim_key`, without
    the source's fields (the page looks them up in its sources), and in an overview without the
    words around its quotes."""
    claim = {k: v for k, v in record.items() if k not in _SOURCE_FIELDS} | {"id": _claim_key(record["id"])}
    return _without_context(claim) if overview and "quotes" in claim else claim  # (a BRIEF one has none)


def _without_context(claim: dict) -> dict:
    """A claim as an overview's page holds it: each quote its exact words and offsets, not the
    words around them (the TriG and `obligraph serve` keep those)."""
    return dict(claim, quotes=[{k: v for k, v in q.items() if k not in ("prefix", "suffix")}
                               for q in claim["quotes"]])


def _overview_edges(network: nx.MultiDiGraph, drawn: list[tuple]) -> set[tuple]:
    """Of the relations drawn, those an overview draws from the start: the OVERVIEW_EDGES with
    the most claims, first those between entities of OVERVIEW_TYPES (the ones it shows)."""
    def key(edge):
        u, v, _ = edge
        shown = network.nodes[u]["type"] in OVERVIEW_TYPES and network.nodes[v]["type"] in OVERVIEW_TYPES
        return (not shown, -len(network.edges[edge]["claims"]), edge)
    return set(sorted(drawn, key=key)[:OVERVIEW_EDGES])


def _rank(network: nx.MultiDiGraph, shown: set[str], degree: dict[str, int],
          discussed: dict[str, int]) -> dict[str, int]:
    """Each node's rank for a label (0 first): the states and treaties the articles name
    (``discussed``: record.article_claims), then the rest of the default view, then what the
    record switch adds; within each by how many of the articles' claims are about it (what the
    articles discuss most: South Korea before a state the record alone connects to many
    treaties), then by degree among the edges drawn by default, then by all relations, then by
    id. The page labels nodes in this order as long as a label has room (templates/network.js,
    declutter)."""
    total = dict(network.degree())

    def key(node):
        tier = 0 if node in discussed and network.nodes[node]["type"] in ("State", "Treaty") else (
            1 if node in shown else 2)
        return (tier, -discussed.get(node, 0), -degree.get(node, 0), -total[node], node)
    return {node: rank for rank, node in enumerate(sorted(network.nodes, key=key))}


@without_gc
def page_data(network: nx.MultiDiGraph) -> dict:
    """Everything the page needs, as plain JSON-able values: vis-network's nodes, edges and
    options, and the details behind them (claims by id, so a claim on several edges is stored once).

    Edges that rest on the reference record alone (views/record.py) are not vis edges with
    claims but rows of ``record.edges`` — [from, to, relation, label, legend, claims, drawn by
    default (1: in the articles' context), sources, curve] with entities, relations, labels,
    legends and sources as indexes into ``nodes``, ``record.keys``, ``record.labels``,
    ``EDGE_KINDS`` and ``sources`` — and what their panel shows is the state's treaty table
    (``record.states``, record.compact). The page's script expands them (network.js)."""
    large = network.number_of_nodes() >= LARGE
    discussed = record.article_claims(network)
    layers = record.layers(network, set(discussed))
    drawn = [key for key in sorted(network.edges(keys=True)) if layers[key] != record.RECORD]
    related = {n for u, v in network.edges() for n in (u, v)}
    shown = {n for u, v, _ in drawn for n in (u, v)} | (set(network.nodes) - related)
    positions = layered_layout(network, shown, [(u, v) for u, v, _ in drawn])
    degree: dict[str, int] = dict.fromkeys(network.nodes, 0)
    for u, v, _ in drawn:
        degree[u] += 1
        degree[v] += 1
    total = dict(network.degree())
    rank = _rank(network, shown, degree, discussed)
    articles = [key for key in drawn if not layers[key]]  # drawn as vis edges, not record rows
    overview = len(articles) > OVERVIEW_EDGES
    first = _overview_edges(network, articles) if overview else set(articles)
    limit = OVERVIEW_LIST_MAX if overview else PAGE_LIST_MAX
    order = sorted(network.nodes)
    node_index = {node: i for i, node in enumerate(order)}
    sources = network.graph.get("sources", [])
    source_index = {s["id"]: i for i, s in enumerate(sources)}
    nodes: list[dict] = []  # vis-network's node and edge items
    edges: list[dict] = []
    claims: dict[str, dict] = {}

    def ids(records: list[dict]) -> list[str]:
        shown_records = _shown(records, limit)
        for item in shown_records:
            key = _claim_key(item["id"])
            if key not in claims:
                claims[key] = page_claim(item, overview=overview)
        return [_claim_key(r["id"]) for r in shown_records]

    node_details = {}
    types: dict[str, int] = {}
    for node in order:
        data = network.nodes[node]
        colour, shape = STYLE.get(data["type"], DEFAULT_STYLE)
        types[data["type"]] = types.get(data["type"], 0) + 1
        x, y = positions[node]
        weight = degree[node] if node in shown else total[node]
        item = {
            "id": node, "label": canvas_label(data), "group": data["type"], "shape": shape,
            "color": colour, "size": round(9 + 3 * math.sqrt(min(weight, SIZE_CAP)), 1), "x": x, "y": y,
            "title": f"{_short(data['label'], 120)} · {data['type']} · {_plural(total[node], 'relation')}",
            "rank": rank[node],
        }
        if node not in shown:
            item["recordOnly"] = True  # every relation it has rests on the record alone: the switch draws it
        nodes.append(item)
        node_details[node] = {
            "label": data["label"], "type": data["type"], "aliases": data["aliases"],
            "note": data["note"], "sameAs": data["sameAs"], "facts": ids(data["facts"]),
            "factCount": len(data["facts"]),
            "disagreements": [_disagreement(d, ids) for d in data["disagreements"]],
        }
    edge_details = {}
    # an edge's style objects, one per value (never changed once made): the same JSON, and at
    # 10,000 articles a hundred thousand fewer dicts held until the page is written
    styles: dict[tuple, dict] = {}

    def shared(key: tuple, make: Callable[[], dict]) -> dict:
        found = styles.get(key)
        if found is None:
            found = styles[key] = make()
        return found
    pairs: dict[tuple[str, str], int] = {}
    keys: dict[str, int] = {}
    labels: dict[str, int] = {}
    legends = {k["kind"]: i for i, k in enumerate(EDGE_KINDS)}
    compact = []
    for source, target, key in sorted(network.edges(keys=True)):
        data = network.edges[source, target, key]
        edge_id = f"{source}|{key}|{target}"
        pair = tuple(sorted((source, target)))
        index = pairs[pair] = pairs.get(pair, -1) + 1
        legend = _legend(data)
        n_claims = len(data["claims"])
        if layers[(source, target, key)]:  # rests on the record: a row, expanded by the page
            compact.append([node_index[source], node_index[target], keys.setdefault(key, len(keys)),
                            labels.setdefault(data["label"], len(labels)), legends[legend], n_claims,
                            int(layers[(source, target, key)] == record.CONTEXT),
                            [source_index[s] for s in data["sources"] if s in source_index], index])
            continue
        style = EDGE_STYLE[legend]
        what = f"{_plural(n_claims, 'claim')}: {_stance_counts(data['stances'])}" if n_claims else "inferred"
        edge = {
            "id": edge_id, "from": source, "to": target, "kind": data["kind"], "legend": legend,
            "stance": data["stance"],
            "color": shared(("color", style["color"]), lambda: {"color": style["color"], "highlight": style["color"],
                                                                  "hover": style["color"]}),
            "dashes": style["dashes"], "width": round(1 + math.log2(1 + n_claims), 2),
            "title": f"{_short(network.nodes[source]['label'])} — {data['label']} → "
                     f"{_short(network.nodes[target]['label'])} · {what}",
            "smooth": shared(("smooth", index), lambda: (
                {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * index, 2)} if index
                else {"enabled": False})),
        }
        if "arrow" in style:
            edge["arrows"] = shared(("arrows", style["arrow"]),
                                    lambda: {"to": {"enabled": True, "type": style["arrow"], "scaleFactor": 0.5}})
        if not large:
            edge["label"] = data["label"]
        if (source, target, key) not in first:
            edge["minor"] = True  # an overview draws it with its entity selected, or every relation
        edges.append(edge)
        edge_details[edge_id] = {
            "from": source, "to": target, "relation": data["relation"], "label": data["label"],
            "predicate": key, "kind": data["kind"], "legend": legend, "stance": data["stance"],
            "stances": data["stances"], "sources": data["sources"], "claims": ids(data["claims"]),
            "claimCount": n_claims,
            # a conclusion's IRI is for the graph, not the panel: left out, it is a third of the page
            "conclusions": [_conclusion(c, ids) for c in data["conclusions"]],
            "disagreements": [_disagreement(d, ids) for d in data["disagreements"]],
        }
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        "nodes": {"borderWidth": 1, "font": {"size": 12, "face": "system-ui, sans-serif",
                                              "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "selectionWidth": 2,
                  "font": {"size": 9, "align": "horizontal", "color": "#495057", "strokeWidth": 3,
                           "face": "system-ui, sans-serif"}},
    }
    node_sources: dict[str, set] = {n: {c["source"] for c in network.nodes[n]["facts"]} for n in network.nodes}
    for detail in edge_details.values():
        node_sources[detail["from"]].update(detail["sources"])
        node_sources[detail["to"]].update(detail["sources"])
    record_edges = {"edges": compact, "keys": list(keys), "labels": list(labels),
                    "legends": [k["kind"] for k in EDGE_KINDS],
                    "provisionTreaty": {str(node_index[n]): node_index[t] for n in order
                                        if network.nodes[n]["type"] == "TreatyProvision"
                                        and (t := record.treaty_of(network, n))}}
    record_edges.update(record.compact(network, record.state_treaties(network), node_index, source_index))
    return {
        "nodes": nodes, "edges": edges, "options": options,
        "details": {"nodes": node_details, "edges": edge_details, "claims": dict(sorted(claims.items()))},
        "nodeSources": {n: sorted(s) for n, s in sorted(node_sources.items())},
        "sources": sources,
        "types": [{"type": t, "count": c, "color": STYLE.get(t, DEFAULT_STYLE)[0],
                   "shape": STYLE.get(t, DEFAULT_STYLE)[1]}
                  | ({"hidden": True} if overview and t not in OVERVIEW_TYPES else {})
                  for t, c in sorted(types.items())],
        "edgeKinds": _edge_kinds(edges, compact),
        "record": record_edges,
        "recordSwitch": {"edges": sum(1 for e in compact if not e[6]),
                         "nodes": sum(1 for n in nodes if n.get("recordOnly"))},
        "large": large,
        # what an overview leaves out at first, for the page to say (None: everything is drawn)
        "overview": {"edges": len(first), "listMax": OVERVIEW_LIST_MAX,
                     "types": list(OVERVIEW_TYPES)} if overview else None,
    }


def _edge_kinds(edges: list[dict], compact: list[list]) -> list[dict]:
    """The legend's relation entries with their look and how many arrows each has, drawn by
    default (``count``) and added by the record switch (``recordCount``); an optional one only
    when the page has such an arrow."""
    index = {k["kind"]: i for i, k in enumerate(EDGE_KINDS)}
    counts = {k["kind"]: sum(1 for e in edges if e["legend"] == k["kind"])
              + sum(1 for e in compact if e[4] == index[k["kind"]] and e[6]) for k in EDGE_KINDS}
    behind = {k["kind"]: sum(1 for e in compact if e[4] == index[k["kind"]] and not e[6]) for k in EDGE_KINDS}
    return [{"kind": k["kind"], "label": k["label"], "color": EDGE_STYLE[k["kind"]]["color"],
             "dashes": EDGE_STYLE[k["kind"]]["dashes"] or [], "arrow": EDGE_STYLE[k["kind"]].get("arrow", "arrow"),
             "count": counts[k["kind"]], "recordCount": behind[k["kind"]]}
            for k in EDGE_KINDS if counts[k["kind"]] or behind[k["kind"]] or not k.get("optional")]


def _counts(data: dict) -> dict:
    """What the toolbar and the record switch say: entities and relations drawn by default, and
    what the switch adds."""
    context = sum(1 for e in data["record"]["edges"] if e[6])
    hidden = {t["type"] for t in data["types"] if t.get("hidden")}
    visible = {n["id"] for n in data["nodes"] if not n.get("recordOnly") and n["group"] not in hidden}
    nodes = len(visible)
    edges = sum(1 for e in data["edges"] if not e.get("minor") and e["from"] in visible and e["to"] in visible)
    return {"nodes": nodes, "edges": edges + context,
            "recordEdges": data["recordSwitch"]["edges"], "recordNodes": data["recordSwitch"]["nodes"],
            "allNodes": len(data["nodes"]), "allEdges": len(data["edges"]) + len(data["record"]["edges"])}


def embed(data: dict) -> str:
    """The page's data as its block holds it: JSON (keys sorted, no spaces, ASCII) gzipped at
    level 9 with no timestamp, so the same data gives the same bytes, then base64. The JSON is
    compressed as it is written, a few MB at a time: whole, it was 140 MB of text and as many
    bytes again at 10,000 articles."""
    # gzip.compress's own header (mtime 0), the deflate stream, then CRC-32 and length: the
    # bytes gzip.compress gives for the whole text (deflate's output does not depend on how its
    # input is cut up)
    out = [gzip.compress(b"", compresslevel=9, mtime=0)[:10]]
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc, length = 0, 0

    def write(pieces: list[str]) -> None:
        nonlocal crc, length
        chunk = "".join(pieces).encode("ascii")
        crc, length = zlib.crc32(chunk, crc), length + len(chunk)
        out.append(deflate.compress(chunk))
    pending: list[str] = []
    size = 0
    for piece in _json_pieces(data, depth=3):
        pending.append(piece)
        size += len(piece)
        if size >= 1 << 22:
            write(pending)
            pending, size = [], 0
    write(pending)
    out += [deflate.flush(), struct.pack("<II", crc, length & 0xFFFFFFFF)]
    return base64.b64encode(b"".join(out)).decode("ascii")


def _json_pieces(value, *, depth: int):
    """``json.dumps(value, sort_keys=True, separators=(",", ":"))`` in pieces: a dict down to
    ``depth`` levels key by key, anything below it in one piece (the C encoder's speed)."""
    if type(value) is _JSON:
        yield value
    elif depth and isinstance(value, dict):
        yield "{"
        for i, key in enumerate(sorted(value)):
            yield ("," if i else "") + json.dumps(key, ensure_ascii=True) + ":"
            yield from _json_pieces(value[key], depth=depth - 1)
        yield "}"
    else:
        yield json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def page_json(page: str) -> dict:
    """The data a page of :func:`to_html` embeds, decoded: what :func:`page_data` gave it (as JSON
    has it). ValueError if the page has no such block, or more than one."""
    blocks = _DATA_BLOCK.findall(page)
    if len(blocks) != 1:
        raise ValueError(f"expected one {DATA_TYPE} block #obligraph-data, found {len(blocks)}")
    return json.loads(gzip.decompress(base64.b64decode(blocks[0], validate=True)))


def to_html(network: nx.MultiDiGraph, *, title: str = "Obligraph — the interactive network") -> str:
    """The page as a string (UTF-8 when written). Raises AssetError if an inlined file is missing."""
    render = _renderer(title)
    return render(page_data(network))


def store_html(store, *, graph_triples=None, title: str = "Obligraph — the interactive network") -> str:
    """The page of a build's store: ``to_html(to_network(store, graph_triples=...))``, but made
    from a network whose articles' claims are shelved (shelf.ClaimShelf), freed once the page's
    data is made; the claims the page shows are then read back whole and held as their JSON text
    only (the network's whole claims, then the page's copies of them, were the 10,000-article
    build's peak)."""
    from .network import to_network
    render = _renderer(title)
    with ClaimShelf() as shelf:
        network = to_network(store, graph_triples=graph_triples, shelf=shelf)
        data = page_data(network)
        del network
        gc.collect()  # networkx's views make cycles, and the build pauses the collector
        # the claims the page shows, whole, held as their JSON text only
        overview = data["overview"] is not None
        claims = data["details"]["claims"]
        for key, claim in claims.items():
            if (iri := CLAIM_BASE + key) in shelf.where:
                claim = page_claim(shelf.get(iri), overview=overview)
            claims[key] = _JSON(json.dumps(claim, sort_keys=True, separators=(",", ":"), ensure_ascii=True))
    return render(data)


class _JSON(str):
    """A value already written as the page's JSON (by :func:`_json_pieces`' rules)."""


def _renderer(title: str) -> Callable[[dict], str]:
    """The page's template and assets, read (or refused) before any data is made."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    try:
        template = environment.get_template("network.html.j2")
    except jinja2.TemplateNotFound:
        raise AssetError("the page template is missing", path=str(TEMPLATES / "network.html.j2"),
                         hint="restore obligraph/views/templates/ from version control") from None
    vis_js, vis_css = vis_assets()
    app_js = Markup("\n").join([_asset(TEMPLATES / name) for name in ("data.js", "panel.js", "network.js")])
    app_css = _asset(TEMPLATES / "network.css")

    def render(data: dict) -> str:
        return template.render(
            title=title, data=embed(data), data_type=DATA_TYPE, vis_js=vis_js, vis_css=vis_css,
            vis_version=VIS_VERSION, app_js=app_js, app_css=app_css, counts=_counts(data),
            overview=data["overview"])
    return render
