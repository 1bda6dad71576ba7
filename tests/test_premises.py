"""Premises (issue 17): a conflict with a provision that protects only persons of a status rests
on the premise that the persons the policy concerns have it — shown with the claims on both sides
and a status; who states each premise; leaving out what rests on a curator's reading; asof. On
invented corpora, then on the bundled one."""

from __future__ import annotations

import pyoxigraph as ox

import obligraph

from .test_reasoning import _id, _invented, _migrant_treaty

ENTITIES = """
    - {id: borduria, type: State, label: Borduria}
    - {id: migrant-treaty-1999, type: Treaty, label: Migrant Protection Treaty}
    - {id: migrant-treaty-1999-art-7, type: TreatyProvision, label: "Migrant Protection Treaty, article 7"}
    - {id: no-return-to-danger, type: Obligation, label: No return to danger}
    - {id: refugee, type: LegalStatus, label: refugee}
    - {id: return-to-danger, type: KindOfAct, label: returning people to danger}
    - {id: borduria-pushbacks, type: Policy, label: Borduria's pushbacks}
    - {id: river-migrants, type: Group, label: the river migrants}
    - {id: borduria-ministry, type: GovernmentBody, label: Borduria's interior ministry}
    - {id: unta, type: IntergovernmentalOrganization, label: Treaty depositary}
    """
# art. 7 protects "a migrant" in its words; the claim says only refugees (as art. 33 does)
TREATY = _migrant_treaty("""\
    Borduria,migrant-treaty-1999,ratification,2001-01-01,,depositary,test
    """, claims="""
    - {subject: migrant-treaty-1999-art-7, predicate: forbidsKind, object: return-to-danger,
       quote: No Party shall return a migrant to danger.}
    - {subject: migrant-treaty-1999-art-7, predicate: protectsOnly, object: refugee, quote: a migrant}
    """)
REPORT = ("In 2010 Borduria sent the river migrants back, into the fighting, in breach of the no-return rule. "
          "The river migrants are refugees under the treaty. "
          "The ministry says they are economic migrants, not refugees. "
          "They are only looking for work.\n")
POLICY = """
    - {subject: borduria, predicate: hasPolicy, object: borduria-pushbacks, date: "2010",
       quote: In 2010 Borduria sent the river migrants back}
    - {subject: borduria-pushbacks, predicate: contravenes, object: no-return-to-danger,
       quote: "in breach of the no-return rule"}
    """
TARGETS = """
    - {subject: borduria-pushbacks, predicate: targets, object: river-migrants,
       quote: Borduria sent the river migrants back}
    """
FOR = """
    - {subject: river-migrants, predicate: hasStatus, object: refugee, value: refugees,
       quote: The river migrants are refugees under the treaty.}
    """
AGAINST = """
    - {subject: river-migrants, predicate: hasStatus, object: refugee, stance: denies,
       stated_by: borduria-ministry, quote: "The ministry says they are economic migrants, not refugees."}
    """
READ_AGAINST = """
    - {subject: river-migrants, predicate: hasStatus, object: refugee, stance: denies, reading: curator,
       quote: They are only looking for work.}
    """


