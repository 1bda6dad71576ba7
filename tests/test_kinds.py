"""Kinds of act (issue 17): a conflict found where a bound state's policy is of a kind its
provision forbids, even where no source says "contravenes" — on invented corpora and on the
bundled one."""

from __future__ import annotations

import pytest

import obligraph
from obligraph.errors import ObligraphError
from obligraph.graph.pipeline import PROJECT

from .test_reasoning import _assembled, _id, _migrant_treaty

ENTITIES = """
    - {id: borduria, type: State, label: Borduria}
    - {id: ruritania, type: State, label: Ruritania}
    - {id: migrant-treaty-1999, type: Treaty, label: Migrant Protection Treaty}
    - {id: migrant-treaty-1999-art-7, type: TreatyProvision, label: "Migrant Protection Treaty, article 7"}
    - {id: no-return-to-danger, type: Obligation, label: No return to danger}
    - {id: return-to-danger, type: KindOfAct, label: returning people to danger}
    - {id: borduria-pushbacks, type: Policy, label: Borduria's pushbacks}
    - {id: ruritania-pushbacks, type: Policy, label: Ruritania's pushbacks}
    - {id: unta, type: IntergovernmentalOrganization, label: Treaty depositary}
    """
# only Borduria is party: Ruritania is bound by no treaty
TREATY = _migrant_treaty("""\
    Borduria,migrant-treaty-1999,ratification,2001-01-01,,depositary,test
    """, claims="""
    - {subject: migrant-treaty-1999-art-7, predicate: forbidsKind, object: return-to-danger,
       quote: No Party shall return a migrant to danger.}
    """)
REPORT = ("In 2010 Borduria sent migrants back across the river, into the fighting. "
          "In 2010 Ruritania sent migrants back across the river, into the fighting.\n")


def _corpus(claims: str) -> dict[str, str]:
    return {"entities.yaml": ENTITIES, **TREATY,
            "articles/report.txt": REPORT,
            "articles/report.meta.yaml": "kind: article\ntext: report.txt\ntitle: Pushbacks\ndate: \"2012\"\n",
            "articles/report.claims.yaml": claims}


CLAIMS = """
    - {subject: borduria, predicate: hasPolicy, object: borduria-pushbacks, date: "2010",
       quote: In 2010 Borduria sent migrants back across the river}
    - {subject: borduria-pushbacks, predicate: ofKind, object: return-to-danger, reading: curator,
       quote: "Borduria sent migrants back across the river, into the fighting."}
    - {subject: ruritania, predicate: hasPolicy, object: ruritania-pushbacks, date: "2010",
       quote: In 2010 Ruritania sent migrants back across the river}
    - {subject: ruritania-pushbacks, predicate: ofKind, object: return-to-danger, reading: curator,
       quote: "Ruritania sent migrants back across the river, into the fighting."}
    """


def _breaches(graph) -> set[tuple]:
    return {(_id(s), _id(p), _id(basis), _id(kind) if kind else None, str(since), bool(reading))
            for s, p, basis, kind, since, reading in graph.query("""
        SELECT ?s ?p ?basis ?kind ?since ?reading WHERE {
          ?b a ob:PotentialBreach ; rdf:subject ?s ; ob:policy ?p ; ob:breachBasis ?basis ;
             ob:boundSince ?since .
          OPTIONAL { ?b ob:actKind ?kind } OPTIONAL { ?b ob:restsOnCuratorReading ?reading } }""")}


def test_a_policy_of_a_forbidden_kind_conflicts_where_no_source_says_contravenes(tmp_path):
    """Borduria is bound from 2001 and its 2010 pushbacks are of the kind art. 7 forbids: a
    conflict derived by kind, resting on the curator's reading. Ruritania does the same but is
    bound by no treaty: no conflict."""
    graph = _assembled(tmp_path, _corpus(CLAIMS))
    assert _breaches(graph) == {("borduria", "borduria-pushbacks", "DerivedByKind", "return-to-danger",
                                 "2001-01-01", True)}


