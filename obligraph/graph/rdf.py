"""Stage 2: model.Corpus → rdflib Dataset, as ontology/MODEL.md describes.

Every node gets a minted IRI (no blank nodes), so output is stable and diffs cleanly."""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS
from rdflib.plugins.serializers.nt import _nt_row, _quote_encode

from ..corpus.model import Claim, Corpus, DateValue, Evidence, Source, SourceKind, Stance, Value
from ..corpus.vocabulary import OB

BASE = "https://w3id.org/obligraph/"
OBID = Namespace(BASE + "id/")
OBSRC = Namespace(BASE + "source/")
OBCLAIM = Namespace(BASE + "claim/")
OBEV = Namespace(BASE + "evidence/")
OBG = Namespace(BASE + "graph/")
OBINF = Namespace(BASE + "inferred/")
OBRULE = Namespace(BASE + "rule/")
AGENT = Namespace(BASE + "agent/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")  # a source's url and archived copy (schema:url, schema:archivedAt)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {"ob": OB, "obid": OBID, "obsrc": OBSRC, "obclaim": OBCLAIM, "obev": OBEV, "obg": OBG,
            "obinf": OBINF, "obrule": OBRULE,
            "oa": OA, "org": ORG, "eli": ELI, "wd": WD, "prov": PROV, "skos": SKOS,
            "dcterms": DCTERMS, "owl": OWL, "rdfs": RDFS, "xsd": XSD, "schema": SCHEMA}
ONTOLOGY_GRAPH = OBG.ontology
ENTITIES_GRAPH = OBG.entities
INFERRED_GRAPH = OBG.inferred
SOURCE_CLASS = {SourceKind.ARTICLE: OB.Article, SourceKind.TREATY_TEXT: OB.TreatyText,
                SourceKind.REFERENCE_RECORD: OB.ReferenceRecord}
_XSD_STRING = str(XSD.string)
_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


