"""Check the built graph against ontology/shapes.ttl (SHACL) and say, per problem, which file
and which claim to fix; the build hands its units over in batches (:class:`ShapeBatches`),
checked in worker processes while it reads on."""

from __future__ import annotations

import os
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Dataset, Graph, Namespace

from ..errors import ShapeViolationError
from ..corpus.model import Corpus
from .outputs import merged
from .paths import Paths
from .rdf import OBID, OBSRC, claim_iri, evidence_iri
from .units import Unit, UnitCache

SH = Namespace("http://www.w3.org/ns/shacl#")
MAX_REPORTED = 20
SHAPES_BATCH = 20_000  # triples per pySHACL run: big enough to amortise its set-up, small in memory
_WORKERS = os.cpu_count() or 1  # shape-checking processes (the reading one mostly waits on them)


def read_shapes(path: Path) -> Graph:
    from ..corpus.vocabulary import read_ontology  # same parser and error handling as the ontology
    return read_ontology(path)


def origins_of(entities, sources, claims) -> dict[str, str]:
    """IRI (or IRI prefix) → "file: claim N", to point a violation back at what a user wrote."""
    origins = {str(OBID[e.id]): f"{e.origin}: entity {e.id}" for e in entities}
    origins.update({str(OBSRC[s.id]): s.path for s in sources})
    for claim in claims:
        where = f"{claim.origin}: {claim.name}"
        origins[str(claim_iri(claim))] = where
        for number in range(1, len(claim.evidence) + 1):
            origins[str(evidence_iri(claim, number))] = where
    return origins


def _locate(node: str, origins: dict[str, str]) -> str:
    while node:
        if node in origins:
            return origins[node]
        # up one step: evidence and claim IRIs join their parts with '.' (obev:src.key.1.position)
        node = node[:max(node.rfind("/"), node.rfind("."), 0)]
    return "the built graph"


def check_shapes(dataset: Dataset, shapes: Graph, corpus: Corpus) -> None:
    """Raise ShapeViolationError listing every violation, each with the file and claim."""
    check_graph(merged(dataset), shapes,
                origins_of(corpus.entities, corpus.sources, corpus.claims))


def check_graph(graph: Graph, shapes: Graph, origins: dict[str, str]) -> None:
    """Validate one data graph (the build passes a batch of named graphs with the ontology);
    raise ShapeViolationError listing every violation, each with the file and claim."""
    raise_violations(violations(graph, shapes), origins)


def violations(graph: Graph, shapes: Graph) -> list[tuple[str, str, str | None, str | None]]:
    """(focus node, message, path, value) of every violation, as plain strings (they cross
    process boundaries when the build checks batches in parallel)."""
    # inplace: pySHACL would otherwise copy the data graph first (a tenth of its time), which
    # protects it only from inference, and with inference="none" nothing is written into it
    conforms, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none",
                                          advanced=True, allow_warnings=True, inplace=True)
    if conforms:
        return []
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append((str(results.value(result, SH.focusNode)),
                      str(results.value(result, SH.resultMessage) or "violates a shape"),
                      path.n3(graph.namespace_manager) if path is not None else None,
                      str(value) if value is not None else None))
    return found


def raise_violations(found, origins: dict[str, str]) -> None:
    if not found:
        return
    lines = []
    for focus, message, path, value in found:
        detail = f" ({path}" if path is not None else ""
        detail += f" = {value}" if value is not None and detail else ""
        detail += ")" if detail else ""
        # whole-graph shapes report the offender as the value, not the focus
        culprit = focus if value is None or _locate(focus, origins) != "the built graph" else value
        lines.append(f"{_locate(culprit, origins)}: {message}{detail} [{culprit}]")
    lines.sort()
    shown = lines[:MAX_REPORTED]
    more = f"\n  … and {len(lines) - MAX_REPORTED} more" if len(lines) > MAX_REPORTED else ""
    raise ShapeViolationError(
        f"the graph does not conform to ontology/shapes.ttl ({len(lines)} problem(s)):\n  "
        + "\n  ".join(shown) + more,
        hint="fix the files named above; the shapes are in ontology/shapes.ttl")


# --- batches in a worker process (the build's other core checks while this one reads) ----------

_WORKER: dict = {}


def start_worker(ontology_path: str, shapes_path: str, parent: int | None = None) -> None:
    """Process-pool initializer: read the ontology and shapes once per worker (with the cyclic
    collector on, which a forked worker may inherit paused: pySHACL's graphs are cycles). The
    worker dies with the build that started it (``parent``, its pid): a build killed while its
    shapes are checked must not leave workers running on."""
    import gc
    gc.enable()
    if parent is not None:
        die_with_parent(parent)
    from ..corpus.vocabulary import read_ontology
    _WORKER["ontology"] = read_ontology(Path(ontology_path))
    _WORKER["shapes"] = read_shapes(Path(shapes_path))


