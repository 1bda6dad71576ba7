"""Find a quote in a source text and report its exact span.

Exact match first; failing that, a match that tolerates differences in whitespace and in straight
vs typographic quotes — the span recorded is still that of the text as stored."""

from __future__ import annotations

import re

from .errors import QuoteAmbiguousError, QuoteNotFoundError
from .model import Span

CONTEXT = 32  # characters of prefix / suffix kept in the TextQuoteSelector
_QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
                             "“": '"', "”": '"', "„": '"', "″": '"'})


def _normalize(text: str) -> tuple[str, list[int]]:
    """Fold quotes and collapse whitespace; return the folded text and, for each of its
    characters, the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text.translate(_QUOTE_FOLD)):
        if char.isspace():
            if previous_space:
                continue
            char, previous_space = " ", True
        else:
            previous_space = False
        chars.append(char)
        origin.append(index)
    return "".join(chars), origin


def _occurrences(haystack: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(needle)})", haystack)]


def span_at(text: str, start: int, end: int, method: str) -> Span:
    """The Span of text[start:end], with its context."""
    return Span(start=start, end=end, exact=text[start:end],
                prefix=text[max(0, start - CONTEXT):start], suffix=text[end:end + CONTEXT],
                method=method)


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
    """Return the span of ``quote`` in ``text``.

    Raises QuoteNotFoundError or QuoteAmbiguousError (without a path: the caller knows it).
    ``occurrence`` (1-based) picks one of several matches."""
    quote = quote.strip()
    if not quote:
        raise QuoteNotFoundError("the quote is empty", hint="copy the words that state the claim")
    starts = _occurrences(text, quote)
    method = "exact"
    length_of = {start: len(quote) for start in starts}
    if not starts:
        folded_text, origin = _normalize(text)
        folded_quote, _ = _normalize(quote)
        method = "normalized"
        for at in _occurrences(folded_text, folded_quote):
            first, last = origin[at], origin[at + len(folded_quote) - 1]
            starts.append(first)
            length_of[first] = last + 1 - first
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
