"""The W3C SPARQL 1.1 Protocol tests (tests/w3c/sparql11-protocol/, its README says
how to use them), replayed against `obligraph serve` over real HTTP, one pytest case per W3C test.

The manifest is read as data: every mf:ProtocolTest, its ht:Request list (method, path and query
string, headers, body in its stated character encoding) and each ht:Response's expectations
(mf:expectedStatus, mf:expectedFormat, mf:expectedBoolean). The data files each test names
(ut:graphData) are loaded as the named graphs whose IRIs the tests use, into an in-memory
Oxigraph store that the endpoint serves on a free local port.

Three kinds of test, told apart by what the manifest expects, not by their names:
- query tests (every response 2xx/3xx, no update sent): must pass as written;
- bad-request tests (a 4xx expected): must get their 4xx;
- update tests (an update expected to succeed): this endpoint is read-only, so the update gets
  the 403 it owes (asserted), and the query after it, replayed as well, must find the store
  unchanged (its ASK answered, false where a writable service would say true)."""

from __future__ import annotations

import http.client
import json
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from werkzeug.serving import make_server

from obligraph.answer.endpoint import READ_ONLY, make_app
from obligraph.graph.pipeline import PROJECT

SUITE = PROJECT / "tests" / "w3c" / "sparql11-protocol"  # copied with its licence (LICENSE.md there)
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
# mf:expectedFormat → the media types that are that format ("boolean": "expect one of: XML,
# JSON"; "tabular": XML, JSON, CSV, TSV; "RDF": RDF/XML, Turtle, N-Triples, RDFa)
RESULTS = {"application/sparql-results+xml", "application/sparql-results+json", "application/json"}
FORMATS = {
    "boolean": RESULTS,
    "tabular": RESULTS | {"text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "text/plain",
            "text/html", "application/xhtml+xml"},
}
# what a response may say; anything else in the manifest fails the test rather than go unchecked
UNDERSTOOD = {RDF.type, MF.expectedStatus, MF.expectedFormat, MF.expectedBoolean}


@dataclass(frozen=True)
class Exchange:
    """One ht:Request of a test and what its ht:Response should be."""
    method: str
    path: str                      # the manifest's ht:absolutePath, /sparql/…
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]       # the allowed status classes: 2 for hts:StatusCode2xx
    format: str | None
    boolean: bool | None

    @property
    def content_type(self) -> str:
        return next((v.split(";")[0].strip().lower() for k, v in self.headers
                     if k.lower() == "content-type"), "")

    @property
    def is_update(self) -> bool:
        """An update operation: a direct POST of application/sparql-update, or update= in the
        query string or in a form body."""
        query = parse_qs(urlsplit(self.path).query)
        form = (parse_qs(self.body.decode("utf-8", "replace"))
                if self.body is not None and self.content_type == FORM_TYPE else {})
        return self.content_type == UPDATE_TYPE or "update" in query or "update" in form


@dataclass(frozen=True)
class W3CTest:
    name: str                      # the test's IRI fragment, e.g. query_post_form
    label: str                     # its mf:name
    graphs: frozenset[tuple[str, Path]]   # (graph IRI, data file) it loads
    exchanges: tuple[Exchange, ...]

    @property
    def kind(self) -> str:
        if any(4 in e.statuses for e in self.exchanges):
            return "bad-request"
        if any(e.is_update for e in self.exchanges):
            return "update"
        return "query"


def _status_classes(manifest: Graph, response) -> frozenset[int]:
    classes = set()
    for code in manifest.objects(response, MF.expectedStatus):
        match = re.fullmatch(re.escape(HTS) + r"StatusCode(\d)xx", str(code))
        assert match, f"an expected status this test does not read: {code}"
        classes.add(int(match.group(1)))
    return frozenset(classes)


def _exchange(manifest: Graph, request) -> Exchange:
    headers = []
    for node in manifest.objects(request, HT.headers):
        for header in Collection(manifest, node):
            headers.append((str(manifest.value(header, HT.fieldName)),
                            str(manifest.value(header, HT.fieldValue))))
    body = manifest.value(request, HT.body)
    data = None
    if body is not None:
        encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(manifest.value(body, CNT.chars)).encode(encoding)
    response = manifest.value(request, HT.resp)
    unread = set(manifest.predicates(response)) - UNDERSTOOD
    assert not unread, f"expectations this test does not check: {unread}"
    expected_format = manifest.value(response, MF.expectedFormat)
    expected_boolean = manifest.value(response, MF.expectedBoolean)
    return Exchange(method=str(manifest.value(request, HT.methodName)),
                    path=str(manifest.value(request, HT.absolutePath)), headers=tuple(headers),
                    body=data, statuses=_status_classes(manifest, response),
                    format=None if expected_format is None else str(expected_format),
                    boolean=None if expected_boolean is None else bool(expected_boolean.toPython()))


def _data_file(iri) -> Path:
    """A ut:graph IRI (relative in the manifest, so resolved against its file) → the file in the
    suite's folder: only ever a file of the suite, nothing fetched."""
    path = SUITE / Path(unquote(urlsplit(str(iri)).path)).name
    assert path.is_file(), f"{iri}: the data file is not in {SUITE}"
    return path


