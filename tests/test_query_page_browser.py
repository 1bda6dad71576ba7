"""`obligraph serve`'s query page (YASGUI, vendored) in headless Chromium (Debian's chromium +
chromedriver, `make chromium`): a named query's parameter is bound by a VALUES block opening the
WHERE group, as `obligraph query` binds it (obligraph/answer/query.py with_values_first), and only
while the query's text is as loaded; the rows shown are the command line's, IRIs shown as their
labels (the IRI on hover, an entity linked to the network page); a value that is neither an entity
id nor an IRI is refused before anything is sent; a syntax error's message shown and its line
marked; every request the page makes goes to its own origin.
One real server (a free port, the bundled graph) and one browser per module."""

# ruff: noqa: F811 (the chrome fixture is imported, then named as a parameter)
from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.answer.endpoint import make_http_server
from obligraph.answer.query import (XSD_BOOLEAN, XSD_DATE, library, parameter_boolean, parameter_date, resolve,
                                    values_clause,
                                    with_values_first)
from obligraph.answer.results import _label
from obligraph.answer.sparqlhelp import QUERY_PREFIXES
from obligraph.errors import QueryError
from obligraph.graph.rdf import OBID
from obligraph.graph.store import load_store
from tests import browser
from tests.browser import chrome  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs /usr/bin/chromium and chromedriver: run `make chromium`")

TIMEOUT = 30


@pytest.fixture(scope="module")
def server():
    http, _ = make_http_server(port=0)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    http.server_close()


@pytest.fixture
def page(chrome, server):
    """The query page freshly loaded (YASGUI drawn); the DevTools logs emptied."""
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.get(server + "/")
    WebDriverWait(chrome, TIMEOUT).until(lambda c: c.execute_script("return document.body.dataset.ready === 'true'"))
    chrome.get_log("performance"), browser.console_errors(chrome)
    return chrome


def choose(chrome, name: str, **values: str) -> None:
    """Pick a named query (its tab opens, its parameter inputs appear) and fill them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    Select(chrome.find_element(By.ID, "picker")).select_by_value(name)
    WebDriverWait(chrome, TIMEOUT).until(
        lambda c: all(c.find_elements(By.ID, "param-" + parameter) for parameter in values))
    for parameter, value in values.items():
        chrome.find_element(By.ID, "param-" + parameter).send_keys(value)


def run(chrome) -> str:
    """Click the active tab's run button (YASQE's) and wait for the status line to settle; its text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.execute_script("document.getElementById('status').textContent = ''")
    button = chrome.execute_script(
        "return [...document.querySelectorAll('.yasqe_queryButton')].find(b => b.offsetParent !== null)")
    button.click()
    WebDriverWait(chrome, TIMEOUT).until(lambda c: c.find_element(By.ID, "status").text not in ("", "running…"))
    return chrome.find_element(By.ID, "status").text


def _requests(chrome) -> list[dict]:
    found = []
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            found.append(message["params"]["request"])
    return found


def _body(request: dict) -> str:
    body = request.get("postData") or "".join(part.get("bytes", "") for part in request.get("postDataEntries", []))
    if request.get("headers", {}).get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        return parse_qs(body)["query"][0]  # YASQE POSTs a form, query=…
    return body


def posted_queries(chrome, labels: bool = False) -> list[str]:
    """The queries POSTed to /sparql since the last look (DevTools performance log): the user's,
    or (``labels``) the page's own look-ups of the labels of a result's IRIs."""
    bodies = [_body(r) for r in _requests(chrome) if r["url"].endswith("/sparql") and r["method"] == "POST"]
    return [b for b in bodies if b.startswith("# the labels of a result's IRIs") == labels]


