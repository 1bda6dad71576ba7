"""An overview's page in headless Chromium (views/html.py, OVERVIEW_EDGES, lowered here so that the
bundled network counts as large): what it draws at first, what a selection, a search and the
switch add, and that it still makes no request. (Its data: tests/test_overview.py.)"""

# ruff: noqa: F811 (the chrome fixture is imported, then named as a parameter)
from __future__ import annotations

import time

import pytest

from obligraph.graph.reasoning import to_store
from obligraph.views import html
from obligraph.views.html import page_json, to_html
from obligraph.views.network import to_network
from tests import browser
from tests.browser import chrome  # noqa: F401 (a fixture)
from tests.test_overview import THRESHOLD

pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs /usr/bin/chromium and chromedriver: run `make chromium`")
DRAWN_IDS = "return window.obligraph.network.body.edgeIndices.slice().sort()"


@pytest.fixture(scope="module")
def overview(chrome, bundled, tmp_path_factory):
    path = tmp_path_factory.mktemp("overview") / "obligraph.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "OVERVIEW_EDGES", THRESHOLD)
        page = to_html(to_network(to_store(bundled[1])))
    path.write_text(page, encoding="utf-8")
    browser.requests(chrome), browser.console_errors(chrome)
    browser.open_page(chrome, path)
    time.sleep(0.3)
    return {"data": page_json(page), "requests": browser.requests(chrome),
            "errors": browser.console_errors(chrome)}


def reset(chrome):
    chrome.execute_script("window.obligraphPage.every(false); window.obligraph.network.unselectAll();"
                          "window.obligraph.state.selected = null; window.obligraph.state.pinned = {};"
                          "window.obligraph.refresh();")


def test_it_opens_offline_with_the_overview_types_and_relations_only(chrome, overview):
    assert all(url.startswith(("file://", "data:")) for url in overview["requests"]), overview["requests"]
    assert overview["errors"] == []
    data = overview["data"]
    types = {n["id"]: n["group"] for n in data["nodes"]}
    drawn_nodes = chrome.execute_script("return window.obligraph.network.body.nodeIndices.slice()")
    assert drawn_nodes and {types[n] for n in drawn_nodes} <= set(html.OVERVIEW_TYPES)
    first = {e["id"] for e in data["edges"] if not e.get("minor")}
    drawn = set(chrome.execute_script(DRAWN_IDS))
    vis = {e["id"] for e in data["edges"]}
    assert drawn & vis <= first  # record rows aside, no minor relation is drawn
    assert chrome.execute_script("return document.getElementById('overview-note').textContent").startswith(
        "This graph is large, so the page opens as an overview")
    assert chrome.execute_script("return document.getElementById('type-Statistic').checked") is False
    assert chrome.execute_script("return document.getElementById('type-State').checked") is True


def test_a_selected_entity_draws_all_its_relations(chrome, overview):
    reset(chrome)
    data = overview["data"]
    minor = [e for e in data["edges"] if e.get("minor")]
    types = {n["id"]: n["group"] for n in data["nodes"]}
    # a state with a minor relation to another entity of the overview's types
    edge = next(e for e in minor if types[e["from"]] == "State" and types[e["to"]] in html.OVERVIEW_TYPES)
    assert edge["id"] not in chrome.execute_script(DRAWN_IDS)
    chrome.execute_script("window.obligraph.selectNode(arguments[0], false)", edge["from"])
    drawn = set(chrome.execute_script(DRAWN_IDS))
    mine = {e["id"] for e in data["edges"] if edge["from"] in (e["from"], e["to"])
            and types[e["from"]] in html.OVERVIEW_TYPES and types[e["to"]] in html.OVERVIEW_TYPES}
    assert edge["id"] in drawn and mine <= drawn
    chrome.execute_script("window.obligraph.network.unselectAll(); window.obligraph.network.emit('click', "
                          "{nodes: [], edges: []})")
    assert edge["id"] not in chrome.execute_script(DRAWN_IDS)  # drawn while selected only


def test_a_search_draws_a_hidden_type_and_the_switch_draws_every_relation(chrome, overview):
    reset(chrome)
    data = overview["data"]
    statistic = next(n["id"] for n in data["nodes"] if n["group"] == "Statistic")
    assert statistic not in chrome.execute_script("return window.obligraph.network.body.nodeIndices.slice()")
    assert chrome.execute_script("return window.obligraph.selectNode(arguments[0], false)", statistic)
    assert statistic in chrome.execute_script("return window.obligraph.network.body.nodeIndices.slice()")
    assert chrome.execute_script("return document.getElementById('type-Statistic').checked") is True
    chrome.execute_script("document.getElementById('types-all').click()")
    chrome.find_element("id", "every-switch").click()
    drawn = set(chrome.execute_script(DRAWN_IDS))
    assert {e["id"] for e in data["edges"]} <= drawn
    chrome.find_element("id", "every-switch").click()
    assert len(set(chrome.execute_script(DRAWN_IDS)) & {e["id"] for e in data["edges"]}) < len(data["edges"])


def test_a_relation_chosen_in_a_panel_is_drawn(chrome, overview):
    reset(chrome)
    chrome.execute_script("document.getElementById('types-all').click()")
    minor = next(e for e in overview["data"]["edges"] if e.get("minor"))
    assert minor["id"] not in chrome.execute_script(DRAWN_IDS)
    assert chrome.execute_script("return window.obligraph.selectEdge(arguments[0])", minor["id"])
    assert minor["id"] in chrome.execute_script(DRAWN_IDS)
    assert chrome.execute_script("return document.getElementById('panel-content').textContent")