def load_manifest() -> list[W3CTest]:
    """Every mf:ProtocolTest of the manifest, in the order of its mf:entries."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    tests = set(manifest.subjects(RDF.type, MF.ProtocolTest))
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    entries = list(Collection(manifest, manifest.value(root, MF.entries)))
    assert set(entries) == tests and len(entries) == len(tests), "entries ≠ the ProtocolTests"
    found = []
    for test in entries:
        graphs = frozenset((str(manifest.value(g, RDFS.label)), _data_file(manifest.value(g, UT.graph)))
                           for g in manifest.objects(test, UT.graphData))
        action = manifest.value(test, MF.action)
        requests = [r for node in manifest.objects(action, HT.requests) for r in Collection(manifest, node)]
        assert requests, f"{test}: no ht:requests"
        found.append(W3CTest(name=str(test).rsplit("#", 1)[-1], label=str(manifest.value(test, MF.name)),
                             graphs=graphs, exchanges=tuple(_exchange(manifest, r) for r in requests)))
    return found


TESTS = load_manifest()


class Server:
    """The endpoint (make_app, as `obligraph serve` makes it) over one dataset, on a free port of
    127.0.0.1, serving in a thread."""

    def __init__(self, graphs: frozenset[tuple[str, Path]]) -> None:
        store = ox.Store()
        for iri, path in graphs:
            store.load(path.read_bytes(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
        assert len(store) == sum(len(path.read_text().splitlines()) for _, path in graphs)
        self.app = make_app(store, workers=1, timeout=30)  # a loaded machine: not a limits test
        self.app.pool.start()
        self.http = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self.http.server_port
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def send(self, exchange: Exchange) -> tuple[int, str, bytes]:
        """(status, media type, body) of the request as the manifest writes it, but at this server:
        its /sparql/ prefix becomes our /sparql (the manifest says a runner must map it), and the
        Host is 127.0.0.1:PORT, not the manifest's www.example (the endpoint refuses a Host that is
        not its own, its defence against DNS rebinding)."""
        assert exchange.path.startswith("/sparql/"), exchange.path
        path = "/sparql" + exchange.path[len("/sparql/"):]
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            # http.client adds Host and Content-Length and nothing else (no default Content-Type,
            # so the tests of a body sent without one send none)
            connection.request(exchange.method, path, body=exchange.body, headers=dict(exchange.headers))
            response = connection.getresponse()
            body = response.read()
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return response.status, kind, body
        finally:
            connection.close()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.app.close()


@pytest.fixture(scope="module")
def servers():
    """One server per dataset the tests name (most tests name none, some data1-2, some data1-3)."""
    running: dict[frozenset, Server] = {}

    def server(graphs: frozenset) -> Server:
        if graphs not in running:
            running[graphs] = Server(graphs)
        return running[graphs]
    yield server
    for each in running.values():
        each.close()


def boolean_of(kind: str, body: bytes) -> bool:
    """The answer of an ASK in SPARQL Results JSON or XML."""
    if kind == "application/sparql-results+xml":
        element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        assert element is not None, body
        return {"true": True, "false": False}[element.text.strip()]
    answer = json.loads(body)
    assert isinstance(answer.get("boolean"), bool), body
    return answer["boolean"]


def check_answer(exchange: Exchange, status: int, kind: str, body: bytes, *, boolean: bool | None) -> None:
    """A query answered as the manifest expects: status class, a media type of the expected
    format whose body parses as that format, and (ASK) the expected boolean."""
    assert status // 100 in exchange.statuses, (status, body)
    if exchange.format is not None:
        assert kind in FORMATS[exchange.format], (exchange.format, kind)
        if exchange.format == "RDF":
            list(ox.parse(body, format=ox.RdfFormat.from_media_type(kind)))
        else:
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(kind))
            assert isinstance(results, ox.QueryBoolean) == (exchange.format == "boolean"), body
    if boolean is not None:
        assert boolean_of(kind, body) is boolean, body


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(test: W3CTest, servers):
    server = servers(test.graphs)
    if test.kind == "query":
        for exchange in test.exchanges:
            check_answer(exchange, *server.send(exchange), boolean=exchange.boolean)
    elif test.kind == "bad-request":
        for exchange in test.exchanges:
            status, _, body = server.send(exchange)
            assert 400 <= status < 500, (status, body)
    else:
        # an update test expects a writable service. This endpoint is read-only by design (its
        # first guarantee): the update is refused with 403 before anything runs, and the query
        # that follows in the test, checking the update's effect, finds none
        for exchange in test.exchanges:
            status, kind, body = server.send(exchange)
            if exchange.is_update:
                assert status == 403 and body.decode() == READ_ONLY + "\n", (status, body)
            else:
                check_answer(exchange, status, kind, body,
                             boolean=None if exchange.boolean is None else not exchange.boolean)


def test_the_readme_states_the_figures_of_the_whole_manifest(servers):
    """All 34 tests, each of one kind, and the 4xx each bad request gets: the figures the README
    states ("Checked by the W3C's tests")."""
    assert len(TESTS) == 34, f"the suite is not at {SUITE} (or has changed)"
    kinds = [t.kind for t in TESTS]
    assert (kinds.count("query"), kinds.count("bad-request"), kinds.count("update")) == (13, 14, 7)
    statuses = [servers(t.graphs).send(e)[0] for t in TESTS if t.kind == "bad-request" for e in t.exchanges]
    assert sorted(statuses) == [400] * 2 + [403] * 5 + [405] + [415] * 6
    readme = " ".join((PROJECT / "README.md").read_text(encoding="utf-8").split())
    for figure in ("all 34 tests of the W3C SPARQL 1.1 Protocol suite", "All 13 query tests pass",
                   "All 14 bad-request tests get a 4xx", "The 7 update tests",
                   "403 for the five bad updates"):
        assert figure in readme, figure
