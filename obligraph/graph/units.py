"""The build's unit of work and of caching: one named graph — a source with its claims, the
registry, the ontology, the inferred conclusions.

A unit is read, converted to sorted N-Triples lines and rendered (outputs.write_block) once; a build
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
from collections.abc import Callable, Iterator
from pathlib import Path

from ..corpus import atomic
from ..corpus.model import Claim, Source
from ..errors import WriteError
from .outputs import ntriples_lines, write_block
from ..corpus.vocabulary import OB

_PACKAGE = Path(__file__).resolve().parents[1]  # all of obligraph/
FULL_TEXT = f"<{OB.fullText}>"


def is_full_text(line: str) -> bool:
    """Whether an N-Triples (or N-Quads) line states a source's full text: Oxigraph refuses
    literals over 16 MiB, and neither the rules nor the network read the texts."""
    return FULL_TEXT in line and line.split(" ", 2)[1:2] == [FULL_TEXT]  # `in` first: cheap


@dataclass(frozen=True)
class Unit:
    graph: str  # the named graph's IRI
    lines: tuple[str, ...]  # its triples as sorted N-Triples lines
    source: Source | None = None
    # of a build's source, only the claims the checks across sources read (the rest are in the
    # lines; a 100,000-claim file's claims were 120 MB held and cached for nothing)
    claims: tuple[Claim, ...] = ()
    claim_count: int = 0  # all the source's claims

    def store_texts(self, *, keep: Callable[[str], bool] | None = None) -> Iterator[bytes]:
        """The lines Oxigraph gets, as N-Triples texts: see :func:`store_texts`."""
        return store_texts(self.lines, keep=keep)


def store_texts(lines, *, keep: Callable[[str], bool] | None = None) -> Iterator[bytes]:
    """All the lines but the full texts (see :func:`is_full_text`), and only those ``keep``
    keeps if given (the rules' store: reasoning.RuleReads.keeps), as UTF-8 N-Triples texts of
    up to STORE_BATCH lines each: a 100,000-claim file's lines, joined and encoded whole, were
    350 MB twice over."""
    for start in range(0, len(lines), STORE_BATCH):
        batch = lines[start:start + STORE_BATCH]
        if keep is None:
            text = "\n".join(line for line in batch if not is_full_text(line))
        else:
            text = "\n".join(line for line in batch if keep(line) and not is_full_text(line))
        if text:
            yield text.encode("utf-8")


STORE_BATCH = 20_000


def make_unit(graph: str, triples=None, *, source: Source | None = None, claims=(),
              lines: list[str] | None = None, keep: Callable[[Claim], bool] | None = None) -> Unit:
    """A unit from rdflib triples, or from its sorted N-Triples ``lines`` already rendered;
    ``keep``: which of the claims it holds (all by default)."""
    lines = ntriples_lines(triples) if lines is None else lines
    return Unit(graph=graph, lines=tuple(lines), source=source, claim_count=len(claims),
                claims=tuple(claims if keep is None else filter(keep, claims)))


def unit_from_lines(graph: str, lines: list[str]) -> Unit:
    return Unit(graph=graph, lines=tuple(sorted(set(lines))))


def _dump(value, handle) -> None:
    """Pickle ``value`` without the memo (what a unit holds is a tree, never a cycle): the memo
    of a 100,000-claim unit's 2.3 million lines was 150 MB."""
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)


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

    def _path(self, key: str, suffix: str = ".pickle") -> Path:
        return self.directory / key[:2] / f"{key}{suffix}"

    def rendered(self, key: str) -> Path | None:
        """The file holding the TriG block of the unit cached under ``key`` (a unit's block is
        rendered into the cache beside it, never held: the build copies it into the graph
        file); None if there is none (then render the unit's lines)."""
        if self.directory is None or key in self.memory:
            return None
        path = self._path(key, ".trig")
        return path if path.is_file() else None

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
                if isinstance(value, Unit):  # its block first: the pickle says both are there
                    atomic.write_with(self._path(key, ".trig"),
                                      lambda handle: write_block(value.graph, value.lines, handle.write),
                                      durable=False)
                # streamed: a 100,000-claim unit's pickle is hundreds of megabytes
                atomic.write_with(path, lambda handle: _dump(value, handle), durable=False)
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
