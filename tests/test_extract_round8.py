"""Extraction, issue 21's eighth part: kinds of error found on the development material (dev,
unseen2–unseen7, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

from .conftest import extracted, linked

REG = (Entity("peru", "State", "Peru"), Entity("chile", "State", "Chile"),
       Entity("bolivia", "State", "Bolivia"),
       Entity("refugee-convention-1951", "Treaty", "Convention relating to the Status of Refugees",
              ("1951 Refugee Convention", "Refugee Convention")),
       Entity("refugee-protocol-1967", "Treaty", "Protocol relating to the Status of Refugees",
              ("1967 Protocol",)),
       Entity("venezuelans", "Group", "Venezuelan migrants in Peru", ("Venezuelan migrants", "Venezuelans")),
       Entity("peru-expulsion", "Policy", "Peru's expulsion of Venezuelan migrants"),
       Entity("amnesty", "NGO", "Amnesty International"),
       Entity("un-panel", "IntergovernmentalOrganization", "UN Panel of Experts on Peru",
              ("Panel of Experts on Peru",)),
       Entity("detention", "Harm", "detention", ("detained",)),
       Entity("torture", "Harm", "torture"))


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _linked(text, registry=REG):
    return linked(text, registry)


def test_its_protocol_after_the_refugee_convention_is_the_1967_protocol():
    text = "Chile acceded to the 1951 Refugee Convention and its Protocol in 1972."
    assert ("its Protocol", "refugee-protocol-1967") in _linked(text)
    parties = {(c.subject, c.object, c.mode, str(c.date)) for c in extract(text, REG, source_id="x")
               if c.predicate == "partyTo"}
    assert ("chile", "refugee-protocol-1967", "accession", "1972") in parties
    # no treaty before it: nothing to pair with
    assert not any(e == "refugee-protocol-1967" for _, e in _linked("Chile discussed its Protocol."))


def test_people_taken_back_to_a_place_by_those_who_caught_them_are_returned():
    text = ("Peru expelled thousands of Venezuelans in 2021. Its navy intercepted 300 Venezuelans off "
            "Tumbes in 2022 and took them back to Callao.")
    assert _found(text, "repatriates").count(("peru", "venezuelans", "asserts")) == 2


MISSION = REG + (Entity("un-mission", "IntergovernmentalOrganization", "Independent Fact-Finding Mission on Peru",
                        ("Fact-Finding Mission on Peru",)),)


def test_the_mission_is_the_fact_finding_mission_last_named():
    text = ("The Independent Fact-Finding Mission on Peru reported abuses on Monday. The Mission called "
            "on Chile to admit more Venezuelan migrants.")
    assert ("Mission", "un-mission") in _linked(text, MISSION)
    assert ("un-mission", "chile", "asserts") in _found(text, "urges", MISSION)
    assert not any(s == "venezuelans" for s, _, _ in _found(text, "urges", MISSION))


def test_a_second_request_coordinated_after_the_first_is_a_request_too():
    text = ("The Independent Fact-Finding Mission on Peru reported abuses on Monday. The Mission called "
            "on Chile to admit more Venezuelan migrants and urged the Peruvian authorities to stop the expulsions.")
    assert {("un-mission", "chile", "asserts"), ("un-mission", "peru", "asserts")} <= set(
        _found(text, "urges", MISSION))
    # … but a request that someone should make is none
    assert _found("Amnesty International said Chile should review its policy and urge Peru to stop "
                  "the expulsions.", "urges") == []


def test_people_bused_to_a_border_named_by_its_adjective_or_handed_to_their_own_authorities_are_returned():
    for act in ("were bused to the Chilean border at night", "were handed to their own authorities at Tacna"):
        text = f"Peru detained hundreds of Venezuelan migrants in May. The Venezuelans {act}."
        assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates"), act


def test_people_kept_in_centres_named_with_two_words_are_arrested():
    text = "Peru expelled Venezuelan migrants in May. Police kept them in crowded holding centres for days."
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")


def test_a_label_in_title_case_right_after_the_people_it_names_is_a_label_not_a_title():
    text = ("More than 700,000 Venezuelans fled to Peru in 2019. Peru hosts them but does not treat them "
            "as refugees; officials call them \"Displaced Foreign Nationals\".")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")
    # a title stays a title
    assert _found("Peru expelled Venezuelans. Amnesty International published a report on them called "
                  "\"Sent Back to Suffer\".", "classifiesAs") == []


def test_a_count_of_people_something_could_be_done_to_or_a_plan_would_move_is_no_figure():
    assert _found("If the flights go on, some 9,000 people could be returned by May, a researcher said.",
                  "hasValue") == []
    assert _found("A pilot scheme to send about 1,300 Venezuelans back to Caracas was dropped.", "hasValue") == []
    values = [c.value for c in extract("Peru deported some 9,000 people in May, and 300 could not be found.",
                                        REG, source_id="x") if c.predicate == "hasValue"]
    assert values == [9000, 300]


def test_people_flown_to_a_place_in_an_agentless_passive_are_returned_by_the_state_that_held_them():
    text = ("Peruvian police detained more than 300 Venezuelan migrants in Lima this week, and most of "
            "them were flown to Caracas on Friday.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_a_denial_that_anyone_who_did_something_was_sent_back_is_a_denied_return():
    text = ("Peru deported 300 Venezuelans in May. Peruvian officials deny that anyone who asked for "
            "asylum has been sent back.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")


def test_condemning_the_authorities_for_something_condemns_the_state_that_acted():
    text = ("The Independent Fact-Finding Mission on Peru said that Peru detained 300 Venezuelans in May. "
            "It condemned the authorities for failing to investigate.")
    assert ("un-mission", "peru", "asserts") in _found(text, "condemns", MISSION)


def test_removing_people_right_before_them_is_a_return():
    text = "In 2021 a court held that Peru had breached the law by removing Venezuelan migrants to Chile."
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")
    # "removed" far from any people names no return
    assert _found("Peru removed the checkpoint on the road to Chile in 2021.", "repatriates") == []


def test_a_denial_that_the_state_sends_anyone_back_is_a_denied_return():
    text = "Peru deported 300 Venezuelans in May. Peru denies that it sends anyone back to danger."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
