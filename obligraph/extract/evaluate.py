"""Score `obligraph extract` against curated claims: precision, recall and F1 of entity linking
and of each relation type, per source and overall, leave-one-source-out.

Units (see bench/EXTRACTION.md):

- entity linking — per source, the set of registry entities of named types (states, treaties,
  organisations, people, places, reports, laws, declarations) the extractor finds in the text
  (descriptive entities — groups, policies, harms, events, provisions, statistics — are reached
  through relation rules, not by name, and are scored there), against the named entities the curated claims use (subject, object, topic,
  stated_by) plus the source's author and publisher;
- relations — a candidate matches a curated claim when predicate, subject (except for hasValue and
  measures, whose subject is a statistic the text never names), object (or value, or min and max),
  polarity (denies vs the rest) agree and the candidate's quote overlaps one of the claim's quotes.
  Precision counts candidates that match some curated claim; recall counts curated claims that
  some candidate matches.

Leave-one-source-out: a rule trigger tagged `from: [SOURCE]` in rules.yaml (taken from
that source's wording) is dropped when that source is scored. The registry is the gazetteer and
stays whole: it is data, curated from the same articles — see the caveat in bench/EXTRACTION.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .candidates import Candidate, load_rules
from .proposing import extract_proposing, proposed_names
from ..corpus.model import Claim, Entity, SourceKind
from ..corpus.sources import claims_path_of, read_claims, read_registry, read_source
from ..corpus.vocabulary import Vocabulary

NAMED_TYPES = {"State", "Treaty", "Declaration", "DomesticLaw", "IntergovernmentalOrganization",
               "GovernmentBody", "NGO", "Person", "Place", "Report"}
CORE = ("partyTo", "hasPolicy", "classifiesAs", "repatriates", "arrests", "deniesAccessTo",
        "facesOnReturn", "urges", "condemns", "publishes", "hasValue", "boundBy", "contravenes",
        "establishesObligation")
SUBJECTLESS = {"hasValue", "measures"}


@dataclass
class Counts:
    tp_pred: int = 0   # predictions that match
    n_pred: int = 0
    tp_gold: int = 0   # gold items matched
    n_gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)


@dataclass
class SourceScore:
    source_id: str
    linking: Counts
    relations: dict[str, Counts] = field(default_factory=dict)
    facts: dict[str, Counts] = field(default_factory=dict)  # distinct statements, quotes ignored
    proposing: int = 0  # candidates naming a proposed new entity: not scored (see score_source)


def _number(raw):
    try:
        return float(str(raw).replace(",", ""))
    except ValueError:
        return str(raw).strip().casefold()


def _literal(value) -> object:
    if value is None:
        return None
    raw = value.raw if hasattr(value, "raw") else value
    return _number(raw.text if hasattr(raw, "text") else raw)


def _dates_agree(candidate: Candidate, claim: Claim) -> bool:
    """A curated date must be the candidate's: the same year, and the same month and day as far as
    both give them ("1982" agrees with "1982-09-24"; "1951" does not). A candidate without a date
    agrees only where no rule of its predicate reads dates (repatriates, urges: the date is left to
    the curator); a partyTo with no year is not the curated accession of 1982."""
    if claim.date is None:
        return True
    if candidate.date is None:
        return candidate.predicate not in _dated_predicates()
    ours, theirs = str(candidate.date), claim.date.text
    shorter = min(len(ours), len(theirs))
    return ours[:shorter] == theirs[:shorter]


def _dated_predicates() -> set[str]:
    return {r.predicate for r in load_rules().relations if r.spec.get("date")}


def matches(candidate: Candidate, claim: Claim) -> bool:
    if candidate.predicate != claim.predicate:
        return False
    if not _dates_agree(candidate, claim):
        return False
    if claim.mode is not None and claim.mode.value != "unspecified" and candidate.mode is not None \
            and candidate.mode not in (claim.mode.value, "unspecified"):
        return False  # an accession read as a ratification
    if (claim.value is not None or claim.minimum is not None) and bool(candidate.at_least) != bool(claim.at_least):
        return False  # "over 500" is a minimum, not 500
    if (candidate.stance == "denies") != (claim.stance.value == "denies"):
        return False
    if claim.predicate not in SUBJECTLESS and candidate.subject != claim.subject:
        return False
    if claim.object is not None:
        if candidate.object != claim.object:
            return False
    elif claim.value is not None:
        if _literal(candidate.value) != _literal(claim.value):
            return False
    elif (_literal(candidate.min), _literal(candidate.max)) != (_literal(claim.minimum),
                                                                 _literal(claim.maximum)):
        return False
    return any(candidate.start < e.span.end and e.span.start < candidate.end for e in claim.evidence)


def score_source(text: str, source_id: str, claims: tuple[Claim, ...], registry: tuple[Entity, ...],
                 author: str | None, publisher: str | None, *, loso: bool = True,
                 mentioned: tuple[str, ...] | None = None) -> SourceScore:
    rules = load_rules()
    if loso:
        rules = rules.without(source_id)
    # as `obligraph extract` reads it: a candidate may name a proposed new entity (no gold entity,
    # so never a match), whose mentions are no links to the registry
    found = extract_proposing(text, registry, source_id=source_id, rules=rules)
    types = {e.id: e.type for e in registry}
    linked = {m.entity for m in found.mentions if m.type in NAMED_TYPES and m.rule != "proposed"}
    used = {x for c in claims for x in (c.subject, c.object, c.topic, c.stated_by) if x}
    used |= {x for x in (author, publisher) if x}
    if mentioned is not None:  # a gold entity list written for the article (NAME.gold-entities.yaml)
        used = set(mentioned) | {x for x in (author, publisher) if x}
    gold = {x for x in used if types.get(x) in NAMED_TYPES}
    linking = Counts(len(linked & gold), len(linked), len(linked & gold), len(gold))
    # a candidate naming a proposed entity is not scored: the gold names registry entities only
    # (the dev sets' gold gives no claim of an organisation their registries lack), so it could
    # never match; report() counts them apart
    proposed = {e.id for e in found.new_entities}
    scored = [c for c in found.candidates if not proposed_names(c, proposed)]
    relations: dict[str, Counts] = defaultdict(Counts)
    for candidate in scored:
        counts = relations[candidate.predicate]
        counts.n_pred += 1
        counts.tp_pred += any(matches(candidate, claim) for claim in claims)
    for claim in claims:
        counts = relations[claim.predicate]
        counts.n_gold += 1
        counts.tp_gold += any(matches(candidate, claim) for candidate in scored)
    facts: dict[str, Counts] = defaultdict(Counts)
    predicted = {_fact(c) for c in scored}
    curated = {_fact(c) for c in claims}
    for fact in predicted:
        facts[fact[0]].n_pred += 1
        facts[fact[0]].tp_pred += fact in curated
    for fact in curated:
        facts[fact[0]].n_gold += 1
        facts[fact[0]].tp_gold += fact in predicted
    return SourceScore(source_id, linking, dict(relations), dict(facts),
                       proposing=len(found.candidates) - len(scored))


def _fact(claim) -> tuple:
    """What a claim says, wherever it says it: (predicate, subject, object or value, polarity)."""
    predicate = claim.predicate
    subject = None if predicate in SUBJECTLESS else claim.subject
    denies = (claim.stance if isinstance(claim.stance, str) else claim.stance.value) == "denies"
    if claim.object is not None:
        what = claim.object
    elif isinstance(claim, Candidate):
        what = _literal(claim.value) if claim.value is not None else (_literal(claim.min), _literal(claim.max))
    else:
        what = _literal(claim.value) if claim.value is not None else (_literal(claim.minimum),
                                                                       _literal(claim.maximum))
    return (predicate, subject, what, denies)


def read_gold(directory: Path, registry_root: Path, vocabulary: Vocabulary):
    """(registry, [(source, claims)]) for the articles with curated claims under ``directory``.
    An ``entities.yaml`` in ``directory`` (other than the registry itself) adds entities."""
    registry = {e.id: e for e in read_registry(registry_root, vocabulary)}
    directory = Path(directory).resolve()
    if directory != Path(registry_root).resolve():
        if (directory / "entities.yaml").exists():
            registry.update({e.id: e for e in read_registry(directory, vocabulary)})
    known = set(registry)
    items = []
    for meta in sorted(directory.rglob("*.meta.yaml")):
        if any((folder / "entities.yaml").exists() for folder in meta.parents
               if folder != directory and folder.is_relative_to(directory)):
            continue  # a set of its own (tests/extraction/dev, …): scored on its own
        source = read_source(meta, directory, known)
        claims_path = claims_path_of(meta)
        if source.kind is not SourceKind.ARTICLE or not claims_path.exists():
            continue
        items.append((source, read_claims(claims_path, source, directory, known, vocabulary),
                      gold_entities(meta)))
    return tuple(registry[k] for k in sorted(registry)), items


def gold_entities(meta: Path) -> tuple[str, ...] | None:
    """The named entities an article mentions, as its curator listed them (NAME.gold-entities.yaml
    beside NAME.meta.yaml), or None: then the entities its claims use are the linking gold."""
    path = meta.with_name(meta.name.replace(".meta.yaml", ".gold-entities.yaml"))
    if not path.exists():
        return None
    return tuple(str(x) for x in (yaml.safe_load(path.read_text(encoding="utf-8")) or []))


def evaluate(directory: Path, registry_root: Path, vocabulary: Vocabulary, *,
             loso: bool = True) -> list[SourceScore]:
    registry, items = read_gold(directory, registry_root, vocabulary)
    return [score_source(source.text, source.id, claims, registry, source.author, source.publisher,
                         loso=loso, mentioned=mentioned) for source, claims, mentioned in items]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _row(name: str, c: Counts) -> str:
    return (f"| {name} | {_fmt(c.precision)} | {_fmt(c.recall)} | {_fmt(c.f1)} | "
            f"{c.tp_pred}/{c.n_pred} | {c.tp_gold}/{c.n_gold} |")


def report(scores: list[SourceScore], title: str) -> str:
    """A Markdown report: overall linking, core and per relation; then per source."""
    head = "| | P | R | F1 | matched / proposed | found / curated |\n|---|---|---|---|---|---|"
    linking, core, extracted, everything = Counts(), Counts(), Counts(), Counts()
    per: dict[str, Counts] = defaultdict(Counts)
    produced = {p for s in scores for p, c in s.relations.items() if c.n_pred}
    for score in scores:
        linking.add(score.linking)
        for predicate, counts in score.relations.items():
            per[predicate].add(counts)
            everything.add(counts)
            if predicate in CORE:
                core.add(counts)
            if predicate in produced or predicate in CORE:
                extracted.add(counts)
    core_facts = Counts()
    for score in scores:
        for predicate, counts in score.facts.items():
            if predicate in CORE:
                core_facts.add(counts)
    lines = [f"### {title}", "", head, _row("entity linking", linking),
             _row("core relations", core), _row("core relations, as distinct facts", core_facts), _row("all relations the rules produce", extracted),
             _row("every curated claim", everything), ""]
    if proposing := sum(s.proposing for s in scores):
        lines += [f"{proposing} {'candidate names' if proposing == 1 else 'candidates name'} a proposed new "
                  "entity (not scored: the gold names registry entities only).", ""]
    lines += ["Per relation (★ core):", "", head]
    for predicate in sorted(per, key=lambda p: (p not in CORE, p)):
        counts = per[predicate]
        if counts.n_pred or predicate in CORE:
            lines.append(_row(("★ " if predicate in CORE else "") + predicate, counts))
    lines += ["", "Per source:", "", "| source | linking P | linking R | core P | core R | core F1 |",
              "|---|---|---|---|---|---|"]
    for score in scores:
        source_core = Counts()
        for predicate, counts in score.relations.items():
            if predicate in CORE:
                source_core.add(counts)
        lines.append(f"| {score.source_id} | {_fmt(score.linking.precision)} | "
                     f"{_fmt(score.linking.recall)} | {_fmt(source_core.precision)} | "
                     f"{_fmt(source_core.recall)} | {_fmt(source_core.f1)} |")
    return "\n".join(lines) + "\n"
