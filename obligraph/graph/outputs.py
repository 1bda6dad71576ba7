"""Write the graph files users open and import, deterministically, atomically and in one pass.

Each named graph is rendered on its own from its sorted N-Triples lines (a :class:`Block`), so a
build can cache a source's block and stream the files graph by graph without ever holding the
whole corpus as rdflib objects:

* obligraph.trig — one ``graph { … }`` block per named graph, sorted by graph IRI;
* obligraph.ttl — the same Turtle bodies one after another (a subject that appears in several
  graphs appears in several places; parsers merge them — Turtle is a set of triples);
* obligraph.jsonld — one JSON-LD named-graph object per graph, keys and values sorted.

Literals are written in their N-Triples form, which is valid Turtle, so any text — of any length,
with any quotes or line breaks — round-trips exactly. Files go to a staging directory beside the
target and are renamed into place only when all succeed."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from rdflib import RDF, Dataset, Graph
from rdflib.plugins.serializers.nt import _nt_row

from .rdf import PREFIXES

TRIG, TURTLE, JSONLD = "obligraph.trig", "obligraph.ttl", "obligraph.jsonld"
# the HTML page is added by pipeline.build (network.py → html.py)
GRAPH_FILES = (TRIG, TURTLE, JSONLD, "obligraph.html")

_NAMESPACES = sorted(({**{k: str(v) for k, v in PREFIXES.items()}, "rdf": str(RDF)}).items())
_BY_LENGTH = sorted(_NAMESPACES, key=lambda item: -len(item[1]))
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$")
_LINE = re.compile(r"^(<[^>]*>) (<[^>]*>) (.*) \.$")
_LITERAL = re.compile(r'^"(.*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?$', re.S)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
                   "\\": "\\"}
_TYPE = f"<{RDF.type}>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ntriples_lines(triples: Iterable) -> list[str]:
    """Sorted, distinct N-Triples lines (no newline) of rdflib triples."""
    return sorted({_nt_row(triple).rstrip("\n") for triple in triples})


@lru_cache(maxsize=1 << 16)
def _compact(iri: str) -> str:
    """A prefixed name where our prefixes and Turtle's local-name rules allow, else ``<iri>``."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _split(line: str) -> tuple[str, str, str]:
    match = _LINE.match(line)
    if not match:
        raise ValueError(f"not an N-Triples line of IRIs and literals: {line[:120]}")
    return match.group(1), match.group(2), match.group(3)


def _turtle_term(token: str) -> str:
    if token.startswith("<"):
        return _compact(token[1:-1])
    head, marker, datatype = token.rpartition('"^^<')
    if marker:
        return f'{head}"^^{_compact(datatype[:-1])}'
    return token


def turtle_body(lines: list[str]) -> str:
    """Sorted N-Triples lines as Turtle statements, one subject per paragraph, rdf:type first."""
    paragraphs = []
    for subject, statements in groupby((_split(line) for line in lines), key=lambda t: t[0]):
        by_predicate = {}
        for _, predicate, obj in statements:
            by_predicate.setdefault(predicate, []).append(_turtle_term(obj))
        ordered = sorted(by_predicate, key=lambda p: (p != _TYPE, _compact(p[1:-1])))
        parts = [("a" if p == _TYPE else _compact(p[1:-1])) + " " + ",\n        ".join(by_predicate[p])
                 for p in ordered]
        paragraphs.append(_compact(subject[1:-1]) + " " + " ;\n    ".join(parts) + " .")
    return "\n\n".join(paragraphs)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                       else _SIMPLE_ESCAPES.get(m.group(3), "\\" + m.group(3)), text)


def _jsonld_value(token: str) -> dict:
    if token.startswith("<"):
        return {"@id": _compact(token[1:-1]).strip("<>")}
    match = _LITERAL.match(token)
    value = {"@value": _unescape(match.group(1))}
    if match.group(2) and match.group(2) != _XSD_STRING:
        value["@type"] = _compact(match.group(2)).strip("<>")
    if match.group(3):
        value["@language"] = match.group(3)
    return value


def _value_order(value) -> tuple:
    if isinstance(value, str):
        return ("", value, "", "")
    return (value.get("@id", ""), value.get("@value", ""), value.get("@type", ""),
            value.get("@language", ""))


def jsonld_nodes(lines: list[str]) -> list[dict]:
    """Sorted N-Triples lines as JSON-LD node objects (prefixed names, sorted values)."""
    return list(_jsonld_nodes(lines))


def _jsonld_nodes(lines: list[str]) -> Iterator[dict]:
    for subject, statements in groupby((_split(line) for line in lines), key=lambda t: t[0]):
        node: dict = {"@id": _compact(subject[1:-1]).strip("<>")}
        for _, predicate, obj in statements:
            if predicate == _TYPE:
                node.setdefault("@type", []).append(_compact(obj[1:-1]).strip("<>"))
            else:
                node.setdefault(_compact(predicate[1:-1]).strip("<>"), []).append(_jsonld_value(obj))
        for key, values in node.items():
            if isinstance(values, list):
                values.sort(key=_value_order)
        yield node


