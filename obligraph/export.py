"""Stage 5 (files for other tools): the built Dataset in every format we offer.

One table of formats (FORMATS); `export(dataset, fmt)` returns file name → text. RDF formats keep
every triple (quad formats keep the named graphs); GraphML / GEXF carry the entity network
(labels, types, relation names) for Gephi and Cytoscape; CSV is nodes.csv + edges.csv for
spreadsheets and Neo4j's LOAD CSV. Line-based formats are sorted so output is deterministic."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import Enum
from typing import Callable

import networkx as nx
from rdflib import Dataset

from . import outputs


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
    write: Callable[[Dataset], dict[str, str]]


def _sorted_lines(text: str) -> str:
    return "".join(sorted(set(line + "\n" for line in text.splitlines() if line.strip())))


def _network(dataset: Dataset) -> nx.MultiDiGraph:
    """The entity network with only plain attributes (GraphML and GEXF take no lists)."""
    from .network import to_network
    rich = to_network(dataset)
    flat = nx.MultiDiGraph()
    for node, data in sorted(rich.nodes(data=True)):
        flat.add_node(node, label=data["label"], type=data["type"], iri=data["iri"],
                      wikidata=" ".join(data["sameAs"]))
    for source, target, key, data in sorted(rich.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat.add_edge(source, target, key=key, relation=key, label=data["relation"],
                      inferred=bool(data["inferred"]), claims=len(data["claims"]))
    return flat


def _graph_file(writer, name: str) -> Callable[[Dataset], dict[str, str]]:
    def write(dataset: Dataset) -> dict[str, str]:
        buffer = io.BytesIO()
        writer(_network(dataset), buffer)
        return {name: buffer.getvalue().decode("utf-8")}
    return write


def _csv(dataset: Dataset) -> dict[str, str]:
    network = _network(dataset)
    nodes, edges = io.StringIO(), io.StringIO()
    node_writer = csv.writer(nodes, lineterminator="\n")
    node_writer.writerow(["id", "label", "type", "iri", "wikidata"])
    for node, data in network.nodes(data=True):
        node_writer.writerow([node, data["label"], data["type"], data["iri"], data["wikidata"]])
    edge_writer = csv.writer(edges, lineterminator="\n")
    edge_writer.writerow(["source", "target", "relation", "label", "inferred", "claims"])
    for source, target, data in network.edges(data=True):
        edge_writer.writerow([source, target, data["relation"], data["label"],
                              str(data["inferred"]).lower(), data["claims"]])
    return {"nodes.csv": nodes.getvalue(), "edges.csv": edges.getvalue()}


FORMATS: dict[ExportFormat, FormatSpec] = {
    ExportFormat.TURTLE: FormatSpec("ttl", "turtle", False, lambda d: {"obligraph.ttl": outputs.turtle(d)}),
    ExportFormat.NTRIPLES: FormatSpec("nt", "nt", False, lambda d: {
        "obligraph.nt": _sorted_lines(outputs.merged(d).serialize(format="nt"))}),
    ExportFormat.NQUADS: FormatSpec("nq", "nquads", True, lambda d: {
        "obligraph.nq": _sorted_lines(d.serialize(format="nquads"))}),
    ExportFormat.TRIG: FormatSpec("trig", "trig", True, lambda d: {"obligraph.trig": outputs.trig(d)}),
    ExportFormat.JSONLD: FormatSpec("jsonld", "json-ld", True, lambda d: {"obligraph.jsonld": outputs.jsonld(d)}),
    ExportFormat.RDFXML: FormatSpec("rdf", "xml", False, lambda d: {
        "obligraph.rdf": outputs.merged(d).serialize(format="pretty-xml")}),
    ExportFormat.GRAPHML: FormatSpec("graphml", None, False, _graph_file(nx.write_graphml, "obligraph.graphml")),
    ExportFormat.GEXF: FormatSpec("gexf", None, False, _graph_file(nx.write_gexf, "obligraph.gexf")),
    ExportFormat.CSV: FormatSpec("csv", None, False, _csv),
}


def export(dataset: Dataset, fmt: ExportFormat) -> dict[str, str]:
    """File name → content of ``dataset`` in ``fmt``."""
    return FORMATS[ExportFormat(fmt)].write(dataset)