def table(chrome) -> tuple[list[str], list[list[str]]]:
    """The active tab's result table: its head, and each cell's value (an IRI cell's IRI, the one
    shown on hover; a literal's text)."""
    return chrome.execute_script("""
        const table = [...document.querySelectorAll('table.obligraph-results')].find(t => t.offsetParent !== null);
        if (!table) return [[], []];
        return [[...table.tHead.rows[0].cells].map(c => c.textContent),
                [...table.tBodies[0].rows].map(r => [...r.cells].map(c => c.title || c.textContent))];""")


def shown(chrome) -> list[list[dict]]:
    """What the active tab's table shows in each cell: its text, its title (hover), its link."""
    return chrome.execute_script("""
        const table = [...document.querySelectorAll('table.obligraph-results')].find(t => t.offsetParent !== null);
        return [...table.tBodies[0].rows].map(r => [...r.cells].map(c => ({
            text: c.textContent, title: c.title, href: c.querySelector('a') ? c.querySelector('a').getAttribute('href') : null})));""")


def cli_rows(name: str, **params: str) -> tuple[list[str], list[list[str]]]:
    """`obligraph query NAME --param … --format json`: (variables, rows of values, '' if unbound)."""
    arguments = ["query", name, "--format", "json"]
    for key, value in params.items():
        arguments += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = data["head"]["vars"]
    return names, [[row[v]["value"] if v in row else "" for v in names] for row in data["results"]["bindings"]]


def test_evidence_for_binds_the_entity_first_and_shows_the_command_lines_rows(page):
    choose(page, "evidence-for", entity="hillary-clinton")
    status = run(page)
    head, rows = table(page)
    names, expected = cli_rows("evidence-for", entity="hillary-clinton")
    assert status == f"{len(expected)} rows", status
    assert head == names and sorted(rows) == sorted(expected) and len(rows) >= 3
    clinton = str(OBID["hillary-clinton"])
    urges = [row for row in rows if row[names.index("predicate")].endswith("#urges")]
    assert urges and all(row[names.index("subject")] == clinton for row in urges)
    assert all(row[names.index("entity")] == clinton for row in rows)

    [posted] = posted_queries(page)
    text = resolve("evidence-for").text
    assert posted == with_values_first(text, {"entity": ox.NamedNode(clinton)}), "as the command line binds it"
    where = text.index("WHERE {") + len("WHERE {")
    assert posted == f"{text[:where]} VALUES ?entity {{ <{clinton}> }}{text[where:]}"
    assert posted.count("VALUES") == 1
    assert browser.console_errors(page) == []


@pytest.mark.parametrize("value", ["not an id!", "China", "ftp://example.org/x", "<https://w3id.org/x>"])
def test_a_value_neither_id_nor_iri_is_refused_with_the_pages_message(page, value):
    from selenium.webdriver.common.by import By
    choose(page, "evidence-for", entity=value)
    status = run(page)
    assert status == f"entity: {json.dumps(value)} is not an entity id (e.g. china) or an IRI"
    assert page.find_element(By.ID, "status").get_attribute("class") == "error"
    assert posted_queries(page) == [] and posted_queries(page, labels=True) == [], "nothing is sent"


def test_an_iri_value_is_bound_as_given(page):
    iri = str(OBID["hillary-clinton"])
    choose(page, "evidence-for", entity=iri)
    run(page)
    [posted] = posted_queries(page)
    assert posted == with_values_first(resolve("evidence-for").text, {"entity": ox.NamedNode(iri)})
    assert table(page)[1], "rows shown"


