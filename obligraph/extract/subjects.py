"""Subjects that are more than one state: "Neither state is a party …", "both treat …" (the two
states named before), and states coordinated at the head of the clause ("Vietnam and Laos, the
main transit countries, have arrested …": each of them)."""

from __future__ import annotations

import re
from typing import Protocol

from .found import Mention, Sentence

_BOTH = re.compile(r"(?:\W*)(?:and\s+)?(?:neither|both|the two)(?:\s+(?:states|state|countries|country|governments))?\b")
_AFTER_PREPOSITION = re.compile(r"\b(?:to|from|into|of|in|at|on|with|by|for|visiting|meeting)\s+(?:the\s+)?$")
_AND = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|as well as\s+)(?:the\s+)?")
# what may open a clause before its subject: "In 2013", "Since April,", "Yet", "But"
_LEAD = re.compile(r"\W*(?:(?:in|on|since|by|after|before|during|yet|but|and|however|meanwhile|also|"
                   r"later|earlier|then|now)\b[^,]*?,?\s+)*(?:the\s+)?$")


class SubjectReading(Protocol):
    sentences: list[Sentence]

    def _clause_start(self, sentence: Sentence, at: int) -> int: ...


def plural_subjects(reading: SubjectReading, index: int, spec: dict, start: int) -> list[Mention]:
    """The states that are together the subject of the trigger at ``start``, or [] (one subject:
    found the usual way)."""
    if "State" not in spec.get("subject", []):
        return []
    sentence = reading.sentences[index]
    clause = reading._clause_start(sentence, start)
    if _BOTH.match(sentence.folded[clause:start]):
        if [m for m in sentence.mentions if clause <= m.start < start and m.type == "State"]:
            return []
        for back in range(index - 1, max(index - 3, -1), -1):
            states = []
            for mention in reading.sentences[back].mentions:
                if mention.type == "State" and mention.entity not in [m.entity for m in states]:
                    states.append(mention)
            if len(states) >= 2:
                return states[-2:]
        return []
    speakers = tuple(spec["subject"]) if spec.get("stated_by_subject") else ("State",)
    return coordinated(sentence, clause, start, speakers)  # "UNHCR and Human Rights Watch urged …": each


def coordinated(sentence: Sentence, clause: int, start: int, types: tuple[str, ...] = ("State",)) -> list[Mention]:
    """ "Vietnam and Laos … have arrested": states (or ``types``) joined by "and" or commas that
    open the clause (after "In 2013," and the like), when no other comes between them and the trigger."""
    states = [m for m in sentence.mentions if clause <= m.start and m.end <= start and m.type in types]
    if len(states) < 2 or not _LEAD.match(sentence.folded[clause:states[0].start]) \
            or _AFTER_PREPOSITION.search(sentence.folded, clause, states[0].start):
        return []  # "After a visit to Malaysia, the Thai government urged …": Thailand alone
    joined = [states[0]]
    for mention in states[1:]:
        if not _AND.fullmatch(sentence.folded, joined[-1].end, mention.start):
            break
        joined.append(mention)
    if len(joined) < 2 or joined[-1] is not states[-1] or len({m.entity for m in joined}) < len(joined):
        return []
    return joined


def unnamed_after_opening(sentence: Sentence, text: str, subject: Mention, at: int) -> bool:
    """Whether ``subject`` is inside an opening phrase ("After meeting Thai officials,", "In
    Bangkok,") and a name the registry lacks stands between that phrase's comma and the verb at
    ``at`` — the verb's subject ("…, Dr Lee urged"; not "In Thailand, officials deported")."""
    opening = _OPENING_PHRASE.match(sentence.folded, sentence.start, at)
    if not opening or subject.end > opening.end():
        return False
    for word in re.finditer(r"\b[A-Z][\w'’-]+", text[opening.end():at]):
        if not any(m.start <= opening.end() + word.start() < m.end for m in sentence.mentions):
            return True
    return False


_OPENING_PHRASE = re.compile(r"\W*(?:after|before|when|while|following|despite|during|unlike|at|in|on|since|"
                             r"without|through|by|with|speaking|writing)\b[^,;]*,\s*")


def locative(sentence: Sentence, state: Mention) -> bool:
    """Whether ``state`` only says where the people just named are ("North Koreans in China",
    "Uyghurs held in Thailand"): no one who classifies them."""
    return any(m.type == "Group" and m.end <= state.start and re.fullmatch(
        r"\s+(?:(?:who\s+(?:are|were|live|lived)|living|held|hiding|staying)\s+)?in\s+(?:the\s+)?",
        sentence.folded[m.end:state.start]) for m in sentence.mentions)
