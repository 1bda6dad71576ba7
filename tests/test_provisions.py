"""The rule-based reader of the provisions a reservation or declaration names
(obligraph.corpus.provisions): the forms it reads, what it skips, and real depositary texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from obligraph.corpus.provisions import ProvisionRef, declaration_blocks, provisions_named

DECLARATIONS = Path(__file__).resolve().parents[1] / "sources/reference/untc-2015/declarations"


def refs(text: str, **kw) -> list[tuple]:
    """(article, paragraph, subparagraph) of each provision named, in order."""
    return [(r.article, r.paragraph, r.subparagraph) for r in provisions_named(text, **kw)]


def block(key: str, state: str) -> str:
    text = (DECLARATIONS / f"{key}.txt").read_text(encoding="utf-8")
    (found,) = [b.text for b in declaration_blocks(text) if b.state == state]
    return found


# --- each form, alone ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("article 14", [("14", None, None)]),
    ("Article 1", [("1", None, None)]),
    ("article 16 (3)", [("16", "3", None)]),
    ("article 16(3)", [("16", "3", None)]),
    ("article 16 (1) (c)", [("16", "1", "c")]),
    ("paragraph 1 of article 30", [("30", "1", None)]),
    ("paragraph 1 of the article 28", [("28", "1", None)]),
    ("paragraph 1of the article 42", [("42", "1", None)]),
    ("article 30, paragraph 1", [("30", "1", None)]),
    ("paragraph 1, article 40", [("40", "1", None)]),
    ("articles 7, 13, 15, 18 and 24",
     [("7", None, None), ("13", None, None), ("15", None, None), ("18", None, None),
      ("24", None, None)]),
    ("articles 20 and 30", [("20", None, None), ("30", None, None)]),
    ("paragraphs 1 and 2 of article 30", [("30", "1", None), ("30", "2", None)]),
    ("article 17, paragraphs 1 and 2", [("17", "1", None), ("17", "2", None)]),
    ("article 14 para 1", [("14", "1", None)]),
    ("Article 104 para. 2", [("104", "2", None)]),
    ("paragraph l of article 30", [("30", "1", None)]),
    ("article l", [("1", None, None)]),
    ("paragraphs l, 2, and 3 of article 25", [("25", "1", None), ("25", "2", None), ("25", "3", None)]),
    ("article IV", [("IV", None, None)]),
    ("articles I and II", [("I", None, None), ("II", None, None)]),
    ("article VII (2)", [("VII", "2", None)]),
    ("arts. 7 and 24", [("7", None, None), ("24", None, None)]),
    ("articles 2 to 5", [(str(n), None, None) for n in range(2, 6)]),
    ("articles 36-46", [(str(n), None, None) for n in range(36, 47)]),
    ("articles 1 through 3", [("1", None, None), ("2", None, None), ("3", None, None)]),
    ("articles 10-12 and 16", [("10", None, None), ("11", None, None), ("12", None, None),
                               ("16", None, None)]),
    ("sub-paragraph (b) of paragraph 1 of article 24", [("24", "1", "b")]),
    ("subparagraphs 3 (b) and (d) of article 14", [("14", "3", "b"), ("14", "3", "d")]),
    ("sub-paragraph 1(b) of article 8", [("8", "1", "b")]),
    ("Article 24, paragraph 1, subparagraph (b)", [("24", "1", "b")]),
    ("articles 7 (paragraph 2), 15, 22 (paragraph 1)",
     [("7", "2", None), ("15", None, None), ("22", "1", None)]),
    ("articles 9 (5) and 14 (6)", [("9", "5", None), ("14", "6", None)]),
    ("article 16 (1) (c) (d) (f) and (g)",
     [("16", "1", "c"), ("16", "1", "d"), ("16", "1", "f"), ("16", "1", "g")]),
    ("article 2, paragraphs (a) to (c)", [("2", None, "a"), ("2", None, "b"), ("2", None, "c")]),
    ("articles 5 (d) (viii) and (ix)", [("5", None, "d(viii)"), ("5", None, "d(ix)")]),
    ("sub-paragraph (i) of paragraph (a) of article 7", [("7", None, "a(i)")]),
    ("article 24.2, to mean", [("24", "2", None)]),
    ("Article (9), Paragraph (5)", [("9", "5", None)]),
    ("articles 2, 7, 28 paragraph 1 (a) and 37",
     [("2", None, None), ("7", None, None), ("28", "1", "a"), ("37", None, None)]),
    ("article 10, paragraph 2 (b) and 3", [("10", "2", "b"), ("10", "3", None)]),
])
def test_each_form_is_read(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("article 30 and paragraph 2 of the same article", [("30", None, None), ("30", "2", None)]),
    ("article 30 ... paragraph 1 thereof", [("30", None, None), ("30", "1", None)]),
    ("article 5; the same article, paragraph 1 (c) and para graph 1 (a)",
     [("5", None, None), ("5", "1", "c"), ("5", "1", "a")]),
    ("article 12 and paragraphs 1 to 3 of this article",
     [("12", None, None), ("12", "1", None), ("12", "2", None), ("12", "3", None)]),
    ("paragraph 2 of article 17 with the substitution in subparagraph (a)",
     [("17", "2", None), ("17", "2", "a")]),
    ("article 9, paragraph 2 and paragraph 2 of the said article 10", [("9", "2", None),
                                                                      ("10", "2", None)]),
])
def test_an_article_less_phrase_takes_the_last_article_named(text, expected):
    assert refs(text) == expected


def test_nothing_resolves_an_article_less_phrase_before_any_article_or_above():
    assert refs("paragraph 2 of the same article; paragraph 3 (c)") == []
    assert refs("article 9 as set out in paragraph 2 above") == [("9", None, None)]


def test_duplicates_are_kept_once_at_their_first_mention():
    text = "article 20 of the Convention ... Article 20 ... paragraph 1 of article 20"
    found = provisions_named(text)
    assert [(r.article, r.paragraph) for r in found] == [("20", None), ("20", "1")]
    assert found[0].start == 0


def test_offsets_cover_the_phrase_and_a_list_shares_one_span():
    text = "as regards articles 7, 13 and 24 of the Convention and paragraph 1 of article 30."
    found = provisions_named(text)
    assert [text[r.start:r.end] for r in found] == (
        ["articles 7, 13 and 24"] * 3 + ["paragraph 1 of article 30"])
    assert found[0] == ProvisionRef("7", None, None, 11, 32)


# --- what is not a provision of the treaty -------------------------------------------------

@pytest.mark.parametrize("text", [
    "adopted in 1984 by resolution 39/46, as amended in 1992",
    "articles 1984 and 1985",
    "Section 7 of the Constitution",
    "Article 1 of the Constitution",
    "article 42 of its Political Constitution",
    "article 3 of the Inter-American Convention to Prevent and Punish Torture",
    "article 13 of the Covenant on Economic, Social and Cultural Rights",
    "articles 18, 19 and 20 of the Universal Declaration of Human Rights",
    "Article 103 of the Charter of the United Nations",
    "paragraphs 1 and 3 of article 48 of the International Covenant on Civil and Political Rights",
    "article 206 et seq. of the Family Code",
    "article 205, number 30, of the Constitution of the Republic",
    "under the Charter (in particular, under Articles 1, 2 and 73 thereof)",
    "paragraph 15 in conjunction with paragraph 65 (c) of the Austrian Nationality Act",
    "paragraphs 10 and 11 of the preamble",
    "Article 334-6 of the Civil Code, Article 334-6.",
    "Armed Forces Regulations Volume 1, Article 6.01 (1) (c)",
])
def test_years_domestic_law_and_other_instruments_are_not_provisions(text):
    assert refs(text) == []


def test_the_treatys_own_references_are_kept():
    assert refs("article 20 of the Convention, article 5 of the present Convention, article 1 of"
                " this Protocol, article 6 of the Covenant, article 22 of the Convention of 1951"
                ) == [("20", None, None), ("5", None, None), ("1", None, None),
                      ("6", None, None), ("22", None, None)]
    assert refs("article 1 of the Convention to the extent that") == [("1", None, None)]


def test_a_full_title_is_another_instrument_unless_named_as_the_treatys_own():
    text = "article 3 of the Convention against Torture and Other Cruel, Inhuman Treatment"
    assert refs(text) == []
    assert refs(text, own_titles=("Convention against Torture",)) == [("3", None, None)]


def test_phrases_joined_by_and_share_the_skip_of_the_last():
    text = "articles 7, 17 and 34 and paragraph 1 of article 12 of the Convention relating to X"
    assert refs(text) == []
    assert refs(text, own_titles=("Convention relating to X",)) == [
        ("7", None, None), ("17", None, None), ("34", None, None), ("12", "1", None)]


def test_after_another_instruments_article_a_bare_paragraph_is_not_resolved():
    text = "article 5 of the Convention; article 25 of the Egyptian civil code, paragraph 2"
    assert refs(text) == [("5", None, None)]


# --- real depositary texts -----------------------------------------------------------------

def test_china_cat():
    text = block("4-9", "China")
    assert "as provided for in article 20 of the Convention" in text
    assert "bound by paragraph l of article 30" in text  # a scraped "1"
    assert refs(text) == [("20", None, None), ("30", "1", None)]


def test_afghanistan_cat_the_article_and_the_same_article():
    assert refs(block("4-9", "Afghanistan")) == [
        ("28", "1", None), ("20", None, None), ("30", "2", None), ("30", "1", None)]


def test_austria_cat_paragraphs_of_article_5_and_a_scraped_para_graph():
    text = block("4-9", "Austria")
    assert "para graph 1 (a)" in text
    assert refs(text) == [("5", None, None), ("5", "1", "c"), ("5", "1", "a"), ("5", "1", "b"),
                          ("15", None, None)]


def test_botswana_cat_article_1_but_not_section_7_of_its_constitution():
    text = block("4-9", "Botswana")
    assert "Section 7 of the Constitution" in text
    assert refs(text) == [("1", None, None)]


def test_united_states_cat_reservations_understandings_and_a_range():
    found = refs(block("4-9", "United States of America"))
    assert found[:5] == [("16", None, None), ("30", "2", None), ("30", "1", None),
                         ("1", None, None), ("3", None, None)]  # the understanding on article 3
    assert found[5:] == [(str(n), None, None) for n in (14, 10, 11, 12, 13, 2, 4, 5, 6, 7, 8, 9,
                                                          15)]  # "articles 10-14", "1 through 16"


def test_united_states_iccpr():
    found = refs(block("4-4", "United States of America"))
    assert found[:16] == [
        ("20", None, None), ("7", None, None), ("15", "1", None), ("10", "2", "b"),
        ("10", "3", None), ("14", "4", None), ("2", "1", None), ("26", None, None),
        ("4", "1", None), ("9", "5", None), ("14", "6", None), ("10", "2", "a"),
        ("14", "3", "b"), ("14", "3", "d"), ("14", "3", "e"), ("14", "7", None)]
    # "paragraph 3 (e)" and "paragraph 7" alone are article 14's, the last named
    assert ("6", None, None) in found and ("28", None, None) not in found  # articles 1 through 27
    assert found[-3:] == [("5", "2", None), ("19", "3", None), ("47", None, None)]


@pytest.mark.parametrize("state, expected", [
    ("China", [("14", None, None), ("16", "3", None)]),
    ("Botswana", [("7", None, None), ("17", None, None), ("26", None, None), ("31", None, None),
                  ("32", None, None), ("34", None, None), ("12", "1", None)]),
    # "article 25 of the Egyptian civil code" and "this article (25) of the civil code" skipped
    ("Egypt", [("12", "1", None), ("20", None, None), ("22", "1", None), ("23", None, None),
               ("24", None, None)]),
    ("Chile", [("34", None, None), ("17", "2", "a"), ("17", "2", "c")]),
    ("Jamaica", [("8", None, None), ("9", None, None), ("17", "2", None), ("17", "2", "a"),
                 ("17", "2", "c"), ("24", "1", "b"), ("24", "2", None), ("25", "1", None),
                 ("25", "2", None), ("25", "3", None)]),
    ("Austria", [("17", "1", None), ("17", "2", None), ("22", "1", None), ("23", None, None),
                 ("25", "2", None), ("25", "3", None)]),
])
def test_refugee_convention_reservations(state, expected):
    assert refs(block("5-2", state)) == expected


def test_protocol_roman_articles_and_the_conventions_articles_through_article_i():
    assert refs(block("5-5", "Angola")) == [("VII", "1", None), ("IV", None, None)]
    assert refs(block("5-5", "Peru")) == [("I", "1", None), ("II", None, None)]
    botswana = block("5-5", "Botswana")
    assert refs(botswana) == [("IV", None, None), ("I", None, None)]  # "of the Convention
    # relating to the Status of Refugees" is, for the Protocol, another instrument's title ...
    assert refs(botswana, own_titles=("Convention relating to the Status of Refugees",)) == [
        ("IV", None, None), ("I", None, None), ("7", None, None), ("17", None, None),
        ("26", None, None), ("31", None, None), ("32", None, None), ("34", None, None),
        ("12", "1", None)]  # ... unless the caller says it counts
    assert refs(block("5-5", "United States of America")) == [
        ("I", None, None), ("29", None, None), ("24", "1", "b")]


# --- declaration_blocks --------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(DECLARATIONS.glob("*.txt")), ids=lambda p: p.stem)
def test_one_block_per_state_line_with_exact_offsets(path):
    text = path.read_text(encoding="utf-8")
    blocks = declaration_blocks(text)
    headers = [line[1:] for line in text.splitlines() if line.startswith("#")]
    assert [b.state for b in blocks] == headers
    for b in blocks:
        assert text[b.start:b.end] == b.text
        assert b.text == b.text.strip() and "\n#" not in b.text
    assert sum(bool(b.text) for b in blocks) == sum(
        bool(chunk.partition("\n")[2].strip()) for chunk in text.split("\n#"))


def test_china_cat_block_and_an_empty_block():
    text = (DECLARATIONS / "4-9.txt").read_text(encoding="utf-8")
    blocks = {b.state: b for b in declaration_blocks(text)}
    china = blocks["China"]
    assert china.text.startswith('"(1) The Chinese Government does not recognize the competence')
    assert china.text.endswith('bound by paragraph l of article 30 of the Convention."')
    assert text[china.start - len("#China\n"):china.start] == "#China\n"
    belarus = blocks["Belarus"]
    assert belarus.text == "" and belarus.start == belarus.end
    assert text[:belarus.start].endswith("#Belarus\n")


def test_blocks_of_a_small_text():
    text = "#A\nfirst text\n\n#B\n\n\n#C\nsecond\nline\n"
    assert declaration_blocks(text) == (
        ("A", 3, 13, "first text"), ("B", 18, 18, ""), ("C", 23, 34, "second\nline"))
