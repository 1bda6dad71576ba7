"""Linking: the registry's names found in a text, in context — the longest name wins, a name
inside a longer unknown name is none, acronyms the text defines, back-references ("the
Committee"), state organs ("Thai authorities"). Each mention says which rule linked it."""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from ..corpus.model import Entity
from .found import Mention
from .rulefile import Rules
from .text import FOLD_TABLE, fold, is_heading


def _acronym(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9.&()\-]+", name)) or len(name) <= 3


def _variants(name: str) -> list[tuple[str, str]]:
    """(name, rule) for a registry name and the spellings of it a text may use: "UN X" is also
    "U.N. X" and "United Nations X" (and back); a UN body's name of three words or more is also
    itself without "UN" ("Special Rapporteur on …", "Committee against Torture")."""
    out = [(name, "label")]
    match = re.search(r"(?<![\w.])(UN|U\.N\.|United Nations)\s+", name)
    if match:
        head, rest = name[:match.start()], name[match.end():]
        out += [(f"{head}{prefix} {rest}", "variant") for prefix in ("UN", "U.N.", "United Nations")
                if prefix != match.group(1)]
        if not head and len(rest.split()) >= 3:
            out.append((rest, "variant"))
    return out


def _report_orders(name: str) -> list[str]:
    """A report named "YEAR PUBLISHER report" in the other orders English uses: "YEAR report of
    (the) PUBLISHER", "PUBLISHER's YEAR report"."""
    match = re.fullmatch(r"(?:the\s+)?(1[89]\d\d|20\d\d)\s+(.+?)\s+report", name.strip(), re.I)
    if not match:
        return []
    year, publisher = match.groups()
    return [f"{year} report of the {publisher}", f"{year} report of {publisher}", f"{publisher}'s {year} report"]


class Gazetteer:
    """Registry labels and aliases → a longest-match matcher over a text."""

    def __init__(self, entities: Iterable[Entity], types: Iterable[str] | None = None) -> None:
        exact: dict[str, tuple[str, str, str]] = {}
        folded: dict[str, tuple[str, str, str]] = {}
        wanted = set(types) if types is not None else None
        for entity in sorted(entities, key=lambda e: e.id):
            if wanted is not None and entity.type not in wanted:
                continue
            names = [(entity.label, "label"), *((a, "alias") for a in entity.aliases)]
            if entity.type == "Report":  # "the 2014 U.N. Commission of Inquiry report" is also "the 2014 report of …"
                names += [(n, "variant") for name, _ in names for n in _report_orders(name)]
            for raw, how in names:
                raw = re.sub(r"^(?i:the)\s+", "", raw.strip()).rstrip("*").strip()
                for name, kind in _variants(raw):
                    kind = how if kind == "label" else kind
                    if len(name) < 2:
                        continue
                    if how == "alias" and entity.type == "Group" and re.fullmatch(r"[a-z][\w-]*", name) \
                            and entity.label[:1].isupper():
                        kind = "generic"  # "refugees", "women": whose, the text must say
                    if _acronym(name):
                        exact.setdefault(name.translate(FOLD_TABLE), (entity.id, entity.type, kind))
                    else:
                        folded.setdefault(fold(name), (entity.id, entity.type, kind))
        self._exact, self._folded = exact, folded
        self._patterns = [(self._compile(exact), exact, False), (self._compile(folded), folded, True)]

    @staticmethod
    def _compile(names: dict[str, tuple[str, str, str]]) -> re.Pattern | None:
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        return re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])")

    def find(self, text: str, start: int = 0, end: int | None = None,
             folded: str | None = None, plain: str | None = None) -> list[Mention]:
        end = len(text) if end is None else end
        folded = fold(text) if folded is None else folded
        plain = text.translate(FOLD_TABLE) if plain is None else plain
        found = []
        for pattern, names, use_folded in self._patterns:
            if pattern is None:
                continue
            for match in pattern.finditer(folded if use_folded else plain, start, end):
                entity, kind, how = names[match.group()]
                found.append(Mention(match.start(), match.end(), entity, kind, how))
        chosen: list[Mention] = []  # longest first; the chosen never overlap, kept sorted by start
        starts: list[int] = []
        for mention in sorted(found, key=lambda m: (-(m.end - m.start), m.start, m.entity)):
            at = bisect.bisect_left(starts, mention.start)
            if at < len(chosen) and chosen[at].start < mention.end:
                continue
            if at > 0 and chosen[at - 1].end > mention.start:
                continue
            chosen.insert(at, mention)
            starts.insert(at, mention.start)
        return sorted(chosen, key=lambda m: (m.start, m.entity))


