"""Stage 5 (answers): the named query library (queries/*.rq) and running SPARQL over the built
graph on the persisted embedded Oxigraph store (obligraph/graph/store.py). Parameters are checked terms
(IRIs Oxigraph parsed), bound by a VALUES block or as SPARQL substitutions (SEP-0007), never
pasted into query text as given."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import sparqltext
from ..errors import QueryError
from ..graph.paths import PROJECT
from ..graph.rdf import OBID
from ..graph.store import load_store
from .workers import Job, Limits, query_results, run_once

QUERIES = PROJECT / "queries"
_HEADER = re.compile(r"^#\s*(title|question|param)\s*(?:([\w-]+)\s*(\((?:optional|required)\))?)?\s*:\s*(.*)$")
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_SPARQL_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ResultFormat(str, Enum):
    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path


def parse_header(text: str, path: Path) -> NamedQuery:
    """Read the '# title:', '# question:' and '# param NAME (optional|required):' comment lines."""
    title, question, parameters, last = "", [], [], None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            key, name, flag, value = match.groups()
            last = key
            if key == "title":
                title = value.strip()
            elif key == "question":
                question.append(value.strip())
            elif key == "param" and name:
                parameters.append(Parameter(name, flag == "(required)", value.strip()))
        elif last == "question" and line.startswith("#   "):
            question.append(line[1:].strip())
        else:
            last = None
    return NamedQuery(name=path.stem, title=title or path.stem, question=" ".join(question),
                      parameters=tuple(parameters), text=text, path=path)


def library(directory: Path = QUERIES) -> tuple[NamedQuery, ...]:
    """The named queries, sorted by name."""
    return tuple(parse_header(p.read_text(encoding="utf-8"), p) for p in sorted(Path(directory).glob("*.rq")))


def from_text(text: str) -> NamedQuery:
    """A query given as text (`-e`), with no header."""
    return NamedQuery("query", "query", "", (), text, Path("<query>"))


def resolve(name_or_path: str, directory: Path = QUERIES) -> NamedQuery:
    """A library name, or the path of a .rq file."""
    named = {q.name: q for q in library(directory)}
    if name_or_path in named:
        return named[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise QueryError("no such query file", path=str(path))
        return parse_header(path.read_text(encoding="utf-8"), path)
    close = difflib.get_close_matches(name_or_path, named, n=1)
    raise QueryError(f"no named query {name_or_path!r}",
                     hint=(f"did you mean {close[0]}? " if close else "")
                     + f"available: {', '.join(named)} (or a .rq file, or -e 'SPARQL')")


def open_store(path: Path | None = None) -> ox.Store:
    """The built dataset (graph/obligraph.trig by default) as a read-only Oxigraph store: the
    persisted one (obligraph.store), so a query neither rebuilds nor re-parses the graph."""
    return load_store(path)


def parameter_iri(value: str, name: str) -> ox.NamedNode:
    """A parameter value as an IRI: a full http(s) IRI, or an entity id under obid:. Checks the
    form only (no store needed); Oxigraph's IRI parser refuses anything that is not an IRI."""
    if value.startswith(("http://", "https://")):
        try:
            return ox.NamedNode(value)
        except ValueError as error:
            raise QueryError(f"parameter {name}={value!r} is not a valid IRI ({error})",
                             hint="use an entity id such as china, or a full IRI") from None
    if not _ENTITY_ID.match(value):
        raise QueryError(f"parameter {name}={value!r} is not an entity id or an IRI",
                         hint="use an id from sources/entities.yaml, e.g. china")
    return ox.NamedNode(str(OBID[value]))


def no_such_entity(value: str, name: str, ids: list[str]) -> QueryError:
    close = difflib.get_close_matches(value, ids, n=3)
    return QueryError(f"parameter {name}={value!r}: no such entity",
                      hint=f"did you mean {' or '.join(close)}?" if close else
                      "entity ids are in sources/entities.yaml")


def _term(value: str, store: ox.Store, name: str) -> ox.NamedNode:
    node = parameter_iri(value, name)
    if value.startswith(("http://", "https://")):
        return node
    if next(iter(store.quads_for_pattern(node, None, None)), None) is None:
        ids = [str(q.subject.value).removeprefix(str(OBID)) for q in store.quads_for_pattern(
            None, ox.NamedNode("http://purl.org/dc/terms/identifier"), None)
            if str(q.subject.value).startswith(str(OBID))]
        raise no_such_entity(value, name, ids)
    return node


def check_parameters(query: NamedQuery, params: dict[str, str]) -> None:
    """The parameters given are ones the query declares, and its required ones are given."""
    declared = {p.name for p in query.parameters}
    if query.parameters:
        unknown = sorted(set(params) - declared)
        if unknown:
            raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)}",
                             hint=f"its parameters: {', '.join(sorted(declared))}")
    missing = [p.name for p in query.parameters if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=ID",
                         hint=next(p.description for p in query.parameters if p.name == missing[0]))


def bind(query: NamedQuery, params: dict[str, str], store: ox.Store) -> dict:
    check_parameters(query, params)
    return {ox.Variable(name): _term(value, store, name) for name, value in sorted(params.items())}


def _shown(query: NamedQuery) -> str:
    return "query" if query.path.name == "<query>" else str(query.path)


