"""Stage: the build's Oxigraph store → networkx.MultiDiGraph of entities and the relations between them.

One function, :func:`to_network`. Nodes are the registry's entities (key: the entity id, e.g.
``china``); edges are relations between two entities, at most one per (subject, predicate, object)
(MultiDiGraph key: the predicate's local name). Claims, evidence and annotations are not nodes:
they are attributes — every claim behind an edge, whatever its source or stance, with its quote;
literal-valued claims (a statistic's value, an event's date) on their subject node.

Which relations: any claim whose rdf:subject and rdf:object are entities (stances asserts, alleges,
denies and recommends alike — only ``asserts`` has a plain triple), plus plain triples between
entities in the source graphs whose predicate is an ob:ClaimProperty, plus plain triples between
entities in ``obg:inferred`` (potentiallyBreaches, boundBy, compliesWithObligation) with the
conclusions behind them. Everything is sorted, so the graph is the same on every run.

Every edge carries its claims' stances: ``stances`` (how many claims assert, allege, deny and
recommend it), ``stance`` (one word for the edge, see :func:`stance_of`) and ``label`` (the
relation as the page and the network exports show it: "not party to" for a denied one, see
:func:`stance_label`); ``asserted_only`` tells the edges an asserted-only export keeps.

The store is read set-oriented — a few SPARQL queries for the registry and the ontology, and
for the bulk (claims, their quotes, the conclusions) one scan of the store per property
(``quads_for_pattern``), grouped in Python: never one lookup per node, which is what made the
rdflib version slow at thousands of entities, and no SPARQL join over the 7,000 rows of a
depositary record (those took 6 s of the page's 10). Claims are read within their own named
graph, as a claim's quote lives in the same graph as the claim. ob:fullText is never read, so a
store built without the sources' full texts gives the same network.

Conclusions ride on the edge of their statement (rdf:subject, rdf:predicate, rdf:object): a
consent (ob:Consent) on the state's ``partyTo`` edge, a signatory's duty on ``signatoryDutyTo``,
bindings on ``boundBy``, breaches and compliance on theirs; a reservation flagged against a
treaty's reservations clause (ob:ReservationAgainstClause) on the edge of the reservation's claim.
Each keeps the entity ids it names (``refs``) and its basis, for the page's record layer
(views/record.py)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator

import networkx as nx
import pyoxigraph as ox

from ..graph.collector import without_gc
from .shelf import ClaimShelf
from .stances import EDGE_STANCES, STANCES, sides_of, stance_label, stance_of  # noqa: F401 (the API's)
from ..graph.rdf import OBCLAIM, OBEV, OBG, OBID, OBINF, OBSRC, PREFIXES, local_name

BREACH = "potentiallyBreaches"
_CONCLUSION_TYPES = ("PotentialBreach", "BoundBy", "Compliance", "Consent", "SignatureDuty")
_CONCLUSION_FIELDS = (("policy", "ob:policy"), ("found", "ob:breachBasis"), ("kind", "ob:actKind"),
                      ("provision", "ob:provision"),
                      ("treaty", "ob:treaty"), ("through", "ob:through"), ("since", "ob:since"),
                      ("boundSince", "ob:boundSince"), ("policyEvidencedOn", "ob:policyEvidencedOn"),
                      ("mode", "ob:mode"), ("basis", "ob:basis"), ("deposited", "ob:deposited"),
                      ("inForceSince", "ob:inForceSince"), ("generalEntryIntoForce", "ob:generalEntryIntoForce"),
                      ("entryIntoForceKnown", "ob:entryIntoForceKnown"),
                      ("qualifiedByReservation", "ob:qualifiedByReservation"), ("obligation", "ob:obligation"),
                      ("asOf", "ob:asOf"), ("clause", "ob:clause"), ("protectedProvision", "ob:protectedProvision"))
# conclusions that qualify a relation the claims state (not derive it): their premises' sources are
# not the edge's (a consent on partyTo rests on the record's row and the final clause's text)
_QUALIFYING = ("Consent", "ReservationAgainstClause")
# the entity ids a conclusion names, kept beside its display fields (record.py groups by treaty)
_CONCLUSION_REFS = ("treaty", "provision", "through", "obligation", "clause")
_REF_PROPERTIES = tuple((name, "ob:" + name) for name in _CONCLUSION_REFS)
_QUALIFIERS = (("unit", "ob:unit"), ("role", "ob:role"), ("approximate", "ob:approximate"),
               ("at least", "ob:atLeast"))
_CLAIM_FIELDS = ("rdf:subject", "rdf:predicate", "rdf:object", "dcterms:source", "ob:start", "ob:end",
                 "ob:date", "ob:minValue", "ob:maxValue", "ob:topic", "ob:statedBy", "ob:stance",
                 "ob:mode", "skos:editorialNote", "ob:curatorReading", "ob:value", "ob:reservationKind",
                 ) + tuple(p for _, p in _QUALIFIERS)
# a potential breach's premise of status (rule 33): a node of its own in obg:inferred
_PREMISE_PROPERTIES = ("ob:premise", "ob:requiresStatus", "ob:premiseStatus", "ob:concerns", "ob:supportedBy",
                       "ob:contestedBy")
_CONCLUSION_PROPERTIES = ("rdf:subject", "rdf:predicate", "rdf:object", "prov:wasDerivedFrom",
                          "prov:wasGeneratedBy", "ob:claim", "ob:aspect", "ob:againstRecord",
                          "ob:restsOnCuratorReading", "ob:reservation", "ob:reservationToTreaty",
                          ) + _PREMISE_PROPERTIES + tuple(p for _, p in _CONCLUSION_FIELDS)

_PREFIXES = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items()) + \
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
_EXPAND = {f"{p}:": str(n) for p, n in PREFIXES.items()} | {"rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
_SOURCE_GRAPH_PREFIXES = (f"{OBG}source/", f"{OBG}extracted/")
_CLAIM_TYPES = ("Claim", "MachineExtractedClaim")
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_RDF_TYPE = ox.NamedNode(_EXPAND["rdf:"] + "type")
_INFERRED = ox.NamedNode(f"{OBG}inferred")
_OBID = str(OBID)


class _IRI(str):
    """An IRI as its text: sorts like rdflib's ``str(term)``, and tells IRIs from literals."""