# --- linking: the gazetteer's matches, read in their context -------------------------------------

_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w\-]*)"
_CONNECTOR = r"(?:of|for|against|on|and|in|to|the|de)"
_PROPER = re.compile(_CAP + r"(?:[^\S\n]+(?:" + _CONNECTOR + r"[^\S\n]+)*" + _CAP + r")*")  # a line break ends a name
_JOIN = r"(?:of|for|against|on|de)"
# a day or month after a connector is when, not part of a name ("Uyghurs to China on Thursday")
_WHEN = re.compile(r"\s+(?:on|in|of|to|for|and|the)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                   r"Saturday|Sunday|January|February|March|April|May|June|July|August|September|"
                   r"October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?!\w)")
_DEFINED = re.compile(r"\s*\((?:the\s+)?([A-Z][A-Za-z.&\-]{1,11})\)")
_KEEP_AFTER_OF = {"State", "Place"}


_LEADING = re.compile(r"(?:(?:The|A|An|In|On|At|By|For|From|To|Under|According|After|Before|Since|"
                      r"When|While|Yet|But|And|Both|Neither|Nor|This|That|These|Those|It|Its|His|Her|"
                      r"Their|Our|Many|Most|Some|Several|Once|If|As|With|Without|Between|Over|During|"
                      r"Despite|Like|Unlike|Only|Even|Also|Then|Now|Last|Next|Every|All|Each|Other|"
                      r"Such|Thus|However|Meanwhile|Instead|Although|Though|Because|Whether|Where|"
                      r"Which|Who|What|How|Why|Here|There|Not|No|New|Former|Then|Thousands|Hundreds|Dozens|Millions|Tens|"
                      r"Scores|Few|Many|Almost|Nearly|About|Around|Among|Two|Three|Four|Five|Six|Seven|Eight|"
                      r"Nine|Ten|Of)\s+)+")
_ORG_WORDS = re.compile(r"\b(?:Commissioner|Committee|Commission|Office|Council|Agency|Ministry|"
                        r"Department|Court|Rapporteur|Organi[sz]ation|Initiative|Group|Network|Watch|"
                        r"Institute|Centre|Center|Foundation|Society|Association|Union|Bureau|"
                        r"Programme|Program|Fund|Party|Parliament|Assembly|Service|Mission|Board)\b")


def _around(mentions: list[Mention], starts: list[int], start: int, end: int,
            reach: int = 400) -> list[Mention]:
    """The mentions near [start, end): ``mentions`` sorted by start, ``starts`` their starts (no
    mention is longer than ``reach``)."""
    low = bisect.bisect_left(starts, start - reach)
    high = bisect.bisect_right(starts, end)
    return mentions[low:high]


