"""Error behaviour beyond the catalogue of bad inputs (tests/bad_inputs/, run by
tests/test_bad_inputs.py): --debug tracebacks, SHACL reports, split registries, ranges."""

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
    from obligraph.graph.rdf import OA
    from obligraph.graph.validate import check_shapes, read_shapes
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