# Text the lexer must read right: `{` in strings (all four kinds, an escaped quote), comments and
# IRIs before the WHERE group, a projection's EXISTS { … } in brackets, `?a < ?b` (no IRI),
# escaped keywords, forms other than SELECT/ASK and parameters the text never names (trailing).
TRICKY = [
    'SELECT ?x ("{" AS ?brace) (EXISTS { ?x ?p "}" } AS ?e) # a { in a comment\nWHERE { ?x ?p ?o }',
    "SELECT ?x ('{' AS ?b) ('''{\n'''AS ?c) (\"\"\"{ \"quoted\" }\"\"\" AS ?d) WHERE{?x ?p ?o}",
    'SELECT ?x ("a \\" {" AS ?s) WHERE { ?x ?p ?o }',
    "PREFIX ex: <urn:ex:{no}> SELECT ?x WHERE { ?x ex:p ?o }",
    "PREFIX ex: <urn:ex:a#b> # PREFIX { \nBASE <urn:base/>\nselect ?x where { ?x ex:p ?o }",
    "SELECT ?x ?a ?b WHERE { ?x ?p ?a . ?x ?q ?b FILTER(?a < ?b && ?b > ?a) }",
    "SELECT ?x (?a < ?b AS ?less) WHERE { ?x ?p ?a }",
    "SELECT $x WHERE { $x ?p ?o }",
    "ASK { ?x ?p ?o }",
    "\\u0053ELECT ?x WHERE { ?x ?p ?o }",
    "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
    "DESCRIBE ?x WHERE { ?x ?p ?o }",
    "SELECT ?y WHERE { ?y ?p ?o }",
    "SELECT ?x WHERE { ?x ?p '?x' }",
    "SELECT ?x",
    "SELECT ?é ?x WHERE { ?x ?p ?é }",
    "SELECT ?x WHERE { ?x ?p ?o.\n}",
    "SELECT ?x WHERE { ?x ex:p. ?o }",
    "SELECT ?x ((1) AS ?one) WHERE { { ?x ?p ?o } UNION { ?o ?p ?x } }",
    "SELECT ?x WHERE { ?x a ?o.SERVICE <urn:s> { ?x ?p ?o } }",  # ?o "." SERVICE: names ?x
    "SELECT ?o WHERE { ?s ex:a.b ?x.y }",  # ex:a.b is one name, ?x.y is ?x "." y: names ?x
]


def test_the_page_binds_tricky_text_exactly_as_the_command_line(page):
    iris = {"x": "https://w3id.org/obligraph/id/china"}
    nodes = {name: ox.NamedNode(iri) for name, iri in iris.items()}
    for text in TRICKY:
        expected = with_values_first(text, nodes) or f"{text}\n{values_clause(nodes)}\n"
        got = page.execute_script("return window.obligraphQuery.withValues(arguments[0], arguments[1])", text, iris)
        assert got == expected, text
    first = page.execute_script("return window.obligraphQuery.withValues(arguments[0], arguments[1])", TRICKY[0], iris)
    assert first.startswith(TRICKY[0].split("WHERE {")[0] + "WHERE { VALUES ?x { <https://w3id.org/obligraph/id/china> }")
    two = {"x": "urn:x", "a": "urn:a"}
    got = page.execute_script("return window.obligraphQuery.withValues(arguments[0], arguments[1])", TRICKY[5], two)
    assert got == with_values_first(TRICKY[5], {k: ox.NamedNode(v) for k, v in two.items()})
    assert "{ VALUES (?a ?x) { (<urn:a> <urn:x>) }" in got
    assert page.execute_script("return window.obligraphQuery.withValues('SELECT ?x WHERE { }', {})") == "SELECT ?x WHERE { }"


def test_every_named_query_is_bound_as_the_command_line_binds_it(page):
    for query in library():
        for parameter in query.parameters:
            if parameter.type == "date":
                value, term = {"literal": "1990-01-01", "datatype": XSD_DATE.value}, parameter_date("1990-01-01", "d")
            elif parameter.type == "boolean":
                value = {"literal": "false", "datatype": XSD_BOOLEAN.value, "type": "boolean"}
                term = parameter_boolean("false", "b")
            else:
                value = str(OBID["china"])
                term = ox.NamedNode(value)
            expected = with_values_first(query.text, {parameter.name: term})
            got = page.execute_script("return window.obligraphQuery.withValuesFirst(arguments[0], arguments[1])",
                                      query.text, {parameter.name: value})
            assert got == expected and got is not None, (query.name, parameter.name)