def die_with_parent(parent: int) -> None:
    """Be killed when process ``parent`` ends: on Linux the kernel does it (prctl
    PR_SET_PDEATHSIG), elsewhere a thread notices the parent is gone within a second."""
    import os
    import signal
    import sys
    import threading
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the prctl: nobody is waiting for this worker
        os._exit(1)

    def watch() -> None:
        import time
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, name="obligraph-parent-watch", daemon=True).start()


def batch_violations(triples: list, ontology: Graph | None = None,
                     shapes: Graph | None = None) -> list[tuple[str, str, str | None, str | None]]:
    """The violations of a batch of triples checked together with the ontology (which the
    shapes' sh:class needs); in a worker, the ontology and shapes it read at start."""
    graph = Graph()
    for triple in _WORKER["ontology"] if ontology is None else ontology:
        graph.add(triple)
    for triple in triples:
        graph.add(triple)
    return violations(graph, _WORKER["shapes"] if shapes is None else shapes)


class ShapeBatches:
    """Fresh units wait here until a batch is full, then pass pySHACL together (with the
    ontology, which the shapes' sh:class needs) and go into the cache. A batch filled while the
    corpus is still being read is checked in a worker process, so that one core checks while the
    other reads; a corpus that fits in one batch is checked here (it never starts a worker).
    :meth:`finish` waits for them all."""

    def __init__(self, paths: Paths, shapes: Graph, ontology: Graph, cache: UnitCache,
                 entities) -> None:
        self.paths, self.shapes, self.ontology, self.cache = paths, shapes, ontology, cache
        self.entities = entities
        self.pending: list[tuple[str | None, Unit, list, tuple]] = []  # see add
        self.size = 0
        self.batches = 0
        self.pool = None
        self.queued: list = []  # (future, units, origins) in submission order

    def add(self, key: str | None, unit: Unit, triples, *, extra=(), claims=None) -> None:
        """A unit and the triples of it to check (``claims``: the claims they hold, by default
        all the unit's), after which it may be cached."""
        triples = list(triples) + list(extra)
        self.pending.append((key, unit, triples, unit.claims if claims is None else tuple(claims)))
        # counted in the unit's lines, not the triples checked: a record read (sampled) keeps
        # the other core checking what was read before it
        self.size += len(unit.lines)
        if self.size >= SHAPES_BATCH:
            self.flush(reading=True)

    def flush(self, *, reading: bool = False) -> None:
        if not self.pending:
            return
        pending, self.pending, self.size = self.pending, [], 0
        sources = [u.source for _, u, _, _ in pending if u.source]
        claims = [c for *_, checked in pending for c in checked]
        origins = origins_of(self.entities, sources, claims)
        units = [(key, unit) for key, unit, *_ in pending]
        triples = [t for _, _, batch, _ in pending for t in batch]
        self.batches += 1
        if self.pool is None and not reading:
            self._settle(batch_violations(triples, self.ontology, self.shapes), units, origins)
            return
        self.start()
        self.queued.append((self.pool.submit(batch_violations, triples), units, origins))
        while len(self.queued) > 2 * _WORKERS:  # bounded: batches wait in memory, not the corpus
            future, units, origins = self.queued.pop(0)
            self._settle(future.result(), units, origins)

    def start(self) -> None:
        """Start the worker processes (once)."""
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            # fork, not spawn: a spawned worker re-imports the caller's script, which breaks
            # any script that calls build() without an `if __name__ == "__main__":` guard
            methods = multiprocessing.get_all_start_methods()
            self.pool = ProcessPoolExecutor(
                max_workers=_WORKERS,
                mp_context=multiprocessing.get_context("fork" if "fork" in methods else "spawn"),
                initializer=start_worker,
                initargs=(str(self.paths.ontology / "obligraph.ttl"), str(self.paths.ontology / "shapes.ttl"),
                          os.getpid()))
            self.pool.submit(int)  # forks the workers now (an executor forks on its first task)

    def _settle(self, found, units, origins) -> None:
        raise_violations(found, origins)
        for key, unit in units:
            if key:
                self.cache.put(key, unit)

    def finish(self) -> None:
        self.flush()
        while self.queued:
            future, units, origins = self.queued.pop(0)
            self._settle(future.result(), units, origins)
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
