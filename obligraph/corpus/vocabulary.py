"""What the ontology allows curators to write: entity types and claim predicates.

Read from ontology/obligraph.ttl, so a new type or predicate is an ontology edit, not a code change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace

from ..errors import SourceFileError

OB = Namespace("https://w3id.org/obligraph/ontology#")


@dataclass(frozen=True)
class Vocabulary:
    entity_types: frozenset[str]  # local names of the subclasses of ob:Entity
    predicates: frozenset[str]  # local names of the ob:ClaimProperty instances
    literal_predicates: frozenset[str]  # those whose object is a value (owl:DatatypeProperty)


def read_ontology(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise SourceFileError("the ontology file is missing", path=str(path),
                              hint="restore ontology/obligraph.ttl from version control") from None
    except Exception as error:  # rdflib raises many parser types; all mean "fix the file"
        raise SourceFileError(f"the ontology does not parse: {error}", path=str(path)) from None


def vocabulary_of(ontology: Graph) -> Vocabulary:
    def local(term) -> str:
        return str(term).removeprefix(str(OB))

    types = {local(c) for c in ontology.transitive_subjects(RDFS.subClassOf, OB.Entity)
             if str(c).startswith(str(OB)) and c != OB.Entity}
    properties = set(ontology.subjects(RDF.type, OB.ClaimProperty))
    literal = {p for p in properties if (p, RDF.type, OWL.DatatypeProperty) in ontology}
    return Vocabulary(entity_types=frozenset(types),
                      predicates=frozenset(local(p) for p in properties),
                      literal_predicates=frozenset(local(p) for p in literal))
