"""Whose conduct breaches an obligation, and which obligation "this duty" is (rule contravenes).

A contravention's subject is a state's policy (`subject_id`: "{state}-forced-repatriation", else
the state's policy the registry names with a word of `policy_words`: policies.state_policy), so the
state meant is one the registry has that policy for: the trigger's subject when it has one, else
the nearest other state of the sentence ("returned 1,086 Myanmar nationals …, in what Amnesty
called a breach": Malaysia, not Myanmar; "This is refoulement … whether or not Malaysia has
ratified"), else the subject of one of the two sentences before ("Returning trafficking victims …
violates this duty" after "China ratified …"). "This duty", "that obligation": the obligation
the sentence before names, besides any the sentence names itself."""

from __future__ import annotations

import re
from typing import Protocol

from ..corpus.model import Entity
from .found import Mention, Sentence
from .policies import state_policy
from .rulefile import _cached_list

_THIS_DUTY = re.compile(r"(?<![\w])(?:this|that|these|those)\s+(?:duty|duties|obligation|obligations|rule|principle|prohibition)(?![\w])")


class ObligationReading(Protocol):
    entities: dict[str, Entity]
    sentences: list[Sentence]

    def _head(self, sentence: Sentence) -> Mention | None: ...

    def _before(self, index: int, count: int = 2): ...


def policy_subject(reading: ObligationReading, index: int, spec: dict, subject: Mention | None,
                   start: int) -> Mention | None:
    template = spec["subject_id"]

    def has_policy(mention: Mention | None) -> bool:
        return mention is not None and mention.type == "State" and state_policy(
            reading.entities, template, mention.entity, spec.get("policy_words")) is not None

    if has_policy(subject):
        return subject
    sentence = reading.sentences[index]
    states = sorted((m for m in sentence.mentions if has_policy(m)),
                    key=lambda m: (m.start > start, abs(m.start - start)))
    if states:
        return states[0]
    for previous in reversed(reading.sentences[max(0, index - 2):index]):
        head = reading._head(previous)
        if not previous.heading and has_policy(head):
            return head
    return None


def referred_obligations(reading: ObligationReading, index: int) -> list[Mention]:
    """The obligations "this duty" (and the like) in sentence ``index`` refers to: those the
    sentence before names."""
    sentence = reading.sentences[index]
    if index == 0 or not _THIS_DUTY.search(sentence.folded, sentence.start, sentence.end):
        return []
    return [m for m in reading.sentences[index - 1].mentions if m.type == "Obligation"]


def implied(reading: ObligationReading, index: int, spec: dict, start: int) -> list[tuple[Mention, float]]:
    """The obligation a provision's words imply ("prohibits the return of any person" →
    non-refoulement), else the one the sentence before names ("contains a similar rule")."""
    sentence = reading.sentences[index]
    for obligation, words in spec["implies"].items():
        if obligation in reading.entities and sentence.has(_cached_list(tuple(words)), start):
            return [(Mention(start, start, obligation, "Obligation", "implied"), 0.1)]
    if re.search(r"\b(?:similar|same|likewise|principle|this rule|the rule)\b",
                 sentence.folded[sentence.start:sentence.end]):
        for previous in reading._before(index):
            named = [m for m in previous.mentions if m.type == "Obligation"]
            if named:
                return [(named[-1], 0.2)]
            for obligation, words in spec["implies"].items():
                if obligation in reading.entities and previous.has(_cached_list(tuple(words))):
                    return [(Mention(start, start, obligation, "Obligation", "implied"), 0.25)]
    return []