def _store(root, claims: str, *, treaty: dict[str, str] = TREATY) -> ox.Store:
    """The built store of the invented corpus with these claims for the report."""
    dataset = _invented(root, {
        "entities.yaml": ENTITIES, **treaty, "articles/report.txt": REPORT,
        "articles/report.meta.yaml": "kind: article\ntext: report.txt\ntitle: Pushbacks\ndate: \"2012\"\n",
        "articles/report.claims.yaml": claims})
    store = ox.Store()
    store.load(dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _conflicts(store: ox.Store, **params) -> list[tuple]:
    """(basis, premise status, premiseFor, premiseAgainst, rests on a reading) of each row."""
    return [(_id(r["basis"]), _id(r["premiseStatus"]) if r["premiseStatus"] else None,
             r["premiseFor"], r["premiseAgainst"], r["restsOnCuratorReading"])
            for r in obligraph.query("policy-conflicts", store=store, **params)]


def test_a_premise_with_claims_on_both_sides_is_contested_and_shows_both(tmp_path):
    store = _store(tmp_path, POLICY + TARGETS + FOR + AGAINST)
    rows = obligraph.query("policy-conflicts", store=store)
    assert len(rows) == 1
    row = rows[0]
    assert (_id(row["premise"]), _id(row["premiseConcerns"]), _id(row["premiseStatus"])) == (
        "refugee", "river-migrants", "PremiseContested")
    words = "The river migrants are refugees under the treaty."
    start = REPORT.index(words)
    assert row["premiseFor"] == f"Pushbacks (2012) [{start}–{start + len(words)}]: “{words}”"
    words = "The ministry says they are economic migrants, not refugees."
    start = REPORT.index(words)
    assert row["premiseAgainst"] == f"Pushbacks (2012) [{start}–{start + len(words)}] (stated by borduria-ministry): “{words}”"
    assert row["attribution"] == "policy: author; contravention: author; premise: author"
    assert row["restsOnCuratorReading"] is False


def test_a_premise_with_only_counter_claims_is_contested_and_no_claim_supports_it(tmp_path):
    store = _store(tmp_path, POLICY + TARGETS + AGAINST + READ_AGAINST)
    [(basis, status, supporting, contesting, _)] = _conflicts(store)
    assert (basis, status, supporting) == ("StatedBySource", "PremiseContested", "none")
    assert contesting.count(" | ") == 1 and "(curator's reading): “They are only looking for work.”" in contesting
    assert obligraph.query("policy-conflicts", store=store)[0]["attribution"] == \
        "policy: author; contravention: author; premise: none"
    counts = list(store.query("""PREFIX ob: <https://w3id.org/obligraph/ontology#>
        SELECT ?for ?against WHERE { ?p a ob:Premise ; ob:claimsFor ?for ; ob:claimsAgainst ?against }""",
                              use_default_graph_as_union=True))
    assert [(c["for"].value, c["against"].value) for c in counts] == [("0", "2")]


def test_a_premise_no_claim_speaks_to_is_unsupported_and_one_only_claims_support_is_supported(tmp_path):
    assert _conflicts(_store(tmp_path / "none", POLICY + TARGETS)) == [
        ("StatedBySource", "PremiseUnsupported", "none", "none", False)]
    # a policy that names no persons: the premise has no one to be about, and stays unsupported
    assert _conflicts(_store(tmp_path / "nobody", POLICY + FOR)) == [
        ("StatedBySource", "PremiseUnsupported", "none", "none", False)]
    [(_, status, supporting, contesting, _)] = _conflicts(_store(tmp_path / "for", POLICY + TARGETS + FOR))
    assert (status, contesting) == ("PremiseSupported", "none") and supporting.startswith("Pushbacks (2012) [")


def test_a_provision_for_any_person_carries_no_premise(tmp_path):
    """Without the protectsOnly claim (as CAT art. 3, the ICCPR): the conflict, and no premise."""
    line = "- {subject: migrant-treaty-1999-art-7, predicate: protectsOnly, object: refugee, quote: a migrant}"
    treaty = {name: text.replace(line, "") for name, text in TREATY.items()}
    assert treaty != TREATY
    rows = _conflicts(_store(tmp_path, POLICY + TARGETS + FOR + AGAINST, treaty=treaty))
    assert rows == [("StatedBySource", None, None, None, False)]


def test_a_conclusion_resting_on_a_curators_reading_can_be_left_out(tmp_path):
    """By kind (the kind is the curator's reading) and stated (an author's words): only the one
    resting on the author's words is left with curatorReadings=false. A second, curator-read
    contravention does not make the stated one rest on a reading: the author's words carry it."""
    claims = POLICY + TARGETS + FOR + """
    - {subject: borduria-pushbacks, predicate: ofKind, object: return-to-danger, reading: curator,
       quote: "Borduria sent the river migrants back, into the fighting"}
    - {subject: borduria-pushbacks, predicate: contravenes, object: no-return-to-danger, reading: curator,
       quote: "into the fighting"}
    """
    store = _store(tmp_path, claims)
    every = _conflicts(store)
    assert sorted((basis, reading) for basis, *_, reading in every) == [
        ("DerivedByKind", True), ("StatedBySource", False)]
    assert [row[0] for row in _conflicts(store, curatorReadings="false")] == ["StatedBySource"]
    assert len(_conflicts(store, curatorReadings="true")) == 2
    by_kind = next(r for r in obligraph.query("policy-conflicts", store=store) if _id(r["basis"]) == "DerivedByKind")
    assert by_kind["attribution"] == "policy: author; kind: curator's reading; forbids: author; premise: author"
    # a premise whose only support is a curator's reading: the stated conflict then rests on one
    claims = POLICY + TARGETS + """
    - {subject: river-migrants, predicate: hasStatus, object: refugee, reading: curator,
       quote: The river migrants are refugees under the treaty.}
    """
    assert _conflicts(_store(tmp_path / "read", claims))[0][4] is True


def test_asof_before_entry_into_force_gives_no_conflict_by_kind(tmp_path):
    """Bound from 2001-01-01 (the record's date; the invented treaty has no final clause)."""
    claims = POLICY.split("- {subject: borduria-pushbacks, predicate: contravenes")[0] + """
    - {subject: borduria-pushbacks, predicate: ofKind, object: return-to-danger, reading: curator,
       quote: "Borduria sent the river migrants back, into the fighting"}
    """
    store = _store(tmp_path, claims)
    assert [row[0] for row in _conflicts(store, asof="2001-01-01")] == ["DerivedByKind"]
    assert _conflicts(store, asof="2000-12-31") == []


def test_every_art_33_conflict_on_the_bundled_corpus_shows_its_contested_refugee_premise():
    """On the committed graph: art. 33 conflicts carry the premise, contested, with 003's
    "refugees sur place" for it and China's classification against it; CAT art. 3 and the ICCPR
    conflicts carry none."""
    rows = obligraph.query("policy-conflicts")
    art33 = [r for r in rows if _id(r["provision"]) == "refugee-convention-1951-art-33"]
    assert len(art33) == 4  # stated and by kind, each through the Convention and the Protocol
    for row in art33:
        assert (_id(row["premise"]), _id(row["premiseConcerns"]), _id(row["premiseStatus"])) == (
            "refugee", "north-korean-refugees", "PremiseContested")
        assert "count as “refugees sur place” under the UN’s definition”" in row["premiseFor"]
        assert "(stated by china): “China claims these people are economic migrants, not refugees”" in \
            row["premiseAgainst"]
    others = [r for r in rows if _id(r["provision"]) in ("convention-against-torture-1984-art-3", "iccpr-1966-art-12")]
    assert others and all(r["premise"] is None and r["premiseStatus"] is None for r in others)
