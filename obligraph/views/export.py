"""Stage 5 (files for other tools): the built graph in every format we offer.

One table of formats (FORMATS); `export(data, fmt)` returns file name → text, from the built TriG
file (what `obligraph export` reads) or an rdflib Dataset; `graph_files` the built file's as
bytes, which `obligraph export` writes as they are (decoding 230 MB of N-Quads to text, to
encode it again on the way out, was a fifth of the export's time). RDF formats are streamed from
Oxigraph's parser to its serialisers (rdflib's are 10-50× slower at a million triples), in an
order that depends only on the data, so output is deterministic; quad formats keep the named
graphs, triple formats merge them. GraphML / GEXF carry the entity network (labels, types,
relation names) for Gephi and Cytoscape; CSV is nodes.csv + edges.csv for spreadsheets and
Neo4j's LOAD CSV. Each network edge carries its claims' stances (how many assert, allege, deny,
recommend; one word for the edge; a label that says "not party to" for a denied relation) and
their sources; ``asserted_only`` leaves out the relations no claim asserts (network formats only:
the RDF formats are the graph term for term, every claim with its ob:stance)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from ..graph.paths import built_graph
from ..graph.rdf import PREFIXES


class ExportFormat(str, Enum):
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"


@dataclass(frozen=True)
class FormatSpec:
    extension: str
    rdflib_name: str | None  # the rdflib parser/serialiser name, for RDF formats
    quads: bool  # keeps named graphs
    write: Callable[["Data"], dict[str, bytes]]

    @property
    def network(self) -> bool:
        """A network of entities and relations (GraphML, GEXF, CSV), not RDF."""
        return self.rdflib_name is None


_PREFIXES = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}


class Data:
    """What an export reads: the built TriG file, or an rdflib Dataset. RDF formats read quads
    with Oxigraph's parser, never through a store: an Oxigraph store keeps values, not terms
    ("0267"^^xsd:nonNegativeInteger comes back as "267"^^xsd:integer), and an export must give
    back the very triples it was given."""

    def __init__(self, data: Path | Dataset, *, asserted_only: bool = False) -> None:
        self.given = data
        self.asserted_only = asserted_only

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad, grouped by graph, in an order that depends only on the data."""
        if isinstance(self.given, Dataset):
            parsed = ox.parse(self.given.serialize(format="nquads").encode("utf-8"),
                              format=ox.RdfFormat.N_QUADS)
            return sorted(parsed, key=lambda quad: (str(quad.graph_name), str(quad)))
        # the built TriG is already one block per graph, written in a fixed order (builds are
        # byte-identical), so its own order is deterministic: no sort to pay for. lenient: the
        # build checked the IRIs it wrote
        return ox.parse(path=str(self.given), format=ox.RdfFormat.TRIG, lenient=True)

    def nquads(self) -> bytes:
        return ox.serialize(self.quads(), format=ox.RdfFormat.N_QUADS)

    def ntriples(self) -> bytes:
        """Every triple of every graph, merged (a triple in two graphs once), sorted."""
        return _sorted(ox.serialize((quad.triple for quad in self.quads()),
                                    format=ox.RdfFormat.N_TRIPLES))


def _sorted(lines: bytes) -> bytes:
    # bytes compare as UTF-8 does, which orders like the code points: the same order as str
    unique = sorted(set(lines.splitlines()))
    return b"\n".join(line for line in unique if line.strip()) + b"\n" if unique else b""


def _oxigraph(fmt: ox.RdfFormat, *, quads: bool) -> Callable[[Data], bytes]:
    def write(data: Data) -> bytes:
        if quads:
            return ox.serialize(data.quads(), format=fmt, prefixes=_PREFIXES)
        # sorted N-Triples in: each subject's triples together, so Turtle groups them
        return ox.serialize(ox.parse(data.ntriples(), format=ox.RdfFormat.N_TRIPLES, lenient=True),
                            format=fmt, prefixes=_PREFIXES)
    return write


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CONTEXT = dict(sorted({**_PREFIXES, "rdf": _RDF}.items()))
_LONGEST_FIRST = sorted(_CONTEXT.items(), key=lambda item: -len(item[1]))


