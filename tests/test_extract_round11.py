"""Extraction, issue 21's eleventh part: kinds of error found on the development material (dev,
unseen2–unseen10, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

from .conftest import PERU_REGISTRY, extracted, figures, linked

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"), Entity("mexico", "State", "Mexico"))


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _values(text, registry=REG):
    return figures(text, registry)


def test_the_authorities_of_a_state_act_as_the_state():
    text = "The authorities of Peru detained and expelled at least 400 Venezuelans in 2020."
    assert _found(text, "arrests") == [("peru", "venezuelans", "asserts")]
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    text = "Last year the police of Peru expelled 90 Venezuelans to Bolivia."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    # the organ after a preposition is spoken to or of, and does not act
    text = "To the Government of Peru: end the expulsion of Venezuelans to Bolivia."
    assert _found(text, "repatriates") == []
    # nor do a state's people
    assert _found("The people of Peru expelled the president in 2000.", "repatriates") == []


def test_a_count_in_the_consequence_of_a_condition_is_no_figure():
    for text in ("If the court sides with Peru, some 3,000 more Venezuelans could be free to stay.",
                 "If the expulsions go on, about 12,000 Venezuelans living in Peru might lose their jobs.",
                 "Should the bill pass, 800 Venezuelan families would have no legal status."):
        assert _values(text) == [], text
    # a count done, with a modal in a clause after it, still is one
    assert _values("Peru expelled 3,000 Venezuelans in 2019, and if it goes on more could follow.") == [3000]
    assert _values("In 2019 Peru expelled 3,000 Venezuelans who could not pay the fine.") == [3000]


def test_a_state_named_inside_a_place_s_name_is_not_mentioned():
    assert ("Spain", "spain") not in linked("Amnesty met lawyers in Port of Spain last week.", REG)
    assert ("Mexico", "mexico") not in linked("The flights left from Mexico City on Monday.", REG)
    assert ("Spain", "spain") in linked("Amnesty met lawyers in Spain last week.", REG)


def test_a_speaker_before_a_passive_is_not_its_agent():
    text = "Peru expelled 300 Venezuelans in June. Bolivia said the men had been expelled without a hearing."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    # an active verb after the speaker still has its own subject
    text = "Amnesty International said that Peru had expelled 300 Venezuelans."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]


def test_people_in_a_relative_clause_after_a_label_are_not_those_labelled():
    reg = REG + (Entity("bolivians", "Group", "Bolivians in Peru", ("Bolivians",)),)
    text = ("Peru expelled 3,000 Venezuelans in 1999. The expulsions followed a dispute over land. "
            "Peru's economy was in recession. Prices rose. Strikes spread to the capital. Flights were cut. "
            "Officials described the migrants as \"illegal migrants\" who were taking land from Bolivians.")
    assert [(s, o) for s, o, _ in _found(text, "classifiesAs", reg)] == [("peru", "venezuelans")]


def test_a_policy_is_stated_where_the_state_is_named_rather_than_by_an_agentless_passive():
    text = ("Peru expelled 300 Venezuelans to Bolivia on Monday, the interior ministry said. "
            "The Venezuelans were deported in small groups to the border crossing.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.quote.startswith("Peru expelled 300 Venezuelans")


def test_a_denial_of_returns_with_a_qualified_or_negated_quantifier_is_a_denied_return():
    before = "Peru expelled 300 Venezuelans in June. "
    for after in ("The government denies that any recognised refugee has been expelled.",
                  "The government insists that no one has been expelled to persecution."):
        assert ("peru", "venezuelans", "denies") in _found(before + after, "repatriates"), after
    # a negated quantifier on another act denies no return
    assert ("peru", "venezuelans", "denies") not in _found(
        before + "Amnesty said that no refugee had been told of the right to appeal.", "repatriates")


def test_people_handed_to_another_state_s_officers_are_returned():
    reg = REG + (Entity("bolivia-police", "State", "Bolivia"),)
    before = "Venezuelans crossed into Peru in 2019. "
    for after in ("Peruvian police handed eight of the migrants to Bolivian officers.",
                  "Peru handed more than 300 people to Chilean border guards on Monday."):
        assert ("peru", "venezuelans", "asserts") in _found(before + after, "repatriates", reg), after
    # handing a letter over is no return
    assert _found(before + "Peru handed a letter to Chilean officials.", "repatriates", reg) == []


def test_number_words_before_other_nouns_of_people_count_people():
    assert _values("A judge halted the expulsion of seven boys from Peru.") == [7]
    assert _values("Peru expelled 12 children and eight adults to Bolivia.") == [12, 8]
    # not a number word before a thing
    assert _values("Peru expelled the Venezuelans within seven days.") == []


def test_a_comparison_of_scale_reports_no_arrest():
    text = "Peru now arrests more Venezuelans than any other country in the region."
    assert _found(text, "arrests") == []
    assert _found("Peru arrested 300 Venezuelans in Lima in May.", "arrests") == [("peru", "venezuelans", "asserts")]


def test_an_order_to_leave_the_country_is_an_expulsion():
    text = "In 2003 the government of Peru ordered all undocumented Venezuelans to leave the country within a month."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found("Peru ordered the Venezuelans to leave the building.", "repatriates") == []
