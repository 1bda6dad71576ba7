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
from .arguments import PATIENT, UNNAMED_PEOPLE, find_objects, find_subject, patients_of_context
from .clauses import NONE_OPENING, PASSIVE
from .dates import counted_date, date_of, dates_in
from .found import Candidate, Extraction, Mention, Sentence
from .harms import continues_return
from .references import AGENT_TYPES, antecedent
from .obligations import implied, policy_subject, referred_obligations
from .linking import Gazetteer, back_references, companion_treaties, demonyms_named, link, state_organs
from .policies import choose_policies, is_states_policy, names_the_policy, state_policy
from .provisions import find_provisions, publications
from .rulefile import Rule, Rules, _cached_list, _compile_list, load_rules
from .stance import enabled, find_denier, for_purpose, is_prospective, opens_with_pronoun, stance_of
from .subjects import coordinated, plural_subjects
from .text import CLAUSE_BREAK, FOLD_TABLE, fold, is_heading, last_words, quoted_label, sentences

NAMED_TYPES = {"Person", "IntergovernmentalOrganization", "GovernmentBody", "NGO", "State", "Report",
               "Treaty", "Declaration", "DomesticLaw", "Place", "TreatyProvision", "Event"}
_PREFIX = r"[\w'-]*"  # what a prefix trigger ("deport*") ends with (text.phrase_regex)
_COUNTED_PEOPLE = re.compile(r"\s+(?:about |some |at least |more than |over |nearly |around |almost )?"
                             r"(?:[\d,.]+(?: million| thousand)?|(?:tens of |hundreds of )?(?:thousands|hundreds|dozens|scores) of"
                             r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty)\s+"
                             r"(?:[a-z-]+\s+){0,2}?(?:people|nationals|refugees|migrants|men|women|"
                             r"children|asylum[ -]seekers|persons|individuals|them|those)\b")
# a date a sentence opens with, comma or not ("In October 2018 India …", "On 7 May 2019, …")
_DATE_OPENING = (r"(?:in|on|since|by|during|from|until|between)\s+(?:early\s+|late\s+|mid-)?(?:\d{1,2}\s+)?"
                 r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)"
                 r"\s+(?:\d{1,2},?\s+)?)?(?:\d{4}|the\s+\d{4}s)(?:\s+and\s+(?:\S+\s+){0,2}?\d{4})?,?\s+")
_WHERE = re.compile(r"(?<![\w])(?:in|from|at|near|outside|via|into|through|around|across|between|of)\s+$")
# after a word of relations or requests, up to a capital: "between [Bangkok and ]", "from [the Kremlin and ]"
_SEAT_AFTER = re.compile(r"\s+(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}\s*(?:,\s*|\s+)(?:and|or)\s+)?")
# after a noun of the act: the act is to come ("Deportations of Afghans could resume", "the returns are expected to begin")
_NOUN_TO_COME = re.compile(r"(?:\s+(?:of|to|from|by|in)\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}?)?\s+(?:could|would|will|may|might|"
                           r"are expected to|is expected to|are set to|is set to|are due to|is due to|are planned to|are to)\s+"
                           r"(?:\w+ly\s+)?(?:resume|begin|start|restart|continue|follow|take place|go ahead|happen)\b")
_COURT_WORDS = re.compile(r"(?<![\w])(?:court|courts|judgment|judgments|judges|ruling|rulings|ruled|case law|strasbourg|"
                          r"the hague)(?![\w])")
# the people a return was done to, named by it: "those expelled", "some of the deportees"
_RETURNED_PEOPLE = re.compile(r"(?<![\w])(?:(?:those|the people|the men|the women|the refugees|the migrants)\s+(?:\w+ly\s+)?"
                              r"(?:expelled|returned|deported|removed|sent back|pushed back|handed over|repatriated)"
                              r"|returnees|deportees)(?![\w])")
