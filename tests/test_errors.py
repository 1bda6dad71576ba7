"""Each bad input stops the build with the file, the claim and what to do; exit 1; no traceback
unless --debug; the previous graph/ left exactly as it was."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.errors import ObligraphError

from .conftest import SMALL_CLAIMS


def build(small, *extra):
    return CliRunner().invoke(main, [*extra, *small.args()])


def spoiled_claims(old: str, new: str) -> str:
    assert old in SMALL_CLAIMS
    return SMALL_CLAIMS.replace(old, new)


CASES = {
    "quote not found": (
        "articles/a1.claims.yaml",
        spoiled_claims("quote: Arcadia lets the UN Refugee Agency work.",
                       "quote: Arcadia lets the UN Refugee Agency operate."),
        "error: sources/articles/a1.claims.yaml: claim 2: quote not found in the source text: "
        "'Arcadia lets the UN Refugee Agency operate.'\n"
        "  → copy it again from the text (its first 35 characters match at offset 53; there the "
        "text continues 'work.\\n' where the quote has 'operate.')\n"),
    "quote ambiguous": (
        "articles/a1.claims.yaml",
        spoiled_claims("quote: Arcadia lets the UN Refugee Agency work.", "quote: Arcadia"),
        "error: sources/articles/a1.claims.yaml: claim 2: quote occurs 2 times (offsets 0, 53): "
        "'Arcadia'\n  → lengthen the quote until it is unique, or add `occurrence: N` (1-based)\n"),
    "unknown entity": (
        "articles/a1.claims.yaml",
        spoiled_claims("object: unhcr", "object: unhrc"),
        "error: sources/articles/a1.claims.yaml: claim 2: object 'unhrc' is not in the registry\n"
        "  → did you mean unhcr?\n"),
    "unknown predicate": (
        "articles/a1.claims.yaml",
        spoiled_claims("predicate: partyTo", "predicate: party_to"),
        "error: sources/articles/a1.claims.yaml: claim 1: unknown predicate 'party_to'\n"
        "  → did you mean partyTo?\n"),
    "malformed date": (
        "articles/a1.claims.yaml",
        spoiled_claims('date: "1990"', 'date: "1990-02-31"'),
        "error: sources/articles/a1.claims.yaml: claim 1: date '1990-02-31' is not a real calendar "
        "date\n  → write the date as \"2012\", \"2012-03\" or \"2012-03-09\" (quoted)\n"),
    "malformed YAML": (
        "articles/a1.claims.yaml",
        spoiled_claims("  predicate: allowsAccessTo", " predicate: allowsAccessTo"),
        "error: sources/articles/a1.claims.yaml: line 8, column 2: malformed YAML: expected <block "
        "end>, but found '<block mapping start>'\n"
        "  → check indentation, and quote text containing ': ' or '#'\n"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_stops_the_build_and_keeps_the_previous_graph(small, case, monkeypatch):
    monkeypatch.chdir(small.root)
    first = build(small)
    assert first.exit_code == 0, first.output
    before = {path.name: path.read_bytes() for path in small.out.iterdir()}
    name, content, message = CASES[case]
    small.write(name, content)
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr == message
    assert "Traceback" not in result.output
    assert {path.name: path.read_bytes() for path in small.out.iterdir()} == before


def test_missing_source_file_is_named(small, monkeypatch):
    monkeypatch.chdir(small.root)
    (small.sources / "articles/a1.txt").unlink()
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: sources/articles/a1.meta.yaml: text: sources/articles/a1.txt: file not found\n"
        "  → check the file name in the metadata, or add the file\n")
    assert not small.out.exists()


def test_debug_shows_the_traceback(small, monkeypatch):
    monkeypatch.chdir(small.root)
    small.write("articles/a1.claims.yaml", spoiled_claims("object: unhcr", "object: unhrc"))
    result = build(small, "--debug")
    assert result.exit_code == 1
    assert isinstance(result.exception, ObligraphError)
    assert "is not in the registry" in str(result.exception)


def test_shape_violation_is_reported_with_file_and_claim(small, monkeypatch):
    """An entity without a label is caught by the registry reader; a claim whose evidence has
    start >= end cannot be written by a curator, so the SHACL check is exercised on the graph."""
    monkeypatch.chdir(small.root)
    from rdflib import Literal, XSD

    import obligraph
    from obligraph.rdf import OA
    from obligraph.validate import check_shapes, read_shapes
    from obligraph.errors import ShapeViolationError

    corpus, dataset = obligraph.assemble(paths=small.paths)
    graph = next(g for g in dataset.graphs() if str(g.identifier).endswith("source/a1"))
    position = next(graph.subjects(OA.start, None))
    graph.set((position, OA.start, Literal(999, datatype=XSD.nonNegativeInteger)))
    with pytest.raises(ShapeViolationError) as raised:
        check_shapes(dataset, read_shapes(small.paths.ontology / "shapes.ttl"), corpus)
    assert "sources/articles/a1.claims.yaml: claim " in str(raised.value)


def test_registry_may_be_split_but_ids_stay_unique(small, monkeypatch):
    monkeypatch.chdir(small.root)
    small.write("entities/more.yaml", "- {id: borduria, type: State, label: Borduria}\n")
    assert build(small).exit_code == 0
    small.write("entities/more.yaml", "- {id: arcadia, type: State, label: Arcadia again}\n")
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr == ("error: sources/entities/more.yaml: entry 1 (arcadia): duplicate id 'arcadia' "
                             "(first in sources/entities.yaml)\n  → give each entity one entry\n")


def test_a_mistyped_field_is_named(small, monkeypatch):
    monkeypatch.chdir(small.root)
    small.write("articles/a1.claims.yaml", spoiled_claims("  mode: accession", "  mdoe: accession"))
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: sources/articles/a1.claims.yaml: claim 1: unknown field(s): mdoe\n"
                                    "  → allowed fields: approximate, at_least, date, end, id, max, min, mode,")


@pytest.mark.parametrize("fields, message", [
    ("  max: 5\n", "a range needs both min and max, and no object or value"),
    ("  min: 1\n  max: 5\n", "a range needs both min and max, and no object or value"),
])
def test_ranges_need_both_bounds_and_nothing_else(small, monkeypatch, fields, message):
    monkeypatch.chdir(small.root)
    small.write("articles/a1.claims.yaml", SMALL_CLAIMS + "- subject: arcadia\n  predicate: allowsAccessTo\n"
                "  object: unhcr\n" + fields + "  quote: Arcadia lets the UN Refugee Agency work.\n")
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr == f"error: sources/articles/a1.claims.yaml: claim 3: {message}\n"


def test_yaml_aliases_are_refused_so_a_yaml_bomb_cannot_expand(small, monkeypatch):
    monkeypatch.chdir(small.root)
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    small.write("articles/a1.claims.yaml", bomb)
    result = build(small)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: sources/articles/a1.claims.yaml: malformed YAML: "
                                    "YAML aliases (*name) are not allowed, line 2")
