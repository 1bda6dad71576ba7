"""The build's memory-saving paths (issues 7, 20, 22) give what the plain ones gave: the rules'
conclusions kept as lines, the query store loaded in batches, a block rendered in pieces into
the build cache and read back from there, a unit holding only the claims it is told to keep."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from obligraph.graph import store as query_store
from obligraph.graph.outputs import block, read_block, write_block
from obligraph.graph.pipeline import PROJECT
from obligraph.graph.rdf import INFERRED_GRAPH
from obligraph.graph.reasoning import infer_in_store, read_rules
from obligraph.graph.units import UnitCache, make_unit

GRAPH = PROJECT / "graph" / "obligraph.trig"


def _graph_lines() -> dict[str, list[str]]:
    lines = defaultdict(set)
    for quad in ox.parse(path=str(GRAPH), format=ox.RdfFormat.TRIG):
        lines[quad.graph_name.value].add(f"{quad.subject} {quad.predicate} {quad.object} .")
    return {graph: sorted(found) for graph, found in lines.items()}


def test_the_rules_add_nothing_the_second_time():
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    store = ox.Store()
    store.extend(q for q in ox.parse(path=str(GRAPH), format=ox.RdfFormat.TRIG)
                 if q.graph_name != inferred and "fullText" not in q.predicate.value)
    rules = read_rules(PROJECT / "ontology" / "rules")
    first = infer_in_store(store, rules)
    size = len(store)
    assert first == _graph_lines()[str(INFERRED_GRAPH)]
    assert infer_in_store(store, rules) == first and len(store) == size


def test_a_store_loaded_in_batches_holds_every_quad(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(query_store, "_LOAD_BATCH", 1_000)  # several batches on the bundled graph
    batched, whole = ox.Store(str(tmp_path / "batched")), ox.Store(str(tmp_path / "whole"))
    query_store._parse_into(GRAPH)(batched)
    whole.bulk_load(path=str(GRAPH), format=ox.RdfFormat.TRIG)
    # compared as text: a store keeps e.g. an xsd:nonNegativeInteger as its value
    assert len(batched) == len(whole) and {str(q) for q in batched} == {str(q) for q in whole}


def _source_lines() -> tuple[str, list[str]]:
    """The bundled graph's biggest source graph (with its full text) as sorted N-Triples lines."""
    graph, lines = max(((g, found) for g, found in _graph_lines().items() if "/source/" in g),
                       key=lambda item: len(item[1]))
    assert any(" <https://w3id.org/obligraph/ontology#fullText> " in line for line in lines)
    return graph, lines


def test_a_block_written_in_pieces_is_the_block(tmp_path: Path):
    graph, lines = _source_lines()
    pieces: list[str] = []
    write_block(graph, lines, pieces.append)
    assert len(pieces) > 3 and "".join(pieces) == block(graph, lines).trig


def test_a_block_read_back_is_its_quads_but_the_full_text(tmp_path: Path):
    graph, lines = _source_lines()
    path = tmp_path / "block.trig"
    with path.open("w", encoding="utf-8") as handle:
        write_block(graph, lines, handle.write)
    read = {f"{q.subject} {q.predicate} {q.object} ." for q in read_block(path)}
    assert {q.graph_name.value for q in read_block(path)} == {graph}
    assert read == {line for line in lines if "#fullText>" not in line}
    assert len(read) == len(lines) - 1


def test_a_unit_cache_renders_its_block_beside_it_and_the_lines_survive(tmp_path: Path):
    graph, lines = _source_lines()
    unit = make_unit(graph, lines=lines)
    cache = UnitCache(tmp_path)
    assert cache.rendered("ab" * 32) is None and cache.put("ab" * 32, unit)
    assert cache.rendered("ab" * 32).read_text(encoding="utf-8") == block(graph, lines).trig
    assert cache.get("ab" * 32) == unit
    memory = UnitCache(None)  # --no-cache keeps nothing, so there is nothing rendered either
    assert not memory.put("cd" * 32, unit) and memory.rendered("cd" * 32) is None


def test_a_unit_holds_only_the_claims_it_is_told_to_keep_and_counts_them_all():
    claims = [object(), object(), object()]
    unit = make_unit("http://example.org/g", lines=[], claims=claims, keep=lambda c: c is claims[1])
    assert unit.claims == (claims[1],) and unit.claim_count == 3
    assert make_unit("http://example.org/g", lines=[], claims=claims).claims == tuple(claims)


def test_a_big_corpus_starts_its_shape_workers_before_reading_and_builds_the_same(small, monkeypatch):
    from obligraph.graph import pipeline, validate
    from tests.conftest import ONTOLOGY

    paths = pipeline.Paths(sources=small.sources, ontology=ONTOLOGY, out=small.out)
    pipeline.build(paths=paths, cache=False)
    plain = (small.out / "obligraph.trig").read_bytes()
    events: list[str] = []
    start, read = validate.ShapeBatches.start, pipeline.read_source_and_claims
    monkeypatch.setattr(validate.ShapeBatches, "start", lambda self: (events.append("start"), start(self)))
    monkeypatch.setattr(pipeline, "read_source_and_claims",
                        lambda *a, **k: (events.append("read"), read(*a, **k))[1])
    monkeypatch.setattr(pipeline, "EARLY_WORKERS", 0)  # the small corpus counts as big
    pipeline.build(paths=paths, cache=False)
    assert events[:2] == ["start", "read"]
    assert (small.out / "obligraph.trig").read_bytes() == plain
    events.clear()
    monkeypatch.setattr(pipeline, "EARLY_WORKERS", 10**9)  # small: checked in this process
    pipeline.build(paths=paths, cache=False)
    assert "start" not in events and (small.out / "obligraph.trig").read_bytes() == plain


def test_the_rules_store_moved_to_disk_gives_the_same_conclusions(tmp_path: Path, monkeypatch):
    """Past RulesStore's spill size its quads move to an on-disk store, which the rules read in
    the same way: a store that spills after 1,000 quads gives the conclusions of one that never
    does, and its directory is gone once it is closed."""
    inferred = str(INFERRED_GRAPH)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    graphs = {g: [line for line in lines if "fullText" not in line]
              for g, lines in _graph_lines().items() if g != inferred}
    rules = read_rules(PROJECT / "ontology" / "rules")
    results = {}
    for spill in (1_000, 10**9):
        rules_store = query_store.RulesStore(spill=spill)
        for graph, lines in sorted(graphs.items()):
            rules_store.add(graph, lines)
        on_disk = rules_store.directory
        assert (on_disk is not None) == (spill == 1_000)
        assert len(rules_store.ready()) == sum(len(lines) for lines in graphs.values())
        results[spill] = infer_in_store(rules_store.ready(), rules)
        rules_store.close()
        assert on_disk is None or not on_disk.exists()
    assert results[1_000] == results[10**9] == _graph_lines()[inferred]
