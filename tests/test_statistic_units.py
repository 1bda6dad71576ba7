"""What a figure counts: people named by whose they are ("1,086 Myanmar nationals", "500 North
Korean defectors") or by a people's plural ("300 Afghans") count persons, not "myanmar"."""

from __future__ import annotations

import pytest

from obligraph.corpus.model import Entity
from obligraph.extract.candidates import extract_all

REG = (Entity("malaysia", "State", "Malaysia"),)


@pytest.mark.parametrize("text, figures", [
    ("Malaysia deported 1,086 Myanmar nationals on Tuesday.", [(1086, "person")]),
    ("Malaysia returned 300 Afghans last year.", [(300, "person")]),
    ("Malaysia deported 120 Iraqis and 45 Uzbeks.", [(120, "person"), (45, "person")]),
])
def test_a_figure_of_people_named_by_whose_they_are_counts_persons(text, figures):
    found = extract_all(text, REG, source_id="x").candidates
    assert [(c.value, c.unit) for c in found if c.predicate == "hasValue"] == figures
