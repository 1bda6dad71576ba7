"""Extraction that may name the entities it proposes: the text read with the registry, then again
with the proposed states and organisations in it (proposals.py proposes them; `obligraph extract`
and `obligraph evaluate` read texts this way)."""

from __future__ import annotations

from dataclasses import replace

from ..corpus.model import Entity
from .candidates import candidate_order, extract_all
from .found import Candidate, Extraction

# what a candidate naming a proposed entity may have it be: a state or an organisation (people and
# places moved the rules' actors: a spokesman became the subject of the returned's harms)
_MAY_NAME = ("State", "NGO", "IntergovernmentalOrganization", "GovernmentBody")


def extract_proposing(text: str, registry, *, source_id: str, rules=None) -> Extraction:
    """What :func:`candidates.extract_all` finds, and what it finds when the proposed
    organisations are in the registry: a candidate may name one ("The Arcadian Refugee Council
    (ARC) urged Arcadia …" → the council urges Arcadia) and is accepted together with it
    (``obligraph review --accept N --accept-entities ID``). Only candidates that name a proposed
    organisation are added, and none of a sentence and relation the registry's reading already
    has a candidate for: the registry's reading is not changed. Mentions of a proposed entity
    have the rule ``proposed``."""
    registry = tuple(registry)
    first = extract_all(text, registry, source_id=source_id, rules=rules)
    proposed = {e.id: e for e in first.new_entities if e.type in _MAY_NAME}
    if not proposed:
        return first
    again = extract_all(text, (*registry, *(Entity(e.id, e.type, e.label, e.aliases) for e in proposed.values())),
                        source_id=source_id, rules=rules)
    had = {(c.start, c.predicate) for c in first.candidates}
    added = [c for c in again.candidates if proposed_names(c, set(proposed)) and (c.start, c.predicate) not in had]
    if not added:
        return first
    seen = set(first.mentions)
    mentions = [*first.mentions, *(replace(m, rule="proposed") for m in again.mentions
                                   if m.entity in proposed and m not in seen)]
    return Extraction(tuple(sorted([*first.candidates, *added], key=candidate_order)),
                      first.new_entities, tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.entity))), text)


def proposed_names(candidate: Candidate, proposed: set[str]) -> list[str]:
    """The proposed new entities a candidate names."""
    return sorted({x for x in (candidate.subject, candidate.object, candidate.topic, candidate.stated_by)
                   if x in proposed})
