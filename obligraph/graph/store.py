"""The persisted query store: one on-disk Oxigraph (RocksDB) store per built graph file, so
`obligraph query`, `html`, `export` and `serve --on-disk` open an index instead of re-parsing the
TriG every time (`serve` holds the graph in memory by default: load_store(memory=True)).

It lives in the cache (obligraph.graph.cache.cache_dir() / "store"), never in graph/ (whose files must
be byte-identical on every build), and is derived: deleting it only costs one re-parse.

    store/<key>/              key: a hash of the graph file's absolute path
        stamp.json            size, mtime_ns and sha256 of the TriG, and which version is current
        <sha256[:32]>/        a complete store, never written to after it is published
        .building-*/          a store being written; renamed to its version when complete

A store is written into a temporary directory and renamed into place, then stamp.json is replaced
(os.replace): a reader sees the previous store or the new one, never half of one, and a failed
build leaves the previous one. Readers open versions read-only (many processes may at once);
since nothing writes a published version, "read-only while another process writes" (undefined
in Oxigraph) cannot happen. Versions are named by the TriG's digest, so a rebuild that writes
the same bytes (builds are byte-identical) reuses the store it already has."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .cache import cache_dir
from ..errors import SourceFileError
from .paths import built_graph

STAMP = "stamp.json"
_BUILDING = ".building-"
_DISCARDED = ".discarded-"
# a .building- directory untouched this long belongs to a process that died mid-build
_ABANDONED_AFTER = 3600.0
_CHUNK = 1 << 20
_LOAD_BATCH = 100_000  # quads per bulk load when persisting a store
# quads per bulk load when copying the build's in-memory store: its whole dump, loaded at once,
# held the N-Quads text and RocksDB's batches of it (+780 MB at 660k quads, the peak of a
# 1,000-article build); 20k quads at a time hold about 50 MB and take no longer
_COPY_BATCH = 20_000
# quads past which the rules' store moves to disk (RulesStore): the 10,000 articles of
# bench/make_corpus.py give the rules 1.4 million, which in memory hold about 400 MB
SPILL_QUADS = 2_000_000


def store_root() -> Path:
    """Where every persisted store lives (not created here)."""
    return cache_dir() / "store"


def store_dir(graph: Path) -> Path:
    """The directory holding the persisted store(s) of one graph file (keyed by its absolute path)."""
    absolute = str(Path(graph).resolve())
    return store_root() / hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:24]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_stamp(root: Path) -> dict | None:
    """The stamp, or None when there is none or it is not one we wrote (treated as no store)."""
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or not all(
            isinstance(stamp.get(k), t) for k, t in (("size", int), ("mtime_ns", int),
                                                     ("sha256", str), ("store", str))):
        return None
    if "/" in stamp["store"] or stamp["store"].startswith("."):  # only ever a version name
        return None
    return stamp


def _write_stamp(root: Path, graph: Path, stat: os.stat_result, digest: str, version: str) -> None:
    stamp = {"graph": str(Path(graph).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
             "sha256": digest, "store": version}
    handle, temporary = tempfile.mkstemp(prefix=".stamp-", dir=root)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(stamp, out, indent=1)
    os.replace(temporary, root / STAMP)


def _discard(path: Path) -> None:
    """Remove a directory: first renamed aside, so no one can open it by its name half-removed.
    A process that already has it open keeps reading (its files stay open until it closes them)."""
    aside = path.with_name(f"{_DISCARDED}{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(path, aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def _collect(root: Path, keep: str) -> None:
    """Remove superseded versions and builds abandoned by processes that died."""
    now = time.time()
    for entry in root.iterdir():
        if not entry.is_dir() or entry.name == keep:
            continue
        if entry.name.startswith(_BUILDING):
            try:
                if now - entry.stat().st_mtime < _ABANDONED_AFTER:
                    continue  # another process may be writing it now
            except OSError:
                continue
        shutil.rmtree(entry, ignore_errors=True) if entry.name.startswith(_DISCARDED) else _discard(entry)


def _too_big(error: Exception, graph: Path) -> SourceFileError:
    return SourceFileError(f"cannot load the graph into Oxigraph: {error}", path=str(graph),
                           hint="a source text over 16 MiB cannot be queried or served: split "
                                "the document into parts (one source each)")


def _filled(root: Path, fill: Callable[[ox.Store], None]) -> Path:
    """A new .building- directory under ``root`` holding a complete store that ``fill`` wrote."""
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=_BUILDING, dir=root))
    try:
        store = ox.Store(str(building))
        try:
            fill(store)
            store.flush()
            store.optimize()  # compacted once here, so every reader opens the fewest files
        finally:
            del store  # closes RocksDB before the directory is renamed
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return building


def _put_in_place(building: Path, graph: Path, *, stat: os.stat_result, digest: str,
                  broken: bool = False) -> Path:
    """Rename a filled store to its version (the TriG's digest) and stamp it as current."""
    root = building.parent
    version = digest[:32]
    target = root / version
    try:
        if broken:
            _discard(target)
        try:
            os.rename(building, target)
        except OSError:
            # the same bytes were published meanwhile by another process: theirs is as good
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _write_stamp(root, graph, stat, digest, version)
    _collect(root, keep=version)
    return target


def _publish(graph: Path, fill: Callable[[ox.Store], None], *, stat: os.stat_result, digest: str,
             broken: bool = False) -> Path:
    """Write a store with ``fill`` into a temporary directory, rename it into place, stamp it."""
    return _put_in_place(_filled(store_dir(graph), fill), graph, stat=stat, digest=digest,
                         broken=broken)


class GraphLoader:
    """Named graphs' N-Triples lines (each ending " .") bulk-loaded into a store, gathered into
    loads of ``batch`` quads: each load costs RocksDB files however few quads it has, and a big
    graph goes in loads of ``batch`` too (one load of a 100,000-claim file's 2.3 million quads held
    its text twice and cost RocksDB's loader 1.5 GB). Bulk loads are not transactions: the store
    must have no other writer meanwhile."""

    def __init__(self, store: ox.Store, *, batch: int = _COPY_BATCH) -> None:
        self.store = store
        self.batch = batch
        self.gathered: list[str] = []
        self.size = 0

    def add(self, graph: str, lines) -> None:
        suffix = f"<{graph}> .\n"
        part: list[str] = []
        for line in lines:
            part.append(line[:-1] + suffix)  # "s p o ." → "s p o <g> ."
            if len(part) + self.size >= self.batch:
                self.gathered.append("".join(part))
                part = []
                self.flush()
        if part:
            self.gathered.append("".join(part))
            self.size += len(part)

    def flush(self) -> None:
        if self.gathered:
            self.store.bulk_load("".join(self.gathered).encode("utf-8"), format=ox.RdfFormat.N_QUADS,
                                 lenient=True)
            self.gathered.clear()
        self.size = 0


class RulesStore:
    """The store the rules run on, filled by bulk loads (GraphLoader): in memory up to
    SPILL_QUADS quads, then on disk in a private temporary directory that :meth:`close` removes.
    Measured at 10,000 articles (1.4 million quads), on disk the reading stage peaked at 430 MB
    against 830 MB and the reasoning at 642 MB against 1,072 MB, but the rules took 162 s against
    24 s (at 1,000 articles 24 s against 6 s; Store.optimize() did not help) — so the threshold
    keeps that corpus in memory and only a larger one pays the time for the memory."""

    def __init__(self, *, spill: int | None = None) -> None:
        self.spill = SPILL_QUADS if spill is None else spill
        self.store: ox.Store | None = ox.Store()
        self.directory: Path | None = None
        self.loader = GraphLoader(self.store)
        self.quads = 0

    def add(self, graph: str, lines) -> None:
        """Add a named graph's N-Triples lines (each ending " .")."""
        lines = list(lines)
        self.quads += len(lines)
        if self.directory is None and self.quads > self.spill:
            self._to_disk()
        self.loader.add(graph, lines)

    def _to_disk(self) -> None:
        self.loader.flush()
        self.directory = Path(tempfile.mkdtemp(prefix="obligraph-rules-"))
        on_disk = ox.Store(str(self.directory))
        _extend_in_batches(on_disk, self.store.quads_for_pattern(None, None, None), _COPY_BATCH)
        self.store, self.loader = on_disk, GraphLoader(on_disk)

    def ready(self) -> ox.Store:
        """The store, with every line added so far in it."""
        self.loader.flush()
        return self.store

    def close(self) -> None:
        """Drop the store and remove its directory, if it has one (again: nothing)."""
        self.store = self.loader = None  # closes RocksDB before its files go
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


class StoreWriter:
    """The query store of a graph file being built, written while the build does other work:
    Oxigraph releases the GIL while it loads, so on a second core the store costs little time.
    :meth:`add_lines` queues a named graph's N-Triples lines (gathered into loads of
    _COPY_BATCH quads: each load costs RocksDB a file, however small); :meth:`finished` waits
    for it and opens it to read (the build's page is made from it); :meth:`publish` — once the
    TriG is in place — puts the store into place, :meth:`abort` throws it away."""

    def __init__(self, graph: Path) -> None:
        self.graph = Path(graph)
        # bounded, so that a build reading faster than the store is written waits for it
        # rather than holding the corpus in the queue
        self.chunks: queue.Queue[tuple[tuple[str, ...], str] | None] = queue.Queue(maxsize=64)
        self.building: Path | None = None
        self.error: BaseException | None = None
        self.done = False
        self.thread = threading.Thread(target=self._write, name="obligraph-store", daemon=True)
        self.thread.start()

    def add_lines(self, graph: str, lines) -> None:
        """Queue the N-Triples lines (each ending " .") of the named graph ``graph``; quads
        already in the store are no new quads (a store is a set)."""
        self._put((tuple(lines), graph))

    def _put(self, chunk) -> None:
        while self.thread.is_alive():  # a writer that failed takes nothing more (publish says why)
            try:
                self.chunks.put(chunk, timeout=1)
                return
            except queue.Full:
                continue

    def _fill(self, store: ox.Store) -> None:
        loader = GraphLoader(store)
        while (chunk := self.chunks.get()) is not None:
            lines, graph = chunk
            loader.add(graph, lines)
        loader.flush()

    def _write(self) -> None:
        try:
            self.building = _filled(store_dir(self.graph), self._fill)
        except BaseException as error:  # raised by publish, in the build's thread
            self.error = error

    def _finish(self) -> None:
        if not self.done:
            self._put(None)
            self.thread.join()
            self.done = True

    def finished(self) -> ox.Store | None:
        """Wait until everything queued is in the store and open it, read-only (close it, by
        dropping it, before :meth:`publish`); None if it could not be written (publish says why)."""
        self._finish()
        if self.error is not None or self.building is None:
            return None
        return _open(self.building)

    def publish(self) -> Path:
        """The store's directory, in place for the graph file as it is now on disk."""
        self._finish()
        if self.error is not None:
            raise self.error
        stat = self.graph.stat()
        return _put_in_place(self.building, self.graph, stat=stat, digest=file_digest(self.graph))

    def abort(self) -> None:
        self._finish()
        if self.building is not None:
            shutil.rmtree(self.building, ignore_errors=True)


def _bulk_load(store: ox.Store, graph: Path) -> None:
    # lenient: skips re-validating IRIs, which the build wrote and checked (a third faster)
    try:
        store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG, lenient=True)
    except MemoryError:
        # a literal over 16 MiB (a long source text): Oxigraph's streaming reader buffers at most
        # 16 MiB, but parses a document given whole; only such graphs pay for reading it whole
        store.clear()
        store.bulk_load(graph.read_bytes(), format=ox.RdfFormat.TRIG, lenient=True)


