"""Stage 3: apply the rules (ontology/rules/*.rq, SPARQL CONSTRUCT) to a fixpoint.

The rules run on an in-memory Oxigraph store (rdflib's SPARQL engine took seconds per rule on the
bundled graph); what they derive goes into the `inferred` named graph of a new Dataset, each
conclusion linked by prov:wasDerivedFrom to the claims and conclusions it rests on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

from ..errors import QueryError, SourceFileError
from .rdf import INFERRED_GRAPH, new_dataset
from .units import is_full_text

MAX_ROUNDS = 20


# A rule's header may say what it reads:
#   # Reads: the sources only
#   # Reads: the sources and the conclusions of 15-entry-into-force, 20-bound-by
# The first runs once, before any rule has concluded anything, so it cannot read a conclusion and
# its result cannot change later. The second runs again only when one of the rules it names (file
# names without .rq) has concluded something since it last ran. A rule that says neither runs in
# every round until nothing new is derived.
_SOURCES_ONLY = re.compile(r"(?im)^#\s*reads:\s*the sources only\b")
_CONCLUSIONS_OF = re.compile(r"(?im)^#\s*reads:\s*the sources and the conclusions of\s+(.+?)\s*$")


@dataclass(frozen=True)
class Rule:
    name: str
    text: str
    path: Path

    @property
    def sources_only(self) -> bool:
        return bool(_SOURCES_ONLY.search(self.text))

    @property
    def reads(self) -> frozenset[str] | None:
        """The rules whose conclusions this one reads, as its header names them; None where it
        does not say (it may read any)."""
        lines = _CONCLUSIONS_OF.findall(self.text)
        if self.sources_only:
            return frozenset()
        if not lines:
            return None
        return frozenset(name.strip() for line in lines for name in re.split(r",|\band\b", line)
                         if name.strip())


def read_rules(directory: Path) -> tuple[Rule, ...]:
    if not directory.is_dir():
        raise SourceFileError("the rules directory is missing", path=str(directory),
                              hint="restore ontology/rules/ from version control")
    rules = tuple(Rule(p.stem, p.read_text(encoding="utf-8"), p)
                  for p in sorted(directory.glob("*.rq")))
    names = {rule.name for rule in rules}
    for rule in rules:
        try:
            ox.Store().query(rule.text)
        except SyntaxError as error:
            raise QueryError(f"rule does not parse: {error}", path=str(rule.path)) from None
        unknown = sorted((rule.reads or frozenset()) - names)
        if unknown:
            raise QueryError(f"its 'Reads:' line names {', '.join(map(repr, unknown))}: no such rule "
                             "beside it", path=str(rule.path),
                             hint="name the rules it reads by file name without .rq (as "
                                  "'15-entry-into-force'), or remove the line to run it in every round")
    return rules


@dataclass(frozen=True)
class RuleReads:
    """What the rules can match, so that the build's rule store holds only that: the predicates
    their patterns name (paths included) and the classes their ``rdf:type`` patterns name. None
    where a pattern leaves it open — a variable predicate or a negated property set (every
    triple then), a variable class or ``rdf:type`` inside a path other than at its end (every
    type). The bundled rules name 22 predicates and 8 classes: at 1,000 articles their store
    holds 139,000 of the sources' 529,000 triples, against 221,000 with only the quotes left out
    (the store was most of the 10,000-article build's memory). A triple no pattern can match
    changes no rule's result."""

    predicates: frozenset[str] | None  # N-Triples tokens: "<IRI>"
    classes: frozenset[str] | None

    def keeps(self, line: str) -> bool:
        """Whether the rules may read the triple of an N-Triples line ("<s> <p> <o> .")."""
        if self.predicates is None:
            return True
        _, predicate, rest = line.split(" ", 2)
        if predicate not in self.predicates:
            return False
        return predicate != _RDF_TYPE or self.classes is None or rest[:-2] in self.classes


_RDF_TYPE = f"<{RDF.type}>"


def rule_reads(rules: tuple[Rule, ...]) -> RuleReads:
    """What ``rules`` can match, all of them together (see :class:`RuleReads`)."""
    predicates: set[str] = set()
    classes: set[str] = set()
    open_classes = False
    for rule in rules:
        found = _reads_of(rule.text)
        if found is None:
            return RuleReads(None, None)
        predicates |= found[0]
        if found[1] is None:
            open_classes = True
        else:
            classes |= found[1]
    return RuleReads(frozenset(predicates), None if open_classes else frozenset(classes))


@lru_cache(maxsize=256)
def _reads_of(text: str) -> tuple[frozenset[str], frozenset[str] | None] | None:
    """One rule's (predicates, classes) as :class:`RuleReads` counts them, read off rdflib's
    algebra of the query (its parser is slow, so each text is read once per process); None if
    it reads any predicate, or if rdflib cannot read the query (Oxigraph could): every triple."""
    from rdflib.plugins.sparql.algebra import translateGroupGraphPattern, translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery
    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # noqa: BLE001 — rdflib's parser raises several kinds; Oxigraph already accepted it
        return None
    predicates: set[str] = set()
    classes: set[str] | None = set()
    anything = False

    def path_iris(path, *, last: bool) -> bool:
        """Add the predicates of ``path``; whether it ends in rdf:type where the object is its class."""
        nonlocal classes, anything
        if isinstance(path, URIRef):
            predicates.add(f"<{path}>")
            if path == RDF.type and not last:
                classes = None
            return path == RDF.type and last
        if isinstance(path, SequencePath):
            ends = False
            for i, step in enumerate(path.args):  # a class stays closed only at its very end
                ends = path_iris(step, last=last and i == len(path.args) - 1 and isinstance(step, URIRef))
            return ends
        if isinstance(path, AlternativePath):
            for step in path.args:
                path_iris(step, last=False)
        elif isinstance(path, (InvPath, MulPath)):
            path_iris(path.arg if isinstance(path, InvPath) else path.path, last=False)
        else:  # a variable, or a negated property set: any predicate
            anything = True
        return False

    def visit(node):
        nonlocal classes, anything
        name = getattr(node, "name", None)
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            # rdflib leaves an (NOT) EXISTS pattern as parsed until it runs: translated here
            pattern = translateGroupGraphPattern(node["graph"])
            traverse(pattern, visitPre=visit)
            return pattern  # not descended into again as parsed
        if name == "TriplesBlock":  # a pattern left as parsed anywhere else: read as anything
            anything = True
        if name != "BGP":
            return None
        for _, predicate, obj in node["triples"]:
            if path_iris(predicate, last=True) and classes is not None:
                if isinstance(obj, URIRef):
                    classes.add(f"<{obj}>")
                else:
                    classes = None
        return None

    traverse(algebra, visitPre=visit)
    if anything:
        return None
    return frozenset(predicates), None if classes is None else frozenset(classes)


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
    at once what the rules before it concluded; the sequence repeats until a pass adds nothing,
    a rule that names what it reads run again only if one of those concluded something since. The
    same fixpoint as applying every rule round after round; with the rules ordered by what they
    read, one pass reaches it."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    # conclusions are kept as N-Triples lines, read off each result as it streams: a set of
    # pyoxigraph triples, or a rule's whole result, held 300k+ Python objects at 1,000 documents
    known: set[str] = {_line(q) for q in store.quads_for_pattern(None, None, None, inferred)}
    once = [rule for rule in rules if rule.sources_only]
    # their results are added together, after all of them ran: none sees another's conclusions
    _add(store, inferred, known, [line for rule in once for line in _result(store, rule, known)])
    # added after the query: a rule's result is computed on the store before it
    fixpoint([rule for rule in rules if not rule.sources_only],
             lambda rule: _add(store, inferred, known, _result(store, rule, known)))
    return sorted(known)


def fixpoint(rules: list[Rule], apply: Callable[[Rule], int]) -> None:
    """Apply the rules (``apply``: how many new conclusions one gave) in order, pass after pass,
    until a pass adds nothing; a rule whose header names the rules it reads is applied again only
    when one of those concluded something since it last ran."""
    since: dict[str, set[str] | None] = {rule.name: None for rule in rules}  # None: not run yet
    for _ in range(MAX_ROUNDS):
        added = 0
        for rule in rules:
            reads, concluded = rule.reads, since[rule.name]
            if concluded is not None and reads is not None and reads.isdisjoint(concluded):
                continue  # nothing it reads is new: it would find nothing new
            since[rule.name] = set()
            new = apply(rule)
            if new:
                for seen in since.values():
                    if seen is not None:
                        seen.add(rule.name)
            added += new
        if not added:
            return


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
        # lenient: the lines are Oxigraph's own serialisation, valid by construction; a bulk
        # load, since an on-disk store's transaction held a big result several times over
        store.bulk_load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
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
