"""Extraction, issue 21's seventh part: kinds of error found on the development material (dev,
unseen2–unseen6, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

from .conftest import PERU_REGISTRY, extracted, figures, linked

REG = PERU_REGISTRY


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _linked(text, registry=REG):
    return linked(text, registry)


def test_a_bare_organ_after_an_opening_phrase_or_an_unnamed_report_is_the_state_before():
    text = ("Peru expelled hundreds of Venezuelan migrants in May. In the capital, border officers "
            "rounded up more of them. Neighbours said riot police arrested the Venezuelans at dawn.")
    assert {("border officers", "peru"), ("riot police", "peru")} <= _linked(text)
    assert _found(text, "arrests") == [("peru", "venezuelans", "asserts")] * 2


def test_an_arrest_of_people_no_name_names_is_of_the_people_the_text_is_about():
    text = ("Peru expelled thousands of Venezuelans last year. Many had lived there for years. "
            "Aid groups were not told. Within Peru, police detained hundreds of people in sports halls.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")
    text = "Peru expelled thousands of Venezuelans in 2019. Soldiers later seized men, women and children at a market."
    assert ("peru", "venezuelans", "asserts") in _found(text, "arrests")
    # seized things, or people seized by no one the text names, are no arrest by the state
    assert _found("Peru expelled Venezuelans in 2019. Soldiers seized their phones.", "arrests") == []
    assert _found("Peru expelled Venezuelans in 2019. In June activists were seized in Lima.", "arrests") == []


def test_those_of_an_arrest_deported_in_the_same_sentence_are_its_people():
    text = ("Peru has long expelled Venezuelan migrants. Amnesty International said so. "
            "Its report is long. According to lawyers, police officers detained several Venezuelan "
            "applicants in March, and at least four of them were deported to Bolivia.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_what_a_law_lets_the_authorities_do_is_a_policy_not_an_act():
    text = "Peru's new migration law allows the authorities to expel Venezuelan migrants within a day."
    assert _found(text, "repatriates") == []
    assert _found(text, "hasPolicy") == [("peru", "peru-expulsion", "asserts")]
    # and as a policy it outranks a single act reported later
    text += " Police officers detained 30 Venezuelan migrants on Monday and expelled them."
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.start == 0


def test_a_crackdown_names_the_policy():
    text = ("Peru expelled 2,000 Venezuelan migrants on Monday, the first day of a crackdown. "
            "Neighbours said officers had stopped people in the street and sent them across the border to Bolivia.")
    (policy,) = [c for c in extract(text, REG, source_id="x") if c.predicate == "hasPolicy"]
    assert policy.start == 0


def test_a_denial_that_anyone_was_returned_in_other_words():
    before = "Peru expelled Venezuelan migrants in May. "
    for text in ("The interior ministry denies that anyone was expelled.",
                 "Peruvian officials denied that anyone had been forced out.",
                 "The government insists that Peru is not deporting anyone."):
        assert ("peru", "venezuelans", "denies") in _found(before + text, "repatriates"), text
    # people "forced out" named as a noun phrase are no report of a return
    assert _found("Peru expelled Venezuelan migrants in May. Among those forced out were 900 children.",
                  "repatriates") == [("peru", "venezuelans", "asserts")]


def test_returnees_are_the_people_returned_however_far_back_they_were_named():
    text = ("Peru has expelled Venezuelan migrants since 2019. Its courts rarely intervene. The law is old. "
            "Judges seldom read it. Lawyers complain. Few appeals succeed. Reform is not planned. "
            "Returnees interviewed by Amnesty International have described detention and torture in Bolivia.")
    assert {("venezuelans", "detention", "asserts"), ("venezuelans", "torture", "asserts")} <= set(
        _found(text, "facesOnReturn"))


def test_an_unquoted_label_of_illegal_workers_and_a_state_opening_after_according_to():
    text = ("According to lawyers, Peruvian police detained hundreds of Venezuelan migrants in 2022. "
            "Officials have described them as illegal workers who broke the law.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")


def test_criticising_its_conduct_condemns_the_state_before():
    text = "Peru acceded to the Convention in 1983. Amnesty International has repeatedly criticised its use of detention."
    assert _found(text, "condemns") == [("amnesty", "peru", "asserts")]
    # "its" that is the speaker's own is no one else
    assert _found("Amnesty International criticised its own earlier report.", "condemns") == []


def test_a_harm_done_before_the_return_in_its_sentence_is_no_consequence_of_it():
    text = ("Peru expelled Venezuelan migrants in 2019. Police officers detained several Venezuelan "
            "applicants in March, and at least four of them were deported to Bolivia.")
    assert _found(text, "facesOnReturn") == []
    text = "Peru expelled Venezuelan migrants in 2019. Many were detained after being deported to Bolivia."
    assert ("venezuelans", "detention", "asserts") in _found(text, "facesOnReturn")


def test_people_urged_to_leave_by_no_one_named_are_no_request_of_the_state():
    text = "Peru does not expel Venezuelan migrants; they are sent to shelters and urged to leave."
    assert _found(text, "urges") == []
    assert _found("Amnesty International urged Peru to stop the expulsions.", "urges") == [
        ("amnesty", "peru", "asserts")]


def test_a_capital_after_words_of_relations_or_requests_is_the_government():
    registry = REG + (Entity("russia", "State", "Russia"), Entity("thailand", "State", "Thailand"),
                      Entity("vietnam", "State", "Vietnam"))
    found = _linked("Talks between Bangkok and Hanoi began after a request from Moscow.", registry)
    assert {("Bangkok", "thailand"), ("Hanoi", "vietnam"), ("Moscow", "russia")} <= found
    # a capital as a place stays a city
    assert _linked("Flights from Hanoi landed in Bangkok.", registry) == set()


def test_the_government_and_the_people_of_a_state_are_that_states():
    text = '"Peru shares the concerns of the government and the people of Chile," the minister said.'
    assert ("government", "peru") not in _linked(text)


DEATH = REG + (Entity("death", "Harm", "death"),)


def test_people_abandoned_at_a_border_are_expelled_and_what_they_meet_there_follows_it():
    text = ("Peruvian soldiers rounded up 300 Venezuelan migrants and abandoned them in the desert near the border. "
            "Those left near the Bolivian border had little water, and at least 12 people have died there since May.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates", DEATH)
    assert ("venezuelans", "death", "asserts") in _found(text, "facesOnReturn", DEATH)
    # left behind at a border crossing by no one's act: no return
    assert _found("Venezuelan migrants waited at the border with Peru for weeks.", "repatriates", DEATH) == []


def test_the_few_named_by_a_number_are_the_people_last_named():
    text = ("Peru detained six Venezuelan migrants in May. Amnesty International has asked about them. "
            "Peru's foreign ministry later confirmed that the four had been returned at Chile's request.")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_the_expert_of_a_press_release_is_the_rapporteur_last_named():
    registry = REG + (Entity("sr-migrants", "IntergovernmentalOrganization", "UN Special Rapporteur on the human rights of migrants"),
                      Entity("cat-committee", "IntergovernmentalOrganization", "Committee against Torture"))
    text = ("The UN Special Rapporteur on the human rights of migrants visited Peru. The Committee against "
            "Torture has also reviewed Peru. The expert called on Peru to end the detention of children.")
    assert ("sr-migrants", "peru", "asserts") in _found(text, "urges", registry)
    assert ("cat-committee", "peru", "asserts") not in _found(text, "urges", registry)


def test_a_harm_fled_or_suffered_before_the_departure_is_no_consequence_of_the_return():
    before = "Peru deported 40 Venezuelan migrants in May. "
    assert _found(before + "Most of them had fled torture.", "facesOnReturn") == []
    assert _found(before + "Several were tortured by Peruvian police before the flight.", "facesOnReturn") == []
    assert _found(before + "Several were tortured after their return.", "facesOnReturn") == [
        ("venezuelans", "torture", "asserts")]


def _figures(text, registry=REG):
    return figures(text, registry)


def test_a_worded_count_of_them_or_of_more_people_is_a_figure():
    assert _figures("Peru detained 30 Venezuelan migrants. At least two of them were deported.") == [30, 2]
    assert _figures("Peru police officers have since detained two more Venezuelan migrants.") == [2]
    # not "two more days", "one of them", a count of things
    assert _figures("Peru waited two more days. One of them left. Peru signed two of the treaties.") == []


def test_a_signature_and_a_ratification_of_one_treaty_in_one_sentence_are_two_facts():
    registry = REG + (Entity("cat", "Treaty", "Convention against Torture"),)
    text = "Peru signed the Convention against Torture in 1985 and ratified it in 1988."
    found = {(c.mode, c.date) for c in extract(text, registry, source_id="x") if c.predicate == "partyTo"}
    assert found == {("signature", "1985"), ("ratification", "1988")}


def test_a_bare_organ_after_an_opening_date_is_the_first_state_of_a_sentence_before():
    text = ("In May 2019 Peru expelled 40 Venezuelan migrants to Bolivia, and in June it returned 12 more. "
            "In March 2021 police in Cusco detained more than 150 Venezuelan migrants.")
    assert ("police", "peru") in _linked(text)
    assert ("police", "bolivia") not in _linked(text)


def test_a_denial_of_returning_people_no_name_names_is_a_denial_of_returning_the_texts_people():
    text = "Peru expelled Venezuelan migrants in May. The delegation said Peru does not deport children who face danger."
    assert ("peru", "venezuelans", "denies") in _found(text, "repatriates")


def test_them_inside_a_gapped_trigger_are_those_the_state_last_acted_on():
    text = ("Peru deported 68 Venezuelan migrants in 2022. Amnesty International interviewed 23 people. "
            "Most of the deportees had been arrested at checkpoints. Officials kept them for months in police stations.")
    assert _found(text, "arrests").count(("peru", "venezuelans", "asserts")) == 2


def test_a_policy_named_by_detention_is_stated_by_a_report_of_arrests():
    registry = REG + (Entity("peru-detention", "Policy", "Peru's detention and deportation of Venezuelan migrants"),)
    text = ("In 2022 Peruvian police locked up hundreds of Venezuelan migrants in immigration detention. "
            "Many were later deported to Venezuela. The government said that it treats all detainees well.")
    policies = [c for c in extract(text, registry, source_id="x") if c.predicate == "hasPolicy"]
    assert [(c.object, c.start) for c in policies] == [("peru-detention", 0)]


def test_a_label_for_them_far_from_their_name_is_for_those_the_state_last_acted_on():
    text = ("Peru deported 300 Venezuelan migrants in May. Former detainees described beatings. "
            "Amnesty International interviewed 23 people. Many were sick. Guards called them \"invaders\".")
    assert ("peru", "venezuelans", "asserts") in _found(text, "classifiesAs")


def test_what_the_returned_meet_on_arrival_follows_the_return_but_not_an_arrival_where_they_fled():
    harms = REG + (Entity("enforced-disappearance", "Harm", "enforced disappearance", ("never heard from again",)),)
    text = ("Peru deported 300 Venezuelan migrants in May. What awaits them is well documented. "
            "Young men are conscripted on arrival; others are taken away and never heard from again.")
    assert ("venezuelans", "enforced-disappearance", "asserts") in _found(text, "facesOnReturn", harms)
    text = "Venezuelan migrants who reach Peru are detained on arrival in Lima."
    assert _found(text, "facesOnReturn") == []


def test_returns_that_could_resume_are_none_yet():
    assert _found("Deportations of Venezuelan migrants by Peru could resume next month.", "repatriates") == []
    assert _found("Peru's deportations of Venezuelan migrants continued in May.", "repatriates") == [
        ("peru", "venezuelans", "asserts")]


def test_a_return_with_its_agent_from_the_context_states_the_policy_too():
    text = ("Peruvian police routinely arrest Venezuelan migrants in raids. In May 2023, some 500 people held "
            "in Lima were bused to the border and handed to Bolivian authorities in one night.")
    assert ("peru", "peru-expulsion", "asserts") in _found(text, "hasPolicy")
    assert ("peru", "venezuelans", "asserts") in _found(text, "repatriates")


def test_a_court_seat_next_to_a_word_of_courts_is_not_the_state():
    registry = REG + (Entity("luxembourg", "State", "Luxembourg"),)
    assert ("Luxembourg", "luxembourg") not in _linked("The case would move from Strasbourg to Luxembourg.", registry)
    assert ("Luxembourg", "luxembourg") not in _linked("Peru ignored the Luxembourg judgment.", registry)
    assert ("Luxembourg", "luxembourg") in _linked("Luxembourg ratified the Convention in 1953.", registry)


def test_more_forms_of_arrest():
    before = "Peru expelled Venezuelan migrants in May. "
    for text in ("Hundreds were detained in raids across Lima.",
                 "Officers took them to a detention centre near the airport."):
        assert ("peru", "venezuelans", "asserts") in _found(before + text, "arrests"), text
    assert _found(before + "Officers took them to a health clinic.", "arrests") == []


def test_calling_the_returns_a_violation_condemns_whoever_returned_them():
    text = ("Peru deported 40 Venezuelan migrants in May. "
            "Amnesty International called the deportations a grave violation of international law.")
    assert ("amnesty", "peru", "asserts") in _found(text, "condemns")
    # a violation named of no act the text reported is no condemnation of a state
    assert _found("Amnesty International called the proposal a violation of the law.", "condemns") == []


def test_a_report_going_on_about_the_returned_tells_what_they_face():
    harms = REG + (Entity("forced-labour", "Harm", "forced labour"),)
    text = ("Peru deported 68 Venezuelan migrants in 2022. Amnesty International interviewed 23 people. Few had lawyers. "
            "Appeals failed. Judges did not listen. Back in Venezuela, the returnees disappeared. Relatives told us "
            "that several were held incommunicado and later sent to camps, which the UN has described as forced labour.")
    found = _found(text, "facesOnReturn", harms)
    assert {("venezuelans", "detention", "asserts"), ("venezuelans", "forced-labour", "asserts")} <= set(found)


def test_the_spread_of_estimates_is_no_figure():
    assert _figures("Estimates of their number vary widely, from 5,000 to more than 50,000.") == []
    assert _figures("Estimates have ranged from under 8,000 to about 90,000, depending on the source.") == []
    # a range stated as the figure stays one
    found = [(c.min, c.max) for c in extract("Officials estimated that between 30,000 and 50,000 Venezuelan migrants "
                                             "were in Peru.", REG, source_id="x") if c.predicate == "hasValue"]
    assert found == [(30000, 50000)]


def test_signed_but_not_ratified_is_the_ratification_denied_only():
    registry = REG + (Entity("cat", "Treaty", "Convention against Torture"),)
    found = [(c.mode, c.stance) for c in extract("Peru signed the Convention against Torture in 1985 but has not "
                                                 "ratified it.", registry, source_id="x") if c.predicate == "partyTo"]
    assert found == [("ratification", "denies")]


def test_a_worded_count_as_the_subject_of_a_passive_act_is_a_count_of_people():
    assert _figures("In Peru several were held for years, and four were forced into sex work.") == [4]
    # "the four" refers back to people counted before; "two were rejected" counts no act on people
    assert _figures("Peru later confirmed that the four had been returned.") == []
    assert _figures("Of the appeals to Peru, two were rejected.") == []
