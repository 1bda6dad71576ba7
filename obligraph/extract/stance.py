"""The stance of a trigger (candidates._Extractor): asserted, alleged or denied — or no claim at
all when the act is only asked for, forbidden, put aside, planned, possible or a purpose ("should",
"urged … to", "States may not expel", "plans to deport", "if it deported them", "identified them
for deportation"); and who denies in a sentence ("X denied that …", "It denied that …")."""

from __future__ import annotations

import re
from typing import Protocol

from .clauses import ASIDE, IF_OPENING as _IF_OPENING, NONE_AFTER as _NONE_AFTER, \
    NONE_OPENING as _NONE_OPENING, RELATIVE_AFTER as _RELATIVE_AFTER
from .found import Mention, Sentence
from .references import AGENT_TYPES
from .text import CLAUSE_BREAK, last_words

_CONDITIONAL = re.compile(r"(?<![\w])(?:(?:if|unless|whether|lest)\s+(?:[^\s,;]+\s+){0,4}"
                          r"|were\s+(?:[^\s,;]+\s+){1,3}to\s+(?:\w+ly\s+)?)$")  # "were India to accede"
_OPENING_PRONOUN = re.compile(r"\W*(?:it|they)\s")


class StanceReading(Protocol):
    """What this module reads of the extraction (candidates._Extractor): its stance word lists."""

    plain: str
    negation: re.Pattern
    modal: re.Pattern
    allege: re.Pattern
    put_aside: re.Pattern
    prohibition: re.Pattern
    denial: re.Pattern
    prospective: re.Pattern
    enabling: re.Pattern
    purpose: re.Pattern
    negation_window: int
    modal_window: int

    def _clause_start(self, sentence: Sentence, at: int) -> int: ...

    def _antecedent(self, index: int, types, before: int | None = None) -> Mention | None: ...


_AND_BEFORE = re.compile(r"\band\s+$")
_MODAL_VERB = re.compile(r"\b(?:should|must|ought|could|would|may|might|shall|will)\b")


# the act is what someone demands, right before its noun: "demanded their return"
_DEMANDED = re.compile(r"(?<![\w])(?:demand(?:ed|s|ing)?|(?:call|ask)(?:ed|s|ing)?\s+for)\s+"
                       r"(?:(?:the|their|his|her|its|an|a)\s+)?(?:(?:immediate|swift|forced|forcible|prompt)\s+)?$")

def stance_of(reading: StanceReading, sentence: Sentence, subject: Mention, start: int,
            spec_rule_of_text: bool = False, end: int | None = None, request: bool = False) -> str | None:
    """asserts / alleges / denies; None: the relation is only asked for, forbidden or put
    aside ("should", "urged … to", "must … rather than deport", "States may not expel") — no
    claim. A modal or a negation counts within the trigger's clause (not across "but" or ";")."""
    clause = reading._clause_start(sentence, start)
    modal_from = last_words(sentence.folded, sentence.start, start, reading.modal_window)
    if subject.end <= start and sentence.start <= subject.start:
        modal_from = min(modal_from, max(subject.end, clause))
    if request and _AND_BEFORE.search(sentence.folded, max(sentence.start, start - 5), start) and not \
            _MODAL_VERB.search(sentence.folded, max(modal_from, clause), start):
        modal_from = start  # "called on X to … and urged Y": a second request, not one asked for
    if sentence.has(reading.modal, max(modal_from, clause), start):
        return None
    near = last_words(sentence.folded, sentence.start, start, 3)
    if spec_rule_of_text:
        return "asserts"  # what a provision says: "prohibits", "may not expel" are its content
    if sentence.has(reading.put_aside, max(near, clause), start) or sentence.has(
            reading.prohibition, max(last_words(sentence.folded, sentence.start, start, 4), clause), start):
        return None
    if _DEMANDED.search(sentence.folded, max(near, clause), start):
        return None  # "demanded their return", "called for the expulsion of": asked for, not done
    said = [m.end() for m in re.finditer(r"(?<![\w])that\s", sentence.folded[clause:start])]
    if _NONE_OPENING.fullmatch(sentence.folded, clause, start) or (
            end is not None and _NONE_AFTER.match(sentence.folded, end, sentence.end)) or (
            said and _NONE_OPENING.fullmatch(sentence.folded, clause + said[-1], start)):  # "insists that no one has been"
        return "denies"  # "No North Korean has been returned by X", "X has deported no Uyghurs"
    window = last_words(sentence.folded, max(subject.end, sentence.start), start, reading.negation_window)
    for match in reading.negation.finditer(sentence.folded, max(window, clause), start):
        if not sentence.folded.startswith(" only", match.end()):
            return "denies"
    relative = _RELATIVE_AFTER.search(sentence.folded, start, sentence.end)  # ", whom China accuses of …"
    brk = CLAUSE_BREAK.search(sentence.folded, start, sentence.end)
    ends = [m.start() for m in (relative, brk) if m] + [sentence.end]
    if sentence.has(reading.allege, sentence.start, min(ends)):
        return "alleges"
    return "asserts"

