"""Talking to other SPARQL servers: push the built dataset to a store (Graph Store Protocol PUT, or
SPARQL Update), and run the named queries against an endpoint (SPARQL 1.1 Protocol). Only the
URLs the user gives are contacted. HTTP failures become EndpointUnreachableError /
EndpointRefusedError with the URL and what to do."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pyoxigraph as ox
import requests

from ..errors import EndpointRefusedError, EndpointUnreachableError, QueryError, RemoteError
from .query import (NamedQuery, ResultFormat, check_parameters, literal_unbindable, no_such_entity,
                    open_store, parameter_term, parameter_type, values_clause, with_values_first)
from ..graph.rdf import OBID, local_name
from .results import table

JSON_RESULTS = "application/sparql-results+json"
ACCEPT = {  # what to ask for; graph results (CONSTRUCT, DESCRIBE) come back as Turtle
    ResultFormat.TABLE: f"{JSON_RESULTS}, text/turtle;q=0.5",
    ResultFormat.JSON: f"{JSON_RESULTS}, text/turtle;q=0.5",
    ResultFormat.CSV: "text/csv, text/turtle;q=0.5",
    ResultFormat.TSV: "text/tab-separated-values, text/turtle;q=0.5",
}
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
CHUNK = 5000          # N-Triples lines per INSERT DATA request
TIMEOUT = (10, 600)   # seconds: to connect, to read an answer
_HINTS = {
    400: "the server could not parse the request: check the query (run it locally with "
         "`obligraph query` to see the line and column)",
    401: "the server wants credentials: Obligraph sends none; open the endpoint or use a local one",
    403: "the server refuses this: is it read-only (e.g. `oxigraph serve-read-only`, `obligraph "
         "serve`)? push to its writable update / graph store URL",
    404: "check the URL: Oxigraph serves /query, /update and /store; Fuseki /DATASET/sparql, "
         "/DATASET/update and /DATASET/data; GraphDB /repositories/REPO and /repositories/REPO/statements",
    405: "this URL does not take this request: is it the query URL where the update or graph store "
         "URL is needed (or the other way round)?",
    415: "the server does not accept this media type: is the URL a SPARQL or Graph Store endpoint?",
}


@dataclass(frozen=True)
class PushReport:
    graphs: int
    triples: int
    requests: int
    seconds: float


class Client:
    """One HTTP session against the URLs the user named."""

    def __init__(self, *, session: requests.Session | None = None) -> None:
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "obligraph"

    def request(self, method: str, url: str, *, writing: bool = False, **kwargs) -> requests.Response:
        """``writing``: a push (an update, a graph PUT) — a server to suggest is a writable one."""
        try:
            response = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                requests.exceptions.InvalidURL) as error:
            raise RemoteError(f"not an http(s) URL ({error})", path=url,
                              hint="give the full URL, e.g. http://127.0.0.1:7878/query") from None
        except requests.exceptions.Timeout:
            raise EndpointUnreachableError(f"no answer within {TIMEOUT[1]} s", path=url,
                                           hint="the server may be overloaded; try again") from None
        except requests.exceptions.ConnectionError as error:
            reason = "connection refused" if "refused" in str(error).lower() else "cannot connect"
            # `obligraph serve` is read-only: a place to query, never to push to
            servers = "`oxigraph serve --location DIR`" + ("" if writing else " or `obligraph serve`")
            raise EndpointUnreachableError(reason, path=url,
                                           hint=f"is the server running at this address? start one "
                                                f"with {servers}, or check the URL") from None
        if response.status_code >= 400:
            body = " ".join(response.text.split())[:300]
            raise EndpointRefusedError(
                f"HTTP {response.status_code} {response.reason}" + (f": {body}" if body else ""),
                status=response.status_code, path=url,
                hint=_HINTS.get(response.status_code, "the server failed; its log may say why"
                                if response.status_code >= 500 else "check the URL and the request"))
        return response

    # --- SPARQL 1.1 Protocol --------------------------------------------------------------------

    def query(self, endpoint: str, text: str, *, accept: str = JSON_RESULTS,
              default_graphs: list[str] = ()) -> requests.Response:
        """POST the query as a form (query=…, default-graph-uri=… once per graph)."""
        form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
        return self.request("POST", endpoint, data=form, headers={"Accept": accept})

    def select(self, endpoint: str, text: str, *, default_graphs: list[str] = ()) -> dict:
        response = self.query(endpoint, text, default_graphs=default_graphs)
        try:
            return response.json()
        except ValueError:
            raise RemoteError(f"the answer is not SPARQL JSON results (Content-Type "
                              f"{response.headers.get('Content-Type')!r})", path=endpoint,
                              hint="is the URL a SPARQL query endpoint?") from None

    def named_graphs(self, endpoint: str) -> list[str]:
        data = self.select(endpoint, GRAPHS_QUERY)
        return sorted(row["g"]["value"] for row in data["results"]["bindings"]
                      if row.get("g", {}).get("type") == "uri")

    def update(self, endpoint: str, text: str) -> None:
        try:
            self.request("POST", endpoint, data={"update": text}, writing=True)
        except EndpointRefusedError as error:
            if error.status in (400, 404, 405, 415):
                error.hint = ("is this the SPARQL Update URL? Oxigraph's is /update, Fuseki's "
                              "/DATASET/update, GraphDB's /repositories/REPO/statements; or push "
                              "with --graph-store URL (Oxigraph: /store)")
            raise

    # --- SPARQL 1.1 Graph Store Protocol --------------------------------------------------------

    def put_graph(self, graph_store: str, graph: str, ntriples: bytes) -> None:
        self.request("PUT", graph_store, params={"graph": graph}, data=ntriples, writing=True,
                     headers={"Content-Type": "application/n-triples"})


class StoreLayout(str, Enum):
    """Where a server keeps its SPARQL query, update and Graph Store endpoints, under its base URL."""

    OXIGRAPH = "oxigraph"   # http://HOST:7878 → /query, /update, /store
    FUSEKI = "fuseki"       # http://HOST:3030/DATASET → /sparql, /update, /data
    GRAPHDB = "graphdb"     # http://HOST:7200/repositories/REPO → itself, /statements


# GraphDB's graphs are replaced through its update endpoint, as `push --endpoint` does
_LAYOUTS = {StoreLayout.OXIGRAPH: ("/query", "/update", "/store"),
            StoreLayout.FUSEKI: ("/sparql", "/update", "/data"),
            StoreLayout.GRAPHDB: ("", "/statements", None)}


_STORE_HINT = ("is --store the server's base URL and --store-layout its kind? oxigraph: "
               "http://HOST:7878; fuseki: http://HOST:3030/DATASET; graphdb: "
               "http://HOST:7200/repositories/REPO (an Oxigraph server must be writable: `oxigraph serve`)")


def _store_refusal(method):
    """A refused request of the build's store says which option to check, not push's."""
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except EndpointRefusedError as error:
            if error.status in (400, 403, 404, 405, 415):
                error.hint = _STORE_HINT
            raise
    return call


class RemoteStore:
    """A SPARQL server the build writes to (pipeline.build_on): Graph Store PUT for each graph,
    SPARQL Update for the rules, a COUNT query to see what they concluded."""

    def __init__(self, url: str, *, layout: StoreLayout = StoreLayout.OXIGRAPH,
                 client: Client | None = None) -> None:
        base = url.rstrip("/")
        self.query_url, self.update_url, self.graph_store_url = (
            None if path is None else base + path for path in _LAYOUTS[layout])
        self.client = client or Client()
        self.requests = 0

    @_store_refusal
    def put_graph(self, graph: str, ntriples: bytes) -> None:
        if self.graph_store_url:
            self.client.put_graph(self.graph_store_url, graph, ntriples)
            self.requests += 1
        else:
            lines = [line for line in ntriples.split(b"\n") if line.strip()]
            self.requests += replace_by_update(self.client, self.update_url, ox.NamedNode(graph), lines)

    @_store_refusal
    def update(self, text: str) -> None:
        self.client.update(self.update_url, text)
        self.requests += 1

    @_store_refusal
    def count(self, graph: str) -> int:
        data = self.client.select(self.query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        self.requests += 1
        return int(data["results"]["bindings"][0]["n"]["value"])

    @_store_refusal
    def ask(self, text: str) -> bool:
        self.requests += 1
        return bool(self.client.query(self.query_url, text).json().get("boolean"))

    @_store_refusal
    def named_graphs(self) -> list[str]:
        self.requests += 1
        return self.client.named_graphs(self.query_url)


def _ntriples(store: ox.Store, graph: ox.NamedNode) -> list[bytes]:
    return [line for line in store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).split(b"\n")
            if line.strip()]


def push(*, endpoint: str | None = None, graph_store: str | None = None, graph: Path | None = None,
         chunk: int = CHUNK, client: Client | None = None) -> PushReport:
    """Replace each named graph of the built dataset on a server: PUT to ``graph_store?graph=IRI``
    when given, else DROP SILENT GRAPH + INSERT DATA (``chunk`` triples a request) to ``endpoint``."""
    if not endpoint and not graph_store:
        raise RemoteError("nowhere to push: give --endpoint (SPARQL Update) or --graph-store",
                          hint="e.g. --graph-store http://127.0.0.1:7878/store for `oxigraph serve`")
    client = client or Client()
    store = open_store(graph)
    started, requests_sent, triples = time.perf_counter(), 0, 0
    graphs = sorted(store.named_graphs(), key=str)
    for name in graphs:
        lines = _ntriples(store, name)
        triples += len(lines)
        if graph_store:
            client.put_graph(graph_store, name.value, b"\n".join(lines) + b"\n")
            requests_sent += 1
            continue
        requests_sent += replace_by_update(client, endpoint, name, lines, chunk=chunk)
    return PushReport(len(graphs), triples, requests_sent, time.perf_counter() - started)


def replace_by_update(client: Client, endpoint: str, name: ox.NamedNode, lines: list[bytes], *,
                      chunk: int = CHUNK) -> int:
    """Replace a named graph with these N-Triples lines by SPARQL Update (DROP SILENT GRAPH, then
    INSERT DATA of ``chunk`` lines a request); the number of requests."""
    sent = 0
    for number, start in enumerate(range(0, max(len(lines), 1), chunk)):
        body = b"\n".join(lines[start:start + chunk]).decode("utf-8")
        insert = f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"
        # the DROP goes with the first chunk, in one request: a small graph is replaced at once
        client.update(endpoint, f"DROP SILENT GRAPH {name} ;\n{insert}" if number == 0 else insert)
        sent += 1
    return sent


# --- named queries against an endpoint -------------------------------------------------------------

def with_values(text: str, iris: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with each parameter bound by VALUES (validated terms only): opening its WHERE
    group where that keeps its meaning (servers join it first, as Oxigraph does), else trailing."""
    if not iris:
        return text
    return with_values_first(text, iris) or f"{text.rstrip()}\n{values_clause(iris)}\n"


