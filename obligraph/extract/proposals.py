"""New entities proposed for the registry: names the text gives that the registry lacks, each with
its type and the sentence it is read from — states (by the names of the shipped gazetteer,
gazetteer.py: its id, label and aliases), organisations (a head word such as Ministry, Watch or
Commission, or "International" last), people (after a title or role, or before "said"), names
the text defines by an acronym in parentheses (proposed with the acronym as an alias) and places
(a name before a place word: "the Tumen River", "Jilin province", "Kutupalong refugee camp").
The words are data: the ``proposals`` part of rules.yaml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from ..corpus.model import Entity
from .found import NewEntity, Reading
from .gazetteer import read_states
from .numbers import _slug

# a capitalised name, words joined by of, for, on, and, the, in, against ("Committee against Torture")
_NAME = re.compile(r"[A-Z][\w’'\-]*(?:\s+(?:(?:of|for|on|and|the|in|against)\s+)*[A-Z][\w’'\-]*)+")
# words opening a sentence or clause before a name, not of it ("If the Supreme Court …")
_LEAD = re.compile(r"(?:(?:The|A|An|In|On|At|For|By|According to|If|When|While|As|After|Before|Since|Unless|"
                   r"Although|Though|Because|Under|With|From|And|But|Then|Yet|Meanwhile|This|That|These|"
                   r"Those|Its|Their|His|Her|Both|Neither|Only|Even)\s+)+")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
             "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"}
_SPEAKS = re.compile(r"\s*(?:said|says|told|stated|wrote|,\s+(?:a|an|the|who|[a-z]+er|[a-z]+or|[a-z]+ist)\b)")
_UN = re.compile(r"\b(?:UN|U\.N\.|United Nations)\b")
# "(MSF)", "(IDMC)", "(Frontex)" is not one: an acronym is mostly capitals
_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z&]{0,2}[A-Z][A-Za-z&]{0,6})\)")
_JOINERS = {"of", "for", "on", "and", "the", "in", "de", "du", "des", "la", "le", "sans", "&"}
_POSSESSIVE = re.compile(r"[’']s\s+")
# how a nationality's adjective ends ("Chinese", "Syrian", "Kurdish", "Korean", "Afghani", "Iraqi")
_ADJECTIVE = re.compile(r"\w+(?:ese|ian|ish|ean|ani|i)")


@dataclass(frozen=True)
class _Words:
    """The ``proposals`` words of rules.yaml, folded and compiled."""

    org_heads: frozenset[str]
    government_heads: frozenset[str]
    government_words: frozenset[str]
    igo_words: frozenset[str]
    igo_first_words: frozenset[str]
    igo_with_words: frozenset[str]
    igo_names: frozenset[str]
    final_heads: frozenset[str]
    forces: frozenset[str]
    state_words: frozenset[str]
    titles: re.Pattern
    place: re.Pattern

    @staticmethod
    @lru_cache(maxsize=8)
    def of(spec: tuple) -> _Words:
        words = dict(spec)

        def folded(name: str) -> frozenset[str]:
            return frozenset(w.lower() for w in words.get(name, ()))
        titles = "|".join(re.escape(t.lower()) for t in sorted(words.get("titles", ()), key=len, reverse=True))
        heads = "|".join(re.escape(h) for h in sorted(words.get("place_heads", ()), key=len, reverse=True))
        # a capitalised name of one to three words, then a place word (any case): "Jilin province"
        place = (r"(?<![\w’'\-])(?P<name>[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2})\s+(?P<head>(?i:"
                 + heads + r"))(?![\w’'\-])") if heads else r"(?!x)x"
        return _Words(folded("org_heads"), folded("government_heads"), folded("government_words"),
                      folded("igo_words"), folded("igo_first_words"), folded("igo_with_words"),
                      folded("igo_names"),
                      folded("final_heads"),
                      folded("forces"), folded("state_words"),
                      re.compile(r"(?<![\w])(?:" + titles + r")\.?\s+$") if titles else re.compile(r"(?!x)x"),
                      re.compile(place))


def _words(ex: Reading) -> _Words:
    spec = ex.rules.proposals
    return _Words.of(tuple(sorted((k, tuple(v)) for k, v in spec.items())))


def _names(text: str, start: int, end: int):
    """The (start, end) of each capitalised name of text[start:end], two names joined by "and the"
    apart ("UNHCR and the International Organization for Migration"; "Ministry of Labour and Home
    Affairs" is one)."""
    for match in _NAME.finditer(text, start, end):
        at = match.start()
        for joint in re.finditer(r"\s+and\s+the\s+", match.group()):
            yield at, match.start() + joint.start()
            at = match.start() + joint.end()
        yield at, match.end()


def _pieces(text: str, start: int, end: int, heads: frozenset[str]) -> list[tuple[int, int]]:
    """Capitalised names; "Jane Roe of the Freedom Institute" is two: a person, then an organisation
    (split where a head-less name of two or three words meets of/at + a name with a head word)."""
    out = []
    for first, last in _names(text, start, end):
        name = text[first:last]
        split = re.search(r"\s+(?:of|at)\s+(?:the\s+)?", name)
        if split:
            left, right = name[:split.start()], name[split.end():]
            if (2 <= len(left.split()) <= 3 and not heads & {w.lower() for w in left.split()}
                    and heads & {w.lower() for w in right.split()}):
                out += [(first, first + split.start()), (first + split.end(), last)]
                continue
        out.append((first, last))
    return out


def _defines(name: str, acronym: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``name``'s words (joining words may be left
    out or kept: "Médecins Sans Frontières (MSF)", "Organization for Security and Co-operation in
    Europe (OSCE)")."""
    initials = [w[0].upper() for w in name.split() if w.lower() not in _JOINERS]
    every = [w[0].upper() for w in name.split()]
    letters = [c for c in acronym if c.isupper()]
    return letters in (initials, every)


def _organisation(words: list[str], name: str, vocabulary: _Words) -> str | None:
    """An organisation's type by its words: of the UN or a region's states ("European Court of
    Human Rights", "African Union", "International Organization for Migration") an
    IntergovernmentalOrganization, of a state's government
    ("Ministry of Labour", "National Migration Service") a GovernmentBody, else an NGO."""
    if vocabulary.org_heads & set(words) or words[-1] in vocabulary.final_heads:
        if _UN.search(name) or name.lower() in vocabulary.igo_names or vocabulary.igo_words & set(words) or (
                words[0] in vocabulary.igo_first_words and vocabulary.igo_with_words & set(words)):
            return "IntergovernmentalOrganization"
        if vocabulary.government_heads & set(words) or words[0] in vocabulary.government_words:
            return "GovernmentBody"
        return "NGO"
    return None


def _personal(words: list[str], vocabulary: _Words) -> bool:
    """Whether capitalised words can be a person's name: each capitalised, none a joining word
    ("Soninke and Wolof", "for Human Rights"), a title ("Special Rapporteur"), an organisation's
    head word or a day or month ("Medellin on Tuesday")."""
    folded = [w.lower() for w in words]
    return (all(w[:1].isupper() for w in words) and not (set(folded) & (_JOINERS | _WEEKDAYS | vocabulary.org_heads))
            and not any(vocabulary.titles.fullmatch(w + " ") for w in folded))


def _acronym_kind(words: list[str], vocabulary: _Words) -> str:
    """The type of a name the text gives an acronym, with no head word: a state ("the Democratic
    Republic of the Congo (DRC)"), a force of a state ("the Rapid Support Forces (RSF)"), else an
    organisation, which in this genre most such names are."""
    if vocabulary.state_words & set(words):
        return "State"
    if vocabulary.forces & set(words):
        return "GovernmentBody"
    return "NGO"


def _states_lacking(entities: dict, known: set[str]) -> tuple[dict[str, Entity], re.Pattern]:
    """The gazetteer's states the registry lacks (by id and by every name), by each of their
    names, and a pattern of those names as written (capitals matter: "Chad", not "chad")."""
    states = {}
    for state in read_states():
        names = (state.label, *state.aliases)
        if state.id not in entities and not {n.lower() for n in names} & known:
            states.update((name, state) for name in names)
    if not states:
        return states, re.compile(r"(?!x)x")
    return states, re.compile(r"(?<![\w’'\-])(?:" + "|".join(
        re.escape(n) for n in sorted(states, key=len, reverse=True)) + r")(?![\w’'\-])")


def new_entities(ex: Reading) -> list[NewEntity]:
    """The names ``ex``'s text gives that its registry lacks (see the module's docstring), one
    proposal per id, in the order of the text."""
    vocabulary = _words(ex)
    found: dict[str, NewEntity] = {}
    where: dict[str, int] = {}  # where each proposal's name starts
    known = {e.label.lower() for e in ex.entities.values()} | {
        a.lower() for e in ex.entities.values() for a in e.aliases}

    def propose(sentence, start: int, end: int, kind: str, aliases: tuple[str, ...] = (), *,
                state: Entity | None = None) -> None:
        name = ex.text[start:end] if state is None else state.label
        entity_id = state.id if state is not None else \
            _slug(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
        if not entity_id or entity_id in ex.entities or entity_id in found or name.lower() in known:
            return
        if any(m.start < end and start < m.end for m in sentence.mentions):
            return
        found[entity_id] = NewEntity(id=entity_id, type=kind, label=name,
                                     quote=ex.text[sentence.start:sentence.end],
                                     start=sentence.start, end=sentence.end,
                                     aliases=tuple(a for a in aliases if a.lower() not in known))
        where[entity_id] = start

    states, named = _states_lacking(ex.entities, known)
    for sentence in ex.sentences:
        spans = {}  # where a state the gazetteer names is: no other proposal there
        places: list[tuple[int, int]] = []  # where a place is: no organisation there
        for match in named.finditer(ex.text, sentence.start, sentence.end):
            state = states[match.group()]
            spans[match.span()] = state.id
            propose(sentence, match.start(), match.end(), "State", state.aliases, state=state)
        for match in vocabulary.place.finditer(ex.text, sentence.start, sentence.end):
            start, name = match.start("name"), match.group("name")
            if (lead := _LEAD.match(name)) is not None:
                start, name = start + lead.end(), name[lead.end():]
            if (owner := list(_POSSESSIVE.finditer(name))):  # "North Korea’s Ryanggang province"
                start, name = start + owner[-1].end(), name[owner[-1].end():]
            before = ex.text[max(sentence.start, start - 4):start]
            if not name or re.search(r"(?:^|\s)(?:a|an)\s+$", before):  # "an Idlib camp": a camp in Idlib
                continue
            # "the Chinese province of Jilin", "a Syrian province": a nationality's adjective
            if (" " not in name and _ADJECTIVE.fullmatch(name) and match.group("head").islower()
                    and (re.search(r"(?:^|\s)the\s+$", before) or ex.text.startswith(" of ", match.end()))):
                continue
            if not any(a < match.end() and start < b for a, b in spans):
                propose(sentence, start, match.end(), "Place")
                places.append((start, match.end()))
        for start, end in _pieces(ex.text, sentence.start, sentence.end, vocabulary.org_heads):
            name = ex.text[start:end]
            if (lead := _LEAD.match(name)) is not None:
                start, name = start + lead.end(), name[lead.end():]
                if (article := re.match(r"(?:the|a|an)\s+", name)) is not None:  # "If the Supreme Court"
                    start, name = start + article.end(), name[article.end():]
            defined = _ACRONYM.match(ex.text, end, sentence.end)
            acronym = defined.group("acronym") if defined and _defines(name, defined.group("acronym")) else None
            if (start, end) in spans and acronym and spans[start, end] in found:  # "… the Congo (DRC)"
                state = found[spans[start, end]]
                if acronym.lower() not in known and acronym not in state.aliases:
                    found[state.id] = replace(state, aliases=(*state.aliases, acronym))
                continue
            if " " not in name or any(a < end and start < b for a, b in [*spans, *places]):
                continue
            words = [w.lower() for w in name.split()]
            titled = [i for i, w in enumerate(words) if vocabulary.titles.fullmatch(w + " ")]
            if titled and 2 <= len(words) - titled[-1] - 1 <= 3 and _personal(name.split()[titled[-1] + 1:], vocabulary):
                # "Unification Minister Koo Byoung-sam"
                person = re.search(r"(?:\S+\s+){%d}" % (titled[-1] + 1), name).end()
                propose(sentence, start + person, end, "Person")
                continue
            before = sentence.folded[max(sentence.start, start - 20):start]
            kind = _organisation(words, name, vocabulary)
            if kind is None and acronym:
                kind = _acronym_kind(words, vocabulary)
            if kind is None and 2 <= len(words) <= 3 and _personal(name.split(), vocabulary) and (
                    vocabulary.titles.search(before) or _SPEAKS.match(ex.text[end:end + 12])):
                kind = "Person"
            if kind is not None:
                propose(sentence, start, end, kind, (acronym,) if acronym else ())
    return sorted(found.values(), key=lambda e: (where[e.id], e.id))