def _coordinated_names(text: str, near: list[Mention], start: int, end: int) -> bool:
    """Whether the capitalised span [start, end) is registry names joined only by "and" or commas."""
    parts = sorted((m for m in near if start <= m.start and m.end <= end), key=lambda m: m.start)
    if len(parts) < 2:
        return False
    at, rest = start, []
    for m in parts:
        if m.start < at:
            return False
        rest.append(text[at:m.start])
        at = m.end
    rest.append(text[at:end])
    return rest[0] == "" and rest[-1] == "" and all(re.fullmatch(r"\s*(?:,\s*)?(?:and|&)?\s*(?:the\s+)?", r) and r.strip() for r in rest[1:-1])


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of capitalised names ("Office of the High Commissioner for Human Rights"): capitalised
    words, joined by of/for/against/…; a possessive ’s or a line break ends one, and a capitalised
    function word that starts a sentence ("The", "In") is not part of one."""
    out = []
    for match in _PROPER.finditer(text):
        start, end = match.start(), match.end()
        lead = _LEADING.match(text, start, end)
        if lead:
            start = lead.end()
            while True:
                joined = re.match(_CONNECTOR + r"\s+", text[start:end])
                if not joined:
                    break
                start += joined.end()
        dated = _WHEN.search(text, start, end)  # "North Koreans on Oct. 9", "China on Thursday"
        end = dated.start() if dated else end
        while end > start and text[end - 1] == ".":
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def link(text: str, gazetteer: Gazetteer, folded: str | None = None,
         plain: str | None = None, labels: dict[str, str] | None = None) -> list[Mention]:
    """The registry mentions of ``text``: the gazetteer's longest matches, then read in context —
    an acronym the text defines ("Committee against Torture (CAT)") means that name here, and a
    registry acronym defined as an unknown name is not the registry's; a name inside a longer
    name the registry lacks ("Refugees" in "High Commissioner for Refugees", "High Commissioner"
    in "Office of the High Commissioner") is no mention, except a state or place after "of"
    ("Government of the DPRK"); a registry name for a group that does not say whose ("refugees",
    "women") is linked only after the text has named that group specifically, and never right
    after a word that names other people ("Somali refugees")."""
    folded = fold(text) if folded is None else folded
    plain = text.translate(FOLD_TABLE) if plain is None else plain
    found = gazetteer.find(text, 0, len(text), folded, plain)
    found = sorted(found, key=lambda m: (m.start, m.entity))
    found_starts = [m.start for m in found]
    names = _names(text)
    name_starts = [n[0] for n in names]
    by_end = sorted(names, key=lambda n: n[1])
    name_ends = [n[1] for n in by_end]
    # a name inside a longer name the registry lacks
    kept = []
    for mention in sorted(found, key=lambda m: (m.start, m.entity)):
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end < 0 else line_end
        if is_heading(text, line_start, line_end):
            kept.append(mention)  # a title in title case: every word is capitalised
            continue
        at = bisect.bisect_right(name_starts, mention.start)
        inside = [n for n in names[max(0, at - 3):at] if n[0] <= mention.start and mention.end <= n[1]
                  and (n[1] - n[0]) > (mention.end - mention.start)]
        drop = False
        for start, end in inside:
            if any(m.start <= start and end <= m.end for m in _around(found, found_starts, start, end) if m is not mention):
                continue
            if _coordinated_names(text, _around(found, found_starts, start, end), start, end):
                continue  # "UNHCR and Human Rights Watch": two names, each the registry's
            left, right = text[start:mention.start], text[mention.end:end]
            joined_left = re.search(r"(?:^|\s)" + _JOIN + r"\s+(?:the\s+)?$", left)
            joined_right = re.match(r"\s+" + _JOIN + r"\s", right)
            if joined_left and mention.type in _KEEP_AFTER_OF and re.search(r"(?:of|in)\s+(?:the\s+)?$", left):
                continue
            if joined_left and mention.type in _KEEP_AFTER_OF and mention.end == end \
                    and re.match(r"['’]s\s", text[end:end + 3]):
                continue  # "a Group on China's policy": a possessive state is a phrase of its own
            extends = re.search(r"\s" + _JOIN + r"\s", right) or _ORG_WORDS.search(right)
            if joined_left or joined_right or extends or (left.strip() and mention.type not in _KEEP_AFTER_OF
                                                          and mention.rule != "acronym"):
                drop = True
                break
        if not drop:
            kept.append(mention)
    # acronyms the text defines
    kept_starts = [m.start for m in kept]
    local: dict[str, Mention | None] = {}
    for match in _DEFINED.finditer(text):
        acronym = match.group(1)
        if not re.fullmatch(r"[A-Z][A-Z.&\-]*[A-Z]s?", acronym) or acronym in local:
            continue
        before = [m for m in _around(kept, kept_starts, match.start() - 200, match.start())
                  if m.end == match.start() or (m.end <= match.start() and not text[m.end:match.start()].strip())]
        at = bisect.bisect_right(name_ends, match.start())
        name = [n for n in by_end[max(0, at - 3):at] if n[1] == match.start() or (n[1] <= match.start()
                and not text[n[1]:match.start()].strip())]
        if before and (not name or (before[-1].start <= name[-1][0] and before[-1].end >= name[-1][1])):
            local[acronym] = before[-1]
        elif name and len(text[name[-1][0]:name[-1][1]].split()) >= 2:
            local[acronym] = None  # an unknown name: the registry's acronym is not meant here
    out: list[Mention] = []
    for mention in kept:
        surface = text[mention.start:mention.end]
        if surface in local:
            meant = local[surface]
            if meant is None:
                continue
            if meant.entity != mention.entity:
                mention = Mention(mention.start, mention.end, meant.entity, meant.type, "acronym")
        out.append(mention)
    out.sort(key=lambda m: m.start)
    out_starts = [m.start for m in out]
    for acronym, meant in local.items():
        if meant is None:
            continue
        for match in re.finditer(r"(?<![\w])" + re.escape(acronym) + r"(?![\w])", text):
            if not any(m.start < match.end() and match.start() < m.end
                       for m in _around(out, out_starts, match.start(), match.end())):
                out.append(Mention(match.start(), match.end(), meant.entity, meant.type, "acronym"))
    kept = out
    # generic names of groups
    specific = {}
    for mention in kept:
        if mention.type == "Group" and mention.rule != "generic":
            specific.setdefault(mention.entity, mention.start)
    final = []
    first_said: dict[str, int] = {}
    whose = {}  # "North Korean refugees" → "north korean": the words that say whose
    for entity, label in (labels or {}).items():
        qualifier = re.match(r"(?:[A-Z][\w'’-]*\s+)+", label)
        if qualifier:
            whose[entity] = fold(qualifier.group().strip())
    for mention in kept:
        if mention.rule == "generic":
            said = specific.get(mention.entity, len(text)) < mention.start or (
                mention.entity in whose and 0 <= first_said.setdefault(
                    mention.entity, folded.find(whose[mention.entity])) < mention.start)
            if not said or re.search(r"(?:of them|of whom)\s+(?:\w+\s+)?$", folded[max(0, mention.start - 20):mention.start]):
                continue  # "most of them women": a share of the people named, not a group
            modifier = re.search(r"([A-Z][\w\-]+)\s+$", text[max(0, mention.start - 30):mention.start])
            if modifier and not any(m.end <= mention.start and m.end >= mention.start - 30
                                    and text[m.start:m.end].endswith(modifier.group(1)) for m in kept):
                line_start = text.rfind("\n", 0, mention.start) + 1
                at_start = not text[line_start:mention.start - len(modifier.group(0))].strip() \
                    or re.search(r"[.!?]\s*$", text[line_start:mention.start - len(modifier.group(0))])
                if not at_start:
                    continue  # "Somali refugees", "Rohingya women": other people
        final.append(mention)
    return _shortened(text, sorted(final, key=lambda m: (m.start, m.entity)))


def _shortened(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name of two words or more inside a longer name the text used before for another entity
    ("the High Commissioner" after "the UN High Commissioner for Human Rights", where the registry
    gives "the High Commissioner" to UNHCR) is that name shortened: its entity, not the alias's —
    unless the alias's own entity was named in between."""
    out: list[Mention] = []
    for mention in mentions:
        surface = fold(text[mention.start:mention.end]).strip()
        if mention.rule in ("label", "alias", "variant") and len(surface.split()) >= 2:
            pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
            for earlier in reversed(out):
                if earlier.entity == mention.entity:
                    break
                longer = fold(text[earlier.start:earlier.end])
                if earlier.end <= mention.start and len(longer) > len(surface) and pattern.search(longer):
                    mention = Mention(mention.start, mention.end, earlier.entity, earlier.type, "shortened")
                    break
        out.append(mention)
    return out


