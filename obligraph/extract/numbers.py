"""Statistics: numbers, ranges, percentages and money in the text, with what they count (the
entities the registry lacks are proposed by proposals.py)."""

from __future__ import annotations

import re
from .found import Candidate, Reading, Sentence

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({w: 10 * i for i, w in enumerate("x x twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2})
_WORDS = r"(?i:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w-])"
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FIGURE = re.compile(
    r"(?<![\w.,$])(?P<cur>(?:US|U\.S\.|A|C|HK|S)?\$\s?)?(?P<a>" + _NUM + r"|" + _WORDS + r")(?:\s*(?P<ascale>thousand|million|billion))?"
    r"(?:(?:\s*(?:to|and|-|–)\s*|\s+to\s+(?:more than|over|nearly|almost|about|around|some)\s+)"  # "from 10,000 to more than 100,000"
    r"(?P<cur2>(?:US|U\.S\.|A|C|HK|S)?\$\s?)?(?P<b>" + _NUM + r")(?:\s*(?P<bscale>thousand|million|billion))?"
    r"|\s+or\s+(?P<bw>" + _WORDS + r"))?"  # "three or four": one vague count, not two
    r"(?P<tail>(?:st|nd|rd|th)\b)?")
_PEOPLE = {"people", "persons", "person", "refugees", "defectors", "koreans", "women", "men",
           "children", "teenagers", "individuals", "escapees", "migrants", "asylum-seekers"}
_APPROX = re.compile(r"(?:about|around|approximately|roughly|some|nearly|almost|an estimated|"
                     r"estimated|estimates?|up to|more or less|circa)\s+(?:\S+\s+){0,1}$")
_AT_LEAST = re.compile(r"(?:at least|more than|over|upwards of|no fewer than|as many as)\s+$")
_MONTH_NAMES = (r"(?<![\w])(?:january|february|march|april|may|june|july|august|september|october|november|"
                r"december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?:\.|(?![\w])))")  # "Oct. 12", "Oct 14"
_MONTHS = re.compile(_MONTH_NAMES + r"\s*$")  # "October 17", "Oct. 12": a day of the month
_MONTH_AFTER = re.compile(r"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_NAMES)  # "17 October"
_NUMBERED = re.compile(r"(?:article|articles|art\.|arts\.|section|sections|paragraph|para\.|"
                       r"paragraphs|rule|rules|chapter|clause|resolution|no\.|number|protocol no\.|"
                       r"principle|recommendation|page|p\.|pp\.|footnote|note)\s*(?:\d+\s*(?:\([\w]+\)\s*)*"
                       r"(?:,|and|or|to|-)\s*)*$")  # "Article 33", "articles 17 and 18": a name, not a count
_UP_TO = re.compile(r"(?<![\w])up\s+to\s+$")
_WHERE = re.compile(r"[\s-]*(?:kilometres|kilometers|km|miles|metres|meters|yards|feet)\s+(?:\w+\s+)?"
                    r"(?:from|away|north|south|east|west|inside|outside|off|beyond|short\s+of)\b")
_YEAR_VALUE = re.compile(r"1[89]\d\d|20\d\d")


def _number(text: str, scale: str | None) -> int | float:
    if text.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[text.lower()] * _SCALE.get(scale or "", 1)
    value = float(text.replace(",", ""))
    value *= _SCALE.get(scale or "", 1)
    return int(value) if value == int(value) else value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# the spread of estimates, not a figure: "estimates vary widely, from 10,000 to …", "have ranged from under 10,000"
_SPREAD = re.compile(r"(?<![\w])(?:vary|varies|varied|range|ranges|ranged|ranging|differ|differs|differed)\s+"
                     r"(?:(?:widely|greatly|considerably)\s*)?,?\s*from\s+(?:(?:under|over|about|some|around|"
                     r"fewer than|more than|less than|as few as)\s+)?$")


# a count of people something could be done to, or that a plan would move: a guess, not a figure
_COULD_BE_DONE = re.compile(r"[\s-]*(?:[a-z-]+\s+){0,3}?(?:could|would|might|may)\s+(?:\w+ly\s+)?(?:be|have\s+been)\s+"
                           r"\w+(?:ed|en|t)\b")
_SPEAKER_AGE = re.compile(r"(?<![\w])(?:said|says|told\s+\w+|recalled|explained|added)\s+(?:a|an|one)\s+$")
# "a family of five": the people counted are named before the number
_FAMILY_OF = re.compile(r"(?<![\w])(?:family|families|group|household|couple)\s+of\s+$")
_PLANNED_TO = re.compile(r"\b(?:plans?|planned|scheme|proposal|programme|program)\s+to\s+[a-z]+\s+"
                         r"(?:(?:about|some|around|nearly|roughly|at\s+least|more\s+than|over)\s+)?$")


# the people counted are the subject of "could"/"would"/"might": "some 700 more children … could stay"
_MODAL_AFTER = re.compile(r"[\s-]*(?:[\w,'-]+\s+){0,6}?(?:could|would|might)\s+(?!have\s+been\b)")


def _hypothetical(numbers: dict, sentence: Sentence, at: int, after: str) -> bool:
    """A count in the consequence of a condition (numbers.conditionals opening the sentence or a
    clause before the count), with a modal verb after it: a guess at what would happen, not a figure."""
    words = numbers.get("conditionals", [])
    if not words or not _MODAL_AFTER.match(after):
        return False
    opening = r"(?:^|[,;:]\s+|\s)(?:" + "|".join(map(re.escape, words)) + r")\s"
    return bool(re.search(opening, sentence.folded[sentence.start:at].lstrip(" \"'")))


def _duration(numbers: dict, before: str, after: str) -> bool:
    """A span of time (numbers.duration_units after the number, numbers.duration_leads right before
    it: "within 72 hours", "for 40 days"), not a count; not "a 14-month old infant"."""
    units, leads = numbers.get("duration_units", []), numbers.get("duration_leads", [])
    if not units or not leads or not re.match(r"\s+(?:" + "|".join(map(re.escape, units)) + r")(?![\w-])", after):
        return False
    return bool(re.search(r"(?<![\w])(?:" + "|".join(map(re.escape, leads)) + r")\s+$", before))


def statistics(ex: Reading, sentence: Sentence) -> list[Candidate]:
    out = []
    text = ex.text
    names = [(m.start, m.end) for m in sentence.mentions]
    for match in _FIGURE.finditer(text, sentence.start, sentence.end):
        if match.group("tail") or any(a <= match.start() < b for a, b in names):
            continue
        before = sentence.folded[max(sentence.start, match.start() - 30):match.start()]
        if _MONTHS.search(before) or _MONTH_AFTER.match(sentence.folded, match.end()):
            continue  # a day of the month
        if _NUMBERED.search(before) or re.match(r"\(\w{1,3}\)", text[match.end():match.end() + 5]):
            continue  # an article, section or paragraph number
        if re.search(r"[/\\]\s*$", text[max(0, match.start() - 2):match.start()]) or \
                re.match(r"\s*[/\\]\s*\w", text[match.end():match.end() + 4]):
            continue  # a document symbol ("resolution 46/17", "A/HRC/52/65"), not a figure
        if re.search(r"[A-Za-z]-$", text[max(0, match.start() - 2):match.start()]):
            continue  # a name with a number ("COVID-19", "MH-17"), not a figure
        numbers = ex.rules.numbers
        people = _PEOPLE | set(numbers.get("people_nouns", []))  # nouns that count people ("nine boys")
        if numbers.get("measure_modifiers") and re.match(
                r"-(?:" + "|".join(map(re.escape, numbers["measure_modifiers"])) + r")s?\b(?!-)", text[match.end():]):
            continue  # "a 48-page report", "a 90-day limit": what describes a thing counts no one
        if numbers.get("bounds") and re.search(
                r"(?<![\w])(?:" + "|".join(map(re.escape, numbers["bounds"])) + r")s?\s+of\s+(?:\w+\s+)?$", before):
            continue  # "the limit of 120 days set by law": a bound, not what happened
        if _UP_TO.search(before) and not re.search(r"\b(?:add|adds|added|adding)\s+up\s+to\s+$", before):
            continue  # "cells held up to 40 people", "plans to remove up to 10,000 a week": a bound, not a count
        after = sentence.folded[match.end():min(sentence.end, match.end() + 40)]
        if _SPREAD.search(before):
            continue  # "estimates vary widely, from 10,000 to more than 100,000": how far estimates differ
        if _WHERE.match(after):
            continue  # "some 15 kilometres from the village": where, not a figure
        if _duration(numbers, before, after):
            continue  # "expel foreigners within 72 hours", "held for 40 days": how long, not a figure
        if _SPEAKER_AGE.search(before) and re.match(r"-?(?:year|month)s?[- ]old\b", after):
            continue  # "said a 24-year-old man from …": who speaks, not a figure
        if _hypothetical(numbers, sentence, match.start(), sentence.folded[match.end():min(sentence.end, match.end() + 80)]):
            continue  # "If the judge rules …, some 700 more could stay": what a condition would bring
        if _COULD_BE_DONE.match(after) or _PLANNED_TO.search(before):
            continue  # "some 60,000 people could be returned", "a scheme to send about 1,100 back": not done
        if match.group("b") and _YEAR_VALUE.fullmatch(match.group("a")) and _YEAR_VALUE.fullmatch(match.group("b")):
            continue  # "1996-1999", "between 2019 and 2023": a period
        if match.group("b") and _YEAR_VALUE.fullmatch(match.group("a")) and len(match.group("b")) == 2 \
                and re.fullmatch(r"\d{4}[-–/]\d\d", match.group().strip()):
            continue  # "the 2022-23 financial year": a period, not 23
        if match.group("b") and _YEAR_VALUE.fullmatch(match.group("a")) and not match.group("cur"):
            match = _FIGURE.match(text, match.start("b"))  # "in 2015 and 40 more": the 40
            if match is None:
                continue
            before = sentence.folded[max(sentence.start, match.start() - 30):match.start()]
        worded = match.group("a").lower() in _NUMBER_WORDS
        if worded:  # "nine young North Koreans", "at least nine died"; not "one of", "ten years"
            people_after = re.match(r"[\s-]*(?:more\s+)?(?:[a-z-]+\s+){0,2}?(?:" + "|".join(sorted(people)) + r")\b", after)
            # "two of them were deported", "four of the men": a count of the people before
            # "four were forced into sex work", "two had been deported": people, counted as the subject of a passive
            of_them = (not before.endswith("the ")) and re.match(r"\s+(?:were|had been|have been)\s+(?:\w+ly\s+)?(?:arrested|detained|deported|returned|"
                               r"repatriated|expelled|forced|sent|held|killed|tortured|executed|jailed|imprisoned|"
                               r"sold|trafficked|abducted|seized|released)\b", after) or re.match(r"\s+of\s+(?:them|those|these|the\s+(?:[a-z-]+\s+)?(?:" + "|".join(sorted(people)) + r"))\b", after)
            if match.group("b") or (_NUMBER_WORDS[match.group("a").lower()] < 2 and not match.group("ascale")) \
                    or (not of_them and not (people_after and after.lstrip().startswith("more "))
                        and re.match(r"[\s-]*(?:years?|months?|days?|weeks?|hours?|times|more|of\b)", after)) \
                    or not (people_after or of_them or _AT_LEAST.search(before) or _FAMILY_OF.search(before)
                            or (match.group("ascale") and any(
                        m.type == "Group" and match.end() <= m.start <= match.end() + 30 for m in sentence.mentions))):
                continue  # ("one million Rohingya": a scaled count of a group named right after)
        if re.match(r"[\s-]*(?:years?|months?|weeks?|days?|decades?)\s+(?:after|later|before|earlier|ago|on)\b", after):
            continue  # "some 15 years after …", "two months later": when, not a figure
        word = re.match(r"[\s-]*(percent|per cent|%|[a-z][\w-]*)", after)
        unit_word = word.group(1) if word else ""
        # "1,086 Myanmar nationals", "500 North Korean defectors", "300 Afghans": whose, then who
        named = re.match(r"[\s-]*((?:[A-Z][\w’'\-]*\s+){0,2}[A-Z][\w’'\-]*)(?:\s+([a-z][\w-]*))?",
                         text[match.end():min(sentence.end, match.end() + 60)])
        if named and ({named.group(1).split()[-1].lower(), (named.group(2) or "").lower()} & people
                      or re.search(r"[a-z](?:ans|is|ks|rs)$", named.group(1))):
            unit_word = "people"  # (a people's plural: "300 Afghans", "Iraqis", "Uzbeks", "Uyghurs")
        money = bool(match.group("cur") or match.group("cur2")) or unit_word in ("dollars", "usd")
        a = _number(match.group("a"), match.group("ascale"))
        b = _number(match.group("b") or match.group("bw"), match.group("bscale")) \
            if match.group("b") or match.group("bw") else None
        is_year = not money and b is None and re.fullmatch(r"1[89]\d\d|20\d\d", match.group("a")) \
            and (not re.match(r"[\s-]*(?:people|persons|refugees|north|defectors|women|men|children)", after)
                 or re.search(r"(?<![\w])the\s+$", before))  # "of the 1972 refugees": a cohort named by its year
        if is_year or (b is None and not money and unit_word == "" and a < 10 and not worded):
            continue
        group = [m for m in sentence.mentions if match.end() <= m.start <= match.end() + 30
                 and m.type in ("Group", "Statistic")]
        stats = [m for m in sentence.mentions if m.type == "Statistic"]
        if money:
            unit = "USD"
        elif unit_word in ("percent", "per cent", "%"):
            unit = "percent"
        elif unit_word in people or group or (worded and unit_word not in ("percent", "years", "year")):
            unit = "person"
        elif unit_word:
            unit = unit_word[:-1] if unit_word.endswith("s") and len(unit_word) > 3 else unit_word
            if unit in ("of", "and", "to", "in", "the", "a", "from", "separate", "terrified"):
                unit = "person" if group else unit
        else:
            unit = None
        ex.stat_count += 1
        subject = stats[0].entity if stats else f"stat-{_slug(ex.source_id)}-{ex.stat_count}"
        quote = text[sentence.start:sentence.end]
        common = dict(subject=subject, quote=quote, start=sentence.start, end=sentence.end,
                      unit=unit, approximate=bool(_APPROX.search(before)),
                      at_least=bool(_AT_LEAST.search(before)))
        if b is not None:
            if b < a:
                continue
            out.append(Candidate(predicate="hasValue", min=a, max=b, rule="statistic/range",
                                 confidence=0.7, **common))
        else:
            out.append(Candidate(predicate="hasValue", value=a, rule="statistic/value",
                                 confidence=0.65, **common))
        group = [m for m in group if m.type == "Group"]
        if group:
            out.append(Candidate(predicate="measures", object=group[0].entity,
                                 rule="statistic/measures", confidence=0.55,
                                 **{k: v for k, v in common.items()
                                    if k not in ("unit", "approximate", "at_least")}))
    return out
