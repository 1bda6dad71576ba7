"""New entities proposed for the registry (extract/proposals.py), candidates that name them, and
their review: `obligraph review --accept N --accept-entities ID` appends the entity to the
registry and the claim to the claims file together, or neither."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

import obligraph
from obligraph.cli import main
from obligraph.corpus import atomic
from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract_all
from obligraph.extract.proposing import extract_proposing
from obligraph.graph.rdf import OBG

REG = (Entity("china", "State", "China"), Entity("north-korea", "State", "North Korea"),
       Entity("unhcr", "IntergovernmentalOrganization", "UNHCR"))


def _proposed(text: str) -> list[tuple]:
    found = extract_all(text, REG, source_id="x")
    assert all(text[e.start:e.end] == e.quote for e in found.new_entities)
    return [(e.id, e.type, e.label, e.aliases) for e in found.new_entities]


@pytest.mark.parametrize("text, proposed", [
    ("Amnesty International urged China to stop.",
     [("amnesty-international", "NGO", "Amnesty International", ())]),
    ("Médecins Sans Frontières (MSF) ran the clinic.",
     [("medecins-sans-frontieres", "NGO", "Médecins Sans Frontières", ("MSF",))]),
    ("The Organization for Security and Co-operation in Europe (OSCE) met.",
     [("organization-for-security-and-co-operation-in-europe", "IntergovernmentalOrganization",
       "Organization for Security and Co-operation in Europe", ("OSCE",))]),
    ("The Rapid Support Forces (RSF) held them.",
     [("rapid-support-forces", "GovernmentBody", "Rapid Support Forces", ("RSF",))]),
    ("The Democratic Republic of the Congo (DRC) expelled them.",
     [("dr-congo", "State", "Democratic Republic of the Congo", ("DRC",))]),  # the gazetteer's, with the acronym
    # letters that are not the name's initials define nothing
    ("The Freedom Council (XYZ) met.", [("freedom-council", "NGO", "Freedom Council", ())]),
    ("Unification Minister Koo Byoung-sam said so.", [("koo-byoung-sam", "Person", "Koo Byoung-sam", ())]),
    ("They crossed the Tumen River near Kutupalong refugee camp.",
     [("tumen-river", "Place", "Tumen River", ()), ("kutupalong-refugee-camp", "Place", "Kutupalong refugee camp", ())]),
    # a possessive before a place: the place, not its owner; the owner is the registry's
    ("They were held in North Korea’s Ryanggang province.",
     [("ryanggang-province", "Place", "Ryanggang province", ())]),
    # a nationality's adjective before a place word, and a camp in a place, are no places' names
    ("They fled the Chinese province of Jilin to a Syrian province and an Idlib camp.", []),
    ("In Yanbian Prefecture police waited.", [("yanbian-prefecture", "Place", "Yanbian Prefecture", ())]),
    # the words opening a clause are not the name's
    ("If the Supreme Court agrees, they stay.", [("supreme-court", "GovernmentBody", "Supreme Court", ())]),
    # two names joined by "and the" are two; "and" alone joins one name
    ("UNHCR and the International Organization for Migration met the Ministry of Labour and Home Affairs.",
     [("international-organization-for-migration", "IntergovernmentalOrganization",
       "International Organization for Migration", ()),
      ("ministry-of-labour-and-home-affairs", "GovernmentBody", "Ministry of Labour and Home Affairs", ())]),
    ("The European Court of Human Rights and the African Union ruled; the International Rescue Committee said so.",
     [("european-court-of-human-rights", "IntergovernmentalOrganization", "European Court of Human Rights", ()),
      ("african-union", "IntergovernmentalOrganization", "African Union", ()),
      ("international-rescue-committee", "NGO", "International Rescue Committee", ())]),
    # the UN's bodies named without "UN", by name; an NGO may have the same head words
    ("The Committee on the Rights of the Child and the Helsinki Committee for Human Rights met.",
     [("committee-on-the-rights-of-the-child", "IntergovernmentalOrganization", "Committee on the Rights of the Child", ()),
      ("helsinki-committee-for-human-rights", "NGO", "Helsinki Committee for Human Rights", ())]),
    ("The National Migration Service said so.",
     [("national-migration-service", "GovernmentBody", "National Migration Service", ())]),
    ("Committee Vice-Chair Claude Heller said so.", [("claude-heller", "Person", "Claude Heller", ())]),
    # no person's name: joining words, a title, a day
    ("The UN High Commissioner for Human Rights said so. The Special Rapporteur said so. "
     "The Soninke and Wolof said so. He was in Medellin on Tuesday said a witness.", []),
])
def test_proposed_entities_have_the_type_the_words_give(text, proposed):
    assert _proposed(text) == proposed


def test_a_candidate_may_name_a_proposed_entity():
    text = "The Arcadian Refugee Council (ARC) urged China to halt the deportations."
    assert [c.subject for c in extract_all(text, REG, source_id="x").candidates] == []
    found = extract_proposing(text, REG, source_id="x")
    assert [(c.subject, c.predicate, c.object) for c in found.candidates] == [
        ("arcadian-refugee-council", "urges", "china")]
    assert [(text[m.start:m.end], m.entity, m.rule) for m in found.mentions] == [
        ("Arcadian Refugee Council", "arcadian-refugee-council", "proposed"),
        ("ARC", "arcadian-refugee-council", "proposed"), ("China", "china", "label")]
    assert [e.id for e in found.new_entities] == ["arcadian-refugee-council"]


COUNCIL = "The Arcadian Refugee Council (ARC) urged Arcadia to halt the deportations.\n"


def _extracted(small):
    small.write("articles/a1.txt", (small.sources / "articles" / "a1.txt").read_text("utf-8") + COUNCIL)
    text = small.sources / "articles" / "a1.txt"
    result = CliRunner().invoke(main, ["extract", str(text), "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {text.with_name('a1.candidates.yaml')}: ")
    assert ", 1 proposed new entities\n" in result.output
    data = yaml.safe_load(text.with_name("a1.candidates.yaml").read_text("utf-8"))
    (urges,) = [c for c in data["candidates"] if c["predicate"] == "urges"]
    return text, data, urges


def _review(small, text, *args):
    return CliRunner().invoke(main, ["review", str(text), *args, "--reviewer", "Ada",
                                     "--sources", str(small.sources)])


def test_accepting_a_candidate_with_its_proposed_entity_adds_both(small):
    text, data, urges = _extracted(small)
    assert urges["subject"] == "arcadian-refugee-council"
    assert urges["proposed_entities"] == ["arcadian-refugee-council"]
    assert data["new_entities"][0] | {"quote": None} == {
        "id": "arcadian-refugee-council", "type": "NGO", "label": "Arcadian Refugee Council",
        "aliases": ["ARC"], "status": "proposed", "quote": None,
        "start": data["new_entities"][0]["start"], "end": data["new_entities"][0]["end"]}
    registry = small.sources / "entities.yaml"
    claims = small.sources / "articles" / "a1.claims.yaml"
    before, claims_before = registry.read_bytes(), claims.read_bytes()

    alone = _review(small, text, "--accept", str(urges["n"]))
    assert alone.exit_code == 1
    assert alone.output == (f"error: {text.with_name('a1.candidates.yaml')}: candidate {urges['n']}: subject "
                            "'arcadian-refugee-council' is not in the registry\n"
                            "  → accept the proposed entity with it: --accept-entities arcadian-refugee-council\n")
    unused = _review(small, text, "--accept-entities", "arcadian-refugee-council")
    assert unused.exit_code == 1 and "proposed entity 'arcadian-refugee-council' is named by no claim" in unused.output
    assert registry.read_bytes() == before and claims.read_bytes() == claims_before

    done = _review(small, text, "--accept", str(urges["n"]), "--accept-entities", "arcadian-refugee-council")
    assert done.exit_code == 0, done.output
    assert done.output == ("accepted 1, rejected 0; appended 1 claims to a1.claims.yaml\n"
                           f"entities: accepted 1, rejected 0; added 1 to {registry}\n")
    after = registry.read_bytes()
    assert after.startswith(before)
    added = yaml.safe_load(after)[-1]
    assert added["id"] == "arcadian-refugee-council" and added["aliases"] == ["ARC"]
    assert added["type"] == "NGO" and "accepted by Ada on " in added["note"]
    assert yaml.safe_load(claims.read_bytes())[-1]["subject"] == "arcadian-refugee-council"
    recorded = yaml.safe_load(text.with_name("a1.candidates.yaml").read_text("utf-8"))
    assert recorded["new_entities"][0]["status"] == "accepted"
    # the next build has the entity and the claim
    _, dataset = obligraph.assemble(paths=small.paths)
    assert any("arcadian-refugee-council" in str(s) for s in dataset.graph(OBG["source/a1"]).subjects())


def test_a_proposal_is_refused_when_its_name_or_type_is_not_the_registrys_to_give(small):
    text, data, urges = _extracted(small)
    path = text.with_name("a1.candidates.yaml")
    registry = small.sources / "entities.yaml"
    before = registry.read_bytes()
    for change, message in ((lambda e: e.update(aliases=["UN Refugee Agency"]),
                             "proposed entity 'arcadian-refugee-council': the name 'UN Refugee Agency' is "
                             "already a registry name (or another proposal's)"),
                            (lambda e: e.update(type="Charity"),
                             "proposed entity 'arcadian-refugee-council': unknown type 'Charity'")):
        spoiled = yaml.safe_load(path.read_text("utf-8"))
        change(spoiled["new_entities"][0])
        path.write_text(yaml.safe_dump(spoiled, sort_keys=False, allow_unicode=True), encoding="utf-8")
        result = _review(small, text, "--accept", str(urges["n"]), "--accept-entities", "arcadian-refugee-council")
        assert result.exit_code == 1 and message in result.output, result.output
        assert registry.read_bytes() == before
    missing = _review(small, text, "--accept-entities", "no-such")
    assert missing.exit_code == 1
    assert "there is no proposed entity 'no-such'\n  → it proposes arcadian-refugee-council" in missing.output


def test_a_claims_file_that_cannot_be_written_leaves_the_registry_as_it_was(small, monkeypatch):
    text, _, urges = _extracted(small)
    registry = small.sources / "entities.yaml"
    before = registry.read_bytes()
    write = atomic.write_file

    def failing(path, data, **options):
        if path.name == "a1.claims.yaml":
            raise OSError(28, "No space left on device")
        return write(path, data, **options)
    monkeypatch.setattr(atomic, "write_file", failing)
    result = _review(small, text, "--accept", str(urges["n"]), "--accept-entities", "arcadian-refugee-council")
    assert result.exit_code != 0
    assert registry.read_bytes() == before
    recorded = yaml.safe_load(text.with_name("a1.candidates.yaml").read_text("utf-8"))
    assert recorded["new_entities"][0]["status"] == "proposed"


def test_evaluate_counts_no_mention_of_a_proposed_entity_as_a_link():
    from obligraph.extract.evaluate import score_source
    text = "The Arcadian Refugee Council (ARC) urged China to halt the deportations."
    scores = score_source(text, "x", (), REG, None, None, loso=False, mentioned=("china",))
    assert (scores.linking.tp_pred, scores.linking.n_pred) == (1, 1)


def test_evaluate_scores_no_candidate_that_names_a_proposed_entity_and_says_how_many(tmp_path):
    from obligraph.extract.evaluate import report, score_source
    text = "The Arcadian Refugee Council (ARC) urged China to halt the deportations."
    scores = score_source(text, "x", (), REG, None, None, loso=False, mentioned=("china",))
    assert scores.proposing == 1 and sum(c.n_pred for c in scores.relations.values()) == 0
    assert ("1 candidate names a proposed new entity (not scored: the gold names registry entities "
            "only).") in report([scores], "toy")


def test_the_shipped_states_are_the_bundled_registrys():
    """extract/states.yaml is derived from the bundled registry's states: regenerate it with
    `python -m obligraph.extract.gazetteer` when they change."""
    from obligraph.extract.gazetteer import STATES_FILE, bundled_states_document
    assert STATES_FILE.read_text(encoding="utf-8") == bundled_states_document()


def test_a_state_the_registry_lacks_is_proposed_with_its_names_and_candidates_may_name_it():
    text = "Malaysia is not a party to the Refugee Convention. The PRC deported them."
    registry = (Entity("refugee-convention-1951", "Treaty", "Refugee Convention"),)
    found = extract_proposing(text, registry, source_id="x")
    china, malaysia = sorted((e for e in found.new_entities if e.type == "State"), key=lambda e: e.id)
    assert (malaysia.id, malaysia.label, malaysia.quote) == (
        "malaysia", "Malaysia", "Malaysia is not a party to the Refugee Convention.")
    assert (china.id, china.label) == ("china", "China") and "PRC" in china.aliases
    assert [(c.subject, c.predicate, c.object, c.stance) for c in found.candidates] == [
        ("malaysia", "partyTo", "refugee-convention-1951", "denies")]
    # a registry that has the state, under any id, by any of its names: nothing proposed
    mine = (*registry, Entity("my-malaysia", "State", "Federation of Malaysia", ("Malaysia",)))
    assert [e.id for e in extract_all(text, mine, source_id="x").new_entities] == ["china"]