def _compact_iri(iri: str) -> str:
    """obid:china for an IRI under a prefix of the @context (the longest namespace), else the IRI."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("/"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _jsonld_value(term) -> dict:
    if not isinstance(term, ox.Literal):
        return {"@id": _compact_iri(term.value) if isinstance(term, ox.NamedNode) else str(term)}
    value: dict = {"@value": term.value}
    if term.language:
        value["@language"] = term.language
    elif term.datatype.value != _XSD_STRING:
        value["@type"] = _compact_iri(term.datatype.value)
    return value


def _jsonld_graph(name: str, quads: list) -> dict:
    nodes: dict[str, dict] = {}
    for quad in quads:
        subject = quad.subject
        key = _compact_iri(subject.value) if isinstance(subject, ox.NamedNode) else str(subject)
        node = nodes.setdefault(key, {"@id": key})
        if quad.predicate.value == _RDF + "type" and not isinstance(quad.object, ox.Literal):
            node.setdefault("@type", []).append(_compact_iri(quad.object.value))
        else:
            node.setdefault(_compact_iri(quad.predicate.value), []).append(_jsonld_value(quad.object))
    for node in nodes.values():  # values in an order that depends only on the data
        for values in node.values():
            if isinstance(values, list):
                values.sort(key=lambda v: v if isinstance(v, str) else json.dumps(v, sort_keys=True))
    return {"@id": name, "@graph": [nodes[key] for key in sorted(nodes)]}


def _jsonld(data: Data) -> bytes:
    """JSON-LD with a readable @context (the project's prefixes: "obid:china", "ob:partyTo"), one
    named-graph object per graph, keys and values sorted — as the build's own JSON-LD was."""
    out = ['{\n  "@context": ' + json.dumps(_CONTEXT, indent=2, sort_keys=True).replace("\n", "\n  ")
           + ',\n  "@graph": [\n']
    first = True
    for graph, quads in groupby(data.quads(), key=lambda quad: quad.graph_name):
        named = _jsonld_graph(_compact_iri(graph.value) if isinstance(graph, ox.NamedNode) else "", list(quads))
        # the default graph's nodes (none in a build) at the top, beside the named graphs
        for item in [named] if isinstance(graph, ox.NamedNode) else named["@graph"]:
            text = json.dumps(item, indent=2, sort_keys=True, ensure_ascii=False)
            out.append(("" if first else ",\n") + "\n".join("    " + line for line in text.splitlines()))
            first = False
    out.append("\n  ]\n}\n")
    return "".join(out).encode("utf-8")


def _rdfxml(data: Data) -> bytes:
    # Oxigraph writes a carriage return in a literal as it is, and an XML parser reads it back as
    # a line feed (XML end-of-line handling): as a character reference it survives. A CR can only
    # be in a literal (no IRI or name holds one), so replacing them all is exact
    return _oxigraph(ox.RdfFormat.RDF_XML, quads=False)(data).replace(b"\r", b"&#13;")


def _file(name: str, write: Callable[[Data], bytes]) -> Callable[[Data], dict[str, bytes]]:
    return lambda data: {name: write(data)}


# an edge's columns after source and target, in the CSV's order (GraphML / GEXF: attributes)
EDGE_COLUMNS = ("relation", "label", "inferred", "claims", "stance", "asserts", "alleges", "denies",
                "recommends", "sources", "sourceTitles", "basis", "premise", "restsOnCuratorReading")
TITLE_SEPARATOR = " | "  # between the titles of sourceTitles (source ids are joined by a space)


def _network(data: Data) -> nx.MultiDiGraph:
    """The entity network with only plain attributes (GraphML and GEXF take no lists): per edge
    the relation, its label with the stance ("not party to"), whether it is inferred, how many
    claims and how many of each stance, the edge's stance, its sources' ids and titles; for a
    potential breach how it was found and its premises' statuses; whether every conclusion
    behind it rests on a curator's reading."""
    from .network import asserted_only
    from .stances import STANCES
    rich = _rich_network(data)
    titles = {s["id"]: s["title"] or s["id"] for s in rich.graph.get("sources", [])}
    flat = nx.MultiDiGraph()
    for node, attributes in sorted(rich.nodes(data=True)):
        flat.add_node(node, label=attributes["label"], type=attributes["type"], iri=attributes["iri"],
                      wikidata=" ".join(attributes["sameAs"]))
    for source, target, key, edge in sorted(rich.edges(keys=True, data=True), key=lambda e: e[:3]):
        if data.asserted_only and not asserted_only(edge):
            continue
        flat.add_edge(source, target, key=key, relation=key, label=edge["label"],
                      inferred=bool(edge["inferred"]), claims=len(edge["claims"]), stance=edge["stance"],
                      **{name: edge["stances"][name] for name in STANCES},
                      sources=" ".join(edge["sources"]),
                      sourceTitles=TITLE_SEPARATOR.join(titles.get(s, s) for s in edge["sources"]),
                      **_conclusion_columns(edge["conclusions"]))
    return flat


def _conclusion_columns(conclusions: list[dict]) -> dict:
    """basis ("derived by kind; stated by a source"), premise ("contested") of a potential
    breach's conclusions, "" for other edges; restsOnCuratorReading: the edge has conclusions and
    none stands without a curator's reading."""
    breaches = [c for c in conclusions if c["kind"] == "PotentialBreach"]
    return {"basis": "; ".join(sorted({value for c in breaches for name, value in c["fields"] if name == "found"})),
            "premise": "; ".join(sorted({p["status"] for c in breaches for p in c.get("premiseOfStatus", [])})),
            "restsOnCuratorReading": bool(conclusions) and all(c.get("curatorReading") for c in conclusions)}


def _rich_network(data: Data) -> nx.MultiDiGraph:
    from .network import to_network
    if isinstance(data.given, Dataset):
        return to_network(data.given)
    path = Path(data.given).resolve()
    stat = path.stat()
    return _built_network(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)
def _built_network(path: str, size: int, mtime_ns: int) -> nx.MultiDiGraph:
    """The last built file's rich network, read from its persisted query store (opened, not
    parsed: the build filled it), by the file's path, size and mtime: the exports of one file in
    one process (GraphML, then CSV, then --asserted-only) read its network once. Callers only
    read it."""
    from ..graph.store import load_store
    from .network import to_network
    return to_network(load_store(Path(path)))


def _graph_file(writer, name: str) -> Callable[[Data], dict[str, bytes]]:
    def write(data: Data) -> dict[str, bytes]:
        buffer = io.BytesIO()
        writer(_network(data), buffer)
        return {name: buffer.getvalue()}
    return write


def _csv(data: Data) -> dict[str, bytes]:
    network = _network(data)
    nodes, edges = io.StringIO(), io.StringIO()
    node_writer = csv.writer(nodes, lineterminator="\n")
    node_writer.writerow(["id", "label", "type", "iri", "wikidata"])
    for node, data in network.nodes(data=True):
        node_writer.writerow([node, data["label"], data["type"], data["iri"], data["wikidata"]])
    edge_writer = csv.writer(edges, lineterminator="\n")
    edge_writer.writerow(["source", "target", *EDGE_COLUMNS])
    for source, target, data in network.edges(data=True):
        edge_writer.writerow([source, target, *(str(data[c]).lower() if c == "inferred" else data[c]
                                                for c in EDGE_COLUMNS)])
    return {"nodes.csv": nodes.getvalue().encode("utf-8"), "edges.csv": edges.getvalue().encode("utf-8")}


FORMATS: dict[ExportFormat, FormatSpec] = {
    ExportFormat.TURTLE: FormatSpec("ttl", "turtle", False, _file(
        "obligraph.ttl", _oxigraph(ox.RdfFormat.TURTLE, quads=False))),
    ExportFormat.NTRIPLES: FormatSpec("nt", "nt", False, _file("obligraph.nt", Data.ntriples)),
    ExportFormat.NQUADS: FormatSpec("nq", "nquads", True, _file("obligraph.nq", Data.nquads)),
    ExportFormat.TRIG: FormatSpec("trig", "trig", True, _file(
        "obligraph.trig", _oxigraph(ox.RdfFormat.TRIG, quads=True))),
    ExportFormat.JSONLD: FormatSpec("jsonld", "json-ld", True, _file(
        "obligraph.jsonld", _jsonld)),
    ExportFormat.RDFXML: FormatSpec("rdf", "xml", False, _file("obligraph.rdf", _rdfxml)),
    ExportFormat.GRAPHML: FormatSpec("graphml", None, False, _graph_file(nx.write_graphml, "obligraph.graphml")),
    ExportFormat.GEXF: FormatSpec("gexf", None, False, _graph_file(nx.write_gexf, "obligraph.gexf")),
    ExportFormat.CSV: FormatSpec("csv", None, False, _csv),
}


def export(data: Path | Dataset, fmt: ExportFormat, *, asserted_only: bool = False) -> dict[str, str]:
    """File name → content of ``data`` (a built TriG file, or an rdflib Dataset) in ``fmt``.
    ``asserted_only`` (network formats): only the relations a claim asserts, and the inferred
    ones (network.asserted_only)."""
    return {name: content.decode("utf-8")
            for name, content in _files(data, fmt, asserted_only=asserted_only).items()}


def _files(data: Path | Dataset, fmt: ExportFormat, *, asserted_only: bool = False) -> dict[str, bytes]:
    spec = FORMATS[ExportFormat(fmt)]
    if asserted_only and not spec.network:
        raise ValueError(f"asserted-only is for the network formats (graphml, gexf, csv), not "
                         f"{ExportFormat(fmt).value}: the RDF formats keep every claim with its ob:stance")
    return spec.write(Data(data, asserted_only=asserted_only))


def graph_files(fmt: ExportFormat, *, graph: Path | None = None, asserted_only: bool = False) -> dict[str, bytes]:
    """File name → UTF-8 bytes of the built graph (graph/obligraph.trig by default) in ``fmt``:
    what `obligraph export` writes. ``asserted_only``: as for :func:`export`."""
    return _files(built_graph(graph), fmt, asserted_only=asserted_only)


def export_graph(fmt: ExportFormat, *, graph: Path | None = None, asserted_only: bool = False) -> dict[str, str]:
    """File name → content of the built graph (graph/obligraph.trig by default) in ``fmt``."""
    return {name: content.decode("utf-8")
            for name, content in graph_files(fmt, graph=graph, asserted_only=asserted_only).items()}