def _jsonld_graph(name: str, lines: list[str]) -> str:
    """json.dumps({"@id": name, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False),
    one node at a time: dumping the whole graph at once held every node and millions of pieces
    of text (~350 MB for the 315k conclusions of a 1,000-document build)."""
    nodes = [json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")
             for node in _jsonld_nodes(lines)]
    listed = "[\n    " + ",\n    ".join(nodes) + "\n  ]" if nodes else "[]"
    return '{\n  "@graph": ' + listed + ',\n  "@id": ' + json.dumps(name, ensure_ascii=False) + "\n}"


@dataclass(frozen=True)
class Block:
    """One named graph, rendered for each file. ``graph`` is the graph IRI."""

    graph: str
    trig: str
    turtle: str
    jsonld: str


def block(graph: str, lines: list[str]) -> Block:
    """Render one named graph from its sorted N-Triples lines."""
    name = _compact(graph)
    body = turtle_body(lines)
    text = _jsonld_graph(name.strip("<>"), lines)
    return Block(graph=graph, trig=f"{name} {{\n{body}\n}}\n", turtle=f"# graph {name}\n{body}\n",
                 jsonld="  " + text.replace("\n", "\n  "))  # indented without a list of its lines


def _prefix_lines() -> str:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in _NAMESPACES)


def _context() -> str:
    return json.dumps({prefix: namespace for prefix, namespace in _NAMESPACES}, indent=2,
                      sort_keys=True).replace("\n", "\n  ")


class GraphFileWriter:
    """Stream blocks (in graph-IRI order) into TriG, Turtle and JSON-LD in a staging directory;
    :meth:`commit` renames them (and any extra files) into place, or nothing if anything failed."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.staging = _staging(self.out_dir)
        self.handles = {name: open(self.staging / name, "w", encoding="utf-8", newline="\n")
                        for name in (TRIG, TURTLE, JSONLD)}
        self.handles[TRIG].write(_prefix_lines())
        self.handles[TURTLE].write(_prefix_lines())
        self.handles[JSONLD].write('{\n  "@context": ' + _context() + ',\n  "@graph": [\n')
        self.count = 0
        self.last = ""

    def add(self, graph_block: Block) -> None:
        if graph_block.graph <= self.last:
            raise ValueError(f"graph blocks out of order: {graph_block.graph} after {self.last}")
        self.last = graph_block.graph
        self.handles[TRIG].write("\n" + graph_block.trig)
        self.handles[TURTLE].write("\n" + graph_block.turtle)
        self.handles[JSONLD].write((",\n" if self.count else "") + graph_block.jsonld)
        self.count += 1

    def commit(self, extra: dict[str, str] | None = None) -> list[Path]:
        self.handles[JSONLD].write("\n  ]\n}\n")
        for handle in self.handles.values():
            handle.close()
        for name, content in (extra or {}).items():
            (self.staging / name).write_text(content, encoding="utf-8", newline="\n")
        try:
            return _move_into_place(self.staging, [*self.handles, *(extra or {})], self.out_dir)
        finally:
            self.abort()

    def abort(self) -> None:
        for handle in self.handles.values():
            handle.close()
        shutil.rmtree(self.staging, ignore_errors=True)


def dataset_blocks(dataset: Dataset) -> Iterator[Block]:
    """The blocks of an rdflib Dataset (non-empty graphs, sorted by IRI)."""
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(context):
            yield block(str(context.identifier), ntriples_lines(context))


def render(dataset: Dataset) -> dict[str, str]:
    """File name → content of the three graph files for a Dataset (what a build writes)."""
    with tempfile.TemporaryDirectory() as tmp:
        writer = GraphFileWriter(Path(tmp))
        for graph_block in dataset_blocks(dataset):
            writer.add(graph_block)
        return {path.name: path.read_text(encoding="utf-8") for path in writer.commit()}


def trig(dataset: Dataset) -> str:
    return render(dataset)[TRIG]


def merged(dataset: Dataset) -> Graph:
    """Every triple of every named graph in one Graph (with our prefixes bound)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for context in dataset.graphs():
        for triple in context:
            graph.add(triple)
    return graph


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write all files or none: into a temporary directory first, then rename into place."""
    out_dir = Path(out_dir)
    staging = _staging(out_dir)
    try:
        for name, content in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
        return _move_into_place(staging, list(files), out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging(out_dir: Path) -> Path:
    """A temporary directory beside the outputs (same file system, so renames are atomic)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".building-", dir=out_dir))


def _move_into_place(staging: Path, names: list[str], out_dir: Path) -> list[Path]:
    for name in names:
        os.replace(staging / name, out_dir / name)
    return [out_dir / name for name in names]
