"""Extraction (obligraph/extract/candidates.py): exact quotes and spans, linking by label and alias, negation
and denial as stance, nothing from a text with no known entity, determinism, the CLI."""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.extract.candidates import extract, extract_all, load_rules, sentences
from obligraph.corpus.model import Entity
from obligraph.graph.pipeline import PROJECT
from obligraph.corpus.sources import read_registry
from obligraph.corpus.vocabulary import read_ontology, vocabulary_of

HELD_OUT = PROJECT / "tests" / "extraction"
TEXTS = sorted((PROJECT / "sources" / "articles").glob("*.txt")) + sorted(HELD_OUT.glob("*.txt"))


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_of(read_ontology(PROJECT / "ontology" / "obligraph.ttl"))


@pytest.fixture(scope="module")
def registry(vocabulary):
    return read_registry(PROJECT / "sources", vocabulary)


TOY = (Entity("china", "State", "China", ("Beijing",)),
       Entity("refugee-convention-1951", "Treaty", "Refugee Convention", ("Convention",)),
       Entity("north-korean-refugees", "Group", "North Korean refugees", ("refugees",)),
       Entity("china-forced-repatriation", "Policy", "China's forced repatriation"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_every_quote_is_exactly_its_span(path, registry):
    text = path.read_text(encoding="utf-8")
    found = extract_all(text, registry, source_id=path.stem)
    assert found.candidates
    for candidate in found.candidates:
        assert text[candidate.start:candidate.end] == candidate.quote
        assert candidate.quote == candidate.quote.strip() and candidate.rule
        assert 0 < candidate.confidence <= 1
    for proposal in found.new_entities:
        assert text[proposal.start:proposal.end] == proposal.quote


def test_sentences_are_split_without_breaking_abbreviations():
    text = "Mr. Kim met U.S. officials. They left.\nNext line"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Kim met U.S. officials.", "They left.", "Next line"]


def test_names_are_linked_by_label_and_alias(registry):
    text = ("Beijing barred the UN Refugee Agency. The UNHCR said the DPRK and North Korea’s "
            "leaders and China’s government were silent.")
    linked = {m.entity for m in extract_all(text, registry, source_id="x").mentions}
    assert {"china", "unhcr", "north-korea"} <= linked


def test_a_negated_ratification_is_a_denial_never_a_fact():
    found = extract("China has not ratified the Convention.", TOY, source_id="x")
    assert [(c.predicate, c.subject, c.object, c.stance, c.mode) for c in found] == [
        ("partyTo", "china", "refugee-convention-1951", "denies", "ratification")]


def test_a_denial_becomes_the_deniers_stance():
    found = extract("China denied that it deports refugees.", TOY, source_id="x")
    assert found and all(c.stance == "denies" and c.stated_by == "china" for c in found)


def test_a_request_is_not_a_fact():
    found = extract("Activists urged China to stop deporting refugees.", TOY, source_id="x")
    assert not [c for c in found if c.predicate in ("repatriates", "hasPolicy")]


def test_a_positive_ratification_with_its_year():
    (claim,) = extract("In 1982 China ratified the Refugee Convention.", TOY, source_id="x")
    assert (claim.predicate, claim.stance, claim.mode, claim.date) == (
        "partyTo", "asserts", "ratification", "1982")


@pytest.mark.parametrize("text", ["", "   \n", "The weather was fine in 2012: 40 percent rain, "
                                  "3,000 people at the fair, $5 a ticket."])
def test_no_known_entity_means_no_claims(text, registry):
    assert extract(text, registry, source_id="x") == ()


def test_extraction_is_deterministic(registry):
    text = TEXTS[0].read_text(encoding="utf-8")
    assert extract(text, registry, source_id="a") == extract(text, registry, source_id="a")


def test_every_rule_uses_a_claim_property_and_loso_drops_tagged_triggers(vocabulary):
    rules = load_rules()
    assert {r.predicate for r in rules.relations} <= vocabulary.predicates
    tagged = sum(1 for r in rules.relations for t in r.triggers if any("002".startswith(o) for o in t[1]))
    assert tagged
    kept = sum(len(r.triggers) for r in rules.without("002_13d38fe2f37237c1").relations)
    assert kept == sum(len(r.triggers) for r in rules.relations) - tagged


def test_statistics_with_what_they_count():
    found = extract("An estimated 30,000 to 50,000 refugees hide in China.", TOY, source_id="s1")
    (value,) = [c for c in found if c.predicate == "hasValue"]
    assert (value.min, value.max, value.unit, value.approximate) == (30000, 50000, "person", True)
    assert [c.object for c in found if c.predicate == "measures"] == ["north-korean-refugees"]


def test_cli_extract_writes_candidates_and_never_the_claims(tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("China has ratified the Refugee Convention.\n", encoding="utf-8")
    claims = tmp_path / "new.claims.yaml"
    claims.write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(text)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "new.candidates.yaml"
    assert result.output == (f"wrote {out}: 1 candidate claims, 0 proposed new entities\n"
                             f"next: obligraph review {text} --accept 1,3 --reject 2 (or --accept-all)\n")
    assert "rule: party-to/ratify" in out.read_text(encoding="utf-8")
    assert claims.read_text(encoding="utf-8") == "# mine\n"
    again = CliRunner().invoke(main, ["extract", str(text)])
    assert again.exit_code == 1
    assert again.output == (f"error: {out}: new.candidates.yaml already exists\n"
                            "  → review it (obligraph review), or add --force to replace it\n")
    assert CliRunner().invoke(main, ["extract", str(text), "--force"]).exit_code == 0


def test_the_review_command_it_suggests_works_from_where_extract_ran(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "new.txt").write_text("China has ratified the Refugee Convention.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from obligraph.graph.pipeline import PROJECT
    result = CliRunner().invoke(main, ["--project", str(PROJECT), "extract", "corpus/new.txt"])
    suggested = result.output.splitlines()[-1]
    assert suggested == "next: obligraph review corpus/new.txt --accept 1,3 --reject 2 (or --accept-all)"
    rejected = CliRunner().invoke(main, ["--project", str(PROJECT), "review", "corpus/new.txt", "--reject", "1",
                                         "--reviewer", "tester"])
    assert rejected.exit_code == 0, rejected.output


def test_cli_evaluate_prints_the_figures():
    result = CliRunner().invoke(main, ["evaluate", "--sources", str(HELD_OUT)])
    assert result.exit_code == 0, result.output
    assert "leave-one-source-out" in result.output and "| entity linking |" in result.output
    assert "| core relations |" in result.output


def test_unknown_organisations_and_people_are_proposed_as_new_entities():
    text = "Dr. Jane Roe of the Freedom Watch Institute said China deports refugees."
    found = extract_all(text, TOY, source_id="x")
    assert [(e.id, e.type, e.label) for e in found.new_entities] == [
        ("freedom-watch-institute", "NGO", "Freedom Watch Institute"),
        ("jane-roe", "Person", "Jane Roe")]
    assert all(text[e.start:e.end] == e.quote for e in found.new_entities)
