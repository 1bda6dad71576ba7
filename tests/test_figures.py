"""A claim gives only the figures its quote writes — in any of the ways sources write them —
and a figure its words do not give ("Thousands" stored as 1000) stops the build."""

from __future__ import annotations

import pytest

from obligraph.corpus.checks import figures_in_quotes
from obligraph.errors import SchemaError


@pytest.mark.parametrize("number, quote", [
    (300000, "some 300,000 North Koreans"), (300000, "300000 people"), (1500000, "1.5 million people"),
    (500000, "half a million"), (2000000, "two million"), (5000000000, "$5bn in aid"),
    (25, "twenty-five women"), (41, "at least 41 people"), (11, "on the 11th day of her strike"),
    (1000, "a thousand people"), (12.5, "12.5 percent"), (7, "Seven were sent back"),
])
def test_a_figure_the_quote_writes_is_accepted(number, quote):
    figures_in_quotes([number], [quote], path="a.claims.yaml", where="claim 1")


@pytest.mark.parametrize("number, quote", [
    (1000, "Thousands have fled"), (41, "in 1941"), (1, "someone said"), (500, "5,000 people"),
])
def test_a_figure_the_quote_does_not_write_is_refused(number, quote):
    with pytest.raises(SchemaError) as refused:
        figures_in_quotes([number], [quote], path="a.claims.yaml", where="claim 1")
    assert str(refused.value).startswith(
        f"a.claims.yaml: claim 1: the figure {number} is not in the quote: a claim gives only the "
        "figures its source writes\n  → quote the words that give the figure")