# --- a date parameter ------------------------------------------------------------------------------

def set_date(driver, name: str, value: str) -> None:
    """Fill a date input as a user's picker does (typing into one depends on the locale)."""
    driver.execute_script("const input = document.getElementById(arguments[0]); input.value = arguments[1];"
                          "input.dispatchEvent(new Event('input', {bubbles: true}));", "param-" + name, value)


def test_a_date_parameter_is_a_date_input_bound_as_an_xsd_date(page):
    from selenium.webdriver.common.by import By
    choose(page, "obligations-by-state")
    asof = page.find_element(By.ID, "param-asof")
    assert asof.get_attribute("type") == "date"
    assert page.find_element(By.CSS_SELECTOR, "label[for=param-asof]").text == "asof (date)"
    assert page.find_element(By.ID, "param-state").get_attribute("type") == "text"
    names, every = cli_rows("obligations-by-state")
    sinces = sorted({row[names.index("since")] for row in every})
    day = sinces[len(sinces) // 2]
    set_date(page, "asof", day)
    status = run(page)
    head, rows = table(page)
    names, expected = cli_rows("obligations-by-state", asof=day)
    assert status == f"{len(expected)} rows", status
    assert head == names and rows == expected and 0 < len(rows) < len(every)
    assert all(row[names.index("since")] <= day for row in rows)
    [posted] = posted_queries(page)
    assert posted == with_values_first(resolve("obligations-by-state").text, {"asof": parameter_date(day, "asof")})
    assert f'VALUES ?asof {{ "{day}"^^<{XSD_DATE.value}> }}' in posted

    page.find_element(By.ID, "param-state").send_keys("china")
    status = run(page)
    [posted] = posted_queries(page)
    assert posted == with_values_first(resolve("obligations-by-state").text, {
        "asof": parameter_date(day, "asof"), "state": ox.NamedNode(str(OBID["china"]))})
    assert table(page)[1] == cli_rows("obligations-by-state", asof=day, state="china")[1]
    assert browser.console_errors(page) == []


def test_a_boolean_parameter_is_a_choice_bound_as_an_xsd_boolean(page):
    """policy-conflicts' curatorReadings: a select of (not set), true, false; false leaves out
    the conflicts resting on a curator's reading, as the command line does."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    choose(page, "policy-conflicts")
    field = page.find_element(By.ID, "param-curatorReadings")
    assert field.tag_name == "select"
    assert [o.text for o in Select(field).options] == ["(not set)", "true", "false"]
    assert page.find_element(By.CSS_SELECTOR, "label[for=param-curatorReadings]").text == "curatorReadings (boolean)"
    Select(field).select_by_value("false")
    status = run(page)
    names, expected = cli_rows("policy-conflicts", curatorReadings="false")
    assert status == f"{len(expected)} rows", status
    assert table(page) == [names, expected] and 0 < len(expected) < len(cli_rows("policy-conflicts")[1])
    [posted] = posted_queries(page)
    assert f'VALUES ?curatorReadings {{ "false"^^<{XSD_BOOLEAN.value}> }}' in posted
    assert posted == with_values_first(resolve("policy-conflicts").text,
                                       {"curatorReadings": parameter_boolean("false", "curatorReadings")})
    assert browser.console_errors(page) == []


def test_the_page_reads_a_date_as_the_command_line_does(page):
    """The page's check of a date is the command line's: the same days accepted and refused."""
    for value in ["1982-12-23", "2016-02-29", "2000-02-29", "0001-01-01", "2015-02-29", "1900-02-29",
                  "2015-04-31", "2015-13-01", "0000-01-01", "2015-3-14", "14/03/2015", "2015-03-14Z", ""]:
        got = page.execute_script("return window.obligraphQuery.calendarDay(arguments[0], arguments[1])",
                                  value, XSD_DATE.value)
        try:
            expected = {"literal": parameter_date(value, "asof").value, "datatype": XSD_DATE.value}
        except QueryError:
            expected = None
        assert got == expected, value


def test_a_bad_date_or_a_date_no_leading_values_can_bind_is_refused(page):
    from selenium.webdriver.common.by import By
    choose(page, "obligations-by-state")
    page.execute_script("document.getElementById('param-asof').type = 'text'")  # a browser without date inputs
    page.find_element(By.ID, "param-asof").send_keys("2015-02-30")
    assert run(page) == 'asof: "2015-02-30" is not a date: write the date as YYYY-MM-DD'
    assert posted_queries(page) == [], "nothing is sent"
    literal = {"asof": {"literal": "1990-01-01", "datatype": XSD_DATE.value}}
    refused = page.execute_script("""try { window.obligraphQuery.withValues(arguments[0], arguments[1]); return null; }
                                     catch (e) { return e.message; }""",
                                  "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o < ?asof) }", literal)
    assert refused == "asof (a date) can only bind a SELECT or ASK query whose pattern names ?asof"


# --- the YASGUI page: labels, errors, parameters only as loaded, its own origin only ----------------

@pytest.fixture(scope="module")
def store():
    return load_store(None)


def type_query(chrome, text: str) -> None:
    """Replace the active editor's text by typing it, as a person does (Ctrl+A, then the keys)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    editor = chrome.execute_script(
        "return [...document.querySelectorAll('.CodeMirror')].find(e => e.offsetParent !== null)")
    editor.click()
    ActionChains(chrome).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
    ActionChains(chrome).send_keys(text).perform()


