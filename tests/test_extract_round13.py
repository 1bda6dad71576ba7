"""Extraction, issue 21's thirteenth part: kinds of error found on the development material (dev,
unseen2–unseen12, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity

from .conftest import PERU_REGISTRY, extracted, figures

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"),)


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def test_a_present_progressive_act_on_unnamed_people_characterises_no_return():
    from obligraph.extract.candidates import extract
    text = ("On 3 May Peru expelled 40 Venezuelans to Chile, Amnesty International said. \"Peru is forcing "
            "people back to a country that cannot protect them,\" an Amnesty lawyer said.")
    returns = [c for c in extract(text, REG, source_id="x") if c.predicate == "repatriates"]
    assert [c.quote[:12] for c in returns] == ["On 3 May Per"]
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May Peru expelled")
    # the people named, or the act in another tense, are a return reported
    assert _found("Peru is deporting Venezuelans to Chile.", "repatriates") == [("peru", "venezuelans", "asserts")]
    assert ("peru", "venezuelans", "asserts") in _found(
        "Peru expelled 40 Venezuelans in May. Peru forced people back to Chile in June.", "repatriates")


def test_an_organ_named_by_its_head_and_of_is_the_state_before():
    text = "Peru expelled 40 Venezuelans to Chile in May. The Ministry of Justice said that no refugee had been expelled."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    text = "Peru expelled 40 Venezuelans to Chile in May. The Ministry of Justice said the Venezuelans were illegal migrants."
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]
    # with no state opening a sentence before, the ministry is no one's
    assert _found("The Ministry of Justice said the Venezuelans were illegal migrants.", "classifiesAs") == []


def test_the_people_named_by_their_return_are_no_act():
    from obligraph.extract.candidates import extract
    text = "On 3 May Peru expelled 40 Venezuelans to Chile. Peru said that those expelled were criminals."
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May Peru expelled")
    assert [c.quote[:8] for c in extract(text, REG, source_id="x") if c.predicate == "repatriates"] == ["On 3 May"]


def test_confinement_named_by_its_place_is_detention():
    text = ("Peru expelled 40 Venezuelans to Chile in May. Several of those returned said that they had been "
            "held in army barracks for a week.")
    assert _found(text, "facesOnReturn") == [("venezuelans", "detention", "asserts")]


def test_back_in_the_place_they_were_sent_to_is_after_the_return():
    text = "Peru expelled 40 Venezuelans to Chile in May. Back in Chile, two of the Venezuelans were detained for days."
    assert _found(text, "facesOnReturn") == [("venezuelans", "detention", "asserts")]
    # "back in" a year is no place
    text = "Peru expelled 40 Venezuelans to Chile in May. Back in 2019, two of the Venezuelans were detained for days."
    assert _found(text, "facesOnReturn") == []


def test_people_turned_away_are_returned():
    text = "Peruvian police turned away 300 Venezuelans at the border in 2023."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found(text, "hasPolicy") == []  # a return, not a statement of the removal policy
    assert _found("Peruvian police turned away from the crowd.", "repatriates") == []


def test_a_negated_return_of_no_one_in_particular_denies_the_returns():
    text = "Peru expelled 40 Venezuelans in May. The government said that it does not return anyone to danger."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")
    # not asserted when not negated, nor denied when it is a first time
    assert _found("Peru expelled 40 Venezuelans in May. Peru will return anyone who enters.",
                  "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found("Peru expelled 40 Venezuelans in May. It had never before returned anyone.",
                  "repatriates") == [("peru", "venezuelans", "asserts")]


def test_a_removal_practice_named_by_its_noun_is_the_state_s_policy():
    assert _found("Peru has said that it does not carry out pushbacks at the border.", "hasPolicy") == [
        ("peru", "peru-expulsion", "denies")]
    assert _found("Peru carries out collective expulsions at the border.", "hasPolicy") == [
        ("peru", "peru-expulsion", "asserts")]
    # a state the registry has no removal policy for: none
    assert _found("Spain does not carry out pushbacks.", "hasPolicy") == []


def test_a_census_opening_a_sentence_is_the_state_before():
    text = "Peru expelled 40 Venezuelans in May. A census in 2018 classified many Venezuelans as \"illegal immigrants\"."
    assert _found(text, "classifiesAs") == [("peru", "venezuelans", "asserts")]
    # with no state opening a sentence before, the census is no one's
    assert _found("A census in 2018 classified many Venezuelans as \"illegal immigrants\".", "classifiesAs") == []


def test_people_described_by_their_return_state_no_policy():
    from obligraph.extract.candidates import extract
    text = ("On 3 May Peru expelled 40 Venezuelans to Chile. A report found that Venezuelans expelled from Peru "
            "are routinely held in detention.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May Peru expelled")
    # the act itself, people after it, still states it
    assert _found("Peru routinely expelled Venezuelans to Chile.", "hasPolicy") == [("peru", "peru-expulsion", "asserts")]


def test_a_purpose_inside_a_request_states_no_policy():
    from obligraph.extract.candidates import extract
    text = ("On 3 May Peru expelled 40 Venezuelans to Chile. Amnesty International called on Spain to press Peru "
            "to let lawyers see every Venezuelan held for deportation.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("On 3 May Peru expelled")


def test_the_day_of_a_report_s_frame_marks_no_single_act():
    from obligraph.extract.candidates import extract
    text = ("Peruvian authorities are expelling Venezuelans without a hearing, Amnesty International said in a report "
            "released today. Peru describes the expulsions as lawful and says it expels only people who pose a threat.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("Peruvian authorities are expelling")
    # a day in the act's own clause still marks one
    text = ("Peruvian authorities expelled Venezuelans without a hearing today, Amnesty International said. Peru "
            "describes the expulsions as lawful and says it expels only people who pose a threat.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("Peru describes")


def test_a_policy_s_people_end_before_a_participle():
    registry = tuple(e for e in REG if e.id != "peru-expulsion") + (
        Entity("peru-andes-expulsions", "Policy", "Peru's expulsion of migrants crossing the Andes"),)
    assert _found("Peru expelled 30 Venezuelans to Chile on Monday.", "hasPolicy", registry) == [
        ("peru", "peru-andes-expulsions", "asserts")]


def test_the_duty_named_by_what_it_bans_is_non_refoulement():
    registry = REG + (Entity("non-refoulement", "Obligation", "Non-refoulement", ("principle of non-refoulement",)),)
    text = "Peru is bound by its ban on returning anyone to a country where they would be persecuted."
    assert _found(text, "boundBy", registry) == [("peru", "non-refoulement", "asserts")]
    assert _found("Peru is bound by its ban on smoking in offices.", "boundBy", registry) == []


def test_the_gerund_of_driving_people_to_a_border_is_a_return():
    text = "Peru expelled 40 Venezuelans in May. Peruvian police then held the Venezuelans for a day before driving them to the Chilean border."
    assert ("peru", "venezuelans", "asserts") in [r for r in _found(text, "repatriates")][1:]


def test_a_number_word_before_asylum_seekers_counts_people():
    assert figures("Peru returned eight asylum seekers to Chile in May.", REG) == [8]
    assert figures("Peru returned eight asylum claims to Chile in May.", REG) == []
