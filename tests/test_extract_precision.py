"""Extraction precision (issue 21): the kinds of false positive found on tests/extraction/dev,
t1–t3 and the bundled articles, each asserted on the candidates a sentence gives."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

REG = (Entity("china", "State", "China", ("Beijing", "Chinese authorities")),
       Entity("thailand", "State", "Thailand"), Entity("myanmar", "State", "Myanmar"),
       Entity("malaysia", "State", "Malaysia"),
       Entity("north-korean-refugees", "Group", "North Korean refugees", ("North Koreans", "refugees")),
       Entity("north-korean-women", "Group", "North Korean women who have fled", ("North Korean women",)),
       Entity("uyghurs", "Group", "Uyghur asylum seekers", ("Uyghurs",)),
       Entity("rohingya", "Group", "Rohingya refugees", ("Rohingya",)),
       Entity("myanmar-nationals", "Group", "Myanmar nationals in Malaysia", ("Myanmar nationals",)),
       Entity("china-forced-repatriation", "Policy", "China's forced repatriation of North Koreans"),
       Entity("thailand-forced-repatriation", "Policy", "Thailand's forced repatriation of Uyghurs"),
       Entity("malaysia-forced-repatriation", "Policy", "Malaysia's forced return of refugees"),
       Entity("china-illegal-migrant-classification", "Policy", "China's classification of North Koreans"))


def _policies(text, policy="forced-repatriation"):
    return [(c.subject, c.object, c.stance, text[c.start:c.end]) for c in extract(text, REG, source_id="x")
            if c.predicate == "hasPolicy" and c.object.endswith(policy)]


def _acts(text):
    return [(c.subject, c.object, c.stance) for c in extract(text, REG, source_id="x")
            if c.predicate == "repatriates"]


def test_a_policy_is_proposed_once_on_the_sentence_that_states_it_as_standing():
    text = ("Under a protocol, China classifies them as illegal migrants and returns those it catches. "
            "Chinese authorities periodically conduct sweeps and repatriate the North Koreans they arrest. "
            "In 2012 China deported 31 North Koreans.")
    assert _policies(text) == [("china", "china-forced-repatriation", "asserts",
                                "Chinese authorities periodically conduct sweeps and repatriate the North "
                                "Koreans they arrest.")]
    assert len(_acts(text)) == 2  # every act is still proposed where it is stated


def test_a_policy_named_as_such_outranks_a_habit_and_a_single_act_stands_for_it_alone():
    text = ("If caught, North Koreans are arrested by Chinese authorities and routinely sent back. "
            "The decision by the Chinese government to continuously return refugees to North Korea is cruel.")
    assert [p[3] for p in _policies(text)] == [
        "The decision by the Chinese government to continuously return refugees to North Korea is cruel."]
    single = ("China forcibly returned about 600 North Koreans on Oct. 9. "
              "The Thai authorities deported 40 Uyghurs on 27 February.")
    assert [(p[0], p[1]) for p in _policies(single)] == [
        ("china", "china-forced-repatriation"), ("thailand", "thailand-forced-repatriation")]


def test_a_standing_word_counts_in_the_triggers_clause_only():
    text = ("China claims these people are illegal migrants, but all of them are refugees. "
            "And it considers all undocumented North Koreans as illegal migrants.")
    assert [p[3] for p in _policies(text, "classification")] == [
        "And it considers all undocumented North Koreans as illegal migrants."]


def test_a_denied_act_gives_the_acts_denial_and_no_policy():
    text = "The Chinese authorities denied that they sent North Koreans back."
    assert _policies(text) == []
    assert _acts(text) == [("china", "north-korean-refugees", "denies")]


def test_returns_of_another_people_are_no_sign_of_the_policy_towards_these():
    assert _policies("Thailand deported some Rohingya to Myanmar.") == []
    assert _acts("Thailand deported some Rohingya to Myanmar.") == [("thailand", "rohingya", "asserts")]
    assert [p[:2] for p in _policies("Thailand deported 109 Uyghurs to China.")] == [
        ("thailand", "thailand-forced-repatriation")]
    # the policy's people include their parts (North Korean women are North Koreans) and a policy
    # of returning "refugees" is shown by anyone's return
    assert [p[:2] for p in _policies("Chinese authorities sent North Korean women back.")] == [
        ("china", "china-forced-repatriation")]
    assert [p[:2] for p in _policies("Malaysia deported 150 Myanmar nationals.")] == [
        ("malaysia", "malaysia-forced-repatriation")]


def test_a_day_or_month_after_a_name_is_not_part_of_it():
    from obligraph.extract.candidates import extract_all
    text = "Thailand deported 109 Uyghurs to China on Thursday and 600 North Koreans on Oct. 9."
    linked = [(text[m.start:m.end], m.entity) for m in extract_all(text, REG, source_id="x").mentions]
    assert linked == [("Thailand", "thailand"), ("Uyghurs", "uyghurs"), ("China", "china"),
                      ("North Koreans", "north-korean-refugees")]


def test_sent_with_its_people_between_is_a_return():
    assert _acts("Chinese authorities sent North Korean women back.") == [
        ("china", "north-korean-women", "asserts")]


def _arrests(text):
    return [(c.subject, c.object, c.stance) for c in extract(text, REG, source_id="x")
            if c.predicate == "arrests"]


def test_the_agent_after_coordinated_participles_and_none_in_a_passive_relative_clause():
    text = "Rights groups counted North Koreans captured, detained and returned by the Chinese authorities."
    assert _arrests(text) == [("china", "north-korean-refugees", "asserts")]
    assert _acts(text) == [("china", "north-korean-refugees", "asserts")]
    text = ("Thailand guards its border. Its police shoot at people, and North Koreans who are caught "
            "and sent back face punishment.")
    assert _acts(text) == []


def test_a_state_far_after_from_is_no_agent_of_a_nominal_act():
    text = ("Their status is weak, because compulsory repatriation of North Koreans entails punishment, "
            "so that they wait in hiding for assistance from the Malaysian government.")
    assert _acts(text) == []
    assert _acts("With the repatriation of 50 North Koreans from China, the world failed.") == [
        ("china", "north-korean-refugees", "asserts")]


def test_what_a_state_is_condemned_or_accused_for_is_the_charge_not_a_report_of_the_act():
    assert _acts("Rights groups condemned the government of China for sending North Koreans back.") == []
    assert _acts("Rights groups condemned Beijing for not only repatriating North Koreans but more.") == []
    assert _arrests("Activists accused Chinese authorities of detaining North Koreans.") == []
    assert _acts("China sent North Koreans back, and rights groups condemned it.") == [
        ("china", "north-korean-refugees", "asserts")]


REG_TREATIES = REG + (Entity("cedaw-1979", "Treaty", "CEDAW"),
                      Entity("cedaw-1979-art-6", "TreatyProvision", "CEDAW, article 6"),
                      Entity("trafficking-protocol-2000", "Treaty", "Trafficking Protocol"),
                      Entity("refugee-convention-1951", "Treaty", "Refugee Convention"),
                      Entity("refugee-protocol-1967", "Treaty", "1967 Protocol", ("New York Protocol",)),
                      Entity("detention", "Harm", "detention", ("detained",)),
                      Entity("sexual-violence", "Harm", "sexual violence"),
                      Entity("prison-camp-detention", "Harm", "detention in a prison camp", ("prison camp",)))


def _parties(text):
    return [(c.subject, c.object, c.mode, c.date) for c in extract(text, REG_TREATIES, source_id="x")
            if c.predicate == "partyTo"]


def test_the_treaty_of_a_provision_is_not_what_a_state_is_party_to():
    text = "China acceded to the Trafficking Protocol in 2010 and is bound by article 6 of CEDAW to act."
    assert _parties(text) == [("china", "trafficking-protocol-2000", "accession", "2010")]


def test_each_treaty_a_state_joined_has_the_date_written_after_it():
    text = "China joined both the Refugee Convention in 1951 and the 1967 Protocol (the New York Protocol) in 1967."
    assert sorted(_parties(text)) == [("china", "refugee-convention-1951", "unspecified", "1951"),
                                      ("china", "refugee-protocol-1967", "unspecified", "1967")]
    text = "China acceded to the Refugee Convention and the 1967 Protocol in 1982."
    assert sorted(_parties(text)) == [("china", "refugee-convention-1951", "accession", "1982"),
                                      ("china", "refugee-protocol-1967", "accession", "1982")]


def _on_return(text):
    return sorted(c.object for c in extract(text, REG_TREATIES, source_id="x") if c.predicate == "facesOnReturn")


def test_detention_as_where_a_harm_happens_or_named_by_a_narrower_harm_is_no_harm_of_its_own():
    assert _on_return("China sent North Korean women back, where they face sexual violence in detention.") == [
        "sexual-violence"]
    assert _on_return("North Koreans sent back are likely to be detained inside a North Korean prison camp.") == [
        "prison-camp-detention"]
    assert _on_return("North Koreans sent back are held in detention and face sexual violence.") == [
        "detention", "sexual-violence"]


def _figures(text):
    return [(c.value, c.min, c.max) for c in extract(text, REG, source_id="x") if c.predicate == "hasValue"]


def test_a_range_with_an_open_end_and_a_vague_count_are_one_figure():
    assert _figures("Estimates of North Koreans in China vary, from 10,000 to more than 100,000.") == [
        (None, 10000, 100000)]
    assert _figures("Some North Korean women are resold as many as three or four times.") == []
    assert _figures("China returned two or three North Koreans.") == [(None, 2, 3)]


def test_a_planned_threatened_possible_or_supposed_act_is_no_act():
    for text in ("Thailand plans to deport 40 Uyghurs to China.", "Thailand could deport the Uyghurs.",
                 "Activists fear China will send the North Koreans back.",
                 "If Thailand deports the Uyghurs, they will face torture.",
                 "Thailand would breach its obligations if it deported the Uyghurs.",
                 "Uyghurs held in Thailand face deportation to China."):
        assert _acts(text) == [] and _policies(text) == [], text
    assert _parties("China has pledged to ratify the Refugee Convention.") == []
    # a date is no modal, nor is an aside between the subject and the act
    assert _acts("In May 2013 Thailand deported nine Uyghurs.") == [("thailand", "uyghurs", "asserts")]
    assert _acts("China, which may face sanctions, deported 500 North Koreans.") == [
        ("china", "north-korean-refugees", "asserts")]
    # "if caught" qualifies the people, not the act
    assert _arrests("If caught, North Koreans are arrested by Chinese authorities.") == [
        ("china", "north-korean-refugees", "asserts")]


REG_ADVOCACY = REG + (Entity("hrw", "NGO", "Human Rights Watch"),
                      Entity("south-koreans", "Group", "South Koreans"),
                      Entity("execution", "Harm", "execution"))


def test_in_the_passive_the_one_criticised_is_the_object_and_a_name_after_with_no_subject():
    found = extract("Thailand was criticised by Human Rights Watch for deporting the Uyghurs.", REG_ADVOCACY,
                    source_id="x")
    assert [(c.subject, c.object) for c in found if c.predicate == "condemns"] == [("hrw", "thailand")]
    found = extract("Thailand deported the Uyghurs. Returnees who had contact with South Koreans face execution.",
                    REG_ADVOCACY, source_id="x")
    assert [(c.subject, c.object) for c in found if c.predicate == "facesOnReturn"] == [("uyghurs", "execution")]


def test_a_single_act_stands_for_the_policy_only_when_nothing_else_states_it():
    text = ("On 9 October Chinese authorities forcibly returned about 600 North Koreans. "
            "China returns the North Koreans it catches to the border guards.")
    assert [p[3] for p in _policies(text)] == ["China returns the North Koreans it catches to the border guards."]
    text = ("Thailand deported 40 Uyghurs to China on 27 February. "
            "The Thai authorities deported these Uyghurs despite warnings.")  # both single: the first
    assert [p[3] for p in _policies(text)] == ["Thailand deported 40 Uyghurs to China on 27 February."]


def test_a_pronouns_act_is_prospective_only_in_the_words_just_before_it():
    text = "China is bound. It would be unlawful, as it ratified the Refugee Convention in 1988."
    assert _parties(text) == [("china", "refugee-convention-1951", "ratification", "1988")]


def test_a_denial_that_names_the_policy_denies_the_policy():
    text = "The Chinese authorities denied that they have a policy of sending North Koreans back."
    assert [p[:3] for p in _policies(text)] == [("china", "china-forced-repatriation", "denies")]


def test_a_treaty_named_with_a_provision_before_a_relative_is_what_the_state_joined():
    text = "Article 3 of the Refugee Convention, which China ratified in 1982, forbids it."
    assert _parties(text) == [("china", "refugee-convention-1951", "ratification", "1982")]


# --- issue 21, fourth part (branch extract-precision3): sentences that look like facts and are not

REG4 = REG + (Entity("unhcr", "IntergovernmentalOrganization", "UNHCR", ("UN refugee agency",)),
              Entity("torture", "Harm", "torture"), Entity("execution", "Harm", "execution"),
              Entity("imprisonment", "Harm", "imprisonment"),
              Entity("detention", "Harm", "arbitrary detention", ("detention",)),
              Entity("laos", "State", "Laos"), Entity("vietnam", "State", "Vietnam"))


def _all(text):
    return [(c.predicate, c.subject, c.object, c.stance) for c in extract(text, REG4, source_id="x")
            if c.predicate not in ("hasValue", "measures")]


def test_a_guess_about_the_returned_is_not_what_they_face():
    assert _all("Thailand deported the Uyghurs in 2015. Some may later have been imprisoned.") == [
        ("hasPolicy", "thailand", "thailand-forced-repatriation", "asserts"),
        ("repatriates", "thailand", "uyghurs", "asserts")]
    assert ("facesOnReturn", "uyghurs", "imprisonment", "asserts") in _all(
        "Thailand deported the Uyghurs in 2015. Many of them were imprisoned.")


def test_what_happens_before_the_return_is_no_consequence_of_it():
    assert _all("Before they were deported, the Uyghurs were held in detention in Bangkok.") == []
    assert _all("After they were deported, the Uyghurs were held in detention.") == [
        ("facesOnReturn", "uyghurs", "detention", "asserts")]


def test_a_state_compared_with_the_subject_is_not_the_subject():
    assert _all("Vietnam, unlike Laos, has not returned North Koreans since 2015.") == [
        ("repatriates", "vietnam", "north-korean-refugees", "denies")]
    assert _all("Malaysia, like Thailand, deported Rohingya in 2019.") == [
        ("hasPolicy", "malaysia", "malaysia-forced-repatriation", "asserts"),
        ("repatriates", "malaysia", "rohingya", "asserts")]


def test_states_urged_in_the_passive_are_its_objects_and_the_agent_its_subject():
    assert _all("Malaysia and Thailand were both urged by UNHCR to end the deportations.") == [
        ("urges", "unhcr", "malaysia", "asserts"), ("urges", "unhcr", "thailand", "asserts")]


def test_an_act_made_possible_is_not_done():
    assert _all("A new deal could allow Thailand to deport more Uyghurs.") == []
    assert _all("The agreement lets China return North Koreans without a hearing.") == []
    assert ("repatriates", "china", "north-korean-refugees", "asserts") in _all(
        "Lawyers said China deported the North Koreans in May.")


def test_a_harm_feared_for_the_returned_is_not_reported():
    assert _all("Their families fear that the Uyghurs sent back will be imprisoned.") == []
    assert _all("There are fears that those returned to Myanmar will be tortured.") == []
    assert _all("The Rohingya sent back to Myanmar were imprisoned, their families said.") == [
        ("facesOnReturn", "rohingya", "imprisonment", "asserts")]


def test_a_document_symbol_is_no_statistic():
    text = "In resolution 52/31 the Council urged Thailand to free 40 Uyghurs."
    assert [c.value for c in extract(text, REG4, source_id="x") if c.predicate == "hasValue"] == [40]


def test_what_a_recommendation_or_demand_asks_for_is_not_asserted():
    assert _all("The experts recommended that Malaysia release detained Rohingya.") == []
    assert _all("UNHCR demanded that Thailand release the Uyghurs held in detention.") == [
        ("urges", "unhcr", "thailand", "asserts")]
    assert _all("Thailand detained the Uyghurs in 2014.") == [
        ("arrests", "thailand", "uyghurs", "asserts")]


def test_an_act_with_no_one_as_its_people_is_denied():
    assert _all("Malaysia has deported no Rohingya since 2019.") == [
        ("repatriates", "malaysia", "rohingya", "denies")]
    assert _all("Since 2019, no Rohingya have been deported by Malaysia.") == [
        ("repatriates", "malaysia", "rohingya", "denies")]
    assert "denies" not in {c[3] for c in _all("No one can say how many Rohingya Malaysia has deported.")}


def test_a_name_in_an_opening_phrase_is_not_the_speaker_a_name_after_it_is():
    assert _all("After a visit to Malaysia, Professor Amara Diallo urged Thailand to free the Rohingya.") == []
    assert _all("In Bangkok, UNHCR urged Thailand to free the Rohingya.") == [
        ("urges", "unhcr", "thailand", "asserts")]
    assert _all("After a visit to Malaysia, the Thai government urged Myanmar to take back the Rohingya.") == [
        ("urges", "thailand", "myanmar", "asserts")]


def _harms(text):
    return [(c.subject, c.object) for c in extract(text, REG4, source_id="x") if c.predicate == "facesOnReturn"]


def test_a_harm_before_the_return_or_forbidden_by_law_is_no_consequence_of_it():
    assert _harms("The Rohingya were deported after two years of detention in Malaysia.") == []
    assert _harms("Malaysia deported the Rohingya, who had spent years in detention.") == []
    assert _harms("Torture was outlawed in Malaysia long after the Rohingya were deported.") == []
    assert _harms("The Rohingya were deported and then held in detention.") == [("rohingya", "detention")]


def test_people_not_returned_face_no_consequence_of_return():
    assert _harms("Uyghurs who were not deported remain in detention in Thailand.") == []
    assert _harms("Uyghurs who were deported remain in detention in China.") == [("uyghurs", "detention")]


REG4N = REG4 + (Entity("non-refoulement", "Obligation", "non-refoulement", ("principle of non-refoulement",)),)


def _breaches(text):
    return [(c.subject, c.object, c.stance) for c in extract(text, REG4N, source_id="x")
            if c.predicate in ("contravenes", "repatriates")]


def test_a_breach_or_an_act_under_a_condition_or_in_a_question_is_not_asserted():
    assert _breaches("If Malaysia deports the Rohingya, it will violate the principle of non-refoulement.") == []
    assert _breaches("Should Thailand return the Uyghurs, it would breach the principle of non-refoulement.") == []
    assert _breaches("Lawyers asked whether Malaysia's deportations breached the principle of non-refoulement.") == []
    assert _breaches("Malaysia deported the Rohingya in breach of the principle of non-refoulement.") == [
        ("malaysia-forced-repatriation", "non-refoulement", "asserts"), ("malaysia", "rohingya", "asserts")]


def test_the_people_an_act_is_done_to_come_before_a_relative_clause_or_a_reason():
    assert _all("Malaysian police arrested three lawyers who had represented the Rohingya.") == []
    assert _all("Thailand detained a monk for hiding Uyghurs in his temple.") == []
    assert _all("Malaysian police arrested 30 Rohingya who had crossed the border.") == [
        ("arrests", "malaysia", "rohingya", "asserts")]


def test_a_time_counted_from_an_event_is_no_statistic():
    text = "Malaysia deported 120 Rohingya in 2019, some 20 years after Thailand first returned Uyghurs."
    assert [c.value for c in extract(text, REG4, source_id="x") if c.predicate == "hasValue"] == [120]
    assert _harms("The Uyghurs deported in 2015 had spent 12 months in detention in Bangkok.") == []


def test_an_obligation_a_state_would_have_under_a_condition_is_not_asserted():
    bound = [(c.subject, c.object, c.stance) for c in extract(
        "If Thailand acceded to the Convention, it would be bound by the principle of non-refoulement.",
        REG4N, source_id="x") if c.predicate == "boundBy"]
    assert bound == []
    assert [(c.subject, c.object) for c in extract("Thailand is bound by the principle of non-refoulement.",
                                                   REG4N, source_id="x") if c.predicate == "boundBy"] == [
        ("thailand", "non-refoulement")]


def test_a_harm_as_a_topic_is_no_harm_faced_and_an_accusation_in_a_relative_clause_is_not_the_acts():
    assert _harms("The UN rapporteur on torture said the deported Rohingya had vanished.") == []
    assert _harms("Thailand deported the Uyghurs, and a report on detention in China followed.") == []
    found = [(c.predicate, c.stance) for c in extract(
        "Malaysia deported the Rohingya, whom Myanmar accuses of illegal entry.", REG4, source_id="x")]
    assert ("repatriates", "asserts") in found


REG4H = REG4 + (Entity("human-rights-watch", "NGO", "Human Rights Watch"),)


def test_two_registry_names_joined_by_and_are_each_linked_and_each_a_speaker():
    found = [(c.predicate, c.subject, c.object) for c in extract(
        "UNHCR and Human Rights Watch urged Malaysia to free the Rohingya.", REG4H, source_id="x")]
    assert found == [("urges", "human-rights-watch", "malaysia"), ("urges", "unhcr", "malaysia")]


def test_a_harm_of_another_people_in_a_clause_of_its_own_is_not_the_returneds():
    assert _harms("Malaysia deported the Rohingya, while Uyghurs in Malaysia face detention.") == []
    assert _harms("Malaysia deported the Rohingya, who now face detention in Myanmar.") == [("rohingya", "detention")]


def test_a_state_that_only_locates_the_people_does_not_classify_them():
    REGC = REG4 + (Entity("thailand-illegal-migrant-classification", "Policy", "Thailand's classification of Uyghurs"),)
    found = lambda t: [(c.predicate, c.subject) for c in extract(t, REGC, source_id="x")  # noqa: E731
                       if c.predicate in ("classifiesAs", "hasPolicy")]
    assert found("Most Uyghurs in Thailand are economic migrants, one scholar argues.") == []
    assert found("Thailand says the Uyghurs are illegal migrants.") == [
        ("classifiesAs", "thailand"), ("hasPolicy", "thailand")]


def test_in_the_passive_a_state_named_with_what_is_criticised_is_the_one_criticised():
    found = [(c.predicate, c.subject, c.object) for c in extract(
        "Malaysia's claim that the Rohingya are migrants was criticised by UNHCR.", REG4, source_id="x")
        if c.predicate == "condemns"]
    assert found == [("condemns", "unhcr", "malaysia")]
