"""The interactive page in headless Chromium (Debian's chromium + chromedriver, `make chromium`):
offline, counts match the RDF, evidence on click, search and filters, and source text never runs.
One page load per fixture, one browser per module. (The first view's legibility, the record
switch and a state's treaties: tests/test_page_legible_browser.py.)"""

# ruff: noqa: F811 (the chrome fixture is imported, then named as a parameter)
from __future__ import annotations

import re
import time

import pytest

from obligraph.views.html import to_html
from obligraph.views.network import to_network
from obligraph.graph.reasoning import to_store
from tests import browser, xss_corpus
from tests.browser import chrome  # noqa: F401 (a fixture)
from tests.test_network import ENTITIES, RELATIONS, OBID, record_row, rows

pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs /usr/bin/chromium and chromedriver: run `make chromium`")


@pytest.fixture(scope="module")
def bundled_page(chrome, bundled, tmp_path_factory):
    """The bundled graph's page (what graph/obligraph.html holds), loaded once."""
    path = tmp_path_factory.mktemp("page") / "obligraph.html"
    path.write_text(to_html(to_network(to_store(bundled[1]))), encoding="utf-8")
    browser.requests(chrome), browser.console_errors(chrome)  # drop anything from before
    seconds = browser.open_page(chrome, path)
    time.sleep(0.3)
    return {"path": path, "seconds": seconds, "requests": browser.requests(chrome),
            "errors": browser.console_errors(chrome)}


def text_of(chrome, selector: str) -> str:
    return chrome.execute_script("return document.querySelector(arguments[0]).textContent", selector)


def test_loads_offline_without_console_errors(bundled_page):
    assert bundled_page["requests"], "the performance log recorded nothing"
    assert all(url.startswith(("file://", "data:")) for url in bundled_page["requests"]), bundled_page["requests"]
    assert bundled_page["errors"] == []
    assert bundled_page["seconds"] < 10


def test_drawn_nodes_and_edges_equal_the_graphs_entities_and_relations(chrome, bundled_page, bundled):
    """With the record switch on, every entity and every relation (off: tests/test_page_legible_browser.py)."""
    dataset = bundled[1]
    entities = {str(e) for e, _, _ in rows(dataset, ENTITIES)}
    relations = {(s, p, o) for query in RELATIONS for s, p, o in rows(dataset, query)
                 if str(s) in entities and str(o) in entities}
    chrome.execute_script("window.obligraphPage.record(true)")
    drawn = chrome.execute_script("return window.obligraph.drawn()")
    chrome.execute_script("window.obligraphPage.record(false)")
    assert drawn == {"nodes": len(entities), "edges": len(relations)}
    assert chrome.execute_script("return window.obligraph.drawn().edges") < len(relations) / 10
    labels = chrome.execute_script("return window.obligraph.nodes.get().map(n => [n.id, n.title])")
    expected = {str(e).removeprefix(OBID): str(label) for e, label, _ in rows(dataset, ENTITIES)}
    assert all(title.startswith(expected[node][:40]) for node, title in labels)


def test_legend_search_and_filters_are_on_the_page(chrome, bundled_page):
    legend = text_of(chrome, "#legend")
    for word in ("State", "Treaty", "Obligation", "Potential breaches"):
        assert word in legend
    assert chrome.find_element("id", "search").is_displayed()
    options = chrome.execute_script("return [...document.querySelectorAll('#source-filter option')].map(o => o.value)")
    assert "003_503d341e454f2bd7" in options


def test_selecting_china_shows_its_claims_with_a_forced_repatriation_quote(chrome, bundled_page):
    assert chrome.execute_script("return window.obligraph.selectNode('china', false)")
    panel = text_of(chrome, "#panel")
    assert panel.strip().startswith("China")
    assert "China has a policy of forcibly repatriating North Korean refugees" in panel
    assert "potentially breaches" in panel and "China’s Role" in panel
    marks = chrome.execute_script("return [...document.querySelectorAll('#panel mark')].map(m => m.textContent)")
    assert any("forcibly repatriating" in m for m in marks)


