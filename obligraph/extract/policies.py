"""A policy is a standing fact of an article, not of a sentence (issue 21).

Curators record a state's policy once per article (`hasPolicy`, one claim with one or two quotes),
while they record every act the text reports (`repatriates`, each with its date). The rules
propose a policy wherever an act or a classification of its kind is stated; here those proposals
are narrowed to what a curator records (rules.yaml `policies`, and per rule `once`,
`never_denied`, `people_of_act`):

- `never_denied`: a denied or negated act ("denied that anyone had been sent back") is the act's
  denial (repatriates, denies), not a denied policy — unless the denial names the policy ("denied
  that it has a policy of forced repatriation");
- `people_of_act`: a state's returns of one people are no sign of its policy towards another
  ("Thailand's forced repatriation of Uyghurs" is not shown by "Thailand has deported some
  [Rohingya]"): the people the sentence's act names must be the policy's (the words after "of"
  in its label), unless the policy names people generically ("of refugees");
- `once`: one proposal per (state, policy) and article, on the sentence that states it best —
  one that names it a policy or practice ("policy of", "the decision to"), else one whose clause
  says it is standing ("routinely", "continues to", "since the 1990s", "all undocumented …"),
  else one that reports no single act, else the first. A single act — dated to a day or month,
  counted, "last week", "these men" ("On 9 October China returned about 600 North Koreans") —
  ranks below any other statement of the same policy, but stands for it when the article states
  it no other way: curators record it so (dev d01, d02, d07, d09, d10). An agentless passive
  ("The men were later deported"), its state read from the context, ranks below all of these."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Protocol

from ..corpus.model import Entity
from .clauses import PASSIVE
from .dates import dates_in
from .found import Candidate, Sentence
from .rulefile import Rules, _cached_list
from .text import CLAUSE_BREAK, fold


class PolicyReading(Protocol):
    """What this module reads of the extraction (candidates._Extractor)."""

    rules: Rules
    entities: dict[str, Entity]
    sentences: list[Sentence]
    triggers: dict[Candidate, tuple[int, int]]

    def _clause_start(self, sentence: Sentence, at: int) -> int: ...


def choose_policies(candidates: list[Candidate], reading: PolicyReading) -> list[Candidate]:
    specs = {r.name: r.spec for r in reading.rules.relations}
    settings = reading.rules.policies
    sentences = {s.start: s for s in reading.sentences}
    acts: dict[tuple[str, int, str], list[Candidate]] = defaultdict(list)  # by predicate, sentence, subject
    for candidate in candidates:
        if candidate.object:
            acts[(candidate.predicate, candidate.start, candidate.subject)].append(candidate)

    def rank(candidate: Candidate) -> int:
        return _rank(candidate, sentences[candidate.start], reading, settings)

    kept = []
    for candidate in candidates:
        spec = specs.get(candidate.rule, {})
        if spec.get("never_denied") and candidate.stance == "denies" and rank(candidate) != 0:
            continue  # a denied act; but "denied that it has a policy of forced repatriation" is kept
        if spec.get("people_of_act") and not _people_agree(
                candidate, acts[(spec["people_of_act"], candidate.start, candidate.subject)], reading, settings):
            continue
        kept.append(candidate)
    best: dict[tuple[str, str | None], tuple[tuple[int, int], Candidate]] = {}
    for candidate in kept:
        if specs.get(candidate.rule, {}).get("once"):
            key = (candidate.subject, candidate.object, candidate.stance)  # a denial of it is another fact
            order = (rank(candidate), candidate.start)
            if key not in best or order < best[key][0]:
                best[key] = (order, candidate)
    chosen = {id(c) for _, c in best.values()}
    return [c for c in kept if not specs.get(c.rule, {}).get("once") or id(c) in chosen]


def _rank(candidate: Candidate, sentence: Sentence, reading: PolicyReading, settings: dict) -> int:
    """0: the clause names a policy or practice; 1: it says the conduct is standing; 3: it reports a
    single act (a day or month, "last week", a count of people, "these men"); 2: none of these;
    4: an agentless passive, its state read from the context, or a sentence naming its state only by a
    bare organ that refers back ("border guards", "police": `referred_organs`)."""
    start, end = reading.triggers.get(candidate, (sentence.start, sentence.end))
    if not any(m.entity == candidate.subject for m in sentence.mentions) and PASSIVE.search(
            sentence.folded, max(sentence.start, start - 24), start):
        return 4  # an agentless passive ("The children were later deported"): its agent is the context's
    organs = tuple(settings.get("referred_organs", []))
    own = [m for m in sentence.mentions if m.entity == candidate.subject]
    if organs and own and all(m.rule == "back-reference" and sentence.folded[m.start:m.end].endswith(organs)
                              for m in own):
        return 4  # the state only by a bare organ referring back ("… found that border guards had …")
    clause_start = reading._clause_start(sentence, start)
    clause_end = _clause_end(sentence, end)
    for tier, words in enumerate((settings.get("names_policy", []), settings.get("standing", []))):
        if words and sentence.has(_cached_list(tuple(words)), clause_start, clause_end):
            return tier
    single = settings.get("single_act", [])
    frame = _FRAME.search(sentence.folded, end, clause_end)
    single_end = frame.start() if frame else clause_end  # "…, Human Rights Watch said in a report released today"
    if (single and sentence.has(_cached_list(tuple(single)), clause_start, single_end)) \
            or any("-" in date for _, date in dates_in(sentence.text, sentence, clause_start, clause_end)) \
            or _COUNT.search(sentence.folded, clause_start, clause_end):
        return 3
    return 2


# the frame of a report closing the sentence (", X said in a report released today"): its day is the
# report's, not the act's
_FRAME = re.compile(r",\s+[^,;]{0,80}?(?<![\w])(?:said|says|reported|reports|announced|stated|found)(?![\w])[^,;]*?[.!?\"”]*\s*$")
_COUNT = re.compile(r"(?<![\w,.])(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"twenty|thirty|forty|fifty|hundreds|dozens)\s+(?:[a-z-]+\s+){0,3}?(?:people|persons|refugees|"
                    r"migrants|men|women|children|defectors|nationals|koreans|uyghurs|uighurs|rohingya|"
                    r"asylum[ -]seekers|escapees|individuals)\b")


def names_the_policy(sentence: Sentence, start: int, end: int, settings: dict) -> bool:
    """Whether the trigger [start, end) is a noun naming a policy ("its policy of forced
    repatriation", "the practice of deportation"): the policy's name, not a report of an act
    (a gerund, "a policy of forcibly repatriating refugees", still reports the act)."""
    words = settings.get("names_policy", [])
    if not words or not re.search(r"(?:ion|ions|al|als)$", sentence.folded[start:end]):
        return False
    lead = _cached_list(tuple(words))
    return any(re.fullmatch(r"\s*(?:[\w-]+\s+)?", sentence.folded[m.end():start])
               for m in lead.finditer(sentence.folded, max(sentence.start, start - 40), start))


def _clause_end(sentence: Sentence, at: int) -> int:
    found = CLAUSE_BREAK.search(sentence.folded, at, sentence.end)
    return found.start() if found else sentence.end


def _people_agree(policy: Candidate, acts: list[Candidate], reading: PolicyReading, settings: dict) -> bool:
    """Whether the people this sentence's acts (same subject) name are the policy's; True when the
    acts name no one or the policy's label names no people or names them generically."""
    entity = reading.entities.get(policy.object or "")
    if not acts or entity is None or " of " not in entity.label:
        return True
    people = fold(entity.label.rsplit(" of ", 1)[1]).strip()
    # "of migrants to Niger", "of Syrian refugees by boat": migrants, Syrian refugees
    people = re.split(r"\s+(?:to|from|in|into|across|at|by|on|under|via)\s+", people)[0]
    # "of migrants crossing the Darien", "of refugees fleeing the war": the people before the participle
    people = re.split(r"\s+(?:\w+ing|who|that)\b", people)[0]
    generic = {fold(w) for w in settings.get("generic_people", [])}
    words = [w for w in re.findall(r"[\w'-]+", people) if w != "the"]
    if not words or all(w in generic for w in words):
        return True  # "Malaysia's forced return of refugees": anyone it returns
    stem = re.sub(r"s$", "", people)  # "north koreans" → "north korean", "uyghurs" → "uyghur"
    for act in acts:
        group = reading.entities.get(act.object)
        names = [group.label, *group.aliases] if group else []
        if any(stem in fold(name) or fold(name) in people for name in names):
            return True
    return False


def is_states_policy(entities: dict[str, Entity], policy: str, state: str) -> bool:
    """Whether the registry labels ``policy`` as ``state``'s ("Greece's pushbacks of …")."""
    entity, owner = entities.get(policy), entities.get(state)
    if entity is None or owner is None or entity.type != "Policy":
        return False
    names = "|".join(re.escape(fold(n)) for n in sorted({owner.label, *owner.aliases}, key=len, reverse=True))
    return bool(re.match(r"(?:the\s+)?(?:" + names + r")'s?\s", fold(entity.label)))


def state_policy(entities: dict[str, Entity], template: str, state: str, words) -> str | None:
    """The id of ``state``'s policy of a kind: the template's id ("{subject}-forced-repatriation")
    when the registry has it, else the registry's one Policy whose label is the state's and names
    the kind within its first three words ("Iran's forced return of Afghans", "the United Kingdom's
    policy of removing …"; ``words``: rules.yaml, per rule `policy_words`), in its head — the words
    before the first preposition, and after it too when the head is a word for a policy ("policy
    of", "practice of"): not "Iran's punishment of returned smugglers"; None when there is none or
    more than one."""
    exact = template.format(subject=state, state=state)
    if exact in entities:
        return exact
    entity = entities.get(state)
    if not words or entity is None:
        return None
    names = "|".join(re.escape(fold(n)) for n in sorted({entity.label, *entity.aliases}, key=len, reverse=True))
    kind = _cached_list(tuple(words))
    head = re.compile(r"(?:the\s+)?(?:" + names + r")'s?\s+(.*)")
    found = []
    for other in entities.values():
        if other.type != "Policy":
            continue
        match = head.match(fold(other.label))
        if match and kind.search(_policy_head(match.group(1))):
            found.append(other.id)
    return found[0] if len(found) == 1 else None


_POLICY_NOUN = re.compile(r"(?:[\w-]+\s+)?(?:policy|policies|practice|practices|programme|program|campaign|scheme|system)")


def _policy_head(words: str) -> str:
    """The head of a policy's label after the possessive: "forced return" of "forced return of
    Afghans"; "policy of removing asylum seekers" whole, up to its next preposition."""
    parts = re.split(r"\s+(?:of|to|on|for|against|in|into|from|with|by|under)\s+", words)
    if len(parts) > 1 and _POLICY_NOUN.fullmatch(parts[0]):
        return parts[0] + " " + parts[1]
    return parts[0]
