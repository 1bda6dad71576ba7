"""Write the graph files users open and import, deterministically and atomically.

Byte-identical on rebuild: rdflib's Turtle writer sorts its output, so TriG is assembled from one
Turtle block per named graph, and JSON-LD is re-serialised with sorted keys and arrays. Files are
written to a temporary directory beside the target and renamed into place only when all succeed."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .rdf import PREFIXES

# the HTML page is added by pipeline.build (network.py → html.py)
GRAPH_FILES = ("obligraph.trig", "obligraph.ttl", "obligraph.jsonld", "obligraph.html")


def _turtle(graph: Graph) -> tuple[list[str], str]:
    """Prefix lines and body of a graph's Turtle."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    text = graph.serialize(format="turtle")
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix ")]
    body = text.split("\n\n", 1)[1] if prefixes else text
    return prefixes, body.strip("\n")


def _graph_name(iri: URIRef) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        local = str(iri).removeprefix(str(namespace))
        if local != str(iri) and local.replace("-", "").replace("_", "").isalnum():
            return f"{prefix}:{local}"
    return f"<{iri}>"


def trig(dataset: Dataset) -> str:
    prefixes: set[str] = set()
    blocks = []
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(context):
            continue
        graph = Graph()
        for triple in context:
            graph.add(triple)
        graph_prefixes, body = _turtle(graph)
        prefixes.update(graph_prefixes)
        blocks.append(f"{_graph_name(context.identifier)} {{\n{body}\n}}\n")
    graph_prefix = f"@prefix obg: <{PREFIXES['obg']}> ."
    prefixes.add(graph_prefix)
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def merged(dataset: Dataset) -> Graph:
    """Every triple of every named graph in one Graph (with our prefixes bound)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for context in dataset.graphs():
        for triple in context:
            graph.add(triple)
    return graph


def turtle(dataset: Dataset) -> str:
    prefixes, body = _turtle(merged(dataset))
    return "\n".join(prefixes) + "\n\n" + body + "\n"


def _sorted_json(node, parent_key: str | None = None):
    if isinstance(node, dict):
        return {key: _sorted_json(value, key) for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(item) for item in node]
        if parent_key == "@list":  # an RDF list keeps its order
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return node


def jsonld(dataset: Dataset) -> str:
    context = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    context["obg"] = str(PREFIXES["obg"])
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    return json.dumps(_sorted_json(json.loads(text)), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def render(dataset: Dataset) -> dict[str, str]:
    """File name → content for every graph file."""
    return {"obligraph.trig": trig(dataset), "obligraph.ttl": turtle(dataset),
            "obligraph.jsonld": jsonld(dataset)}


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write all files or none: into a temporary directory first, then rename into place."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=out_dir))
    try:
        for name, content in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
        written = []
        for name in files:
            os.replace(staging / name, out_dir / name)
            written.append(out_dir / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