def test_an_edge_shows_disagreeing_claims_side_by_side(chrome, bundled_page):
    assert chrome.execute_script("return window.obligraph.selectEdge('china|partyTo|refugee-convention-1951')")
    sides = chrome.execute_script("""return [...document.querySelectorAll('#panel .disagreement .sides')]
        .map(p => [...p.children].map(c => [c.getBoundingClientRect().left, c.querySelector('.says').textContent]))""")
    assert sides and all(len(s) == 2 and s[0][0] < s[1][0] for s in sides)  # two sides, side by side
    assert [says for _, says in sides[0]] == ["says 1951 (1)", "says 1982 (2)"]
    assert "1982-09-24" in text_of(chrome, "#panel")


def test_search_by_alias_jumps_to_the_entity(chrome, bundled_page):
    from selenium.webdriver.common.keys import Keys
    box = chrome.find_element("id", "search")
    box.clear()
    box.send_keys("PRC", Keys.ENTER)
    assert chrome.execute_script("return document.getElementById('panel-content').dataset.id") == "china"
    assert chrome.execute_script("return window.obligraph.network.getSelectedNodes()") == ["china"]


def test_filters_hide_types_sources_and_inferred_breaches(chrome, bundled_page):
    drawn = lambda: chrome.execute_script("return window.obligraph.drawn()")  # noqa: E731
    total = drawn()
    chrome.find_element("id", "kind-breach").click()
    assert drawn()["edges"] == total["edges"] - 4  # China's two and North Korea's, China's by kind
    chrome.find_element("id", "kind-breach").click()
    chrome.find_element("id", "type-Statistic").click()
    assert drawn()["nodes"] == total["nodes"] - 23
    chrome.find_element("id", "type-Statistic").click()
    chrome.execute_script("""const s = document.getElementById('source-filter');
        s.value = '003_503d341e454f2bd7'; s.dispatchEvent(new Event('change'));""")
    filtered = drawn()
    assert 0 < filtered["nodes"] < total["nodes"] and 0 < filtered["edges"] < total["edges"]
    chrome.execute_script("""const s = document.getElementById('source-filter');
        s.value = ''; s.dispatchEvent(new Event('change'));""")
    assert drawn() == total


def test_screenshot_of_the_bundled_graph(chrome, bundled_page, tmp_path):
    chrome.execute_script("window.obligraph.selectEdge('china|potentiallyBreaches|non-refoulement')")
    out = tmp_path / "obligraph.png"
    assert chrome.save_screenshot(str(out))
    assert out.stat().st_size > 20_000


@pytest.fixture(scope="module")
def xss_page(chrome, tmp_path_factory):
    import obligraph
    root = tmp_path_factory.mktemp("xss")
    corpus = xss_corpus.write(root)
    _, dataset = obligraph.assemble(paths=corpus.paths)
    path = root / "page.html"
    path.write_text(to_html(to_network(to_store(dataset))), encoding="utf-8")
    browser.requests(chrome), browser.console_errors(chrome)
    browser.open_page(chrome, path)
    return {"requests": browser.requests(chrome), "errors": browser.console_errors(chrome)}


def test_markup_in_sources_is_shown_literally_and_runs_nothing(chrome, xss_page):
    assert xss_page["errors"] == []
    assert all(url.startswith(("file://", "data:")) for url in xss_page["requests"]), xss_page["requests"]
    chrome.execute_script("window.obligraph.selectNode('arcadia', false)")
    time.sleep(0.2)
    panel = text_of(chrome, "#panel")
    assert xss_corpus.LABEL in panel
    assert xss_corpus.IMG in panel  # the alias and the curator's note
    assert xss_corpus.QUOTE.split(" in 1990")[0].removeprefix("Arcadia acceded ") in panel
    assert re.search(re.escape(xss_corpus.TITLE), panel)
    chrome.execute_script("window.obligraph.selectEdge('arcadia|partyTo|refugee-convention-1951')")
    time.sleep(0.2)
    assert chrome.execute_script("return typeof window.__xss") == "undefined"
    assert chrome.execute_script("return document.querySelectorAll('img').length") == 0
    assert chrome.execute_script("return document.querySelectorAll('script').length") == 3
    from selenium.common.exceptions import NoAlertPresentException
    with pytest.raises(NoAlertPresentException):
        chrome.switch_to.alert.text


