"""Dates of relations, read as written: "24 September 1982" → 1982-09-24, "In May 2013" →
2013-05, "1982"; never a year that names something ("the 1951 Convention", "a 1986 protocol",
"the Convention against Torture (1984)"); "… in 1982, and … six years later" → 1988."""

from __future__ import annotations

import re

from .found import Sentence

YEAR = re.compile(r"(?<![\w$.,])(1[89]\d\d|20\d\d)(?!\w|,\d)")
_MONTH = {m: i for i, m in enumerate(("january february march april may june july august september "
                                      "october november december").split(), 1)}
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|december|" \
       r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_DATE = re.compile(r"(?<![\w$.,])(?:(?P<d1>\d{1,2})\s+" + _MON.replace("(", "(?P<m1>", 1) + r"\s+(?P<y1>1[89]\d\d|20\d\d)"
                   r"|" + _MON.replace("(", "(?P<m2>", 1) + r"\s+(?P<d2>\d{1,2}),?\s+(?P<y2>1[89]\d\d|20\d\d)"
                   r"|" + _MON.replace("(", "(?P<m3>", 1) + r"\s+(?:of\s+)?(?P<y3>1[89]\d\d|20\d\d)"
                   r"|(?P<y4>1[89]\d\d|20\d\d))(?!\w|,\d)")
# (not across a conjunction or an article: "in 1960 and the Convention against Torture in 1988")
_NAMED_BY_YEAR = re.compile(r"\s+(?:(?!(?:and|or|but|the|a|an|in|to|on|by)\s)[\w-]+\s+){0,2}?(?:convention|protocol|covenant|agreement|treaty|act|law|"
                            r"accord|declaration|constitution|report|resolution|border protocol)\b")


def dates_in(text: str, sentence: Sentence, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, date) of the dates between ``start`` and ``end`` of ``sentence``: not a year
    that is part of a name nor one in brackets after a treaty's name ("(1984)")."""
    inside = [(m.start, m.end) for m in sentence.mentions]
    out = []
    for match in _DATE.finditer(sentence.folded, start, end):
        if any(a <= match.start() < b for a, b in inside):
            continue
        year = match.group("y1") or match.group("y2") or match.group("y3") or match.group("y4")
        if match.group("y4"):
            if _NAMED_BY_YEAR.match(sentence.folded, match.end()):
                continue
            if text[match.start() - 1:match.start()] == "(" and any(
                    m.type in ("Treaty", "Declaration") and 0 <= match.start() - m.end <= 2
                    for m in sentence.mentions):
                continue
        month = match.group("m1") or match.group("m2") or match.group("m3")
        day = match.group("d1") or match.group("d2")
        written = year
        if month:
            number = next(v for k, v in _MONTH.items() if k.startswith(month.rstrip(".")[:3]))
            written += f"-{number:02d}"
            if day and 1 <= int(day) <= 31:
                written += f"-{int(day):02d}"
        out.append((match.start(), written))
    return out


_NUMBER = {w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_RELATIVE = re.compile(r"(?<![\w])(?:(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+years"
                       r"|(?P<one>a|one)\s+year)\s+(?P<dir>later|after|afterwards|earlier|before)(?![\w])"
                       r"|(?<![\w])the\s+(?:following|next)\s+year(?![\w])")


def date_of(text: str, sentence: Sentence, start: int, end: int, stop: int, clause_start: int) -> str | None:
    """The date of a relation whose trigger is [start, end): the first after it up to ``stop``
    (the next dated trigger), else one counted from the date before ("six years later", "the
    following year"), else the last before it in its clause ("In 2007, Thailand acceded …")."""
    after = dates_in(text, sentence, end, stop)
    if after:
        return after[0][1]
    counted = counted_date(text, sentence, end, stop, start)
    if counted:  # "acceded in 1982, and ratified the Convention against Torture six years later"
        return counted
    before = dates_in(text, sentence, clause_start, start)
    return before[-1][1] if before else None


def counted_date(text: str, sentence: Sentence, start: int, stop: int, since: int) -> str | None:
    """A year counted from the last date before ``since`` by the first "N years later" (and kin)
    between ``start`` and ``stop``; None when there is none ("acceded to X in 1981 and to Y five
    years later": Y's date is 1986)."""
    relative = _RELATIVE.search(sentence.folded, start, stop)
    if not relative:
        return None
    earlier = dates_in(text, sentence, sentence.start, since)
    if not earlier:
        return None
    count = relative.group("n") or ("1" if relative.group("one") else None)
    years = int(count) if count and count.isdigit() else _NUMBER.get(count or "", 1)
    sign = -1 if relative.group("dir") in ("earlier", "before") else 1
    return str(int(earlier[-1][1][:4]) + sign * years)
