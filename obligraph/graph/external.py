"""Reasoning on an external SPARQL store, for a corpus past one machine's memory (`obligraph build
--store URL`): each named graph goes to the server as soon as it is read and checked, and the
rules run there as SPARQL 1.1 Update, so the build holds one source at a time and no store of
its own.

A rule `CONSTRUCT { T } WHERE { W }` becomes `INSERT { GRAPH obg:inferred { T } } USING <g> …
WHERE { W }`: the USING clauses make W read the merge of the build's graphs, as the local build
reads its store's union, on any server (Oxigraph, Fuseki, GraphDB) whatever its default graph.
The order and the passes are the local build's (reasoning.infer_in_store): the rules that read
the sources only run first, over the sources' graphs alone, so none sees another's conclusions;
a rule concluded something when the inferred graph grew. Both give the same conclusions (a test
compares the server's graphs with a local build's TriG, quad for quad).

The server is reached through an :class:`ExternalStore` (answer/remote.py has the HTTP one)."""

from __future__ import annotations

import re
from typing import Protocol

from ..errors import QueryError
from .rdf import INFERRED_GRAPH
from .reasoning import Rule, fixpoint


class ExternalStore(Protocol):
    """What the build needs of a SPARQL server."""

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace the named graph ``graph`` with these N-Triples (Graph Store Protocol PUT)."""

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update."""

    def count(self, graph: str) -> int:
        """The number of triples in the named graph ``graph``."""

    def ask(self, text: str) -> bool:
        """The answer to a SPARQL ASK query."""

    def named_graphs(self) -> list[str]:
        """The IRIs of the server's named graphs."""


_CONSTRUCT = re.compile(r"(?im)^\s*CONSTRUCT\s*\{")
# what may hold a brace that is not one: strings, IRIs, comments
_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                   r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_WHERE = re.compile(r"(?is)\s*WHERE\s*\{")


def _closing_brace(text: str, start: int) -> int:
    """The index of the brace closing the one opened just before ``start``."""
    depth, at = 1, start
    while at < len(text):
        skipped = _SKIP.match(text, at)
        if skipped:
            at = skipped.end()
            continue
        if text[at] == "{":
            depth += 1
        elif text[at] == "}":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


def as_update(rule: Rule, graphs: list[str] | None) -> str:
    """The rule as a SPARQL Update inserting its conclusions into obg:inferred, its WHERE reading
    the merge of ``graphs`` (None: the server's default graph)."""
    opening = _CONSTRUCT.search(rule.text)
    close = _closing_brace(rule.text, opening.end()) if opening else -1
    where = _WHERE.match(rule.text, close + 1) if close >= 0 else None
    end = _closing_brace(rule.text, where.end()) if where else -1
    if end < 0 or rule.text[end + 1:].strip() and not _SKIP.fullmatch(rule.text[end + 1:].strip()):
        raise QueryError("the rule cannot run on an external store: it is not one "
                         "`CONSTRUCT { … } WHERE { … }` without modifiers", path=str(rule.path),
                         hint="write the rule as CONSTRUCT { template } WHERE { pattern }, or build "
                              "without --store")
    template = rule.text[opening.end():close]
    using = "\n".join(f"USING <{graph}>" for graph in graphs or ())
    return (f"{rule.text[:opening.start()]}INSERT {{ GRAPH <{INFERRED_GRAPH}> {{{template}}} }}\n"
            f"{using}\nWHERE {{{rule.text[where.end():end]}}}\n")


_PROBE = "https://w3id.org/obligraph/graph/probe"


def default_is_the_build(store: ExternalStore, graphs: list[str]) -> bool:
    """Whether an update's default graph on the server is the union of its named graphs
    (Oxigraph's --union-default-graph) and those are the build's alone: then the rules read it
    as they are, without a USING clause per graph (which Oxigraph 0.5 answers ten times slower:
    33 s instead of 3 s for the consents of the record). Asked by an update itself, whose WHERE
    reads one of the build's triples through the default graph into a probe graph: a server
    whose queries see a union but whose updates do not gets USING clauses."""
    if not set(store.named_graphs()) <= set(graphs) | {str(INFERRED_GRAPH)}:
        return False  # other graphs there: the rules must not read them
    store.update(f"DROP SILENT GRAPH <{_PROBE}> ;\n"
                 f"INSERT {{ GRAPH <{_PROBE}> {{ <{_PROBE}> <{_PROBE}> true }} }} WHERE {{ "
                 f"{{ SELECT * WHERE {{ GRAPH <{graphs[0]}> {{ ?s ?p ?o }} ?s ?p ?o }} LIMIT 1 }} }}")
    seen = store.ask(f"ASK {{ GRAPH <{_PROBE}> {{ ?s ?p ?o }} }}")
    store.update(f"DROP SILENT GRAPH <{_PROBE}>")
    return seen


def infer_external(store: ExternalStore, rules: tuple[Rule, ...], graphs: list[str]) -> int:
    """Run the rules to a fixpoint on the server over ``graphs`` (the build's named graphs),
    into a fresh obg:inferred there; the number of triples concluded."""
    inferred = str(INFERRED_GRAPH)
    sources = [graph for graph in graphs if graph != inferred]
    store.update(f"DROP SILENT GRAPH <{inferred}>")
    union = default_is_the_build(store, sources)
    # over a union default graph, the rules that read the sources only see the conclusions of
    # those run before them, which is what their header promises not to read
    everything = None if union else sources + [inferred]
    for rule in rules:
        if rule.sources_only:
            store.update(as_update(rule, None if union else sources))
    size = store.count(inferred)

    def apply(rule: Rule) -> int:
        nonlocal size
        store.update(updates[rule.name])
        before, size = size, store.count(inferred)
        return size - before

    repeated = [rule for rule in rules if not rule.sources_only]
    updates = {rule.name: as_update(rule, everything) for rule in repeated}
    fixpoint(repeated, apply)
    return size
