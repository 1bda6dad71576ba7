"""Read which treaty provisions a reservation or declaration names, by rule (no model).

Openers, any case: "article(s)", "art(s).", "paragraph(s)", "para(s).", "sub-paragraph(s)", "the
same article" (scrape artefacts "para graph", "paragraphe", "article18" read as written):

    article 16 (3) | 16(1)(c) | 24.2 | 30, paragraph 1 | 14 para 1 | 7 (paragraph 2) | IV (Roman)
    articles 7, 13 and 24 | arts. 7 and 24 | I and II | 2 to 34, 10-14, 1 through 16 (expanded)
    paragraph(s) 1 [and 2] [(c)] | sub-paragraph (b) [of paragraph 1], then "of [the] article 30",
      ", article 40", "of the same/that/this/said article", "thereof" or nothing

A number is 1-3 digits (four are years), "l" (a scraped 1) or, for an article, a Roman numeral.
In brackets a number is a paragraph, a letter or lower-case Roman numeral a subparagraph; deeper
levels read "a(i)"; a bare bracket in a list ("3 (b) and (d)") replaces the last level of the
item before. A phrase naming no article takes the last one named (a bare subparagraph also its
paragraph: "paragraph 2 of article 17 ... subparagraph (a)"); none is resolved before an article
is named, after another instrument's, or "above/below". Every ref of a phrase spans the phrase.

Another instrument's articles are skipped, judged by what follows the phrase: "of [the|this|
present|said] Convention|Covenant|Protocol" keeps it unless a title follows ("Covenant on
Economic...", "Optional Protocol to the ...": another's, unless passed in `own_titles`); any
other "of" before a capitalised word or a law word (constitution, law, act, code, charter,
declaration, preamble...) skips it; nothing after it keeps it; "thereof" keeps it unless the
instrument last named is a Charter, Treaty, Constitution, Law... Phrases joined by "and"/"or"
share the skip of the last ("articles 7 and 9 and paragraph 1 of article 12 of the X Act").

Deliberately ignored: "Section 7", "part 1", "chapter 4" (only article and paragraph words
count); how much of an article is meant ("the latter half of article 14" is 14); a domestic
law's article with no "of" after it ("(article 127)"); lettered paragraphs ("paragraphs A (a)");
numbers with a zero after a dot ("Article 6.01": a regulation's)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class ProvisionRef:
    article: str            # "30", "16", "IV" (Roman kept as written, upper-cased), "1"
    paragraph: str | None   # "1", "3" — None when the whole article is named
    subparagraph: str | None  # "c", or "a(i)" for a deeper level — None if not named
    start: int              # text[start:end] is the phrase that names it: for a list,
    end: int                # the whole phrase, shared by every ref it names


class DeclarationBlock(NamedTuple):
    state: str   # as written after "#"
    start: int   # file_text[start:end] == text
    end: int
    text: str    # "" when the state made none


_ART_KW = r"(?<![\w-])(?i:articles?(?![a-z])|arts?(?![a-z])\.?)"
_PARA_KW = r"(?<![\w-])(?i:para\s?graphe?s?(?![a-z])|paras?(?![a-z])\.?)"
_SUB_KW = r"(?<![\w-])(?i:sub-?\s?para\s?graphs?(?![a-z]))"
_ROMAN = re.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})")
_NUM = r"\d{1,3}(?!\d)|l(?![a-zA-Z])"  # four digits are years; "l" is a scraped 1
_ART_NUM = re.compile(rf"\s*(?:(?P<n>{_NUM})|\((?P<b>\d{{1,3}})\)|(?P<r>[IVXL]+)(?![A-Za-z]))")
_PARA_NUM = re.compile(rf"\s*(?P<n>{_NUM})")
# "(c)", not "(2)The" (an item number glued to the next sentence), or a scraped "c)"
_SUB = re.compile(r"\s*\((?P<p>[a-z]{1,4}|\d{1,2})\)(?![A-Z])|\s+(?P<q>[a-z])\)(?![a-z])")
_DOT = re.compile(r"\.([1-9]\d?)(?![\d.]|\s*[A-Z])")  # "article 24.2", not "article 21.3.The"
_SEP = re.compile(r"(?P<range>\s*[-–—]\s*|\s+(?i:to|through)\s+)|\s*,\s*(?:(?i:and|or)\s+)?"
                  r"|\s+(?i:and/or|and|or|&)\s+|\s*(?=\()")  # "(c) (d)" is a list too
_OPENER = re.compile(rf"(?P<same>(?<![\w-])(?i:the\s+(?:same|said)\s+article)(?![a-z]|\s*[\d(]))"
                     rf"|(?P<sub>{_SUB_KW})|(?P<para>{_PARA_KW})|(?P<art>{_ART_KW})")
_INLINE_PARA = re.compile(rf"\s*,?\s*(?P<open>\()?\s*(?P<kw>{_PARA_KW})")
_INLINE_SUB = re.compile(rf"\s*,?\s*{_SUB_KW}")
_CLOSE = re.compile(r"\s*\)")
_ASIDE = r"(?:\s*\([^()]{1,40}\)(?=[\s,]*of\s))?"  # "paragraph 3 (second sentence) of ..."
_OF_ART = re.compile(rf"{_ASIDE}\s*,?\s*(?i:of\s+)?(?i:the\s+(?:said\s+|same\s+)?)?{_ART_KW}"
                     rf"(?={_ART_NUM.pattern})")
_OF_PARA = re.compile(rf"\s*(?i:of\s+)(?i:the\s+)?{_PARA_KW}")
_CONTEXT = re.compile(
    rf"{_ASIDE}[\s,]*(?i:(?:of\s+)?(?:the\s+same|that|this|the\s+said|the\s+above-?\s?mentioned"
    r"|the\s+aforementioned|the\s+aforesaid|the)\s+article(?![a-z])(?!\s*(?:\d|l\b|\())"
    r"|thereof\b)(?!\s+[IVXL]+\b)")
_HERE = re.compile(r"\s*(?i:above|below|hereof|hereunder)\b")  # the declaration's own numbering
# between a phrase and its "of": "et seq.", "respectively", "number 30,"
_GAP = r"[\s,]*(?:(?i:et\s+seq\b\s*\.?|respectively|(?:number|no\.|item|point)\s+\w+)[\s,]*)?"
_DET = r"(?:(?:the|this|that|its|said|present|same|above-?\s?mentioned|afore\w+)\s+)*"
_THEREOF = re.compile(r"[\s,]*(?i:thereof)\b")
_KEEP = re.compile(_GAP + r"(?i:of\s+" + _DET + r"(?:\d{4}\s+)?(?:optional\s+)?(?:convention|"
                   r"covenant|protocol)\b)(?!\s+(?i:on|against|relating\s+to|for|to|of|concerning"
                   r"|regarding|between)\s+(?:the\s+)?[A-Z])")  # no title follows
_FOREIGN = re.compile(_GAP + r"(?i:of\s+" + _DET + r")(?:[A-Z]|(?i:(?:[\w-]+\s+){0,2}(?:"
                      r"constitution|law|act|code|decree|charter|declaration|statute|regulations?"
                      r"|ordinance|agreement|treaty|resolution|preamble|rules|convention|covenant"
                      r"|protocol|reservations?|instrument)\b))")
_INSTRUMENT = re.compile(r"\b(?:Convention|Covenant|Protocol|Charter|Treaty|Constitution|Law|Act"
                         r"|Code|Declaration|Statute)\b")
_JOIN = re.compile(r"\s*,?\s*(?:(?i:and|or)\s*)?")

Item = tuple  # (article | None, paragraph | None, (subparagraph levels...))


def _number(n: str) -> str:
    return "1" if n == "l" else str(int(n))


def _level(text: str, pos: int) -> tuple[str, int] | None:
    """A bracketed designator at pos: "(c)", "(iv)", "(2)", or a scraped "c)"."""
    if not (m := _SUB.match(text, pos)):
        return None
    x = m["p"] or m["q"]
    return (x, m.end()) if x.isdigit() or x == x[0] * len(x) or set(x) <= set("ivx") else None


def _chain(text: str, pos: int, para: str | None, subs: tuple) -> tuple[str | None, tuple, int]:
    """The levels after a number: "(1) (a)", ".2", "(c) (ii)": the first bracketed number is the
    paragraph, the rest subparagraph levels; a letter after a letter ("(c) (d)") is a sibling."""
    if para is None and not subs and (m := _DOT.match(text, pos)):
        para, pos = m[1], m.end()
    while level := _level(text, pos):
        x = level[0]
        if subs and len(x) == len(subs[-1]) == 1 and x.isalpha() and (
                x not in "ivx" or ord(x) == ord(subs[-1]) + 1):
            break  # "(c) (d)": a sibling, not a deeper level ("(d) (i)" is deeper)
        if x.isdigit() and para is None and not subs:
            para, pos = level
        else:
            subs, pos = subs + (x,), level[1]
    return para, subs, pos


def _item(text: str, pos: int, article: bool, prev: Item | None) -> tuple[list, int] | None:
    """One list item: a number with its levels (and, for an article, its inline paragraphs),
    or a bracket continuing the item before ("3 (b) and (d)")."""
    m = (_ART_NUM if article else _PARA_NUM).match(text, pos)
    g = m.groupdict() if m else {}
    if m and not (g.get("r") and not _ROMAN.fullmatch(g["r"])):
        number = g.get("r") or g.get("b") or _number(g["n"])
        (art, para, subs), pos = (number, None, ()) if article else (None, number, ()), m.end()
    elif (level := _level(text, pos)) and (prev or not article):
        (x, pos), (art, para, subs) = level, prev or (None, None, ())
        para, subs = (x, ()) if x.isdigit() else (para, subs[:-1] + (x,))
    else:
        return None
    para, subs, pos = _chain(text, pos, para, subs)
    if article and text.startswith(".0", pos):
        return None  # "Article 6.01": a domestic regulation's numbering
    items = [(art, para, subs)]
    if article and para is None and (ip := _INLINE_PARA.match(text, pos)):
        # "article 17, paragraphs 1 and 2"; inside a list of articles, a singular "paragraph"
        # takes one number ("articles 14, 28 paragraph 1 (a) and 37")
        one = prev is not None and not ip["kw"].rstrip(". ").lower().endswith("s")
        inner, end = _items(text, ip.end(), False, one=one)
        if ip["open"]:
            end = close.end() if (close := _CLOSE.match(text, end)) else -1
        if inner and end >= 0 and not _OF_ART.match(text, end):
            items, pos = [(art, p, s) for _, p, s in inner], end
    if article and (sp := _INLINE_SUB.match(text, pos)):
        inner, end = _items(text, sp.end(), False)  # "paragraph 1, subparagraph (b)"
        if inner:
            last = items.pop()
            items, pos = items + [(art, p or last[1], last[2] + s) for _, p, s in inner], end
    return items, pos


def _between(a: Item, b: Item) -> list | None:
    """The items a range "a to b" leaves out (articles 2 to 34, paragraphs 1-4, (a)-(c)); None
    when b is not after a ("334-6" is a domestic article number, not a range)."""
    ka, kb = (a[0], a[1], *a[2]), (b[0], b[1], *b[2])
    diff = [i for i, (x, y) in enumerate(zip(ka, kb)) if x != y]
    if len(ka) != len(kb) or len(diff) != 1 or any(ka[diff[0] + 1:]):
        return []
    i, x, y = diff[0], ka[diff[0]] or "", kb[diff[0]] or ""
    digits = x.isdigit() and y.isdigit()
    if not digits and not (len(x) == len(y) == 1 and x.islower() and y.islower()):
        return []
    lo, hi = (int(x), int(y)) if digits else (ord(x), ord(y))
    if not 0 < hi - lo <= 60:
        return None
    values = (str(v) if digits else chr(v) for v in range(lo + 1, hi))
    return [(k[0], k[1], tuple(k[2:])) for k in (ka[:i] + (v,) + ka[i + 1:] for v in values)]


def _items(text: str, pos: int, article: bool, again: str = "", one: bool = False):
    """(items, end) of a list joined by ",", "and", "or" or a range; `again` is a keyword that
    may repeat after a separator ("para graph 1 (a) or paragraph 1 (b)")."""
    items: list = []
    start = pos
    while not (one and items):
        before, sep = pos, None
        if items:
            if not (sep := _SEP.match(text, pos)):
                break
            pos = sep.end()
            if again and (k := re.compile(again + r"\s*").match(text, pos)):
                pos = k.end()
        if (got := _item(text, pos, article, items[-1] if items else None)) is None:
            return items, before
        if sep is not None and sep["range"]:
            if (gap := _between(items[-1], got[0][0])) is None:
                return [], start
            items += gap
        items, pos = items + got[0], got[1]
    return items, pos


def _phrase(text: str, m: re.Match) -> tuple[str, list, int] | None:
    """(mode, items, end) of the phrase the opener m starts; mode is "explicit" (articles
    named), "context" (the last article named: "paragraph 2 [of that article]") or "sub" (a
    subparagraph alone: the last article and paragraph named)."""
    if m["same"]:
        return "context", [(None, None, ())], m.end()
    if m["art"]:
        items, end = _items(text, m.end(), True)
        return ("explicit", items, end) if items else None
    items, pos = _items(text, m.end(), False, _SUB_KW if m["sub"] else _PARA_KW)
    if not items:
        return None
    mode = "sub" if m["sub"] else "context"
    of = _OF_PARA.match(text, pos) if m["sub"] else None
    if of and (level := _level(text, of.end()) or (
            (n := _PARA_NUM.match(text, of.end())) and (_number(n["n"]), n.end()))):
        (x, pos), mode = level, "context"  # "(b) of paragraph 1"; "(i) of paragraph (a)": "a(i)"
        items = [(a, p, s) if p else (a, x, s) if x.isdigit() else (a, None, (x, *s))
                 for a, p, s in items]
    if (a := _OF_ART.match(text, pos)) and (got := _item(text, a.end(), True, None)):
        end = _ART_NUM.match(text, a.end()).end()  # the article's own levels are not read here
        return "explicit", [(got[0][0][0], p, s) for _, p, s in items], end
    if c := _CONTEXT.match(text, pos):
        return "context", items, c.end()
    return None if _HERE.match(text, pos) else (mode, items, pos)


def _verdict(text: str, start: int, end: int, explicit: bool, own: re.Pattern | None):
    """Whether the phrase text[start:end] names the treaty's own provision; None when nothing
    after it says."""
    if _THEREOF.match(text, end):  # an article "thereof" is of the instrument last named
        last = [i[0] for i in _INSTRUMENT.finditer(text, 0, start)][-1:]
        return not explicit or last in ([], ["Convention"], ["Covenant"], ["Protocol"])
    if _KEEP.match(text, end) or (own and own.match(text, end)):
        return True
    return False if _FOREIGN.match(text, end) else None


@functools.lru_cache(maxsize=64)  # one treaty's titles, for every sentence of its record
def _own_title(own_titles: tuple[str, ...]) -> re.Pattern:
    names = "|".join(r"\s+".join(map(re.escape, t.split())) for t in own_titles)
    return re.compile(rf"{_GAP}(?i:of\s+(?:the\s+)?(?:{names}))")


def provisions_named(text: str, own_titles: tuple[str, ...] = ()) -> tuple[ProvisionRef, ...]:
    """Every provision the text names, in order of appearance, duplicates (same article/paragraph/
    subparagraph) kept once at their first mention. `own_titles` are full titles of the treaty
    the text is about ("Convention against Torture"): "article 3 of the <own title>" is kept."""
    own = _own_title(own_titles) if own_titles else None
    phrases = []  # [start, end, mode, items, verdict]
    pos = 0
    while m := _OPENER.search(text, pos):
        if (got := _phrase(text, m)) is None:
            pos = m.end()
            continue
        mode, items, pos = got
        phrases.append([m.start(), pos, mode, items,
                        _verdict(text, m.start(), pos, mode == "explicit", own)])
    for here, after in zip(reversed(phrases[:-1]), reversed(phrases[1:])):
        if here[4] is None and after[4] is False and _JOIN.fullmatch(text, here[1], after[0]):
            here[4] = False  # "articles 7 and 9 and paragraph 1 of article 12 of the X Act"
    refs: dict[tuple, ProvisionRef] = {}
    article = paragraph = None
    foreign = False  # the last article named is another instrument's
    for start, end, mode, items, verdict in phrases:
        if mode == "explicit":
            article, paragraph, foreign = items[-1][0], items[-1][1], verdict is False
        elif foreign or article is None:
            continue  # nothing to resolve "paragraph 2" against
        else:
            items = [(article, p if p or mode != "sub" else paragraph, s) for _, p, s in items]
            paragraph = items[-1][1]
        for art, para, subs in items if verdict is not False else ():
            sub = (subs[0] + "".join(f"({x})" for x in subs[1:])) if subs else None
            refs.setdefault((art, para, sub), ProvisionRef(art, para, sub, start, end))
    return tuple(refs.values())


def declaration_blocks(text: str) -> tuple[DeclarationBlock, ...]:
    """Split a declarations file into (state name as written after '#', start, end of the block's
    text in the file, the block text) — offsets into the file's text; empty blocks included with
    empty text. A block runs from its '#' line to the next, less surrounding blank space; text
    before the first '#' line belongs to no state."""
    heads = list(re.finditer(r"^#(?P<state>[^\r\n]*)(?:\r?\n|\Z)", text, re.M))
    blocks = []
    for head, nxt in zip(heads, heads[1:] + [None]):
        body = text[head.end():nxt.start() if nxt else len(text)]
        start = head.end() + (len(body) - len(body.lstrip()) if body.strip() else 0)
        end = start + len(body.strip())
        blocks.append(DeclarationBlock(head["state"].rstrip(), start, end, text[start:end]))
    return tuple(blocks)
