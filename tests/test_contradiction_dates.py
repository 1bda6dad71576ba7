"""Rule 40 compares dates at the precision each claim gives: "1990" and 1990-05-01 agree, 1990-04
and 1990-05-01 do not, 1990-05-01 and 1990-05-02 do not — and "1989" disagrees with all of them."""

from __future__ import annotations

import textwrap

import pytest

import obligraph
from obligraph.graph.outputs import merged

ENTITIES = """\
- {id: arcadia, type: State, label: Arcadia}
- {id: refugee-convention-1951, type: Treaty, label: Refugee Convention}
"""


def _disputed_dates(root, dates: list[str]) -> int:
    """How many date contradictions rule 40 finds among one article per date, each saying that
    Arcadia became party to the Convention on that date."""
    sources = root / "sources"
    (sources / "articles").mkdir(parents=True)
    (sources / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    for number, date in enumerate(dates):
        name = f"a{number}"
        sentence = f"Arcadia became party to the Refugee Convention on {date}."
        (sources / "articles" / f"{name}.txt").write_text(sentence + "\n", encoding="utf-8")
        (sources / "articles" / f"{name}.meta.yaml").write_text(
            f"kind: article\ntext: {name}.txt\ntitle: Article {name}\n", encoding="utf-8")
        (sources / "articles" / f"{name}.claims.yaml").write_text(textwrap.dedent(f"""\
            - subject: arcadia
              predicate: partyTo
              object: refugee-convention-1951
              date: "{date}"
              quote: "{sentence}"
            """), encoding="utf-8")
    _, dataset = obligraph.assemble(paths=obligraph.Paths(sources=sources))
    rows = merged(dataset).query("""
        PREFIX ob: <https://w3id.org/obligraph/ontology#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ob:Contradiction ; ob:aspect "date" }""")
    return int(next(iter(rows))[0])


@pytest.mark.parametrize("dates, disputed", [
    (["1990", "1990-05-01"], 0),
    (["1990-05", "1990-05-01", "1990"], 0),
    (["1990-04", "1990-05-01"], 1),
    (["1990-05-01", "1990-05-02"], 1),
    (["1990", "1990-04", "1990-05"], 1),
    (["1989", "1990-05-01"], 1),
], ids=["year-and-day", "month-day-year", "months", "days", "year-and-two-months", "years"])
def test_dates_are_compared_at_the_coarser_precision(tmp_path, dates, disputed):
    assert _disputed_dates(tmp_path, dates) == disputed


@pytest.mark.parametrize("dates, sides", [
    (["1951", "1982", "1982-09-24"], [("1951", 1), ("1982", 2)]),  # the record's day on 1982's side
    (["1990-04", "1990-05-01", "1990-05"], [("1990-04", 1), ("1990-05", 2)]),
    (["1990-05-02", "1990-05-01"], [("1990-05-01", 1), ("1990-05-02", 1)]),
])
def test_the_page_shows_the_sides_at_the_precision_that_tells_them_apart(dates, sides):
    from obligraph.views.stances import sides_of as _sides
    assert [(s["says"], len(s["claims"])) for s in _sides("date", [{"date": d} for d in dates])] == sides
