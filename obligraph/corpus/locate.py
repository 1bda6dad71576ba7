"""Find a quote in a source text and report its exact span.

Exact match first; failing that, a match that tolerates differences in whitespace, in straight
vs typographic quotes and in Unicode normalisation (a quote typed in NFC found in a text stored
decomposed, NFD, and vice versa) — the span recorded is still that of the text as stored."""

from __future__ import annotations

import unicodedata

from ..errors import QuoteAmbiguousError, QuoteNotFoundError
from .model import Span

CONTEXT = 32  # characters of prefix / suffix kept in the TextQuoteSelector
_QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
                             "“": '"', "”": '"', "„": '"', "″": '"'})


def _segments(text: str):
    """(start, end, composed) for each run of the text that Unicode NFC composes together (a
    letter and its combining marks, Hangul jamo), or each character when nothing composes."""
    if unicodedata.is_normalized("NFC", text):
        for index, char in enumerate(text):
            yield index, index + 1, char
        return
    start, composed = 0, ""
    for index, char in enumerate(text):
        joined = unicodedata.normalize("NFC", composed[-1:] + char) if composed else ""
        if composed and (unicodedata.combining(char) or len(joined) == 1):
            composed = unicodedata.normalize("NFC", composed + char)
            continue
        if composed:
            yield start, index, composed
        start, composed = index, unicodedata.normalize("NFC", char)
    if composed:
        yield start, len(text), composed


def _normalize(text: str) -> tuple[str, list[int], list[int]]:
    """Compose to NFC, fold quotes and collapse whitespace; return the folded text and, for each
    of its characters, the span [start, end) of the original characters it came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous_space = False
    for first, last, composed in _segments(text):
        one_to_one = composed == text[first:last]
        for offset, char in enumerate(composed.translate(_QUOTE_FOLD)):
            if char.isspace():
                if previous_space:
                    continue
                char, previous_space = " ", True
            else:
                previous_space = False
            chars.append(char)
            starts.append(first + offset if one_to_one else first)
            ends.append(first + offset + 1 if one_to_one else last)
    return "".join(chars), starts, ends


def normalized(text: str) -> str:
    """The form quotes are compared in: NFC, straight quotes, single spaces."""
    return _normalize(text)[0]


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Where ``needle`` starts in ``haystack``, overlapping occurrences included (str.find: a
    regular expression per quote cost its compilation, half a millisecond a quote)."""
    found, at = [], haystack.find(needle)
    while at != -1 and needle:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


# below this many quotes, one str.find pass per quote is faster than building an automaton
_AUTOMATON_FROM = 16


def _all_occurrences(haystack: str, needles: set[str]) -> dict[str, list[int]]:
    """Where each needle starts in ``haystack``, overlapping occurrences included, in one pass
    over it (an Aho-Corasick automaton of all the needles): locating the quotes of a source is
    linear in its text plus its quotes, not their product (issue 20: 10,000 quotes in a 0.6 MB
    text took 81 s one search each)."""
    needles = {needle for needle in needles if needle}
    if len(needles) < _AUTOMATON_FROM:
        return {needle: _occurrences(haystack, needle) for needle in needles}
    import ahocorasick
    ordered = sorted(needles)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for number, needle in enumerate(ordered):
        automaton.add_word(needle, number)
    automaton.make_automaton()
    found: dict[str, list[int]] = {needle: [] for needle in ordered}
    for end, number in automaton.iter(haystack):
        needle = ordered[number]
        found[needle].append(end - len(needle) + 1)
    return found


