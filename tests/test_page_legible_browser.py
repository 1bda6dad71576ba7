"""The bundled page in headless Chromium (Debian's chromium + chromedriver, `make chromium`): its
first view is legible, the record switch draws exactly the relations that rest on the depositary
record alone, and a state's panel lists its treaties from the record.

Labels are measured where vis-network itself puts them (each node's and edge's ``labelModule``:
``visible()`` and ``size``, in canvas coordinates, mapped to the page by ``canvasToDOM``), not
where the page reckons they are; the relations the switch governs are counted with SPARQL
(tests/test_network.sparql_record_layer)."""

# ruff: noqa: F811 (the chrome fixture is imported, then named as a parameter)
from __future__ import annotations

import time

import pytest

from obligraph.graph.reasoning import to_store
from obligraph.views.html import to_html
from obligraph.views.network import to_network
from tests import browser
from tests.browser import chrome  # noqa: F401 (a fixture)
from tests.test_network import OBID, RELATIONS, local, sparql_record_layer

pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs /usr/bin/chromium and chromedriver: run `make chromium`")

# every label vis-network draws, and every drawn node, in page pixels relative to the canvas
DRAWN = """
const net = window.obligraph.network, scale = net.getScale();
const frame = document.getElementById('network');
const box = (label) => {
  const s = label.size, a = net.canvasToDOM({x: s.left, y: s.top});
  const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
  return {left: a.x, top: a.y, right: b.x, bottom: b.y, px: label.fontOptions.size * scale};
};
const labels = [];
for (const id of net.body.nodeIndices) {
  const label = net.body.nodes[id].labelModule;
  if (label.visible()) labels.push(Object.assign({id: id, text: label.elementOptions.label}, box(label)));
}
for (const id of net.body.edgeIndices) {
  const label = net.body.edges[id].labelModule;
  if (label.visible()) labels.push(Object.assign({id: id, text: label.elementOptions.label}, box(label)));
}
const positions = net.getPositions(net.body.nodeIndices);
const nodes = net.body.nodeIndices.map(id => {
  const p = net.canvasToDOM(positions[id]);
  return {id: id, x: p.x, y: p.y, r: net.body.nodes[id].options.size * scale};
});
return {labels: labels, nodes: nodes, width: frame.clientWidth, height: frame.clientHeight, scale: scale};
"""


@pytest.fixture(scope="module")
def store(bundled):
    return to_store(bundled[1])


@pytest.fixture(scope="module")
def page(chrome, store, tmp_path_factory):
    """The bundled graph's page, loaded once, as it opens."""
    path = tmp_path_factory.mktemp("legible") / "obligraph.html"
    path.write_text(to_html(to_network(store)), encoding="utf-8")
    browser.requests(chrome), browser.console_errors(chrome)
    browser.open_page(chrome, path)
    time.sleep(0.5)  # the labels are chosen, then drawn
    return {"path": path, "opening": chrome.execute_script(DRAWN), "errors": browser.console_errors(chrome),
            "chrome": chrome}


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 \
                    and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


