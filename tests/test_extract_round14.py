"""Extraction, issue 21's fourteenth part: kinds of error found on the development material (dev,
unseen2–unseen13, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity

from .conftest import PERU_REGISTRY, extracted, figures

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"),)


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _quotes(text, predicate, registry=REG):
    from obligraph.extract.candidates import extract
    return [c.quote[:20] for c in extract(text, registry, source_id="x") if c.predicate == predicate]


def test_what_would_let_the_state_act_is_a_plan_no_act_nor_policy():
    text = ("On 3 May Peru expelled 40 Venezuelans to Chile. The government has said nothing more, but a "
            "draft decree would let the authorities expel Venezuelans whose visas have lapsed.")
    assert _quotes(text, "repatriates") == ["On 3 May Peru expell"]
    assert _quotes(text, "hasPolicy") == ["On 3 May Peru expell"]
    # a law in force that lets them act states the policy, though no act
    text = "Peru passed a law in 2023 that lets the police expel Venezuelans without a hearing."
    assert _found(text, "repatriates") == []
    assert _quotes(text, "hasPolicy") == ["Peru passed a law in"]


def test_a_span_of_time_is_no_figure():
    assert figures("Peru detained 40 Venezuelans in Lima and expelled them within 72 hours.", REG) == [40]
    assert figures("Peru held 25 Venezuelans for 40 days before it expelled them.", REG) == [25]
    # a count of days that is what the text counts stays ("an infant of 14 months" is no lead)
    assert 14 in figures("Peru expelled 40 Venezuelans, among them a 14-month old infant.", REG)


def test_a_negated_act_on_one_refugee_denies_the_returns():
    text = ("Peru expelled 40 Venezuelans to Chile in May. \"Peru has never sent a refugee back to danger,\" "
            "the minister said.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    text = "Peru expelled 40 Venezuelans to Chile in May. Peru has not returned a single asylum seeker to Chile."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    # a failure to return anyone is no denial of the returns reported
    text = ("Peru expelled 40 Venezuelans to Chile in May. Years of talks between Peru and Chile failed to return "
            "a single refugee to Peru.")
    assert [stance for _, _, stance in _found(text, "repatriates")] == ["asserts"]


def test_people_put_on_flights_or_buses_are_returned():
    text = "Peru detained 40 Venezuelans in Lima in May. Many were put on flights without their belongings."
    assert _quotes(text, "repatriates") == ["Many were put on fli"]
    text = "Peru detained 40 Venezuelans in Lima in May. Police put them on buses at dawn."
    assert _quotes(text, "repatriates") == ["Police put them on b"]


def test_held_by_the_police_on_arrival_is_detention_on_return():
    text = ("Peru expelled 40 Venezuelans to Chile in May. Several of those deported said that they were held "
            "by the police on arrival for a week.")
    assert _found(text, "facesOnReturn") == [("venezuelans", "detention", "asserts")]


def test_a_label_given_by_classifying_the_people():
    text = "Peru has classified the Venezuelans as \"illegal residents\" since 2020."
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]


def test_the_government_is_the_one_state_named_when_none_opened_a_sentence():
    text = ("The Venezuelans are migrants who live in Peru. From 2020 the government treated them as foreigners, "
            "and since 2021 it has classified them as \"illegal residents\".")
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]
    # two states named: which government is meant is not said
    text = ("The Venezuelans are migrants who live in Peru and Chile. From 2020 the government treated them as "
            "foreigners, and since 2021 it has classified them as \"illegal residents\".")
    assert _found(text, "classifiesAs") == []


def test_the_people_of_a_relative_clause_ask_no_one():
    text = ("Peru expelled 40 Venezuelans to Chile in May. It has told many of them to leave, and some who asked "
            "for help were sent to Bolivia.")
    assert _found(text, "urges") == []
    # the one who asks, named right before the relative, still asks
    assert _found("Amnesty International, which urged Peru to stop the expulsions, said it would report.", "urges") == [
        ("amnesty", "peru", "asserts")]


def test_people_held_in_a_place_of_detention_are_arrested_by_the_state_last_acting():
    text = "Peru expelled 40 Venezuelans to Chile in May. The men had been held in immigration detention in Lima for a year."
    assert _found(text, "arrests") == [("peru", "venezuelans", "asserts")]
    text = "Peru expelled 40 Venezuelans to Chile in May. The families were held in crowded cells for weeks."
    assert _found(text, "arrests") == [("peru", "venezuelans", "asserts")]
    # held for a time first: by whom is not said
    text = "Peru expelled 40 Venezuelans to Chile in May. Most had been held for months in a detention centre."
    assert _found(text, "arrests") == []


def test_a_border_named_by_its_state_adjective_mentions_the_state():
    from .conftest import linked
    registry = REG
    text = "Peru expelled 40 Venezuelans in May and drove them to the Chilean border."
    from obligraph.extract.candidates import load_rules
    assert load_rules().linking["demonyms"].get("Chilean") == "chile"
    assert ("Chilean", "chile") in linked(text, registry)
    # no relation reads it: the return is Peru's, done to the Venezuelans
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]


def test_a_minister_named_by_role_before_his_name_speaks_for_the_state_before():
    text = ("Peru expelled 40 Venezuelans to Chile in May. Interior Minister Juan Pérez insisted the country was "
            "removing \"illegal foreigners\", not refugees.")
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]


def test_the_organ_a_spokesman_speaks_for_is_the_state_before():
    text = ("Peru expelled 40 Venezuelans to Chile in May. A spokesman for the National Migration Office said the "
            "Venezuelans were illegal migrants.")
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]
    # a spokesman for a body named by no organ's word is no one's
    text = ("Peru expelled 40 Venezuelans to Chile in May. A spokesman for the Shining Path said the Venezuelans "
            "were illegal migrants.")
    assert _found(text, "classifiesAs") == []


def test_states_listed_after_a_preposition_do_not_act():
    text = ("The authorities of Peru detained 40 Venezuelan migrants from Bolivia, Chile, Spain and other countries "
            "in raids in May, and deported most of them weeks later.")
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]


def test_a_harm_met_after_crossing_back_follows_the_return():
    text = ("Peru handed 40 Venezuelans to Chilean police at the border on Monday. One of the men was detained "
            "hours after he crossed, his sister said.")
    assert _found(text, "facesOnReturn") == [("venezuelans", "detention", "asserts")]


def test_a_harm_named_of_the_returnees_is_theirs():
    registry = REG + (Entity("venezuelan-women", "Group", "Venezuelan women", ("women",)),)
    text = ("Peru expelled 400 Venezuelans to Chile in May. A report found that repatriated women were "
            "insulted and that the torture of returnees was systematic.")
    assert _found(text, "facesOnReturn", registry) == [("venezuelans", "torture", "asserts")]
