from __future__ import annotations

import pytest

from obligraph.errors import QuoteAmbiguousError, QuoteNotFoundError
from obligraph.corpus.locate import locate

TEXT = ("He said: “We urge every country to act.”\nThe  country\tagreed. The country agreed.\n"
        "Later the country agreed.")


def test_exact_match_gives_offsets_of_the_stored_text():
    span = locate(TEXT, "We urge every country")
    assert (span.start, span.end, span.method) == (10, 31, "exact")
    assert TEXT[span.start:span.end] == span.exact == "We urge every country"
    assert span.prefix == "He said: “"


def test_typographic_quotes_and_whitespace_are_tolerated_but_the_exact_span_is_kept():
    span = locate(TEXT, '"We urge every country to act."')
    assert span.method == "normalized"
    assert span.exact == "“We urge every country to act.”"
    span = locate(TEXT, "The country\nagreed. The")
    assert span.exact == "The  country\tagreed. The"
    assert TEXT[span.start:span.end] == span.exact


def test_ambiguous_quote_names_the_offsets_and_the_fix():
    with pytest.raises(QuoteAmbiguousError) as raised:
        locate(TEXT, "country agreed")
    assert "quote occurs 2 times" in str(raised.value)
    assert "occurrence: N" in str(raised.value)
    assert locate(TEXT, "country agreed", occurrence=2).start == TEXT.rindex("country agreed")


def test_missing_quote_says_where_it_diverges():
    with pytest.raises(QuoteNotFoundError) as raised:
        locate(TEXT, "We urge every nation to act")
    message = str(raised.value)
    assert "quote not found in the source text: 'We urge every nation to act'" in message
    assert "its first 14 characters match at offset 10" in message


def test_occurrence_out_of_range():
    with pytest.raises(QuoteAmbiguousError, match="occurrence: 3 asked for, but the quote occurs 2"):
        locate(TEXT, "country agreed", occurrence=3)


def test_a_finder_given_many_quotes_agrees_with_locating_each_alone():
    """QuoteFinder finds all of a source's quotes in one pass (an automaton from 16 quotes on):
    overlapping and repeated occurrences, normalized matches and the errors are those of one
    locate per quote."""
    from obligraph.corpus.locate import QuoteFinder
    quotes = ["We urge every country", "every country to act", '"We urge every country to act."',
              "The country\nagreed. The", "country agreed", "country", "Later the country agreed.",
              "agreed. The country", "He said", "said: “We", "nowhere in the text"]
    quotes += [TEXT[start:start + 12] for start in range(0, len(TEXT) - 12, 9)]
    assert len(set(quotes)) >= 16
    finder = QuoteFinder(TEXT, quotes)

    def outcome(find, quote, occurrence=None):
        try:
            return find(quote, occurrence=occurrence)
        except (QuoteAmbiguousError, QuoteNotFoundError) as error:
            return type(error).__name__, str(error)
    for quote in quotes:
        for occurrence in (None, 1, 2, 4):
            assert outcome(finder.locate, quote, occurrence) == outcome(
                lambda q, occurrence: locate(TEXT, q, occurrence=occurrence), quote, occurrence), quote
    assert finder.locate("country", occurrence=4).start == TEXT.rindex("country")
    assert outcome(finder.locate, "country")[1].startswith("quote occurs 4 times (offsets 24, 46, 66, 92)")
    assert [TEXT[at:at + 7] for at in (24, 46, 66, 92)] == ["country"] * 4
    assert finder.locate('"We urge every country to act."').method == "normalized"