def test_at_the_opening_zoom_no_two_labels_overlap_and_nothing_is_cut_off(page):
    view = page["opening"]
    assert page["errors"] == []
    labels, width, height = view["labels"], view["width"], view["height"]
    assert len(labels) >= 25, "the page labels the entities that matter most"
    assert overlapping(labels) == []
    for label in labels:
        assert 0 <= label["left"] and label["right"] <= width and 0 <= label["top"] and label["bottom"] <= height, label
        assert label["px"] >= 11.5, "a label is as big on screen at any zoom"
    shown = {label["id"] for label in labels}
    assert {"china", "north-korea", "north-korean-refugees"} <= shown
    # a state the articles discuss is labelled unless a label ranked before it is in the way
    # (South Korea's, between the Refugee Convention's and Russia's, depends on the layout)
    chrome = page["chrome"]
    for state in ("south-korea", "united-states", "russia", "thailand"):
        box = chrome.execute_script("return window.obligraphPage.labelBox(arguments[0])", state)
        inside = 0 <= box["left"] and box["right"] <= width and 0 <= box["top"] and box["bottom"] <= height
        if not box["shown"] and inside:
            before = [b for b in (chrome.execute_script("return window.obligraphPage.labelBox(arguments[0])", other)
                                  for other in chrome.execute_script("return window.obligraphPage.labelled()"))
                      if b["rank"] < box["rank"]]
            assert overlapping([dict(box, text=state)] + [dict(b, text=b["id"]) for b in before]), state
    assert not any("|" in label["id"] for label in labels), "no relation is labelled before a node is selected"
    assert len(view["nodes"]) > 150
    for node in view["nodes"]:  # every drawn node inside the canvas, whole
        assert node["r"] <= node["x"] <= width - node["r"] and node["r"] <= node["y"] <= height - node["r"], node


def test_zooming_in_shows_more_labels_still_apart(chrome, page):
    chrome.execute_script("window.obligraph.network.moveTo({scale: arguments[0], animation: false});"
                          "window.obligraph.network.emit('zoom', {});", page["opening"]["scale"] * 2.5)
    time.sleep(0.5)
    view = chrome.execute_script(DRAWN)
    assert overlapping(view["labels"]) == []
    labelled_nodes = [label for label in view["labels"] if "|" not in label["id"]]
    assert len(labelled_nodes) > 0
    chrome.execute_script("window.obligraphPage.fit()")
    time.sleep(0.3)
    assert len(chrome.execute_script(DRAWN)["labels"]) == len(page["opening"]["labels"])


def test_a_selected_nodes_relations_are_labelled_where_they_have_room(chrome, page):
    assert chrome.execute_script("return window.obligraph.selectNode('china', false)")
    time.sleep(0.4)
    view = chrome.execute_script(DRAWN)
    assert overlapping(view["labels"]) == []
    edges = [label for label in view["labels"] if "|" in label["id"]]
    assert all(label["id"].startswith("china|") or label["id"].endswith("|china") for label in edges)
    chrome.find_element("id", "fit").click()
    time.sleep(0.3)
    assert not any("|" in label["id"] for label in chrome.execute_script(DRAWN)["labels"])


def relations(store) -> set[tuple[str, str, str]]:
    entities = {e.value for e, _ in store.query(
        "PREFIX obg: <https://w3id.org/obligraph/graph/> PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?e ?t WHERE { GRAPH obg:entities { ?e a ?t } "
        "GRAPH obg:ontology { ?t rdfs:subClassOf+ ob:Entity } }")}
    found = set()
    for query in RELATIONS:
        for s, p, o in store.query(query):
            if s.value in entities and o.value in entities:
                found.add((s.value.removeprefix(OBID), o.value.removeprefix(OBID), local(p.value)))
    return found


def drawn_ids(chrome) -> tuple[set, set]:
    return (set(chrome.execute_script("return window.obligraph.network.body.nodeIndices")),
            set(chrome.execute_script("return window.obligraph.network.body.edgeIndices")))


