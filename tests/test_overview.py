"""A large graph's page opens as an overview (views/html.py, OVERVIEW_EDGES): the bundled
network with the threshold lowered so that it counts as large. What the page's data says is
tested here; what Chromium draws, in tests/test_overview_browser.py."""

from __future__ import annotations

import pytest

from obligraph.views import html
from obligraph.views.html import page_data, page_json, to_html
from tests.test_network import crowded, network, store  # noqa: F401 (fixtures)

# ruff: noqa: F811 (the fixtures are imported, then named as parameters)
THRESHOLD = 30  # of the bundled page's 274 relations drawn as vis edges (52 between OVERVIEW_TYPES)


@pytest.fixture(scope="module")
def overview(network):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "OVERVIEW_EDGES", THRESHOLD)
        return page_data(network), to_html(network)


def test_the_bundled_page_is_no_overview(network):
    data = page_data(network)
    assert data["overview"] is None
    assert not any(e.get("minor") for e in data["edges"])
    assert not any(t.get("hidden") for t in data["types"])
    assert "Overview" not in to_html(network)


def test_an_overview_draws_its_most_claimed_relations_between_its_types_first(overview, network):
    data, _ = overview
    assert data["overview"] == {"edges": THRESHOLD, "listMax": html.OVERVIEW_LIST_MAX,
                                "types": list(html.OVERVIEW_TYPES)}
    first = [e for e in data["edges"] if not e.get("minor")]
    assert len(first) == THRESHOLD and len(data["edges"]) == 274  # every relation still in the page
    claims = {e["id"]: data["details"]["edges"][e["id"]]["claimCount"] for e in data["edges"]}
    types = {n["id"]: n["group"] for n in data["nodes"]}

    def shown(e):
        return types[e["from"]] in html.OVERVIEW_TYPES and types[e["to"]] in html.OVERVIEW_TYPES
    ranked = sorted(data["edges"], key=lambda e: (not shown(e), -claims[e["id"]]))
    # no minor relation comes before a drawn one in the overview's order
    assert min(claims[e["id"]] for e in first if shown(e)) >= max(
        (claims[e["id"]] for e in data["edges"] if e.get("minor") and shown(e)), default=0)
    assert sum(1 for e in first if shown(e)) == min(THRESHOLD, sum(1 for e in ranked if shown(e)))
    hidden = {t["type"] for t in data["types"] if t.get("hidden")}
    assert hidden == {t["type"] for t in data["types"]} - set(html.OVERVIEW_TYPES)
    assert "Statistic" in hidden and "State" not in hidden


def test_an_overviews_lists_are_shorter_and_quotes_keep_their_offsets_without_context(network):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "OVERVIEW_EDGES", THRESHOLD)
        data = page_data(crowded(network))
    edge = data["details"]["edges"]["china|partyTo|refugee-convention-1951"]
    assert (len(edge["claims"]), edge["claimCount"]) == (html.OVERVIEW_LIST_MAX, 25)
    quotes = [q for c in data["details"]["claims"].values() for q in c["quotes"]]
    assert quotes and all(set(q) == {"exact", "start", "end"} for q in quotes)
    full = {c["id"]: c for _, _, d in network.edges(data=True) for c in d["claims"]}
    claim = data["details"]["claims"][edge["claims"][0]]
    original = full[html.CLAIM_BASE + claim["id"]]
    assert [(q["exact"], q["start"], q["end"]) for q in claim["quotes"]] == \
        [(q["exact"], q["start"], q["end"]) for q in original["quotes"]]


def test_an_overview_says_so_on_the_page(overview):
    data, page = overview
    assert page_json(page) == data
    assert ("This graph is large, so the page opens as an overview: the State, Treaty, Policy, "
            "IntergovernmentalOrganization, NGO, GovernmentBody, Obligation entities, with the "
            f"{THRESHOLD} relations that have the most claims.") in page
    assert f"Each list shows at most {html.OVERVIEW_LIST_MAX} claims" in page
    assert 'id="every-switch"' in page


def test_the_builds_page_of_an_overview_is_the_page_of_the_whole_network(network, store):
    """store_html makes the page from a BRIEF network and reads the claims it shows afterwards:
    the same bytes as the page of the whole network, an overview's too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "OVERVIEW_EDGES", THRESHOLD)
        page = html.store_html(store)
        assert page_json(page)["overview"] is not None
        assert page == to_html(network)
