"""`obligraph serve`'s limits: a query timeout (503), a result-size cap (413, never a truncated
answer), a request-size cap (413), SERVICE only to allow-listed endpoints; and a short load
(bench/load.py, 2 seconds here) answered without a single error."""

from __future__ import annotations

import re
import threading
import time

import pyoxigraph as ox
import pytest
from werkzeug.test import Client

from obligraph.answer import sparqltext
from obligraph.answer.endpoint import NO_SERVICE, make_app, make_http_server
from obligraph.answer.query import open_store, resolve, with_values_first
from obligraph.graph.rdf import OBID

JSON = "application/sparql-results+json"
RESULTS_FORMATS = {JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
ALL = "SELECT * WHERE { ?s ?p ?o }"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store():
    return open_store()


def small_store(n: int) -> ox.Store:
    store = ox.Store()
    for i in range(n):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)),
                          ox.NamedNode("urn:g")))
    return store


def test_a_query_past_the_timeout_is_abandoned_with_503():
    client = Client(make_app(small_store(400), timeout=0.3))  # 400³ = 64 million rows to count
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": CROSS})
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        "the query took longer than 0.3 s, the limit of this endpoint, and was stopped: narrow it "
        "(fewer joins, a LIMIT), or run it locally with `obligraph query` (the limit is `obligraph "
        "serve --timeout SECONDS`)\n")
    quick = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert quick.status_code == 200 and quick.json == {"head": {}, "boolean": True}