def for_purpose(reading: StanceReading, sentence: Sentence, start: int, end: int) -> bool:
    """Whether the trigger [start, end) is a noun of the act right after a word of purpose
    ("identified them for deportation", "pending removal"): the act intended, not done — though
    an instruction to that end still states the policy (hasPolicy is not asked)."""
    return bool(re.search(r"(?:ion|ions|al|als)$", sentence.folded[start:end]) and re.search(
        r"(?:" + reading.purpose.pattern + r")\s+(?:(?:their|its|the|his|her|possible|eventual|forced)\s+)?$",
        sentence.folded[max(sentence.start, start - 40):start]))

_ENABLED = re.compile(r"(?<![\w])(?:(?:allow|allows|allowed|enable|enables|enabled|permit|permits|permitted|authori[sz]es?|"
                      r"authori[sz]ed|empowers?|empowered|lets?)\s+(?:[\w'-]+\s+){0,4}?to\s+(?:\w+ly\s+)?"
                      # "lets border guards turn away people": "let" takes a bare infinitive
                      r"|(?:let|lets|letting)\s+(?:[\w'-]+\s+){1,4}?(?:\w+ly\s+)?)$")


# what something lets someone have done to others: "rules let employers have workers who flee them
# arrested and deported"
_CAUSED = re.compile(r"(?<![\w])(?:let|lets|letting|allows?|allowed|allowing|enables?|enabled|permits?|permitted)\s+"
                     r"(?:[\w'-]+\s+){1,3}?(?:have|get)\s+[^,;.]{1,90}?$")


def enabled(sentence: Sentence, start: int) -> bool:
    """Whether the act at ``start`` is what something lets someone do ("a law that allows the
    authorities to deport asylum seekers", "rules let employers have them deported"): made possible,
    not done — though it states a policy."""
    return bool(_ENABLED.search(sentence.folded, max(sentence.start, start - 60), start)
                or _CAUSED.search(sentence.folded, max(sentence.start, start - 120), start))


def enabled_later(reading: StanceReading, sentence: Sentence, start: int) -> bool:
    """Whether what lets the act at ``start`` happen is itself to come ("a draft decree … would let
    the authorities expel foreigners", "the bill could allow officers to deport"): a word of
    `stance.prospective` in the two words before the enabling verb — no act, and no policy either."""
    found = _ENABLED.search(sentence.folded, max(sentence.start, start - 60), start)
    if not found:
        return False
    low = last_words(sentence.folded, sentence.start, found.start(), 2)
    return bool(reading.prospective.search(reading.plain, low, found.start()))


def is_prospective(reading: StanceReading, sentence: Sentence, subject: Mention, start: int) -> bool:
    """Whether the act at ``start`` is planned, threatened, possible or supposed, not done: a
    word of `stance.prospective` between its subject and it ("Thailand plans to deport",
    "China may repatriate"), or the trigger is the verb of an if/whether clause."""
    clause = reading._clause_start(sentence, start)
    if clause <= subject.start and subject.end <= start:  # between the subject and the act
        low = subject.end
        if sentence.has(reading.enabling, max(clause, last_words(sentence.folded, sentence.start,
                                                               subject.start, 3)), subject.start):
            return True  # "an agreement could allow Malaysia to deport …": possible, not done
    elif start <= subject.start < sentence.end:  # an agent after it ("… be returned by China"): its clause
        low = clause
    else:  # a subject in a sentence before ("It …"): the three words before the act
        low = max(clause, last_words(sentence.folded, sentence.start, start, 3))
    aside = [m.span() for m in ASIDE.finditer(sentence.folded, low, start)]  # ", which may …,"
    opening = _IF_OPENING.match(sentence.folded, sentence.start, start)  # "If X deports them, it will …"
    return any(not any(a <= m.start() < b for a, b in aside)
               for m in reading.prospective.finditer(reading.plain, low, start)) \
        or bool(_CONDITIONAL.search(sentence.folded, max(clause, start - 40), start)) \
        or bool(opening and opening.end() <= start) or enabled_later(reading, sentence, start)

def find_denier(reading: StanceReading, index: int, sentence: Sentence) -> tuple[Mention, int] | None:
    """Who denies, and where the denial ends: the last agent named before the denial verb,
    else the one a pronoun the sentence opens with stands for ("It denied that …")."""
    match = reading.denial.search(sentence.folded, sentence.start, sentence.end)
    if not match:
        return None
    agents = [m for m in sentence.mentions if m.end <= match.start() and m.type in AGENT_TYPES]
    if not agents and _OPENING_PRONOUN.match(sentence.folded, sentence.start, match.start()):
        meant = reading._antecedent(index, AGENT_TYPES, match.start())
        agents = [meant] if meant is not None else []
    return (agents[-1], match.end()) if agents else None

def opens_with_pronoun(reading: StanceReading, sentence: Sentence, spec: dict, start: int) -> bool:
    """Whether the sentence opens with "It"/"They" as the subject of the act at ``start``, with
    no other name of the subject's types before it ("It signed X in 1997 but has not ratified it")."""
    return bool(_OPENING_PRONOUN.match(sentence.folded, sentence.start, start)) and not any(
        m.type in spec.get("subject", []) and m.end <= start for m in sentence.mentions)