def values_clause(iris: dict[str, ox.NamedNode]) -> str:
    """A VALUES block binding each parameter to its IRI (validated terms, never raw input)."""
    names = sorted(iris)
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ {iris[names[0]]} }}"
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(iris[n]) for n in names)}) }}"


def with_values_first(text: str, iris: dict[str, ox.NamedNode]) -> str | None:
    """The query with the parameters bound by a VALUES block opening its WHERE group, or None
    where that could change what it means (not a SELECT or ASK, a parameter it never names).

    Why: Oxigraph applies substitutions (and a trailing VALUES) after evaluating the pattern, so a
    parameter narrows nothing: evidence-for took 0.9 s at 100k triples bound that way and 0.05 s
    with the same IRI in a leading VALUES, which the optimiser joins first."""
    if not iris or sparqltext.form(text) not in ("SELECT", "ASK"):
        return None
    named = {match.group("word")[1:] for match in sparqltext._LEX.finditer(text)
             if match.lastgroup == "word" and match.group("word")[0] in "?$"}
    if not set(iris) <= named:
        return None
    depth = 0
    for match in sparqltext._LEX.finditer(text):
        token = match.group() if match.lastgroup == "other" else ""
        depth += (token == "(") - (token == ")")
        if token == "{" and depth == 0:  # the WHERE group (a projection's EXISTS is in brackets)
            return f"{text[:match.end()]} {values_clause(iris)}{text[match.end():]}"
    return None


def refuse(query: NamedQuery) -> None:
    """What no query run here may do, refused before Oxigraph reads it: updates (the graph is
    built, not edited), SERVICE (no network at run time: sources may name witnesses), and
    nesting so deep it can crash the parser."""
    text = query.text
    deep = sparqltext.too_deep(text)
    if deep:
        raise QueryError(deep, path=_shown(query))
    if sparqltext.is_update(text):
        raise QueryError("SPARQL Update is not supported: the graph is built from the sources, "
                         "not edited", path=_shown(query),
                         hint="change the files in sources/ and run `obligraph build`; to edit a "
                              "copy, `obligraph push` it to a writable store")
    if sparqltext.names_service(text):
        raise QueryError("SERVICE is not allowed: Obligraph never fetches other endpoints while "
                         "it answers (the sources may name witnesses)", path=_shown(query),
                         hint="run that part against the other endpoint itself, e.g. "
                              "`obligraph query --endpoint URL`")


_LOCAL = Limits(timeout=None, max_rows=None, max_bytes=None, max_memory=None)


def _contained(job: Job, store: ox.Store):
    """Results from a forked, contained child (workers.run_once), read back into Oxigraph's own
    result types (a list of triples for CONSTRUCT and DESCRIBE)."""
    answer = run_once(store, job, _LOCAL)
    if answer.kind == "graph":
        return [quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
    return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.TSV)


def execute(query: NamedQuery, store: ox.Store, params: dict[str, str] | None = None, *,
            contained: bool = False):
    """Run over the union of all named graphs; a syntax error says line and column.
    ``contained``: in a forked child that cannot reach the network, so a query that crashes the
    engine is a QueryLimitError, not the end of this process (`obligraph query` does this)."""
    refuse(query)
    substitutions = bind(query, params or {}, store)
    first = with_values_first(query.text, {v.value: node for v, node in substitutions.items()})
    # the leading-VALUES text first; an error is reported as the query was written (its own
    # lines and columns), bound by substitutions
    attempts = [(first, {})] if first is not None else []
    attempts.append((query.text, {v.value: node.value for v, node in substitutions.items()}))
    job = Job(tuple(attempts), results_format="TSV")
    try:
        return _contained(job, store) if contained else query_results(store, job)
    except SyntaxError as error:
        match = _ERROR_AT.match(str(error))
        where = f"line {match.group(1)}, column {match.group(2)}" if match else None
        raise QueryError(f"SPARQL syntax error: {match.group(3) if match else error}",
                         path=_shown(query), where=where) from None
    except RuntimeError as error:  # Oxigraph's evaluation errors, e.g. a substitution it refuses
        raise QueryError(f"the query cannot run: {error}", path=_shown(query),
                         hint="a --param must name a variable of the SELECT clause") from None


def python_value(term) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in ("integer", "nonNegativeInteger", "int", "long"):
            return int(term.value)
        if kind == "decimal":
            return Decimal(term.value)
        if kind in ("double", "float"):
            return float(term.value)
        if kind == "boolean":
            return term.value == "true"
        return term.value
    return term.value


def query(name_or_text: str, *, graph: Path | None = None, store: ox.Store | None = None,
          **params: str) -> list[dict[str, Any]]:
    """Run a named query (or SPARQL text) over the built graph; rows as dicts of Python values."""
    store = store or open_store(graph)
    is_text = _SPARQL_FORM.search(name_or_text) and not name_or_text.endswith(".rq")
    results = execute(from_text(name_or_text) if is_text else resolve(name_or_text), store, params)
    if isinstance(results, ox.QueryBoolean):
        return [{"result": bool(results)}]
    if isinstance(results, (ox.QueryTriples, list)):  # a graph: each triple once
        return [{"subject": python_value(t.subject), "predicate": python_value(t.predicate),
                 "object": python_value(t.object)} for t in dict.fromkeys(results)]
    names = [v.value for v in results.variables]
    return [{name: python_value(row[name]) for name in names} for row in results]
