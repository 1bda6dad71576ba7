"""The rules' store holds only the triples a rule can match (reasoning.RuleReads): what each
kind of pattern opens, and that the bundled rules conclude the same from it as from everything."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from obligraph.graph.rdf import INFERRED_GRAPH
from obligraph.graph.reasoning import Rule, infer_in_store, read_rules, rule_reads
from obligraph.graph.units import store_texts

from .conftest import ONTOLOGY

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ob: <https://w3id.org/obligraph/ontology#>
"""
OB = "https://w3id.org/obligraph/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def reads(*wheres: str):
    return rule_reads(tuple(Rule(f"r{i}", f"{PREFIXES}CONSTRUCT {{ ?s ob:x ?o }} WHERE {{ {where} }}", Path(f"r{i}.rq"))
                            for i, where in enumerate(wheres)))


def test_a_rule_reads_the_predicates_and_classes_its_patterns_name():
    found = reads("?s a ob:Claim ; ob:stance ?o . FILTER NOT EXISTS { ?s ob:curatorReading true }",
                  "?s dcterms:source/rdf:type ob:ReferenceRecord ; ob:partyTo|ob:signatoryOf ?o")
    assert found.predicates == {f"<{OB}{name}>" for name in
                                ("stance", "curatorReading", "partyTo", "signatoryOf")} | {
        TYPE, "<http://purl.org/dc/terms/source>"}
    assert found.classes == {f"<{OB}Claim>", f"<{OB}ReferenceRecord>"}
    line = f"<https://w3id.org/obligraph/claim/c1> {TYPE} <{OB}Claim> ."
    assert found.keeps(line)
    assert not found.keeps(line.replace("#Claim", "#Article"))
    assert not found.keeps(f"<https://w3id.org/obligraph/claim/c1> <{OB}statedBy> <{OB}x> .")
    assert found.keeps(f'<https://w3id.org/obligraph/claim/c1> <{OB}stance> "a b c" .')


@pytest.mark.parametrize("where", ["?s ?p ?o", "?s !ob:stance ?o", "?s ob:a/(!ob:b) ?o"])
def test_a_rule_with_an_open_predicate_reads_every_triple(where):
    found = reads("?s a ob:Claim", where)
    assert found.predicates is None and found.classes is None
    assert found.keeps(f"<urn:s> <{OB}anything> <urn:o> .")


@pytest.mark.parametrize("where", ["?s a ?class", "?s rdf:type|ob:kind ob:X", "?s rdf:type/ob:up ob:X",
                                   "?s ^rdf:type ?o", "?s rdf:type* ob:X"])
def test_a_class_left_open_keeps_every_type(where):
    found = reads("?s a ob:Claim", where)
    assert found.classes is None and TYPE in found.predicates
    assert found.keeps(f"<urn:s> {TYPE} <{OB}Article> .")
    assert not found.keeps(f"<urn:s> <{OB}statedBy> <urn:o> .")


def test_a_rule_rdflib_cannot_read_keeps_every_triple():
    # Oxigraph's own extension: rdflib's parser refuses it, so nothing is left out
    rule = Rule("r", PREFIXES + "CONSTRUCT { ?s ob:x ?o } WHERE { ?s ob:y ?o . LATERAL { ?o ob:z ?v } }",
                Path("r.rq"))
    assert rule_reads((rule,)).predicates is None


def test_the_bundled_rules_conclude_from_their_store_what_they_conclude_from_every_triple():
    """graph/obligraph.trig (the committed build) loaded whole, and only the lines the rules
    can match: the same conclusions, and the build's."""
    rules = read_rules(ONTOLOGY / "rules")
    trig = Path(__file__).resolve().parent.parent / "graph" / "obligraph.trig"
    whole = ox.Store()
    whole.load(path=str(trig), format=ox.RdfFormat.TRIG)
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    built = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in whole.quads_for_pattern(None, None, None, inferred))
    whole.remove_graph(inferred)
    kept, every = ox.Store(), 0
    found = rule_reads(rules)
    for graph in sorted({q.graph_name for q in whole}, key=str):
        lines = [f"{q.subject} {q.predicate} {q.object} ." for q in whole.quads_for_pattern(None, None, None, graph)]
        every += len(lines)
        for text in store_texts(lines, keep=found.keeps):
            kept.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    assert len(kept) < 0.7 * every  # the quotes, labels and titles are left out
    assert infer_in_store(kept, rules) == infer_in_store(whole, rules) == built
