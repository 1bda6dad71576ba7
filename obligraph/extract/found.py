"""What extraction finds: mentions of registry entities, candidate claims, proposed new
entities, and the sentences they are read in (shared by candidates.py and numbers.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..corpus.model import Entity
from .rulefile import Rules


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: str
    type: str
    rule: str = field(default="label", compare=False)  # how it was linked (see candidates.link)


@dataclass(frozen=True)
class Candidate:
    """A proposed claim: the curated claim fields, plus where its quote is and how it was found."""

    subject: str
    predicate: str
    quote: str
    start: int
    end: int
    confidence: float
    rule: str
    object: str | None = None
    value: int | float | str | None = None
    min: int | float | None = None
    max: int | float | None = None
    stance: str = "asserts"
    stated_by: str | None = None
    mode: str | None = None
    date: str | None = None
    unit: str | None = None
    approximate: bool = False
    at_least: bool = False
    topic: str | None = None

    def claim_fields(self) -> dict[str, Any]:
        """The curated-format fields (no defaults), in the order curators write them."""
        out: dict[str, Any] = {"subject": self.subject, "predicate": self.predicate}
        for key in ("object", "value", "min", "max", "mode", "date", "unit"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        for key in ("approximate", "at_least"):
            if getattr(self, key):
                out[key] = True
        if self.topic:
            out["topic"] = self.topic
        if self.stance != "asserts":
            out["stance"] = self.stance
        if self.stated_by:
            out["stated_by"] = self.stated_by
        out["quote"] = self.quote
        return out


@dataclass(frozen=True)
class NewEntity:
    """An organisation, person or place the text names that the registry lacks: a proposal
    (proposals.py), with the sentence it is read from and any acronym the text defines for it."""

    id: str
    type: str
    label: str
    quote: str
    start: int
    end: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    candidates: tuple[Candidate, ...]
    new_entities: tuple[NewEntity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    text: str = ""

    def mention_entries(self) -> list[dict[str, Any]]:
        """Every registry mention the claims were read from, for the candidates file: the words as
        written, their span (text[start:end] == surface), the entity and how it was linked (label,
        alias, variant, acronym, state-organ, provision, generic)."""
        return [{"surface": self.text[m.start:m.end], "start": m.start, "end": m.end,
                 "entity": m.entity, "type": m.type, "rule": m.rule} for m in self.mentions]


class Sentence:
    def __init__(self, text: str, folded: str, start: int, end: int, mentions: list[Mention]):
        self.text, self.folded, self.start, self.end = text, folded, start, end
        self.mentions = mentions
        self.heading = False  # a title or heading: its names are linked, no claim is read from it

    def words_between(self, start: int, end: int) -> str:
        return self.folded[max(start, self.start):min(end, self.end)]

    def has(self, pattern: re.Pattern, start: int | None = None, end: int | None = None) -> bool:
        return bool(pattern.search(self.folded, self.start if start is None else start,
                                   self.end if end is None else end))


class Reading(Protocol):
    """What numbers.py and proposals.py read of the extraction in progress (candidates._Extractor)."""

    text: str
    source_id: str
    entities: dict[str, Entity]
    sentences: list[Sentence]
    stat_count: int
    rules: Rules