def test_a_named_query_shows_labels_the_iri_on_hover_and_links_entities(page, store):
    choose(page, "evidence-for", entity="hillary-clinton")
    run(page)
    head, values = table(page)
    cells = shown(page)
    assert values and len(cells) == len(values)
    iris = 0
    for row_values, row_cells in zip(values, cells):
        for value, cell in zip(row_values, row_cells):
            if not cell["title"]:
                continue
            iris += 1
            assert cell["title"] == value and value.startswith(("http://", "https://"))
            assert cell["text"] == _label(ox.NamedNode(value), store, {}), value  # as the command line labels it
            if value.startswith(str(OBID)):
                assert cell["href"] == "graph#" + value.removeprefix(str(OBID))
    assert iris >= 2 * len(values)
    entity = [row[head.index("entity")] for row in cells]
    assert all(c == {"text": "Hillary Clinton", "title": str(OBID["hillary-clinton"]), "href": "graph#hillary-clinton"}
               for c in entity)
    assert len(posted_queries(page, labels=True)) == 1, "one look-up for every label"
    assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), "the table fits"
    assert browser.console_errors(page) == []


def test_a_new_tab_starts_with_obligraphs_prefixes(page):
    from selenium.webdriver.common.by import By
    page.find_element(By.CSS_SELECTOR, "button.addTab").click()
    text = page.execute_script("return window.obligraphPage.yasqe().getValue()")
    assert text.startswith("\n".join(f"PREFIX {name}: <{iri}>" for name, iri in QUERY_PREFIXES.items()) + "\n")
    assert page.execute_script("return window.obligraphPage.yasqe().getPrefixesFromQuery()") == QUERY_PREFIXES


