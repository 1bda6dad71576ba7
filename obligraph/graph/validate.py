"""Check the built graph against ontology/shapes.ttl (SHACL) and say, per problem, which file
and which claim to fix."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Dataset, Graph, Namespace

from ..errors import ShapeViolationError
from ..corpus.model import Corpus
from .outputs import merged
from .rdf import OBID, OBSRC, claim_iri, evidence_iri

SH = Namespace("http://www.w3.org/ns/shacl#")
MAX_REPORTED = 20


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
