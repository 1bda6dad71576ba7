"""What a pronoun stands for (candidates._Extractor._antecedent)."""

from __future__ import annotations

import re
from typing import Protocol

from ..corpus.model import Entity
from .found import Mention, Sentence

AGENT_TYPES = ("Person", "IntergovernmentalOrganization", "GovernmentBody", "NGO", "State", "Report")
_PEOPLE_TYPES = {"Group", "Person"}
_SINGULAR = re.compile(r"(?<![\w])(?:it|its)(?![\w])")
_PERSONAL = re.compile(r"(?<![\w])(?:he|she|his|her)(?![\w])")
# an organisation that is one person's office: "she" may stand for it
_OFFICE = re.compile(r"(?<![\w])(?:rapporteur|high commissioner|secretary-general|envoy|ombudsman|ombudsperson|"
                     r"independent expert|special adviser|special representative)(?![\w])")
_WE = re.compile(r"(?:[\"“]\s*)?we\s+(?:\w+\s+)?(?:call|calls|urge|ask|demand|appeal|recommend)\b")  # "We call on", "We again urge"
_PLURAL = re.compile(r"(?<![\w])(?:they|them|their|these|those)(?![\w])")


class Reading(Protocol):
    text: str
    entities: dict[str, Entity]
    sentences: list[Sentence]
    pronouns: re.Pattern

    def _before(self, index: int, count: int = 2): ...

    def _head(self, sentence: Sentence) -> Mention | None: ...

    def _speaker(self, sentence: Sentence, subject: Mention) -> str | None: ...


_LISTED_BEFORE = re.compile(r"[A-Z][\w-]+s,?\s+(?:and\s+|or\s+)?$")
_LISTED_AFTER = re.compile(r",?\s+(?:and\s+|or\s+)?(?:[A-Z][\w-]+\s+)?[A-Z][\w-]+s\b|,\s+[A-Z][\w-]+s\b")


def one_of_several(text: str, mention: Mention) -> bool:
    """Whether a group is named as one of a list of peoples ("Iraqi Kurds, Syrians and Afghans"): a
    part of those the text goes on about, so no antecedent of "those returned" or "they"."""
    if mention.type != "Group":
        return False
    return bool(_LISTED_BEFORE.search(text, max(0, mention.start - 30), mention.start)
                or _LISTED_AFTER.match(text, mention.end))


def antecedent(reading: Reading, index: int, types, before: int | None = None) -> Mention | None:
    """What a pronoun stands for. "It"/"its" (before ``before``): the organisation, state or
    treaty that is the subject of one of the two sentences before (named at its start) — not a
    name further in, and nothing when that sentence's subject is a name the registry lacks ("It
    called on governments" after "This report by the Korea Future Initiative …"). "They"/
    "them"/"these": the last people (group, person) named in the two sentences before. "He"/"she":
    the person one of the two sentences before opens with."""
    sentence = reading.sentences[index]
    if "NGO" in types and _WE.match(sentence.folded, sentence.start):
        # "We call on the European Union …" in a report: the organisation that wrote it, last named
        for back in range(index - 1, -1, -1):
            groups = [m for m in reading.sentences[back].mentions if m.type == "NGO"]
            if groups:
                return groups[-1]
        return None
    if not sentence.has(reading.pronouns, sentence.start, before):
        return None
    singular = sentence.has(_SINGULAR, sentence.start, before)
    plural = sentence.has(_PLURAL, sentence.start, before)
    if "Person" in types and not singular and not plural and sentence.has(_PERSONAL, sentence.start, before):
        for previous in reading._before(index):  # "Tim Peters said … He called on": the person named
            head = reading._head(previous)
            if head is not None and head.type == "Person":
                return head
        if "IntergovernmentalOrganization" in types:  # "The Special Rapporteur said … She urged": the office
            for previous in reading._before(index, 8):  # (no person named in between)
                offices = [m for m in previous.mentions if m.type == "IntergovernmentalOrganization"
                           and _OFFICE.search(reading.entities[m.entity].label.lower())]
                if offices:
                    return offices[-1]
                if any(m.type == "Person" for m in previous.mentions):
                    return None
        return None
    if singular and not plural:
        pronoun = _SINGULAR.search(sentence.folded, sentence.start, before or sentence.end)
        earlier = [m for m in sentence.mentions if m.end <= pronoun.start()
                   and m.type in AGENT_TYPES and m.type not in _PEOPLE_TYPES]
        if earlier:  # "UNHCR said it was shocked": it is UNHCR, not the sentence before's subject
            return earlier[-1] if earlier[-1].type in types else None
    for previous in reading._before(index):
        if plural:
            for mention in reversed(previous.mentions):
                if mention.type in types and mention.type in _PEOPLE_TYPES:
                    return None if one_of_several(reading.text, mention) else mention
            for mention in previous.mentions:  # "The experts are concerned … They called on": the experts
                if mention.rule == "back-reference" and mention.type in types \
                        and reading.text[mention.end - 1:mention.end] == "s":
                    return mention
        if singular:
            head = reading._head(previous)
            if head is not None and head.type in types and head.type not in _PEOPLE_TYPES:
                return head
            speaker = reading._speaker(previous, Mention(-1, -1, "", ""))  # "…, the group added. It called on"
            if speaker and reading.entities[speaker].type in types and reading.entities[speaker].type not in _PEOPLE_TYPES:
                return Mention(previous.start, previous.start, speaker, reading.entities[speaker].type, "speaker")
            if head is not None:
                return None
    return None
