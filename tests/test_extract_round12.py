"""Extraction, issue 21's twelfth part: kinds of error found on the development material (dev,
unseen2–unseen11, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity

from .conftest import PERU_REGISTRY, extracted, linked

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"),)


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def test_a_short_name_inside_a_longer_name_used_before_is_that_name():
    registry = REG + (Entity("ombudsman-office", "IntergovernmentalOrganization", "Andean Ombudsman Office",
                             ("the Chief Ombudsman",)),
                      Entity("migrant-ombudsman", "IntergovernmentalOrganization",
                             "Regional Chief Ombudsman for Migrant Workers"))
    text = ("The Regional Chief Ombudsman for Migrant Workers visited Peru in May. "
            "The Chief Ombudsman said that the expulsions of Venezuelans should stop.")
    assert ("Chief Ombudsman", "migrant-ombudsman") in linked(text, registry)
    assert ("Chief Ombudsman", "ombudsman-office") not in linked(text, registry)
    # the alias's own entity named in between: the alias is its own again
    text = ("The Regional Chief Ombudsman for Migrant Workers visited Peru in May. The Andean Ombudsman "
            "Office wrote to Lima. The Chief Ombudsman said that the expulsions should stop.")
    assert ("Chief Ombudsman", "ombudsman-office") in linked(text, registry)
    # with no longer name before it, the alias is the registry's
    assert ("Chief Ombudsman", "ombudsman-office") in linked("The Chief Ombudsman visited Peru.", registry)


def test_a_bare_organ_in_a_report_s_that_clause_is_the_state_before():
    text = ("Peru closed its border with Chile in 2019. The inquiry, which heard 40 witnesses, found that "
            "border guards had turned back more than 300 Venezuelans at the crossing.")
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    # with no state opening a sentence before, the organ is no one's
    assert _found("The inquiry found that border guards had turned back 300 Venezuelans.", "repatriates") == []


def test_people_turned_back_at_a_border_are_returned():
    assert _found("Peruvian police turned back 200 Venezuelans at the border last year.",
                  "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found("Peruvian police turned them back at the border.", "repatriates") == []  # no people named before


def test_the_policy_is_stated_where_the_state_is_named_not_by_a_bare_organ():
    from obligraph.extract.candidates import extract
    text = ("On 3 May 2019 Peru expelled Venezuelans to Chile, Amnesty International said. The report found "
            "that border guards had since expelled Venezuelans to Bolivia every week.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May 2019 Peru expelled")


def test_a_noun_of_the_people_acted_on_is_no_act():
    from obligraph.extract.candidates import extract
    text = ("On 3 May 2019 Peru expelled Venezuelans to Chile. Peruvian officials later called the deportees "
            "\"criminals\".")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May 2019 Peru expelled")
    assert _found("Peruvian police said the detainees were Venezuelans.", "arrests") == []
    # the verbs stay acts ("repatriates" is a verb too)
    assert _found("Peru repatriates Venezuelans every month.", "repatriates") == [("peru", "venezuelans", "asserts")]


def test_a_policy_s_people_end_before_the_means_of_the_act():
    from obligraph.extract.candidates import extract
    registry = tuple(e for e in REG if e.id not in ("peru-expulsion", "venezuelans")) + (
        Entity("migrants", "Group", "Venezuelan and other migrants held in Peru", ("Venezuelans",)),
        Entity("peru-flights", "Policy", "Peru's expulsion of Venezuelan and other migrants by air"))
    text = "Peru expelled 90 Venezuelans on a military plane on Monday."
    assert [c.object for c in extract(text, registry, source_id="x") if c.predicate == "hasPolicy"] == ["peru-flights"]


def test_a_minister_opening_a_sentence_speaks_for_the_state_before():
    text = "Peru expelled 40 Venezuelans to Chile in 2019. The minister denied that any migrant had been expelled."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    # with no state before, the minister is no one's
    assert _found("The minister denied that any Venezuelan had been expelled.", "repatriates") == []


def test_an_organ_named_in_capitals_the_registry_lacks_is_a_bare_organ():
    text = ("Peru expelled 40 Venezuelans to Chile in 2019. The State Migration Service denies that anyone "
            "has been pushed back.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    # with no state before, it is no one's
    assert _found("The State Migration Service denies that any Venezuelan has been pushed back.", "repatriates") == []


def test_a_bare_organ_reaches_back_two_paragraphs_to_its_state():
    filler = ("Lawyers said that the hearings were short and that interpreters were rarely present. " * 9)
    text = "Peru began expelling Venezuelans to Chile in 2019.\n\n" + filler + "\n\nPolice detained 30 Venezuelans in May."
    assert 600 < len(text) - len("Police detained 30 Venezuelans in May.") - len("Peru began") < 1000
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")


def test_a_bare_organ_opening_a_clause_after_a_semicolon_is_the_state_before():
    text = ("Peru closed its border with Chile in 2019. Lawyers asked for a hearing for the Venezuelans; within "
            "a week, officers had expelled 60 Venezuelans to Chile.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_number_words_count_soldiers_journalists_and_other_people_nouns():
    from .conftest import figures
    assert figures("In March 2019 four Peruvian soldiers were wounded in a clash near Lima.", REG) == [4]
    assert figures("In March 2019 police in Lima detained five journalists who had filmed the raids.", REG) == [5]
