"""`obligraph serve` in-process (Werkzeug's test Client, no network): the SPARQL 1.1 Protocol,
content negotiation, read-only refusals, SERVICE refusal, CORS only where named, the query page and the library."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
from werkzeug.test import Client

from obligraph.answer import sparqltext
from obligraph.answer.endpoint import NO_SERVICE, READ_ONLY, make_app
from obligraph.answer.query import library, open_store
from obligraph.graph.rdf import OBID

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CHINA = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
         "SELECT ?label WHERE { <https://w3id.org/obligraph/id/china> rdfs:label ?label }")
CONSTRUCT = ("CONSTRUCT { <https://w3id.org/obligraph/id/china> ?p ?o } WHERE {\n"
             "  <https://w3id.org/obligraph/id/china> ?p ?o FILTER(?p = <http://www.w3.org/2000/01/rdf-schema#label>) }")
JSON = "application/sparql-results+json"
ENTITIES = "https://w3id.org/obligraph/graph/entities"


@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.fixture(scope="module")
def client(store, tmp_path_factory):
    page = tmp_path_factory.mktemp("graph") / "obligraph.html"
    page.write_text("<!DOCTYPE html><title>network</title>", encoding="utf-8")
    return Client(make_app(store, html_path=page))


def total(store) -> int:
    return len(store)


def in_entities(store) -> str:
    return str(len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(ENTITIES)))))


def value(response) -> str:
    return response.json["results"]["bindings"][0]["n"]["value"]


def test_get_returns_sparql_json_over_the_union_of_named_graphs(client, store):
    response = client.get("/sparql", query_string={"query": COUNT})
    assert response.status_code == 200
    assert response.mimetype == JSON
    assert int(value(response)) == total(store) > 10000
    assert response.headers["Vary"] == "Accept"


def test_post_sparql_query_and_form_post_give_the_same_answer(client):
    direct = client.post("/sparql", data=CHINA, content_type="application/sparql-query")
    form = client.post("/sparql", data={"query": CHINA})
    assert direct.status_code == form.status_code == 200
    assert direct.json == form.json == {"head": {"vars": ["label"]}, "results": {"bindings": [
        {"label": {"type": "literal", "value": "China"}}]}}


@pytest.mark.parametrize("accept, mimetype, check", [
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda text: '<literal>China</literal>' in text and text.startswith("<?xml")),
    ("text/csv", "text/csv", lambda text: list(csv.reader(io.StringIO(text))) == [["label"], ["China"]]),
    ("text/tab-separated-values", "text/tab-separated-values", lambda text: text.split("\n")[:2] == ["?label", '"China"']),
    ("application/json", "application/json", lambda text: json.loads(text)["head"]["vars"] == ["label"]),
    ("text/html,application/xhtml+xml,*/*;q=0.8", JSON, lambda text: '"value":"China"' in text),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", lambda text: "China" in text),
])
def test_accept_chooses_the_results_format(client, accept, mimetype, check):
    response = client.get("/sparql", query_string={"query": CHINA}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert check(response.get_data(as_text=True))


def test_ask(client):
    response = client.get("/sparql", query_string={"query": "ASK { ?s a <https://w3id.org/obligraph/ontology#State> }"})
    assert response.status_code == 200 and response.json == {"head": {}, "boolean": True}
    csv_answer = client.get("/sparql", query_string={"query": "ASK { <urn:nothing> ?p ?o }"},
                            headers={"Accept": "text/csv"})
    assert csv_answer.get_data(as_text=True) == "false"


def test_construct_is_turtle_by_default_and_n_triples_on_request(client):
    turtle = client.get("/sparql", query_string={"query": CONSTRUCT})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    parsed = list(ox.parse(turtle.data, format=ox.RdfFormat.TURTLE))
    assert [(t.predicate.value, t.object.value) for t in parsed] == [
        ("http://www.w3.org/2000/01/rdf-schema#label", "China")]
    nt = client.post("/sparql", data=CONSTRUCT, content_type="application/sparql-query",
                     headers={"Accept": "application/n-triples"})
    assert nt.mimetype == "application/n-triples"
    assert nt.get_data(as_text=True) == (f"<{OBID}china> <http://www.w3.org/2000/01/rdf-schema#label> "
                                         '"China" .\n')
    describe = client.get("/sparql", query_string={"query": f"DESCRIBE <{OBID}china>"},
                          headers={"Accept": "application/n-triples"})
    assert describe.status_code == 200 and f"<{OBID}china> " in describe.get_data(as_text=True)


def test_a_malformed_query_is_400_with_line_and_column(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == \
        "SPARQL syntax error: expected one of LATERAL, SERVICE (line 2, column 16)\n"


def test_a_forgotten_prefix_is_named_where_it_is_written_and_the_usual_ones_are_declared(client):
    text = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = foo:x)\n}"
    response = client.get("/sparql", query_string={"query": text})
    assert (response.status_code, response.get_data(as_text=True)) == (400, (
        "unknown prefix 'foo:' (line 3, column 15) → declare it with PREFIX foo: <…> or use one of ob, obid, "
        "obsrc, obclaim, obg, rdf, rdfs, xsd, owl, skos, dcterms, prov, oa (`obligraph prefixes` lists them)\n"))
    declared = client.get("/sparql", query_string={"query": "SELECT ?l WHERE { obid:china rdfs:label ?l }"},
                          headers={"Accept": "text/csv"})
    assert declared.get_data(as_text=True).splitlines() == ["l", "China"]
    # a query's own PREFIX wins over the declared one
    own = client.get("/sparql", query_string={"query": "PREFIX obid: <urn:x:> SELECT ?l WHERE { obid:china rdfs:label ?l }"},
                     headers={"Accept": "text/csv"})
    assert own.get_data(as_text=True).splitlines() == ["l"]


def test_no_query_is_400(client):
    response = client.get("/sparql")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("give exactly one SPARQL query: /sparql?query=…")


def test_a_direct_post_is_utf8_and_relative_iris_resolve_against_the_endpoint(client):
    """The SPARQL 1.1 Protocol's rules (W3C tests bad_query_non_utf8 and
    query_content_type_construct, tests/test_w3c_protocol.py): a query POSTed directly is UTF-8,
    and the service chooses the base IRI, here its own URL."""
    utf16 = client.post("/sparql", data="ASK {}".encode("utf-16"),
                        content_type="application/sparql-query; charset=UTF-16")
    assert utf16.status_code == 415 and utf16.get_data(as_text=True).startswith(
        "unsupported charset 'utf-16': send the query in UTF-8")
    latin1 = client.post("/sparql", data='ASK { FILTER("café" != "") }'.encode("latin-1"),
                         content_type="application/sparql-query")
    assert latin1.status_code == 400 and latin1.get_data(as_text=True) == \
        "the query is not valid UTF-8 (byte 17): send it in UTF-8\n"
    utf8 = client.post("/sparql", data='ASK { FILTER("café" = "caf\\u00E9") }'.encode(),
                       content_type="application/sparql-query; charset=utf-8")
    assert utf8.status_code == 200 and utf8.json["boolean"] is True
    relative = client.post("/sparql", data="CONSTRUCT { <s> <p> <o> } WHERE {}",
                           content_type="application/sparql-query", headers={"Accept": "application/n-triples"})
    assert relative.status_code == 200
    assert relative.get_data(as_text=True) == \
        "<http://localhost/s> <http://localhost/p> <http://localhost/o> .\n"


UPDATES = ["INSERT DATA { GRAPH <urn:g> { <urn:x> <urn:p> 1 } }",
           "LOAD <http://127.0.0.1:9/data.ttl>",
           "CLEAR ALL",
           "DROP GRAPH <https://w3id.org/obligraph/graph/entities>",
           "PREFIX ob: <https://w3id.org/obligraph/ontology#>\n# a comment\nDELETE WHERE { ?s a ob:State }"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_with_403_and_the_store_is_unchanged(client, store, update):
    before = total(store)
    sent = [client.post("/sparql", data={"update": update}),
            client.post("/sparql", data=update, content_type="application/sparql-update"),
            client.get("/sparql", query_string={"update": update}),
            client.get("/sparql", query_string={"query": update}),   # an update sent as a query
            client.post("/sparql", data=update, content_type="application/sparql-query")]
    for response in sent:
        assert response.status_code == 403
        assert response.get_data(as_text=True) == READ_ONLY + "\n"
    assert READ_ONLY.startswith("SPARQL Update is not allowed: this endpoint is read-only")
    assert total(store) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused_with_403(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403
    assert response.get_data(as_text=True) == (
        "SERVICE is not allowed: this endpoint does not query other endpoints "
        "(federated queries would make the server fetch the URLs a query names)\n") == NO_SERVICE + "\n"


def test_service_as_a_word_in_strings_iris_and_names_is_not_refused(client):
    query = ('PREFIX ex: <http://example.org/SERVICE#>\nSELECT ?service WHERE { # SERVICE\n'
             '  VALUES ?service { "SERVICE" ex:service <urn:SERVICE> } }')
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200 and len(response.json["results"]["bindings"]) == 3


def test_sparqltext_reads_the_form_past_prefixes_and_comments():
    assert sparqltext.form("PREFIX a: <http://x#>\nBASE <http://y/>\n# INSERT\nSELECT * {}") == "SELECT"
    assert sparqltext.form("prefix : <urn:x>\nload <http://x>") == "LOAD"
    assert sparqltext.is_update("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert not sparqltext.is_update('SELECT * { ?s ?p "INSERT" }')


def test_default_graph_uri_and_named_graph_uri_choose_the_dataset(client, store):
    n = in_entities(store)
    entities = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": ENTITIES})
    assert value(entities) == n != str(total(store))
    form = client.post("/sparql", data={"query": COUNT, "default-graph-uri": [ENTITIES, ENTITIES]})
    assert value(form) == n
    named = client.get("/sparql", query_string={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "named-graph-uri": ENTITIES})
    assert [(b["g"]["value"], b["n"]["value"]) for b in named.json["results"]["bindings"]] == [(ENTITIES, n)]
    empty_default = client.get("/sparql", query_string={"query": COUNT, "named-graph-uri": ENTITIES})
    assert value(empty_default) == "0"
    from_clause = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}"})
    assert value(from_clause) == n
    bad = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400
    assert bad.get_data(as_text=True) == "default-graph-uri: Invalid IRI code point ' '\n"


def test_no_cors_by_default_and_only_to_the_origins_named(store):
    """Another origin gets no CORS header and a 403 (it could read every full text); one named by
    --cors gets its own origin back, never `*`."""
    closed = Client(make_app(store))
    refused = closed.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert refused.get_data(as_text=True) == (
        "requests from other origins are refused: this endpoint answers its own pages and clients "
        "that are not web pages (this request came from https://yasgui.example)\n"
        "  → to let a page of ORIGIN query this endpoint, use `obligraph serve --cors ORIGIN`\n")
    plain = closed.get("/sparql", query_string={"query": "ASK {}"})  # curl, requests: no Origin
    assert plain.status_code == 200 and "Access-Control-Allow-Origin" not in plain.headers
    client = Client(make_app(store, cors=("https://yasgui.example",)))
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    assert "Origin" in response.headers["Vary"]
    preflight = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    other = client.options("/sparql", headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "POST"})
    assert other.status_code == 403 and "Access-Control-Allow-Origin" not in other.headers


def test_other_methods_and_paths(client):
    assert client.put("/sparql").status_code == 405
    other = client.post("/sparql", data="x", content_type="text/plain")
    assert other.status_code == 415 and other.get_data(as_text=True).startswith("unsupported Content-Type 'text/plain'")
    missing = client.get("/nothing")
    assert missing.status_code == 404
    assert missing.get_data(as_text=True) == "nothing at /nothing: the SPARQL endpoint is /sparql, the query page /\n"


def test_the_page_is_self_contained_and_lists_the_library(client):
    """YASGUI (vendored) and the page's own script and style inlined, each under the nonce; outside
    the vendored bundle, which names URLs in its help links and its prefix list (what it would
    fetch is switched off: tests/test_query_page_browser.py proves no request leaves the origin),
    nothing is loaded from anywhere and the only absolute URLs are Obligraph's prefixes and the
    text of the named queries."""
    from obligraph.answer.endpoint import YASGUI, _page_assets
    from obligraph.answer.sparqlhelp import QUERY_PREFIXES
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assets = _page_assets()
    assert str(assets["yasgui_js"]) == (YASGUI / "yasgui.min.js").read_text(encoding="utf-8").replace("<!--", "\\x3C!--")
    for name in ("yasgui_js", "yasgui_css"):
        assert page.count(str(assets[name])) == 1
        page = page.replace(str(assets[name]), "")
    from obligraph.answer.query import TYPES
    allowed = {str(OBID), *QUERY_PREFIXES.values()} | {t.datatype for t in TYPES.values() if t.datatype} | {
        url for named in library() for url in re.findall(r"https?://[^\s\"'<>]*", named.text)}
    assert set(re.findall(r"https?://[^\s\"'<>\\]*", page)) <= allowed
    assert not re.search(r"<(link|img|iframe)\b|\bsrc\s*=|@import|url\(", page)
    for named in library():
        assert f'<option value="{named.name}">' in page
    assert "innerHTML" not in page and "textContent" in page
    nonce = re.search(r'<script nonce="([^"]+)">', page).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'nonce-{nonce}'" in policy and f"style-src 'nonce-{nonce}'" in policy
    assert "unsafe" not in policy and "connect-src 'self'" in policy
    tags = re.findall(r"<(script|style)\b([^>]*)>", page)
    assert len(tags) == 6 and all(f'nonce="{nonce}"' in attrs or 'type="application/json"' in attrs
                                  for _, attrs in tags)
    assert 'href="graph"' in page


def test_the_page_escapes_query_titles(store, tmp_path, monkeypatch):
    from obligraph.answer import endpoint
    (tmp_path / "x.rq").write_text('# title: <script>alert("x")</script>\nSELECT * {}', encoding="utf-8")
    monkeypatch.setattr(endpoint, "library", lambda: __import__("obligraph.answer.query", fromlist=["library"]).library(tmp_path))
    page = Client(make_app(store)).get("/").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; (x)" in page
    assert '<script>alert("x")' not in page
    assert 'href="graph"' not in page


def test_queries_json_lists_the_library(client):
    response = client.get("/queries.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    listed = {q["name"]: q for q in response.json}
    assert set(listed) == {q.name for q in library()}
    evidence = listed["evidence-for"]
    assert evidence["title"] == "Evidence for an entity"
    assert evidence["parameters"] == [{"name": "entity", "required": True,
                                       "description": "an entity id, e.g. china",
                                       "type": "iri", "datatype": None}]
    assert evidence["text"] == (library()[[q.name for q in library()].index("evidence-for")]).text


def test_graph_serves_the_network_page_or_says_how_to_make_it(client, store):
    assert client.get("/graph").get_data(as_text=True) == "<!DOCTYPE html><title>network</title>"
    missing = Client(make_app(store)).get("/graph")
    assert missing.status_code == 404
    assert "run `obligraph html`" in missing.get_data(as_text=True)


def test_the_readme_curl_example_is_real(client, store):
    from obligraph.graph.pipeline import PROJECT
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ curl -s http://127.0.0.1:7878/sparql -H 'Accept: text/csv' --data-urlencode 'query=\n", 1)[1]
    query, shown = example.split("'\n", 1)
    shown = shown.split("$ curl", 1)[0].splitlines()
    answer = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    lines = answer.get_data(as_text=True).splitlines()
    assert shown[:3] == lines[:3] and shown[3] == "…" and shown[4] == lines[-1]
    assert f"serving {len(store)} triples in memory (read-only) at http://127.0.0.1:7878/sparql;" in readme
    assert f"--data-urlencode 'update=CLEAR ALL'\n{READ_ONLY}\n" in readme