_LEAD = re.compile(r"[\"']?(?:(?:in|on|by|since|after|before|during|yet|but|and|however|meanwhile|also|then|now|later|"
                   r"between|from|until|over|throughout|last|earlier|according to|within)"
                   r"\b[^,.;]*?,?\s+)*(?:the\s+)?$")


def _sentence_begin(folded: str, at: int) -> int:
    """Where the sentence holding ``at`` begins: after the last line break or ". " (both characters)."""
    return max(0, folded.rfind("\n", 0, at) + 1, *(folded.rfind(p, 0, at) + 2 for p in (". ", "! ", "? ", "; ")
                                                   if folded.rfind(p, 0, at) >= 0))


def _opens_sentence(folded: str, at: int) -> bool:
    """Whether the name at ``at`` is the subject a sentence opens with ("On 7 November South
    Korea …", "The South Korean government had …")."""
    return bool(_LEAD.fullmatch(folded, _sentence_begin(folded, at), at))


def back_references(text: str, folded: str, mentions: list[Mention], rules: Rules,
                    entities: dict[str, Entity]) -> list[Mention]:
    """ "The Committee urged …", "the State party": a definite description that names no one is
    the last mention before it of the types rules.yaml gives, whose name has the head word — or,
    for the heads of `back_reference_any` ("the State party", "the group"), whatever its name;
    of `back_reference_opening` ("the government"), the one a sentence opens with; of
    `back_reference_described` ("the experts"), the one the text named with that word ("UN human
    rights experts")."""
    table = rules.linking.get("back_references", {})
    if not table:
        return []
    anyone = set(rules.linking.get("back_reference_any", ["state party"]))
    opening = set(rules.linking.get("back_reference_opening", []))
    described = set(rules.linking.get("back_reference_described", []))
    offices = rules.linking.get("back_reference_office", {})
    by_start = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in by_start]
    mentions = sorted(mentions, key=lambda m: m.end)
    ends = [m.end for m in mentions]
    pattern = re.compile(r"(?<![\w])the\s+(?:(?:special|independent|un|u\.n\.)\s+)?("  # "the Special Rapporteur"
                         + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
                         + r")(?![\w-])(?!\s+(?:of|for|on|against|in)\b)"
                         r"(?!\s+and\s+(?:the\s+)?[\w-]+\s+of\b)")  # "the government and the people of X": X's
    bare = rules.linking.get("back_reference_bare", [])
    matches = list(pattern.finditer(folded))
    # "Committee members urged …": the members of the body last named so, speaking as it
    members = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=,\s))(" + "|".join(re.escape(k) for k in table)
                         + r")(?=\s+members\b)")
    matches = sorted(matches + list(members.finditer(folded)), key=lambda m: m.start())
    if bare:  # "Officials described them as …" opening a sentence: the state a sentence before opened with
        heads = "|".join(re.escape(b) for b in sorted(bare, key=len, reverse=True))
        kinds = "|".join(re.escape(k) for k in sorted(rules.linking.get("organ_kinds", []), key=len, reverse=True))
        organ = r"((?:(?:" + kinds + r")\s+)?(?:" + heads + r"))(?![\w-])" if kinds else r"(" + heads + r")(?![\w-])"
        opener = re.compile(r"(?:^|(?<=[.!?;]\s)|(?<=\n))" + organ)  # a sentence's or a clause's after ";"
        # … or opening a clause after an opening phrase or a report ("Within Angola, police
        # detained …", "According to information received, immigration officers detained …",
        # "Witnesses said border police seized …"): the same state
        lead = rules.linking.get("organ_after", [])
        after = re.compile(r"(?:^|(?<=[.!?;]\s)|(?<=\n))(?:(?:within|inside|in|across|according to)\s[^,.;]{1,40},\s+"
                           r"|(?:in|on|since|during|by)\s+(?:early\s+|late\s+|mid-)?(?:\d{1,2}\s+)?(?:(?:january|february|march|"
                           r"april|may|june|july|august|september|october|november|december)\s+)?\d{4},?\s+"
                           r"|[a-z]+(?:\s[a-z]+)?\s(?:" + "|".join(re.escape(w) for w in lead) + r")\s(?:that\s)?)"
                           + organ) if lead else None
        matches += [m for m in opener.finditer(folded)]
        if after is not None:
            matches += [m for m in after.finditer(folded)]
            # … or the subject of what someone reports ("The report found that border guards had …")
            reported = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in lead) + r")\s+that\s+" + organ)
            matches += [m for m in reported.finditer(folded) if not any(m.start(1) == o.start(1) for o in matches)]
        matches.sort(key=lambda m: m.start())
    # an organ the registry lacks, named in capitals, opening a sentence ("The State Border Guard
    # Service denies …", "The Migration Directorate said …"): a bare organ too
    nouns = rules.linking.get("organ_names", [])
    named: set[int] = set()
    if bare and nouns:
        organ_name = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The\s+)?((?:[A-Z][\w-]*\s+){1,3}(?:"
                                + "|".join(re.escape(n) for n in nouns) + r"))(?![\w-])(?!\s+(?:of|for|on)\b)")
        found = [m for m in organ_name.finditer(text) if not any(m.start(1) == o.start(1) for o in matches)]
        heads_of = rules.linking.get("organ_names_of", [])
        if heads_of:  # "The Ministry of Defence said …", "The Department of Home Affairs denies …"
            organ_of = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The\s+)?((?:[A-Z][\w-]*\s+){0,2}(?:"
                                  + "|".join(re.escape(n) for n in heads_of) + r")\s+of\s+(?:the\s+)?"
                                  r"[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,2})(?![\w-])")
            found += [m for m in organ_of.finditer(text) if not any(m.start(1) == o.start(1) for o in matches + found)]
        spoken = rules.linking.get("organ_spokesmen", [])
        if spoken:  # "A spokesman for the State Committee for National Security said …": that organ speaks
            heads = "|".join(re.escape(n) for n in [*nouns, *rules.linking.get("organ_heads_spoken", [])])
            for_organ = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:A|An|The)\s+(?:" + "|".join(map(re.escape, spoken))
                                   + r")\s+(?:for|of|from)\s+the\s+((?:[A-Z][\w-]*\s+){0,3}(?:" + heads
                                   + r")(?:\s+(?:for|of|on)\s+(?:[A-Z][\w-]*\s*){1,3})?)(?![\w-])")
            found += [m for m in for_organ.finditer(text) if not any(m.start(1) == o.start(1) for o in matches + found)]
        named = {m.start(1) for m in found}
        matches = sorted(matches + found, key=lambda m: m.start())
    reach = int(rules.linking.get("bare_reach", 1000))  # how far back the state a bare organ is may be
    out = []
    for match in matches:
        head = match.group(1)
        start = match.start(1)
        if (start in named or any(head == b or head.endswith(" " + b) for b in bare)) and head not in table:
            window = [m for m in mentions if m.end <= match.start() and m.end >= match.start() - reach
                      and m.type == "State" and _opens_sentence(folded, m.start)
                      and not any(o.type == "State" and _sentence_begin(folded, m.start) <= o.start < m.start
                                  for o in _around(by_start, starts, m.start - 300, m.start))]  # its first state
            if window and not any(m.start < match.end() and start < m.end
                                  for m in _around(by_start, starts, start, match.end())):
                last = max(window, key=lambda m: m.end)
                out.append(Mention(start, match.end(), last.entity, last.type, "back-reference"))
            continue
        if any(m.start < match.end() and match.start() < m.end
               for m in _around(by_start, starts, match.start(), match.end())):
            continue
        for mention in reversed(mentions[:bisect.bisect_left(ends, match.start() + 1)]):
            if mention.type not in table[head]:
                continue
            entity = entities.get(mention.entity)
            names = " ".join([text[mention.start:mention.end], *(
                [entity.label, *entity.aliases] if entity else [])]).lower()
            if head in opening and not _opens_sentence(folded, mention.start):
                continue  # "the government": the state a sentence before is about, not the last named
            if head in described and not re.match(r"\s+(?:[\w-]+\s+){0,2}?" + re.escape(head) + r"\b",
                                                  folded[mention.end:mention.end + 40]):
                continue  # "the experts": the organisation named with them ("UN human rights experts")
            if head in anyone or head in opening or head in described or head in names or any(
                    word in names for word in offices.get(head, ())):  # "the expert": the Special Rapporteur
                out.append(Mention(start, match.end(), mention.entity, mention.type, "back-reference"))
                break
        else:
            before = mentions[:bisect.bisect_left(ends, match.start() + 1)]
            states = {m.entity for m in before if m.type == "State"}
            if head in opening and len(states) == 1 and head in table and "State" in table[head]:
                # "the government" where no sentence before opened with a state, but one state alone was
                # named ("… stateless residents of Kuwait. From 1986 the government treated them …"): it
                (state,) = states
                out.append(Mention(start, match.end(), state, "State", "back-reference"))
                continue
            treaty = _treaty_of_body(head, before, entities)
            if treaty is not None:
                out.append(Mention(start, match.end(), treaty, "Treaty", "back-reference"))
    return out