def test_a_result_over_the_row_cap_is_refused_not_truncated(store):
    client = Client(make_app(store, max_rows=100))
    for query in (ALL, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 413
        assert response.get_data(as_text=True).startswith(
            "the result has more than 100 rows, the limit of this endpoint: add LIMIT and OFFSET")
    paged = client.get("/sparql", query_string={"query": ALL + " LIMIT 100"})
    assert paged.status_code == 200 and len(paged.json["results"]["bindings"]) == 100


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_the_row_cap_counts_solutions_not_lines(accept):
    """Solutions are counted on Oxigraph's TSV, one line each: a literal holding line breaks is
    one row, a result of exactly max_rows rows is served whole, one more is refused."""
    store = small_store(5)
    store.add(ox.Quad(ox.NamedNode("urn:t"), ox.NamedNode("urn:p"), ox.Literal("one\ntwo\r\nthree"),
                      ox.NamedNode("urn:g")))
    for limit, status in ((6, 200), (5, 413)):
        response = Client(make_app(store, max_rows=limit)).get(
            "/sparql", query_string={"query": ALL}, headers={"Accept": accept})
        assert response.status_code == status, (limit, accept)
        if status == 200:
            expected = store.query(ALL, use_default_graph_as_union=True).serialize(
                format=RESULTS_FORMATS[accept])
            assert response.data == expected, "what Oxigraph itself writes for the query"


def test_served_answers_are_oxigraphs_own_for_every_named_query(store):
    """The served body of each named query, in each results format, is byte for byte what
    Oxigraph writes for the same query on the same store."""
    from obligraph.answer.query import library, parameter_iri, with_values_first
    client = Client(make_app(store))
    for named in library():
        iris = {p.name: parameter_iri("china", p.name) for p in named.parameters if p.required}
        text = with_values_first(named.text, iris) or named.text
        for accept, fmt in RESULTS_FORMATS.items():
            response = client.post("/sparql", data=text.encode("utf-8"), headers={"Accept": accept},
                                   content_type="application/sparql-query")
            assert response.status_code == 200, (named.name, response.get_data(as_text=True))
            expected = store.query(text, use_default_graph_as_union=True).serialize(format=fmt)
            assert response.data == expected, (named.name, accept)
        if named.name == "policy-conflicts":
            # China's 11 and North Korea's 4 (tests/test_kinds.py), and the header
            assert len(response.data.splitlines()) == 16, "fifteen rows and the header (TSV)"


def test_results_keep_every_kind_of_term(store):
    query = ('SELECT ?a ?b ?c ?d ?unbound WHERE { BIND("x"@en AS ?a) BIND(5 AS ?b) BIND("s" AS ?c) '
             "BIND(<urn:x> AS ?d) }")
    response = Client(make_app(store)).get("/sparql", query_string={"query": query})
    assert response.json == {"head": {"vars": ["a", "b", "c", "d", "unbound"]}, "results": {"bindings": [{
        "a": {"type": "literal", "value": "x", "xml:lang": "en"},
        "b": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        "c": {"type": "literal", "value": "s"}, "d": {"type": "uri", "value": "urn:x"}}]}}


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_request_body_over_the_cap_is_413(store, content_type):
    client = Client(make_app(store, max_body=1_000_000))
    body = ("query=" if "form" in content_type else "") + "ASK {}" + " " * 1_000_001
    response = client.post("/sparql", data=body, content_type=content_type)
    assert response.status_code == 413
    assert response.get_data(as_text=True) == (
        f"the request body is {len(body)} bytes, over the limit of 1000000: send a shorter query\n")


def test_service_is_refused_unless_its_endpoint_is_allowed(store):
    allowed = "http://127.0.0.1:1/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}"
    assert Client(make_app(store)).get("/sparql", query_string={"query": query}).get_data(as_text=True) \
        == NO_SERVICE + "\n"
    client = Client(make_app(store, allow_service=(allowed,), timeout=3))
    other = client.get("/sparql", query_string={"query": query.replace(":1/", ":2/")})
    assert other.status_code == 403
    assert other.get_data(as_text=True) == (
        "SERVICE <http://127.0.0.1:2/sparql> is not allowed: this endpoint only queries "
        "<http://127.0.0.1:1/sparql> (`obligraph serve --allow-service URL`)\n")
    variable = client.get("/sparql", query_string={"query": "SELECT * { SERVICE SILENT ?x { ?s ?p ?o } }"})
    assert variable.status_code == 403 and variable.get_data(as_text=True).startswith(
        "SERVICE must name its endpoint as an IRI")
    mixed = client.get("/sparql", query_string={"query": f"SELECT * {{ SERVICE <{allowed}> {{}} SERVICE <{allowed}x> {{}} }}"})
    assert mixed.status_code == 403
    passed = client.get("/sparql", query_string={"query": query})  # nothing listens: a 500, not a 403
    assert passed.status_code == 500 and passed.get_data(as_text=True).startswith("the query failed: ")


def test_service_targets_are_read_past_strings_comments_and_escapes():
    assert sparqltext.service_targets('SELECT * { ?s ?p "SERVICE <urn:no>" # SERVICE <urn:no>\n'
                                      " SERVICE SILENT <urn:a> {} \\u0053ERVICE <urn:b> {} }") == ["urn:a", "urn:b"]


def test_a_short_load_gets_no_errors():
    from bench.load import run_load
    server, _ = make_http_server(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tally = run_load(f"http://127.0.0.1:{server.server_port}/sparql", clients=8, seconds=2)
    finally:
        server.shutdown()
        server.server_close()
    assert tally.latencies and tally.errors == []


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_body_without_content_length_is_refused_past_the_cap_not_cut_short(content_type):
    """A chunked body has no Content-Length to check first: reading past the cap is a 413 (a
    query silently cut at the cap could still parse, and answer another question)."""
    import io

    from werkzeug.test import EnvironBuilder, run_wsgi_app
    app = make_app(small_store(1), max_body=1000)
    prefix = b"query=" if "form" in content_type else b""
    for padding, status in ((10, "200 OK"), (5000, "413 REQUEST ENTITY TOO LARGE")):
        environ = EnvironBuilder(method="POST", path="/sparql", content_type=content_type,
                                 input_stream=io.BytesIO(prefix + b"ASK {}" + b" " * padding)).get_environ()
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
        body, answer, _ = run_wsgi_app(app, environ)
        assert answer == status
        if padding > 1000:
            assert b"".join(body) == b"the request body is over the limit of 1000 bytes: send a shorter query\n"


@pytest.mark.parametrize("memory", [False, True], ids=["on-disk", "in-memory"])
def test_the_server_answers_from_memory_or_from_the_persisted_store(memory):
    """`obligraph serve` holds the graph in memory (parsed from the TriG); --on-disk opens the
    persisted store (read-only, in the cache). Both give Oxigraph's own answers."""
    import requests

    from obligraph.graph.pipeline import Paths
    from obligraph.graph.store import store_dir
    server, store = make_http_server(port=0, memory=memory)
    conflicts = with_values_first(resolve("policy-conflicts").text, {"state": ox.NamedNode(str(OBID["china"]))})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/sparql"
        answer = requests.get(base, timeout=30, headers={"Accept": "text/csv"},
                              params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        rows = requests.get(base, timeout=30, params={"query": conflicts},
                            headers={"Accept": "text/tab-separated-values"})
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status_code == 200 and int(answer.text.splitlines()[1]) == len(store) > 10_000
    assert rows.status_code == 200 and len(rows.text.splitlines()) == 12  # China's 11 potential breaches: 5 stated, 6 by kind
    assert rows.content == open_store().query(conflicts, use_default_graph_as_union=True).serialize(
        format=ox.QueryResultsFormat.TSV)
    scratch = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))
    if memory:
        store.add(scratch)  # its own copy in memory (the server has stopped)
    else:
        with pytest.raises(RuntimeError, match="read-write"):
            store.add(scratch)  # the persisted store, opened read-only
    assert (store_dir(Paths().out / "obligraph.trig") / "stamp.json").is_file()


@pytest.mark.parametrize("flags, memory", [([], True), (["--in-memory"], True), (["--on-disk"], False)])
def test_serve_holds_the_graph_in_memory_unless_told_on_disk(monkeypatch, flags, memory):
    """`obligraph serve` parses the graph into memory by default; --on-disk serves the persisted
    store; the announcement says which."""
    from click.testing import CliRunner

    from werkzeug.serving import ThreadedWSGIServer

    from obligraph.cli import main
    from obligraph.answer.query import open_store

    def interrupted(self, *args, **kwargs):  # Ctrl-C as soon as it serves
        raise KeyboardInterrupt
    monkeypatch.setattr(ThreadedWSGIServer, "serve_forever", interrupted)
    result = CliRunner().invoke(main, ["serve", "--port", "0", *flags])
    assert result.exit_code == 0, result.output
    where = "in memory" if memory else "from the on-disk store"
    assert re.fullmatch(rf"serving {len(open_store())} triples {where} \(read-only\) at "
                        r"http://127\.0\.0\.1:(\d+)/sparql; query page http://127\.0\.0\.1:\1/ "
                        r"— Ctrl-C to stop\n", result.output), result.output
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--in-memory / --on-disk" in help_text and "[default: in-memory]" in help_text