# a participle right after the people, then "from" or "to" ("women repatriated from China are …"): a reduced
# relative naming the people by their return
_REDUCED_RELATIVE = re.compile(r"(?:\w+ly\s+)?\w+(?:ed|en)\s+(?:from|to)\s")
# the people a harm is named of, as those returned: "the torture of returnees"
_OF_RETURNEES = re.compile(r"\s+of\s+(?:the\s+)?(?:returnees|deportees|those returned|those deported|those sent back)(?![\w-])")
# a relative clause's verb: "some who asked for them", "those that called for …"
_RELATIVE_BEFORE = re.compile(r"(?<![\w])(?:who|that)\s+(?:(?:had|have|has)\s+)?(?:\w+ly\s+)?$")
_PEOPLE_NOUN_BEFORE = re.compile(r"(?<![\w])(?:people|persons|refugees|migrants|men|women|children|individuals|asylum[ -]seekers)\s+(?:\w+ly\s+)?$")
# people asked to do something: "urged all states to respect", "called on the Venezuelans not to leave"
_ASKED_TO = re.compile(r"(?:\s*,)?\s+(?:(?:\w+ly|also|again|instead)\s+)?(?:not\s+)?to\s+[a-z]")
_INDEFINITE = re.compile(r"(?<![\w])(?:a|an|another)\s+$")
# a verb right after a name: the name acts ("Seoul sent", "Seoul could have tried them")
_ACTS_AFTER = re.compile(r"\s+(?:[a-z]+ed|sent|took|gave|made|sought|kept|held|could|would|should|has|had|have|"
                         r"will|may|might|must|did|does|says|said|denies|insists|argues|maintains|wants)\b")
_WHERE_LISTED = re.compile(r"(?<![\w])(?:in|from|at|near|outside|via|into|through|around|across|between|of)\s+"
                           r"(?:[A-Z][\w'-]*\s+){0,2}[A-Z][\w'-]*\s*(?:,\s*|\s+)(?:and|or)\s+$")


# --- extraction ----------------------------------------------------------------------------------

