"""`obligraph verify`: re-check every piece of evidence in a built graph against the texts the
graph itself holds — for each oa:TextPositionSelector / oa:TextQuoteSelector pair, the source's
ob:fullText[start:end] is the quote's oa:exact, its oa:prefix and oa:suffix are the text around it,
and each source's ob:sha256 is the SHA-256 of its text in UTF-8. Works on any TriG in our model
(ontology/MODEL.md), not only one Obligraph wrote, and reads it with rdflib, not our writer."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, URIRef

from .errors import SourceFileError, VerificationError
from .graph.rdf import OA, read_trig
from .corpus.vocabulary import OB

MAX_SHOWN = 40


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True)
class Mismatch:
    claim: str  # the claim IRI (or the annotation's, when no claim points at it)
    source: str
    start: object
    end: object
    problem: str  # what does not match
    expected: str = ""
    found: str = ""

    def __str__(self) -> str:
        detail = f": expected {self.expected}, found {self.found}" if self.expected or self.found else ""
        return f"{self.claim}: source {self.source}, offsets {self.start}–{self.end}: {self.problem}{detail}"


@dataclass
class VerifyReport:
    path: str
    checked: int = 0  # evidence (selector pairs) checked
    sources: int = 0  # source texts whose digest was checked
    mismatches: list[Mismatch] = field(default_factory=list)
    exacts: set[str] = field(default_factory=set)  # every oa:exact checked

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.checked > 0

    def summary(self) -> str:
        if self.ok:
            return (f"{self.path}: all {self.checked} quotes match their sources' texts at their "
                    f"offsets (with prefix and suffix where given), and all {self.sources} texts their sha256")
        if not self.checked and not self.mismatches:
            return f"{self.path}: no evidence found (no oa:TextPositionSelector)"
        shown = "\n  ".join(map(str, self.mismatches[:MAX_SHOWN]))
        more = (f"\n  … and {len(self.mismatches) - MAX_SHOWN} more"
                if len(self.mismatches) > MAX_SHOWN else "")
        return (f"{len(self.mismatches)} mismatch(es) in {self.checked} quotes and {self.sources} "
                f"texts:\n  {shown}{more}")


def _facts(path: Path) -> dict:
    """predicate → subject → [objects] of every quad of the TriG file: IRIs as rdflib URIRefs,
    literals as their lexical form (all verify compares). Read with Oxigraph's parser, no
    Dataset in between; a literal over 16 MiB, which that parser refuses, through read_trig."""
    if not path.is_file():
        raise SourceFileError("the graph to verify is missing", path=str(path),
                              hint="run `obligraph build` first, or name a TriG file")
    facts: dict = defaultdict(lambda: defaultdict(list))
    iris: dict[str, URIRef] = {}

    def term(value):
        if isinstance(value, ox.Literal):
            return value.value
        text = value.value
        iri = iris.get(text)
        if iri is None:
            iri = iris[text] = URIRef(text)
        return iri
    try:
        try:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
                facts[term(quad.predicate)][term(quad.subject)].append(term(quad.object))
        except MemoryError:
            facts.clear()
            for s, p, o, _ in read_trig(path).quads((None, None, None, None)):
                facts[p][s].append(o)
    except (SyntaxError, ValueError, OSError) as error:
        raise SourceFileError(f"cannot read it as TriG: {str(error).splitlines()[0][:200]}",
                              path=str(path), hint="verify reads a TriG file such as "
                                                   "graph/obligraph.trig") from None
    return facts


def verify(path: Path | str | None = None) -> VerifyReport:
    """Check every quote and offset of the TriG file at ``path`` (graph/obligraph.trig by default)."""
    from .graph.paths import Paths
    path = Path(path) if path else Paths().out / "obligraph.trig"
    facts = _facts(path)

    def one(predicate, subject):
        values = facts[predicate].get(subject, [])
        return values[0] if values else None

    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    report = VerifyReport(path=shown)
    bodies = {target: one(OA.hasBody, annotation)
              for annotation, targets in facts[OA.hasTarget].items() for target in targets}
    texts: dict = {}
    for source, values in facts[OB.fullText].items():
        texts[source] = str(values[0])
        report.sources += 1
        digest = hashlib.sha256(str(values[0]).encode("utf-8")).hexdigest()
        stored = one(OB.sha256, source)
        if stored is None or str(stored) != digest:
            report.mismatches.append(Mismatch(str(source), str(source), "-", "-", "ob:sha256 differs from the "
                                              "SHA-256 of ob:fullText", expected=str(stored), found=digest))
    selectors_of = facts[OA.hasSelector]
    types = facts[RDF.type]
    for target in sorted(selectors_of, key=str):
        selectors = selectors_of[target]
        positions = [s for s in selectors if OA.TextPositionSelector in types.get(s, [])]
        quotes = [s for s in selectors if OA.TextQuoteSelector in types.get(s, [])]
        if not positions:
            continue
        claim = str(bodies.get(target) or target)
        source = one(OA.hasSource, target)
        source_name = str(source).rsplit("/", 1)[-1] if source is not None else "(none)"
        for position in positions:
            report.checked += 1
            start, end = one(OA.start, position), one(OA.end, position)
            miss = lambda problem, **kw: report.mismatches.append(  # noqa: E731
                Mismatch(claim, source_name, start, end, problem, **kw))
            if len(quotes) != 1:
                miss(f"{len(quotes)} oa:TextQuoteSelector(s) beside the position (expected 1)")
                continue
            exact, prefix, suffix = (one(p, quotes[0]) for p in (OA.exact, OA.prefix, OA.suffix))
            if exact is None:
                miss("the oa:TextQuoteSelector has no oa:exact")
                continue
            exact = str(exact)
            report.exacts.add(exact)
            text = texts.get(source)
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
    return report


def check(path: Path | str | None = None) -> VerifyReport:
    """verify(), raising VerificationError when anything does not match."""
    report = verify(path)
    if not report.ok:
        raise VerificationError(report.summary().split(": ", 1)[-1] if report.checked == 0
                                else report.summary(), path=report.path,
                                hint="rebuild from sources/ (`obligraph build`): a built graph "
                                     "is never edited by hand")
    return report
