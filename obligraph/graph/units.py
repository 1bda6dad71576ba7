"""The build's unit of work and of caching: one named graph — a source with its claims, the
registry, the ontology, the inferred conclusions.

A unit is read, converted to sorted N-Triples lines and rendered (outputs.Block) once; a build
cache keyed by the SHA-256 of everything the unit depends on (its files, the registry's ids and
types, the ontology, shapes, rules and Obligraph's own code) lets a rebuild skip quote location
and conversion for every source that did not change. An entry is written only once its unit has
been read without error and has passed the shapes, so the cache holds nothing a clean build would
refuse of that unit alone (checks across sources run on every build)."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..corpus import atomic
from ..corpus.model import Claim, Source
from ..errors import WriteError
from .outputs import Block, block, ntriples_lines
from .rdf import OBEV
from ..corpus.vocabulary import OB

_PACKAGE = Path(__file__).resolve().parents[1]  # all of obligraph/
FULL_TEXT = f"<{OB.fullText}>"
EVIDENCE_SUBJECT = f"<{OBEV}"  # how every line about an evidence node begins


def is_full_text(line: str) -> bool:
    """Whether an N-Triples (or N-Quads) line states a source's full text: Oxigraph refuses
    literals over 16 MiB, and neither the rules nor the network read the texts."""
    return FULL_TEXT in line and line.split(" ", 2)[1:2] == [FULL_TEXT]  # `in` first: cheap


@dataclass(frozen=True)
class Unit:
    graph: str  # the named graph's IRI
    lines: tuple[str, ...]  # its triples as sorted N-Triples lines
    block: Block  # rendered for obligraph.trig / .ttl / .jsonld
    source: Source | None = None
    claims: tuple[Claim, ...] = ()

    def store_lines(self, *, evidence: bool = True) -> str:
        """The lines Oxigraph gets: all but the full texts (see :func:`is_full_text`), and
        without ``evidence`` none about an evidence node (an annotation, its target, its
        selectors: about half a source's lines)."""
        if evidence:
            return "\n".join(line for line in self.lines if not is_full_text(line))
        return "\n".join(line for line in self.lines
                         if not line.startswith(EVIDENCE_SUBJECT) and not is_full_text(line))


def make_unit(graph: str, triples=None, *, source: Source | None = None, claims=(),
              lines: list[str] | None = None) -> Unit:
    """A unit from rdflib triples, or from its sorted N-Triples ``lines`` already rendered."""
    lines = ntriples_lines(triples) if lines is None else lines
    return Unit(graph=graph, lines=tuple(lines), block=block(graph, lines), source=source,
                claims=tuple(claims))


def unit_from_lines(graph: str, lines: list[str]) -> Unit:
    lines = sorted(set(lines))
    return Unit(graph=graph, lines=tuple(lines), block=block(graph, lines))


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of Obligraph's own code and data files: a new version invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in {".py", ".yaml", ".j2", ".js", ".css"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


class UnitCache:
    """Content-addressed pickles under ``directory``; ``None`` keeps nothing (``--no-cache``).

    An entry is written whole or not at all (atomic.write_file; not fsynced: a damaged entry is
    recomputed, and an fsync per entry would cost the bundled build seconds). A cache that cannot
    be written (a full disk, no permission) does not fail the build: from the first failure on,
    this build keeps its entries in memory instead, and :attr:`problem` says why (the build warns
    once)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory else None
        self.memory: dict[str, object] = {}
        self.problem: str | None = None

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        if key in self.memory:
            return self.memory[key]
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
                ValueError, IndexError):
            return None  # missing or unreadable: recompute (a cache is never a source of truth)

    def put(self, key: str, value) -> bool:
        """Store ``value`` under ``key``; whether it is there now (get may still fail later)."""
        if self.directory is None:
            return False
        if self.problem is None:
            path = self._path(key)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # streamed: a 100,000-claim unit's pickle is hundreds of megabytes
                atomic.write_with(path, lambda handle: pickle.dump(value, handle,
                                                                   protocol=pickle.HIGHEST_PROTOCOL),
                                  durable=False)
                return True
            except (OSError, WriteError) as error:
                self.problem = (f"{error.strerror}: {self.directory}" if isinstance(error, OSError)
                                else error.message.removeprefix("cannot write it: ")
                                .split(" — ")[0] + f": {self.directory}")
        self.memory[key] = value  # this build's only copy: held until it ends
        return True

    def sweep(self) -> None:
        """Remove the temporary files builds that were killed left in the cache."""
        if self.directory is None or not self.directory.is_dir():
            return
        for shard in self.directory.iterdir():
            if len(shard.name) == 2 and shard.is_dir():
                atomic.remove_stale(shard)
