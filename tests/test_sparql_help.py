"""Prefixes and errors people can read (issue 18): the usual prefixes are declared for every
query run here (a query's own PREFIX wins), `obligraph prefixes` lists them, and a syntax error
names its cause in words at the line and column of the text as written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import obligraph
from obligraph.answer.sparqlhelp import QUERY_PREFIXES, explain
from obligraph.cli import main

OFFERED = "ob, obid, obsrc, obclaim, obg, rdf, rdfs, xsd, owl, skos, dcterms, prov, oa"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_obligraph_prefixes_lists_them_as_prefix_lines():
    result = cli("prefixes")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:2] == ["PREFIX ob: <https://w3id.org/obligraph/ontology#>",
                         "PREFIX obid: <https://w3id.org/obligraph/id/>"]
    assert "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>" in lines
    assert [line.split()[1][:-1] for line in lines] == OFFERED.split(", ") == list(obligraph.prefixes())


def test_a_query_uses_them_undeclared_and_its_own_prefix_wins():
    result = cli("query", "-e", "SELECT ?l WHERE { obid:china rdfs:label ?l }", "--format", "csv")
    assert (result.exit_code, result.output.splitlines()) == (0, ["l", "China"])
    own = cli("query", "-e", "PREFIX obid: <urn:nothing:> SELECT ?l WHERE { obid:china rdfs:label ?l }",
              "--format", "csv")
    assert (own.exit_code, own.output.splitlines()) == (0, ["l"])


def test_a_forgotten_prefix_is_named_at_its_own_line_and_column():
    # Oxigraph itself reports a FILTER's unknown prefix at the next line, as "expected [_]"
    result = cli("query", "-e", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = foo:x)\n}")
    assert result.exit_code == 2
    assert result.stderr == ("error: query: line 3, column 15: unknown prefix 'foo:'\n"
                             f"  → declare it with PREFIX foo: <…> or use one of {OFFERED} "
                             "(`obligraph prefixes` lists them)\n")
    first = cli("query", "-e", "SELECT * WHERE { ?s foo:bar ?o }")
    assert first.stderr.startswith("error: query: line 1, column 21: unknown prefix 'foo:'\n")


@pytest.mark.parametrize("text, message, where", [
    ("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", "?s is selected but not grouped", (1, 8)),
    ("SELECT ?s\nWHERE { ?s ?p ?o", "the { opened here is never closed", (2, 7)),
    ("PREFIX a: <urn:a:>\nSELEC * WHERE { ?s ?p ?o }",
     "a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE, not 'SELEC'", (2, 1)),
    ("SELECT ?x WHERE {\n  ?x a }", "SPARQL syntax error: expected one of FILTER, SELECT, VALUES", (2, 9)),
])
def test_other_errors_in_words(text, message, where):
    import pyoxigraph as ox
    with pytest.raises(SyntaxError) as raised:
        list(ox.Store().query(text, prefixes=QUERY_PREFIXES))
    explained = explain(text, str(raised.value))
    assert (explained.message, (explained.line, explained.column)) == (message, where)
    assert "..=" not in explained.message and "[_]" not in explained.message
    result = cli("query", "-e", text)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: query: line {where[0]}, column {where[1]}: {message}\n")


def test_a_subquerys_grouping_is_its_own():
    text = "SELECT ?x WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } BIND(1 AS ?x) }"
    assert cli("query", "-e", text + " LIMIT 1", "--format", "csv").exit_code == 0


def test_an_update_says_updates_are_not_accepted():
    result = cli("query", "-e", "INSERT DATA { obid:a obid:b obid:c }")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: query: SPARQL Update is not supported: the graph is built from the sources")


def test_a_query_file_is_named_with_the_position_in_it(tmp_path):
    path = tmp_path / "forgot.rq"
    path.write_text("# my query\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = foo:x)\n}\n", encoding="utf-8")
    result = cli("query", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: line 4, column 15: unknown prefix 'foo:'\n")
