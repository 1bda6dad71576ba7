"""Stage: rdflib Dataset → networkx.MultiDiGraph of entities and the relations between them.

One function, :func:`to_network`. Nodes are the registry's entities (key: the entity id, e.g.
``china``); edges are relations between two entities, at most one per (subject, predicate, object)
(MultiDiGraph key: the predicate's local name). Claims, evidence and annotations are not nodes:
they are attributes — every claim behind an edge, whatever its source or stance, with its quote;
literal-valued claims (a statistic's value, an event's date) on their subject node.

Which relations: any claim whose rdf:subject and rdf:object are entities (stances asserts, alleges,
denies and recommends alike — only ``asserts`` has a plain triple), plus plain triples between
entities in the source graphs whose predicate is an ob:ClaimProperty, plus plain triples between
entities in ``obg:inferred`` (potentiallyBreaches, boundBy, compliesWithObligation) with the
conclusions behind them. Everything is sorted, so the graph is the same on every run."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .rdf import ENTITIES_GRAPH, INFERRED_GRAPH, OA, OBG, OBID, OBSRC, ONTOLOGY_GRAPH, local_name
from .vocabulary import OB

BREACH = "potentiallyBreaches"
_CONCLUSION_TYPES = (OB.PotentialBreach, OB.BoundBy, OB.Compliance)
_CONCLUSION_FIELDS = (("policy", OB.policy), ("provision", OB.provision),
                      ("treaty", OB.treaty), ("through", OB.through), ("since", OB.since),
                      ("boundSince", OB.boundSince), ("policyEvidencedOn", OB.policyEvidencedOn),
                      ("mode", OB.mode), ("basis", OB.basis))


def _entity_id(term) -> str | None:
    text = str(term)
    return text.removeprefix(str(OBID)) if isinstance(term, URIRef) and text.startswith(str(OBID)) else None


def _text(value) -> str:
    """A literal or concept as display text (dates as written, numbers without noise)."""
    if isinstance(value, Literal):
        return str(value)
    return local_name(value)


def _first(graph, subject, predicate, default=None):
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else default


class _Reader:
    """Lookups over the dataset, kept together so to_network stays one readable function."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.ontology = dataset.graph(ONTOLOGY_GRAPH)
        self.entities_graph = dataset.graph(ENTITIES_GRAPH)
        self.inferred = dataset.graph(INFERRED_GRAPH)
        self.sources = [g for g in sorted(dataset.graphs(), key=lambda g: str(g.identifier))
                        if str(g.identifier).startswith((str(OBG) + "source/", str(OBG) + "extracted/"))]
        self.claim_properties = set(self.ontology.subjects(RDF.type, OB.ClaimProperty))
        entity_types = set(self.ontology.transitive_subjects(RDFS.subClassOf, OB.Entity)) - {OB.Entity}
        types: dict[URIRef, set] = defaultdict(set)
        for entity, cls in self.entities_graph.subject_objects(RDF.type):
            if cls in entity_types and _entity_id(entity):
                types[entity].add(cls)
        self.entity_type: dict[URIRef, str] = {}
        for entity, classes in types.items():
            # the most specific type: one that no other of the entity's types is a subclass of
            specific = [c for c in classes if not any(
                o != c and c in self.ontology.transitive_objects(o, RDFS.subClassOf) for o in classes)]
            self.entity_type[entity] = min(local_name(c) for c in specific or classes)
        self.source_info: dict[URIRef, dict] = {}
        for graph in self.sources:
            for source in sorted(set(graph.subjects(DCTERMS.identifier, None)), key=str):
                if str(source).startswith(str(OBSRC)):
                    self.source_info[source] = {
                        "id": str(_first(graph, source, DCTERMS.identifier)),
                        "title": str(_first(graph, source, DCTERMS.title, "")),
                        "date": _text(_first(graph, source, DCTERMS.date, "")),
                        "kind": local_name(_first(graph, source, RDF.type, "")),
                    }

    def label(self, term) -> str:
        for graph in (self.entities_graph, self.ontology):
            value = _first(graph, term, RDFS.label)
            if value is not None:
                return str(value)
        if term in self.source_info:
            return self.source_info[term]["title"] or self.source_info[term]["id"]
        return _text(term)

    def quotes(self, graph, claim) -> list[dict]:
        found = []
        for annotation in sorted(graph.objects(claim, PROV.wasDerivedFrom), key=str):
            for target in graph.objects(annotation, OA.hasTarget):
                quote = {"exact": "", "prefix": "", "suffix": "", "start": None}
                for selector in graph.objects(target, OA.hasSelector):
                    if (selector, OA.exact, None) in graph:
                        quote["exact"] = str(_first(graph, selector, OA.exact, ""))
                        quote["prefix"] = str(_first(graph, selector, OA.prefix, ""))
                        quote["suffix"] = str(_first(graph, selector, OA.suffix, ""))
                    start = _first(graph, selector, OA.start)
                    if start is not None:
                        quote["start"] = int(start)
                found.append(quote)
        return sorted(found, key=lambda q: (q["start"] is None, q["start"] or 0, q["exact"]))

    def claim(self, graph, claim, subject, predicate, obj) -> dict:
        source = _first(graph, claim, DCTERMS.source)
        info = self.source_info.get(source, {"id": _text(source or ""), "title": "", "date": "", "kind": ""})
        start, end = _first(graph, claim, OB.start), _first(graph, claim, OB.end)
        date = _first(graph, claim, OB.date)
        when = _text(date) if date is not None else "–".join(_text(v) for v in (start, end) if v is not None)
        minimum, maximum = _first(graph, claim, OB.minValue), _first(graph, claim, OB.maxValue)
        if _entity_id(obj) and obj in self.entity_type:
            value = None
        elif minimum is not None or maximum is not None:
            value = f"{_text(minimum) if minimum is not None else '…'}–{_text(maximum) if maximum is not None else '…'}"
        else:
            value = _text(obj)
        qualifiers = []
        for name, prop in (("unit", OB.unit), ("role", OB.role), ("approximate", OB.approximate),
                           ("at least", OB.atLeast)):
            for item in sorted(graph.objects(claim, prop), key=str):
                qualifiers.append(f"{name}: {_text(item)}")
        for item in sorted(graph.objects(claim, OB.topic), key=str):
            qualifiers.append(f"topic: {self.label(item)}")
        stated_by = _first(graph, claim, OB.statedBy)
        return {
            "id": str(claim),
            "subject": _entity_id(subject), "subjectLabel": self.label(subject),
            "predicate": local_name(predicate), "relation": self.label(predicate),
            "object": _entity_id(obj) if value is None else None,
            "objectLabel": self.label(obj) if value is None else value,
            "value": value,
            "date": when,
            "stance": local_name(_first(graph, claim, OB.stance, OB.Asserts)).lower(),
            "mode": local_name(_first(graph, claim, OB.mode, "")).lower(),
            "statedBy": self.label(stated_by) if stated_by is not None else "",
            "qualifiers": qualifiers,
            "note": str(_first(graph, claim, SKOS.editorialNote, "")),
            "source": info["id"], "sourceTitle": info["title"], "sourceDate": info["date"],
            "sourceKind": info["kind"],
            "quotes": self.quotes(graph, claim),
        }


