"""The endpoint attacked as a hostile page or a careless colleague would (issue 13): every attack is
a test, and after each the server is up, its workers idle, and ASK answers at once.

- SERVICE spelled past a lexer (`?o.SERVICE`, `$o.service`, in OPTIONAL, ASK, CONSTRUCT, SILENT,
  with --allow-service set): refused with 403, and no connection reaches a listener this test
  runs; the query workers cannot open a socket even when the check is skipped.
- Queries that crash the parser or take all memory, and runaway queries: stopped in their
  worker, never the server.
- Other origins: no CORS, no foreign Host (DNS rebinding), no framing.
- Text that would drive a terminal, and RDF/XML that cannot be written."""

from __future__ import annotations

import os
import socket
import threading
import time

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from werkzeug.test import Client

from obligraph.answer import sparqltext
from obligraph.cli import main
from obligraph.answer.endpoint import NO_SERVICE, make_app, make_http_server
from obligraph.errors import QueryLimitError
from obligraph.graph.pipeline import Paths
from obligraph.answer.query import open_store
from obligraph.answer.workers import Job, Limits, QueryPool, run_once

CHINA = "<https://w3id.org/obligraph/id/china>"
ASK = "ASK { ?s ?p ?o }"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FULL_TEXT = "<https://w3id.org/obligraph/ontology#fullText>"


@pytest.fixture(scope="module")
def store():
    return open_store()


class Listener:
    """A TCP server on a free port that counts the connections reaching it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/admin/api"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n\r\nsecret-token")
            connection.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.socket.close()


def bypasses(url: str) -> list[str]:
    return [
        f"SELECT * {{ {CHINA} a ?o.SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ {CHINA} a $o.SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"select * {{ {CHINA} a ?o.service <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ {CHINA} a ?t OPTIONAL {{ {CHINA} a ?o.SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"ASK {{ {CHINA} a ?o.SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {CHINA} a ?o.SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ {CHINA} a ?o.SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ {CHINA} a ?o.\\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
    ]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def assert_idle_within(seconds: float) -> None:
    """No process this test started burns CPU (over 0.25 s of a 0.5 s window), within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        pids = descendants(os.getpid())
        before = {pid: cpu_seconds(pid) for pid in pids}
        time.sleep(0.5)
        busy = [pid for pid in pids if cpu_seconds(pid) - before[pid] > 0.25]
        if not busy:
            return
        assert time.monotonic() < deadline, f"processes {busy} still running a query"


def assert_answers_at_once(client: Client) -> None:
    start = time.monotonic()
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "text/csv"})
    assert (response.status_code, response.get_data(as_text=True)) == (200, "true")
    assert time.monotonic() - start < 1.0


# --- 1. SERVICE --------------------------------------------------------------------------------

def test_every_spelling_of_service_is_refused_and_nothing_is_fetched(store, listener):
    client = Client(make_app(store))
    for query in bypasses(listener.url):
        response = client.get("/sparql", query_string={"query": query})
        assert (response.status_code, response.get_data(as_text=True)) == (403, NO_SERVICE + "\n"), query
    allowing = Client(make_app(store, allow_service=("http://127.0.0.1:1/sparql",)))
    for query in bypasses(listener.url):
        response = allowing.get("/sparql", query_string={"query": query})
        assert response.status_code == 403, query
        assert response.get_data(as_text=True) == (
            f"SERVICE <{listener.url}> is not allowed: this endpoint only queries "
            "<http://127.0.0.1:1/sparql> (`obligraph serve --allow-service URL`)\n")
    assert listener.connections == 0
    assert_answers_at_once(client)


def test_the_query_workers_cannot_open_a_socket_even_past_the_check(store, listener):
    """The wall behind the check: a worker evaluating a SERVICE query directly (no lexer in the
    way) gets 'Permission denied', and the listener sees nothing; with the network allowed
    (`--allow-service`), the same query does reach it — the wall is what stops it."""
    pool = QueryPool(store, workers=1)
    try:
        for query in bypasses(listener.url)[:6]:
            with pytest.raises(RuntimeError, match="Permission denied"):
                pool.run(Job(((query, {}),)))
        with pytest.raises(RuntimeError, match="Permission denied"):
            run_once(store, Job(((bypasses(listener.url)[0], {}),)), Limits())
        assert listener.connections == 0
        assert pool.run(Job(((ASK, {}),), results_format="CSV")).body == b"true"
    finally:
        pool.close()
    open_pool = QueryPool(store, workers=1, limits=Limits(network=True))
    try:
        with pytest.raises(RuntimeError):
            open_pool.run(Job(((bypasses(listener.url)[0], {}),)))
    finally:
        open_pool.close()
    assert listener.connections >= 1


def test_obligraph_query_refuses_service_and_cannot_reach_the_network(listener):
    result = CliRunner().invoke(main, ["query", "-e", bypasses(listener.url)[0]])
    assert result.exit_code == 2
    assert result.output == (
        "error: query: SERVICE is not allowed: Obligraph never fetches other endpoints while it "
        "answers (the sources may name witnesses)\n"
        "  → run that part against the other endpoint itself, e.g. `obligraph query --endpoint URL`\n")
    assert listener.connections == 0


