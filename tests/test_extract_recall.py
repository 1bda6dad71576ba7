"""Extraction recall (issue 21, third part): the kinds of sentence the rules missed on
tests/extraction/dev, unseen2 (now development material), t1–t3 and the bundled articles, each
asserted on the candidates a sentence of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract

from .conftest import extracted

REG = (Entity("china", "State", "China", ("Beijing", "Chinese authorities")),
       Entity("north-korea", "State", "North Korea", ("Pyongyang",)),
       Entity("russia", "State", "Russia"), Entity("mongolia", "State", "Mongolia"),
       Entity("laos", "State", "Laos"), Entity("vietnam", "State", "Vietnam"),
       Entity("kenya", "State", "Kenya"), Entity("somalia", "State", "Somalia"),
       Entity("greece", "State", "Greece"),
       Entity("north-korean-refugees", "Group", "North Korean refugees",
              ("North Koreans", "refugees", "defectors")),
       Entity("somali-refugees", "Group", "Somali refugees", ("Somalis",)),
       Entity("migrants-greece", "Group", "migrants in Greece", ("migrants",)),
       Entity("china-forced-repatriation", "Policy", "China's forced repatriation of North Koreans"))


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def test_phrasal_verbs_of_removal_are_repatriations():
    assert _found("Last year Kenya forced back about 300 Somalis at the border.", "repatriates") == [
        ("kenya", "somali-refugees", "asserts")]
    assert _found("Greek coastguards pushed the migrants back towards the Turkish shore.", "repatriates",
                  REG + (Entity("greece-x", "State", "Greek coastguards"),)) == [
        ("greece-x", "migrants-greece", "asserts")]
    assert _found("Kenya handed 40 Somalis to militia commanders at the crossing.", "repatriates") == [
        ("kenya", "somali-refugees", "asserts")]
    # handing over something that is not people is no repatriation
    assert _found("Kenya handed a protest note to Somalia.", "repatriates") == []


def test_a_counted_group_in_words_follows_return():
    text = ("Few North Korean defectors stay in the north. "
            "Mongolia, where many defectors first arrive, has returned hundreds of them over the years.")
    assert _found(text, "repatriates") == [("mongolia", "north-korean-refugees", "asserts")]
    # a figure that counts something else is not the people returned
    assert _found("Mongolia returned hundreds of letters to Pyongyang.", "repatriates") == []


def test_states_coordinated_at_the_head_of_a_clause_are_each_a_subject():
    text = "Vietnam and Laos, both on the route south, have detained North Koreans and sent them back."
    assert sorted(_found(text, "repatriates")) == [("laos", "north-korean-refugees", "asserts"),
                                                    ("vietnam", "north-korean-refugees", "asserts")]
    assert sorted(_found(text, "arrests")) == [("laos", "north-korean-refugees", "asserts"),
                                                ("vietnam", "north-korean-refugees", "asserts")]
    # a state named after a preposition is not coordinated with the subject
    one = "Refugees from Somalia and Kenya's own citizens were deported by Greece."
    assert {s for s, _, _ in _found(one, "repatriates")} <= {"greece"}


HARMS = REG + (Entity("torture", "Harm", "torture"), Entity("death", "Harm", "death"),
               Entity("detention", "Harm", "detention", ("detained",)),
               Entity("forced-labour", "Harm", "forced labour"),
               Entity("prison-camp-detention", "Harm", "detention in a prison camp", ("prison camps",)),
               Entity("sexual-violence", "Harm", "sexual violence"))


def _faces(text):
    return sorted((c.subject, c.object) for c in extract(text, HARMS, source_id="x")
                  if c.predicate == "facesOnReturn")


def test_a_harm_named_by_its_verb():
    text = "Somalis sent back by Kenya have been detained, tortured and in some cases killed."
    assert _faces(text) == [("somali-refugees", "death"), ("somali-refugees", "detention"),
                            ("somali-refugees", "torture")]


def test_after_their_return_introduces_what_the_returned_face():
    text = ("Kenya expelled 200 Somalis in March. "
            "After their return, they were held in camps and made to do forced labour.")
    assert _faces(text) == [("somali-refugees", "forced-labour")]


def test_the_people_returned_may_be_named_only_in_the_sentence_after():
    text = ("Aid workers say that returnees face torture at the hands of militias. "
            "Since January, Kenya has deported 3,000 Somalis.")
    assert _faces(text) == [("somali-refugees", "torture")]


def test_a_sentence_that_goes_on_about_the_returned_people():
    text = ("Greece sent back 50 migrants by boat. "
            "Those found with smugglers' phones were detained for weeks; others faced torture.")
    assert _faces(text) == [("migrants-greece", "detention"), ("migrants-greece", "torture")]
    subset = ("Kenya sent back 60 Somalis last week. "
              "Children among them risk sexual violence in the camps, the agency said.")
    assert _faces(subset) == [("somali-refugees", "sexual-violence")]
    assert [c.predicate for c in extract(subset, HARMS, source_id="x")
            if c.object == "sexual-violence"] == ["facesOnReturn"]  # not also `faces`
    # what happened before the return, told in the pluperfect, is not a consequence of it
    before = ("Kenya sent back 60 Somalis last week. "
              "Most had been detained for months before the flight.")
    assert _faces(before) == []


OBLIGATIONS = REG + (Entity("non-refoulement", "Obligation", "non-refoulement", ("principle of non-refoulement",)),
                     Entity("right-to-seek-asylum", "Obligation", "the right to seek asylum",
                            ("right to seek asylum",)),
                     Entity("kenya-forced-repatriation", "Policy", "Kenya's forced return of Somalis"))


def _breaches(text):
    return sorted((c.subject, c.object) for c in extract(text, OBLIGATIONS, source_id="x")
                  if c.predicate == "contravenes")


def test_a_breach_is_of_the_state_whose_policy_it_is():
    # Somalia is nearer the trigger, but the returns (and the policy) are Kenya's
    text = "Kenya deported 300 Somali nationals to Somalia, in what lawyers called a breach of non-refoulement."
    assert _breaches(text) == [("kenya-forced-repatriation", "non-refoulement")]


def test_an_act_called_refoulement_breaches_non_refoulement():
    text = ("Kenya is sending families back to a war zone. "
            "\"This is refoulement, whatever Kenya calls it,\" the lawyers said.")
    assert _breaches(text) == [("kenya-forced-repatriation", "non-refoulement")]


def test_this_duty_is_the_obligation_the_sentence_before_names():
    text = ("Kenya has ratified treaties that protect the right to seek asylum. "
            "Deporting people before they can apply violates this duty as well as the principle of non-refoulement.")
    assert _breaches(text) == [("kenya-forced-repatriation", "non-refoulement"),
                               ("kenya-forced-repatriation", "right-to-seek-asylum")]


def _labels(text):
    return sorted((c.subject, c.object, c.value) for c in extract(text, REG, source_id="x")
                  if c.predicate == "classifiesAs")


def test_a_label_in_quotation_marks_is_a_classification():
    assert _labels("Kenyan officials have branded Somalis \u201cterror suspects\u201d for years.") == [
        ("kenya", "somali-refugees", "terror suspects")]
    text = "Mongolia rarely speaks of them. Pyongyang has called the defectors \"traitors to the nation\"."
    assert _labels("North Korean defectors reach Mongolia. " + text) == [
        ("north-korea", "north-korean-refugees", "traitors to the nation")]
    # a quoted sentence or a title is no label
    assert _labels("Kenya called Somalis back, saying \"They are safe now.\"") == []
    assert _labels("Kenya described Somalis in a report called \"Safe Return Home Now\".") == []


def test_the_people_classified_may_be_those_last_named():
    text = ("Kenya hosts many Somalis in Dadaab. "
            "Kenya has long insisted that the people it detains are illegal immigrants.")
    assert _labels(text) == [("kenya", "somali-refugees", "illegal immigrants")]


def test_a_date_counted_from_the_date_before():
    registry = REG + (Entity("cat", "Treaty", "Convention against Torture"),
                      Entity("crc", "Treaty", "Convention on the Rights of the Child"))
    text = ("Kenya acceded to the Convention on the Rights of the Child in 1990, and it ratified the "
            "Convention against Torture seven years later.")
    dates = sorted((c.object, c.mode, c.date) for c in extract(text, registry, source_id="x")
                   if c.predicate == "partyTo")
    assert dates == [("cat", "ratification", "1997"), ("crc", "accession", "1990")]
    text = "Laos signed the Convention against Torture in 2010 and ratified it the following year."
    assert ("cat", "ratification", "2011") in {(c.object, c.mode, c.date) for c in extract(
        text, registry, source_id="x") if c.predicate == "partyTo"}


def test_an_opening_by_phrase_has_the_main_clauses_subject():
    text = "By expelling Somalis without a hearing, Kenya broke its own asylum law."
    assert _found(text, "repatriates") == [("kenya", "somali-refugees", "asserts")]
    # "the government" is the state the sentence before is about, not the last one named
    text = ("Kenya sent a note to Somalia. Aid groups were alarmed. "
            "After deporting 90 Somalis last month, the government promised a review.")
    assert _found(text, "repatriates") == [("kenya", "somali-refugees", "asserts")]


def test_returning_anyone_to_torture_is_non_refoulement():
    registry = REG + (Entity("cat", "Treaty", "Convention against Torture"),
                      Entity("cat-art-3", "TreatyProvision", "article 3 of the Convention against Torture"),
                      Entity("non-refoulement", "Obligation", "non-refoulement"))
    text = "Article 3 of the Convention against Torture forbids sending anyone to a State where they would be tortured."
    assert [(c.subject, c.object) for c in extract(text, registry, source_id="x")
            if c.predicate == "establishesObligation"] == [("cat-art-3", "non-refoulement")]


def test_a_possessive_state_inside_a_capitalised_phrase_is_the_agent():
    registry = REG + (Entity("kenya-forced-repatriation", "Policy", "Kenya's forced return of Somalis"),)
    text = "Aid workers met at the Nairobi Forum on Kenya's policy of forced repatriation of Somali refugees."
    found = extract(text, registry, source_id="x")
    assert [(c.subject, c.object) for c in found if c.predicate == "hasPolicy"] == [
        ("kenya", "kenya-forced-repatriation")]
    # the noun names the policy; it reports no act of return
    assert [c for c in found if c.predicate == "repatriates"] == []
    gerund = "Kenya has a policy of forcibly repatriating Somali refugees."
    assert _found(gerund, "repatriates", registry) == [("kenya", "somali-refugees", "asserts")]


ORGS = REG + (Entity("united-nations", "IntergovernmentalOrganization", "United Nations", ("UN",)),
              Entity("amnesty", "NGO", "Amnesty International"))


def _urges(text):
    return sorted((c.subject, c.object) for c in extract(text, ORGS, source_id="x") if c.predicate == "urges")


def test_the_experts_and_they_refer_back_to_the_organisation_named_with_them():
    text = ("UN human rights experts said on Monday that Kenya had returned 300 Somalis. "
            "The experts are concerned by the conditions in the camps. "
            "They called on Kenya to suspend the returns.")
    assert _urges(text) == [("united-nations", "kenya")]


def test_it_after_a_sentence_closed_by_the_group_added_is_the_group():
    text = ("Amnesty International said Kenya had returned 300 Somalis. "
            "North Korean defectors were not affected, the group added. "
            "It called on Kenya to suspend the returns.")
    assert _urges(text) == [("amnesty", "kenya")]


def test_he_is_the_person_the_sentence_before_opens_with():
    registry = ORGS + (Entity("jane-doe", "Person", "Jane Doe"),)
    text = "Jane Doe, a lawyer in Nairobi, said that Kenya had returned 300 Somalis. She called on Kenya to stop."
    assert [(c.subject, c.object) for c in extract(text, registry, source_id="x") if c.predicate == "urges"] == [
        ("jane-doe", "kenya")]


def test_a_quantity_opening_a_sentence_is_not_part_of_a_name():
    from obligraph.extract.candidates import extract_all
    text = "Thousands of Somalis crossed into Kenya. Hundreds of North Koreans reach Mongolia every year."
    linked = {(text[m.start:m.end], m.entity) for m in extract_all(text, REG, source_id="x").mentions}
    assert {("Somalis", "somali-refugees"), ("North Koreans", "north-korean-refugees")} <= linked


def test_a_report_named_by_year_and_publisher_in_another_order():
    registry = ORGS + (Entity("hrc", "IntergovernmentalOrganization", "UN Human Rights Committee",
                              ("Human Rights Committee",)),
                       Entity("hrc-report-2019", "Report", "Human Rights Committee annual report (2019)",
                              ("2019 U.N. Human Rights Committee report",)))
    text = "The 2019 report of the UN Human Rights Committee found that Kenya had returned 300 Somalis."
    found = extract(text, registry, source_id="x")
    assert [(c.subject, c.object, c.date) for c in found if c.predicate == "publishes"] == [
        ("hrc", "hrc-report-2019", "2019")]