def _treaty_of_body(head: str, before: list[Mention], entities: dict[str, Entity]) -> str | None:
    """ "The Committee against Torture … ratified the Convention in 1988", no treaty named before:
    the treaty of the body last named, the one whose name ends as the body's does ("Committee
    against Torture" → "Convention against Torture …", "on the Rights of the Child" → its Convention)."""
    if head != "convention":
        return None
    for mention in reversed(before):
        entity = entities.get(mention.entity)
        found = re.search(r"\bcommittee\s+((?:against|on)\s+.+)$", entity.label.lower()) \
            if entity is not None and mention.type == "IntergovernmentalOrganization" else None
        if found:
            words = found.group(1)
            treaties = [e.id for e in entities.values() if e.type == "Treaty" and re.match(
                r"(?:international\s+)?convention\s+(?:[\w\s]*?\s)?" + re.escape(words) + r"\b", e.label.lower())]
            return treaties[0] if len(treaties) == 1 else None
    return None


def state_organs(text: str, mentions: list[Mention], rules: Rules, known: set[str]) -> list[Mention]:
    """ "Thai authorities", "the Chinese Foreign Ministry": a demonym (rules.yaml) before a state
    organ is that state, where the registry has not already named the words."""
    demonyms = {k: v for k, v in rules.linking.get("demonyms", {}).items() if v in known}
    organs = rules.linking.get("state_organs", [])
    if not demonyms or not organs:
        return []
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(d) for d in sorted(demonyms, key=len, reverse=True))
                         + r")\s+(?i:" + "|".join(re.escape(o) for o in sorted(organs, key=len, reverse=True))
                         + r")(?![\w])")
    out = []
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    for match in pattern.finditer(text):
        if any(m.start < match.end() and match.start() < m.end
               for m in _around(mentions, starts, match.start(), match.end())):
            continue
        out.append(Mention(match.start(), match.end(), demonyms[match.group(1)], "State", "state-organ"))
    return out


