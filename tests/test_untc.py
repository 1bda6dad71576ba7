"""The depositary's record for every state (issue 16): the untc-2015 readers (index, status,
reservations and declarations), the compact form of a record's rows, the conclusions the record
feeds (entry into force, signature duties, reservations on bindings) and the errors a malformed
record gives."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from obligraph.answer.query import open_store
from obligraph.cli import main
from obligraph.corpus import untc
from obligraph.corpus.sources import read_registry, read_source
from obligraph.corpus.vocabulary import read_ontology, vocabulary_of
from obligraph.graph.pipeline import PROJECT
from obligraph.graph.rdf import ntriples_lines, source_lines, source_triples
from obligraph.graph.validate import batch_violations, read_shapes

SOURCES = PROJECT / "sources"
RECORD = SOURCES / "reference" / "untc-2015"
PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX ob: <https://w3id.org/obligraph/ontology#>
PREFIX obid: <https://w3id.org/obligraph/id/>
"""


@pytest.fixture(scope="module")
def entities():
    return read_registry(SOURCES.resolve(), vocabulary_of(read_ontology(PROJECT / "ontology" / "obligraph.ttl")))


def _source(entities, meta: str, text: str):
    return read_source(SOURCES / "reference" / meta, SOURCES.resolve(), {e.id for e in entities},
                       text_path=RECORD / text)


@pytest.fixture(scope="module")
def store():
    return open_store()