def test_a_crowded_edge_shows_the_first_claims_and_names_the_query_for_the_rest(chrome, bundled, tmp_path):
    from obligraph.views.html import PAGE_LIST_MAX
    from tests.test_network import crowded
    path = tmp_path / "crowded.html"
    path.write_text(to_html(crowded(to_network(to_store(bundled[1])))), encoding="utf-8")
    browser.open_page(chrome, path)
    assert chrome.execute_script("return window.obligraph.selectEdge('china|partyTo|refugee-convention-1951')")
    panel = text_of(chrome, "#panel")
    assert "25 claims (25 assert) from" in panel
    assert f"… and {25 - PAGE_LIST_MAX} more claims: obligraph query evidence-for --param entity=china lists them all" in panel
    cards = chrome.execute_script("return [...document.querySelectorAll('#panel-content > .claim')].map(c => c.textContent)")
    record = record_row(to_network(to_store(bundled[1])).edges["china", "refugee-convention-1951", "partyTo"])
    assert len(cards) == PAGE_LIST_MAX and record["sourceTitle"] in cards[0] and "China,,24 Sep 1982 a" in cards[0]


DENIED_EDGE = "china|enacts|china-national-asylum-legislation"  # a source says China has no asylum law
CHINA_EDGE = "china|partyTo|refugee-convention-1951"


def drawn_edge(chrome, edge_id: str):
    """What vis-network draws for an edge: its label (None: not drawn now), its relation's
    label, dashes, arrowhead and colour (None: not drawn)."""
    return chrome.execute_script("""const e = window.obligraph.network.body.edges[arguments[0]];
        if (!e || !window.obligraph.network.body.edgeIndices.includes(arguments[0])) return null;
        return {label: e.labelModule.visible() ? e.options.label : null,
                text: window.obligraph.edges.get(arguments[0]).text, dashes: e.options.dashes,
                arrow: e.options.arrows.to.type, color: e.options.color.color};""", edge_id)


def test_a_denied_relation_is_drawn_and_labelled_unlike_an_asserted_one(chrome, bundled_page):
    """A source says China has no national asylum legislation: the arrow is labelled "not
    enacts", crimson and dashed, ending in a bar; China's party-to arrow is not."""
    chrome.find_element("id", "fit").click()  # nothing selected, hidden or faded
    assert drawn_edge(chrome, DENIED_EDGE) == {"label": None, "text": "not enacts", "dashes": [6, 3], "arrow": "bar",
                                               "color": "#c2255c"}
    assert drawn_edge(chrome, CHINA_EDGE) == {"label": None, "text": "party to", "dashes": False, "arrow": "arrow",
                                              "color": "#8a96a3"}
    # selected, and zoomed in on, the legislation's one relation is labelled as drawn
    assert chrome.execute_script("return window.obligraph.selectNode('china-national-asylum-legislation', false)")
    chrome.execute_script("""const net = window.obligraph.network;
        const p = net.getPositions(['china', 'china-national-asylum-legislation']);
        const a = p['china'], b = p['china-national-asylum-legislation'];
        net.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}, scale: 1.2, animation: false});
        net.emit('zoom', {});""")
    time.sleep(0.4)
    assert drawn_edge(chrome, DENIED_EDGE)["label"] == "not enacts"
    assert chrome.execute_script("return window.obligraph.selectEdge(arguments[0])", DENIED_EDGE)
    assert text_of(chrome, "#panel h2") == "China — not enacts → China's national asylum legislation"
    assert text_of(chrome, "#panel .meta").startswith("denied1 claim (1 denies) from 1 source")
    assert chrome.execute_script("return window.obligraph.selectNode('china', false)")
    summary = chrome.execute_script("""return [...document.querySelectorAll('#panel details.relation > summary')]
        .map(s => s.textContent).filter(t => t.includes("China's national asylum legislation"))""")
    assert summary == ["not enacts → China's national asylum legislation denied1 claim"]
    chrome.find_element("id", "fit").click()


def test_the_legend_splits_relations_by_stance_and_each_can_be_hidden(chrome, bundled_page):
    chrome.find_element("id", "fit").click()
    entries = chrome.execute_script("""return [...document.querySelectorAll('#edge-filters li')]
        .map(li => [li.querySelector('input').id, li.querySelector('span').textContent])""")
    assert [name for name, _ in entries][:5] == ["kind-asserted", "kind-disputed", "kind-alleged", "kind-denied",
                                                 "kind-recommended"]
    assert dict(entries)["kind-denied"] == "Denied (“not …”)"
    drawn = lambda: chrome.execute_script("return window.obligraph.drawn()")["edges"]  # noqa: E731
    total = drawn()
    for stance in ("asserted", "disputed", "alleged", "denied", "recommended"):  # record switch off
        count = chrome.execute_script("""return window.obligraph.edges.get({filter: e => e.legend === arguments[0]
            && (!e.record || e.context)}).length""", stance)
        shown = int(chrome.execute_script(
            "return document.getElementById(arguments[0]).closest('label').querySelector('.count').textContent",
            "kind-" + stance))
        assert count == shown > 0
        chrome.find_element("id", "kind-" + stance).click()
        assert drawn() == total - count
        if stance == "denied":
            assert drawn_edge(chrome, DENIED_EDGE) is None and drawn_edge(chrome, CHINA_EDGE) is not None
        chrome.find_element("id", "kind-" + stance).click()
    assert drawn() == total


