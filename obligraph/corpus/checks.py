"""Checks on what a claim says (beyond its fields' formats) and on how the corpus fits together:
self-loops, negative counts, files no metadata names, unitOf / memberOf cycles, treaty provisions
without their text, a name two entities share. Each raises a typed error naming the file and the
claim (or the entry)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..errors import CorpusConsistencyError, NameClashError, SchemaError, SourceFileError
from .model import Claim, Corpus, SourceKind, Stance

# units whose figures may be below zero (a change in percent, an amount of money); every other
# figure a source gives counts something (people, days, groups, miles) and cannot be negative
SIGNED_UNITS = {"percent", "percentage point", "degree", "degree celsius"}
CURRENCY = re.compile(r"^[A-Z]{3}$")
HIERARCHY = ("unitOf", "memberOf")  # "is part of": a cycle among them is a mistake


def claim_shape(*, subject: str, predicate: str, target: str | None, numbers: list,
                unit: str | None, path: str, where: str) -> None:
    if target is not None and target == subject:
        raise SchemaError(f"subject and object are the same entity ({subject!r} {predicate} itself)",
                          path=path, where=where,
                          hint="check the object: a claim relates two different entities")
    signed = unit is not None and (unit.casefold() in SIGNED_UNITS or CURRENCY.match(unit))
    for number in numbers:
        if isinstance(number, (int, float)) and not isinstance(number, bool) and number < 0 \
                and not signed:
            raise SchemaError(f"negative figure {number} {unit or '(no unit)'}: a count cannot be "
                              "below zero", path=path, where=where,
                              hint="check the sign; a fall or loss is written as a positive figure "
                                   "with a note (or use unit: percent for a signed change)")


# --- the registry's names: one entity each ----------------------------------------------------

@lru_cache(maxsize=1)
def _latin_look_alikes() -> dict[str, str]:
    """Each letter or digit of another script that Unicode's confusables (UTS #39, as the
    confusable_homoglyphs package ships them) list as looking like an ASCII one → that one:
    Cyrillic а → a, Greek Ο → O, fullwidth Ａ → A. ASCII itself is left alone (l and I, rn and m
    are different names in Latin script), and so are marks and punctuation."""
    from confusable_homoglyphs.confusables import confusables_data
    fold = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or not char.isalnum():
            continue
        latin = sorted((g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()),
                       key=lambda c: (not c.isalpha(), not c.islower(), c))
        if latin:  # Unicode's prototype of I is l: a capital that looks like l looks like I
            fold[char] = "I" if latin[0] == "l" and char.isupper() else latin[0]
    return fold


def name_keys(name: str) -> tuple[str, ...]:
    """What the registry compares a label or alias by: the name case-folded in one Unicode form
    (é precomposed or e + U+0301 alike), and its look: each look-alike of an ASCII letter from
    another script as that letter (capitals by their own look: Greek Ν is N, its small ν is v),
    then case-folded. The look only of a name that could pass for Latin script — one with Latin
    letters in it (Аrcadia) or wholly of look-alikes (Сосо) — so that two names in Cyrillic or
    Greek are never one for looking alike in Latin (Ь and В both look like a b)."""
    folded = unicodedata.normalize("NFC", name).casefold()
    if name.isascii():
        return folded, "~" + folded
    fold = _latin_look_alikes()
    looks = "".join(fold.get(c, c) for c in unicodedata.normalize("NFD", name))
    if not (looks.isascii() or any(c.isascii() and c.isalpha() for c in name)):
        return (folded,)
    return folded, "~" + unicodedata.normalize("NFC", looks).casefold()


def name_clash(name: str, other: str, owner: str, owner_where: str, *, path: str,
               where: str) -> NameClashError:
    """The error for ``name`` (of the entry at ``where``) being, by name_keys, ``other`` of the
    entity ``owner`` (``owner_where``: its file and entry): what makes them one name, and what to do."""
    one_entity = "a name may belong to one entity only, or the records and the extraction cannot tell "
    if name.casefold() == other.casefold():
        return NameClashError(f"the name {name!r} is also a label or alias of {owner!r} ({owner_where})",
                              path=path, where=where, hint=one_entity + "which is meant: remove it "
                                                                        "from one of them")
    if unicodedata.normalize("NFC", name).casefold() == unicodedata.normalize("NFC", other).casefold():
        decomposed = ("which is written decomposed" if unicodedata.is_normalized("NFC", name)
                      else "but written decomposed")
        return NameClashError(f"the name {name!r} is {other!r}, a label or alias of {owner!r} "
                              f"({owner_where}), {decomposed} (NFD: a letter, then its accent as a "
                              "character of its own)", path=path, where=where,
                              hint=one_entity + "which is meant, and names are compared in one "
                                                "Unicode form (NFC): remove it from one of them")
    fold = _latin_look_alikes()
    found = []
    for written in dict.fromkeys((name, other)):
        looks = [f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')}) for the Latin {fold[c]!r}"
                 for c in dict.fromkeys(unicodedata.normalize("NFD", written)) if c in fold]
        if looks:
            found.append(f"{written!r} has {', '.join(looks)}")
    return NameClashError(f"the name {name!r} looks the same as {other!r}, a label or alias of "
                          f"{owner!r} ({owner_where}): {'; '.join(found) or 'look-alike letters'}",
                          path=path, where=where, hint=one_entity + "which is meant, and a look-alike "
                          "letter of another script hides a different name: type the name in one "
                          "script, or remove it from one of them")


_WORDS = {0: "zero", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen",
          14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen",
          19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty",
          70: "seventy", 80: "eighty", 90: "ninety"}
_SCALES = {1_000_000_000: r"(?:billion|bn)", 1_000_000: r"(?:million|mn|m)", 1_000: r"(?:thousand|k)",
           100: r"hundred"}


def _word(number: int) -> str | None:
    """A number below a hundred in words: seven, twenty, twenty-one (a hyphen or a space)."""
    if number in _WORDS:
        return _WORDS[number]
    if 20 < number < 100:
        return _WORDS[number - number % 10] + r"[\s-]" + _WORDS[number % 10]
    return None


def _written(number) -> list[re.Pattern]:
    """The ways a source may write the figure: digits (with or without thousands separators), a
    number in words, or a number with a scale ("1.5 million", "5bn", "two million", "half a
    million", "a hundred")."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    number = abs(number)
    digits = [str(number), f"{number:,}"] if isinstance(number, int) else [repr(number), f"{number:,}"]
    forms = [re.escape(form) for form in dict.fromkeys(digits)]
    if isinstance(number, int) and _word(number):
        forms.append(_word(number))
    for scale, word in _SCALES.items():
        count = number / scale
        if count < 0.5 or round(count * 100) != count * 100:
            continue
        spelled = [re.escape(f"{count:g}")]
        if count.is_integer() and _word(int(count)):
            spelled.append(_word(int(count)))
        if count == 1:
            spelled.append("an?")
        if count == 0.5:
            spelled.append("half an?")
        forms.append(rf"(?:{'|'.join(spelled)})\s*{word}")
    # not inside a longer number or word before it; an ordinal ("the 11th day") is the figure
    return [re.compile(r"(?<![\w.,])(?:" + form + r")(?!\d|[.,]\d)", re.IGNORECASE) for form in forms]


def figures_in_quotes(numbers: list, quotes: list[str], *, path: str, where: str) -> None:
    """Every figure a claim gives is written in one of its quotes: a number the source does not
    give ("Thousands" stored as 1000) says more than its words."""
    for number in numbers:
        if not isinstance(number, (int, float)) or isinstance(number, bool) or number != number \
                or number in (float("inf"), float("-inf")):
            continue
        if not any(p.search(q) for p in _written(number) for q in quotes):
            raise SchemaError(f"the figure {number} is not in the quote: a claim gives only the "
                              "figures its source writes", path=path, where=where,
                              hint="quote the words that give the figure; an indefinite quantity "
                                   "(\"thousands\", \"hundreds\") is written as text (value: "
                                   "thousands), not as a number the source does not give")


def no_orphans(root: Path, texts: set[Path], shown: Callable[[Path], str]) -> None:
    """Every claims file has its NAME.meta.yaml beside it, and every .txt / .csv is the text of
    some metadata file: otherwise its claims (or the document) would be silently left out."""
    for path in sorted(root.rglob("*.claims.yaml")):
        meta = path.with_name(path.name.removesuffix(".claims.yaml") + ".meta.yaml")
        if not meta.exists():
            raise SourceFileError(f"no metadata file {meta.name} beside it, so its claims would "
                                  "be left out of the graph", path=shown(path),
                                  hint=f"write {meta.name} (kind, text, title: see "
                                       "sources/README.md), or remove the claims file")
    for path in sorted([*root.rglob("*.txt"), *root.rglob("*.csv")]):
        if path.resolve() not in texts:
            raise SourceFileError("no metadata file names this text, so it would be left out of "
                                  "the graph", path=shown(path),
                                  hint=f"write {path.stem}.meta.yaml beside it (kind, text: "
                                       f"{path.name}, title), or move the file out of sources/")


def _cycle(claims: list[Claim]) -> list[Claim] | None:
    """The claims forming a cycle of "part of" edges, or None. Deterministic (sorted)."""
    edges: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: (c.subject, c.object or "", c.origin, c.index)):
        edges.setdefault(claim.subject, []).append(claim)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    trail: list[Claim] = []

    def visit(node: str) -> list[Claim] | None:
        state[node] = 1
        for claim in edges.get(node, []):
            nxt = claim.object
            if state.get(nxt) == 1:
                trail.append(claim)
                first = next(i for i, c in enumerate(trail) if c.subject == nxt)
                return trail[first:]
            if nxt not in state:
                trail.append(claim)
                found = visit(nxt)
                if found:
                    return found
                trail.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _in_hierarchy(claim) -> bool:
    """A unitOf / memberOf link that a source asserts or alleges (the cycle check reads these)."""
    return (claim.predicate in HIERARCHY and bool(claim.object)
            and claim.stance in (Stance.ASSERTS, Stance.ALLEGES))


