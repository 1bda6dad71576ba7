"""Stage 5 (answers): the named query library (queries/*.rq) and running SPARQL over the built
graph on the persisted embedded Oxigraph store (obligraph/graph/store.py). Parameters are checked terms
(IRIs Oxigraph parsed, or typed literals such as an xsd:date), bound by a VALUES block or as SPARQL
substitutions (SEP-0007), never pasted into query text as given. A parameter's type is declared in
its query's header (`# param asof (optional, date): …`); TYPES says how each type is read."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox

from . import sparqlhelp, sparqltext
from ..errors import QueryError
from ..graph.paths import PROJECT, Paths
from ..graph.rdf import OBID
from ..graph.store import load_store
from .workers import Job, Limits, query_results, run_once

QUERIES = PROJECT / "queries"  # the bundled library; a corpus's own queries/ replaces it (Paths)
# `# param NAME (optional|required[, TYPE]): description` — the words in brackets are read by
# parse_header, so a type is data: any name TYPES knows
_HEADER = re.compile(r"^#\s*(title|question|param)\s*(?:([\w-]+)\s*(?:\(([^()]*)\))?)?\s*:\s*(.*)$")
_SPARQL_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


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
    type: str = "iri"  # a name in TYPES


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path


def parse_header(text: str, path: Path) -> NamedQuery:
    """Read the '# title:', '# question:' and '# param NAME (optional|required[, TYPE]):' comment
    lines (TYPE: a name in TYPES, iri when none is given)."""
    title, question, parameters, last = "", [], [], None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            key, name, flags, value = match.groups()
            last = key
            if key == "title":
                title = value.strip()
            elif key == "question":
                question.append(value.strip())
            elif key == "param" and name:
                required, kind = _flags(flags or "", name, path, number)
                parameters.append(Parameter(name, required, value.strip(), kind))
        elif last == "question" and line.startswith("#   "):
            question.append(line[1:].strip())
        else:
            last = None
    return NamedQuery(name=path.stem, title=title or path.stem, question=" ".join(question),
                      parameters=tuple(parameters), text=text, path=path)


def _flags(flags: str, name: str, path: Path, number: int) -> tuple[bool, str]:
    """(required, type) from the bracket of a `# param` line: `optional` or `required` (optional
    when neither is said), and at most one type named in TYPES (iri when none is)."""
    words = [word.strip() for word in flags.split(",") if word.strip()]
    unknown = [w for w in words if w not in ("optional", "required") and w not in TYPES]
    kinds = [w for w in words if w in TYPES]
    if unknown or len(kinds) > 1 or ("optional" in words and "required" in words):
        raise QueryError(f"parameter {name}: cannot read ({flags})", path=str(path),
                         where=f"line {number}",
                         hint="write (optional) or (required), then a type if it is not an IRI: "
                              f"(optional, date); the types: {', '.join(TYPES)}")
    return "required" in words, kinds[0] if kinds else "iri"


def library(directory: Path | None = None) -> tuple[NamedQuery, ...]:
    """The named queries, sorted by name: those of ``directory``, else the corpus's own queries/
    (the bundled ones where it has none)."""
    directory = Path(directory) if directory is not None else Paths().queries
    return tuple(parse_header(p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.rq")))


def from_text(text: str) -> NamedQuery:
    """A query given as text (`-e`), with no header."""
    return NamedQuery("query", "query", "", (), text, Path("<query>"))


def resolve(name_or_path: str, directory: Path | None = None) -> NamedQuery:
    """A library name, or the path of a .rq file."""
    named = {q.name: q for q in library(directory)}
    if name_or_path in named:
        return named[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise QueryError("no such query file", path=str(path),
                             hint="check the path, or name a query of the library (`obligraph queries` lists them)")
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


def parameter_date(value: str, name: str) -> ox.Literal:
    """A parameter value as an xsd:date literal: a real calendar day written YYYY-MM-DD."""
    hint = "write the date as YYYY-MM-DD, e.g. 2015-03-14"
    if not _DATE.match(value):
        raise QueryError(f"parameter {name}={value!r} is not a date", hint=hint)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"parameter {name}={value!r} is not a day of the calendar", hint=hint) from None
    return ox.Literal(day.isoformat(), datatype=XSD_DATE)


def parameter_boolean(value: str, name: str) -> ox.Literal:
    """A parameter value as an xsd:boolean literal: true or false, as written."""
    if value not in ("true", "false"):
        raise QueryError(f"parameter {name}={value!r} is not true or false", hint=f"write {name}=true or {name}=false")
    return ox.Literal(value, datatype=XSD_BOOLEAN)


@dataclass(frozen=True)
class ParameterType:
    """How a declared parameter's value is read. ``term``: (value, name) → the checked RDF term,
    or a QueryError; ``example``: what to write, in messages; ``entity``: an entity id that must
    be in the graph (checked against the store, not only in form); ``datatype``: the literal's
    datatype IRI (None for an IRI), which the query page writes its values with."""
    name: str
    term: Callable[[str, str], ox.NamedNode | ox.Literal]
    example: str
    entity: bool
    datatype: str | None = None


TYPES: dict[str, ParameterType] = {
    "iri": ParameterType("iri", parameter_iri, "ID", entity=True),
    "date": ParameterType("date", parameter_date, "YYYY-MM-DD", entity=False, datatype=XSD_DATE.value),
    "boolean": ParameterType("boolean", parameter_boolean, "true|false", entity=False, datatype=XSD_BOOLEAN.value),
}


def parameter_type(query: NamedQuery, name: str) -> ParameterType:
    """The declared type of a parameter; an IRI for one the query does not declare (-e text)."""
    return TYPES[next((p.type for p in query.parameters if p.name == name), "iri")]


def parameter_term(query: NamedQuery, name: str, value: str) -> ox.NamedNode | ox.Literal:
    """The value as the term its declared type makes, checked in form (no store needed)."""
    return parameter_type(query, name).term(value, name)


def no_such_entity(value: str, name: str, ids: list[str]) -> QueryError:
    close = difflib.get_close_matches(value, ids, n=3)
    # with ~200 states many ids are a little alike: name only those about as close as the closest
    ratio = lambda other: difflib.SequenceMatcher(None, value, other).ratio()  # noqa: E731
    close = [other for other in close if ratio(other) >= ratio(close[0]) - 0.1] if close else close
    return QueryError(f"parameter {name}={value!r}: no such entity",
                      hint=f"did you mean {' or '.join(close)}?" if close else
                      "entity ids are in the registry (sources/entities.yaml, sources/entities/)")


def _term(query: NamedQuery, value: str, store: ox.Store, name: str) -> ox.NamedNode | ox.Literal:
    node = parameter_term(query, name, value)
    if not parameter_type(query, name).entity or value.startswith(("http://", "https://")):
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
    missing = [p for p in query.parameters if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0].name}="
                         f"{TYPES[missing[0].type].example}", hint=missing[0].description)


def bind(query: NamedQuery, params: dict[str, str], store: ox.Store) -> dict:
    check_parameters(query, params)
    return {ox.Variable(name): _term(query, value, store, name) for name, value in sorted(params.items())}


def literal_unbindable(query: NamedQuery, terms: dict) -> QueryError | None:
    """The error for a literal parameter (a date) that no leading VALUES block can bind: a
    substitution or a trailing VALUES is joined after the pattern is evaluated, so a FILTER that
    compares with the date would see it unbound and narrow nothing — never run that."""
    literal = next((name for name, term in sorted(terms.items()) if isinstance(term, ox.Literal)), None)
    if literal is None:
        return None
    return QueryError(f"parameter {literal} (a {parameter_type(query, literal).name}) can only "
                      f"bind a SELECT or ASK query whose pattern names ?{literal}",
                      path=_shown(query), hint=f"use ?{literal} in the WHERE clause (e.g. in a FILTER)")


def _shown(query: NamedQuery) -> str:
    return "query" if query.path.name == "<query>" else str(query.path)


def values_clause(iris: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """A VALUES block binding each parameter to its term, an IRI or a typed literal (validated
    terms written by Oxigraph, never raw input)."""
    names = sorted(iris)
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ {iris[names[0]]} }}"
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(iris[n]) for n in names)}) }}"


def with_values_first(text: str, iris: dict[str, ox.NamedNode | ox.Literal]) -> str | None:
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
    terms = {v.value: node for v, node in substitutions.items()}
    first = with_values_first(query.text, terms)
    if first is None and (unbindable := literal_unbindable(query, terms)):
        raise unbindable
    # the leading-VALUES text first; an error is reported as the query was written (its own
    # lines and columns), bound by substitutions
    attempts = [(first, {})] if first is not None else []
    attempts.append((query.text, {name: node if isinstance(node, ox.Literal) else node.value
                                  for name, node in terms.items()}))
    job = Job(tuple(attempts), results_format="TSV")
    try:
        return _contained(job, store) if contained else query_results(store, job)
    except SyntaxError as error:  # in words, at the line and column of the text as written
        explained = sparqlhelp.explain(query.text, str(error))
        raise QueryError(explained.message, path=_shown(query), where=explained.where,
                         hint=explained.hint) from None
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