def local_name(iri) -> str:
    """The last segment of an IRI (after '#', then '/'): the short name shown when no label is."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def source_graph_iri(source_id: str) -> URIRef:
    return OBG[f"source/{source_id}"]


def extracted_graph_iri(source_id: str) -> URIRef:
    return OBG[f"extracted/{source_id}"]


def _from_row(claim: Claim) -> bool:
    return bool(claim.evidence) and claim.evidence[0].name is not None


def claim_iri(claim: Claim) -> URIRef:
    # '.' joins the parts, so every claim IRI is a prefixed name in Turtle (obclaim:000_ac55….c1):
    # claim and evidence IRIs are written hundreds of thousands of times (the compact form, MODEL.md)
    return OBCLAIM[f"{claim.source_id}.{claim.id or claim.key}"]


def evidence_iri(claim: Claim, number: int, evidence: Evidence | None = None) -> URIRef:
    if evidence is not None and evidence.name:  # a record's row: one annotation for its claims
        return OBEV[f"{evidence.source_id}.{evidence.name}"]
    return OBEV[f"{claim.source_id}.{claim.id or claim.key}.{number}"]


def date_literal(date: DateValue) -> Literal:
    return Literal(date.text, datatype=_DATE_TYPES[date.precision])


def value_literal(value: Value) -> Literal:
    raw = value.raw
    if isinstance(raw, DateValue):
        return date_literal(raw)
    if isinstance(raw, bool):
        return Literal(raw)
    if isinstance(raw, int):
        return Literal(raw, datatype=XSD.integer)
    if isinstance(raw, float):
        return Literal(Decimal(str(raw)), datatype=XSD.decimal)
    return Literal(raw)


def new_dataset() -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def read_trig(path) -> Dataset:
    """A TriG file as an rdflib Dataset with its named graphs: parsed by Oxigraph (2-3× faster
    than rdflib's own TriG parser on a built graph), the terms converted once each. Raises
    SyntaxError, with the line, for a file that is not TriG."""
    import pyoxigraph as ox

    dataset = new_dataset()
    terms: dict = {}
    graphs: dict = {}

    def term(value):
        converted = terms.get(value)
        if converted is None:
            if isinstance(value, ox.NamedNode):
                converted = URIRef(value.value)
            elif isinstance(value, ox.BlankNode):
                converted = BNode(value.value)
            elif value.language:
                converted = Literal(value.value, lang=value.language)
            elif value.datatype.value == _XSD_STRING:
                converted = Literal(value.value)
            else:
                converted = Literal(value.value, datatype=URIRef(value.datatype.value))
            terms[value] = converted
        return converted

    def quads():
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            name = quad.graph_name
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = (dataset.graph(URIRef(name.value)) if isinstance(name, ox.NamedNode)
                                        else dataset.default_graph)
            yield term(quad.subject), term(quad.predicate), term(quad.object), graph
    try:
        dataset.addN(quads())
    except MemoryError:
        # a literal over 16 MiB (a long source text): Oxigraph's parser buffers at most 16 MiB;
        # rdflib's reads it, slowly, and gives the same terms (the quads read so far are added
        # again, which a Dataset, a set, ignores)
        dataset.parse(path, format="trig")
    return dataset


class Triples(list):
    """A list of rdflib triples with Graph's ``add``: what one named graph holds, cheaper to
    fill than a Graph when the build only needs the triples."""

    add = list.append


def _add_entities(graph: Graph, entities) -> None:
    for entity in entities:
        node = OBID[entity.id]
        graph.add((node, RDF.type, OB[entity.type]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        graph.add((node, SKOS.prefLabel, Literal(entity.label)))
        graph.add((node, DCTERMS.identifier, Literal(entity.id)))
        for alias in entity.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        if entity.wikidata:
            graph.add((node, SKOS.exactMatch, WD[entity.wikidata]))
        if entity.note:
            graph.add((node, SKOS.note, Literal(entity.note)))


def _add_source(graph: Graph, source: Source) -> None:
    node = OBSRC[source.id]
    graph.add((node, RDF.type, SOURCE_CLASS[source.kind]))
    if source.record_class:
        graph.add((node, RDF.type, OB[source.record_class]))
    graph.add((node, DCTERMS.identifier, Literal(source.id)))
    graph.add((node, DCTERMS.title, Literal(source.title)))
    graph.add((node, DCTERMS.format, Literal("text/plain")))
    graph.add((node, OB.fullText, Literal(source.text)))
    graph.add((node, OB.sha256, Literal(source.sha256)))
    treaty_link = OB.recordOf if source.kind is SourceKind.REFERENCE_RECORD else OB.textOf
    for predicate, entity_id in ((DCTERMS.creator, source.author),
                                 (DCTERMS.publisher, source.publisher),
                                 (treaty_link, source.treaty)):
        if entity_id:
            graph.add((node, predicate, OBID[entity_id]))
    if source.date:
        graph.add((node, DCTERMS.date, date_literal(source.date)))
    if source.as_of:
        graph.add((node, OB.asOf, date_literal(source.as_of)))
    if source.url:  # where to cite it: the address it was read at, the day, an archived copy
        graph.add((node, SCHEMA.url, URIRef(source.url)))
    if source.accessed:
        graph.add((node, OB.accessed, date_literal(source.accessed)))
    if source.archived_url:
        graph.add((node, SCHEMA.archivedAt, URIRef(source.archived_url)))
    for predicate, note in ((OB.authorNote, source.author_note),
                            (OB.publisherNote, source.publisher_note),
                            (OB.dateNote, source.date_note)):
        if note:
            graph.add((node, predicate, Literal(note)))


def _add_evidence(graph: Graph, claim: Claim, number: int, evidence: Evidence) -> URIRef:
    annotation = evidence_iri(claim, number, evidence)
    target = URIRef(f"{annotation}.target")
    quote, position = URIRef(f"{annotation}.quote"), URIRef(f"{annotation}.position")
    span = evidence.span
    graph.add((annotation, RDF.type, OA.Annotation))
    if not evidence.name:  # a record's row: see _row_evidence_lines
        graph.add((annotation, OA.motivatedBy, OA.describing))
    graph.add((annotation, OA.hasBody, claim_iri(claim)))
    graph.add((annotation, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, OBSRC[evidence.source_id]))
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(span.exact)))
    if not evidence.name:  # a record's row is placed by its offsets alone (compact form)
        graph.add((quote, OA.prefix, Literal(span.prefix)))
        graph.add((quote, OA.suffix, Literal(span.suffix)))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    return annotation


def _add_claim(graph: Graph, claim: Claim) -> None:
    node = claim_iri(claim)
    predicate = OB[claim.predicate]
    # an unreviewed machine-extracted claim is only an ob:MachineExtractedClaim: the reasoning, the
    # named queries and the plain triples see reviewed (curated) claims only
    graph.add((node, RDF.type, OB.MachineExtractedClaim if claim.extracted_by else OB.Claim))
    graph.add((node, RDF.subject, OBID[claim.subject]))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, OB.stance, OB[claim.stance.value.capitalize()]))
    if claim.curator_reading:  # the curator's reading of the words, never the author's statement
        graph.add((node, OB.statedBy, OB.Curator))
        graph.add((node, PROV.wasAttributedTo, OB.Curator))
        graph.add((node, OB.curatorReading, Literal(True)))
    else:
        graph.add((node, OB.statedBy,
                   OBID[claim.stated_by] if claim.stated_by else OBSRC[claim.source_id]))
    if claim.former:
        graph.add((node, OB.former, Literal(True)))
    graph.add((node, DCTERMS.source, OBSRC[claim.source_id]))
    if claim.object:
        target = OBID[claim.object]
    elif claim.value is not None:
        target = value_literal(claim.value)
    else:
        target = URIRef(f"{node}.range")
        graph.add((target, RDF.type, OB.Range))
        for predicate_, bound in ((OB.minValue, claim.minimum), (OB.maxValue, claim.maximum)):
            graph.add((target, predicate_, value_literal(bound)))
            graph.add((node, predicate_, value_literal(bound)))
    graph.add((node, RDF.object, target))
    if claim.value is not None:
        graph.add((node, OB.value, value_literal(claim.value)))
    # the plain triple says the source asserts it, now: not for a curator's reading, nor for a
    # relation the source says has ended
    if claim.stance is Stance.ASSERTS and (claim.object or claim.value is not None) \
            and not claim.extracted_by and not claim.curator_reading and not claim.former:
        graph.add((OBID[claim.subject], predicate, target))
    for qualifier, date in ((OB.date, claim.date), (OB.start, claim.start), (OB.end, claim.end)):
        if date:
            graph.add((node, qualifier, date_literal(date)))
    if claim.mode:
        graph.add((node, OB.mode, OB[claim.mode.concept]))
    if claim.kind:
        graph.add((node, OB.reservationKind, OB[kind_concept(claim.kind)]))
    if claim.topic:
        graph.add((node, OB.topic, OBID[claim.topic]))
    for qualifier, text in ((OB.unit, claim.unit), (OB.role, claim.role),
                            (SKOS.editorialNote, claim.note), (DCTERMS.identifier, claim.id)):
        if text:
            graph.add((node, qualifier, Literal(text)))
    if claim.approximate:
        graph.add((node, OB.approximate, Literal(True)))
    if claim.at_least:
        graph.add((node, OB.atLeast, Literal(True)))
    for number, evidence in enumerate(claim.evidence, 1):
        graph.add((node, PROV.wasDerivedFrom, _add_evidence(graph, claim, number, evidence)))
    _add_review(graph, claim, node)


def _add_review(graph: Graph, claim: Claim, node: URIRef) -> None:
    """PROV for a claim that began as a machine-extracted candidate: who accepted it and when
    (obligraph review), or — unreviewed — the rule that proposed it and its confidence."""
    if claim.reviewed_by:
        agent = AGENT[re.sub(r"[^a-z0-9]+", "-", claim.reviewed_by.lower()).strip("-") or "unknown"]
        activity = URIRef(f"{node}.review")
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, RDFS.label, Literal(claim.reviewed_by)))
        graph.add((node, PROV.wasAttributedTo, agent))
        graph.add((node, PROV.wasGeneratedBy, activity))
        graph.add((activity, RDF.type, PROV.Activity))
        graph.add((activity, RDF.type, OB.Review))
        graph.add((activity, PROV.wasAssociatedWith, agent))
        if claim.reviewed_on:
            graph.add((activity, DCTERMS.date, date_literal(claim.reviewed_on)))
    if claim.extracted_by:
        graph.add((node, OB.extractionRule, Literal(claim.extracted_by)))
        if claim.confidence is not None:
            graph.add((node, OB.confidence, Literal(Decimal(str(claim.confidence)),
                                                    datatype=XSD.decimal)))


def entity_triples(entities) -> Triples:
    """The registry graph (obg:entities)."""
    triples = Triples()
    _add_entities(triples, entities)
    return triples


def kind_concept(kind: str) -> str:
    """reservation-or-declaration → KindReservationOrDeclaration (a concept of ob:ReservationKinds)."""
    return "Kind" + "".join(part.capitalize() for part in kind.split("-"))


def ntriples_lines(triples) -> list[str]:
    """Sorted, distinct N-Triples lines (no newline) of rdflib triples."""
    return sorted({_nt_row(triple).rstrip("\n") for triple in triples})


def claims_lines(claims, *, extra=(), chunk: int = 1000) -> list[str]:
    """:func:`ntriples_lines` of the claims' triples and ``extra``, made ``chunk`` claims at a
    time: a 100,000-claim file's 2.3 million rdflib triples, held at once, were 700 MB."""
    lines = {_nt_row(triple).rstrip("\n") for triple in extra}
    for start in range(0, len(claims), chunk):
        lines.update(_nt_row(triple).rstrip("\n")
                     for triple in source_triples(None, claims[start:start + chunk]))
    return sorted(lines)


# --- the fast path for a record's rows: N-Triples lines written directly ----------------------
# A record gives thousands of claims of one plain form (tests/test_untc.py: the same lines as
# _add_claim's); making each through rdflib terms was a fifth of the bundled build.

def _nt(iri) -> str:
    return f"<{iri}>"


def _nt_literal(raw) -> str:
    if isinstance(raw, DateValue):
        return f'"{raw.text}"^^<{_DATE_TYPES[raw.precision]}>'
    return _quote_encode(str(raw))


def _plain_row_claim(claim: Claim) -> bool:
    return (_from_row(claim) and not claim.extracted_by and not claim.curator_reading
            and not claim.former and not claim.id and claim.stance is Stance.ASSERTS
            and claim.minimum is None and not (claim.unit or claim.role or claim.topic)
            and not (claim.start or claim.end or claim.approximate or claim.at_least
                     or claim.reviewed_by or claim.reviewed_on)
            and (claim.value is None or isinstance(claim.value.raw, (str, DateValue))))


# plain strings, not rdflib terms: making a term checks the IRI, a tenth of a millisecond each
_S = {name: f"<{iri}>" for name, iri in {
    "type": RDF.type, "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object,
    "Claim": OB.Claim, "stance": OB.stance, "Asserts": OB.Asserts,
    "statedBy": OB.statedBy, "source": DCTERMS.source, "value": OB.value, "date": OB.date,
    "mode": OB.mode, "kind": OB.reservationKind, "note": SKOS.editorialNote, "derived": PROV.wasDerivedFrom,
    "Annotation": OA.Annotation, "motivatedBy": OA.motivatedBy, "describing": OA.describing,
    "hasBody": OA.hasBody, "hasTarget": OA.hasTarget, "SpecificResource": OA.SpecificResource,
    "hasSource": OA.hasSource, "hasSelector": OA.hasSelector, "Quote": OA.TextQuoteSelector,
    "exact": OA.exact, "Position": OA.TextPositionSelector, "start": OA.start, "end": OA.end}.items()}
_COUNT = f"^^<{XSD.nonNegativeInteger}>"


def _row_claim_lines(claim: Claim) -> list[str]:
    node = f"<{OBCLAIM}{claim.source_id}.{claim.key}>"
    subject, predicate = f"<{OBID}{claim.subject}>", f"<{OB}{claim.predicate}>"
    target = f"<{OBID}{claim.object}>" if claim.object else _nt_literal(claim.value.raw)
    said_by = f"<{OBID}{claim.stated_by}>" if claim.stated_by else f"<{OBSRC}{claim.source_id}>"
    S = _S
    lines = [f"{node} {S['type']} {S['Claim']} .",
             f"{node} {S['subject']} {subject} .", f"{node} {S['predicate']} {predicate} .",
             f"{node} {S['object']} {target} .", f"{node} {S['stance']} {S['Asserts']} .",
             f"{node} {S['statedBy']} {said_by} .",
             f"{node} {S['source']} <{OBSRC}{claim.source_id}> .",
             f"{subject} {predicate} {target} ."]  # the plain triple: the record asserts it
    if claim.value is not None:
        lines.append(f"{node} {S['value']} {_nt_literal(claim.value.raw)} .")
    if claim.date:
        lines.append(f"{node} {S['date']} {_nt_literal(claim.date)} .")
    if claim.mode:
        lines.append(f"{node} {S['mode']} <{OB}{claim.mode.concept}> .")
    if claim.kind:
        lines.append(f"{node} {S['kind']} <{OB}{kind_concept(claim.kind)}> .")
    if claim.note:
        lines.append(f"{node} {S['note']} {_quote_encode(claim.note)} .")
    for evidence in claim.evidence:
        annotation = f"{OBEV}{evidence.source_id}.{evidence.name}"
        lines.append(f"{node} {S['derived']} <{annotation}> .")
        lines.extend(_row_evidence_lines(annotation, node, evidence))
    return lines


def _row_evidence_lines(annotation: str, claim_node: str, evidence: Evidence) -> list[str]:
    S, a, span = _S, f"<{annotation}>", evidence.span
    target, quote, position = (f"<{annotation}.{part}>" for part in ("target", "quote", "position"))
    # no oa:motivatedBy (optional in the model): a record's rows are thousands of annotations
    return [f"{a} {S['type']} {S['Annotation']} .",
            f"{a} {S['hasBody']} {claim_node} .", f"{a} {S['hasTarget']} {target} .",
            f"{target} {S['type']} {S['SpecificResource']} .",
            f"{target} {S['hasSource']} <{OBSRC}{evidence.source_id}> .",
            f"{target} {S['hasSelector']} {quote} .", f"{target} {S['hasSelector']} {position} .",
            f"{quote} {S['type']} {S['Quote']} .",
            f"{quote} {S['exact']} {_quote_encode(span.exact)} .",
            f"{position} {S['type']} {S['Position']} .",
            f'{position} {S["start"]} "{span.start}"{_COUNT} .',
            f'{position} {S["end"]} "{span.end}"{_COUNT} .']


def source_lines(source: Source | None, claims) -> list[str]:
    """One source's named graph as sorted, distinct N-Triples lines (what :func:`source_triples`
    gives, rendered): a record's plain rows by the fast path, everything else through rdflib."""
    plain = [c for c in claims if _plain_row_claim(c)]
    lines = set(ntriples_lines(source_triples(source, [c for c in claims if not _plain_row_claim(c)])))
    for claim in plain:
        lines.update(_row_claim_lines(claim))
    return sorted(lines)


def source_triples(source: Source | None, claims) -> Triples:
    """One source's named graph: the source node (if given) and its claims."""
    triples = Triples()
    if source is not None:
        _add_source(triples, source)
    for claim in claims:
        _add_claim(triples, claim)
    return triples


def to_dataset(corpus: Corpus, ontology: Graph) -> Dataset:
    """Build the Dataset: the ontology, the registry, and one graph per source."""
    dataset = new_dataset()
    ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
    for triple in ontology:
        ontology_graph.add(triple)
    _add_entities(dataset.graph(ENTITIES_GRAPH), corpus.entities)
    graphs = {}
    for source in corpus.sources:
        graphs[source.id] = dataset.graph(source_graph_iri(source.id))
        _add_source(graphs[source.id], source)
    for claim in corpus.claims:
        if claim.extracted_by:  # unreviewed candidates: their own named graph (build --extract)
            key = f"extracted/{claim.source_id}"
            if key not in graphs:
                graphs[key] = dataset.graph(extracted_graph_iri(claim.source_id))
            _add_claim(graphs[key], claim)
        else:
            _add_claim(graphs[claim.source_id], claim)
    return dataset
