"""Typed query parameters (issue 16, part 5): a `# param NAME (optional, date)` line makes the
value an xsd:date literal, checked as a calendar day and bound by the leading VALUES block like
an IRI; and `--param asof=YYYY-MM-DD` on obligations-by-state and policy-conflicts keeps only
what bound the state on that day (its since — entry into force for it — on or before the day).

The expected rows are derived from the unfiltered rows of the graph the tests run on (it changes
as the corpus grows), and year- and month-precision dates from a small corpus built here."""

from __future__ import annotations

import calendar
import json
import shutil
import threading
from datetime import date, timedelta

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from werkzeug.test import Client

import obligraph
from obligraph.answer.endpoint import make_app, make_http_server
from obligraph.answer.query import (XSD_DATE, Parameter, execute, library, open_store, parameter_date,
                                    parse_header, resolve, with_values_first)
from obligraph.cli import main
from obligraph.errors import QueryError
from obligraph.graph.pipeline import PROJECT

HINT = "write the date as YYYY-MM-DD, e.g. 2015-03-14"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """A copy of the built graph: others rebuild graph/ while these tests run, and the library,
    the command line and the server must all answer from the same one."""
    copy = tmp_path_factory.mktemp("graph") / "obligraph.trig"
    shutil.copyfile(PROJECT / "graph" / "obligraph.trig", copy)
    return copy


@pytest.fixture(scope="module")
def store(graph):
    return open_store(graph)


@pytest.fixture(scope="module")
def cli(graph):
    def run(*args):
        extra = ["--graph", str(graph)] if args[0] == "query" and "--endpoint" not in args else []
        return CliRunner().invoke(main, [*args, *extra])
    return run


def day(text: str, days: int = 0) -> str:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


def ends(since: str) -> str:
    """The last day of the period a since names: the day, the month's last day, 31 December."""
    if len(since) == 4:
        return f"{since}-12-31"
    if len(since) == 7:
        year, month = map(int, since.split("-"))
        return f"{since}-{calendar.monthrange(year, month)[1]:02d}"
    return since


def as_of(rows: list[dict], column: str, asof: str) -> list[dict]:
    return [row for row in rows if row[column] is not None and ends(row[column]) <= asof]


# --- the header: the type is the query's own ---------------------------------------------------

@pytest.mark.parametrize("line, parameter", [
    ("# param asof (optional, date): YYYY-MM-DD — the day", Parameter("asof", False, "YYYY-MM-DD — the day", "date")),
    ("# param asof (required, date): the day", Parameter("asof", True, "the day", "date")),
    ("# param asof (date, required): the day", Parameter("asof", True, "the day", "date")),
    ("# param asof (date): the day", Parameter("asof", False, "the day", "date")),
    ("# param state (optional): an id", Parameter("state", False, "an id", "iri")),
    ("# param entity (required): an id", Parameter("entity", True, "an id", "iri")),
    ("# param state: an id", Parameter("state", False, "an id", "iri")),
    ("# param state (optional, iri): an id", Parameter("state", False, "an id", "iri")),
])
def test_a_param_line_gives_its_type(tmp_path, line, parameter):
    named = parse_header(f"# title: t\n{line}\nSELECT * {{}}", tmp_path / "q.rq")
    assert named.parameters == (parameter,)


@pytest.mark.parametrize("flags", ["optional, when", "optional, required", "date, iri", "sometimes"])
def test_a_param_line_that_cannot_be_read_names_its_file_and_line(tmp_path, flags):
    with pytest.raises(QueryError) as refused:
        parse_header(f"# title: t\n# question: q?\n# param asof ({flags}): the day\nSELECT * {{}}", tmp_path / "q.rq")
    assert str(refused.value).startswith(f"{tmp_path / 'q.rq'}: line 3: parameter asof: cannot read ({flags})\n"
                                         "  → write (optional) or (required), then a type")


