"""The build's memory-saving paths (issue 7) give what the plain ones gave: the rules'
conclusions kept as lines, the query store loaded in batches."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from obligraph.graph import store as query_store
from obligraph.graph.pipeline import PROJECT
from obligraph.graph.rdf import INFERRED_GRAPH
from obligraph.graph.reasoning import infer_in_store, read_rules

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
