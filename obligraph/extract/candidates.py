"""Propose candidate claims for a text: deterministic rules over the registry as gazetteer.

No model, no network. The text is split into sentences; registry labels and aliases are found in
it (case-folded, typographic quotes folded, a leading "the" dropped, possessive ’s tolerated);
the relation rules of ``rules.yaml`` turn trigger phrases between mentions into candidate
claims, each quoting its sentence with the sentence's exact character span. Negation, denial and
requests ("should", "urged … to") become stance, or no claim — never a positive fact."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace
from typing import Any, Iterable

from ..corpus.model import Entity
from .dates import counted_date, date_of, dates_in
from .found import Candidate, Extraction, Mention, Sentence
from .harms import continues_return, harm_out_of_return, harms_meant
from .references import AGENT_TYPES, antecedent
from .obligations import implied, policy_subject, referred_obligations
from .linking import Gazetteer, back_references, link, state_organs
from .policies import choose_policies, names_the_policy, state_policy
from .provisions import find_provisions, publications
from .subjects import coordinated, locative, plural_subjects, unnamed_after_opening
from .rulefile import Rule, Rules, _cached_list, _compile_list, load_rules
from .clauses import IF_OPENING as _IF_OPENING, NONE_AFTER as _NONE_AFTER, \
    NONE_OPENING as _NONE_OPENING, RELATIVE_AFTER as _RELATIVE_AFTER
from .text import CLAUSE_BREAK, FOLD_TABLE, fold, is_heading, quoted_label, sentences

NAMED_TYPES = {"Person", "IntergovernmentalOrganization", "GovernmentBody", "NGO", "State", "Report",
               "Treaty", "Declaration", "DomesticLaw", "Place", "TreatyProvision", "Event"}
_COUNTED_PEOPLE = re.compile(r"\s+(?:about |some |at least |more than |over |nearly |around |almost )?"
                             r"(?:[\d,.]+(?: million| thousand)?|(?:tens of |hundreds of )?(?:thousands|hundreds|dozens|scores) of"
                             r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty)\s+"
                             r"(?:[a-z-]+\s+){0,2}?(?:people|nationals|refugees|migrants|men|women|"
                             r"children|asylum[ -]seekers|persons|individuals|them|those)\b")
_PASSIVE = re.compile(r"(?<![\w])(?:been|was|were|is|are|being|be|get|got)\s+(?:(?:\w+ly|both|all|also|each)\s+)?$")
_ASIDE = re.compile(r",\s*(?:which|who|whose|where|when)\b[^,;]*,")
_CONDITIONAL = re.compile(r"(?<![\w])(?:(?:if|unless|whether|lest)\s+(?:[^\s,;]+\s+){0,4}"
                          r"|were\s+(?:[^\s,;]+\s+){1,3}to\s+(?:\w+ly\s+)?)$")  # "were India to accede"
_OF_PROVISION = re.compile(r"(?:article|art\.)\s+(?:\d+|[ivx]+)(?:\s*\(\w+\))*\s+of\s+(?:the\s+)?(?:(?:un|u\.n\.|\d{4})\s+)?$")
_BY_AFTER_PARTICIPLES = re.compile(r"(?:\s*(?:,|and|or)\s*(?:and\s+)?(?:\w+ly\s+)?\w+(?:ed|en|t|ught))*\s+by\s+(?:the\s+)?")
_RELATIVE_PASSIVE = re.compile(r"(?<![\w])(?:who|that|which)\s+(?:are|were|is|was|have been|has been|had been|get|got)\s+"
                               r"(?:\w+ly\s+)?(?:\w+\s*(?:,|and|or)\s+(?:\w+ly\s+)?){0,3}$")
_PREPOSITION = re.compile(r"(?:^|\s)(?:to|from|into|of|across|towards|through|at|on|with|unlike|like|than|except)\s+(?:the\s+)?$")
_GERUND_OPENING = re.compile(r"\W*(?:by|after|before|when|while|in|on|without|since|through)\s+(?:\w+ly\s+)?")
_POSSESSOR = re.compile(r"'s?\s+(?:[\w-]+\s+){0,3}$")
# a date a sentence opens with, comma or not ("In October 2018 India …", "On 7 May 2019, …")
_DATE_OPENING = (r"(?:in|on|since|by|during|from|until|between)\s+(?:early\s+|late\s+|mid-)?(?:\d{1,2}\s+)?"
                 r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)"
                 r"\s+(?:\d{1,2},?\s+)?)?(?:\d{4}|the\s+\d{4}s)(?:\s+and\s+(?:\S+\s+){0,2}?\d{4})?,?\s+")
# a clause of its own begins: ", and Y criticised", "; Y criticised"
_OWN_CLAUSE = re.compile(r"(?:,|;)\s*(?:and|but|while|whereas|yet)?\s*(?:the\s+)?$")
_RIGHT_BEFORE = re.compile(r"\s*(?:(?:\w+ly|also|then|later|has|have|had|soon|swiftly)\s+)*")
_MEMBERS_OF = re.compile(r"(?<![\w])(?:soldiers|officers|members|agents|units|troops|guards|officials|forces)\s+of\s+(?:the\s+)?$")
_WHERE = re.compile(r"(?<![\w])(?:in|from|at|near|outside|via|into|through|around|across|between|of)\s+$")
_OPENING_PRONOUN = re.compile(r"\W*(?:it|they)\s")
_WITH = re.compile(r"(?:^|\s)with\s+(?:the\s+)?$")


# --- extraction ----------------------------------------------------------------------------------

def _words_after(folded: str, start: int, end: int, count: int) -> int:
    """Offset where the ``count`` words after ``start`` end (not after ``end``)."""
    match = re.match(r"(?:\s*\S+){0,%d}" % count, folded[start:end])
    return start + (match.end() if match else 0)


def _last_words(folded: str, start: int, end: int, count: int) -> int:
    """Offset where the last ``count`` words before ``end`` (not before ``start``) begin."""
    position = end
    for _ in range(count):
        match = re.search(r"\S+\s*$", folded[start:position])
        if not match:
            break
        position = start + match.start()
    return position


class _Extractor:
    def __init__(self, text: str, registry: Iterable[Entity], rules: Rules, source_id: str):
        self.text, self.source_id, self.rules = text, source_id, rules
        self.entities = {e.id: e for e in registry}
        forms = rules.linking.get("harm_forms", {})  # "tortured" names torture, "killed" death
        self.entities.update({e.id: replace(e, aliases=tuple(e.aliases) + tuple(forms[e.id]))
                              for e in self.entities.values() if e.type == "Harm" and forms.get(e.id)})
        names = {fold(n) for e in self.entities.values() for n in (e.label, *e.aliases)}
        capitals = {k: v for k, v in rules.linking.get("capitals", {}).items()
                    if v in self.entities and fold(k) not in names}  # a registry name stays the registry's
        for capital, state in capitals.items():  # "appealed to Islamabad": the government seated there
            self.entities[state] = replace(self.entities[state], aliases=tuple(self.entities[state].aliases) + (capital,))
        self.capitals = {fold(c) for c in capitals}
        self.gazetteer = Gazetteer(self.entities.values())
        self.agents = Gazetteer(self.entities.values(), ("IntergovernmentalOrganization", "NGO",
                                                          "GovernmentBody"))
        self.folded = fold(text)
        self.plain = text.translate(FOLD_TABLE)
        st = rules.stance
        self.negation = _compile_list(st.get("negation", []))
        self.modal = _compile_list(st.get("modal", []))
        self.allege = _compile_list(st.get("allege", []))
        self.pronouns = _compile_list(st.get("pronouns", []))
        self.put_aside = _compile_list(st.get("put_aside", []))
        self.prohibition = _compile_list(st.get("prohibition", []))
        self.reported = _compile_list(st.get("reported_speech", []))
        self.grounds = _compile_list(st.get("grounds", []))
        self.denial = re.compile(r"(?:" + _compile_list(st.get("denial_verbs", [])).pattern + r")\s+(?:"
                                 + _compile_list(st.get("denial_objects", [])).pattern + r")")
        self.negation_window = int(st.get("negation_window", 4))
        self.modal_window = int(st.get("modal_window", 8))
        self.prospective = _compile_list(st.get("prospective", []))  # matched as written: not "May 2013"
        self.enabling = _compile_list(st.get("enabling", []))
        self.purpose = _compile_list(st.get("purpose", []))
        linked = link(text, self.gazetteer, self.folded, self.plain,
                      {e.id: e.label for e in self.entities.values() if e.type == "Group"})
        linked = [m for m in linked if self.folded[m.start:m.end] not in self.capitals or not _WHERE.search(
            self.folded, max(0, m.start - 12), m.start)]  # "flights from Cairo", "camps in Kabul": the city
        linked = sorted(linked + state_organs(text, linked, rules, set(self.entities)),
                        key=lambda m: (m.start, m.entity))
        linked = sorted(linked + back_references(text, self.folded, linked, rules, self.entities),
                        key=lambda m: (m.start, m.entity))
        self.linked = linked
        self.sentences = []
        starts = [m.start for m in linked]
        for s, e in sentences(text):
            here = linked[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
            sentence = Sentence(text, self.folded, s, e, [m for m in here if m.end <= e])
            sentence.heading = is_heading(text, s, e)
            self.sentences.append(sentence)
        find_provisions(self.sentences, self.entities)
        self.stat_count = 0
        states = {fold(name): e.id for e in self.entities.values() if e.type == "State"
                  for name in (e.label, *e.aliases)}
        self._group_places: dict[str, tuple[str, str]] = {}  # group → (its people, the state they are in)
        for e in self.entities.values():
            placed = re.fullmatch(r"(.+?)\s+in\s+(?:the\s+)?(.+?)(?:\s*\(.*\))?", fold(e.label)) \
                if e.type == "Group" else None
            if placed and placed.group(2) in states:
                self._group_places[e.id] = (placed.group(1), states[placed.group(2)])
        self._groups_by_place = {v: k for k, v in sorted(self._group_places.items())}
        self.triggers: dict[Candidate, tuple[int, int]] = {}  # each candidate's trigger span
        self._match_cache: dict[tuple[int, str], list[tuple[int, int]]] = {}

    # mentions ------------------------------------------------------------------------------------

    def _before(self, index: int, count: int = 2):
        """The ``count`` sentences before sentence ``index``, nearest first, headings skipped."""
        found = (s for s in reversed(self.sentences[:index]) if not s.heading)
        return itertools.islice(found, count)

    def _antecedent(self, index: int, types, before: int | None = None) -> Mention | None:
        return antecedent(self, index, types, before)

    def _head(self, sentence: Sentence) -> Mention | None:
        """The mention a sentence starts with (its subject), after an opening phrase ("In 2007,",
        "Yet", "According to X,"); None when the sentence starts with anything else."""
        lead = re.match(r"(?:" + _DATE_OPENING + r"|(?:in|on|by|since|after|before|during|yet|but|and|however|meanwhile|"
                        r"also|still|then|now|later|earlier|last|this|that)\b[^,]*?,?\s+|according to [^,]*,\s*)*"
                        r"(?:the\s+)?", sentence.folded[sentence.start:sentence.end])
        at = sentence.start + (lead.end() if lead else 0)
        for mention in sentence.mentions:
            if mention.start >= at - 1:
                return mention if mention.start <= at + 1 else None
        return None

    def _clause_start(self, sentence: Sentence, at: int) -> int:
        """Where the clause holding offset ``at`` begins: after the last '; ', ', but', ' while',
        ' whereas', ' although' or ' but ' before it (a negation or a subject does not cross one)."""
        best = sentence.start
        for match in CLAUSE_BREAK.finditer(sentence.folded, sentence.start, at):
            best = match.end()
        return best

    def _subject(self, index: int, spec: dict, at: int, end: int) -> tuple[Mention | None, float]:
        sentence = self.sentences[index]
        clause = self._clause_start(sentence, at)
        passive = _PASSIVE.search(sentence.folded, max(sentence.start, at - 24), at) \
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
                      and (not _PREPOSITION.search(sentence.folded[max(sentence.start, m.start - 16):m.start])
                           or (m.rule == "state-organ" and _MEMBERS_OF.search(  # "soldiers of the Lebanese army"
                               sentence.folded, max(sentence.start, m.start - 40), m.start))
                           or _POSSESSOR.match(sentence.folded, m.end, at))  # "on China's policy of forced return"
                      and not (spec.get("no_locative_subject") and locative(sentence, m))]  # "North Koreans in China are …"
            asides = [a.span() for a in _ASIDE.finditer(sentence.folded, clause, at)]
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
                    head = self._head(sentence)
                    if head is not None and head in before and head is not before[-1] and _OWN_CLAUSE.search(
                            sentence.folded, head.end, before[-1].start) and _RIGHT_BEFORE.fullmatch(
                            sentence.folded, before[-1].end, at):
                        return before[-1], penalty  # "X expelled them, and Y criticised it": Y
                    if head is not None and head in before and not re.search(
                            r"\b(?:that|said|says|say|who|which|whom)\b", sentence.words_between(head.end, at)):
                        return head, penalty
                if spec.get("stated_by_subject") and unnamed_after_opening(sentence, self.text, before[-1], at):
                    return None, 0.0  # "After meeting Thai officials, Dr Lee urged …": Dr Lee, not Thailand
                return before[-1], penalty
            if after:
                return after[0], penalty + 0.05
            # a name after a preposition is no subject ("returnees who had contact with South Koreans face …")
            anywhere = [m for m in sentence.mentions if m.type in types and not any(
                p.search(sentence.folded, max(sentence.start, m.start - 16), m.start) for p in (_PREPOSITION, _WITH))
                and ";" not in self.text[min(m.end, at):max(m.start, end)]]  # not a name across a ";"
            if anywhere and spec.get("subject_anywhere"):
                return min(anywhere, key=lambda m: abs(m.start - at)), penalty + 0.05
        types = list(spec.get("subject", []))
        if spec.get("subject_after") and re.search(
                r"(?:^|\W)(?:" + "|".join(re.escape(w) for w in spec["subject_after"]) + r")\s+$",
                sentence.folded[clause:at]):  # "As a party to the Convention, China is bound …"
            later = [m for m in sentence.mentions if m.start >= end and m.type in types]
            if later:
                return later[0], 0.1
        antecedent = self._antecedent(index, types, None if spec.get("subject_anywhere") else at)
        if antecedent:
            return antecedent, 0.2
        if spec.get("subject_previous"):  # "repatriated persons are subjected to …": the people last named
            # (up to five sentences back; eight when the paragraph opens with them: "Back in Eritrea, the returnees …")
            reach = 9 if self._opens_paragraph(sentence) else 6
            for back in range(index - 1, max(index - reach, -1), -1):
                people = [m for m in self.sentences[back].mentions if m.type in types]
                named = [m for m in people if m.rule != "generic"] or people
                if named:
                    return named[-1], 0.25
        if spec.get("subject_following"):  # "… where returnees face torture. Since April, it has deported 2,000 Myanmar nationals"
            for ahead in self.sentences[index + 1:index + 3]:
                people = [m for m in ahead.mentions if m.type in types and m.rule != "generic"]
                if people:
                    return people[0], 0.3
        return None, 0.0

    def _objects(self, index: int, rule: Rule, spec: dict, subject: Mention, start: int,
                 end: int, stop: int) -> list[tuple[Mention, float]]:
        sentence = self.sentences[index]
        types = spec.get("object", [])
        how = spec.get("objects", "after")
        pool = [m for m in sentence.mentions if m.type in types and m != subject
                and m.entity != subject.entity]
        if "Treaty" in types:  # "bound by article 6 of CEDAW": the provision's treaty, not an object —
            # but "Article 3 of the Convention, which Thailand ratified": the treaty the relative names
            pool = [m for m in pool if m.start < end or not _OF_PROVISION.search(
                sentence.folded, max(sentence.start, m.start - 40), m.start)]
        if "Harm" in types:
            pool = harms_meant(pool, sentence, self.rules.harms)
            if spec.get("not_feared"):  # "Relatives fear that the men will be executed": feared, not reported
                fear = _cached_list(tuple(spec["not_feared"]))
                pool = [m for m in pool if m.type != "Harm" or not sentence.has(fear, sentence.start, m.start)]
            if spec.get("harm_not_after") or spec.get("harm_not_before"):  # "after months of detention"
                pool = [m for m in pool if m.type != "Harm" or not harm_out_of_return(self, sentence, m, spec, subject)]
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
                    earlier = earlier or [m for m in self.sentences[back].mentions if m.type in types]
                if earlier:
                    return [(earlier[-1], 0.15)]
        if how == "first":
            after = after[:1]
        if how == "before":
            between = [m for m in pool if subject.end <= m.start and m.end <= start]
            if between:
                return [(between[-1], 0.0)]
            antecedent = self._antecedent(index, types, start)
            if antecedent and antecedent.entity != subject.entity:
                return [(antecedent, 0.15)]
            after = after[:1]
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
        antecedent = self._antecedent(index, types)
        if antecedent and antecedent.entity != subject.entity:
            return [(antecedent, 0.2)]
        if spec.get("object_previous") == "pronoun" and not re.search(  # in a gapped trigger too
                r"(?<![\w])(?:them|those|these)(?![\w])", sentence.folded[start:end + 16]):
            return []  # only "described them as …": a pronoun stands for the people last named
        if spec.get("object_previous"):  # "China insists that the people it catches are …": those last named
            for back in range(index - 1, max(index - 6, -1), -1):
                people = [m for m in self.sentences[back].mentions if m.type in types and m.rule != "generic"]
                if people:
                    return [(people[-1], 0.25)]
        return []

    # stance --------------------------------------------------------------------------------------
    def _stance(self, sentence: Sentence, subject: Mention, start: int,
                spec_rule_of_text: bool = False, end: int | None = None) -> str | None:
        """asserts / alleges / denies; None: the relation is only asked for, forbidden or put
        aside ("should", "urged … to", "must … rather than deport", "States may not expel") — no
        claim. A modal or a negation counts within the trigger's clause (not across "but" or ";")."""
        clause = self._clause_start(sentence, start)
        modal_from = _last_words(sentence.folded, sentence.start, start, self.modal_window)
        if subject.end <= start and sentence.start <= subject.start:
            modal_from = min(modal_from, max(subject.end, clause))
        if sentence.has(self.modal, max(modal_from, clause), start):
            return None
        near = _last_words(sentence.folded, sentence.start, start, 3)
        if spec_rule_of_text:
            return "asserts"  # what a provision says: "prohibits", "may not expel" are its content
        if sentence.has(self.put_aside, max(near, clause), start) or sentence.has(
                self.prohibition, max(_last_words(sentence.folded, sentence.start, start, 4), clause), start):
            return None
        if _NONE_OPENING.fullmatch(sentence.folded, clause, start) or (
                end is not None and _NONE_AFTER.match(sentence.folded, end, sentence.end)):
            return "denies"  # "No North Korean has been returned by X", "X has deported no Uyghurs"
        window = _last_words(sentence.folded, max(subject.end, sentence.start), start, self.negation_window)
        for match in self.negation.finditer(sentence.folded, max(window, clause), start):
            if not sentence.folded.startswith(" only", match.end()):
                return "denies"
        relative = _RELATIVE_AFTER.search(sentence.folded, start, sentence.end)  # ", whom China accuses of …"
        brk = CLAUSE_BREAK.search(sentence.folded, start, sentence.end)
        ends = [m.start() for m in (relative, brk) if m] + [sentence.end]
        if sentence.has(self.allege, sentence.start, min(ends)):
            return "alleges"
        return "asserts"

    def _for_purpose(self, sentence: Sentence, start: int, end: int) -> bool:
        """Whether the trigger [start, end) is a noun of the act right after a word of purpose
        ("identified them for deportation", "pending removal"): the act intended, not done — though
        an instruction to that end still states the policy (hasPolicy is not asked)."""
        return bool(re.search(r"(?:ion|ions|al|als)$", sentence.folded[start:end]) and re.search(
            r"(?:" + self.purpose.pattern + r")\s+(?:(?:their|its|the|his|her|possible|eventual|forced)\s+)?$",
            sentence.folded[max(sentence.start, start - 40):start]))

    def _prospective(self, sentence: Sentence, subject: Mention, start: int) -> bool:
        """Whether the act at ``start`` is planned, threatened, possible or supposed, not done: a
        word of `stance.prospective` between its subject and it ("Thailand plans to deport",
        "China may repatriate"), or the trigger is the verb of an if/whether clause."""
        clause = self._clause_start(sentence, start)
        if clause <= subject.start and subject.end <= start:  # between the subject and the act
            low = subject.end
            if sentence.has(self.enabling, max(clause, _last_words(sentence.folded, sentence.start,
                                                                   subject.start, 3)), subject.start):
                return True  # "an agreement could allow Malaysia to deport …": possible, not done
        elif start <= subject.start < sentence.end:  # an agent after it ("… be returned by China"): its clause
            low = clause
        else:  # a subject in a sentence before ("It …"): the three words before the act
            low = max(clause, _last_words(sentence.folded, sentence.start, start, 3))
        aside = [m.span() for m in _ASIDE.finditer(sentence.folded, low, start)]  # ", which may …,"
        opening = _IF_OPENING.match(sentence.folded, sentence.start, start)  # "If X deports them, it will …"
        return any(not any(a <= m.start() < b for a, b in aside)
                   for m in self.prospective.finditer(self.plain, low, start)) \
            or bool(_CONDITIONAL.search(sentence.folded, max(clause, start - 40), start)) \
            or bool(opening and opening.end() <= start)

    def _denier(self, index: int, sentence: Sentence) -> tuple[Mention, int] | None:
        """Who denies, and where the denial ends: the last agent named before the denial verb,
        else the one a pronoun the sentence opens with stands for ("It denied that …")."""
        match = self.denial.search(sentence.folded, sentence.start, sentence.end)
        if not match:
            return None
        agents = [m for m in sentence.mentions if m.end <= match.start() and m.type in AGENT_TYPES]
        if not agents and _OPENING_PRONOUN.match(sentence.folded, sentence.start, match.start()):
            meant = self._antecedent(index, AGENT_TYPES, match.start())
            agents = [meant] if meant is not None else []
        return (agents[-1], match.end()) if agents else None

    def _located(self, group: Mention, state: str) -> Mention:
        """The registry's group of the same people in ``state`` when ``group`` is labelled as
        those in another state ("Afghans in Iran" → "Afghans in Pakistan" for Pakistan's act)."""
        if group.type != "Group":
            return group
        where = self._group_places.get(group.entity)
        if where is None or where[1] == state:
            return group
        other = self._groups_by_place.get((where[0], state))
        return Mention(group.start, group.end, other, "Group", group.rule) if other else group

    def _opens_paragraph(self, sentence: Sentence) -> bool:
        return self.text[max(0, sentence.start - 2):sentence.start].endswith("\n") or sentence.start == 0

    def _opens_with_pronoun(self, sentence: Sentence, spec: dict, start: int) -> bool:
        """Whether the sentence opens with "It"/"They" as the subject of the act at ``start``, with
        no other name of the subject's types before it ("It signed X in 1997 but has not ratified it")."""
        return bool(_OPENING_PRONOUN.match(sentence.folded, sentence.start, start)) and not any(
            m.type in spec.get("subject", []) and m.end <= start for m in sentence.mentions)

    def _date_of(self, sentence: Sentence, start: int, end: int, stop: int) -> str | None:
        return date_of(self.text, sentence, start, end, stop, self._clause_start(sentence, start))

    # rules ---------------------------------------------------------------------------------------
    def run(self) -> list[Candidate]:
        out: list[Candidate] = []
        if not any(s.mentions for s in self.sentences):
            return out  # no known entity: nothing to say
        for index, sentence in enumerate(self.sentences):
            if sentence.heading:
                continue  # a headline restates the story's claims; the sentences state them
            for figure in self._statistics(sentence):  # "the ministry said 196 …": stated by it
                speaker = self._speaker(sentence, Mention(-1, -1, "", "")) if sentence.mentions else None
                out.append(replace(figure, stated_by=speaker) if speaker else figure)
            if not sentence.mentions and not sentence.has(self.pronouns):
                continue  # no name and no pronoun: nothing to relate ("Its officials call them …" has)
            denier = self._denier(index, sentence)
            for rule in self.rules.relations:
                if rule.spec.get("rule") == "publishes":
                    out.extend(publications(self, sentence))
                    continue
                out.extend(self._apply(index, sentence, rule, denier))
        specific = {(c.start, c.subject, c.object, c.stance) for c in out
                    if c.predicate == "partyTo" and c.mode not in (None, "unspecified")}
        out = [c for c in out if not (c.predicate == "partyTo" and c.mode == "unspecified"
                                      and (c.start, c.subject, c.object, c.stance) in specific)]
        unique = {}
        for c in out:
            unique.setdefault((c.start, c.predicate, c.subject, c.object, str(c.value), c.min, c.max,
                               c.stance), c)
        return sorted(choose_policies(list(unique.values()), self),
                      key=lambda c: (c.start, c.predicate, c.subject, str(c.object), str(c.value), c.rule))

    def _next_dated(self, sentence: Sentence, end: int, stop: int) -> int:
        """Where the next trigger of any dated rule begins after ``end`` (the date of "acceded …
        in 1982, and ratified … in 1988" is 1982 for the accession)."""
        for rule in self.rules.relations:
            if rule.spec.get("date"):
                for start, _ in self._matches(sentence, rule):
                    if end < start < stop:
                        stop = start
        return stop

    def _matches(self, sentence: Sentence, rule: Rule) -> list[tuple[int, int]]:
        key = (sentence.start, rule.name)
        if key not in self._match_cache:
            self._match_cache[key] = self._find_matches(sentence, rule)
        return self._match_cache[key]

    def _find_matches(self, sentence: Sentence, rule: Rule) -> list[tuple[int, int]]:
        spans = set()
        for pattern, _, near in rule.triggers:
            for m in pattern.finditer(sentence.folded, sentence.start, sentence.end):
                if near is not None:  # "return*" counts only right before the people returned
                    reach = _words_after(sentence.folded, m.end(), sentence.end, near)
                    if not any(m.end() <= x.start < reach and x.type in ("Group", "Person")
                               for x in sentence.mentions) and not re.match(
                                   r"\s+(?:them|those|these|him|her)\b", sentence.folded[m.end():m.end() + 8]) \
                            and not _COUNTED_PEOPLE.match(sentence.folded, m.end(), reach + 30) \
                            and not self._by_state(sentence, m.end()):
                        continue
                spans.add((m.start(), m.end()))
        return sorted(a for a in spans  # "economic migrants" inside "illegal economic migrants"
                      if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans))

    def _by_state(self, sentence: Sentence, at: int) -> bool:
        """Whether "by" and a state follow ``at`` ("refugees … returned by the Chinese government")."""
        by = re.match(r"\s+by\s+(?:the\s+)?", sentence.folded[at:at + 12])
        return bool(by) and any(x.start == at + by.end() and x.type == "State" for x in sentence.mentions)

    def _apply(self, index: int, sentence: Sentence, rule: Rule, denier) -> list[Candidate]:
        spec = rule.spec
        if spec.get("requires") and not sentence.has(_cached_list(tuple(spec["requires"]))):
            return []
        if spec.get("unless") and sentence.has(_cached_list(tuple(spec["unless"]))):
            return []
        matches = self._matches(sentence, rule)
        if spec.get("continues") or spec.get("not_continuing"):  # "Those suspected … are sent to camps"
            continued = continues_return(self, index)
            if spec.get("not_continuing") and continued:
                return []
            matches = matches or ([(sentence.start, sentence.start)] if continued else [])
        out = []
        for number, (start, end) in enumerate(matches):
            if any(m.start <= start < m.end and m.type in NAMED_TYPES for m in sentence.mentions):
                continue  # a trigger inside a name ("Refugee Agency") is not a trigger
            stop = matches[number + 1][0] if number + 1 < len(matches) else sentence.end
            if re.search(r"[;]", self.text[end:stop]):
                stop = end + self.text[end:stop].index(";")
            brk = CLAUSE_BREAK.search(sentence.folded, end, stop)
            if brk:  # "is not a party to X but acceded to Y": X only
                stop = brk.start()
            if spec.get("date"):
                stop = self._next_dated(sentence, end, stop)
            if spec.get("not_as_ground") and self._as_ground(sentence, start):
                continue  # "condemned China for sending North Koreans back": the charge, not a report
            if spec.get("not_after") and sentence.has(_cached_list(tuple(spec["not_after"])), max(
                    self._clause_start(sentence, start), _last_words(sentence.folded, sentence.start, start, 3)), start):
                continue  # "Before they were deported, they were beaten": before the return, not after it
            if spec.get("not_policy_name") and names_the_policy(sentence, start, end, self.rules.policies):
                continue  # "China's policy of forced repatriation": the policy's name, not an act
            passive = spec.get("passive") and _PASSIVE.search(sentence.folded, max(sentence.start, start - 24), start)
            subjects = [] if passive else plural_subjects(self, index, spec, start)  # "X and Y were urged by Z": Z
            if subjects:
                penalty = 0.15
            else:
                subject, penalty = self._subject(index, spec, start, end)
                if spec.get("subject_id"):  # a policy's breach: a state the registry has that policy for
                    subject = policy_subject(self, index, spec, subject, start)
                subjects = [subject] if subject is not None else []
            for subject in subjects:
                out.extend(self._candidates(index, sentence, rule, denier, subject, penalty,
                                            start, end, stop, plural=len(subjects) > 1))
        return out

    def _as_ground(self, sentence: Sentence, start: int) -> bool:
        """Whether the trigger at ``start`` is what someone is condemned or accused for
        ("condemned Beijing for not only repatriating …", "accusing X of detainment")."""
        for match in self.grounds.finditer(sentence.folded, max(sentence.start, start - 90), start):
            if re.fullmatch(r"\s*(?:(?:not only|its|their|the|having|forcibly)\s+)*", sentence.folded[match.end():start]):
                return True
        return False

    def _speaker(self, sentence: Sentence, subject: Mention) -> str | None:
        """Who the sentence reports ("X said …", "…, X said.", "according to X"), if not the subject."""
        agents = [m for m in sentence.mentions if m.type in AGENT_TYPES]
        for match in self.reported.finditer(sentence.folded, sentence.start, sentence.end):
            word = match.group()
            if word.startswith("according"):
                after = [m for m in agents if 0 <= m.start - match.end() <= 6]
                if after:
                    return after[0].entity if after[0].entity != subject.entity else None
                continue
            before = [m for m in agents if 0 <= match.start() - m.end <= 4]
            if before and before[-1] != subject:
                return before[-1].entity
        return None

    def _candidates(self, index: int, sentence: Sentence, rule: Rule, denier, subject: Mention,
                    penalty: float, start: int, end: int, stop: int, plural: bool) -> list[Candidate]:
        spec = rule.spec
        out: list[Candidate] = []
        if True:
            stance = self._stance(sentence, subject, start, subject.type == "TreatyProvision", end)
            if stance is None or (stance == "denies" and not plural
                                  and not sentence.start <= subject.start < sentence.end
                                  and not self._opens_with_pronoun(sentence, spec, start)):
                return out  # asked for; or a negation whose subject is only a pronoun's antecedent
            if stance == "denies" and spec.get("none_if_denied"):
                return out  # "Uyghurs who were not deported remain in detention": no return, no consequence
            if spec.get("not_prospective") and (self._prospective(sentence, subject, start) or (
                    rule.predicate != "hasPolicy" and self._for_purpose(sentence, start, end))):
                return out  # "Thailand plans to deport …", "if it deported them": no act (yet)
            stated_by = subject.entity if spec.get("stated_by_subject") else self._speaker(sentence, subject)
            if denier and denier[1] <= start and spec.get("predicate") not in ("urges", "condemns"):
                stance, stated_by = "denies", denier[0].entity
            subject_id = subject.entity
            if spec.get("subject_id"):  # a policy's breach: the state's policy of that kind
                subject_id = state_policy(self.entities, spec["subject_id"], subject.entity,
                                          spec.get("policy_words"))
                if subject_id is None:
                    return out
            label = None
            if spec.get("object_id"):
                object_id = state_policy(self.entities, spec["object_id"], subject.entity,
                                         spec.get("policy_words"))
                objects = [(Mention(start, end, object_id, "Policy"), 0.0)] if object_id else []
            else:
                label = quoted_label(self.plain, end, stop) if spec.get("value") == "quoted" else None
                if spec.get("value") == "quoted" and label is None:
                    return out  # "called defectors \"human scum\"": a label only in quotation marks
                objects = self._objects(index, rule, spec, subject, start, end, label[1] if label else stop)
                if spec.get("passive") and subject.start >= end and _PASSIVE.search(
                        sentence.folded, max(sentence.start, start - 24), start):
                    patient = [m for m in sentence.mentions if m.type in spec.get("object", []) and m.end <= start
                               and m.start >= self._clause_start(sentence, start) and m.entity != subject.entity]
                    joined = coordinated(sentence, self._clause_start(sentence, start), start)
                    objects = [(m, 0.0) for m in joined] if len(joined) > 1 and joined[-1] == patient[-1] \
                        else [(next((m for m in patient if m.type == "State"), patient[-1]), 0.0)] if patient \
                        else objects  # "Thailand was criticised by X"; "China's view that North Koreans … was criticised": China
            if not objects and spec.get("implies"):
                objects = implied(self, index, spec, start)
            if spec.get("this_duty"):  # "violates this duty": the obligation the sentence before names
                objects += [(m, 0.15) for m in referred_obligations(self, index)
                            if m.entity not in {o.entity for o, _ in objects}]
            if subject.type == "State":  # "Pakistan expelled Afghans": the Afghans in Pakistan
                objects = [(self._located(obj, subject.entity), extra) for obj, extra in objects]
            for obj, extra in objects:
                fields: dict[str, Any] = {}
                if spec.get("mode"):
                    fields["mode"] = spec["mode"]
                if spec.get("value") == "trigger":
                    fields["value"] = self.text[start:end].strip(" \"'“”‘’.,")
                if label is not None:
                    fields["value"] = label[0]
                if spec.get("date"):
                    dated_stop = self._next_dated(sentence, end, stop)
                    fields["date"] = self._date_of(sentence, start, end, dated_stop)
                    if obj.start >= end and len(objects) > 1:  # "joined X in 1951 and Y in 1967": each its own
                        later = [o.start for o, _ in objects if o.start > obj.start and o.entity != obj.entity]
                        own = dates_in(self.text, sentence, obj.end, min(later + [dated_stop]))
                        counted = None if own else counted_date(self.text, sentence, obj.end,
                                                                min(later + [dated_stop]), obj.start)
                        fields["date"] = own[0][1] if own else counted or fields["date"]
                if spec.get("topic"):
                    topic = [m for m in sentence.mentions if m.start >= max(obj.end, end)
                             and m.type in spec["topic"] and m.entity not in (subject_id, obj.entity)]
                    if topic:
                        fields["topic"] = topic[0].entity
                out.append(Candidate(
                    subject=subject_id, predicate=rule.predicate, object=obj.entity,
                    quote=self.text[sentence.start:sentence.end], start=sentence.start,
                    end=sentence.end, rule=rule.name, stance=stance, stated_by=stated_by,
                    confidence=round(max(0.05, float(spec.get("confidence", 0.7)) - penalty - extra), 2),
                    **fields))
                self.triggers[out[-1]] = (start, end)
        return out

    def _statistics(self, sentence: Sentence) -> list[Candidate]:
        from .numbers import statistics
        return statistics(self, sentence)


def extract_all(text: str, registry: Iterable[Entity], *, source_id: str,
                rules: Rules | None = None) -> Extraction:
    """Candidates, proposed new entities and the registry mentions of ``text``."""
    rules = rules or load_rules()
    extractor = _Extractor(text, registry, rules, source_id)
    from .numbers import new_entities
    mentions = [m for s in extractor.sentences for m in s.mentions]
    seen = set(mentions)
    mentions.extend(m for m in extractor.linked if m not in seen)
    for report in [m for m in mentions if m.type == "Report"]:  # "the 2014 U.N. Commission … report"
        mentions.extend(m for m in extractor.agents.find(text, report.start, report.end,
                                                                extractor.folded, extractor.plain)
                        if (m.start, m.end) != (report.start, report.end))
    mentions = tuple(sorted(set(mentions), key=lambda m: (m.start, m.end, m.entity)))
    return Extraction(tuple(extractor.run()), tuple(new_entities(extractor)), mentions, text)


def extract(text: str, registry: Iterable[Entity], *, source_id: str,
            rules: Rules | None = None) -> tuple[Candidate, ...]:
    """The candidate claims ``text`` states, sorted by position. Deterministic."""
    return extract_all(text, registry, source_id=source_id, rules=rules).candidates
