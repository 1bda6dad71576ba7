"""`obligraph serve`'s query page in headless Chromium (Debian's chromium + chromedriver, `make
chromium`): a named query's parameter is bound by a VALUES block opening the WHERE group, as
`obligraph query` binds it (obligraph/answer/query.py with_values_first), the rows shown are the command
line's, and a value that is neither an entity id nor an IRI is refused before anything is sent.
One real server (a free port, the bundled graph) and one browser per module."""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.answer.endpoint import make_http_server
from obligraph.answer.query import (XSD_BOOLEAN, XSD_DATE, library, parameter_boolean, parameter_date, resolve,
                                    values_clause,
                                    with_values_first)
from obligraph.errors import QueryError
from obligraph.graph.rdf import OBID
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
    """The query page freshly loaded, its library fetched; the DevTools logs emptied."""
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.get(server + "/")
    WebDriverWait(chrome, TIMEOUT).until(lambda c: c.execute_script(
        "return document.querySelector('#picker option[value=\"evidence-for\"]') !== null"))
    chrome.get_log("performance"), browser.console_errors(chrome)
    return chrome


def choose(chrome, name: str, **values: str) -> None:
    """Pick a named query (its parameter inputs appear once the library has loaded) and fill them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    picker = Select(chrome.find_element(By.ID, "picker"))

    def shown(c):
        picker.select_by_value(name)  # again until queries.json has arrived and the inputs exist
        return all(c.find_elements(By.ID, "param-" + parameter) for parameter in values)
    WebDriverWait(chrome, TIMEOUT).until(shown)
    for parameter, value in values.items():
        chrome.find_element(By.ID, "param-" + parameter).send_keys(value)


def run(chrome) -> str:
    """Click Run and wait for the status line to settle; its text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    chrome.find_element(By.ID, "run").click()
    WebDriverWait(chrome, TIMEOUT).until(lambda c: c.find_element(By.ID, "status").text not in ("", "running…"))
    return chrome.find_element(By.ID, "status").text


def posted_queries(chrome) -> list[str]:
    """The bodies POSTed to /sparql since the last look (DevTools performance log)."""
    bodies = []
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        if request["url"].endswith("/sparql") and request["method"] == "POST":
            bodies.append(request.get("postData")
                          or "".join(part.get("bytes", "") for part in request.get("postDataEntries", [])))
    return bodies


def table(chrome) -> tuple[list[str], list[list[str]]]:
    return chrome.execute_script("""
        const table = document.querySelector('#results table');
        if (!table) return [[], []];
        return [[...table.tHead.rows[0].cells].map(c => c.textContent),
                [...table.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))];""")


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
    assert status.startswith(f"{len(expected)} rows ("), status
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
    assert posted_queries(page) == [], "nothing is sent"


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
    assert status.startswith(f"{len(expected)} rows ("), status
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
    assert status.startswith(f"{len(expected)} rows ("), status
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