def test_both_queries_declare_asof_as_an_optional_date():
    named = {q.name: q for q in library()}
    for name in ("obligations-by-state", "policy-conflicts"):
        [asof] = [p for p in named[name].parameters if p.name == "asof"]
        assert (asof.type, asof.required) == ("date", False) and asof.description.startswith("YYYY-MM-DD")
        assert [p.type for p in named[name].parameters if p.name == "state"] == ["iri"]


# --- the value: a calendar day, as a typed literal ------------------------------------------------

def test_a_date_is_an_xsd_date_literal():
    assert parameter_date("1982-12-23", "asof") == ox.Literal("1982-12-23", datatype=XSD_DATE)
    assert parameter_date("2016-02-29", "asof").value == "2016-02-29"


@pytest.mark.parametrize("value, what", [
    ("2015-02-30", "is not a day of the calendar"), ("2015-02-29", "is not a day of the calendar"),
    ("2015-13-01", "is not a day of the calendar"), ("0000-01-01", "is not a day of the calendar"),
    ("2015-3-14", "is not a date"), ("14/03/2015", "is not a date"), ("20150314", "is not a date"),
    ("2015", "is not a date"), ("2015-03", "is not a date"), ("2015-03-14T00:00", "is not a date"),
    ("2015-03-14Z", "is not a date"), ("china", "is not a date"), ("", "is not a date"),
    ('2015-03-14"^^<urn:x> } UNION { ?s ?p ?o', "is not a date"),
])
def test_anything_but_a_calendar_day_is_refused_naming_the_parameter_and_the_value(value, what):
    with pytest.raises(QueryError) as refused:
        parameter_date(value, "asof")
    assert str(refused.value) == f"parameter asof={value!r} {what}\n  → {HINT}"


@pytest.mark.parametrize("value, what", [("2015-02-30", "is not a day of the calendar"),
                                         ("14/03/2015", "is not a date")])
def test_the_command_line_refuses_a_bad_date_with_exit_code_2(cli, value, what):
    for name in ("obligations-by-state", "policy-conflicts"):
        result = cli("query", name, "--param", f"asof={value}")
        assert (result.exit_code, result.stderr) == (2, f"error: parameter asof={value!r} {what}\n  → {HINT}\n")
        assert result.stdout == ""


def test_a_date_is_bound_as_a_term_in_the_leading_values_block():
    text = resolve("obligations-by-state").text
    bound = with_values_first(text, {"asof": parameter_date("1990-01-01", "asof")})
    where = text.index("WHERE {") + len("WHERE {")
    assert bound == (f'{text[:where]} VALUES ?asof {{ "1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }}'
                     f"{text[where:]}")


def test_a_date_that_only_a_substitution_could_bind_is_refused(store, tmp_path):
    """A substitution (or a trailing VALUES) is joined after the pattern: a FILTER comparing with
    the date would see it unbound and narrow nothing. Never run that."""
    path = tmp_path / "late.rq"
    path.write_text("# title: late\n# param asof (optional, date): the day\n"
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o <= ?asof) }", encoding="utf-8")
    with pytest.raises(QueryError) as refused:
        execute(resolve(str(path)), store, {"asof": "1990-01-01"})
    assert refused.value.message == "parameter asof (a date) can only bind a SELECT or ASK query whose pattern names ?asof"
    from obligraph.answer.remote import _bound
    with pytest.raises(QueryError):
        _bound(resolve(str(path)), {"asof": parameter_date("1990-01-01", "asof")})


def test_a_required_date_missing_says_how_to_write_it(cli, tmp_path):
    path = tmp_path / "dated.rq"
    path.write_text("# title: dated\n# param asof (required, date): the day it was\n"
                    "SELECT ?asof WHERE { BIND(1 AS ?x) FILTER(BOUND(?asof)) }", encoding="utf-8")
    result = cli("query", str(path))
    assert (result.exit_code, result.stderr) == (2, "error: query dated needs --param asof=YYYY-MM-DD\n"
                                                    "  → the day it was\n")