def _bound(query: NamedQuery, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """with_values, refusing a literal parameter (a date) that only a trailing VALUES could bind:
    joined after the pattern, it would narrow nothing a FILTER compares it with."""
    if terms and with_values_first(query.text, terms) is None:
        unbindable = literal_unbindable(query, terms)
        if unbindable:
            raise unbindable
    return with_values(query.text, terms)


def _parameters(client: Client, endpoint: str, query: NamedQuery, params: dict[str, str],
                graphs: list[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    check_parameters(query, params)
    for name in sorted(params):  # a VALUES clause on a variable the query lacks would join nothing
        if not re.search(rf"[?$]{re.escape(name)}\b", query.text):
            raise QueryError(f"the query cannot run: it has no variable ?{name}",
                             path=None if query.path.name == "<query>" else str(query.path),
                             hint="a --param must name a variable of the SELECT clause")
    iris = {name: parameter_term(query, name, value) for name, value in params.items()}
    for name, value in sorted(params.items()):
        if not parameter_type(query, name).entity or value.startswith(("http://", "https://")):
            continue
        known = client.query(endpoint, f"ASK {{ {iris[name]} ?p ?o }}", default_graphs=graphs).json()
        if not known.get("boolean"):
            ids = client.select(endpoint, "SELECT DISTINCT ?id WHERE { ?e <http://purl.org/dc/terms/"
                                f"identifier> ?id FILTER(STRSTARTS(STR(?e), \"{OBID}\")) }}",
                                default_graphs=graphs)
            raise no_such_entity(value, name, [row["id"]["value"] for row in ids["results"]["bindings"]])
    return iris


def run(query: NamedQuery, *, endpoint: str, params: dict[str, str] | None = None,
        fmt: ResultFormat = ResultFormat.TABLE, width: int = 80, client: Client | None = None) -> str:
    """A named query (or text) run on a remote endpoint, over the merge of its named graphs,
    rendered like a local `obligraph query`."""
    client = client or Client()
    graphs = client.named_graphs(endpoint)
    text = _bound(query, _parameters(client, endpoint, query, params or {}, graphs))
    response = client.query(endpoint, text, accept=ACCEPT[fmt], default_graphs=graphs)
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    if fmt is not ResultFormat.TABLE or kind not in (JSON_RESULTS, "application/json"):
        body = response.content.decode("utf-8")
        return body if body.endswith("\n") else body + "\n"
    data = response.json()
    if "boolean" in data:
        return ("yes" if data["boolean"] else "no") + "\n"
    header = data["head"]["vars"]
    labels = _labels(client, endpoint, data["results"]["bindings"], graphs)
    rows = [[_cell(row.get(name), labels) for name in header] for row in data["results"]["bindings"]]
    return table(header, rows, width)


def rows(data: dict) -> list[dict]:
    """SPARQL JSON results as a list of dicts of values (strings; None when unbound)."""
    if "boolean" in data:
        return [{"result": data["boolean"]}]
    return [{name: row[name]["value"] if name in row else None for name in data["head"]["vars"]}
            for row in data["results"]["bindings"]]


def _labels(client: Client, endpoint: str, bindings: list[dict], graphs: list[str]) -> dict[str, str]:
    """rdfs:label (else dcterms:title) of every IRI in the results, in one query."""
    iris = sorted({term["value"] for row in bindings for term in row.values() if term["type"] == "uri"})
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    data = client.select(endpoint, f"""SELECT ?s (MIN(?l) AS ?label) (MIN(?t) AS ?title) WHERE {{
  VALUES ?s {{ {values} }}
  {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} UNION {{ ?s <http://purl.org/dc/terms/title> ?t }}
}} GROUP BY ?s""", default_graphs=graphs)
    found = {}
    for row in data["results"]["bindings"]:
        label = row.get("label") or row.get("title")
        if label:
            found[row["s"]["value"]] = label["value"]
    return found


def _cell(term: dict | None, labels: dict[str, str]) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return labels.get(term["value"]) or local_name(term["value"])
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    return term["value"]

