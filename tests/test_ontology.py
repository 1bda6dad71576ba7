"""The ontology is a citizen of the OWL world: a proper header, every term documented, and the
OWL-RL closure of ontology + data finds no inconsistency."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

import obligraph
from obligraph.graph.outputs import merged
from obligraph.graph.pipeline import PROJECT

from .conftest import build_with_record

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


def test_owl_rl_closure_of_ontology_and_data_is_consistent(tmp_path):
    """The ontology, the registry, every article and treaty text, and the depositary record of
    one treaty for every state (the other treaties' rows use the same classes and properties;
    the OWL RL closure of all of them would take minutes)."""
    graph = build_with_record(tmp_path, ("5-2",))
    assert inconsistencies(merged(obligraph.load(graph))) == []


def test_the_consistency_check_can_fail(ontology):
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((URIRef("urn:x"), RDF.type, OB.Person))
    graph.add((URIRef("urn:x"), RDF.type, OB.State))
    assert inconsistencies(graph) == [
        "Disjoint classes https://w3id.org/obligraph/ontology#Person and "
        "https://w3id.org/obligraph/ontology#State have a common individual urn:x"]


def test_the_shapes_keep_a_curators_reading_the_curators():
    """A claim marked as a curator's reading but stated by its author, and one stated by the
    curator but not marked, are each reported with their own message."""
    from rdflib import Literal
    from rdflib.namespace import PROV

    from obligraph.graph.validate import read_shapes, violations
    graph = Graph()
    for triple in Graph().parse(PROJECT / "ontology" / "obligraph.ttl"):
        graph.add(triple)
    marked, unmarked = URIRef("urn:claim:marked"), URIRef("urn:claim:unmarked")
    graph.add((marked, OB.curatorReading, Literal(True)))
    graph.add((marked, OB.statedBy, URIRef("https://w3id.org/obligraph/id/evan-jones")))
    graph.add((unmarked, OB.statedBy, OB.Curator))
    graph.add((unmarked, PROV.wasAttributedTo, OB.Curator))
    found = violations(graph, read_shapes(PROJECT / "ontology" / "shapes.ttl"))
    messages = sorted((focus if focus.startswith("urn:") else value, message) for focus, message, _, value in found)
    assert messages == [
        ("urn:claim:marked", "a curator's reading must be attributed (prov:wasAttributedTo) to ob:Curator"),
        ("urn:claim:marked", "a curator's reading must be stated by ob:Curator, not by the source's author or someone it quotes"),
        ("urn:claim:unmarked", "claim urn:claim:unmarked is stated by the curator but not marked as a curator's "
                               "reading (ob:curatorReading true): write reading: curator")]


def test_every_rule_says_whether_it_accepts_curator_readings():
    import re
    headers = {}
    for path in sorted((PROJECT / "ontology" / "rules").glob("*.rq")):  # every rule, new ones too
        name, text = path.stem, path.read_text(encoding="utf-8")
        headers[name] = re.findall(r"^# Curator readings: (ACCEPTED|NOT accepted)\b", text, re.M)
        # a rule that refuses them says so in its query too
        assert ("FILTER NOT EXISTS" in text and "ob:curatorReading true" in text) == (
            headers[name] == ["NOT accepted"]), name
    assert headers == {"10-consent-from-record": ["NOT accepted"], "11-consent-from-sources": ["NOT accepted"],
                       "20-bound-by": ["NOT accepted"], "21-bound-by-incorporation": ["NOT accepted"],
                       "30-potential-breach": ["ACCEPTED"], "31-compliance": ["ACCEPTED"],
                       "32-potential-breach-by-kind": ["ACCEPTED"], "33-premise-of-status": ["ACCEPTED"],
                       "15-entry-into-force": ["NOT accepted"], "16-signature-duty": ["NOT accepted"],
                       "25-reservations": ["NOT accepted"], "26-reservation-clauses": ["NOT accepted"],
                       "40-contradiction": ["NOT accepted"]}


RESERVED = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# OWL 2's datatype map: a range outside it (xsd:date, xsd:gYear) is not OWL 2 DL
OWL2_DATATYPES = {URIRef("http://www.w3.org/2001/XMLSchema#" + name) for name in (
    "boolean", "integer", "nonNegativeInteger", "decimal", "double", "float", "string", "dateTime",
    "anyURI", "positiveInteger", "int", "long")} | {RDFS.Literal}


def test_the_ontology_is_owl_2_dl_every_term_declared_once(ontology):
    """Protégé opens ontology/obligraph.ttl as OWL 2 DL: every class and property it uses — its
    own and PROV's, DCTERMS', ORG's, ELI's, FOAF's, OA's, SKOS's, schema.org's — is declared as one
    kind of thing; no class is a subclass of the reserved rdf:Statement; sub-properties are of their
    super-property's kind; ranges are OWL 2 datatypes or classes."""
    declared: dict = {}
    for kind in KINDS:
        for term in ontology.subjects(RDF.type, kind):
            declared.setdefault(term, set()).add(kind)
    properties = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    assert [t for t, kinds in declared.items() if len(kinds & properties) > 1] == []
    undeclared = {p for p in ontology.predicates() if not str(p).startswith(RESERVED) and p not in declared}
    for s, p, o in ontology.triples((None, RDF.type, None)):
        if o not in KINDS and not str(o).startswith(RESERVED) and o not in declared:
            undeclared.add(o)
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        undeclared |= {t for t in (s, o) if t not in declared and not str(t).startswith(RESERVED)}
    assert sorted(map(str, undeclared)) == []
    assert list(ontology.subjects(RDFS.subClassOf, RDF.Statement)) == []
    assert [(s, o) for s, o in ontology.subject_objects(RDFS.subPropertyOf)
            if not declared.get(s, set()) & declared.get(o, set())] == []
    datatype_ranges = {o for s, o in ontology.subject_objects(RDFS.range)
                       if OWL.DatatypeProperty in declared.get(s, set())}
    assert datatype_ranges <= OWL2_DATATYPES
    for term in ("http://www.w3.org/ns/prov#wasDerivedFrom", "http://www.w3.org/ns/oa#hasTarget",
                 "http://purl.org/dc/terms/source", "http://www.w3.org/ns/org#memberOf", "https://schema.org/url"):
        assert declared[URIRef(term)] == {OWL.ObjectProperty}, term


def test_hermit_finds_the_ontology_consistent(ontology, tmp_path):
    """The ontology loaded by Owlready2 and classified by HermiT (Java: `make java`, which
    `make test` runs, installs it where it is missing)."""
    import shutil
    import owlready2
    assert shutil.which("java"), "HermiT needs Java: run `make java` (apt's default-jre-headless)"
    ontology.serialize(tmp_path / "obligraph.rdf", format="xml")
    world = owlready2.World()
    loaded = world.get_ontology((tmp_path / "obligraph.rdf").as_uri()).load()
    assert len(list(loaded.classes())) > 50
    with loaded:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
