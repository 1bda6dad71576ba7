"""A treaty binds a state from the day it enters into force for that state (rule 15): the later
of the treaty's general entry into force and the state's deposit plus the final clause's delay —
never the deposit date itself, except where the clause says so (the 1967 Protocol)."""

from __future__ import annotations

import pytest

import obligraph
from obligraph.answer.query import open_store

BOUND = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ob: <https://w3id.org/obligraph/ontology#>
PREFIX obid: <https://w3id.org/obligraph/id/>
SELECT ?since ?deposited ?known WHERE {
  ?b a ob:BoundBy ; rdf:subject ?state ; ob:provision ?provision ; ob:since ?since ;
     ob:deposited ?deposited ; ob:entryIntoForceKnown ?known .
  OPTIONAL { ?b ob:through ?through }
  FILTER(STRAFTER(STR(?state), "/id/") = ?s && STRAFTER(STR(?provision), "/id/") = ?p
         && COALESCE(STRAFTER(STR(?through), "/id/"), "") = ?t)
}"""


@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.mark.parametrize("state, provision, through, since, deposited", [
    ("china", "refugee-convention-1951-art-33", "", "1982-12-23", "1982-09-24"),  # 90th day
    ("china", "refugee-convention-1951-art-33", "refugee-protocol-1967-art-i", "1982-09-24", "1982-09-24"),
    ("china", "refugee-protocol-1967-art-ii", "", "1982-09-24", "1982-09-24"),  # on the date of deposit
    ("china", "convention-against-torture-1984-art-3", "", "1988-11-03", "1988-10-04"),  # 30th day
    ("germany", "refugee-convention-1951-art-33", "", "1954-04-22", "1953-12-01"),  # the general date
    ("united-kingdom", "refugee-convention-1951-art-33", "", "1954-06-09", "1954-03-11"),
    ("russia", "convention-against-torture-1984-art-3", "", "1987-06-26", "1987-03-03"),
    ("united-states", "refugee-convention-1951-art-33", "refugee-protocol-1967-art-i", "1968-11-01", "1968-11-01"),
])
def test_bound_from_the_day_the_treaty_entered_into_force_for_the_state(store, state, provision, through,
                                                                         since, deposited):
    query = BOUND.replace("?s &&", f'"{state}" &&').replace("= ?p", f'= "{provision}"').replace("= ?t)", f'= "{through}")')
    assert obligraph.query(query, store=store) == [{"since": since, "deposited": deposited, "known": True}]


def test_months_are_added_as_months_and_no_clause_means_unknown(tmp_path):
    """An invented treaty with "three months after" (P3M) binds from deposit + 3 months; one with
    no bundled final clause keeps the deposit date and says its entry into force is unknown."""
    sources = tmp_path / "sources"
    for folder in ("articles", "treaties", "reference"):
        (sources / folder).mkdir(parents=True)
    (sources / "entities.yaml").write_text("""\
- {id: arcadia, type: State, label: Arcadia}
- {id: un, type: IntergovernmentalOrganization, label: United Nations}
- {id: covenant, type: Treaty, label: Covenant}
- {id: pact, type: Treaty, label: Pact}
- {id: covenant-art-1, type: TreatyProvision, label: "Covenant, article 1"}
- {id: covenant-art-9, type: TreatyProvision, label: "Covenant, article 9"}
- {id: pact-art-1, type: TreatyProvision, label: "Pact, article 1"}
- {id: freedom-to-leave, type: Obligation, label: freedom to leave}
""", encoding="utf-8")
    texts = {"covenant": ("Article 1\nEveryone shall be free to leave any country.\n"
                          "Article 9\nFor each State acceding later, the Covenant shall enter into force "
                          "three months after the date of the deposit of its own instrument.\n"),
             "pact": "Article 1\nEveryone shall be free to leave any country.\n"}
    claims = {"covenant": """\