def test_a_conclusion_resting_on_a_curators_reading_says_so(chrome, bundled, tmp_path):
    """ob:restsOnCuratorReading on a conclusion (network: curatorReading) puts a note in its
    block; none where it is absent."""
    import copy
    plain = to_network(to_store(bundled[1]))
    breach = plain.edges["china", "non-refoulement", "potentiallyBreaches"]
    for conclusion in breach["conclusions"]:
        conclusion.pop("curatorReading", None)
    marked = copy.deepcopy(plain)
    marked.edges["china", "non-refoulement", "potentiallyBreaches"]["conclusions"][0]["curatorReading"] = True
    for name, graph in (("plain.html", plain), ("marked.html", marked)):
        path = tmp_path / name
        path.write_text(to_html(graph), encoding="utf-8")
        browser.open_page(chrome, path)
        assert chrome.execute_script("return window.obligraph.selectEdge('china|potentiallyBreaches|non-refoulement')")
        notes = chrome.execute_script("return [...document.querySelectorAll('#panel .conclusion .note.reading')]"
                                      ".map(n => n.textContent)")
        assert notes == ([] if name == "plain.html" else
                         ["Rests on a curator’s reading of a source, not on an author’s own statement."])


def test_without_decompression_stream_the_panel_says_why(chrome, tmp_path):
    """The page's data is gzipped (html.embed): a browser without DecompressionStream cannot
    read it, and the panel says so rather than staying blank."""
    import obligraph
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import SmallCorpus
    _, dataset = obligraph.assemble(paths=SmallCorpus(tmp_path / "corpus").paths)
    page = to_html(to_network(to_store(dataset)))
    path = tmp_path / "old-browser.html"
    path.write_text(page.replace("<title>", "<script>delete window.DecompressionStream;</script><title>", 1),
                    encoding="utf-8")
    chrome.get(path.as_uri())
    WebDriverWait(chrome, 10).until(lambda c: c.execute_script("return document.body && document.body.dataset.error"))
    assert text_of(chrome, "#panel-content").startswith(
        "This browser cannot open the page’s data: it has no DecompressionStream (Chrome or Edge 80")
    assert chrome.execute_script("return [document.body.dataset.ready || null, typeof window.obligraph]") == [
        None, "undefined"]
    assert any("This browser cannot open the page" in e for e in browser.console_errors(chrome))  # uncaught
    # the same page as built opens
    path.write_text(page, encoding="utf-8")
    browser.open_page(chrome, path)
    assert chrome.execute_script("return document.body.dataset.error || null") is None
    assert browser.console_errors(chrome) == []


def test_a_hash_naming_an_entity_opens_its_panel(chrome, bundled_page):
    """/graph#china, as the query page links an entity: China selected and its panel shown on load,
    and another entity's on a new hash."""
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.get(bundled_page["path"].resolve().as_uri() + "#china")
    WebDriverWait(chrome, 20).until(lambda c: c.execute_script("return document.body.dataset.ready === 'true'"))
    assert chrome.execute_script("return document.getElementById('panel-content').dataset.id") == "china"
    assert chrome.execute_script("return window.obligraph.network.getSelectedNodes()") == ["china"]
    assert text_of(chrome, "#panel").strip().startswith("China")
    chrome.execute_script("location.hash = 'hillary-clinton'")
    WebDriverWait(chrome, 5).until(lambda c: c.execute_script(
        "return document.getElementById('panel-content').dataset.id") == "hillary-clinton")
    chrome.execute_script("location.hash = 'no-such-entity'")  # nothing named: the panel stays
    assert chrome.execute_script("return window.obligraph.network.getSelectedNodes()") == ["hillary-clinton"]