# --- 2. crashes --------------------------------------------------------------------------------

DEEP = ["SELECT * WHERE " + "{" * 3000 + "}" * 3000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"]


@pytest.mark.parametrize("query", DEEP, ids=["3000 {", "5000 ("])
def test_a_query_nested_too_deep_is_refused_before_the_parser_sees_it(store, query):
    client = Client(make_app(store))
    response = client.get("/sparql", query_string={"query": query})
    depth = 3000 if query.count("{") > 100 else 5002  # FILTER( and the { around it
    assert (response.status_code, response.get_data(as_text=True)) == (400, (
        f"the query nests brackets {depth} deep, more than the 64 accepted (so deep a query can "
        "crash the SPARQL parser): flatten it\n"))
    assert_answers_at_once(client)
    result = CliRunner().invoke(main, ["query", "-e", query])
    assert result.exit_code == 2 and result.output.startswith(f"error: query: the query nests brackets {depth} deep")


def test_a_query_that_crashes_the_engine_costs_its_worker_not_the_server(store, monkeypatch):
    """Past the nesting check (raised here so the crash happens), Oxigraph's parser overflows its
    stack: that worker dies, the request gets a 500 saying so, a new worker answers the next."""
    client = Client(make_app(store, workers=1))
    assert_answers_at_once(client)
    monkeypatch.setattr(sparqltext, "MAX_NESTING", 10**6)
    response = client.get("/sparql", query_string={"query": DEEP[0]})
    assert response.status_code == 500
    assert response.get_data(as_text=True) == (
        "the query crashed the query engine (SIGSEGV) and was stopped; nothing else was affected: "
        "simplify the query (fewer nested groups or brackets); memory allowed: 1 GiB\n")
    assert_idle_within(2)
    assert_answers_at_once(client)
    with pytest.raises(QueryLimitError, match=r"crashed the query engine \(SIGSEGV\)") as crashed:
        run_once(store, Job(((DEEP[0], {}),)), Limits(timeout=None, max_memory=None))
    assert crashed.value.exit_code == 3


# --- 3. memory and bytes -----------------------------------------------------------------------

MEMORY_HOGS = [
    "SELECT (STRLEN(?w19) AS ?n) WHERE { ?s " + FULL_TEXT + " ?v0 "
    + " ".join(f"BIND(CONCAT(?{'v0' if i == 1 else f'w{i - 1}'}, ?{'v0' if i == 1 else f'w{i - 1}'}) AS ?w{i})"
               for i in range(1, 20)) + " } LIMIT 1",
    "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) { ?s ?p ?o . ?a ?b ?c }",
]


@pytest.mark.parametrize("query", MEMORY_HOGS, ids=["CONCAT doubling", "GROUP_CONCAT cross"])
def test_a_query_that_would_take_all_memory_is_stopped_in_its_worker(store, query):
    client = Client(make_app(store, max_memory=256 << 20, timeout=4))
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 503
    assert response.get_data(as_text=True) in (
        "the query needed more than 256 MiB of memory, the limit of this endpoint, and was "
        "stopped: narrow it (fewer joins, no CONCAT or GROUP_CONCAT over whole texts; the limit is "
        "`obligraph serve --max-memory MB`)\n",
        "the query took longer than 4 s, the limit of this endpoint, and was stopped: narrow it "
        "(fewer joins, a LIMIT), or run it locally with `obligraph query` (the limit is "
        "`obligraph serve --timeout SECONDS`)\n")
    assert_idle_within(2)
    assert_answers_at_once(client)


def test_the_concat_doubling_query_is_stopped_by_the_memory_cap(store):
    client = Client(make_app(store, max_memory=256 << 20, timeout=30))
    response = client.get("/sparql", query_string={"query": MEMORY_HOGS[0]})
    assert response.status_code == 503
    assert response.get_data(as_text=True).startswith("the query needed more than 256 MiB of memory")


def test_a_result_over_the_byte_cap_is_refused_not_truncated(store):
    client = Client(make_app(store, max_bytes=16 << 10))
    query = f"SELECT ?t WHERE {{ ?s {FULL_TEXT} ?t }}"
    for accept in ("application/sparql-results+json", "text/tab-separated-values"):
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
        assert (response.status_code, response.get_data(as_text=True)) == (413, (
            "the result is over 16 KiB, the limit of this endpoint: select fewer or shorter values "
            "(e.g. SUBSTR of a full text), or read it in pages with LIMIT and OFFSET (the limit is "
            "`obligraph serve --max-bytes MB`)\n"))
    short = client.get("/sparql", query_string={"query": query.replace("?t WHERE", "(SUBSTR(?t, 1, 20) AS ?x) WHERE")})
    assert short.status_code == 200


# --- 4. runaway queries ------------------------------------------------------------------------

def test_ten_runaway_queries_are_each_stopped_and_the_server_goes_idle(store):
    client = Client(make_app(store, timeout=0.5))
    for _ in range(10):
        response = client.get("/sparql", query_string={"query": CROSS})
        assert response.status_code == 503
        assert response.get_data(as_text=True).startswith(
            "the query took longer than 0.5 s, the limit of this endpoint, and was stopped")
        assert_idle_within(2)
        assert_answers_at_once(client)


def test_eight_runaway_queries_at_once_leave_the_server_answering(store):
    import requests
    server, _ = make_http_server(port=0, timeout=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/sparql"
    try:
        statuses: list[int] = []
        threads = [threading.Thread(target=lambda: statuses.append(
            requests.get(base, params={"query": CROSS}, timeout=30).status_code)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [503] * 8
        assert_idle_within(2)
        start = time.monotonic()
        answer = requests.get(base, params={"query": ASK}, headers={"Accept": "text/csv"}, timeout=5)
        assert (answer.status_code, answer.text) == (200, "true") and time.monotonic() - start < 1
    finally:
        server.shutdown()
        server.server_close()


# --- 5. other origins --------------------------------------------------------------------------

def test_a_foreign_host_is_refused_unless_allowed(store):
    client = Client(make_app(store))
    for host in ("127.0.0.1:7878", "localhost", "localhost:7878", "[::1]:7878"):
        assert client.get("/sparql", query_string={"query": ASK}, headers={"Host": host}).status_code == 200, host
    rebound = client.get("/sparql", query_string={"query": ASK}, headers={"Host": "attacker.example:7878"})
    assert (rebound.status_code, rebound.get_data(as_text=True)) == (403, (
        "the Host 'attacker.example:7878' is not this server's: it answers only 127.0.0.1, ::1, "
        "localhost (a page that renamed 127.0.0.1 may be trying to read it)\n"
        "  → to serve other names, use `obligraph serve --allow-host NAME`\n"))
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 403
    allowed = Client(make_app(store, allow_hosts=("research-box.lan",), host="0.0.0.0"))
    assert allowed.get("/sparql", query_string={"query": ASK}, headers={"Host": "research-box.lan:7878"}).status_code == 200
    assert allowed.get("/sparql", query_string={"query": ASK}, headers={"Host": "other.lan"}).status_code == 403


def test_pages_of_other_origins_and_files_are_refused(store):
    client = Client(make_app(store))
    for origin in ("null", "http://127.0.0.1:8000", "http://localhost:7879"):
        response = client.post("/sparql", data={"query": ASK}, headers={"Origin": origin})
        assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response.headers, origin
    own = client.post("/sparql", data={"query": ASK}, headers={"Origin": "http://localhost", "Accept": "text/csv"})
    assert (own.status_code, own.get_data(as_text=True)) == (200, "true")
    included = client.get("/sparql", query_string={"query": ASK},
                          headers={"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"})
    assert (included.status_code, included.get_data(as_text=True)) == (403, (
        "requests from other origins are refused: this endpoint answers its own pages and "
        "clients that are not web pages (a page of another origin loaded /sparql)\n"))
    followed = client.get("/", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
    assert followed.status_code == 200  # a link to the query page still opens it


@pytest.mark.parametrize("path", ["/", "/graph", "/queries.json", f"/sparql?query={ASK}", "/nothing"])
def test_no_response_can_be_framed(store, path):
    response = Client(make_app(store, html_path=Paths().out / "obligraph.html")).get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in response.headers


# --- 6. terminals and RDF/XML ------------------------------------------------------------------

def test_control_characters_are_escaped_in_table_output():
    result = CliRunner().invoke(main, ["query", "-e",
                                       'SELECT ("a\\u001B]0;owned\\u0007b\\u202Ec" AS ?text) {}'])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    assert "a\\x1b]0;owned\\x07b\\u202ec\n" in result.output
    raw = CliRunner().invoke(main, ["query", "-e", 'SELECT ("a\\u001Bb" AS ?text) {}', "--format", "csv"])
    assert raw.output == "text\na\x1bb\n"  # CSV is data: kept as it is


def test_rdf_xml_that_cannot_be_written_is_refused_not_sent_broken(store):
    client = Client(make_app(store))
    broken = client.get("/sparql", headers={"Accept": "application/rdf+xml"}, query_string={
        "query": 'CONSTRUCT { <urn:s> <http://example.org/p/> "v" } WHERE {}'})
    assert (broken.status_code, broken.get_data(as_text=True)) == (406, (
        "the result cannot be written as RDF/XML: a predicate IRI has no XML local name (it ends "
        "in / or #): ask for text/turtle or application/n-triples\n"))
    turtle = client.get("/sparql", headers={"Accept": "text/turtle"}, query_string={
        "query": 'CONSTRUCT { <urn:s> <http://example.org/p/> "v" } WHERE {}'})
    assert turtle.status_code == 200 and b"<http://example.org/p/>" in turtle.data
    fine = client.get("/sparql", headers={"Accept": "application/rdf+xml"}, query_string={
        "query": f"CONSTRUCT {{ {CHINA} ?p ?o }} WHERE {{ {CHINA} ?p ?o }}"})
    assert fine.status_code == 200
    assert len(list(ox.parse(fine.data, format=ox.RdfFormat.RDF_XML))) > 10
