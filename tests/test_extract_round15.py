"""Extraction, issue 21's fifteenth part: kinds of error found on the development material (dev,
unseen2–unseen14, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity

from .conftest import PERU_REGISTRY, extracted

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"),)


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _quotes(text, predicate, registry=REG):
    from obligraph.extract.candidates import extract
    return [c.quote[:20] for c in extract(text, registry, source_id="x") if c.predicate == predicate]


def test_no_one_who_asked_for_protection_has_been_sent_back_is_a_denial_and_no_policy():
    text = ("Peru expelled 40 Venezuelans to Chile on Monday. \"No one who asked Peru for protection has been "
            "sent back,\" the minister said.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    assert _quotes(text, "hasPolicy") == ["Peru expelled 40 Ven"]


def test_states_people_come_from_in_a_partitive_do_not_act():
    text = ("Amnesty International said today that Peru arrests Venezuelans who overstay. Amnesty said it had met "
            "46 women held in the deportation centre in Lima, most of them from Chile, Bolivia and Spain. "
            "According to the ministry, 1,870 Venezuelans were deported in 2024.")
    for predicate in ("arrests", "repatriates"):
        assert not [s for s, _, _ in _found(text, predicate) if s in ("chile", "bolivia", "spain")]
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_what_rules_let_someone_have_done_is_the_policy_no_act():
    text = ("Amnesty International today voiced concern that Peru's visa rules let employers have Venezuelans who "
            "leave them arrested and deported, even when they are victims. According to the ministry, 1,870 "
            "Venezuelans were deported in 2024.")
    assert _quotes(text, "arrests") == []
    assert _quotes(text, "repatriates") == ["According to the min"]  # the state its rules let act
    assert _quotes(text, "hasPolicy") == ["Amnesty Internationa"]


def test_officers_of_a_states_service_act_for_the_state():
    text = ("In May officers of Peru's Security Service detained 40 Venezuelans at their homes in Lima and, within "
            "hours, handed them to Chilean officers at the airport.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_state_radio_and_a_ministry_spokesperson_speak_for_the_state_before():
    text = ("Peru expelled 40 Venezuelans to Chile in May. A ministry spokesperson described those removed as "
            "\"prohibited immigrants\" who had overstayed.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")
    text = ("Peru expelled 40 Venezuelans to Chile in May. State radio called the migrants \"illegal immigrants\" "
            "and blamed them for crime.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")


def test_a_quoted_label_right_after_a_copula_or_declared_is_the_states_label():
    text = ("Peru expelled 40 Venezuelans to Chile in May. The government said the Venezuelans were \"a threat to "
            "order\" and would not be let back.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")
    text = ("Peru expelled 40 Venezuelans to Chile in May. Officials told reporters that the men had been declared "
            "\"persons of risk\" before they left.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")
    # a quotation further on is no label of the people
    text = "Peru expelled 40 Venezuelans to Chile in May. The Venezuelans were then told, \"You must go.\""
    assert _found(text, "classifiesAs") == []


def test_a_passive_return_of_no_one_is_a_denial_though_no_people_follow():
    text = ("Peru expelled 40 Venezuelans to Chile in May. Officials told Amnesty that no refugee is returned "
            "against his will.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    text = ("Peru expelled 40 Venezuelans to Chile in May. Officials told Amnesty that no victim of trafficking had "
            "been removed.")
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    # qualified, it says how returns are done, and denies none
    text = ("Peru expelled 40 Venezuelans to Chile in May. Peru told Amnesty that no one is returned without a "
            "review of his case.")
    assert [stance for _, _, stance in _found(text, "repatriates")] == ["asserts"]


def test_a_harm_met_as_soon_as_he_crossed_follows_the_return_past_an_aside():
    text = ("Peru expelled 40 Venezuelans to Chile in May. One of them was detained by Chilean police as soon as he "
            "crossed, his lawyer said.")
    assert ("venezuelans", "detention", "asserts") in _found(text, "facesOnReturn")
    text = ("Peru expelled 40 Venezuelans to Chile in May. One of them, a journalist who had fled Lima in 2020, was "
            "detained by Chilean police hours after he crossed.")
    assert ("venezuelans", "detention", "asserts") in _found(text, "facesOnReturn")
    # a harm in the aside itself is still before the return
    text = "Peru expelled 40 Venezuelans, who had spent a year in detention, to Chile in May."
    assert _found(text, "facesOnReturn") == []


def test_people_put_on_a_train_or_taken_by_truck_to_a_border_are_returned():
    text = "Peru detained 400 Venezuelans in Lima in May. Most were put on the train to Arica the next week."
    assert _quotes(text, "repatriates") == ["Most were put on the"]
    text = "Peru detained 400 Venezuelans in Lima in May. Others were taken by bus to the Chilean border."
    assert _quotes(text, "repatriates") == ["Others were taken by"]


def test_people_taken_to_a_named_detention_centre_are_arrested():
    text = "Peru expelled 40 Venezuelans to Chile in May. Before that they were taken to the Callao detention centre."
    assert _quotes(text, "arrests") == ["Before that they wer"]


def test_people_taken_to_a_processing_centre_are_arrested():
    text = ("Peru registered 400 Venezuelans in Lima in May. Police stopped several of them at checkpoints, took them "
            "to the Callao processing centre and drove them to the Chilean border.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")


def test_foreign_nationals_returned_are_the_people_the_text_is_about():
    text = ("Venezuelans fled to Peru in 2019. Amnesty International documented raids in Lima in 2023. Peru's "
            "interior ministry says it deported 47,000 foreign nationals in 2022, most of them to Chile.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")
    # nationals of a named state are not those people
    text = "Venezuelans have crossed into Peru for years. Peru deported 1,000 Bolivian nationals in 2022."
    assert ("peru", "venezuelans", "asserts") not in _found(text, "repatriates")
