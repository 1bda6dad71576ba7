"""treaty-status and treaty-participants (issue 16, part 6): per treaty and reference record, how
many states are party (any act of consent), signatory only, or not party, and as of which day;
and one treaty's participants. The counts are derived here independently — in Python, from the
record's claims read quad by quad — over the built graph, and over a small record built here."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import obligraph
from obligraph.answer.query import library, open_store
from obligraph.cli import main
from obligraph.graph.pipeline import PROJECT

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OB = "https://w3id.org/obligraph/ontology#"
DCTERMS = "http://purl.org/dc/terms/"


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def short(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if iri else iri


def one(store: ox.Store, subject, predicate: str):
    values = {q.object for q in store.quads_for_pattern(subject, node(predicate), None)}
    assert len(values) <= 1, (subject, predicate, values)
    return next(iter(values), None)


def cited(store: ox.Store, source) -> str:
    """A source as the queries cite it: "Title (Publisher, date) <url>", the parts it has."""
    publisher, date = one(store, source, DCTERMS + "publisher"), one(store, source, DCTERMS + "date")
    url = one(store, source, "https://schema.org/url")
    made = ", ".join(v for v in (publisher and one(store, publisher, "http://www.w3.org/2000/01/rdf-schema#label").value,
                                 date and date.value) if v)
    return one(store, source, DCTERMS + "title").value + (f" ({made})" if made else "") + (f" <{url.value}>" if url else "")


def record_claims(store: ox.Store) -> list[dict]:
    """Every partyTo / signatoryOf claim of a reference record, read without SPARQL."""
    records = {q.subject for q in store.quads_for_pattern(None, node(RDF + "type"), node(OB + "ReferenceRecord"))}
    found = []
    for relation in ("partyTo", "signatoryOf"):
        for quad in store.quads_for_pattern(None, node(RDF + "predicate"), node(OB + relation)):
            claim = quad.subject
            source = one(store, claim, DCTERMS + "source")
            if source not in records or one(store, claim, OB + "curatorReading") is not None:
                continue
            mode, when = one(store, claim, OB + "mode"), one(store, claim, OB + "date")
            found.append({"relation": relation, "state": one(store, claim, RDF + "subject").value,
                          "treaty": one(store, claim, RDF + "object").value,
                          "stance": short(one(store, claim, OB + "stance").value),
                          "mode": short(mode.value) if mode else None, "date": when.value if when else None,
                          "recordId": one(store, source, DCTERMS + "identifier").value,
                          "record": cited(store, source),
                          "asOf": (lambda v: v.value if v else None)(one(store, source, OB + "asOf"))})
    return found


def expected_status(claims: list[dict]) -> list[dict]:
    states: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    as_of = {}
    for c in claims:  # a record that speaks of the treaty at all has a row
        key = (c["treaty"], c["record"], c["recordId"])
        as_of[key], found = c["asOf"], states[key]
        if c["relation"] == "partyTo" and c["stance"] == "Asserts" and c["mode"] != "Signature":
            found["party"].add(c["state"])
        elif c["relation"] == "signatoryOf" and c["stance"] == "Asserts":
            found["signed"].add(c["state"])
        elif c["relation"] == "partyTo" and c["stance"] == "Denies":
            found["denied"].add(c["state"])
    return [{"treaty": treaty, "parties": len(s["party"]), "signatoriesOnly": len(s["signed"] - s["party"]),
             "notParties": len(s["denied"] - s["party"]), "asOf": as_of[(treaty, record, record_id)],
             "record": record, "recordId": record_id}
            for (treaty, record, record_id), s in sorted(states.items())]


def expected_participants(claims: list[dict], treaty: str) -> list[dict]:
    by_state: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c["treaty"] != treaty or c["stance"] != "Asserts":
            continue
        kind = "signed" if c["relation"] == "signatoryOf" else "party" if c["mode"] != "Signature" else None
        if kind:
            by_state[(c["state"], c["record"], c["recordId"], c["asOf"])][kind].append((c["date"] or "~", c["mode"]))
    rows = []
    for (state, record, record_id, as_of), acts in sorted(by_state.items()):
        consent, signature = min(acts["party"], default=None), min(acts["signed"], default=None)
        rows.append({"state": state, "status": "party" if consent else "signatory",
                     "mode": (consent or signature)[1], "consented": undated(consent),
                     "signed": undated(signature), "asOf": as_of, "record": record, "treaty": treaty,
                     "recordId": record_id})
    return rows


def undated(act: tuple | None) -> str | None:
    return None if act is None or act[0] == "~" else act[0]


def shown(rows: list[dict]) -> list[dict]:
    return [{k: (short(v) if k == "mode" else v) for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """A copy of the built graph, which others rebuild while the tests run."""
    copy = tmp_path_factory.mktemp("graph") / "obligraph.trig"
    shutil.copyfile(PROJECT / "graph" / "obligraph.trig", copy)
    return copy


@pytest.fixture(scope="module")
def store(graph):
    return open_store(graph)


@pytest.fixture(scope="module")
def claims(store):
    found = record_claims(store)
    assert found, "the built graph has reference-record claims"
    return found


def test_both_queries_are_in_the_library_with_their_parameters():
    named = {q.name: q for q in library()}
    assert [(p.name, p.required, p.type) for p in named["treaty-status"].parameters] == [("treaty", False, "iri")]
    assert [(p.name, p.required, p.type) for p in named["treaty-participants"].parameters] == [("treaty", True, "iri")]
    assert named["treaty-status"].question.endswith("?") and named["treaty-participants"].question.endswith("?")


def test_treaty_status_counts_are_the_records_own(store, claims):
    rows = obligraph.query("treaty-status", store=store)
    assert rows == expected_status(claims)
    assert any(row["parties"] for row in rows)


def test_every_act_of_consent_makes_a_party(store, claims):
    """Acceptance, approval and formal confirmation count as ratification does."""
    modes = {c["mode"] for c in claims if c["relation"] == "partyTo" and c["stance"] == "Asserts"}
    assert modes >= {"Ratification", "Accession"}
    rows = {(row["treaty"], row["recordId"]): row for row in obligraph.query("treaty-status", store=store)}
    for mode in sorted(modes - {"Signature"}):
        c = next(c for c in claims if c["mode"] == mode and c["relation"] == "partyTo")
        participants = obligraph.query("treaty-participants", store=store, treaty=short(c["treaty"]))
        assert {"state": c["state"], "status": "party", "mode": OB + mode, "recordId": c["recordId"]}.items() <= \
            next(r for r in participants if r["state"] == c["state"] and r["recordId"] == c["recordId"]).items()
        assert rows[(c["treaty"], c["recordId"])]["parties"] >= 1


def test_one_treaty(store, claims):
    status = expected_status(claims)
    busiest = max(status, key=lambda row: (row["signatoriesOnly"], row["parties"], row["treaty"]))
    treaty = short(busiest["treaty"])
    assert obligraph.query("treaty-status", store=store, treaty=treaty) == \
        [row for row in status if row["treaty"] == busiest["treaty"]]
    participants = obligraph.query("treaty-participants", store=store, treaty=treaty)
    assert shown(participants) == shown(expected_participants(claims, busiest["treaty"]))
    counted = [row for row in participants if row["recordId"] == busiest["recordId"]]
    assert sum(row["status"] == "party" for row in counted) == busiest["parties"]
    assert sum(row["status"] == "signatory" for row in counted) == busiest["signatoriesOnly"]


def test_the_command_line(graph, store, claims):
    treaty = short(claims[0]["treaty"])
    result = CliRunner().invoke(main, ["query", "treaty-participants", "--param", f"treaty={treaty}",
                                       "--format", "json", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["state", "status", "mode", "consented", "signed", "asOf", "record", "treaty",
                                    "recordId"]
    assert len(data["results"]["bindings"]) == len(obligraph.query("treaty-participants", store=store, treaty=treaty))
    dated = [row["consented"] for row in data["results"]["bindings"] if "consented" in row]
    assert dated and {d["datatype"] for d in dated} <= {"http://www.w3.org/2001/XMLSchema#date",
                                                        "http://www.w3.org/2001/XMLSchema#gYear",
                                                        "http://www.w3.org/2001/XMLSchema#gYearMonth"}
    missing = CliRunner().invoke(main, ["query", "treaty-participants", "--graph", str(graph)])
    assert (missing.exit_code, missing.stderr) == (
        2, "error: query treaty-participants needs --param treaty=ID\n  → an entity id, e.g. refugee-convention-1951\n")


# --- a record built here --------------------------------------------------------------------------

ENTITIES = """\
- {id: arcadia, type: State, label: Arcadia}
- {id: borduria, type: State, label: Borduria}
- {id: carpathia, type: State, label: Carpathia}
- {id: dystopia, type: State, label: Dystopia}
- {id: erewhon, type: State, label: Erewhon}
- {id: un, type: IntergovernmentalOrganization, label: United Nations}
- {id: covenant, type: Treaty, label: Covenant}
- {id: pact, type: Treaty, label: Pact}
"""
RECORD = """\
state,treaty,status,date,signature_date,authority,checked
Arcadia,covenant,ratification,1990-05-02,1989-01-10,the record,
Borduria,covenant,signature,1991-03-04,,the record,
Carpathia,covenant,not-party,,,the record,
Dystopia,covenant,accession,1999-12-31,,the record,
Erewhon,covenant,succession,1993-01-01,,the record,
Arcadia,pact,not-party,,,the record,
Borduria,pact,not-party,,1995-06-07,the record,
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    sources = tmp_path_factory.mktemp("record") / "sources"
    (sources / "reference").mkdir(parents=True)
    (sources / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (sources / "reference" / "parties.csv").write_text(RECORD, encoding="utf-8")
    (sources / "reference" / "parties.meta.yaml").write_text(
        "kind: reference-record\nformat: treaty-participation-csv\ntext: parties.csv\ntitle: parties\n"
        'author: un\nas_of: "2015-03-14"\n', encoding="utf-8")
    _, dataset = obligraph.assemble(paths=obligraph.Paths(sources=sources, ontology=PROJECT / "ontology"))
    from obligraph.graph.outputs import trig
    store = ox.Store()
    store.load(trig(dataset).encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


def test_a_small_record_counted(small):
    rows = obligraph.query("treaty-status", store=small)
    base = "https://w3id.org/obligraph/id/"
    assert rows == [
        {"treaty": base + "covenant", "parties": 3, "signatoriesOnly": 1, "notParties": 1, "asOf": "2015-03-14",
         "record": "parties", "recordId": "parties"},
        {"treaty": base + "pact", "parties": 0, "signatoriesOnly": 1, "notParties": 2, "asOf": "2015-03-14",
         "record": "parties", "recordId": "parties"}]
    assert rows == expected_status(record_claims(small))


def test_a_small_record_listed(small):
    rows = shown(obligraph.query("treaty-participants", store=small, treaty="covenant"))
    base = "https://w3id.org/obligraph/id/"
    common = {"asOf": "2015-03-14", "record": "parties", "treaty": base + "covenant", "recordId": "parties"}
    assert rows == [
        {"state": base + "arcadia", "status": "party", "mode": "Ratification", "consented": "1990-05-02",
         "signed": "1989-01-10", **common},
        {"state": base + "borduria", "status": "signatory", "mode": "Signature", "consented": None,
         "signed": "1991-03-04", **common},
        {"state": base + "dystopia", "status": "party", "mode": "Accession", "consented": "1999-12-31",
         "signed": None, **common},
        {"state": base + "erewhon", "status": "party", "mode": "Succession", "consented": "1993-01-01",
         "signed": None, **common}]
    assert shown(obligraph.query("treaty-participants", store=small, treaty="pact")) == [
        {"state": base + "borduria", "status": "signatory", "mode": "Signature", "consented": None,
         "signed": "1995-06-07", "asOf": "2015-03-14", "record": "parties", "treaty": base + "pact",
         "recordId": "parties"}]


def test_reservation_kinds_read_the_same_on_every_engine(focused):
    """obligations-by-state names the kinds of the reservations that concern a binding in
    alphabetical order, whatever the engine: Oxigraph's store and rdflib give the same column
    (GROUP_CONCAT, which the query no longer uses for it, has no defined order)."""
    from rdflib import URIRef

    from obligraph.answer.query import resolve
    from obligraph.graph.outputs import merged
    ours = obligraph.query("obligations-by-state", graph=focused, state="germany")
    theirs = merged(obligraph.load(focused)).query(
        resolve("obligations-by-state").text,
        initBindings={"state": URIRef("https://w3id.org/obligraph/id/germany")})
    column = sorted(str(r["reservations"]) for r in ours)
    assert column == sorted(str(r.reservations) for r in theirs)
    several = [c for c in column if c.startswith("qualified: ") and ", " in c]
    assert several, column  # Germany's CAT bindings: a reservation and a "reservation or declaration"
    for cell in several:
        kinds = cell.split(" (", 1)[1].rstrip(")").split(", ")
        assert kinds == sorted(kinds) and len(set(kinds)) == len(kinds), cell
