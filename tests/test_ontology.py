"""The ontology is a citizen of the OWL world: a proper header, every term documented, and the
OWL-RL closure of ontology + data finds no inconsistency."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

import obligraph
from obligraph.outputs import merged
from obligraph.pipeline import PROJECT

OB = Namespace("https://w3id.org/obligraph/ontology#")
ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(PROJECT / "ontology" / "obligraph.ttl")


def inconsistencies(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return sorted(str(message) for message in graph.objects(None, ERROR)) + \
        sorted(str(s) for s in graph.subjects(RDF.type, OWL.Nothing))


def test_header_has_a_version_iri_and_imports_nothing(ontology):
    header = URIRef("https://w3id.org/obligraph/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) == URIRef("https://w3id.org/obligraph/ontology/0.1.0")
    assert list(ontology.objects(None, OWL.imports)) == []


def test_every_term_has_a_label_and_a_comment(ontology):
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(OB))}
    assert len(terms) > 100
    unlabelled = sorted(str(t) for t in terms if not ontology.value(t, RDFS.label))
    uncommented = sorted(str(t) for t in terms
                         if not ontology.value(t, RDFS.comment) and not ontology.value(t, SKOS.definition))
    assert unlabelled == [] and uncommented == []


def test_owl_rl_closure_of_ontology_and_data_is_consistent():
    assert inconsistencies(merged(obligraph.load())) == []


def test_the_consistency_check_can_fail(ontology):
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((URIRef("urn:x"), RDF.type, OB.Person))
    graph.add((URIRef("urn:x"), RDF.type, OB.State))
    assert inconsistencies(graph) == [
        "Disjoint classes https://w3id.org/obligraph/ontology#Person and "
        "https://w3id.org/obligraph/ontology#State have a common individual urn:x"]