# --- obligations-by-state ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bindings(store):
    rows = obligraph.query("obligations-by-state", store=store)
    assert rows and all(row["since"] for row in rows)
    return rows


def test_without_asof_the_rows_are_unchanged_and_two_columns_are_added(store, bindings):
    results = execute(resolve("obligations-by-state"), store)
    # the columns a lawyer needs come after the ones there were (later ones may follow)
    assert [v.value for v in results.variables][:9] == ["state", "obligation", "provision", "since", "mode",
                                                        "through", "basis", "inForce", "deposited"]
    bound = [row for row in bindings if row["inForce"] is not None]  # ob:BoundBy rows
    assert bound and all(isinstance(row["inForce"], bool) and row["deposited"] for row in bound)
    assert all(row["deposited"] <= row["since"] for row in bound if row["inForce"])
    assert all(row["deposited"] == row["since"] for row in bound if not row["inForce"])


def test_an_asof_before_every_entry_into_force_returns_nothing(store, bindings):
    first = min(ends(row["since"]) for row in bindings)
    assert obligraph.query("obligations-by-state", store=store, asof=day(first, -1)) == []
    assert obligraph.query("obligations-by-state", store=store, asof="1900-01-01") == []


def test_an_asof_between_two_bindings_keeps_exactly_those_bound_by_then(store, bindings):
    sinces = sorted({ends(row["since"]) for row in bindings})
    assert len(sinces) >= 3
    for asof in (sinces[len(sinces) // 2], day(sinces[len(sinces) // 2], 1), day(sinces[1], -1),
                 sinces[-1], "2100-01-01"):
        expected = as_of(bindings, "since", asof)
        assert obligraph.query("obligations-by-state", store=store, asof=asof) == expected, asof
    middle = sinces[len(sinces) // 2]
    assert 0 < len(as_of(bindings, "since", middle)) < len(bindings)


def test_bound_on_the_day_of_entry_into_force_not_the_day_before_nor_on_deposit(store, bindings):
    later = [row for row in bindings if row["inForce"] and row["deposited"] < row["since"]]
    assert later, "some treaty enters into force for a state after its deposit (a delay)"
    for row in later[:5]:
        state = row["state"].rsplit("/", 1)[-1]
        on = obligraph.query("obligations-by-state", store=store, state=state, asof=row["since"])
        assert row in on
        for before in (day(row["since"], -1), row["deposited"]):
            assert row not in obligraph.query("obligations-by-state", store=store, state=state, asof=before)


def test_asof_and_state_together(store, bindings):
    state = bindings[0]["state"]
    mine = [row for row in bindings if row["state"] == state]
    asof = max(row["since"] for row in mine)
    assert obligraph.query("obligations-by-state", store=store, state=state.rsplit("/", 1)[-1],
                           asof=asof) == as_of(mine, "since", asof)


def test_the_command_line_gives_the_same_rows(cli, bindings):
    sinces = sorted({row["since"] for row in bindings})
    asof = sinces[len(sinces) // 4]
    result = cli("query", "obligations-by-state", "--param", f"asof={asof}", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = as_of(bindings, "since", asof)
    assert len(data["results"]["bindings"]) == len(expected)
    assert [row["since"]["value"] for row in data["results"]["bindings"]] == [row["since"] for row in expected]
    assert {row["since"]["datatype"] for row in data["results"]["bindings"]} <= {str(XSD_DATE.value)}


# --- policy-conflicts ----------------------------------------------------------------------------

def test_policy_conflicts_keep_the_conflicts_whose_binding_had_begun(store):
    conflicts = obligraph.query("policy-conflicts", store=store)
    assert conflicts and all(row["boundSince"] for row in conflicts)
    sinces = sorted({ends(row["boundSince"]) for row in conflicts})
    assert obligraph.query("policy-conflicts", store=store, asof=day(sinces[0], -1)) == []
    for since in sinces:
        for asof in (since, day(since, -1), day(since, 1)):
            assert obligraph.query("policy-conflicts", store=store, asof=asof) == \
                as_of(conflicts, "boundSince", asof), asof
    state = conflicts[0]["state"]
    assert obligraph.query("policy-conflicts", store=store, state=state.rsplit("/", 1)[-1], asof=sinces[-1]) == \
        [row for row in as_of(conflicts, "boundSince", sinces[-1]) if row["state"] == state]


def test_policy_conflicts_on_the_command_line(cli, store):
    conflicts = obligraph.query("policy-conflicts", store=store)
    since = min(row["boundSince"] for row in conflicts)
    result = cli("query", "policy-conflicts", "--param", f"asof={since}", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1 + len(as_of(conflicts, "boundSince", since))
    before = cli("query", "policy-conflicts", "--param", f"asof={day(since, -1)}", "--format", "csv")
    assert before.exit_code == 0 and len(before.output.splitlines()) == 1


# --- the endpoint, and `obligraph query --endpoint` ----------------------------------------------

def test_the_endpoint_answers_a_query_bound_with_asof(store, bindings):
    asof = sorted({row["since"] for row in bindings})[1]
    text = with_values_first(resolve("obligations-by-state").text, {"asof": parameter_date(asof, "asof")})
    client = Client(make_app(store))
    try:
        response = client.post("/sparql", data=text.encode("utf-8"), content_type="application/sparql-query",
                               headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        served = [row["since"]["value"] for row in response.json["results"]["bindings"]]
        assert served == [row["since"] for row in as_of(bindings, "since", asof)] != []
        listed = {q["name"]: q for q in client.get("/queries.json").json}
        assert {"name": "asof", "required": False, "type": "date", "datatype": XSD_DATE.value,
                "description": resolve("obligations-by-state").parameters[1].description} in \
            listed["obligations-by-state"]["parameters"]
    finally:
        client.application.close()


@pytest.fixture(scope="module")
def server(graph):
    http, _ = make_http_server(port=0, graph=graph, timeout=120)  # a loaded machine: not a limits test
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}/sparql"
    http.shutdown()
    http.server_close()


def test_query_endpoint_binds_asof_as_the_local_command_does(cli, server):
    local = cli("query", "policy-conflicts", "--param", "asof=1990-01-01", "--format", "json")
    remote = cli("query", "policy-conflicts", "--endpoint", server, "--param", "asof=1990-01-01", "--format", "json")
    assert local.exit_code == remote.exit_code == 0, remote.output
    names = json.loads(local.output)["head"]["vars"]
    rows = [[row.get(n, {}).get("value") for n in names if n not in ("policyQuotes", "contraventionQuotes")]
            for row in json.loads(local.output)["results"]["bindings"]]
    assert rows == [[row.get(n, {}).get("value") for n in names if n not in ("policyQuotes", "contraventionQuotes")]
                    for row in json.loads(remote.output)["results"]["bindings"]]
    bad = cli("query", "policy-conflicts", "--endpoint", server, "--param", "asof=1990-02-30")
    assert (bad.exit_code, bad.stderr) == (2, f"error: parameter asof='1990-02-30' is not a day of the calendar\n  → {HINT}\n")


# --- a since known to the year or the month ----------------------------------------------------

ENTITIES = """\
- {id: arcadia, type: State, label: Arcadia}
- {id: un, type: IntergovernmentalOrganization, label: United Nations}
- {id: covenant, type: Treaty, label: Covenant}
- {id: pact, type: Treaty, label: Pact}
- {id: covenant-art-1, type: TreatyProvision, label: "Covenant, article 1"}
- {id: pact-art-1, type: TreatyProvision, label: "Pact, article 1"}
- {id: freedom-to-leave, type: Obligation, label: freedom to leave}
"""
ARTICLE = "Arcadia acceded to the Pact in 1990. Arcadia acceded to the Covenant in February 1984.\n"


@pytest.fixture(scope="module")
def coarse(tmp_path_factory):
    """A state bound through the sources alone (no record row), on a year (Pact, "1990") and a
    month (Covenant, "1984-02"): neither treaty's entry into force is bundled, so since is the
    deposit date as the source gives it."""
    sources = tmp_path_factory.mktemp("coarse") / "sources"
    for folder in ("articles", "treaties"):
        (sources / folder).mkdir(parents=True)
    (sources / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    for name in ("covenant", "pact"):
        (sources / "treaties" / f"{name}.txt").write_text(
            "Article 1\nEveryone shall be free to leave any country.\n", encoding="utf-8")
        (sources / "treaties" / f"{name}.meta.yaml").write_text(
            f"kind: treaty-text\ntext: {name}.txt\ntitle: {name}\ntreaty: {name}\n", encoding="utf-8")
        (sources / "treaties" / f"{name}.claims.yaml").write_text(f"""\
- {{subject: {name}-art-1, predicate: provisionOf, object: {name}, quote: "Article 1"}}
- {{subject: {name}-art-1, predicate: establishesObligation, object: freedom-to-leave, quote: "Everyone shall be free to leave any country."}}
""", encoding="utf-8")
    (sources / "articles" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (sources / "articles" / "a1.meta.yaml").write_text(
        'kind: article\ntext: a1.txt\ntitle: Arcadia\nauthor: null\npublisher: null\ndate: "2020-05-01"\n',
        encoding="utf-8")
    (sources / "articles" / "a1.claims.yaml").write_text("""\
- {subject: arcadia, predicate: partyTo, object: pact, mode: accession, date: "1990", quote: "Arcadia acceded to the Pact in 1990."}
- {subject: arcadia, predicate: partyTo, object: covenant, mode: accession, date: "1984-02", quote: "Arcadia acceded to the Covenant in February 1984."}
""", encoding="utf-8")
    _, dataset = obligraph.assemble(paths=obligraph.Paths(sources=sources, ontology=PROJECT / "ontology"))
    from obligraph.graph.outputs import trig
    store = ox.Store()
    store.load(trig(dataset).encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


def treaties(store, asof: str) -> list[str]:
    return sorted(row["provision"].rsplit("/", 1)[-1] for row in
                  obligraph.query("obligations-by-state", store=store, asof=asof))


def test_a_year_counts_once_the_whole_year_is_over(coarse):
    rows = obligraph.query("obligations-by-state", store=coarse)
    assert sorted((row["provision"].rsplit("/", 1)[-1], row["since"], row["inForce"]) for row in rows) == [
        ("covenant-art-1", "1984-02", False), ("pact-art-1", "1990", False)]
    assert treaties(coarse, "1990-12-30") == ["covenant-art-1"]
    assert treaties(coarse, "1990-12-31") == ["covenant-art-1", "pact-art-1"]
    assert treaties(coarse, "1990-01-01") == ["covenant-art-1"]


def test_a_month_counts_once_the_whole_month_is_over(coarse):
    assert treaties(coarse, "1984-02-28") == []  # 1984 is a leap year: February ends on the 29th
    assert treaties(coarse, "1984-02-29") == ["covenant-art-1"]
    assert treaties(coarse, "1984-01-31") == []
    assert treaties(coarse, "1984-03-01") == ["covenant-art-1"]


def test_both_queries_read_a_coarse_since_the_same_way():
    """policy-conflicts keeps the rule obligations-by-state is tested on above, word for word."""
    def rule(name: str, variable: str) -> str:
        text = resolve(name).text
        start = text.index("  BIND(IF(DATATYPE(")
        return text[start:text.index("\n}", start)].replace(f"?{variable}", "?since")
    assert rule("policy-conflicts", "boundSince").replace("?sinceEnds", "?ends") == \
        rule("obligations-by-state", "since").replace("?sinceEnds", "?ends")
