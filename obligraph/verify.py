"""`obligraph verify`: re-check a built graph against the texts it holds — and, when the corpus is
at hand, against the source files themselves — and check that nothing in it stands unsupported.

- Evidence: for each oa:TextPositionSelector / oa:TextQuoteSelector pair, the source's
  ob:fullText[start:end] is the quote's oa:exact, its oa:prefix and oa:suffix are the text around
  it; every evidence target has both selectors.
- Texts: each source has one ob:fullText, whose SHA-256 in UTF-8 is its ob:sha256; with sources/
  given, both are those of the source's text file (a text, its quotes and its digest forged
  together agree with each other, never with the file).
- Structure, in each source's graph (ontology/MODEL.md): every claim has evidence that names it;
  every plain triple — a fact, i.e. one whose subject the graph does not type as the source, a
  claim, its range, evidence or review — is asserted by a claim there, and every claim that
  asserts (stance asserts, an entity or value for object, neither a curator's reading nor former)
  has its plain triple there.

Works on any TriG in our model, not only one Obligraph wrote, and reads it with Oxigraph's
parser, not our writer."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV

from .errors import ObligraphError, SourceFileError, VerificationError
from .graph.rdf import BASE, OA, OBG, OBINF, read_trig
from .corpus.vocabulary import OB

MAX_SHOWN = 40
SOURCE_GRAPHS = (f"{OBG}source/", f"{OBG}extracted/")  # the graphs a source's claims are in
_SHORT = (("obid:", f"{BASE}id/"), ("obsrc:", f"{BASE}source/"), ("obclaim:", f"{BASE}claim/"),
          ("obev:", f"{BASE}evidence/"), ("obinf:", f"{BASE}inferred/"), ("ob:", str(OB)),
          ("rdf:", str(RDF)), ("xsd:", str(XSD)))
# the terms the structure check reads, as the plain strings its triples hold
TYPE, SUBJECT, PREDICATE, OBJECT = (str(t) for t in (RDF.type, RDF.subject, RDF.predicate, RDF.object))
CLAIM, EXTRACTED, RANGE = str(OB.Claim), str(OB.MachineExtractedClaim), str(OB.Range)
STANCE, ASSERTS, READING, FORMER = (str(t) for t in (OB.stance, OB.Asserts, OB.curatorReading, OB.former))
DERIVED = str(PROV.wasDerivedFrom)
ANNOTATION, BODY, TARGET, SELECTOR = (str(t) for t in (OA.Annotation, OA.hasBody, OA.hasTarget,
                                                       OA.hasSelector))
POSITION = str(OA.TextPositionSelector)
# what a source's graph describes besides its facts: the source (ob:Source's subclasses, read from
# the ontology graph too), its claims, their ranges, evidence and reviews (ontology/MODEL.md)
DESCRIBED = frozenset(str(t) for t in (
    OB.Source, OB.Article, OB.TreatyText, OB.ReferenceRecord, OB.ReservationsRecord, OB.Claim,
    OB.MachineExtractedClaim, OB.Range, OA.Annotation, OA.SpecificResource, OA.TextQuoteSelector,
    OA.TextPositionSelector, PROV.Agent, PROV.Activity, OB.Review))


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _short(term) -> str:
    """An IRI as its prefixed name (obid:china), a literal as its text and datatype."""
    if isinstance(term, ox.Literal | Literal):
        datatype = term.datatype.value if isinstance(term, ox.Literal) else str(term.datatype or XSD.string)
        language = term.language
        kind = f"@{language}" if language else "" if datatype == str(XSD.string) else f"^^{_short(datatype)}"
        return f'"{_clip(_lexical(term))[1:-1]}"' + kind
    for prefix, namespace in _SHORT:
        if term.startswith(namespace):
            return prefix + term[len(namespace):]
    return f"<{term}>"


def _lexical(term) -> str:
    return term.value if isinstance(term, ox.Literal) else str(term)


@dataclass(frozen=True)
class Mismatch:
    claim: str  # the claim IRI (or the annotation's, the source's or the triple's)
    source: str
    start: object = None  # the offsets, for a problem with a quote
    end: object = None
    problem: str = ""  # what does not match
    expected: str = ""
    found: str = ""

    def __str__(self) -> str:
        detail = f": expected {self.expected}, found {self.found}" if self.expected or self.found else ""
        offsets = f", offsets {self.start}–{self.end}" if self.start is not None else ""
        return f"{self.claim}: source {self.source}{offsets}: {self.problem}{detail}"


@dataclass
class VerifyReport:
    path: str
    checked: int = 0  # evidence (selector pairs) checked
    sources: int = 0  # source texts whose digest was checked
    claims: int = 0  # claims whose evidence was checked
    plain: int = 0  # plain triples whose asserting claim was found
    files: str | None = None  # the sources/ folder the texts were compared with, if any
    mismatches: list[Mismatch] = field(default_factory=list)
    exacts: set[str] = field(default_factory=set)  # every oa:exact checked

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.checked > 0

    def summary(self) -> str:
        if self.ok:
            files = (f" and their files in {self.files}" if self.files else
                     " (no sources/ to compare them with: --sources DIR)")
            return (f"{self.path}: all {self.checked} quotes match their sources' texts at their "
                    f"offsets (with prefix and suffix where given), all {self.sources} texts their "
                    f"sha256{files}; all {self.claims} claims have evidence, all {self.plain} plain "
                    "triples a claim asserting them")
        if not self.checked and not self.mismatches:
            return f"{self.path}: no evidence found (no oa:TextPositionSelector)"
        shown = "\n  ".join(map(str, self.mismatches[:MAX_SHOWN]))
        more = (f"\n  … and {len(self.mismatches) - MAX_SHOWN} more"
                if len(self.mismatches) > MAX_SHOWN else "")
        return (f"{len(self.mismatches)} mismatch(es) in {self.checked} quotes and {self.sources} "
                f"texts:\n  {shown}{more}")


def _facts(path: Path) -> tuple[dict, dict]:
    """predicate → subject → [objects] of every quad of the TriG file: IRIs as rdflib URIRefs,
    literals as their lexical form (all the evidence check compares); and each source graph's
    triples, for the structure check (its literals as the parser's, compared with their datatype).
    Read with Oxigraph's parser, no Dataset in between; a literal over 16 MiB, which that parser
    refuses, through read_trig."""
    if not path.is_file():
        raise SourceFileError("the graph to verify is missing", path=str(path),
                              hint="run `obligraph build` first, or name a TriG file")
    facts: dict = defaultdict(lambda: defaultdict(list))
    graphs: dict = defaultdict(list)
    iris: dict[str, URIRef] = {}
    kept: dict[str, bool] = {}  # graph name → is it a source's

    def term(text: str) -> URIRef:
        iri = iris.get(text)
        if iri is None:
            iri = iris[text] = URIRef(text)
        return iri
    try:
        try:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
                subject, predicate, value = quad.subject.value, quad.predicate.value, quad.object
                literal = isinstance(value, ox.Literal)
                if not literal:
                    value = value.value
                facts[term(predicate)][term(subject)].append(value.value if literal else term(value))
                graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
                keep = kept.get(graph)
                if keep is None:
                    keep = kept[graph] = graph.startswith(SOURCE_GRAPHS)
                if keep:  # IRIs as strings (hashed fast), literals as Oxigraph's (with their datatype)
                    graphs[graph].append((subject, predicate, value))
        except MemoryError:
            facts.clear()
            graphs.clear()
            for s, p, o, g in read_trig(path).quads((None, None, None, None)):
                facts[p][s].append(o)
                name = str(getattr(g, "identifier", g))
                if name.startswith(SOURCE_GRAPHS):
                    graphs[name].append((str(s), str(p), o if isinstance(o, Literal) else str(o)))
    except (SyntaxError, ValueError, OSError) as error:
        raise SourceFileError(f"cannot read it as TriG: {str(error).splitlines()[0][:200]}",
                              path=str(path), hint="verify reads a TriG file such as "
                                                   "graph/obligraph.trig") from None
    return facts, graphs


def _project_sources(path: Path | None) -> Path | None:
    """The sources/ a graph was built from, when it is the project's own graph (the default one)."""
    from .graph.paths import Paths
    try:
        paths = Paths()
        if path is None or path.resolve() == (paths.out / "obligraph.trig").resolve():
            return paths.sources if paths.sources.is_dir() else None
    except ObligraphError:  # no corpus here: a graph file anywhere is verified on its own
        pass
    return None


def verify(path: Path | str | None = None, *, sources: Path | str | None = None) -> VerifyReport:
    """Check every quote, offset, text and claim of the TriG file at ``path`` (the project's
    graph/obligraph.trig by default). ``sources``: the folder to compare the texts with (default:
    the project's sources/, when ``path`` is the project's graph; else none)."""
    from .graph.paths import Paths
    given = Path(path) if path else None
    path = given or Paths().out / "obligraph.trig"
    if sources is not None and not Path(sources).is_dir():
        raise SourceFileError("the sources directory does not exist", path=str(sources),
                              hint="name the corpus's sources/ folder the graph was built from")
    sources = Path(sources) if sources is not None else _project_sources(given)
    facts, graphs = _facts(path)

    def one(predicate, subject):
        values = facts[predicate].get(subject, [])
        return values[0] if values else None

    report = VerifyReport(path=_shown(path))
    texts = _check_texts(report, facts, one)
    if sources is not None:
        _check_files(report, texts, facts, sources)
    _check_quotes(report, facts, texts, one)
    _check_structure(report, graphs, DESCRIBED | _subclasses(facts, OB.Source))
    _check_conclusions(report, facts)
    return report


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _check_texts(report: VerifyReport, facts: dict, one) -> dict:
    """Each source's one ob:fullText and its digest; source → text."""
    texts: dict = {}
    for source, values in facts[OB.fullText].items():
        report.sources += 1
        name = str(source).rsplit("/", 1)[-1]
        if len(values) != 1:  # which of them would the quotes be checked against? none: said once
            report.mismatches.append(Mismatch(str(source), name, problem=f"{len(values)} ob:fullText "
                                              "values (a source has one text)"))
            texts[source] = None
            continue
        texts[source] = str(values[0])
        digest = hashlib.sha256(str(values[0]).encode("utf-8")).hexdigest()
        stored = one(OB.sha256, source)
        if stored is None or str(stored) != digest:
            report.mismatches.append(Mismatch(str(source), name, problem="ob:sha256 differs from the "
                                              "SHA-256 of ob:fullText", expected=str(stored), found=digest))
    return texts


def _check_files(report: VerifyReport, texts: dict, facts: dict, sources: Path) -> None:
    """Each source's text and digest against its text file in ``sources``, and every text file
    there against the graph (a source left out of it)."""
    from .corpus.sources import text_files
    from .corpus.yamlfile import read_regular
    root = sources.resolve()

    def shown(file: Path) -> str:  # sources/articles/a1.txt, as the build names files
        return str(file.relative_to(root.parent)) if file.is_relative_to(root.parent) else str(file)
    report.files = shown(root) + "/"
    files = text_files(root)
    in_graph = {str(source).rsplit("/", 1)[-1]: source for source in facts[OB.fullText]}
    for name, source in sorted(in_graph.items()):
        file = files.get(name)
        if file is None:
            report.mismatches.append(Mismatch(str(source), name, problem=f"no text file in {report.files} "
                                              "is this source's (no metadata file names it)"))
            continue
        try:
            data = read_regular(file)
        except (ObligraphError, OSError) as error:
            report.mismatches.append(Mismatch(str(source), name, problem=f"its file {shown(file)} "
                                              f"cannot be read: {getattr(error, 'message', error)}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        stored = str(facts[OB.sha256].get(source, ["(none)"])[0])
        if digest != stored or (texts.get(source) is not None and texts[source].encode("utf-8") != data):
            report.mismatches.append(Mismatch(str(source), name, problem=f"ob:fullText and ob:sha256 are "
                                              f"not the text of {shown(file)}", expected=digest,
                                              found=stored))
    for name in sorted(set(files) - set(in_graph)):
        report.mismatches.append(Mismatch(shown(files[name]), name, problem="a text of sources/ whose "
                                          "source is not in the graph"))


def _check_quotes(report: VerifyReport, facts: dict, texts: dict, one) -> None:
    bodies = {target: one(OA.hasBody, annotation)
              for annotation, targets in facts[OA.hasTarget].items() for target in targets}
    selectors_of = facts[OA.hasSelector]
    types = facts[RDF.type]
    # the terms looked up once, not once a quote (a Namespace attribute makes a new URIRef)
    position_type, quote_type, has_source, start_, end_ = (
        OA.TextPositionSelector, OA.TextQuoteSelector, OA.hasSource, OA.start, OA.end)
    around = (OA.exact, OA.prefix, OA.suffix)
    for target in sorted(selectors_of, key=str):
        selectors = selectors_of[target]
        positions = [s for s in selectors if position_type in types.get(s, ())]
        quotes = [s for s in selectors if quote_type in types.get(s, ())]
        if not positions:  # an evidence's missing position is the structure check's to report
            continue
        claim = str(bodies.get(target) or target)
        source = one(has_source, target)
        source_name = str(source).rsplit("/", 1)[-1] if source is not None else "(none)"
        for position in positions:
            report.checked += 1
            start, end = one(start_, position), one(end_, position)
            miss = lambda problem, **kw: report.mismatches.append(  # noqa: E731
                Mismatch(claim, source_name, start, end, problem, **kw))
            if len(quotes) != 1:
                miss(f"{len(quotes)} oa:TextQuoteSelector(s) beside the position (expected 1)")
                continue
            exact, prefix, suffix = (one(p, quotes[0]) for p in around)
            if exact is None:
                miss("the oa:TextQuoteSelector has no oa:exact")
                continue
            exact = str(exact)
            report.exacts.add(exact)
            text = texts.get(source)
            if text is None and source in texts:  # two texts: reported once, by _check_texts
                continue
            if text is None:
                miss("the source has no ob:fullText to check against")
                continue
            try:
                first, last = int(start), int(end)
            except (TypeError, ValueError):
                miss("oa:start / oa:end missing or not integers")
                continue
            if not 0 <= first <= last <= len(text):
                miss(f"offsets outside the text (0–{len(text)})")
                continue
            if text[first:last] != exact:
                miss("the text at the offsets is not the quote", expected=_clip(exact),
                     found=_clip(text[first:last]))
            if prefix is not None and not text.endswith(str(prefix), 0, first):
                miss("oa:prefix is not the text before the quote", expected=_clip(str(prefix)),
                     found=_clip(text[max(0, first - len(str(prefix))):first]))
            if suffix is not None and not text.startswith(str(suffix), last):
                miss("oa:suffix is not the text after the quote", expected=_clip(str(suffix)),
                     found=_clip(text[last:last + len(str(suffix))]))


def _subclasses(facts: dict, root: URIRef) -> set[str]:
    """Every class the graph's ontology says is a subclass of ``root``, at any depth."""
    parents = facts[RDFS.subClassOf]
    found: set[str] = set()
    for _ in range(len(parents)):  # one level a pass; stops once a pass finds nothing new
        more = {str(c) for c, supers in parents.items()
                if str(c) not in found and any(s == root or str(s) in found for s in supers)}
        if not more:
            break
        found |= more
    return found


def _check_structure(report: VerifyReport, graphs: dict, described: frozenset | set) -> None:
    """In each source's graph: every claim's evidence, every evidence's position, and the plain
    triples against the claims that assert them (see the module's docstring). A plain triple is
    one whose subject the graph types as none of ``described`` — an entity typed there is a fact."""
    for graph in sorted(graphs):
        source = graph.rsplit("/", 1)[-1]
        miss = lambda node, problem: report.mismatches.append(  # noqa: E731
            Mismatch(node, source, problem=problem))
        typed: dict = defaultdict(set)
        for s, p, o in graphs[graph]:
            if p == TYPE:
                typed[s].add(o)
        typed = {s: kinds for s, kinds in typed.items() if not kinds.isdisjoint(described)}
        about: dict = defaultdict(lambda: defaultdict(list))  # typed subject → predicate → objects
        plain = set()
        for triple in graphs[graph]:
            if triple[0] in typed:
                about[triple[0]][triple[1]].append(triple[2])
            else:
                plain.add(triple)
        asserted: dict = defaultdict(list)  # plain triple → the claims asserting it
        for node, kinds in sorted(typed.items()):
            if ANNOTATION in kinds:
                _check_annotation(node, about, typed, miss)
            if CLAIM not in kinds and EXTRACTED not in kinds:
                continue
            report.claims += 1
            claim = about[node]
            derived = claim.get(DERIVED, [])
            if not derived:
                miss(node, "the claim has no evidence (no prov:wasDerivedFrom)")
            for evidence in derived:
                if ANNOTATION not in typed.get(evidence, ()):
                    miss(node, f"its evidence {_short(evidence)} is not in the graph (no oa:Annotation)")
                elif node not in about[evidence].get(BODY, ()):
                    miss(node, f"its evidence {_short(evidence)} is of another claim (oa:hasBody)")
            for part, name in ((SUBJECT, "subject"), (PREDICATE, "predicate"), (OBJECT, "object")):
                if len(claim.get(part, ())) != 1:  # a claim is one statement
                    miss(node, f"the claim has {len(claim.get(part, ()))} rdf:{name} values (expected 1)")
            flags = (*claim.get(READING, ()), *claim.get(FORMER, ()))
            if CLAIM not in kinds or claim.get(STANCE) != [ASSERTS] \
                    or any(_lexical(v) == "true" for v in flags):
                continue
            parts = (claim.get(SUBJECT, ()), claim.get(PREDICATE, ()), claim.get(OBJECT, ()))
            for triple in product(*parts):  # two objects: it asserts both (and is refused above)
                if RANGE not in typed.get(triple[2], ()):
                    asserted[triple].append(node)
        for triple, claims in sorted(asserted.items(), key=str):
            if triple not in plain:
                for node in claims:
                    miss(node, f"the claim asserts {' '.join(map(_short, triple))}, but that plain "
                               "triple is not in its source's graph")
        report.plain += len(plain & asserted.keys())
        for triple in sorted(plain - asserted.keys(), key=str):
            miss(" ".join(map(_short, triple)), "a plain triple that no claim in its source's graph "
                                                "asserts (stance asserts, same subject, predicate, object)")


def _check_conclusions(report: VerifyReport, facts: dict) -> None:
    """Every claim or conclusion a conclusion rests on is in the graph (a source graph removed
    takes its claims with it, and leaves the conclusions drawn from them standing on nothing)."""
    types = facts[RDF.type]
    for conclusion, premises in sorted(facts[PROV.wasDerivedFrom].items()):
        if not conclusion.startswith(OBINF):
            continue
        for premise in premises:
            if premise not in types:
                report.mismatches.append(Mismatch(str(conclusion), "(inferred)", problem=f"it rests on "
                                                  f"{_short(premise)}, which is not in the graph"))


def _check_annotation(node: str, about: dict, typed: dict, miss) -> None:
    """An evidence node has a target, and the target a position (the check of the quote at it is
    _check_quotes')."""
    bodies = about[node].get(BODY) or [node]
    targets = about[node].get(TARGET, [])
    if not targets:
        miss(bodies[0], f"its evidence {_short(node)} has no oa:hasTarget (no quote, no offsets)")
    for target in targets:
        selectors = about[target].get(SELECTOR, []) if target in typed else []
        if not any(POSITION in typed.get(s, ()) for s in selectors):
            miss(bodies[0], f"its evidence {_short(node)} has no oa:TextPositionSelector (the "
                            "quote's offsets)")


def check(path: Path | str | None = None, *, sources: Path | str | None = None) -> VerifyReport:
    """verify(), raising VerificationError when anything does not match."""
    report = verify(path, sources=sources)
    if not report.ok:
        raise VerificationError(report.summary().split(": ", 1)[-1] if report.checked == 0
                                else report.summary(), path=report.path,
                                hint="rebuild from sources/ (`obligraph build`): a built graph "
                                     "is never edited by hand")
    return report
