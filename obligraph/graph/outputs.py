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
target and are put into place as one set only when all succeed (obligraph/corpus/atomic.py)."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph

from ..corpus import atomic
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
    return "\n\n".join(_paragraphs(lines))


def _paragraphs(lines) -> Iterator[str]:
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
                yield _paragraph(subject, by_predicate)
            subject, by_predicate = parts[0], {}
        by_predicate.setdefault(parts[1], []).append(_turtle_term(parts[2]))
    if subject is not None:
        yield _paragraph(subject, by_predicate)


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


def write_block(graph: str, lines, write: Callable[[str], object]) -> None:
    """``block(graph, lines).trig``, handed to ``write`` a paragraph at a time: a 100,000-claim
    file's block is 110 MB, and rendered whole it was held twice."""
    write(f"{_compact(graph)} {{\n")
    for number, paragraph in enumerate(_paragraphs(lines)):
        write(f"\n\n{paragraph}" if number else paragraph)
    write("\n}\n")


def read_block(path: Path) -> Iterator:
    """The quads of a block :func:`write_block` wrote into the file ``path`` but the sources'
    full texts (which Oxigraph's parser refuses over 16 MiB, and no reader of a block needs),
    parsed as it is read: a 100,000-claim file's 2.3 million lines, loaded to be parsed, were
    460 MB."""
    return ox.parse(_Chunks(_without_full_texts(path)), format=ox.RdfFormat.TRIG)


def _without_full_texts(path: Path) -> Iterator[bytes]:
    yield _prefix_lines().encode("utf-8")
    with open(path, "rb") as handle:
        # a statement's object is one line (a literal's line breaks are escaped), and a source's
        # paragraph opens with its type: its full text is a line of its own, never the first
        for line in handle:
            if line.startswith(_FULL_TEXT_LINE):
                if line.rstrip().endswith(b" ."):
                    yield b"    .\n"  # the paragraph ends after a ";", which Turtle allows
                continue
            yield line


_FULL_TEXT_LINE = b"    ob:fullText "


class _Chunks(io.RawIOBase):
    """A binary file reading the byte strings an iterator gives."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self.chunks, self.rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.rest:
            self.rest = next(self.chunks, None)
            if self.rest is None:
                self.rest = b""
                return 0
        count = min(len(buffer), len(self.rest))
        buffer[:count], self.rest = self.rest[:count], self.rest[count:]
        return count


def _prefix_lines() -> str:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in _NAMESPACES)


class GraphFileWriter:
    """Stream blocks (in graph-IRI order) into TriG in a staging directory; :meth:`commit` puts
    it (and any extra files) into place as one set, or nothing if anything failed (atomic.py).
    Holds the output folder's lock from start to commit (re-entered when the build holds it)."""

    def __init__(self, out_dir: Path, *, shown: str | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.hold = ExitStack()
        self.hold.enter_context(atomic.locked(self.out_dir / atomic.DIR_LOCK, what="obligraph build",
                                              shown=shown or str(self.out_dir)))
        try:
            atomic.recover(self.out_dir)
            self.staging = atomic.Staging(self.out_dir, shown=shown)
            self.trig = self.staging.open(TRIG)
            self.staging.guard(TRIG, lambda: self.trig.write(_prefix_lines()))
        except BaseException:
            self.abort()
            raise
        self.last = ""

    def add(self, graph_block: Block) -> None:
        self._next(graph_block.graph)
        self.staging.guard(TRIG, lambda: self.trig.write("\n" + graph_block.trig))

    def add_lines(self, graph: str, lines) -> None:
        """:meth:`add` for the block of ``graph``'s sorted N-Triples lines, rendered as it is written."""
        self._next(graph)
        self.staging.guard(TRIG, lambda: (self.trig.write("\n"), write_block(graph, lines, self.trig.write)))

    def add_file(self, graph: str, path: Path) -> None:
        """:meth:`add` for a block rendered beforehand into the file ``path`` (UTF-8), copied."""
        self._next(graph)

        def copy() -> None:
            self.trig.write("\n")
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    self.trig.write(chunk)
        self.staging.guard(TRIG, copy)

    def _next(self, graph: str) -> None:
        if graph <= self.last:
            raise ValueError(f"graph blocks out of order: {graph} after {self.last}")
        self.last = graph

    def commit(self, extra: dict[str, str] | None = None) -> list[Path]:
        try:
            for name, content in (extra or {}).items():
                self.staging.write(name, content)
            return self.staging.commit()
        finally:
            self.abort()

    def abort(self) -> None:
        staging = getattr(self, "staging", None)
        if staging is not None:
            staging.abort()
        self.hold.close()


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


def write_files(files: dict[str, str | bytes], out_dir: Path, *, what: str = "obligraph") -> list[Path]:
    """Write all files or none, as one set (atomic.write_set); ``what`` (the command) names this
    process to another writer of the folder."""
    return atomic.write_set(files, Path(out_dir), what=what)