def test_a_syntax_error_is_said_and_its_line_marked(page):
    from selenium.webdriver.common.by import By
    type_query(page, "SELECT ?x WHERE {\n?x a ?type .\n?x foo:bar ?y }")
    typed = page.execute_script("return window.obligraphPage.yasqe().getValue()")
    assert typed.splitlines()[2].strip() == "?x foo:bar ?y }"
    status = run(page)
    column = typed.splitlines()[2].index("foo:") + 1
    assert status.startswith(f"unknown prefix 'foo:' (line 3, column {column}) → declare it with PREFIX foo:"), status
    assert page.find_element(By.ID, "status").get_attribute("class") == "error"
    assert posted_queries(page) == [typed], "the text as typed: no parameter, no other line"
    assert page.execute_script("return window.obligraphPage.errorLine()") == 3
    marked = page.execute_script("""return [...document.querySelectorAll('.obligraph-error-line')]
        .filter(e => e.offsetParent !== null)
        .map(e => e.closest('.CodeMirror-code > div').querySelector('.CodeMirror-linenumber').textContent)""")
    assert marked == ["3"]
    shown_error = page.execute_script(
        "return [...document.querySelectorAll('.errorResult')].find(e => e.offsetParent !== null).textContent")
    assert status in shown_error
    type_query(page, "SELECT ?x WHERE { ?x a ?type } LIMIT 1")  # editing clears the mark
    assert page.execute_script("return document.querySelectorAll('.obligraph-error-line').length") == 0


def test_parameters_bind_only_the_query_as_loaded(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.by import By
    choose(page, "obligations-by-state", state="china")
    text = resolve("obligations-by-state").text
    assert "bound" in page.find_element(By.ID, "param-note").text
    page.execute_script("return [...document.querySelectorAll('.CodeMirror')].find(e => e.offsetParent !== null)").click()
    ActionChains(page).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL).send_keys("# mine\n").perform()
    edited = page.execute_script("return window.obligraphPage.yasqe().getValue()")
    assert edited.startswith("# mine\n") and edited != text
    assert "not applied" in page.find_element(By.ID, "param-note").text
    assert "off" in page.find_element(By.ID, "params").get_attribute("class")
    status = run(page)
    assert posted_queries(page) == [edited], "the user's text, no VALUES injected"
    assert status == f"{len(cli_rows('obligations-by-state')[1])} rows", "every state's obligations"

    choose(page, "obligations-by-state")  # picked again: the text as loaded, the value still there
    assert page.execute_script("return window.obligraphPage.yasqe().getValue()") == text
    assert page.find_element(By.ID, "param-state").get_attribute("value") == "china"
    assert run(page) == f"{len(cli_rows('obligations-by-state', state='china')[1])} rows"
    assert posted_queries(page) == [with_values_first(text, {"state": ox.NamedNode(str(OBID["china"]))})]
    assert browser.console_errors(page) == []


def test_every_request_goes_to_the_pages_own_origin(chrome, server):
    """Loading the page, running a named query (its labels too), a syntax error: nothing but the
    page's own origin is asked (YASGUI's LOV / prefix.cc completion, CDN plugins, its endpoint
    catalogue are off), and the policy the page is served with allows no other."""
    from urllib.request import urlopen
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.get_log("performance"), browser.console_errors(chrome)
    chrome.get(server + "/")
    WebDriverWait(chrome, TIMEOUT).until(lambda c: c.execute_script("return document.body.dataset.ready === 'true'"))
    choose(chrome, "obligations-by-state", state="china")
    run(chrome)
    type_query(chrome, "PREFIX ex: <urn:ex:>\nSELECT *\nWHERE { ?s ex:p ?o ; ob:x ?y ; nope:z 1 }")
    run(chrome)
    urls = [r["url"] for r in _requests(chrome)]
    assert len(urls) >= 4 and urls[0] == server + "/"
    # a data: URL (Chromium's own icon of a date input) is no request to anywhere
    asked = [url for url in urls if not url.startswith("data:")]
    assert all(urlsplit(url)._replace(path="", query="", fragment="").geturl() == server for url in asked), urls
    policy = urlopen(server + "/").headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "unsafe" not in policy and "default-src 'none'" in policy
    assert browser.console_errors(chrome) == [f"{server}/sparql - Failed to load resource: the server responded "
                                              "with a status of 400 (BAD REQUEST)"]