def test_the_record_switch_draws_exactly_the_record_only_relations(chrome, page, store):
    only, context = sparql_record_layer(store)
    everything = relations(store)
    edge_id = lambda key: f"{key[0]}|{key[2]}|{key[1]}"  # noqa: E731
    label = chrome.execute_script("return document.querySelector('.record-switch').textContent")
    assert label.strip() == f"Treaty participation from the record ({len(only)} relations)"
    chrome.find_element("id", "fit").click()
    assert chrome.execute_script("return document.getElementById('record-switch').checked") is False
    nodes, edges = drawn_ids(chrome)
    assert edges == {edge_id(k) for k in everything - only}
    assert not edges & {edge_id(k) for k in only} and {edge_id(k) for k in context} <= edges
    # an entity every relation of which is record-only is not drawn either
    related = {n for s, o, _ in everything for n in (s, o)}
    kept = {n for s, o, _ in everything - only for n in (s, o)}
    assert "afghanistan" in related - kept and "afghanistan" not in nodes
    assert kept <= nodes and not (related - kept) & nodes
    chrome.find_element("id", "record-switch").click()
    time.sleep(0.3)
    nodes_on, edges_on = drawn_ids(chrome)
    assert edges_on == {edge_id(k) for k in everything} and len(edges_on) == len(edges) + len(only)
    assert related <= nodes_on
    view = chrome.execute_script(DRAWN)  # refitted: still nothing cut off, labels apart
    assert overlapping(view["labels"]) == []
    for node in view["nodes"]:
        assert node["r"] <= node["x"] <= view["width"] - node["r"] and node["r"] <= node["y"] <= view["height"] - node["r"]
    counts = chrome.execute_script("""return [...document.querySelectorAll('#edge-filters li')].map(li =>
        [li.querySelector('input').id, +li.querySelector('.count').textContent])""")
    assert sum(n for _, n in counts) == len(everything)
    chrome.find_element("id", "record-switch").click()
    time.sleep(0.2)
    assert drawn_ids(chrome) == (nodes, edges)


def treaty_row(chrome, treaty: str) -> str:
    return chrome.execute_script(
        "const r = document.querySelector('#panel .treaty[data-treaty=\"' + arguments[0] + '\"]');"
        "return r ? r.textContent : null", treaty)


def test_chinas_panel_lists_its_treaties_from_the_record(chrome, page):
    assert chrome.execute_script("return window.obligraph.selectNode('china', false)")
    refugees = treaty_row(chrome, "refugee-convention-1951")
    assert "accession deposited 1982-09-24" in refugees and "entry into force 1982-12-23" in refugees
    assert "China,,24 Sep 1982 a" in refugees and "characters 806–826" in refugees
    assert "2 reservations or declarations" in refugees and "names 14; 16(3)" in refugees
    assert "binds it to Non-refoulement — Refugee Convention art. 33 · since 1982-12-23" in refugees
    iccpr = treaty_row(chrome, "iccpr-1966")
    assert "signed 1998-10-05 — not bound; duty not to defeat the object and purpose (VCLT art. 18)" in iccpr
    assert "deposited" not in iccpr and "binds it to" not in iccpr
    assert "entry into force 1988-11-03" in treaty_row(chrome, "convention-against-torture-1984")
    rows = chrome.execute_script("return document.querySelectorAll('#panel .treaty').length")
    assert rows == 20
    # every quote in the table shows where it is in its source
    quotes = chrome.execute_script("""return [...document.querySelectorAll('#panel .treaty blockquote')]
        .map(q => q.querySelector('.offsets') ? q.querySelector('.offsets').textContent : '')""")
    assert quotes and all("· characters " in q for q in quotes)


def test_a_record_only_relation_shows_the_states_row_and_a_record_only_state_turns_the_switch_on(chrome, page):
    assert chrome.execute_script("return window.obligraph.selectEdge('china|partyTo|crc-1989')")
    assert chrome.execute_script("return document.getElementById('record-switch').checked") is True
    panel = chrome.execute_script("return document.getElementById('panel').textContent")
    assert "depositary record" in panel and "drawn with the record switch" in panel
    assert "ratification deposited 1992-03-02" in panel and "entry into force 1992-04-01" in panel
    chrome.execute_script("window.obligraphPage.record(false)")
    assert chrome.execute_script("return window.obligraph.selectNode('afghanistan', true)")
    assert chrome.execute_script("return document.getElementById('record-switch').checked") is True
    assert "afghanistan" in drawn_ids(chrome)[0]
    assert "entry into force 2005-11-28" in treaty_row(chrome, "refugee-convention-1951")
    chrome.execute_script("window.obligraphPage.record(false)")
