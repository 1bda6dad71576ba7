"""The text an extraction reads: folding for matching (offsets kept), sentences (pysbd within
each line, footnote markers kept with their sentence), headings, phrases as patterns."""

from __future__ import annotations

import re
from functools import lru_cache


FOLD_TABLE = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
                            "“": '"', "”": '"', "„": '"', "″": '"', "\u00a0": " ", "―": "-", "–": "-",
                            "—": "-"})


# --- text helpers -------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower-case and fold quotes/dashes character by character: offsets stay those of ``text``."""
    out = []
    for char in text.translate(FOLD_TABLE):
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd  # rule-based sentence boundaries (abbreviations, "Oct. 12", "U.S.", initials)
    return pysbd.Segmenter(language="en", clean=False)


# where a clause ends: a subject, a negation or a policy's wording is looked for within one clause
CLAUSE_BREAK = re.compile(r";\s*|,\s*(?:but|while|whereas|although|though|yet)\s+|\s(?:but|whereas|although)\s+")
_FOOTNOTE_SPLIT = re.compile(r"(?<=[.!?][\"'”’)])\s*\[\d+\]|(?<=[.!?])\[\d+\]|(?<=[.!?][\"'”’)\]])(?=\s+[\"“‘(\[]?[A-Z])")
_LEADING_MARKER = re.compile(r"(\d{1,3}|\[\d{1,3}\])\s+(?=[A-Z\"“‘])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: pysbd's boundaries within each line (a line break always
    ends a sentence), with a footnote marker ("… refugees.12 The …", "… act.” [3] Then …") kept
    with the sentence it follows. Spans exclude outer spaces; text[start:end] is the sentence."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        base, chunk = line.start(), line.group()
        cursor = 0
        pieces = []
        for segment in _segmenter().segment(chunk):
            segment = segment.strip()
            if not segment:
                continue
            at = chunk.find(segment, cursor)
            if at < 0:  # pysbd changed the text: fall back to the rest of the line
                pieces.append((cursor, len(chunk)))
                cursor = len(chunk)
                break
            pieces.append((at, at + len(segment)))
            cursor = at + len(segment)
        if cursor < len(chunk) and chunk[cursor:].strip():
            pieces.append((cursor, len(chunk)))
        split = []
        for start, end in pieces:  # a sentence pysbd left joined after a closing quote or [n]
            begin = start
            for mark in _FOOTNOTE_SPLIT.finditer(chunk, start, end):
                if mark.end() < end and chunk[begin:mark.end()].strip():
                    split.append((begin, mark.end()))
                    begin = mark.end()
            split.append((begin, end))
        merged: list[list[int]] = []
        for start, end in split:  # "12 revealed that …": a footnote number belongs before
            lead = _LEADING_MARKER.match(chunk, start)
            if merged and lead and re.search(r"[.!?\"”’)]$", chunk[merged[-1][0]:merged[-1][1]].rstrip()) \
                    and not re.match(r"\d{1,3}\s+(?:percent|per cent|people|of|[a-z])", chunk[start:end]):
                merged[-1][1] = start + lead.end(1)
                start += lead.end()
            if chunk[start:end].strip():
                merged.append([start, end])
        spans.extend((base + a, base + b) for a, b in merged)
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            result.append((start, end))
    return result


def last_words(folded: str, start: int, end: int, count: int) -> int:
    """Offset where the last ``count`` words before ``end`` (not before ``start``) begin."""
    position = end
    for _ in range(count):
        match = re.search(r"\S+\s*$", folded[start:position])
        if not match:
            break
        position = start + match.start()
    return position


def is_heading(text: str, start: int, end: int) -> bool:
    """A title or heading: a line of its own with no sentence-final punctuation."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    return not re.search(r"[.!?:;\"”’)\]]$", text[start:end]) and len(text[start:end]) < 160


def phrase_regex(phrase: str) -> str:
    """A trigger phrase as a regex over folded text: word* = prefix, ... = up to four words."""
    parts = []
    for word in phrase.lower().translate(FOLD_TABLE).split():
        if word == "...":
            parts.append(r"(?:\S+\s+){0,6}?")
            continue
        star = word.endswith("*")
        core = re.escape(word.rstrip("*"))
        parts.append(core + (r"[\w'-]*" if star else "") + r"\s+")
    pattern = "".join(parts)
    pattern = pattern[:-3] if pattern.endswith(r"\s+") else pattern
    return r"(?<![\w])" + pattern + r"(?![\w])"


# --- the gazetteer ------------------------------------------------------------------------------


_QUOTED_LABEL = re.compile(r"\s*(?:[\w'-]+\s+){0,4}?\"([^\"]{2,60}?)\"")


_NAMING_PEOPLE = re.compile(r"\b(?:them|those|him|her)\s+[\"\u201c]")
_FUNCTION_WORDS = {"to", "of", "the", "a", "an", "and", "in", "on", "for", "from", "with", "by", "at", "back"}


def quoted_label(plain: str, end: int, stop: int) -> tuple[str, int] | None:
    """The label in quotation marks within five words after ``end`` ("called defectors \"human
    scum\"", "labelled them \"infiltrators\""), and where it starts: one to six words, not a
    quoted sentence (no final stop inside) nor a title; None if there is none before ``stop``."""
    match = _QUOTED_LABEL.match(plain, end, stop)
    if not match:
        return None
    label = match.group(1).strip()
    words = label.split()
    if not 1 <= len(words) <= 6 or re.search(r"[.!?;:]$", label):
        return None
    if len(words) > 1 and all(w[:1].isupper() for w in words if len(w) > 3) and not (
            _NAMING_PEOPLE.search(plain, max(0, end - 1), match.start(1))
            and not any(w.lower() in _FUNCTION_WORDS for w in words)):
        return None  # a title in title case ("Sent Back to Suffer"), not a label — unless it names
        # the people right before it ("officials call them \"Forcibly Displaced Nationals\"")
    return label.strip(",'"), match.start(1) - 1