def _extend_in_batches(store: ox.Store, quads, size: int) -> None:
    """Add ``quads`` to ``store`` ``size`` at a time: a bulk load holds all it is given."""
    quads = iter(quads)
    while batch := list(islice(quads, size)):
        store.bulk_extend(batch)


def _parse_into(graph: Path) -> Callable[[ox.Store], None]:
    def fill(store: ox.Store) -> None:
        # streamed in batches: one bulk load of the whole file holds up to a million quads in
        # memory (~730 MB at 860k quads, the peak of a 1,000-document build); batches of 100k
        # hold ~170 MB, for about 5 s more per million quads
        try:
            _extend_in_batches(store, ox.parse(path=str(graph), format=ox.RdfFormat.TRIG, lenient=True),
                               _LOAD_BATCH)
        except MemoryError:  # a literal over 16 MiB: see _bulk_load
            store.clear()
            _bulk_load(store, graph)
    return fill


def _current(graph: Path, stat: os.stat_result) -> tuple[str | None, str | None]:
    """(version to open, the file's digest if it had to be computed)."""
    root = store_dir(graph)
    stamp = _read_stamp(root)
    if stamp and (stamp["size"], stamp["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
        return stamp["store"], None
    digest = file_digest(graph)
    if stamp and stamp["sha256"] == digest and (root / stamp["store"]).is_dir():
        # rewritten with the same bytes (a rebuild): keep the store, remember the new mtime
        try:
            _write_stamp(root, graph, stat, digest, stamp["store"])
        except OSError:
            pass
        return stamp["store"], digest
    return None, digest


def _open(path: Path) -> ox.Store | None:
    """The store at ``path`` opened read-only, or None when it is missing or damaged."""
    if not path.is_dir():
        return None
    try:
        store = ox.Store.read_only(str(path))
        # a store whose files were truncated can still open: read one quad to be sure
        next(iter(store.quads_for_pattern(None, None, None, None)), None)
    except (OSError, ValueError, RuntimeError):
        return None
    return store


def _in_memory(graph: Path) -> ox.Store:
    """The TriG parsed into an in-memory store. Parsing is the fastest way to fill one: `load`
    (one transaction, lenient) took 2.1 s at 878k quads against 2.5 s for `bulk_load`, and copying
    the quads out of the persisted store 3-4× longer than parsing (0.94 s against 0.25 s at 105k);
    both stores keep the same values, so the answers are the same either way."""
    store = ox.Store()
    try:
        try:
            store.load(path=str(graph), format=ox.RdfFormat.TRIG, lenient=True)
        except MemoryError:  # a literal over 16 MiB: parsed from the whole document (see _bulk_load)
            store.clear()
            store.load(graph.read_bytes(), format=ox.RdfFormat.TRIG, lenient=True)
    except MemoryError as error:
        raise _too_big(error, graph) from None
    return store


def load_store(graph: Path | None = None, *, memory: bool = False) -> ox.Store:
    """The built graph (graph/obligraph.trig by default) as a read-only Oxigraph store: the
    persisted one when its stamp matches the file, else parsed once into a new persisted store.

    ``memory``: parse the TriG into an in-memory store instead, which takes a parse (about 2.5 s
    a million triples) but then answers 4-10× faster than the on-disk store (measured at 878k
    triples): for a process that runs many queries (`obligraph serve`, by default)."""
    graph = built_graph(graph)
    if memory:
        return _in_memory(graph)
    stat = graph.stat()
    try:
        version, digest = _current(graph, stat)
        # a version named by the digest may be there without a stamp (deleted, or another
        # process is about to write it): use it rather than parse again
        name = version or digest[:32]
        store = _open(store_dir(graph) / name)
        if store is not None:
            if version is None:
                _write_stamp(store_dir(graph), graph, stat, digest, name)
            return store
        digest = digest or file_digest(graph)
        target = _publish(graph, _parse_into(graph), stat=stat, digest=digest,
                          broken=(store_dir(graph) / name).exists())
    except MemoryError as error:
        raise _too_big(error, graph) from None
    except (OSError, RuntimeError):
        # no usable cache (read-only home, a full disk): answer anyway, from memory, as before
        return _in_memory(graph)
    store = _open(target)
    return store if store is not None else _in_memory(graph)
