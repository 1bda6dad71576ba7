"""Write the graph files users open and import, deterministically, atomically and in one pass.

Each named graph is rendered on its own from its sorted N-Triples lines (a :class:`Block`), so a
build can cache a source's block and stream the files graph by graph without ever holding the
whole corpus as rdflib objects:

* obligraph.trig — one ``graph { … }`` block per named graph, sorted by graph IRI, with our
  prefixes (so IRIs made to be prefixed names — a record row's claims, the conclusions — are
  short: the compact form of ontology/MODEL.md).

Only the TriG is written: the bundled record's thousands of rows made three copies of the graph
(TriG, Turtle, JSON-LD) cost three times the repository's size, and `obligraph export` writes any
other format from the TriG on demand.

Literals are written in their N-Triples form, which is valid Turtle, so any text — of any length,
with any quotes or line breaks — round-trips exactly. Files go to a staging directory beside the
target and are renamed into place only when all succeed."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Dataset, Graph

from .rdf import PREFIXES, ntriples_lines  # noqa: F401 (ntriples_lines: re-exported)

TRIG = "obligraph.trig"
# the HTML page is added by pipeline.build (network.py → html.py); Turtle, JSON-LD and the other
# formats are written on demand by `obligraph export` (views/export.py), from the TriG
GRAPH_FILES = (TRIG, "obligraph.html", "built-from.json")  # the last: graph/freshness.py

_NAMESPACES = sorted(({**{k: str(v) for k, v in PREFIXES.items()}, "rdf": str(RDF)}).items())
_BY_LENGTH = sorted(_NAMESPACES, key=lambda item: -len(item[1]))
# Turtle's PN_LOCAL without escapes: '.' inside a name, never at its end
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_LINE = re.compile(r"^(<[^>]*>) (<[^>]*>) (.*) \.$")
_TYPE = f"<{RDF.type}>"


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


_BOOLEANS = {f'"{v}"^^<http://www.w3.org/2001/XMLSchema#boolean>': v for v in ("true", "false")}


def _turtle_term(token: str) -> str:
    if token.startswith("<"):
        return _compact(token[1:-1])
    if token in _BOOLEANS:  # Turtle's own form of a boolean
        return _BOOLEANS[token]
    head, marker, datatype = token.rpartition('"^^<')
    if marker:
        return f'{head}"^^{_compact(datatype[:-1])}'
    return token


def turtle_body(lines: list[str]) -> str:
    """Sorted N-Triples lines as Turtle statements, one subject per paragraph, rdf:type first."""
    paragraphs = []
    subject, by_predicate = None, {}
    for line in lines:
        # an IRI holds no space, so a line of IRIs and literals splits at its first two spaces
        # (a third of the time of a regular expression); _split checks the lines that do not
        parts = line.split(" ", 2)
        if len(parts) < 3 or parts[0][:1] != "<" or parts[1][:1] != "<" or parts[2][-2:] != " .":
            parts = _split(line)
        else:
            parts[2] = parts[2][:-2]
        if parts[0] != subject:
            if subject is not None:
                paragraphs.append(_paragraph(subject, by_predicate))
            subject, by_predicate = parts[0], {}
        by_predicate.setdefault(parts[1], []).append(_turtle_term(parts[2]))
    if subject is not None:
        paragraphs.append(_paragraph(subject, by_predicate))
    return "\n\n".join(paragraphs)


def _paragraph(subject: str, by_predicate: dict[str, list[str]]) -> str:
    ordered = sorted(by_predicate, key=_verb_order) if len(by_predicate) > 1 else by_predicate
    parts = [_verb(p) + " " + (",\n        ".join(by_predicate[p]) if len(by_predicate[p]) > 1
                               else by_predicate[p][0]) for p in ordered]
    return _compact(subject[1:-1]) + " " + " ;\n    ".join(parts) + " ."


@lru_cache(maxsize=1 << 12)
def _verb(predicate: str) -> str:
    return "a" if predicate == _TYPE else _compact(predicate[1:-1])


@lru_cache(maxsize=1 << 12)
def _verb_order(predicate: str) -> tuple[bool, str]:
    return predicate != _TYPE, _compact(predicate[1:-1])


@dataclass(frozen=True)
class Block:
    """One named graph, rendered as TriG. ``graph`` is the graph IRI."""

    graph: str
    trig: str


def block(graph: str, lines: list[str]) -> Block:
    """Render one named graph from its sorted N-Triples lines."""
    name = _compact(graph)
    return Block(graph=graph, trig=f"{name} {{\n{turtle_body(lines)}\n}}\n")


def _prefix_lines() -> str:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in _NAMESPACES)


class GraphFileWriter:
    """Stream blocks (in graph-IRI order) into TriG in a staging directory; :meth:`commit` renames
    it (and any extra files) into place, or nothing if anything failed."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.staging = _staging(self.out_dir)
        self.handles = {TRIG: open(self.staging / TRIG, "w", encoding="utf-8", newline="\n")}
        self.handles[TRIG].write(_prefix_lines())
        self.last = ""

    def add(self, graph_block: Block) -> None:
        if graph_block.graph <= self.last:
            raise ValueError(f"graph blocks out of order: {graph_block.graph} after {self.last}")
        self.last = graph_block.graph
        self.handles[TRIG].write("\n" + graph_block.trig)

    def commit(self, extra: dict[str, str] | None = None) -> list[Path]:
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
    """File name → content of the graph file for a Dataset (what a build writes, the page aside)."""
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