class QuoteFinder:
    """Locates the quotes of one source text: every quote it is given is found in one pass, the
    text's folded form (for quotes that differ in spacing, quote marks or normalisation) made
    once, when a quote first needs it."""

    def __init__(self, text: str, quotes=()) -> None:
        self.text = text
        self._exact = _all_occurrences(text, {str(quote).strip() for quote in quotes})
        self._folded: tuple[str, list[int], list[int]] | None = None
        self._normalized: dict[str, list[int]] = {}
        self._pending = {quote for quote, starts in self._exact.items() if not starts}

    def _exact_starts(self, quote: str) -> list[int]:
        if quote not in self._exact:
            self._exact[quote] = _occurrences(self.text, quote)
        return self._exact[quote]

    def _normalized_starts(self, quote: str) -> dict[int, int]:
        """{start: length} in the text as stored of the quote's normalized matches."""
        if self._folded is None:
            self._folded = _normalize(self.text)
        folded_text, first_of, end_of = self._folded
        folded_quote = normalized(quote)
        if folded_quote not in self._normalized:
            # the other quotes found nowhere exactly are folded and searched in the same pass
            wanted = {normalized(other) for other in self._pending} | {folded_quote}
            self._normalized.update(_all_occurrences(folded_text, wanted - set(self._normalized)))
            self._pending.clear()
        length_of: dict[int, int] = {}
        for at in self._normalized.get(folded_quote, []):
            first, last = first_of[at], end_of[at + len(folded_quote) - 1]
            if normalized(self.text[first:last]) != folded_quote:
                continue  # only part of a composed character matched
            length_of.setdefault(first, last - first)
        return length_of

    def locate(self, quote: str, *, occurrence: int | None = None) -> Span:
        """The span of ``quote`` in the text.

        Raises QuoteNotFoundError or QuoteAmbiguousError (without a path: the caller knows it).
        ``occurrence`` (1-based) picks one of several matches."""
        text = self.text
        quote = quote.strip()
        if not quote:
            raise QuoteNotFoundError("the quote is empty", hint="copy the words that state the claim")
        starts = self._exact_starts(quote)
        method = "exact"
        length_of = {start: len(quote) for start in starts}
        if not starts:
            method = "normalized"
            length_of = self._normalized_starts(quote)
            starts = sorted(length_of)
        if not starts:
            raise QuoteNotFoundError(
                f"quote not found in the source text: {quote[:80]!r}"
                + ("…" if len(quote) > 80 else ""),
                hint=f"copy it again from the text ({_closest(text, quote)})")
        if occurrence is not None:
            if not 1 <= occurrence <= len(starts):
                raise QuoteAmbiguousError(
                    f"occurrence: {occurrence} asked for, but the quote occurs {len(starts)} time(s)",
                    hint=f"use a number from 1 to {len(starts)}")
            start = starts[occurrence - 1]
        elif len(starts) > 1:
            raise QuoteAmbiguousError(
                f"quote occurs {len(starts)} times (offsets {', '.join(map(str, starts))}): {quote[:80]!r}",
                hint="lengthen the quote until it is unique, or add `occurrence: N` (1-based)")
        else:
            start = starts[0]
        return span_at(text, start, start + length_of[start], method)


def span_at(text: str, start: int, end: int, method: str, *, context: bool = True) -> Span:
    """The Span of text[start:end], with its context (none for a record's row, which its line
    and offsets place: the compact form, ontology/MODEL.md)."""
    return Span(start=start, end=end, exact=text[start:end],
                prefix=text[max(0, start - CONTEXT):start] if context else "",
                suffix=text[end:end + CONTEXT] if context else "", method=method)


def _closest(text: str, quote: str) -> str:
    """The longest head of the quote that does occur: tells the curator where it diverges."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low < 8:
        return "no part of its beginning occurs in the text"
    at = text.index(quote[:low])
    return (f"its first {low} characters match at offset {at}; there the text continues "
            f"{text[at + low:at + low + 40]!r} where the quote has {quote[low:low + 40]!r}")


def locate(text: str, quote: str, *, occurrence: int | None = None) -> Span:
    """Return the span of ``quote`` in ``text`` (one quote; QuoteFinder locates many at once)."""
    return QuoteFinder(text).locate(quote, occurrence=occurrence)