def to_network(dataset: Dataset) -> nx.MultiDiGraph:
    """The entity–relation network of a built dataset. Returns a new graph; reads, never writes."""
    reader = _Reader(dataset)
    network = nx.MultiDiGraph()
    entities = reader.entity_type
    for entity in sorted(entities, key=str):
        aliases = sorted({str(a) for a in reader.entities_graph.objects(entity, SKOS.altLabel)})
        network.add_node(_entity_id(entity), iri=str(entity), label=reader.label(entity),
                         type=entities[entity], aliases=aliases,
                         note=str(_first(reader.entities_graph, entity, SKOS.note, "")),
                         sameAs=sorted(str(m) for m in reader.entities_graph.objects(entity, SKOS.exactMatch)),
                         facts=[], disagreements=[])

    edges: dict[tuple[str, str, str], dict] = {}

    def edge(subject, predicate, obj) -> dict:
        key = (_entity_id(subject), _entity_id(obj), local_name(predicate))
        if key not in edges:
            edges[key] = {"predicate": key[2], "relation": reader.label(predicate), "claims": [],
                          "conclusions": [], "disagreements": [], "asserted": False}
        return edges[key]

    claims_by_id: dict[str, dict] = {}
    for graph in reader.sources:
        machine = set(graph.subjects(RDF.type, OB.MachineExtractedClaim))
        for claim in sorted(set(graph.subjects(RDF.type, OB.Claim)) | machine, key=str):
            subject = _first(graph, claim, RDF.subject)
            predicate = _first(graph, claim, RDF.predicate)
            obj = _first(graph, claim, RDF.object)
            if subject not in entities or predicate not in reader.claim_properties:
                continue
            record = reader.claim(graph, claim, subject, predicate, obj)
            if claim in machine:
                record["machine"] = True
            claims_by_id[record["id"]] = record
            if obj in entities:
                edge(subject, predicate, obj)["claims"].append(record)
            else:
                network.nodes[_entity_id(subject)]["facts"].append(record)
        for subject, predicate, obj in sorted(graph):
            if subject in entities and obj in entities and predicate in reader.claim_properties:
                edge(subject, predicate, obj)["asserted"] = True

    inferred = reader.inferred
    for subject, predicate, obj in sorted(inferred):
        if subject in entities and obj in entities and predicate != RDF.type:
            edge(subject, predicate, obj)["inferred"] = True
    for cls in _CONCLUSION_TYPES:
        for conclusion in sorted(set(inferred.subjects(RDF.type, cls)), key=str):
            subject = _first(inferred, conclusion, RDF.subject)
            predicate = _first(inferred, conclusion, RDF.predicate)
            obj = _first(inferred, conclusion, RDF.object)
            if subject not in entities or obj not in entities:
                continue
            fields = []
            for name, prop in _CONCLUSION_FIELDS:
                for value in sorted(inferred.objects(conclusion, prop), key=str):
                    fields.append([name, reader.label(value) if isinstance(value, URIRef) else _text(value)])
            premises = [claims_by_id[str(p)] for p in sorted(inferred.objects(conclusion, PROV.wasDerivedFrom), key=str)
                        if str(p) in claims_by_id]
            edge(subject, predicate, obj)["conclusions"].append({
                "id": str(conclusion), "kind": local_name(cls),
                "rule": local_name(_first(inferred, conclusion, PROV.wasGeneratedBy, "")),
                "fields": fields, "premises": premises})
    for conclusion in sorted(set(inferred.subjects(RDF.type, OB.Contradiction)), key=str):
        subject = _first(inferred, conclusion, RDF.subject)
        predicate = _first(inferred, conclusion, RDF.predicate)
        obj = _first(inferred, conclusion, RDF.object)
        pair = [claims_by_id[str(c)] for c in sorted(inferred.objects(conclusion, OB.claim), key=str)
                if str(c) in claims_by_id]
        if subject not in entities or len(pair) < 2:
            continue
        record = {"id": str(conclusion), "aspect": _text(_first(inferred, conclusion, OB.aspect, "")),
                  "againstRecord": bool(_first(inferred, conclusion, OB.againstRecord, Literal(False)).toPython()),
                  "claims": pair}
        key = (_entity_id(subject), _entity_id(obj), local_name(predicate))
        if key in edges:
            edges[key]["disagreements"].append(record)
        else:
            network.nodes[key[0]]["disagreements"].append(record)

    for (source, target, key), data in sorted(edges.items()):
        data["claims"].sort(key=lambda c: (c["source"], c["date"], c["id"]))
        kind = "claim" if data["claims"] else ("breach" if key == BREACH else "inferred")
        if data["claims"] and all(c.get("machine") for c in data["claims"]):
            kind = "extracted"  # only unreviewed machine-extracted claims: drawn apart
        sources = sorted({c["source"] for c in data["claims"]}
                         | {p["source"] for c in data["conclusions"] for p in c["premises"]})
        network.add_edge(source, target, key=key, kind=kind, inferred=data.pop("inferred", False),
                         sources=sources, **data)
    for _, data in network.nodes(data=True):
        data["facts"].sort(key=lambda c: (c["predicate"], c["source"], c["date"], c["id"]))
    network.graph["sources"] = sorted(reader.source_info.values(), key=lambda s: s["id"])
    return network