class _Literal(str):
    """A literal as its lexical form (what the page shows), with its datatype."""
    datatype = ""


def _term(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _IRI(term.value)
    if isinstance(term, ox.Literal):
        literal = _Literal(term.value)
        literal.datatype = term.datatype.value
        return literal
    return str(term.value)  # a blank node: shown by its id, as rdflib did


class _Terms(dict):
    """Store terms → _term, each converted once (an IRI or a date recurs thousands of times);
    a long literal (a quote, a note) is converted each time, not kept: it seldom recurs, and
    kept, every quote of the corpus was held twice until the page was made."""

    def __missing__(self, term):
        value = _term(term)
        if type(term) is ox.Literal:
            if len(value) <= _KEPT_LITERAL:
                self[term] = value
        elif not value.startswith(_ONE_NODE):
            self[term] = value
        return value


_KEPT_LITERAL = 40  # characters
# nor an IRI that names one claim, quote or conclusion: it recurs a few times, not thousands, and
# kept, such IRIs were a third of the network's memory while it was made
_ONE_NODE = tuple(str(namespace) for namespace in (OBCLAIM, OBEV, OBINF))


def _full(name: str) -> str:
    """A prefixed name (ob:partyTo) as its IRI; a full IRI as itself."""
    if "://" in name:
        return name
    prefix, local = name.split(":", 1)
    return _EXPAND[prefix + ":"] + local


def _select(store: ox.Store, query: str) -> list[tuple]:
    return [tuple(_term(v) for v in solution) for solution in store.query(_PREFIXES + query)]


def _scan(store: ox.Store, name: str, graph=None, obj=None):
    """(graph, subject, object) of every quad with the property ``name`` (prefixed), in named
    graphs only: graph and subject as their IRI text, the object as a term (_term)."""
    for quad in store.quads_for_pattern(None, ox.NamedNode(_full(name)), obj, graph):
        if type(quad.graph_name) is ox.NamedNode:
            yield quad.graph_name.value, quad.subject.value, quad.object


# cached, as the names below: an entity's id or a concept's name recurs on thousands of claims,
# and made anew for each, such strings were a sixth of the network's memory
@lru_cache(maxsize=1 << 16, typed=True)  # typed: an _IRI and a plain string of the same text differ
def _entity_id(term) -> str | None:
    return term[len(_OBID):] if isinstance(term, _IRI) and term.startswith(_OBID) else None


@lru_cache(maxsize=1 << 12)
def _lower_name(iri) -> str:
    """An IRI's local name in lower case (a stance, a mode)."""
    return local_name(iri).lower()


def _text(value) -> str:
    """A literal or concept as display text (dates as written, numbers without noise)."""
    return str(value) if isinstance(value, _Literal) else _local_name(value)


_local_name = lru_cache(maxsize=1 << 14)(local_name)
_ASSERTS = _full("ob:Asserts")


def _first(values, default=None):
    if not values:
        return default
    return values[0] if len(values) == 1 else min(values)


def _sorted(values) -> list:
    """``sorted(values)`` for a list of any length, None or missing as empty."""
    if not values:
        return []
    return values if len(values) == 1 else sorted(values)


def _group(rows) -> dict:
    """(subject, property, value) rows → {subject: {property: [values]}} (property as prefixed name)."""
    short = {v: k for k, v in ((n, _full(n)) for n in _CLAIM_FIELDS + _CONCLUSION_PROPERTIES + (
        "rdf:type", "rdfs:label", "skos:altLabel", "skos:note", "skos:exactMatch", "dcterms:identifier",
        "dcterms:title", "dcterms:date", "oa:exact", "oa:prefix", "oa:suffix", "oa:start", "oa:end"))}
    grouped: dict = defaultdict(lambda: defaultdict(list))
    for *subject, prop, value in rows:
        grouped[tuple(subject) if len(subject) > 1 else subject[0]][short.get(prop, prop)].append(value)
    return grouped


def _is_true(value) -> bool:
    if isinstance(value, _Literal) and value.datatype == _BOOLEAN:
        return value in ("true", "1")
    return bool(value)


class _Reader:
    """Everything to_network needs, read from the store in a few queries."""

    def __init__(self, store: ox.Store) -> None:
        self.claim_properties = {p for (p,) in _select(
            store, "SELECT ?p WHERE { GRAPH obg:ontology { ?p a ob:ClaimProperty } }")}
        below = set(_select(store, "SELECT ?sub ?super WHERE { GRAPH obg:ontology { ?sub rdfs:subClassOf+ ?super } }"))
        entity = _full("ob:Entity")
        entity_types = {sub for sub, sup in below if sup == entity} - {entity}
        self.entities = _group(_select(store, """SELECT ?e ?p ?o WHERE { GRAPH obg:entities { ?e ?p ?o }
            VALUES ?p { rdf:type rdfs:label skos:altLabel skos:note skos:exactMatch } }"""))
        self.entity_type: dict[str, str] = {}
        for node, fields in self.entities.items():
            classes = {c for c in fields["rdf:type"] if c in entity_types}
            if not classes or not _entity_id(node):
                continue
            # the most specific type: one that no other of the entity's types is a subclass of
            specific = [c for c in classes if not any(o != c and (o, c) in below for o in classes)]
            self.entity_type[node] = min(local_name(c) for c in specific or classes)
        self.ontology_labels = _group(_select(store, "SELECT ?s ?p ?o WHERE { GRAPH obg:ontology { ?s ?p ?o } "
                                                     "VALUES ?p { rdfs:label } }"))
        self.source_graphs = {g.value for g in store.named_graphs()
                              if type(g) is ox.NamedNode and g.value.startswith(_SOURCE_GRAPH_PREFIXES)}
        record = _full("ob:ReferenceRecord")
        records = {record} | {sub for sub, sup in below if sup == record}
        self.source_info: dict[str, dict] = {}
        self._labels: dict[str, str] = {}  # (a publisher's label is looked up while reading the sources)
        described: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
        for graph, source, _ in _scan(store, "dcterms:identifier"):
            if graph not in self.source_graphs or not source.startswith(str(OBSRC)):
                continue
            for name in ("dcterms:identifier", "dcterms:title", "dcterms:date", "dcterms:publisher",
                         "schema:url", "rdf:type"):
                for quad in store.quads_for_pattern(ox.NamedNode(source), ox.NamedNode(_full(name)), None,
                                                    ox.NamedNode(graph)):
                    described[(graph, source)][name].append(_term(quad.object))
        for (_, source), fields in sorted(described.items()):  # a later graph's description wins
            self.source_info[source] = {
                "id": str(_first(fields["dcterms:identifier"])),
                "title": str(_first(fields["dcterms:title"], "")),
                "date": _text(_first(fields["dcterms:date"], "")),
                # cited by title, publisher, date and link (the panels), never by the id alone
                "publisher": self.label(publisher) if (publisher := _first(fields["dcterms:publisher"])) else "",
                "url": str(_first(fields["schema:url"], "")),
                "kind": local_name(_first(fields["rdf:type"], "")),
                # a reference record (the depositary's, or its reservations): record.py's layer
                "record": any(t in records for t in fields["rdf:type"]),
            }
        self.record_ids = {info["id"] for info in self.source_info.values() if info["record"]}

    def is_entity(self, term) -> bool:
        return isinstance(term, _IRI) and term in self.entity_type

    def label(self, term) -> str:
        if not isinstance(term, _IRI):
            return _text(term)
        label = self._labels.get(term)
        if label is None:
            label = self._labels[term] = self._label(term)
        return label

    def _label(self, term: _IRI) -> str:
        for labels in (self.entities, self.ontology_labels):
            if term in labels and labels[term]["rdfs:label"]:
                return str(min(labels[term]["rdfs:label"]))
        if term in self.source_info:
            return self.source_info[term]["title"] or self.source_info[term]["id"]
        return _text(term)


def _claims(graph_triples: Callable[[str], Iterable], graphs: set[str], terms: _Terms) -> Iterator[tuple]:
    """Every claim of the source graphs ``graphs`` as (claim, is machine-extracted, fields,
    quotes), sorted by graph then claim. A claim's fields are its quads in its graph, and its
    quotes' parts (annotation, target, selectors) are in that graph too: so the store is read
    one graph at a time, each graph's quads grouped by subject and dropped once its claims are
    given (read whole, the tables of every annotation, target and selector were the page's peak
    at 10,000 articles; then every claim's fields, held until the last claim was read)."""
    kinds = {ox.NamedNode(_full("ob:" + kind)): kind for kind in _CLAIM_TYPES}
    wanted = {ox.NamedNode(_full(name)): name for name in _CLAIM_FIELDS + ("prov:wasDerivedFrom",)}
    fields = set(wanted.values())
    has_target, has_selector = ox.NamedNode(_full("oa:hasTarget")), ox.NamedNode(_full("oa:hasSelector"))
    parts = {ox.NamedNode(_full(name)): name for name in _QUOTE_PARTS}
    # only what a claim or quote shows (a third of a graph's quads), by the name it is read by
    read = {**wanted, **parts, has_target: "oa:hasTarget", has_selector: "oa:hasSelector"}
    for graph_iri in sorted(graphs):
        # a subject by its IRI (or blank node id) → [(name, value)] in store order: converted as
        # read, the parser's terms not held (a 100,000-claim graph's were 300 MB)
        described: dict = defaultdict(list)
        typed: dict = defaultdict(set)
        for quad in graph_triples(graph_iri):
            name = read.get(quad.predicate)
            if name is not None:
                described[quad.subject.value].append((name, terms[quad.object]))
            elif quad.predicate == _RDF_TYPE and quad.object in kinds:
                typed[quad.subject.value].add(kinds[quad.object])
        for node, found in sorted(typed.items()):
            values = defaultdict(list)
            for name, value in described[node]:
                if name in fields:
                    values[name].append(value)
            yield (_IRI(node), "MachineExtractedClaim" in found, values,
                   _quotes(described, values["prov:wasDerivedFrom"]))


_QUOTE_PARTS = ("oa:exact", "oa:prefix", "oa:suffix", "oa:start", "oa:end")


def _quotes(described: dict, annotations: list) -> list:
    """A claim's quotes, from its graph's quads by subject: each annotation's targets, each
    target's selectors (a target without selectors still gives an empty quote)."""
    def objects(subject: str, name: str) -> list[str]:
        return sorted({str(value) for found, value in described.get(subject, ()) if found == name})
    found = []
    for annotation in _sorted(annotations):
        for target in objects(annotation, "oa:hasTarget"):
            quote = {"exact": "", "prefix": "", "suffix": "", "start": None, "end": None}
            for selector in objects(target, "oa:hasSelector"):
                values: dict = {}
                for name, value in described.get(selector, ()):
                    if name in _QUOTE_PARTS:
                        values.setdefault(name, []).append(value)
                if values.get("oa:exact"):
                    quote["exact"] = str(_first(values["oa:exact"], ""))
                    quote["prefix"] = str(_first(values.get("oa:prefix"), ""))
                    quote["suffix"] = str(_first(values.get("oa:suffix"), ""))
                if values.get("oa:start"):
                    quote["start"] = int(_first(values["oa:start"]))
                if values.get("oa:end"):
                    quote["end"] = int(_first(values["oa:end"]))
            found.append(quote)
    if len(found) > 1:
        found.sort(key=lambda q: (q["start"] is None, q["start"] or 0, q["exact"]))
    return found


def _inferred(graph_triples: Callable[[str], Iterable], terms: _Terms) -> tuple[list, dict]:
    """One scan of obg:inferred: its plain triples between entities (subject, predicate, object
    IRIs) in store order, and every conclusion's properties {conclusion: {property: [values]}}."""
    wanted = {ox.NamedNode(_full(name)): name for name in ("rdf:type",) + _CONCLUSION_PROPERTIES}
    plain, conclusions = [], defaultdict(lambda: defaultdict(list))
    for quad in graph_triples(_INFERRED.value):
        subject, predicate = terms[quad.subject], quad.predicate
        if type(subject) is _IRI and subject.startswith(_OBID):
            obj = quad.object
            if predicate != _RDF_TYPE and type(obj) is ox.NamedNode and obj.value.startswith(_OBID):
                plain.append((subject, terms[predicate], terms[obj]))
        else:
            name = wanted.get(predicate)
            if name is not None:
                conclusions[subject][name].append(terms[quad.object])
    return plain, conclusions


def _claim_record(reader: _Reader, claim: str, fields: dict, quotes: list) -> dict:
    def one(name, default=None):
        values = fields.get(name)
        return (values[0] if len(values) == 1 else min(values)) if values else default
    subject, predicate, obj = one("rdf:subject"), one("rdf:predicate"), one("rdf:object")
    source = one("dcterms:source")
    info = reader.source_info.get(source) or {"id": _text(source or ""), "title": "", "date": "", "kind": ""}
    date = one("ob:date")
    if date is not None:
        when = _text(date)
    else:
        start, end = one("ob:start"), one("ob:end")
        when = "–".join(_text(v) for v in (start, end) if v is not None)
    minimum, maximum = one("ob:minValue"), one("ob:maxValue")
    if _entity_id(obj) and reader.is_entity(obj):
        value = None
    elif minimum is not None or maximum is not None:
        value = f"{_text(minimum) if minimum is not None else '…'}–{_text(maximum) if maximum is not None else '…'}"
    else:
        value = _text(obj)
    qualifiers = [f"{name}: {_text(item)}" for name, prop in _QUALIFIERS for item in _sorted(fields.get(prop))]
    qualifiers += [f"topic: {reader.label(item)}" for item in _sorted(fields.get("ob:topic"))]
    stated_by = one("ob:statedBy")
    extra = {}
    if fields.get("ob:reservationKind"):  # a reservation: what it names ("16(3)", "IX") and calls itself
        extra = {"named": sorted(_text(v) for v in fields.get("ob:value", [])),
                 "reservationKind": reader.label(one("ob:reservationKind"))}
    return extra | {
        "id": str(claim),
        "subject": _entity_id(subject), "subjectLabel": reader.label(subject),
        "predicate": _local_name(predicate), "relation": reader.label(predicate),
        "object": _entity_id(obj) if value is None else None,
        "objectLabel": reader.label(obj) if value is None else value,
        "value": value,
        "date": when,
        "stance": _lower_name(one("ob:stance", _ASSERTS)),
        "mode": _lower_name(one("ob:mode", "")),
        "statedBy": reader.label(stated_by) if stated_by is not None else "",
        "qualifiers": qualifiers,
        "note": str(one("skos:editorialNote", "")),
        "source": info["id"], "sourceTitle": info["title"], "sourceDate": info["date"],
        "sourceKind": info["kind"],
        "quotes": quotes,
    }


# what the network and the page read of a claim they do not show (a shelved claim's brief form)
_BRIEF_FIELDS = ("id", "source", "sourceKind", "date", "stance", "mode", "value", "predicate",
                 "machine", "curatorReading")


def _shelved(reader: _Reader, record: dict) -> bool:
    """Whether a claim's whole record may be shelved: not the reference record's claims nor a
    reservation, whose quotes the record layer shows (views/record.py)."""
    return record["source"] not in reader.record_ids and "reservationKind" not in record


@without_gc
def to_network(store, *, graph_triples: Callable[[str], Iterable] | None = None,
               shelf: ClaimShelf | None = None) -> nx.MultiDiGraph:
    """The entity–relation network of a build: ``store`` is a ``pyoxigraph.Store`` holding every
    named graph of the build (ob:fullText may be absent). Reads, never writes. An rdflib Dataset
    is accepted too and copied into a Store first (reasoning.to_store), for callers that hold one.
    ``graph_triples(graph IRI)``: the triples of one named graph in the store, from a quicker
    reader than the store where the caller has one (the build parses its cached units: an on-disk
    store gives its quads 8× slower than a parse). ``shelf``: an article's claims are put there
    whole and the network holds of them only what sorts, counts and groups them (_BRIEF_FIELDS),
    for a caller that reads back the claims it shows (the page)."""
    if not isinstance(store, ox.Store):
        from ..graph.reasoning import to_store
        store = to_store(store)
    if graph_triples is None:
        def graph_triples(graph: str):
            return store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    reader = _Reader(store)
    network = nx.MultiDiGraph()
    for entity in sorted(reader.entity_type):
        fields = reader.entities[entity]
        network.add_node(_entity_id(entity), iri=str(entity), label=reader.label(entity),
                         type=reader.entity_type[entity], aliases=sorted({str(a) for a in fields["skos:altLabel"]}),
                         note=str(_first(fields["skos:note"], "")),
                         sameAs=sorted(str(m) for m in fields["skos:exactMatch"]),
                         facts=[], disagreements=[])

    edges: dict[tuple[str, str, str], dict] = {}
    edge_keys: dict[tuple, tuple[str, str, str]] = {}  # (subject, predicate, object) IRIs → edge key

    def edge_key(subject, predicate, obj) -> tuple[str, str, str]:
        key = edge_keys.get((subject, predicate, obj))
        if key is None:
            key = edge_keys[(subject, predicate, obj)] = (_entity_id(subject), _entity_id(obj), _local_name(predicate))
        return key

    def edge(subject, predicate, obj) -> dict:
        key = edge_key(subject, predicate, obj)
        found = edges.get(key)
        if found is None:
            found = edges[key] = {"predicate": key[2], "relation": reader.label(predicate), "claims": [],
                                  "conclusions": [], "disagreements": [], "asserted": False}
        return found

    claims_by_id: dict[str, dict] = {}
    edge_of_claim: dict[str, tuple] = {}
    terms = _Terms()
    for claim, machine, fields, quotes in _claims(graph_triples, reader.source_graphs, terms):
        subject = _first(fields.get("rdf:subject"))
        obj = _first(fields.get("rdf:object"))
        predicate = _first(fields.get("rdf:predicate"))
        if not reader.is_entity(subject) or predicate not in reader.claim_properties:
            continue
        record = _claim_record(reader, claim, fields, quotes)
        if machine:
            record["machine"] = True
        if _is_true(_first(fields.get("ob:curatorReading"), False)):
            record["curatorReading"] = True  # the claim is a curator's reading of the source
        if shelf is not None and _shelved(reader, record):
            shelf.put(record)
            record = {name: record[name] for name in _BRIEF_FIELDS if name in record}
        claims_by_id[record["id"]] = record
        if reader.is_entity(obj):
            edge(subject, predicate, obj)["claims"].append(record)
            edge_of_claim[record["id"]] = edge_key(subject, predicate, obj)
        else:
            network.nodes[_entity_id(subject)]["facts"].append(record)
    for predicate in sorted(reader.claim_properties):
        for graph, subject, obj in _scan(store, predicate):
            if graph in reader.source_graphs and type(obj) is ox.NamedNode \
                    and reader.is_entity(_IRI(subject)) and reader.is_entity(_IRI(obj.value)):
                edge(_IRI(subject), predicate, _IRI(obj.value))["asserted"] = True

    plain, conclusions = _inferred(graph_triples, terms)
    for subject, predicate, obj in plain:
        if reader.is_entity(subject) and reader.is_entity(obj):
            edge(subject, predicate, obj)["inferred"] = True
    by_class: dict[str, list] = defaultdict(list)
    for conclusion, fields in sorted(conclusions.items()):
        for cls in fields["rdf:type"]:
            by_class[cls].append(conclusion)

    def conclusion_record(conclusion, fields: dict, cls: str) -> dict:
        values = [[name, reader.label(value) if isinstance(value, _IRI) else _text(value)]
                  for name, prop in _CONCLUSION_FIELDS if prop in fields for value in _sorted(fields[prop])]
        premises = [claims_by_id[p] for p in _sorted(fields.get("prov:wasDerivedFrom")) if p in claims_by_id]
        record = {"id": str(conclusion), "kind": cls,
                  "rule": _local_name(_first(fields.get("prov:wasGeneratedBy"), "")),
                  "fields": values, "premises": premises,
                  "basis": _local_name(_first(fields.get("ob:basis"), "")),
                  "refs": {name: sorted(_entity_id(v) for v in fields[prop] if _entity_id(v))
                           for name, prop in _REF_PROPERTIES if fields.get(prop)}}
        reservations = sorted(fields.get("ob:reservation", []) + fields.get("ob:reservationToTreaty", []))
        if reservations:
            record["reservations"] = [str(r) for r in reservations]  # the reservation claims' ids
        if _is_true(_first(fields.get("ob:restsOnCuratorReading"), False)):
            record["curatorReading"] = True  # rests on a curator's reading, not an author's words
        premises_of_status = [premise_record(conclusions[p]) for p in _sorted(fields.get("ob:premise"))
                              if p in conclusions]
        if premises_of_status:
            record["premiseOfStatus"] = premises_of_status
        return record

    def premise_record(fields: dict) -> dict:
        """The premise a conflict rests on (that the persons concerned have a status), both sides."""
        def claims(prop):
            return [claims_by_id[c] for c in _sorted(fields.get(prop)) if c in claims_by_id]
        return {"status": reader.label(_first(fields.get("ob:premiseStatus"))),
                "requires": reader.label(_first(fields.get("ob:requiresStatus"))),
                "concerns": [reader.label(g) for g in _sorted(fields.get("ob:concerns"))],
                "for": claims("ob:supportedBy"), "against": claims("ob:contestedBy")}

    for cls in _CONCLUSION_TYPES:
        for conclusion in by_class[_full("ob:" + cls)]:
            fields = conclusions[conclusion]
            subject, obj = _first(fields.get("rdf:subject")), _first(fields.get("rdf:object"))
            if not reader.is_entity(subject) or not reader.is_entity(obj):
                continue
            edge(subject, _first(fields.get("rdf:predicate")), obj)["conclusions"].append(
                conclusion_record(conclusion, fields, cls))
    for conclusion in by_class[_full("ob:ReservationAgainstClause")]:
        fields = conclusions[conclusion]
        claim = str(_first(fields.get("ob:claim"), ""))
        if claim in edge_of_claim:  # on the reservation's own edge, naming its claim
            edges[edge_of_claim[claim]]["conclusions"].append(
                conclusion_record(conclusion, fields, "ReservationAgainstClause") | {"claim": claim})
    for conclusion in by_class[_full("ob:Contradiction")]:
        fields = conclusions[conclusion]
        subject, obj = _first(fields.get("rdf:subject")), _first(fields.get("rdf:object"))
        aspect = _text(_first(fields.get("ob:aspect"), ""))
        sides = sides_of(aspect, [claims_by_id[c] for c in sorted(fields.get("ob:claim", [])) if c in claims_by_id])
        if not reader.is_entity(subject) or len(sides) < 2:
            continue
        record = {"id": str(conclusion), "aspect": aspect,
                  "againstRecord": _is_true(_first(fields.get("ob:againstRecord"), False)),
                  "sides": sides}
        key = (_entity_id(subject), _entity_id(obj) if obj is not None else None,
               _local_name(_first(fields.get("rdf:predicate"))))
        if key in edges:
            edges[key]["disagreements"].append(record)
        else:
            network.nodes[key[0]]["disagreements"].append(record)

    for (source, target, key), data in sorted(edges.items()):
        data["claims"].sort(key=lambda c: (c["source"], c["date"], c["id"]))
        kind = "claim" if data["claims"] else ("breach" if key == BREACH else "inferred")
        if data["claims"] and all(c.get("machine") for c in data["claims"]):
            kind = "extracted"  # only unreviewed machine-extracted claims: drawn apart
        sources = sorted({c["source"] for c in data["claims"]}  # and what the conclusions deriving it rest on
                         | {p["source"] for c in data["conclusions"] if c["kind"] not in _QUALIFYING
                            for p in c["premises"]})
        stances = {name: sum(1 for c in data["claims"] if c["stance"] == name) for name in STANCES}
        inferred = data.pop("inferred", False)
        stance = stance_of(stances, inferred=inferred)
        network.add_edge(source, target, key=key, kind=kind, inferred=inferred, sources=sources,
                         stances=stances, stance=stance, label=stance_label(data["relation"], stance, stances),
                         **data)
    for _, data in network.nodes(data=True):
        data["facts"].sort(key=lambda c: (c["predicate"], c["source"], c["date"], c["id"]))
    network.graph["sources"] = sorted(reader.source_info.values(), key=lambda s: s["id"])
    return network


def asserted_only(data: dict) -> bool:
    """Whether an edge stays in an asserted-only export: at least one claim asserts it, or a
    plain triple of a source graph does, or the rules derived it (they read asserting claims
    only). A relation only denied, alleged or recommended is left out."""
    return bool(data["stances"]["asserts"] or data["asserted"] or data["inferred"])
