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
