"""What a query someone typed gets beyond Oxigraph's parser: the prefixes declared for it
(QUERY_PREFIXES: a query's own PREFIX wins), and a syntax error said in words, at a line and
column of the text as written (Oxigraph's "expected one of Prefix not found, ['%'], ['-' |
'0' ..= '9' …" becomes "unknown prefix 'foo:'", at the prefixed name itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..graph.rdf import PREFIXES
from .sparqltext import _LEX

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# the usual vocabularies and the graph's own namespaces, declared for every query run here (the
# command line, query files, the endpoint); the order is the one `obligraph prefixes` lists
QUERY_PREFIXES: dict[str, str] = {
    "ob": str(PREFIXES["ob"]), "obid": str(PREFIXES["obid"]), "obsrc": str(PREFIXES["obsrc"]),
    "obclaim": str(PREFIXES["obclaim"]), "obg": str(PREFIXES["obg"]),
    "rdf": _RDF, "rdfs": str(PREFIXES["rdfs"]), "xsd": str(PREFIXES["xsd"]), "owl": str(PREFIXES["owl"]),
    "skos": str(PREFIXES["skos"]), "dcterms": str(PREFIXES["dcterms"]), "prov": str(PREFIXES["prov"]),
    "oa": str(PREFIXES["oa"]),
}
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_UNBOUND = "The SELECT contains a variable that is unbound"
_CLAUSE_ENDS = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


@dataclass(frozen=True)
class Explained:
    """A syntax error in words: what is wrong, where (1-based, in the text as written, None
    where nothing says), and what to do."""
    message: str
    line: int | None
    column: int | None
    hint: str | None = None

    @property
    def where(self) -> str | None:
        return f"line {self.line}, column {self.column}" if self.line is not None else None

    def one_line(self) -> str:
        """unknown prefix 'foo:' (line 1, column 22) → declare it with PREFIX foo: <…> or …"""
        return self.message + (f" ({self.where})" if self.where else "") + (f" → {self.hint}" if self.hint else "")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _tokens(text: str) -> list[re.Match]:
    return [m for m in _LEX.finditer(text) if m.lastgroup != "comment"]


def declared_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations the text makes itself (name → IRI)."""
    tokens, found = _tokens(text), {}
    for index, token in enumerate(tokens[:-2]):
        if token.group().upper() == "PREFIX" and tokens[index + 1].group().endswith(":") \
                and tokens[index + 2].lastgroup == "iri":
            found[tokens[index + 1].group()[:-1]] = tokens[index + 2].group()[1:-1]
    return found


def unknown_prefix(text: str, prefixes: dict[str, str] = QUERY_PREFIXES) -> Explained | None:
    """The first prefixed name whose prefix neither the text nor ``prefixes`` declares."""
    known = set(prefixes) | set(declared_prefixes(text))
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        word = token.group() if token.lastgroup == "word" else ""
        if ":" not in word or word[0] in "?$" or word.startswith("_:"):
            continue
        if index and tokens[index - 1].group().upper() == "PREFIX":
            continue  # the declaration itself
        name = word.split(":", 1)[0]
        if name not in known:
            line, column = _position(text, token.start())
            offered = ", ".join(sorted(prefixes, key=list(prefixes).index))
            return Explained(f"unknown prefix '{name}:'", line, column,
                             f"declare it with PREFIX {name}: <…> or use one of {offered} "
                             "(`obligraph prefixes` lists them)")
    return None


def ungrouped_variable(text: str) -> Explained | None:
    """A variable a SELECT with GROUP BY projects that is neither grouped nor an aggregate's."""
    tokens = _tokens(text)
    depth, selects = 0, []  # (brace depth, projected variables with their tokens)
    index = 0
    while index < len(tokens):
        word = tokens[index].group()
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif word.upper() == "SELECT":
            projected, parens, index = [], 0, index + 1
            while index < len(tokens) and tokens[index].group().upper() not in ("WHERE", "{", "FROM"):
                part = tokens[index].group()
                parens += (part == "(") - (part == ")")
                if parens == 0 and part[0] in "?$":
                    projected.append(tokens[index])
                index += 1
            selects.append((depth, projected))
            continue
        elif word.upper() == "GROUP" and index + 1 < len(tokens) and tokens[index + 1].group().upper() == "BY":
            grouped, parens, index = set(), 0, index + 2
            while index < len(tokens):
                part = tokens[index].group()
                if parens == 0 and (part.upper() in _CLAUSE_ENDS or part == "}"):
                    break
                parens += (part == "(") - (part == ")")
                if part[0] in "?$":
                    grouped.add(part[1:])
                index += 1
            mine = [projected for level, projected in selects if level == depth]
            for variable in (mine[-1] if mine else []):
                if variable.group()[1:] not in grouped:
                    line, column = _position(text, variable.start())
                    name = variable.group()
                    return Explained(f"{name} is selected but not grouped", line, column,
                                     f"add {name} to GROUP BY, or select an aggregate of it, e.g. "
                                     f"(SAMPLE({name}) AS {name})")
            continue
        index += 1
    return None


def unclosed(text: str) -> Explained | None:
    """A bracket the text opens and never closes (where the query ends inside it)."""
    opened: list[re.Match] = []
    pairs = {"}": "{", ")": "(", "]": "["}
    for token in _tokens(text):
        word = token.group()
        if word in ("{", "(", "["):
            opened.append(token)
        elif word in pairs and opened and opened[-1].group() == pairs[word]:
            opened.pop()
    if not opened:
        return None
    last = opened[-1]
    line, column = _position(text, last.start())
    closing = {"{": "}", "(": ")", "[": "]"}[last.group()]
    return Explained(f"the {last.group()} opened here is never closed", line, column,
                     f"close it with {closing}")


def not_a_query(text: str) -> Explained | None:
    """A text whose first keyword (after PREFIX and BASE) is no query form."""
    for token in _tokens(text):
        word = token.group()
        if token.lastgroup == "word" and word[0] not in "?$" and ":" not in word \
                and word.upper() not in ("PREFIX", "BASE"):
            if word.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return None
            line, column = _position(text, token.start())
            return Explained(f"a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE, not {word!r}",
                             line, column, "after its PREFIX and BASE lines, if any")
        if token.lastgroup != "word" and token.lastgroup != "iri" and word not in (":",):
            return None
    return None


def _tidy(expected: str) -> str:
    """Oxigraph's list of what it expected, without the character ranges and internal notes."""
    kept = re.sub(r"\['[^\]]*\]", "", expected.replace(_UNBOUND, "").replace("Prefix not found", ""))
    return ", ".join(dict.fromkeys(re.findall(r'"[^"]+"|\b[A-Za-z_]\w*\b', kept.replace("[_]", ""))))


def explain(text: str, error: str, prefixes: dict[str, str] = QUERY_PREFIXES) -> Explained:
    """Oxigraph's SyntaxError for ``text`` in words, with the line and column of the cause."""
    found = unknown_prefix(text, prefixes)
    if found:
        return found
    match = _ERROR_AT.match(error)
    for check in (not_a_query, unclosed):
        found = check(text)
        if found:
            return found
    if _UNBOUND in error:
        found = ungrouped_variable(text)
        if found:
            return found
    if not match:
        return Explained(f"SPARQL syntax error: {error.strip()}", None, None)
    line, column, rest = int(match.group(1)), int(match.group(2)), match.group(3)
    if rest.startswith("expected one of "):
        listed = _tidy(rest.removeprefix("expected one of "))
        rest = f"expected one of {listed}" if listed else "unexpected text here"
    return Explained(f"SPARQL syntax error: {rest.strip()}", line, column)
