"""Extraction, issue 21's sixth part: kinds of error found on the development material (dev,
unseen2–unseen5, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract, extract_all

from .conftest import extracted, figures

REG = (Entity("greece", "State", "Greece"), Entity("turkey", "State", "Turkey"),
       Entity("chile", "State", "Chile"), Entity("peru", "State", "Peru"),
       Entity("haiti", "State", "Haiti"), Entity("egypt", "State", "Egypt"),
       Entity("eritrea", "State", "Eritrea"),
       Entity("syrians", "Group", "Syrian refugees", ("Syrians",)),
       Entity("eritreans", "Group", "Eritrean asylum seekers", ("Eritreans",)),
       Entity("human-rights-watch", "NGO", "Human Rights Watch"),
       Entity("unhcr", "IntergovernmentalOrganization", "UNHCR"),
       Entity("cat", "Treaty", "Convention against Torture"),
       Entity("refugee-convention", "Treaty", "Refugee Convention", ("1951 Refugee Convention",)),
       Entity("old-pact", "Treaty", "the 1986 border pact", ("bilateral agreement",)),
       Entity("torture", "Harm", "torture"),
       Entity("human-trafficking", "Harm", "human trafficking", ("trafficking",)))


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _figures(text, registry=REG):
    return figures(text, registry)


def test_each_treaty_joined_has_the_year_after_it_even_before_and_the_next_treaty():
    text = "Peru ratified the 1951 Refugee Convention in 1964 and the Convention against Torture in 1988, so it is bound."
    dates = {c.object: c.date for c in extract(text, REG, source_id="x") if c.predicate == "partyTo"}
    assert dates == {"refugee-convention": "1964", "cat": "1988"}


def test_a_day_after_an_abbreviated_month_without_a_period_is_no_figure():
    assert _figures("LIMA, Nov 3 – Peru returned 1,200 Syrians last week.") == [1200]
    assert _figures("LIMA, Sept 21 (Reuters) – Peru returned 300 Syrians.") == [300]


def test_a_year_naming_a_cohort_is_no_figure():
    assert _figures("Peru later naturalised some 9,000 of the 1990 refugees.") == [9000]
    # a count right after "the" that is no year stays one
    assert _figures("Peru deported the 450 refugees in May.") == [450]


def test_a_harm_people_are_checked_for_is_not_one_they_meet():
    text = "Many Eritreans were deported to Eritrea by Egypt without being screened for signs of trafficking."
    assert _found(text, "facesOnReturn") == []
    assert _found("Eritreans deported by Egypt were tortured on their return.", "facesOnReturn") == [
        ("eritreans", "torture", "asserts")]


def test_the_one_urged_comes_before_the_act_asked_for():
    assert _found("UNHCR has asked governments not to send anyone back to Haiti.", "urges") == []
    assert _found("Human Rights Watch urged states to stop deporting Syrians to Turkey.", "urges") == []
    assert _found("Human Rights Watch urged Greece on Monday to stop returning Syrians to Turkey.", "urges") == [
        ("human-rights-watch", "greece", "asserts")]


def test_a_capital_listed_with_another_place_after_a_preposition_is_the_city():
    registry = REG  # Santiago is Chile's capital (rules.yaml linking.capitals)
    found = extract_all("Police raided markets in Lima and Santiago. Peru protested to Santiago.", registry,
                        source_id="x")
    linked = [(found.text[m.start:m.end], m.start) for m in found.mentions if m.entity == "chile"]
    assert [s for s, _ in linked] == ["Santiago"] and linked[0][1] > 40  # only the government protested to


def test_a_common_noun_alias_after_an_indefinite_article_is_another_of_its_kind():
    found = extract_all("In 2019 Greece and Turkey signed a bilateral agreement on returns.", REG, source_id="x")
    assert "old-pact" not in {m.entity for m in found.mentions}
    found = extract_all("Greece cited the bilateral agreement.", REG, source_id="x")
    assert "old-pact" in {m.entity for m in found.mentions}


def test_a_removal_by_transport_or_a_handing_to_another_states_authorities_is_a_return():
    assert _found("Egypt held 300 Eritreans in camps before flying them back to Asmara.", "repatriates") == [
        ("egypt", "eritreans", "asserts")]
    assert _found("Egyptian police detained 40 Eritreans and sent them across the border at night.",
                  "repatriates") == [("egypt", "eritreans", "asserts")]
    assert _found("Egyptian border guards arrested dozens of Eritreans and handed at least nine to Eritrean authorities.",
                  "repatriates") == [("egypt", "eritreans", "asserts")]
    # a plan or a request is still none
    assert _found("Egypt plans to put 300 Eritreans on buses to the border.", "repatriates") == []
    assert _found("Human Rights Watch urged Egypt not to fly the Eritreans back.", "repatriates") == []


def test_a_passive_naming_no_agent_is_the_act_of_the_state_last_reported_doing_it():
    text = ("Egyptian police detained 40 Eritreans in Aswan last spring. Most of the detainees were later "
            "deported to Eritrea.")
    assert _found(text, "repatriates") == [("egypt", "eritreans", "asserts")]
    text = "Egypt deported 40 Eritreans in March. Others were picked up in raids on flats."
    assert ("egypt", "eritreans", "asserts") in _found(text, "arrests")
    # an agent the registry lacks, a habit, a state of confinement, the returnees' arrival, or
    # another state named in the sentence: no agent from the context
    before = "Egypt deported 40 Eritreans in March. "
    for after in ("Some were later detained by a militia.", "Many are sent back every year.",
                  "Most had been held for months.", "Those returned were detained on arrival.",
                  "The Government of Eritrea said the men had been deported lawfully."):
        assert _found(before + after, "arrests") == [], after
        assert _found(before + after, "repatriates") == [("egypt", "eritreans", "asserts")], after  # the first only
    assert _found(before + "Women repatriated to Eritrea were detained.", "arrests") == []


def test_a_policy_the_registry_names_stated_as_a_states_practice_is_its_policy():
    registry = REG + (Entity("greece-pushbacks", "Policy", "Greece's pushbacks of asylum seekers", ("pushbacks",)),
                      Entity("turkey-pushbacks", "Policy", "Turkey's pushbacks of Syrians"))
    text = ("Greece does not carry out pushbacks, the minister said. Monitors found a systematic practice "
            "of pushbacks by the Greek authorities.")
    assert _found(text, "hasPolicy", registry) == [("greece", "greece-pushbacks", "denies"),
                                                    ("greece", "greece-pushbacks", "asserts")]
    # another state's policy is none of its own
    assert _found("Peru does not carry out pushbacks.", "hasPolicy", registry) == []


def test_committee_members_speak_as_the_committee_and_bare_guards_are_the_state_named_before():
    registry = REG + (Entity("committee", "IntergovernmentalOrganization", "UN Committee against Torture",
                             ("Committee against Torture",)),)
    text = "The Committee against Torture reviewed Peru. Committee members urged Peru to end the returns."
    assert _found(text, "urges", registry) == [("committee", "peru", "asserts")]
    text = ("Most had crossed on foot. Egyptian border guards intercepted 40 Eritreans in the hills. "
            "Guards called them \"infiltrators\".")
    found = extract_all(text, registry, source_id="x")
    assert [(c.subject, c.object, c.value) for c in found.candidates if c.predicate == "classifiesAs"] == [
        ("egypt", "eritreans", "infiltrators")]


def test_a_state_said_to_be_bound_is_bound_by_the_duty_named_or_the_one_its_words_forbid():
    registry = REG + (Entity("non-refoulement", "Obligation", "non-refoulement", ("principle of non-refoulement",)),)
    assert _found("Peru joined the Convention against Torture in 1988 and is therefore bound not to expel "
                  "anyone to torture.", "boundBy", registry) == [("peru", "non-refoulement", "asserts")]
    assert _found("Returning them breaches the principle of non-refoulement, by which Peru is bound.",
                  "boundBy", registry) == [("peru", "non-refoulement", "asserts")]
    # bound by something else, or would be bound: none
    assert _found("If Peru joined the Convention, it would be bound not to expel anyone.", "boundBy", registry) == []


def test_a_policy_stated_by_a_negation_is_the_states_refusal_of_refugee_status():
    registry = REG + (Entity("egypt-refugee-status-refusal", "Policy", "Egypt's refusal to recognise Eritreans as refugees"),)
    assert _found("Egypt does not recognise Eritreans as refugees.", "hasPolicy", registry) == [
        ("egypt", "egypt-refugee-status-refusal", "asserts")]
    assert _found("Egypt refuses to grant the Eritreans refugee status.", "hasPolicy", registry) == [
        ("egypt", "egypt-refugee-status-refusal", "asserts")]
    # asked for, or a state without that policy in the registry: none
    assert _found("Egypt should not recognise Eritreans as refugees.", "hasPolicy", registry) == []
    assert _found("Peru does not recognise Eritreans as refugees.", "hasPolicy", registry) == []


def test_a_quoted_label_for_the_people_referred_to_by_a_definite_noun_classifies_the_people_last_named():
    text = "Egypt deported 40 Eritreans in May. The Egyptian government calls the migrants \"infiltrators\"."
    found = extract(text, REG, source_id="x")
    assert [(c.subject, c.object, c.value) for c in found if c.predicate == "classifiesAs"] == [
        ("egypt", "eritreans", "infiltrators")]
    # a label of something else ("calls the law \"fair\"") is none
    text = "Egypt deported 40 Eritreans in May. The Egyptian government calls the law \"fair\"."
    assert [c for c in extract(text, REG, source_id="x") if c.predicate == "classifiesAs"] == []


def test_she_after_a_special_rapporteur_is_the_rapporteur():
    registry = REG + (Entity("sr", "IntergovernmentalOrganization", "UN Special Rapporteur on the rights of migrants",
                             ("Special Rapporteur on the rights of migrants",)),)
    text = ("The Special Rapporteur on the rights of migrants visited Peru in May. \"Children are held for weeks,\" "
            "the Special Rapporteur said. Officials denied it. Peru ratified the Convention against Torture in 1988. "
            "She urged Peru to end the detention of children.")
    assert _found(text, "urges", registry) == [("sr", "peru", "asserts")]
    # a person named in between is who "she" is
    text = ("The Special Rapporteur on the rights of migrants visited Peru. Ana Ruiz, a lawyer, said the "
            "children were held for weeks. She urged Peru to end it.")
    assert _found(text, "urges", registry + (Entity("ana-ruiz", "Person", "Ana Ruiz"),)) == [
        ("ana-ruiz", "peru", "asserts")]


def test_people_returned_from_a_state_were_returned_by_it():
    assert _found("UNHCR counted 9,000 Eritreans returned from Egypt in 2023.", "repatriates") == [
        ("egypt", "eritreans", "asserts")]
    # returned to a state, or from a place by someone else: not by that state
    assert _found("UNHCR counted 9,000 Eritreans returned to Eritrea in 2023.", "repatriates") == []
    assert _found("UNHCR fears that Eritreans returned from Egypt may be detained.", "repatriates") == []


def test_a_state_denying_that_anyone_was_returned_denies_returning_the_people_of_the_text():
    text = "Egypt deported 40 Eritreans in May. Egyptian officials have denied that any refugee was returned by force."
    assert _found(text, "repatriates") == [("egypt", "eritreans", "asserts"), ("egypt", "eritreans", "denies")]
    # without a denial, "any refugee was returned" is no claim
    assert _found("Egypt deported 40 Eritreans in May. It is unclear whether any refugee was returned.",
                  "repatriates") == [("egypt", "eritreans", "asserts")]


def test_what_persons_returned_face_is_what_the_people_of_the_last_return_face():
    text = ("Egypt deported 40 Eritreans in May. Last year the UN said that persons forcibly returned "
            "are commonly subjected to torture.")
    assert _found(text, "facesOnReturn") == [("eritreans", "torture", "asserts")]
    # no return reported before: no one to say it of
    assert _found("Last year the UN said that persons forcibly returned are commonly subjected to torture.",
                  "facesOnReturn") == []


def test_them_after_an_act_of_the_state_that_last_acted_are_the_people_it_last_acted_on():
    text = ("Egypt deported 40 Eritreans in May. Most had crossed on foot. Few had papers. The report is long. "
            "Egyptian police had intercepted them near the border.")
    assert _found(text, "arrests") == [("egypt", "eritreans", "asserts")]
    # another state's act on "them": not the people Egypt acted on
    text = ("Egypt deported 40 Eritreans in May. Most had crossed on foot. Few had papers. The report is long. "
            "Peru detained them later.")
    assert _found(text, "arrests") == []