def _rows(store, query: str) -> list[tuple]:
    return [tuple(None if v is None else v.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for v in row)
            for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def test_every_participant_of_every_status_file_is_one_entity_of_the_registry(entities):
    names = untc.names_of(entities, "State", "IntergovernmentalOrganization")
    participants = {row[0] for path in sorted((RECORD / "status").glob("*.csv"))
                    for row in list(csv.reader(path.open(encoding="utf-8")))[1:]}
    assert len(participants) == 198
    found = {names[name.casefold()] for name in participants}
    # Cabo Verde and Cape Verde (the record uses both) are one state; the EU is not a State
    assert len(found) == 197
    assert {names["democratic people's republic of korea"], names["viet nam"], names["cape verde"],
            names["russian federation"]} == {"north-korea", "vietnam", "cabo-verde", "russia"}
    assert {e.type for e in entities if e.id == "european-union"} == {"IntergovernmentalOrganization"}


def test_the_status_reader_reads_each_files_own_columns_and_markers(entities):
    cat = untc.read_status(_source(entities, "untc-2015-status.meta.yaml", "status/4-9.csv"), entities)
    china = sorted((c.predicate, c.mode.value, c.date.text) for c in cat if c.subject == "china")
    assert china == [("partyTo", "ratification", "1988-10-04"), ("signatoryOf", "signature", "1986-12-12")]
    # the Protocol's file has no signature column, and an accession marked "a"
    protocol = untc.read_status(_source(entities, "untc-2015-status.meta.yaml", "status/5-5.csv"), entities)
    assert {c.predicate for c in protocol} == {"partyTo"}
    assert [(c.mode.value, c.date.text) for c in protocol if c.subject == "united-states"] == [("accession", "1968-11-01")]
    # A is acceptance, AA approval, c formal confirmation: case matters
    trafficking = untc.read_status(_source(entities, "untc-2015-status.meta.yaml", "status/18-12-a.csv"), entities)
    assert {c.mode.value for c in trafficking} >= {"acceptance", "approval", "ratification", "accession"}
    crpd = untc.read_status(_source(entities, "untc-2015-status.meta.yaml", "status/4-15.csv"), entities)
    assert [c.mode.value for c in crpd if c.subject == "european-union" and c.predicate == "partyTo"] == ["formal-confirmation"]
    # each claim quotes its whole row, with its offsets
    row = next(c for c in cat if c.subject == "china" and c.predicate == "partyTo").evidence[0].span
    text = (RECORD / "status" / "4-9.csv").read_text(encoding="utf-8")
    assert row.exact == "China,12 Dec 1986,4 Oct 1988" == text[row.start:row.end]


def test_a_record_rows_fast_lines_are_the_lines_rdflib_makes(entities):
    for meta, text in (("untc-2015-status.meta.yaml", "status/4-9.csv"),
                       ("untc-2015-status.meta.yaml", "status/4-13.csv"),
                       ("untc-2015-index.meta.yaml", "index.csv"),
                       ("untc-2015-declarations.meta.yaml", "declarations/4-4.txt")):
        source = _source(entities, meta, text)
        from obligraph.corpus import records
        if source.format in records.RECORD_TREATY:
            from dataclasses import replace
            source = replace(source, treaty=records.RECORD_TREATY[source.format](source, entities),
                             record_class=records.RECORD_CLASS.get(source.format))
        claims = records.READERS[source.format](source, entities)
        assert claims
        assert source_lines(source, claims) == ntriples_lines(source_triples(source, claims))


@pytest.mark.parametrize("meta, text", [("untc-2015-status.meta.yaml", "status/4-4.csv"),
                                        ("untc-2015-declarations.meta.yaml", "declarations/4-9.txt")])
def test_a_whole_record_conforms_to_the_shapes(entities, meta, text):
    """The build checks a record's first row of each form only (pipeline.record_sample); here, all."""
    from dataclasses import replace
    from obligraph.corpus import records
    source = _source(entities, meta, text)
    source = replace(source, treaty=records.RECORD_TREATY[source.format](source, entities),
                     record_class=records.RECORD_CLASS.get(source.format))
    claims = records.READERS[source.format](source, entities)
    ontology = read_ontology(PROJECT / "ontology" / "obligraph.ttl")
    shapes = read_shapes(PROJECT / "ontology" / "shapes.ttl")
    assert batch_violations(list(source_triples(source, claims)), ontology, shapes) == []


@pytest.mark.parametrize("meta, text", [("untc-2015-status.meta.yaml", "status/4-4.csv"),
                                        ("untc-2015-declarations.meta.yaml", "declarations/4-9.txt")])
def test_the_rows_the_build_checks_have_every_form_of_the_record(entities, meta, text):
    """Every row's triples, with their values blanked, are those of a row in the sample: what the
    shapes see of a record has every combination of predicates and types its rows have."""
    from dataclasses import replace
    from obligraph.corpus import records
    from obligraph.graph.pipeline import record_sample
    source = _source(entities, meta, text)
    source = replace(source, treaty=records.RECORD_TREATY[source.format](source, entities),
                     record_class=records.RECORD_CLASS.get(source.format))
    claims = records.READERS[source.format](source, entities)

    def form(claim):
        triples = source_triples(None, [claim])
        return frozenset((p, o if p.endswith(("#type", "#mode", "#stance", "#predicate", "#reservationKind"))
                          else type(o).__name__) for _, p, o in triples)

    sample = record_sample(claims)
    assert len(sample) < len(claims) / 5  # the point: a few rows, not the record
    assert {form(c) for c in claims} == {form(c) for c in sample}


def test_every_treaty_of_the_index_is_a_treaty_with_where_and_when_it_was_adopted(store):
    rows = _rows(store, """SELECT ?treaty ?place ?on WHERE {
      ?a rdf:subject ?treaty ; rdf:predicate ob:adoptedAt ; rdf:object ?place ; dcterms:source ?src .
      ?b rdf:subject ?treaty ; rdf:predicate ob:adoptedOn ; ob:value ?on ; dcterms:source ?src .
      ?treaty a ob:Treaty } ORDER BY ?treaty""")
    index = list(csv.DictReader((RECORD / "index.csv").open(encoding="utf-8")))
    assert len(rows) == len(index) == 34
    assert ("convention-against-torture-1984", "new-york", "1984-12-10") in rows
    assert ("refugee-convention-1951", "geneva", "1951-07-28") in rows


def test_the_records_source_nodes_say_as_of_when(store):
    rows = _rows(store, """SELECT ?id ?asOf WHERE { ?s a ob:ReferenceRecord ; dcterms:identifier ?id .
                           OPTIONAL { ?s ob:asOf ?asOf } }""")
    untc_rows = [r for r in rows if r[0].startswith("untc-")]
    assert len(untc_rows) == 1 + 33 + 28  # the index, a status file per treaty, 28 declarations files
    assert {r[1] for r in untc_rows} == {"2015-03-14"}


@pytest.mark.parametrize("state, provision, since", [
    ("north-korea", "iccpr-1966-art-7", "1981-12-14"),  # acceded 1981-09-14, art. 49(2): three months
    ("china", "convention-against-torture-1984-art-3", "1988-11-03"),
    ("kenya", "refugee-convention-1951-art-33", None),
])
def test_bindings_for_any_state_from_entry_into_force(store, state, provision, since):
    rows = _rows(store, f"""SELECT ?since WHERE {{ ?b a ob:BoundBy ; rdf:subject obid:{state} ;
        ob:provision obid:{provision} ; ob:since ?since . FILTER NOT EXISTS {{ ?b ob:through ?t }} }}""")
    if since is None:  # Kenya: a party, bound; the date is whatever the record and clause give
        assert len(rows) == 1 and rows[0][0] > "1954-04-22"
    else:
        assert rows == [(since,)]


def test_china_signed_the_iccpr_so_owes_a_signatory_duty_and_is_bound_by_none_of_it(store):
    duties = _rows(store, """SELECT ?treaty ?since ?provision WHERE { ?d a ob:SignatureDuty ;
        rdf:subject obid:china ; ob:treaty ?treaty ; ob:since ?since ; ob:provision ?provision }""")
    assert ("iccpr-1966", "1998-10-05", "vclt-1969-art-18") in duties
    assert _rows(store, """SELECT ?b WHERE { ?b a ob:BoundBy ; rdf:subject obid:china ;
                                            ob:treaty obid:iccpr-1966 }""") == []
    # a state that signed and later ratified owes no signatory duty
    assert _rows(store, """SELECT ?d WHERE { ?d a ob:SignatureDuty ; rdf:subject obid:china ;
                                            ob:treaty obid:convention-against-torture-1984 }""") == []


def test_no_reservation_of_china_touches_art_33_and_the_us_understanding_sits_on_cat_art_3(store):
    china = _rows(store, """SELECT ?qualified ?record WHERE { ?b a ob:BoundBy ; rdf:subject obid:china ;
        ob:provision obid:refugee-convention-1951-art-33 ; ob:qualifiedByReservation ?qualified ;
        ob:reservationsRecord ?record . FILTER NOT EXISTS { ?b ob:through ?t } }""")
    assert china == [("false", "untc-declarations-5-2")]
    us = _rows(store, """SELECT ?kind ?quote WHERE { ?b a ob:BoundBy ; rdf:subject obid:united-states ;
        ob:provision obid:convention-against-torture-1984-art-3 ; ob:qualifiedByReservation true ;
        ob:reservation ?r . ?r ob:reservationKind ?kind ;
        prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?quote }""")
    understandings = [q for kind, q in us if kind == "KindUnderstanding"]
    assert any("as used in article 3 of the Convention" in q and "more likely than not" in q
               for q in understandings)


def test_chinas_cat_declarations_are_read_with_their_kinds(entities):
    from dataclasses import replace
    source = _source(entities, "untc-2015-declarations.meta.yaml", "declarations/4-9.txt")
    source = replace(source, treaty="convention-against-torture-1984")
    claims = [c for c in untc.read_declarations(source, entities) if c.subject == "china"]
    assert sorted((c.value.raw, c.kind) for c in claims) == [("20", "declaration"), ("30(1)", "reservation")]
    assert claims[0].stated_by == "china" and claims[0].object == "convention-against-torture-1984"


def test_a_reservation_to_a_provision_the_clause_protects_is_flagged_and_a_provided_one_is_not(store):
    flagged = _rows(store, """SELECT ?state ?treaty ?protected WHERE { ?f a ob:ReservationAgainstClause ;
        rdf:subject ?state ; ob:treaty ?treaty ; ob:protectedProvision ?protected }""")
    assert flagged and all(t in ("refugee-convention-1951", "refugee-protocol-1967") for _, t, _ in flagged)
    protected = {"1", "3", "4", "16(1)", "33", *map(str, range(36, 47))}
    assert {p for _, _, p in flagged} <= protected
    # China's reservation to the Protocol's article IV is one art. VII(1) provides for
    provided = _rows(store, """SELECT ?clause WHERE { ?r rdf:subject obid:china ;
        rdf:predicate ob:reservationConcerns ; dcterms:source/ob:recordOf obid:refugee-protocol-1967 ;
        ob:providedForBy ?clause }""")
    assert provided == [("refugee-protocol-1967-art-vii",)]
    assert ("china", "refugee-protocol-1967", "4") not in flagged


@pytest.fixture
def corpus_copy(tmp_path):
    """The bundled corpus in a temporary directory (sources/ and graph/), to spoil one file."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    out = tmp_path / "graph"
    out.mkdir()
    (out / "obligraph.trig").write_text("previous build\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("file, old, new, message", [
    ("status/4-9.csv", "China,12 Dec 1986,4 Oct 1988", "China,12 Dec 1986,4 Oct 1988 x",
     "sources/reference/untc-2015/status/4-9.csv: line 33: the marker 'x' in '4 Oct 1988 x' is not one "
     "the column's header 'Accession(a), Succession(d), Ratification' gives"),
    ("status/4-9.csv", "China,12 Dec 1986,4 Oct 1988", "China,12 Dec 1986,4 Octo 1988",
     "sources/reference/untc-2015/status/4-9.csv: line 33: '4 Octo 1988' (column 3) is not a date like "
     "24 Sep 1982, optionally followed by a marker"),
    ("status/4-9.csv", "China,12 Dec 1986,4 Oct 1988", "Cathay,12 Dec 1986,4 Oct 1988",
     "sources/reference/untc-2015/status/4-9.csv: line 33: participant 'Cathay' is not in the registry"),
    ("status/4-9.csv", "China,12 Dec 1986,4 Oct 1988", "China,12 Dec 1986",
     "sources/reference/untc-2015/status/4-9.csv: line 33: the row has 2 cells, the header 3"),
])
def test_a_malformed_row_stops_the_build_naming_file_line_and_what_to_do(corpus_copy, file, old, new, message):
    path = corpus_copy / "sources" / "reference" / "untc-2015" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(corpus_copy / "sources"),
                                       "--out", str(corpus_copy / "graph"), "--no-cache"])
    assert result.exit_code != 0
    assert result.stderr.startswith(f"error: {message}")
    assert "→ " in result.stderr and "Traceback" not in result.output
    assert (corpus_copy / "graph" / "obligraph.trig").read_text(encoding="utf-8") == "previous build\n"