def _gives_provision_text(claim, kind: SourceKind | None) -> bool:
    """A provisionOf claim of a treaty text (what gives a TreatyProvision entity its text)."""
    return claim.predicate == "provisionOf" and kind is SourceKind.TREATY_TEXT


def read_by_consistency(claim, kind: SourceKind | None) -> bool:
    """Whether :func:`corpus_consistency` reads ``claim`` (of a source of ``kind``): a build keeps
    only these in memory, not every claim of the corpus (200,000 at 10,000 articles)."""
    return _in_hierarchy(claim) or _gives_provision_text(claim, kind)


def corpus_consistency(corpus: Corpus) -> None:
    hierarchy = [c for c in corpus.claims if _in_hierarchy(c)]
    cycle = _cycle(hierarchy)
    if cycle:
        chain = " → ".join([cycle[0].subject] + [c.object for c in cycle])
        claims = "; ".join(f"{c.origin}: {c.name} ({c.subject} {c.predicate} {c.object})"
                           for c in cycle)
        raise CorpusConsistencyError(
            f"unitOf / memberOf cycle: {chain} (claims: {claims})", path=cycle[0].origin,
            where=cycle[0].name,
            hint="an organisation cannot be part of itself: fix the subject or object of one of "
                 "these claims")
    kinds = {s.id: s.kind for s in corpus.sources}
    with_text = {c.subject for c in corpus.claims if _gives_provision_text(c, kinds.get(c.source_id))}
    for entity in corpus.entities:
        if entity.type == "TreatyProvision" and entity.id not in with_text:
            raise CorpusConsistencyError(
                f"treaty provision {entity.id!r} has no text: no treaty-text source has a "
                "provisionOf claim quoting it", path=entity.origin, where=f"entity {entity.id}",
                hint="add the instrument's text (kind: treaty-text) with a provisionOf claim "
                     "whose quote is the article, or remove the entity")
