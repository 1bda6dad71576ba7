"""The subject and the objects of a trigger (candidates._Extractor): who does the act a rule's
trigger names — the name before it in its clause, the agent after "by" in a passive, the main
clause's subject after an opening gerund ("By returning them …, China breached"), a pronoun's
antecedent, the people last named — and what it is done to (the names after it up to the next
trigger, a relative's head, a pronoun's antecedent)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from .clauses import ASIDE, PASSIVE
from .found import Mention, Sentence
from .harms import harm_out_of_return, harms_meant
from .references import AGENT_TYPES, one_of_several
from .rulefile import Rule, Rules, _cached_list
from .subjects import locative, unnamed_after_opening

_OF_PROVISION = re.compile(r"(?:article|art\.)\s+(?:\d+|[ivx]+)(?:\s*\(\w+\))*\s+of\s+(?:the\s+)?(?:(?:un|u\.n\.|\d{4})\s+)?$")
_BY_AFTER_PARTICIPLES = re.compile(r"(?:\s*(?:,|and|or)\s*(?:and\s+)?(?:\w+ly\s+)?\w+(?:ed|en|t|ught))*\s+by\s+(?:the\s+)?")
_RELATIVE_PASSIVE = re.compile(r"(?<![\w])(?:who|that|which)\s+(?:are|were|is|was|have been|has been|had been|get|got)\s+"
                               r"(?:\w+ly\s+)?(?:\w+\s*(?:,|and|or)\s+(?:\w+ly\s+)?){0,3}$")
_PREPOSITION = re.compile(r"(?:^|\s)(?:to|from|into|of|across|towards|through|at|on|with|unlike|like|than|except)\s+(?:the\s+)?$")
_GERUND_OPENING = re.compile(r"\W*(?:by|after|before|when|while|in|on|without|since|through)\s+(?:\w+ly\s+)?")
_POSSESSOR = re.compile(r"'s?\s+(?:[\w-]+\s+){0,3}$")
# a clause of its own begins: ", and Y criticised", "; Y criticised"
_OWN_CLAUSE = re.compile(r"(?:,|;)\s*(?:and|but|while|whereas|yet)?\s*(?:the\s+)?$")
_RIGHT_BEFORE = re.compile(r"\s*(?:(?:\w+ly|also|then|later|has|have|had|soon|swiftly)\s+)*")
_MEMBERS_OF = re.compile(r"(?<![\w])(?:soldiers|officers|members|agents|units|troops|guards|officials|forces)\s+of\s+(?:the\s+)?$")
def _organ_of(rules: Rules) -> re.Pattern:
    """ "the authorities of Peru detained …": a state after one of its organs and "of" acts through
    them (linking.state_organs), as "Peruvian authorities" does; not "the people of Peru"."""
    organs = tuple(rules.linking.get("state_organs", ()))
    return _organ_of_pattern(organs)


def _organ_acts(rules: Rules, sentence: Sentence, m: Mention) -> bool:
    """The state after "the authorities of" acts — unless the organ is itself after a preposition
    ("To the Government of China: end …", "pressure on the authorities of Peru")."""
    organ = _organ_of(rules).search(sentence.folded, max(sentence.start, m.start - 40), m.start)
    return bool(organ) and not _PREPOSITION.search(
        sentence.folded[max(sentence.start, organ.start() - 16):organ.start()])


@lru_cache(maxsize=4)
def _organ_of_pattern(organs: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(o) for o in sorted(organs, key=len, reverse=True))
                      + r")\s+of\s+(?:the\s+)?$")


class _OriginAfterPeople:
    """ "90 Venezuelans from Bolivia", "migrants from Chad": a state after "from" right after the
    people (a name or a noun of people) is where they came from, not the agent of an active verb."""

    _NOUN = re.compile(r"(?:people|refugees|migrants|asylum[ -]seekers|nationals|men|women|children|families|"
                       r"workers|detainees)\s+from\s+(?:the\s+)?$")
    # "46 women held in the centre, most of them from Chad": where they came from, whatever the act
    PARTITIVE = re.compile(r"(?<![\w])(?:of them|of whom|mostly|mainly|largely|chiefly|all)\s+from\s+(?:the\s+)?$")

    def partitive(self, sentence: Sentence, m: Mention) -> bool:
        return bool(self.PARTITIVE.search(sentence.folded, max(sentence.start, m.start - 24), m.start))

    def search(self, sentence: Sentence, m: Mention) -> bool:
        before = sentence.folded[max(sentence.start, m.start - 40):m.start]
        if self._NOUN.search(before):
            return True
        hit = re.search(r"\s+from\s+(?:the\s+)?$", before)
        return bool(hit) and any(p.type in ("Group", "Person") and p.end == m.start - len(hit.group())
                                 for p in sentence.mentions)


_ORIGIN_AFTER_PEOPLE = _OriginAfterPeople()
_RETURN_WORD = re.compile(r"(?:repatriat|return|deport|expel|expul|remov|sen[dt]|push|forc|hand|extradit|transfer|refoul)")
_BY_BEFORE = re.compile(r"(?<![\w])by\s+(?:the\s+)?$")
_JOINED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?")
_WITH = re.compile(r"(?:^|\s)with\s+(?:the\s+)?$")
# a passive reporting a past act ("were deported", "had been arrested"), not a habit ("are sent back")
_DONE_PASSIVE = re.compile(r"(?<![\w])(?:was|were|has been|have been|had been)\s+(?:(?:\w+ly|all|also|each|later|then|soon)\s+)?$")
_RETURNED = re.compile(r"(?<![\w])(?:repatriated|returned|deported|expelled|sent back|forced back|pushed back)(?![\w])")
# people the act is done to, named by no name: "detained hundreds of people", "seized men, women and
# children", "detained several Kurdish and Sri Lankan applicants"
UNNAMED_PEOPLE = re.compile(r"\s+(?:(?:about|some|at least|more than|over|nearly|around|almost|several|dozens of|"
                             r"hundreds of|thousands of|scores of|tens of thousands of|many|[\d,.]+|two|three|four|five|"
                             r"six|seven|eight|nine|ten)\s+){0,2}(?:of\s+the\s+)?"  # "more than 50,000 people", "four of the refugees"
                             r"(?:(?!(?:were|was|are|is|be|been|being|who|that|which|by|to|from|of)\s)"
                             r"[\w-]+\s+(?:and\s+[\w-]+\s+)?){0,2}?"
                             r"(?:people|men|women|children|migrants|refugees|applicants|asylum[ -]seekers|families|"
                             r"foreigners|(?<=foreign )nationals|persons|individuals)(?![\w-])")  # ("deported 47,000 foreign nationals")


# a return reported as an act ("were deported"), and what makes a harm before it follow it ("after being deported")
_ACT_VERB = re.compile(r"(?:deported|repatriated|expelled|sent back|forced back|forcibly returned|returned to)")
_AFTER_ACT = re.compile(r"(?:after|once|following|upon|since)\s+(?:being\s+|having been\s+|they were\s+)?(?:\w+ly\s+)?$")
_ACT_NAMED = re.compile(r"(?<![\w])the\s+(?:returns|deportations|expulsions|removals|pushbacks|handovers|arrests|"
                        r"detentions|raids)\s+(?:a|an|as|unlawful|illegal)(?![\w])")
_RETURNEES = re.compile(r"(?:returnees|deportees|those returned|those deported|those sent back)")
_PARTITIVE_PASSIVE = re.compile(r"(?<![\w])(?:of them|of those|they|the\s+(?:two|three|four|five|six|seven|eight|nine|ten|"
                                r"men|women|refugees|migrants|detainees|families))\s+(?:were|was|had been|have been|has been|had|have|has)\s+"
                                r"(?:(?:\w+ly|later|then|also|all)\s+)?$")


def _people_named_before(reading, index: int, types) -> Mention | None:
    """The group the text last named before sentence ``index`` (in the five sentences before), not
    a generic one."""
    for back in range(index - 1, max(index - 6, -1), -1):
        people = [m for m in reading.sentences[back].mentions if m.type in types and m.type == "Group"
                  and m.rule != "generic"]
        if people:
            return people[-1]
    return None


# the people last named, referred to: "them", "those", "the migrants"
_PEOPLE_REFERENCE = re.compile(r"(?<![\w])(?:them|those|these|the\s+(?:migrants|refugees|men|women|deportees|detainees|"
                               r"returnees|people|workers|asylum[ -]seekers))(?![\w])")
# people named by a generic noun and the return done to them: "persons forcibly returned"
_UNNAMED_RETURNED = re.compile(r"(?<![\w])(?:persons|people|individuals|those)\s+(?:\w+ly\s+)?(?:returned|repatriated|"
                               r"deported|expelled|sent back)$")
# the people an agentless passive is about: "Many were deported", "The men had been held", "they were"
PATIENT = re.compile(r"(?<![\w])(?:(?:many|most|some|several|others|all|hundreds|dozens|thousands|scores)"
                     r"(?:\s+of\s+(?:them|those|these|the\s+[\w-]+|people))?"
                      r"|they|those|these|the\s+(?:men|women|children|deportees|detainees|people|migrants|refugees|"
                      r"families|group|victims|applicants|asylum[ -]seekers))\s")
# the act asked for begins: "to"/"not to" + a verb (lower case as written) — a name after it is in
# the act, not the one asked ("urged governments not to send anyone back to Haiti")
_REQUESTED_ACT = re.compile(r"(?<![\w])(?:not\s+)?to\s+(?!(?:the|a|an|its|their|his|her|all|any|every|these|those|this|that)\b)[a-z]+\b")


class ArgumentReading(Protocol):
    """What this module reads of the extraction (candidates._Extractor)."""

    text: str
    rules: Rules
    sentences: list[Sentence]
    last_actor: Mention | None  # the subject of the last act (arrest, return) reported
    last_patient: Mention | None  # … and whom it was done to

    def _clause_start(self, sentence: Sentence, at: int) -> int: ...

    def _head(self, sentence: Sentence) -> Mention | None: ...

    def _antecedent(self, index: int, types, before: int | None = None) -> Mention | None: ...

    def _opens_paragraph(self, sentence: Sentence) -> bool: ...


# (not ", the": "Under a protocol with North Korea, the Chinese government …" opens the clause after a phrase)
_LIST_JOINER = re.compile(r"\s*,\s*(?:(?:and|or)\s+(?:the\s+)?)?|\s+(?:and|or)\s+(?:the\s+)?")


def _after_preposition(sentence: Sentence, m: Mention) -> bool:
    """Whether a preposition comes right before ``m`` — or before the list it ends ("workers from
    Cameroon, Nigeria, Uganda and other African countries": none of these states acts)."""
    while True:
        if _PREPOSITION.search(sentence.folded[max(sentence.start, m.start - 16):m.start]):
            return True
        previous = [p for p in sentence.mentions if p.end <= m.start and _LIST_JOINER.fullmatch(sentence.folded, p.end, m.start)]
        if not previous:
            return False
        m = previous[-1]


def find_subject(reading: ArgumentReading, index: int, spec: dict, at: int, end: int) -> tuple[Mention | None, float]:
    sentence = reading.sentences[index]
    clause = reading._clause_start(sentence, at)
    passive = PASSIVE.search(sentence.folded, max(sentence.start, at - 24), at) \
        if spec.get("passive") or spec.get("passive_in") else None
    if passive and spec.get("passive_in"):
        after_in = [m for m in sentence.mentions if m.start >= end and m.type in spec.get("subject", [])
                    and re.search(r"(?:in|by)\s+(?:the\s+)?$", sentence.words_between(end, m.start)[-12:])
                    and m.start - end <= 60]
        if after_in:
            return after_in[0], 0.1
        passive = None
    if _GERUND_OPENING.fullmatch(sentence.folded, clause, at):  # "By returning them without a hearing, China breached …"
        comma = sentence.folded.find(",", end, sentence.end)
        main = [m for m in sentence.mentions if comma >= 0 and m.start > comma and m.type in spec.get("subject", [])]
        if main and _PREPOSITION.search(sentence.folded, max(sentence.start, main[0].start - 16), main[0].start) is None:
            return main[0], 0.1
    if spec.get("agent_by"):  # "refugees captured, detained and returned by the Chinese government"
        agents = [m for m in sentence.mentions if m.start >= end and m.type in spec.get("subject", [])
                  and _BY_AFTER_PARTICIPLES.fullmatch(sentence.folded, end, m.start)]
        if agents:
            return agents[0], 0.05
        if spec.get("agent_from") and re.fullmatch(r"(?:\w+ly\s+)?\w+(?:ed|en|t)", sentence.folded[at:end]):
            # "40,000 Ethiopians returned from Saudi Arabia": the people, then the state they were sent from
            source = [m for m in sentence.mentions if m.type == "State" and re.fullmatch(
                r"\s+from\s+(?:the\s+)?", sentence.folded[end:m.start])]
            people = [m for m in sentence.mentions if m.type in ("Group", "Person") and m.end <= at
                      and re.fullmatch(r"\s*(?:\w+ly\s+)?", sentence.folded[m.end:at])]
            if source and people and not re.match(r"\s+by\b", sentence.folded[source[0].end:source[0].end + 4]):
                return source[0], 0.1  # (not "returned from Egypt by Peru")
        if _RELATIVE_PASSIVE.search(sentence.folded, clause, at):
            return None, 0.0  # "North Koreans who are caught and sent back": by whom, not said
    for types, penalty in ((spec.get("subject", []), 0.0), (spec.get("subject_fallback", []), 0.1)):
        after = [m for m in sentence.mentions if m.start >= end and m.type in types and m.start - end <= 60
                 and re.search(r"(?:by|from)\s+(?:the\s+)?$", sentence.words_between(end, m.start)[-12:])]
        if passive or (after and spec.get("passive") and re.match(r"\s*(?:from|by)\b", sentence.folded[end:end + 8])):
            if after:  # "was condemned by X", "criticism from X"
                return after[0], penalty + 0.05
            if passive:
                return None, 0.0  # "China has been accused of …": the accuser is not named
        before = [m for m in sentence.mentions if m.end <= at and m.type in types
                  and (not _after_preposition(sentence, m)
                       or ((m.rule == "state-organ" or m.type == "State") and _MEMBERS_OF.search(  # "soldiers of the
                           # Lebanese army", "officers of Moldova's security service"
                           sentence.folded, max(sentence.start, m.start - 40), m.start))
                       or (m.type == "State" and _organ_acts(reading.rules, sentence, m))  # "the authorities of Peru"
                       or _POSSESSOR.match(sentence.folded, m.end, at))  # "on China's policy of forced return"
                  and not (spec.get("no_locative_subject") and locative(sentence, m))]  # "North Koreans in China are …"
        if PASSIVE.search(sentence.folded, max(sentence.start, at - 24), at) and re.match(  # "X said the men had
                r"(?:\w+ly\s+)?\w+(?:ed|en|t)\b", sentence.folded[at:end]):               # been deported":
            speech = _cached_list(tuple(reading.rules.stance.get("reported_speech", ())))  # X speaks, it is no agent
            before = [m for m in before if not speech.search(sentence.folded, m.end, at) or re.search(
                r"(?<![\w])(?:no|no one|nobody|not one|any|anyone)\s[^,;]*$", sentence.folded[m.end:at])]
            # (but "X insists that no one has been deported" denies its own acts)
        unagented = [m for m in before if not _BY_BEFORE.search(sentence.folded, max(sentence.start, m.start - 8), m.start)]
        if unagented and len(unagented) < len(before):  # "X defends it as a response to attacks orchestrated
            before = unagented                          # by Y, and calls them …": X (Y is a participle's agent)
        asides = [a.span() for a in ASIDE.finditer(sentence.folded, clause, at)]
        outside = [m for m in before if not any(a <= m.start < b for a, b in asides)]
        if outside and asides:  # "X, which has offices in Pakistan, criticised Iran": X
            before = outside
        in_clause = [m for m in before if m.start >= clause]
        if in_clause or (before and not spec.get("clause_subject")):
            before = in_clause or before
            relative = re.search(r",?\s*(?:which|who)\s*$", sentence.words_between(before[-1].end, at))
            if relative and len(before) > 1:  # "the X report on …, which condemned": the head
                ranked = sorted(before, key=lambda m: (types.index(m.type), -m.start))
                return ranked[0], penalty
            if spec.get("subject_first"):  # "X downgraded Y … and criticized": X
                head = reading._head(sentence)
                if head is not None and head in before and head is not before[-1] and _OWN_CLAUSE.search(
                        sentence.folded, head.end, before[-1].start) and _RIGHT_BEFORE.fullmatch(
                        sentence.folded, before[-1].end, at):
                    return before[-1], penalty  # "X expelled them, and Y criticised it": Y
                if head is not None and head in before and not re.search(
                        r"\b(?:that|said|says|say|who|which|whom)\b", sentence.words_between(head.end, at)):
                    return head, penalty
            if spec.get("stated_by_subject") and unnamed_after_opening(sentence, reading.text, before[-1], at):
                return None, 0.0  # "After meeting Thai officials, Dr Lee urged …": Dr Lee, not Thailand
            return before[-1], penalty
        if not _RETURN_WORD.search(sentence.folded, at, end):  # ("the repatriation of 50 refugees from China": China's)
            after = [m for m in after if not _ORIGIN_AFTER_PEOPLE.search(sentence, m)]
        after = [m for m in after if not _ORIGIN_AFTER_PEOPLE.partitive(sentence, m)]
        if after:  # (not "a boat carrying 90 Venezuelans from Bolivia": where the people came from)
            return after[0], penalty + 0.05
        # a name after a preposition is no subject ("returnees who had contact with South Koreans face …")
        anywhere = [m for m in sentence.mentions if m.type in types and not any(
            p.search(sentence.folded, max(sentence.start, m.start - 16), m.start) for p in (_PREPOSITION, _WITH))
            and ";" not in reading.text[min(m.end, at):max(m.start, end)]]  # not a name across a ";"
        if anywhere and spec.get("subject_anywhere"):
            return min(anywhere, key=lambda m: abs(m.start - at)), penalty + 0.05
    types = list(spec.get("subject", []))
    if spec.get("subject_after") and re.search(
            r"(?:^|\W)(?:" + "|".join(re.escape(w) for w in spec["subject_after"]) + r")\s+$",
            sentence.folded[clause:at]):  # "As a party to the Convention, China is bound …"
        later = [m for m in sentence.mentions if m.start >= end and m.type in types]
        if later:
            return later[0], 0.1
    antecedent = reading._antecedent(index, types, None if spec.get("subject_anywhere") else at)
    if antecedent:
        return antecedent, 0.2
    if spec.get("subject_previous"):  # "repatriated persons are subjected to …": the people last named
        # (up to five sentences back; eight when the paragraph opens with them: "Back in Eritrea, the returnees …")
        reach = 9 if reading._opens_paragraph(sentence) else 6
        for back in range(index - 1, max(index - reach, -1), -1):
            people = [m for m in reading.sentences[back].mentions if m.type in types]
            named = [m for m in people if m.rule != "generic"] or people
            if named:  # (not one people of a list: "Most were Iraqi Kurds, Syrians and Afghans")
                return (None, 0.0) if one_of_several(reading.text, named[-1]) else (named[-1], 0.25)
        if _RETURNEES.fullmatch(sentence.folded, at, end) or at == end:  # "Returnees … described torture" (or a
            # sentence going on about them: "Relatives told us that several were held …"): the people
            for back in range(index - 1, -1, -1):            # returned, however far back they were named
                people = [m for m in reading.sentences[back].mentions if m.type in types and m.rule != "generic"]
                if people:
                    return (None, 0.0) if one_of_several(reading.text, people[-1]) else (people[-1], 0.3)
    if spec.get("subject_following"):  # "… where returnees face torture. Since April, it has deported 2,000 Myanmar nationals"
        for ahead in reading.sentences[index + 1:index + 3]:
            people = [m for m in ahead.mentions if m.type in types and m.rule != "generic"]
            if people:
                return people[0], 0.3
    if spec.get("subject_of_last_act") and reading.last_patient is not None and reading.last_patient.type in types \
            and _UNNAMED_RETURNED.search(sentence.folded, max(sentence.start, at - 30), end):
        return reading.last_patient, 0.3  # "persons forcibly returned … are subjected to": the returned
    if spec.get("agent_of_context"):  # "Many were later deported …": by the state whose acts the text reports
        actor = agent_of_context(reading, sentence, spec, at, end)
        if actor is not None:
            return actor, 0.3
    return None, 0.0


# confinement named right after "held"/"kept" by a place of detention ("held in immigration detention")
_HELD_IN_DETENTION = re.compile(r"(?:held|kept)\s+in\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}?"
                                r"(?:detention|cent(?:re|er)s?|cells|camps?|prisons?)\b")
_ACT_AFTER = re.compile(r"\s+(?:the|these|those|such)\s+(?:[\w-]+\s+)?(?:returns|deportations|expulsions|extraditions|"
                        r"removals|pushbacks|push-backs|handovers|transfers)(?![\w])")
_AUTHORITIES = re.compile(r"\s+the\s+(?:authorities|government)\s+(?:for|over)\b")


def agent_of_context(reading: ArgumentReading, sentence: Sentence, spec: dict, at: int, end: int) -> Mention | None:
    """The agent of an act in a passive that names none ("The men had been held in detention for
    ten years", "Many were later deported"): the state the text last reported as doing such an act
    (rules `agent_of_context`), when the people it is done to are named or referred to before it
    in its clause; none when an agent is named ("detained by the Imbonerakure") or the sentence is
    about what happens where they arrive (the phrases of `agent_of_context`: "on arrival", …)."""
    actor = reading.last_actor
    if actor is None or not _DONE_PASSIVE.search(sentence.folded, max(sentence.start, at - 24), at):
        return None  # not "are sent back", "to be held": a habit or a state, not an act reported
    if re.match(r"(?:held|kept)\b", sentence.folded[at:end]) and not _HELD_IN_DETENTION.match(sentence.folded, at, end):
        return None  # "Most had been held for months (in a centre)": held, but by whom is not said — but
        # "had been held in immigration detention", "were held in crowded cells": the place of an arrest
    if re.match(r"\s*(?:\S+\s+){0,4}?by\s", sentence.folded[end:end + 60]):
        return None  # an agent is named, one the registry lacks
    if sentence.has(_cached_list(tuple(spec["agent_of_context"]))):
        return None
    if any(m.type == "State" and m.end <= at for m in sentence.mentions):
        return None  # "The Government of Thailand said the men had been sent back": its states were not the agent
    clause = reading._clause_start(sentence, at)
    if _RETURNED.search(sentence.folded, clause, at):
        return None  # "women repatriated from China were detained": the returnees, held where they arrive
    if not (any(clause <= m.start and m.end <= at and m.type in ("Group", "Person") for m in sentence.mentions)
            or PATIENT.search(sentence.folded, clause, at)):
        return None  # "The hearing was held in camera": no people
    return Mention(actor.start, actor.end, actor.entity, actor.type, "context")


def patients_of_context(reading: ArgumentReading, index: int, types, at: int) -> list[tuple[Mention, float]]:
    """Who an act in a passive with its agent from the context is done to: the people named before
    it in its sentence, else ("Many were later deported", "some 500 people … were bused to the
    border") those of the act the agent was taken from, else the people last named (five sentences
    back)."""
    sentence = reading.sentences[index]
    here = [m for m in sentence.mentions if m.end <= at and m.type in types]
    if here:
        return [(here[-1], 0.0)]
    if reading.last_patient is not None and reading.last_patient.type in types:
        return [(reading.last_patient, 0.1)]
    for back in range(index - 1, max(index - 6, -1), -1):
        people = [m for m in reading.sentences[back].mentions if m.type in types and m.rule != "generic"]
        if people:
            return [] if one_of_several(reading.text, people[-1]) else [(people[-1], 0.2)]
    return []


_RELATIVE_AFTER = re.compile(r",\s*(?:(?:a|an|the)\s+[\w-]+\s+)?(?:which|that|whose)\b")  # ", a treaty that"


def find_objects(reading: ArgumentReading, index: int, rule: Rule, spec: dict, subject: Mention, start: int,
             end: int, stop: int) -> list[tuple[Mention, float]]:
    sentence = reading.sentences[index]
    types = spec.get("object", [])
    how = spec.get("objects", "after")
    pool = [m for m in sentence.mentions if m.type in types and m != subject
            and m.entity != subject.entity]
    if "Treaty" in types:  # "bound by article 6 of CEDAW": the provision's treaty, not an object —
        # but "Article 3 of the Convention, which Thailand ratified": the treaty the relative names
        pool = [m for m in pool if m.start < end or not _OF_PROVISION.search(
            sentence.folded, max(sentence.start, m.start - 40), m.start)]
    if "Harm" in types:
        pool = harms_meant(pool, sentence, reading.rules.harms)
        if spec.get("not_feared"):  # "Relatives fear that the men will be executed": feared, not reported
            fear = _cached_list(tuple(spec["not_feared"]))
            pool = [m for m in pool if m.type != "Harm" or not sentence.has(fear, sentence.start, m.start)]
        if spec.get("harm_not_after") or spec.get("harm_not_before"):  # "after months of detention"
            pool = [m for m in pool if m.type != "Harm" or not harm_out_of_return(reading, sentence, m, spec, subject)]
        if _ACT_VERB.fullmatch(sentence.folded, start, end) and not _AFTER_ACT.search(
                sentence.folded, max(sentence.start, start - 16), start):
            # "officers detained several applicants …, and two of them were deported": done before the return
            pool = [m for m in pool if m.type != "Harm" or m.end > start
                    or not re.fullmatch(r"\w+ed", sentence.folded[m.start:m.end])]
    if how == "sentence":
        return [(m, 0.0) for m in pool]
    after = [m for m in pool if start < m.start < stop]  # inside a gapped trigger too
    if spec.get("object_not_after"):  # "arrested two activists who had helped the Uyghurs": the activists
        block = _cached_list(tuple(spec["object_not_after"]))
        after = [m for m in after if not block.search(sentence.folded, end, m.start)]
    if how == "after_or_relative":
        relative = re.search(r"(?:which|to which|that|having)\s+(?:\S+\s+){0,3}$",
                             sentence.folded[max(sentence.start, start - 40):start])
        before = [m for m in pool if m.end <= start]
        if relative and before:  # "the Convention against Torture, which it ratified in 1988"
            return [(before[-1], 0.0)]
        if re.match(r"\s*(?:\S+\s+)?(?:it|them)\b", sentence.folded[end:end + 12]) and \
                not [m for m in after if m.start < end + 12]:  # "Malaysia acceded to it in 2009"
            earlier = [m for m in pool if m.end <= start]
            for back in range(index - 1, max(index - 3, -1), -1):
                earlier = earlier or [m for m in reading.sentences[back].mentions if m.type in types]
            if earlier:
                return [(earlier[-1], 0.15)]
        if after:  # "acceded to the Protocol in 1968, which binds it to the Convention": the Protocol only
            after = [m for m in after if m is after[0] or not _RELATIVE_AFTER.search(
                sentence.folded, after[0].end, m.start)]
    if spec.get("object_before_request"):  # "asked governments not to send anyone back to Haiti": not Haiti
        after = [m for m in after if not _REQUESTED_ACT.search(reading.text, end, m.start)]
    if how == "first":
        joined = after[:1]
        for m in after[1:]:  # "urged Chile and Bolivia not to …": both are asked
            if not (spec.get("object_before_request") and m.type == joined[-1].type
                    and _JOINED.fullmatch(reading.text, joined[-1].end, m.start)):
                break
            joined.append(m)
        after = joined
    if how == "before":
        between = [m for m in pool if subject.end <= m.start and m.end <= start]
        if between:
            return [(between[-1], 0.0)]
        antecedent = reading._antecedent(index, types, start)
        if antecedent and antecedent.entity != subject.entity:
            return [(antecedent, 0.15)]
        # not people in a relative clause after the label ("as \"illegal aliens\" who took jobs from
        # Nigerians"): they are others
        after = [m for m in after if not re.search(r"(?<![\w])(?:who|whom|which|that)\s", sentence.folded[end:m.start])][:1]
    if how == "nearest":
        ranked = sorted(pool, key=lambda m: min(abs(m.start - end), abs(start - m.end)))
        after = ranked[:1]
    if after:
        return [(m, 0.0) for m in after]
    if spec.get("object_before"):
        before = [m for m in pool if m.end <= start and (m.start >= subject.end or (
            spec.get("agent_by") and subject.start >= end))]  # "refugees … returned by China"
        if before:
            return [(before[-1], 0.05)]
    if re.match(r"\s+(?:it|them|him|her)\b", sentence.folded[end:end + 6]) and subject.start >= sentence.start:
        # "X expelled Afghans, and Y criticised it": the name before the subject's clause
        earlier = [m for m in pool if m.end <= subject.start and m.type in AGENT_TYPES
                   and m.start >= sentence.start]
        if earlier and _OWN_CLAUSE.search(sentence.folded, earlier[-1].end, subject.start):
            return [(earlier[-1], 0.1)]
    if spec.get("stated_by_subject") and _ACT_NAMED.search(sentence.folded, start, end) and reading.last_actor is not None \
            and reading.last_actor.type in types and reading.last_actor.entity != subject.entity:
        return [(reading.last_actor, 0.2)]  # "called the returns a grave violation": whoever returned them
    if spec.get("stated_by_subject") and _ACT_AFTER.match(sentence.folded, end) and reading.last_actor is not None \
            and reading.last_actor.type in types and reading.last_actor.entity != subject.entity:
        return [(reading.last_actor, 0.2)]  # "condemned the extraditions as …": whoever carried them out
    if spec.get("stated_by_subject") and _AUTHORITIES.match(sentence.folded, end) and reading.last_actor is not None \
            and reading.last_actor.type == "State" and reading.last_actor.type in types \
            and reading.last_actor.entity != subject.entity:
        return [(reading.last_actor, 0.2)]  # "It condemned the authorities for …": those of the state that acted
    if spec.get("stated_by_subject") and re.match(r"\s+its\s", sentence.folded[end:end + 8]):
        for previous in reading._before(index):  # "X has criticised its use of detention": the state before
            head = reading._head(previous)
            if head is not None and head.type in types and head.entity != subject.entity:
                return [(head, 0.2)]
    antecedent = reading._antecedent(index, types)
    if antecedent and antecedent.entity != subject.entity:
        return [(antecedent, 0.2)]
    unnamed = UNNAMED_PEOPLE.match(sentence.folded, end, min(stop, end + 60)) if spec.get("agent_of_context") else None
    verb = re.match(r"\S+", sentence.folded[start:end])
    if spec.get("agent_of_context") and not unnamed and verb and verb.end() < end - start:
        unnamed = UNNAMED_PEOPLE.match(sentence.folded, start + verb.end(), end)  # "handed four of the refugees to …"
    if spec.get("agent_of_context") and _PARTITIVE_PASSIVE.search(sentence.folded, max(sentence.start, start - 40), start):
        unnamed = True  # "… detained several applicants, and at least two of them were deported": those people
    if unnamed and subject.type == "State":  # "police detained hundreds of people": the people the text is about
        people = _people_named_before(reading, index, types)
        if people is not None:
            return [(people, 0.25)]
    if spec.get("agent_of_context") and reading.last_patient is not None and reading.last_patient.type in types \
            and (re.match(r"\s+(?:them|those)(?![\w])", sentence.folded[end:end + 8])
                 or re.search(r"\s(?:them|those)\s", sentence.folded[start:end])) \
            and reading.last_actor is not None and reading.last_actor.entity == subject.entity:
        return [(reading.last_patient, 0.25)]  # "Saudi border guards intercepted them": those Saudi Arabia last held
    if spec.get("object_previous") == "pronoun" and not _PEOPLE_REFERENCE.search(  # in a gapped trigger too
            sentence.folded[start:end + 16]):
        return []  # only "described them as …", "calls the migrants …": they stand for the people last named
    if spec.get("object_previous"):  # "China insists that the people it catches are …": those last named
        for back in range(index - 1, max(index - 6, -1), -1):
            people = [m for m in reading.sentences[back].mentions if m.type in types and m.rule != "generic"]
            if people:
                return [] if one_of_several(reading.text, people[-1]) else [(people[-1], 0.25)]
        if reading.last_patient is not None and reading.last_patient.type in types and \
                reading.last_actor is not None and reading.last_actor.entity == subject.entity:
            return [(reading.last_patient, 0.3)]  # "Guards called them …": those the state last held or sent back
        earlier = {m.entity: m for s in reading.sentences[:index] for m in s.mentions
                   if m.type in types and m.rule != "generic"}
        if len(earlier) == 1:  # "Officials described the migrants as …" far into an article on one people: them
            return [(next(iter(earlier.values())), 0.35)]
    return []