def _words_after(folded: str, start: int, end: int, count: int) -> int:
    """Offset where the ``count`` words after ``start`` end (not after ``end``)."""
    match = re.match(r"(?:\s*\S+){0,%d}" % count, folded[start:end])
    return start + (match.end() if match else 0)


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
        nobody = "|".join(re.escape(w) for w in st.get("denied_people", []))
        self.denied_people = re.compile(r"\s+(?:" + nobody + r")(?![\w-])") if nobody else None
        unnamed = "|".join(re.escape(w) for w in st.get("characterised_people", []))
        # "X is sending people back to …": a present-progressive verb of the act on people no name
        # names characterises a conduct, it reports no return (nor states the policy)
        self.characterised = re.compile(r"(?:is|are)\s+(?:\w+ly\s+)?$") if unnamed else None
        self.unnamed_people = re.compile(r"\w+ing\s+(?:" + unnamed + r")(?![\w-])") if unnamed else None
        linked = link(text, self.gazetteer, self.folded, self.plain,
                      {e.id: e.label for e in self.entities.values() if e.type == "Group"})
        seat = _compile_list(rules.linking.get("capital_as_government", []))
        linked = [m for m in linked if self.folded[m.start:m.end] not in self.capitals or not (_WHERE.search(
            self.folded, max(0, m.start - 12), m.start) or _WHERE_LISTED.search(text, max(0, m.start - 50), m.start))
            or any(_SEAT_AFTER.fullmatch(text, w.end(), m.start)
                   for w in seat.finditer(self.folded, max(0, m.start - 60), m.start))]
        # … but "talks between Bangkok and Hanoi", "a request from Moscow": the governments seated there
        # "flights from Cairo", "camps in Kabul", "districts of Santo Domingo and Santiago": the city
        seated = {fold(k): v for k, v in rules.linking.get("capitals", {}).items() if v in self.entities}
        linked = [replace(m, entity=seated[self.folded[m.start:m.end]], type="State", rule="capital")
                  if m.type == "Place" and self.folded[m.start:m.end] in seated and _ACTS_AFTER.match(text, m.end)
                  and not _WHERE.search(self.folded, max(0, m.start - 12), m.start) else m for m in linked]
        # a registry city that seats a government, acting ("When Seoul sent two fishermen back"): the state
        seats = {fold(k) for k in rules.linking.get("court_seats", [])}
        linked = [m for m in linked if self.folded[m.start:m.end] not in seats or not _COURT_WORDS.search(
            self.folded, max(0, m.start - 30), min(len(text), m.end + 30))]
        # "from Strasbourg to Luxembourg", "the Luxembourg judgment": the court seated there, not the state
        linked = [m for m in linked if not (m.type in NAMED_TYPES and text[m.start:m.end].islower() and _INDEFINITE.search(
            self.folded, max(0, m.start - 10), m.start))]  # "signed a bilateral agreement": another one of its kind
        places = [p.span() for p in _compile_list(rules.linking.get("place_names", [])).finditer(self.folded)]
        linked = [m for m in linked if not (m.type == "State" and any(  # "Port of Spain": a city, not Spain
            a <= m.start and m.end <= b and (a, b) != (m.start, m.end) for a, b in places))]
        linked = sorted(linked + state_organs(text, linked, rules, set(self.entities)),
                        key=lambda m: (m.start, m.entity))
        linked = sorted(linked + back_references(text, self.folded, linked, rules, self.entities),
                        key=lambda m: (m.start, m.entity))
        linked = sorted(linked + companion_treaties(text, self.folded, linked, rules, self.entities),
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
        self.last_actor: Mention | None = None  # the state of the last act reported (agent_of_context)
        self.last_patient: Mention | None = None  # … and whom it was done to
        self.triggers: dict[Candidate, tuple[int, int]] = {}  # each candidate's trigger span
        self._match_cache: dict[tuple[int, str], list[tuple[int, int]]] = {}
        # nouns of the people acted on ("deportees", "returnees", "detainees"): never a prefix trigger's act
        self._people_nouns = frozenset(fold(w) for w in rules.numbers.get("acted_on_nouns", []))

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
            if not sentence.mentions and not sentence.has(self.pronouns) and not (
                    self.last_actor is not None and sentence.has(PATIENT)):
                continue  # no name, no pronoun, no "Most of the deportees": nothing to relate ("Its officials call them …" has)
            denier = find_denier(self, index, sentence)
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
                               c.stance, c.mode), c)  # "signed it in 2013 and ratified it in 2019": two facts
        return sorted(choose_policies(list(unique.values()), self), key=candidate_order)

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
        nouns = self._people_nouns
        for pattern, _, near in rule.triggers:
            for m in pattern.finditer(sentence.folded, sentence.start, sentence.end):
                if nouns and m.group() in nouns and _PREFIX in pattern.pattern:
                    continue  # "deport*" in "called the deportees …": the people, not the act
                if near is not None:  # "return*" counts only right before the people returned
                    reach = _words_after(sentence.folded, m.end(), sentence.end, near)
                    if not any(m.end() <= x.start < reach and x.type in ("Group", "Person")
                               for x in sentence.mentions) and not re.match(
                                   r"\s+(?:them|those|these|him|her)\b", sentence.folded[m.end():m.end() + 8]) \
                            and not _COUNTED_PEOPLE.match(sentence.folded, m.end(), reach + 30) \
                            and not (rule.spec.get("near_unnamed") and UNNAMED_PEOPLE.match(sentence.folded, m.end(), reach + 30)) \
                            and not self._denied_people(sentence, m.start(), m.end()) \
                            and not self._none_passive(sentence, m.start(), m.end()) \
                            and not self._by_state(sentence, m.end()) \
                            and not (rule.spec.get("agent_from") and self._people_from_state(sentence, m.start(), m.end())):
                        continue
                spans.add((m.start(), m.end()))
        return sorted(a for a in spans  # "economic migrants" inside "illegal economic migrants"
                      if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans))

    def _people_from_state(self, sentence: Sentence, start: int, end: int) -> bool:
        """Whether people come right before and "from" a state right after ("40,000 Ethiopians
        returned from Saudi Arabia")."""
        return re.fullmatch(r"\w+(?:ed|en|t)", sentence.folded[start:end]) is not None and any(
            m.type in ("Group", "Person") and re.fullmatch(r"\s*(?:\w+ly\s+)?", sentence.folded[m.end:start])
            for m in sentence.mentions) and any(m.type == "State" and re.fullmatch(
                r"\s+from\s+(?:the\s+)?", sentence.folded[end:m.start]) for m in sentence.mentions)

    def _none_passive(self, sentence: Sentence, start: int, end: int) -> bool:
        """Whether the trigger at ``start`` is a passive whose subject is no one ("that no victim had
        been removed", "No refugee is returned"): a denial, though no people follow it — not one
        qualified ("no one is returned without a review": how returns are done, no denial)."""
        if re.match(r"\s+(?:[\w-]+\s+){0,2}?(?:without|unless|before|until)\b", sentence.folded[end:end + 40]):
            return False
        said = [m.end() for m in re.finditer(r"(?<![\w])that\s", sentence.folded[sentence.start:start])]
        opening = sentence.start + said[-1] if said else self._clause_start(sentence, start)
        return bool(NONE_OPENING.fullmatch(sentence.folded, opening, start))

    def _denied_people(self, sentence: Sentence, start: int, end: int) -> bool:
        """Whether a negated act is done to no one in particular ("does not return anyone to danger",
        "has never extradited any refugee"): a denial of the acts the text reports (stance.denied_people)."""
        if self.denied_people is None or not self.denied_people.match(sentence.folded, end):
            return False
        before = sentence.folded[last_words(sentence.folded, sentence.start, start, self.negation_window):start]
        # "had never before returned anyone": a first time, no denial; "talks failed to return a single
        # refugee": a failure (or a wait: "yet to"), no denial of the acts reported
        return any(not before.startswith(" before", m.end()) and not re.match(r"(?:fail|yet\b)", m.group())
                   for m in self.negation.finditer(before))

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
            if self.folded.startswith("arrival", end - 7) and re.match(r"\s+(?:in|at)\s+(?:the\s+)?[A-Z]", self.text[end:end + 12]) \
                    and rule.predicate == "facesOnReturn":
                continue  # "detained on arrival in Malaysia": arriving where they fled to, not returned
            if rule.predicate == "facesOnReturn" and self.folded.startswith("back in", start) and \
                    not re.match(r"\s+(?:the\s+)?[A-Z]", self.text[end:end + 6]):
                continue  # "back in 2019", "back in the day": no place they were sent back to
            if spec.get("unless_after") and sentence.has(_cached_list(tuple(spec["unless_after"])), end):
                continue  # "signed it in 1997 but has not ratified it": the ratification denied only
            if spec.get("not_as_ground") and self._as_ground(sentence, start):
                continue  # "condemned China for sending North Koreans back": the charge, not a report
            if spec.get("not_after") and sentence.has(_cached_list(tuple(spec["not_after"])), max(
                    self._clause_start(sentence, start), last_words(sentence.folded, sentence.start, start, 3)), start):
                continue  # "Before they were deported, they were beaten": before the return, not after it
            if spec.get("not_policy_name") and names_the_policy(sentence, start, end, self.rules.policies):
                continue  # "China's policy of forced repatriation": the policy's name, not an act
            passive = spec.get("passive") and PASSIVE.search(sentence.folded, max(sentence.start, start - 24), start)
            subjects = [] if passive else plural_subjects(self, index, spec, start)  # "X and Y were urged by Z": Z
            if subjects:
                penalty = 0.15
            else:
                subject, penalty = find_subject(self, index, spec, start, end)
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
            stance = stance_of(self, sentence, subject, start, subject.type == "TreatyProvision", end,
                               request=bool(spec.get("coordinated_request")))
            if stance is None or (stance == "denies" and not plural
                                  and not sentence.start <= subject.start < sentence.end
                                  and not opens_with_pronoun(self, sentence, spec, start)):
                return out  # asked for; or a negation whose subject is only a pronoun's antecedent
            if stance == "denies" and spec.get("none_if_denied"):
                return out  # "Uyghurs who were not deported remain in detention": no return, no consequence
            if spec.get("not_prospective") and (is_prospective(self, sentence, subject, start) or (
                    (rule.predicate != "hasPolicy" or sentence.has(self.modal, sentence.start, start))
                    and for_purpose(self, sentence, start, end))):
                return out  # "Thailand plans to deport …", "if it deported them": no act (yet); "urged X to
                # let UNHCR see every refugee held for deportation": a purpose inside a request, no policy
            if spec.get("not_prospective") and re.search(r"(?:ions?|als?)$", self.folded[start:end]) and _NOUN_TO_COME.match(
                    self.folded, end, stop):
                return out  # "Deportations of Afghans could resume next month": none yet
            if rule.predicate in ("repatriates", "hasPolicy") and any(
                    m.start() < start and m.end() == end for m in _RETURNED_PEOPLE.finditer(
                        self.folded, max(sentence.start, start - 24), min(sentence.end, end + 12))):
                return out  # "… said that those deported were economic migrants": the people named, no act
            if rule.predicate == "hasPolicy" and _REDUCED_RELATIVE.match(self.folded, start) and (any(
                    m.type in ("Group", "Person") and re.fullmatch(r"\s*", self.folded[m.end:start]) for m in sentence.mentions)
                    or _PEOPLE_NOUN_BEFORE.search(self.folded, max(sentence.start, start - 30), start)):
                return out  # "women repatriated from China are held …": the people, described by their return
            if rule.predicate in ("repatriates", "hasPolicy") and self.characterised is not None and \
                    self.characterised.search(self.folded, max(sentence.start, start - 20), start) and \
                    self.unnamed_people.match(self.folded, start):
                return out  # "X is sending people back to a country where …": a characterisation, no act
            if spec.get("not_prospective") and rule.predicate != "hasPolicy" and enabled(sentence, start):
                if spec.get("agent_of_context") and subject.type == "State":
                    self.last_actor = subject  # its rules let it act: the state an agentless passive after means
                return out  # "the law allows the authorities to deport …": the policy, no act
            relative = _RELATIVE_BEFORE.search(self.folded, max(sentence.start, start - 24), start)
            if rule.predicate == "urges" and relative and not re.fullmatch(r"\s*,?\s*", self.folded[subject.end:relative.start()]):
                return out  # "some who asked for them were issued passports": the people of a relative ask
            if rule.predicate == "urges" and subject.start < start and re.match(
                    r"\s+to\s+(?!the\b|a\b|an\b)[a-z]", self.folded[end:end + 12]) and re.fullmatch(r"\w+ed", self.folded[start:end]):
                return out  # "… are sent to centres and urged to leave": they are urged, by someone unnamed
            if rule.predicate in ("arrests", "repatriates") and subject.type == "State" and self.last_actor is not None \
                    and subject.entity != self.last_actor.entity and _RETURNED_PEOPLE.search(
                        sentence.folded, self._clause_start(sentence, start), end):
                return out  # "Some of those expelled were detained by Syrian police": met where they were sent
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
                if label is not None and spec.get("quote_right_after") and self.plain[end:label[1]].strip():
                    label = None  # "the workers were \"illegal expatriates\"": the quotation right after the verb
                if spec.get("value") == "quoted" and label is None:
                    return out  # "called defectors \"human scum\"": a label only in quotation marks
                objects = find_objects(self, index, rule, spec, subject, start, end, label[1] if label else stop)
                if spec.get("passive") and subject.start >= end and PASSIVE.search(
                        sentence.folded, max(sentence.start, start - 24), start):
                    patient = [m for m in sentence.mentions if m.type in spec.get("object", []) and m.end <= start
                               and m.start >= self._clause_start(sentence, start) and m.entity != subject.entity]
                    joined = coordinated(sentence, self._clause_start(sentence, start), start)
                    objects = [(m, 0.0) for m in joined] if len(joined) > 1 and joined[-1] == patient[-1] \
                        else [(next((m for m in patient if m.type == "State"), patient[-1]), 0.0)] if patient \
                        else objects  # "Thailand was criticised by X"; "China's view that North Koreans … was criticised": China
            if subject.rule == "context" and not spec.get("object_id"):  # "Many were later deported": the people before it, or last named
                objects = patients_of_context(self, index, spec.get("object", []), start)
            elif not objects and stance == "denies" and spec.get("agent_of_context") and (re.search(
                    r"(?<![\w])(?:any|anyone|anybody|any of (?:them|the \w+)|no|no one|nobody)(?:\s+[\w-]+){0,3}?"  # "any recognised refugee"
                    r"(?:\s+(?:who|that)\s+(?:[\w-]+\s+){1,5}?[\w-]+)?"  # "anyone who asked for protection has been …"
                    r"\s+(?:(?:was|were|is|are|had been|has been|have been)\s+)?$",
                    sentence.folded[max(sentence.start, start - 70):start]) or re.match(
                        r"\s+(?:anyone|anybody|any (?:of (?:them|the \w+)|\w+))(?![\w])", sentence.folded[end:end + 30])
                    or re.search(r"\s(?:anyone|anybody)\s", sentence.folded[start:end])  # "sends anyone back"
                    or (self.denied_people is not None and (self.denied_people.search(  # "has never sent a
                        sentence.folded, start, end) or self.denied_people.match(sentence.folded, end)))
                    # refugee back to danger", "has not returned a single asylum seeker": no one in particular
                    or UNNAMED_PEOPLE.match(sentence.folded, end, min(stop, end + 60))):  # "does not deport children"
                objects = patients_of_context(self, index, spec.get("object", []), start)  # "denied that any refugee was returned"
            if spec.get("own_policy"):  # "the practice of pushbacks by the Greek authorities": Greece's
                objects = [(o, extra) for o, extra in objects if is_states_policy(self.entities, o.entity, subject.entity)]
            if not objects and spec.get("implies"):
                objects = implied(self, index, spec, start)
            if spec.get("this_duty"):  # "violates this duty": the obligation the sentence before names
                objects += [(m, 0.15) for m in referred_obligations(self, index)
                            if m.entity not in {o.entity for o, _ in objects}]
            if subject.type == "State":  # "Pakistan expelled Afghans": the Afghans in Pakistan
                objects = [(self._located(obj, subject.entity), extra) for obj, extra in objects]
            if rule.predicate == "urges":  # "demanded their return": the act asked for, no one asked
                objects = [(o, x) for o, x in objects if o.type != "Group" or _ASKED_TO.match(self.folded, o.end)]
            for obj, extra in objects:
                owner = subject_id
                if rule.predicate == "facesOnReturn" and obj.type == "Harm" and self.last_patient is not None \
                        and _OF_RETURNEES.match(self.folded, obj.end):
                    owner = self.last_patient.entity  # "… and that the torture of returnees was systematic":
                    # the harm of the returned, not of the narrower people the sentence named before
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
                    subject=owner, predicate=rule.predicate, object=obj.entity,
                    quote=self.text[sentence.start:sentence.end], start=sentence.start,
                    end=sentence.end, rule=rule.name, stance=stance, stated_by=stated_by,
                    confidence=round(max(0.05, float(spec.get("confidence", 0.7)) - penalty - extra), 2),
                    **fields))
                self.triggers[out[-1]] = (start, end)
                if spec.get("agent_of_context") and stance == "asserts" and subject.type == "State" and obj.type in ("Group", "Person"):
                    self.last_actor, self.last_patient = subject, obj
        return out

    def _statistics(self, sentence: Sentence) -> list[Candidate]:
        from .numbers import statistics
        return statistics(self, sentence)


def candidate_order(c: Candidate) -> tuple:
    """The order candidates are given in: by position, then by what they say."""
    return (c.start, c.predicate, c.subject, str(c.object), str(c.value), c.rule)


def extract_all(text: str, registry: Iterable[Entity], *, source_id: str,
                rules: Rules | None = None) -> Extraction:
    """Candidates, proposed new entities and the registry mentions of ``text``."""
    rules = rules or load_rules()
    extractor = _Extractor(text, registry, rules, source_id)
    from .proposals import new_entities
    mentions = [m for s in extractor.sentences for m in s.mentions]
    seen = set(mentions)
    mentions.extend(m for m in extractor.linked if m not in seen)
    mentions.extend(demonyms_named(text, mentions, rules, set(extractor.entities)))  # "Afghan refugees": Afghanistan
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
