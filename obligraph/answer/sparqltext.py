"""Just enough SPARQL lexing to decide what a request is before Oxigraph runs it: the query form
(an update sent as a query), and whether it names SERVICE or FROM. Strings, IRIs and comments
are skipped, so `"service"`, `<http://x/SERVICE>` and `ex:service` are not the keyword."""

from __future__ import annotations

import re

_LEX = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\''(?:[^'\\]|\\.|'(?!''))*'\'\''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<word>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+
             | _:(?:[\w\-.\u00B7]*[\w\-\u00B7])
             | (?:[^\W\d_](?:[\w\-.\u00B7]*[\w\-\u00B7])?)?
               :(?:(?:[\w\-:%]|\\.)(?:(?:[\w\-.:%\u00B7]|\\.)*(?:[\w\-:%\u00B7]|\\.))?)?
             | [^\W\d_]\w*)
  | (?P<other>\S)''', re.X | re.S)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def _unescape(text: str) -> str:
    """SPARQL allows \\uXXXX escapes anywhere in the text (`\\u0053ERVICE` is SERVICE)."""
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    return _CODEPOINT.sub(one, text)


def keywords(text: str) -> list[str]:
    """The bare words of the text (upper-cased, in order): keywords and function names, not
    variables, prefixed names, strings, IRIs or comments. Read both as written and with its
    \\u escapes resolved, so an escaped keyword is still seen."""
    found = []
    for variant in dict.fromkeys((text, _unescape(text))):
        found.extend(match.group("word").upper() for match in _LEX.finditer(variant)
                     if match.lastgroup == "word" and match.group("word")[0] not in "?$"
                     and ":" not in match.group("word"))
    return found


def form(text: str) -> str | None:
    """SELECT / ASK / CONSTRUCT / DESCRIBE, or an update's first keyword (INSERT, LOAD, DROP…),
    after the PREFIX and BASE declarations; None if there is none."""
    for match in _LEX.finditer(_unescape(text)):
        word = match.group("word") if match.lastgroup == "word" else None
        if word and word[0] not in "?$" and ":" not in word and word.upper() not in ("PREFIX", "BASE"):
            return word.upper()
    return None


def is_update(text: str) -> bool:
    return form(text) in UPDATE_FORMS


def names_service(text: str) -> bool:
    return "SERVICE" in keywords(text)


def names_dataset(text: str) -> bool:
    """FROM / FROM NAMED clauses: the query chooses its own dataset."""
    return "FROM" in keywords(text)


def service_targets(text: str) -> list[str | None]:
    """The endpoint each SERVICE clause names, in order: the IRI written as <…> (after an optional
    SILENT), or None where it is anything else (a variable, a prefixed name) and so cannot be
    checked against an allow-list before the query runs."""
    targets: list[str | None] = []
    for variant in dict.fromkeys((text, _unescape(text))):
        tokens = [m for m in _LEX.finditer(variant) if m.lastgroup != "comment"]
        for index, match in enumerate(tokens):
            word = match.group("word") if match.lastgroup == "word" else None
            if not word or word.upper() != "SERVICE":
                continue
            following = tokens[index + 1:index + 3]
            if following and following[0].lastgroup == "word" and following[0].group().upper() == "SILENT":
                following = following[1:]
            target = following[0] if following else None
            targets.append(target.group()[1:-1] if target is not None and target.lastgroup == "iri"
                           else None)
    return list(dict.fromkeys(targets))


MAX_NESTING = 64  # brackets a query may nest: Oxigraph's parser crashes past a few thousand,
# and slows down steeply well before (64 nested lists take 0.5 s to parse, 200 over 10 s)
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")


def nesting(text: str) -> int:
    """How deep the text nests (, { and [ (outside strings, IRIs and comments)."""
    deepest = 0
    for variant in dict.fromkeys((text, _unescape(text))):
        depth = 0
        for match in _LEX.finditer(variant):
            if match.lastgroup != "other":
                continue
            token = match.group()
            if token in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif token in _CLOSE:
                depth = max(0, depth - 1)
    return deepest


def too_deep(text: str) -> str | None:
    """Why the text cannot be run because of its nesting, or None."""
    depth = nesting(text)
    if depth <= MAX_NESTING:
        return None
    return (f"the query nests brackets {depth} deep, more than the {MAX_NESTING} accepted "
            "(so deep a query can crash the SPARQL parser): flatten it")
