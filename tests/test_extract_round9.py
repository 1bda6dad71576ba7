"""Extraction, issue 21's ninth part: kinds of false positive found on the development material
(dev, unseen2–unseen8, t1–t3, the bundled articles), each asserted on the candidates a made-up
sentence of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.extract.candidates import extract

from .conftest import PERU_REGISTRY, extracted

REG = PERU_REGISTRY


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def test_a_state_after_from_right_after_the_people_is_their_origin_not_the_agent():
    text = ("In May 2019 a Peruvian customs vessel intercepted a boat carrying 90 Venezuelans from "
            "Bolivia and held them on board for two weeks.")
    assert _found(text, "arrests") == [("peru", "venezuelans", "asserts")]
    text = "A patrol boat intercepted a boat carrying 90 people from Bolivia."
    assert not any(s == "bolivia" for s, _, _ in _found(text, "arrests"))
    # a return from a state is that state's: "the repatriation of refugees from Chile"
    text = "With the repatriation of at least 50 Venezuelans from Chile last month, fear grew."
    assert ("chile", "venezuelans", "asserts") in _found(text, "repatriates")


def test_a_return_demanded_is_asked_for_and_the_people_demanded_are_not_asked():
    text = "Bolivia demanded their return, describing the Venezuelans as criminals."
    assert _found(text, "repatriates") == []
    assert _found(text, "urges") == []
    assert _found("Bolivia called for the return of the Venezuelans.", "repatriates") == []
    # people asked to do something are asked: "urged Venezuelans not to travel"
    text = "Amnesty International urged Venezuelans not to travel and called on Peru to end the expulsions."
    assert ("amnesty", "venezuelans", "asserts") in _found(text, "urges")


def test_a_request_that_could_have_been_made_is_none():
    text = "Had the Venezuelans stayed in Peru, officials said, Bolivia could have demanded them too."
    assert _found(text, "urges") == []
    assert _found("Bolivia will urge Peru to close the camps.", "urges") == []
    assert _found("Bolivia urged Peru to close the camps.", "urges") == [("bolivia", "peru", "asserts")]


def test_the_agent_of_a_participle_before_the_verb_is_not_its_subject():
    text = ('Most were Venezuelans. The Peruvian government defends the expulsions as a response to a '
            '"crisis" orchestrated by Bolivia, and calls those arriving "illegal migrants".')
    assert [(s, o) for s, o, _ in _found(text, "classifiesAs")] == [("peru", "venezuelans")]


def test_what_those_expelled_met_where_they_were_sent_is_what_they_face_on_return():
    text = ("Peru expelled 300 Venezuelans to Bolivia in 2021. Some of those expelled said they were "
            "detained by Bolivian police after crossing, and two said they were tortured there.")
    assert _found(text, "arrests") == []
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    assert set(_found(text, "facesOnReturn")) == {("venezuelans", "detention", "asserts"),
                                                  ("venezuelans", "torture", "asserts")}
    # the state that expelled them arresting them is an arrest
    text = "Peru expelled 300 Venezuelans in 2021. Many of those deported were detained by Peruvian police first."
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")


def test_the_age_of_whoever_speaks_is_no_figure():
    text = '"We were beaten," said a 24-year-old man from Bolivia, who had been deported by Peru.'
    assert _found(text, "hasValue") == []
    values = [str(c.value) for c in extract("Peru deported a 14-year-old boy and 30 Venezuelans.", REG, source_id="x")
              if c.predicate == "hasValue"]
    assert values == ["14", "30"]  # the age of one of those deported is a figure of them


def test_an_extradition_of_people_is_a_return_and_condemning_the_extraditions_condemns_the_state():
    assert _found("In 2007 Peru extradited 40 Venezuelans to Bolivia.", "repatriates") == [
        ("peru", "venezuelans", "asserts")]
    text = ("Peru deported 40 Venezuelans in 2005. Amnesty International condemned the deportations as a "
            "grave breach of international law.")
    assert _found(text, "condemns") == [("amnesty", "peru", "asserts")]


def test_states_joined_before_the_act_asked_are_each_asked():
    text = "Amnesty International also urged Chile and Bolivia not to receive anyone transferred against their will."
    assert sorted(_found(text, "urges")) == [("amnesty", "bolivia", "asserts"), ("amnesty", "chile", "asserts")]
    text = "Amnesty International urged Chile, Peru and Bolivia to admit the Venezuelans."
    assert len(_found(text, "urges")) == 3
    # a state in the act asked for is not asked: "urged Chile not to send anyone back to Peru"
    text = "Amnesty International urged Chile not to send anyone back to Peru or Bolivia."
    assert _found(text, "urges") == [("amnesty", "chile", "asserts")]