def test_a_stated_conflict_and_one_by_kind_stay_two(tmp_path):
    """A source also says the pushbacks contravene the obligation: two conclusions, one per
    basis, never merged into one."""
    claims = CLAIMS + """
    - {subject: borduria-pushbacks, predicate: contravenes, object: no-return-to-danger,
       quote: "Borduria sent migrants back across the river, into the fighting"}
    """
    graph = _assembled(tmp_path, _corpus(claims))
    assert {(b[2], b[3]) for b in _breaches(graph) if b[0] == "borduria"} == {
        ("DerivedByKind", "return-to-danger"), ("StatedBySource", None)}


def test_no_kind_without_the_words(tmp_path):
    """A kind is never assigned without a quote: the build refuses the claim and says which."""
    claims = CLAIMS + """
    - {subject: borduria-pushbacks, predicate: ofKind, object: return-to-danger, reading: curator}
    """
    with pytest.raises(ObligraphError) as error:
        _assembled(tmp_path, _corpus(claims))
    assert "report.claims.yaml" in str(error.value) and "claim 5" in str(error.value)
    assert "quote" in str(error.value)


def test_the_bundled_corpus_derives_north_korea_and_china_conflicts_by_kind():
    """On the committed graph (tests/test_build.py checks it is what a fresh build writes)."""
    rows = obligraph.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX ob: <https://w3id.org/obligraph/ontology#>
        SELECT ?state ?policy ?provision ?since WHERE {
          ?b a ob:PotentialBreach ; ob:breachBasis ob:DerivedByKind ; rdf:subject ?state ;
             ob:policy ?policy ; ob:provision ?provision ; ob:boundSince ?since }""")
    found = {(_id(r["state"]), _id(r["policy"]), _id(r["provision"]), str(r["since"])) for r in rows}
    assert ("north-korea", "north-korea-defection-as-treachery", "iccpr-1966-art-12", "1981-12-14") in found
    # CEDAW entered into force on 1981-09-03, after China's ratification (1980-11-04)
    assert ("china", "china-failure-to-protect-from-traffickers", "cedaw-1979-art-6", "1981-09-03") in found
    # the conflicts a source states are found by kind too
    assert ("china", "china-forced-repatriation", "convention-against-torture-1984-art-3", "1988-11-03") in found
    assert ("china", "china-unhcr-access-denial", "refugee-convention-1951-art-35", "1982-12-23") in found
    assert {state for state, *_ in found} == {"china", "north-korea"}


def test_obligations_of_a_kind_name_the_states_the_provisions_and_their_words():
    """Which states are bound not to return people at risk: China by art. 33 (itself and through
    the Protocol) and by CAT art. 3; the United States through the Protocol only; every row with
    the provision's words at their offsets in the treaty's text."""
    rows = obligraph.query("obligations-of-kind", kind="return-to-risk")
    china = {(_id(r["provision"]), _id(r["through"]) if r["through"] else None, str(r["since"]))
             for r in rows if _id(r["state"]) == "china"}
    assert china == {("refugee-convention-1951-art-33", None, "1982-12-23"),
                     ("refugee-convention-1951-art-33", "refugee-protocol-1967-art-i", "1982-09-24"),
                     ("convention-against-torture-1984-art-3", None, "1988-11-03")}
    us = {(_id(r["provision"]), _id(r["through"]) if r["through"] else None) for r in rows
          if _id(r["state"]) == "united-states"}
    assert ("refugee-convention-1951-art-33", "refugee-protocol-1967-art-i") in us
    assert ("refugee-convention-1951-art-33", None) not in us
    texts = {path.stem: path.read_text(encoding="utf-8")
             for path in (PROJECT / "sources" / "treaties").glob("*.txt")}
    assert all(texts[r["sourceId"]][r["start"]:r["end"]] == r["quote"] for r in rows)
    assert obligraph.query("obligations-of-kind", kind="punishing-departure") and \
        {_id(r["provision"]) for r in obligraph.query("obligations-of-kind", kind="punishing-departure")} == {"iccpr-1966-art-12"}