def demonyms_named(text: str, mentions: list[Mention], rules: Rules, known: set[str]) -> list[Mention]:
    """A demonym (rules.yaml) before "border" ("the Romanian border", "to the Indian border"): a mention
    of that state, listed with the text's mentions (the candidates file, linking) — no relation rule
    reads it. (Not a demonym opening a group's name, "North Korean defectors": the development gold
    lists no state for it.)"""
    demonyms = {k: v for k, v in rules.linking.get("demonyms", {}).items() if v in known}
    if not demonyms:
        return []
    names = "|".join(re.escape(d) for d in sorted(demonyms, key=len, reverse=True))
    found = [m for m in re.finditer(r"(?<![\w.-])(" + names + r")(?=\s+(?:border|borders|frontier)\b)", text)]
    out = []
    for hit in found:
        state = demonyms[hit.group(1)]
        if not any(m.entity == state and m.start < hit.end() and hit.start() < m.end for m in mentions):
            out.append(Mention(hit.start(), hit.end(), state, "State", "demonym"))
    return out


def companion_treaties(text: str, folded: str, mentions: list[Mention], rules: Rules,
                       entities: dict[str, Entity]) -> list[Mention]:
    """ "the 1951 Refugee Convention and its Protocol": "its Protocol" right after a treaty the
    rules pair with another (`companion_treaties`: treaty → {words: the other}) is that other one."""
    table = rules.linking.get("companion_treaties", {})
    out = []
    for m in mentions:
        for words, other in (table.get(m.entity) or {}).items():
            if other not in entities:
                continue
            hit = re.compile(r"\s*(?:,\s*)?(?:and|or|nor)\s+(" + re.escape(fold(words)) + r")(?![\w-])").match(folded, m.end)
            if hit and not any(o.start < hit.end(1) and hit.start(1) < o.end for o in mentions):
                out.append(Mention(hit.start(1), hit.end(1), other, entities[other].type, "companion-treaty"))
    return out