- {subject: covenant-art-1, predicate: provisionOf, object: covenant, quote: "Article 1"}
- {subject: covenant-art-1, predicate: establishesObligation, object: freedom-to-leave, quote: "Everyone shall be free to leave any country."}
- {subject: covenant-art-9, predicate: provisionOf, object: covenant, quote: "Article 9"}
- {subject: covenant-art-9, predicate: entryIntoForceDelay, value: P3M, quote: "three months after the date of the deposit of its own instrument"}
""", "pact": """\
- {subject: pact-art-1, predicate: provisionOf, object: pact, quote: "Article 1"}
- {subject: pact-art-1, predicate: establishesObligation, object: freedom-to-leave, quote: "Everyone shall be free to leave any country."}
"""}
    for name in ("covenant", "pact"):
        (sources / "treaties" / f"{name}.txt").write_text(texts[name], encoding="utf-8")
        (sources / "treaties" / f"{name}.meta.yaml").write_text(
            f"kind: treaty-text\ntext: {name}.txt\ntitle: {name}\ntreaty: {name}\n", encoding="utf-8")
        (sources / "treaties" / f"{name}.claims.yaml").write_text(claims[name], encoding="utf-8")
    (sources / "reference" / "parties.csv").write_text(
        "state,treaty,status,date,signature_date,authority,checked\n"
        "Arcadia,covenant,accession,1981-09-14,,the record,\nArcadia,pact,accession,1990-01-31,,the record,\n",
        encoding="utf-8")
    (sources / "reference" / "parties.meta.yaml").write_text(
        "kind: reference-record\nformat: treaty-participation-csv\ntext: parties.csv\ntitle: parties\nauthor: un\n",
        encoding="utf-8")
    (sources / "reference" / "in-force.csv").write_text(
        "treaty,date,authority\ncovenant,1976-03-23,the depositary\n", encoding="utf-8")
    (sources / "reference" / "in-force.meta.yaml").write_text(
        "kind: reference-record\nformat: treaty-entry-into-force-csv\ntext: in-force.csv\ntitle: in force\nauthor: un\n",
        encoding="utf-8")
    _, dataset = obligraph.assemble(paths=obligraph.Paths(sources=sources))
    from obligraph.graph.outputs import merged
    rows = sorted((str(treaty).rsplit("/", 1)[1], str(since), str(deposited), known.toPython())
                  for treaty, since, deposited, known in merged(dataset).query("""
        PREFIX ob: <https://w3id.org/obligraph/ontology#>
        SELECT ?treaty ?since ?deposited ?known WHERE {
          ?b a ob:BoundBy ; ob:treaty ?treaty ; ob:since ?since ; ob:deposited ?deposited ;
             ob:entryIntoForceKnown ?known }"""))
    assert rows == [("covenant", "1981-12-14", "1981-09-14", True), ("pact", "1990-01-31", "1990-01-31", False)]


@pytest.mark.parametrize("row, message", [
    ("atlantis-treaty,1954-04-22,the depositary",
     "in-force.csv: line 2: treaty 'atlantis-treaty' is not in the registry\n"
     "  → add it (or an alias) to sources/entities.yaml"),
    ("refugee-convention-1951,1954,the depositary",
     "in-force.csv: line 2: date must be the full date of entry into force (YYYY-MM-DD)"),
])
def test_a_bad_row_of_the_entry_into_force_record_names_its_line(row, message):
    from obligraph.corpus.model import Entity, Source, SourceKind
    from obligraph.corpus.records import read_treaty_entry_into_force
    from obligraph.errors import ObligraphError
    text = f"treaty,date,authority\n{row}\n"
    source = Source(id="in-force", kind=SourceKind.REFERENCE_RECORD, path="in-force.csv", text=text,
                    title="in force", author=None, publisher=None, date=None, sha256="")
    treaty = Entity(id="refugee-convention-1951", type="Treaty", label="Refugee Convention")
    with pytest.raises(ObligraphError) as refused:
        read_treaty_entry_into_force(source, (treaty,))
    assert str(refused.value) == message
