"""Stage 3: apply the rules (ontology/rules/*.rq, SPARQL CONSTRUCT) to a fixpoint.

The rules run on an in-memory Oxigraph store (rdflib's SPARQL engine took seconds per rule on the
bundled graph); what they derive goes into the `inferred` named graph of a new Dataset, each
conclusion linked by prov:wasDerivedFrom to the claims and conclusions it rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ..errors import QueryError, SourceFileError
from .rdf import INFERRED_GRAPH, new_dataset
from .units import is_full_text

MAX_ROUNDS = 20


# A rule's header may say it reads the sources only (no conclusion of any rule):
#   # Reads: the sources only
# Such a rule runs once, before any rule has concluded anything, so it cannot read a conclusion
# and its result cannot change later; the others repeat until nothing new is derived.
_SOURCES_ONLY = re.compile(r"(?im)^#\s*reads:\s*the sources only\b")


@dataclass(frozen=True)
class Rule:
    name: str
    text: str
    path: Path

    @property
    def sources_only(self) -> bool:
        return bool(_SOURCES_ONLY.search(self.text))


def read_rules(directory: Path) -> tuple[Rule, ...]:
    if not directory.is_dir():
        raise SourceFileError("the rules directory is missing", path=str(directory),
                              hint="restore ontology/rules/ from version control")
    rules = tuple(Rule(p.stem, p.read_text(encoding="utf-8"), p)
                  for p in sorted(directory.glob("*.rq")))
    for rule in rules:
        try:
            ox.Store().query(rule.text)
        except SyntaxError as error:
            raise QueryError(f"rule does not parse: {error}", path=str(rule.path)) from None
    return rules


def to_store(dataset: Dataset) -> ox.Store:
    """The dataset in Oxigraph, without the sources' full texts: the rules never read them, and
    Oxigraph refuses any literal over 16 MiB."""
    lines = [line for line in dataset.serialize(format="nquads").split("\n")
             if not is_full_text(line)]
    store = ox.Store()
    store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def infer_in_store(store: ox.Store, rules: tuple[Rule, ...]) -> list[str]:
    """Run the rules to a fixpoint over ``store`` (its named graphs seen as one), adding what
    they derive to obg:inferred there; return that graph's sorted N-Triples lines.

    The rules whose header says they read the sources only run first, once each, in file-name
    order, before anything is concluded. The others then run in file-name order, so a rule sees
    at once what the rules before it concluded; the sequence repeats until a pass adds nothing.
    The same fixpoint as applying every rule round after round; with the rules ordered by what
    they read, two passes reach it."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    # conclusions are kept as N-Triples lines, read off each result as it streams: a set of
    # pyoxigraph triples, or a rule's whole result, held 300k+ Python objects at 1,000 documents
    known: set[str] = {_line(q) for q in store.quads_for_pattern(None, None, None, inferred)}
    once = [rule for rule in rules if rule.sources_only]
    # their results are added together, after all of them ran: none sees another's conclusions
    _add(store, inferred, known, [line for rule in once for line in _result(store, rule, known)])
    repeated = [rule for rule in rules if not rule.sources_only]
    for _ in range(MAX_ROUNDS):
        added = 0
        for rule in repeated:
            # added after the query: a rule's result is computed on the store before it
            added += _add(store, inferred, known, _result(store, rule, known))
        if not added:
            break
    return sorted(known)


def _result(store: ox.Store, rule: Rule, known: set[str]) -> list[str]:
    """The lines of a rule's result not yet known (now known)."""
    # serialised by Oxigraph, then split: formatting each result triple in Python took twice as long
    result = store.query(rule.text, use_default_graph_as_union=True)
    new = []
    for line in result.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines():
        if line and line not in known:
            known.add(line)
            new.append(line)
    return new


def _add(store: ox.Store, inferred: ox.NamedNode, known: set[str], lines: list[str]) -> int:
    if lines:
        # lenient: the lines are Oxigraph's own serialisation, valid by construction
        store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=inferred, lenient=True)
    return len(lines)


def _line(term) -> str:
    """An N-Triples line (without its newline) of a pyoxigraph triple or quad."""
    return f"{term.subject} {term.predicate} {term.object} ."


def infer(dataset: Dataset, rules: tuple[Rule, ...]) -> Dataset:
    """A new Dataset: ``dataset`` plus the graph obg:inferred holding everything the rules derive."""
    lines = infer_in_store(to_store(dataset), rules)
    result = new_dataset()
    for context in dataset.graphs():
        target = result.graph(context.identifier)
        for triple in context:
            target.add(triple)
    graph: Graph = result.graph(INFERRED_GRAPH)
    graph.parse(data="\n".join(lines), format="nt")
    return result
