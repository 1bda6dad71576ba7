"""Extraction, issue 21's tenth part: kinds of false positive found on the development material
(dev, unseen2–unseen9, t1–t3, the bundled articles), each asserted on the candidates a made-up
sentence of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

from .conftest import PERU_REGISTRY, extracted, figures, linked

REG = PERU_REGISTRY
TREATIES = REG + (Entity("refugee-convention", "Treaty", "Refugee Convention", ("Convention",)),
                  Entity("protocol-1967", "Treaty", "1967 Protocol"),
                  Entity("cat", "Treaty", "Convention against Torture"))


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _values(text, registry=REG):
    return figures(text, registry)


def test_a_voluntary_or_organised_return_is_no_forced_return_nor_policy():
    for text in ("Between 2015 and 2018 some 3,000 Venezuelans left Peru in an organised repatriation.",
                 "In 2019 Peru began the voluntary repatriation of Venezuelans.",
                 "Most of the Venezuelans were voluntarily returned by Peru in 2020."):
        assert _found(text, "repatriates") == [], text
        assert _found(text, "hasPolicy") == [], text
    # a forced one still is
    text = "In 2019 Peru expelled 3,000 Venezuelans to Bolivia."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found(text, "hasPolicy") == [("peru", "peru-expulsion", "asserts")]


def test_a_document_s_length_a_legal_bound_and_a_financial_year_are_no_figures():
    text = "Amnesty International published a 64-page report on the camps and a 12-point plan."
    assert _values(text) == []
    text = "Some were held for five months, beyond the maximum of 90 days the law allows."
    assert 90 not in _values(text)
    text = "Peru says it expelled 12,000 Venezuelans in the 2019-20 fiscal year."
    assert _values(text) == [12000]
    # a distance and a figure next to a year still count
    assert _values("They walked a 2,000-mile route; 300 Venezuelans were expelled.") == [2000, 300]


def test_a_treaty_named_in_a_relative_clause_after_the_one_joined_is_not_joined():
    def joined(text):
        return {(c.object, c.mode) for c in extract(text, TREATIES, source_id="x")
                if c.predicate == "partyTo" and c.stance == "asserts"}
    text = "Peru acceded to the 1967 Protocol in 1983, which obliges it to apply the Refugee Convention."
    assert joined(text) == {("protocol-1967", "accession")}
    text = "Peru ratified the Convention against Torture in 1988, a treaty that binds it as the Refugee Convention does."
    assert joined(text) == {("cat", "ratification")}
    # two treaties joined by "and" are both joined
    text = "Peru acceded to the Refugee Convention and the 1967 Protocol in 1964."
    assert joined(text) == {("refugee-convention", "accession"), ("protocol-1967", "accession")}


def test_one_people_of_a_list_does_not_stand_for_all_of_those_returned():
    listed = ("Peru expelled 300 people to Bolivia. Most of them were Colombians, Venezuelans and "
              "Haitians. ")
    rest = ('The Peruvian government calls those arriving "illegal migrants". Back in Bolivia, those '
            "returned faced torture, several of them told reporters.")
    assert _found(listed + rest, "classifiesAs") == []
    assert _found(listed + rest, "facesOnReturn") == []
    # one people named alone still does
    alone = "Peru expelled 300 people to Bolivia. Most of them were Venezuelans. "
    assert [(s, o) for s, o, _ in _found(alone + rest, "classifiesAs")] == [("peru", "venezuelans")]
    assert _found(alone + rest, "facesOnReturn") == [("venezuelans", "torture", "asserts")]


def test_a_registry_city_that_seats_a_government_and_acts_is_the_state():
    registry = REG + (Entity("santiago", "Place", "Santiago"),)
    assert ("Santiago", "chile") in linked("When Santiago sent the Venezuelans back, Bolivia protested.", registry)
    assert ("Santiago", "chile") in linked("Santiago could have tried the men itself.", registry)
    # where something happens, a dateline, a modifier: the city
    for text in ("Protests were held in Santiago on Monday.", "SANTIAGO, 3 May — Chile expelled 300 Venezuelans.",
                 "A Santiago-based group said so."):
        assert "santiago" in {e for _, e in linked(text, registry)}, text


def test_the_convention_of_a_treaty_body_is_the_treaty_its_name_ends_with():
    registry = REG + (Entity("crc-committee", "IntergovernmentalOrganization", "UN Committee on the Rights of the Child"),
                      Entity("crc", "Treaty", "Convention on the Rights of the Child"),
                      Entity("cat", "Treaty", "Convention against Torture and Other Cruel Treatment"))
    text = ("The UN Committee on the Rights of the Child today reviewed Peru. It said that the "
            "Convention requires Peru to assess each child's best interests.")
    assert ("Convention", "crc") in linked(text, registry)
    # a treaty named before is the one meant
    text = ("Peru ratified the Convention against Torture and Other Cruel Treatment in 1988. The UN Committee on "
            "the Rights of the Child said that the Convention bars such returns.")
    assert ("Convention", "cat") in linked(text, registry)


def test_prisons_are_imprisonment_on_return():
    registry = REG + (Entity("imprisonment", "Harm", "imprisonment", ("jail", "prison")),)
    text = ("Peru expelled 300 Venezuelans to Bolivia in 2021. Back in Bolivia, those returned were "
            "thrown into overcrowded prisons.")
    assert _found(text, "facesOnReturn", registry) == [("venezuelans", "imprisonment", "asserts")]


def test_we_who_call_on_someone_in_a_report_are_the_organisation_that_wrote_it():
    text = ("This report by Amnesty International documents Peru's expulsions of Venezuelans. "
            "We call on Bolivia to receive those expelled with dignity.")
    assert _found(text, "urges") == [("amnesty", "bolivia", "asserts")]
    # no organisation named: no one
    assert _found("We call on Bolivia to receive them.", "urges") == []


def test_a_family_of_five_is_a_count_of_people():
    text = "In May Peru expelled a family of five to Bolivia."
    assert _values(text) == [5]
    assert [c.unit for c in extract(text, REG, source_id="x") if c.predicate == "hasValue"] == ["person"]
    assert _values("Peru expelled them within five days.") == []


def test_those_sent_to_another_country_are_returned_people():
    text = ("Peru has expelled 300 Venezuelans since May. Those sent to Bolivia have been detained "
            "and some were tortured, Amnesty International said.")
    assert set(_found(text, "facesOnReturn")) == {("venezuelans", "detention", "asserts"),
                                                  ("venezuelans", "torture", "asserts")}


def test_harms_after_a_return_condemned_are_on_return_but_a_penalty_is_no_harm_met():
    registry = REG + (Entity("death", "Harm", "death"),)
    text = ("Peru expelled 300 Venezuelans in May. Amnesty International criticised Peru for the "
            "expulsion and said the Venezuelans were at risk of torture and the death penalty.")
    assert _found(text, "facesOnReturn", registry) == [("venezuelans", "torture", "asserts")]
