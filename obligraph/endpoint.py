"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (`obligraph serve`), on Werkzeug.

`/sparql` answers GET ?query=, form POST and application/sparql-query POST, with the results
format chosen by the Accept header. It refuses SPARQL Update and SERVICE (403) before Oxigraph
sees the request, so the store never changes and the server never fetches a URL a query names.
Beside it: `/` a query page, `/queries.json` the named query library, `/graph` the network page."""

from __future__ import annotations

import errno
import json
import secrets
import socket
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from . import sparqltext
from .errors import ServeError
from .pipeline import HTML_FILE, Paths
from .query import _ERROR_AT, library, open_store
from .rdf import OBID

TEMPLATES = Path(__file__).parent / "templates"
JSON_RESULTS = "application/sparql-results+json"
# media type → serialiser; the first of each is the default (no Accept header, or */*)
RESULTS_TYPES = {
    JSON_RESULTS: ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
READ_ONLY = ("SPARQL Update is not allowed: this endpoint is read-only "
             "(load data with `obligraph build`, or push it to a writable store with `obligraph push`)")
NO_SERVICE = ("SERVICE is not allowed: this endpoint does not query other endpoints "
              "(federated queries would make the server fetch the URLs a query names)")


def _text(message: str, status: int) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.response = _text(message, status)


class Endpoint:
    """The WSGI application. The store is only ever read (queries, never updates)."""

    def __init__(self, store: ox.Store, *, html_path: Path | None = None) -> None:
        self.store = store
        self.html_path = Path(html_path) if html_path else None
        self.library = library()
        self.routes = Map([
            Rule("/", endpoint="page", methods=["GET"]),
            Rule("/sparql", endpoint="sparql", methods=["GET", "POST"]),
            Rule("/queries.json", endpoint="queries", methods=["GET"]),
            Rule("/graph", endpoint="graph", methods=["GET"]),
        ])
        self.templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
        self.handlers: dict[str, Callable[[Request], Response]] = {
            "page": self.page, "sparql": self.sparql, "queries": self.queries, "graph": self.graph}

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.update(CORS)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        adapter = self.routes.bind_to_environ(request.environ)
        try:
            name, _ = adapter.match()
        except MethodNotAllowed as error:
            if request.method == "OPTIONS":  # CORS preflight, for any route
                return Response(status=204, headers={"Allow": ", ".join(error.valid_methods or [])})
            return _text(f"{request.method} is not allowed here: use "
                         f"{' or '.join(error.valid_methods or [])}", 405)
        except NotFound:
            return _text(f"nothing at {request.path}: the SPARQL endpoint is /sparql, "
                         "the query page /", 404)
        except HTTPException as error:  # e.g. a redirect to add a slash
            return error.get_response(request.environ)
        if request.method == "OPTIONS":
            return Response(status=204)
        try:
            return self.handlers[name](request)
        except _Refused as refused:
            return refused.response

    # --- /sparql ---------------------------------------------------------------------------

    def sparql(self, request: Request) -> Response:
        text = self._query_text(request)
        if sparqltext.is_update(text):
            raise _Refused(READ_ONLY, 403)
        if sparqltext.names_service(text):
            raise _Refused(NO_SERVICE, 403)
        options = self._dataset(request, text)
        try:
            results = self.store.query(text, **options)
            if isinstance(results, ox.QueryTriples):
                mimetype = self._negotiate(request, GRAPH_TYPES)
                body = results.serialize(format=GRAPH_TYPES[mimetype])
            else:
                mimetype = self._negotiate(request, RESULTS_TYPES)
                body = results.serialize(format=RESULTS_TYPES[mimetype])
        except SyntaxError as error:
            match = _ERROR_AT.match(str(error))
            where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
            return _text(f"SPARQL syntax error{where}: {match.group(3) if match else error}", 400)
        except (RuntimeError, OSError, ValueError) as error:  # evaluation errors
            return _text(f"the query failed: {error}", 500)
        response = Response(body, mimetype=mimetype)
        response.vary.add("Accept")
        return response

    def _query_text(self, request: Request) -> str:
        kind = request.mimetype
        if request.method == "POST" and kind == "application/sparql-update":
            raise _Refused(READ_ONLY, 403)
        if "update" in request.args or (request.method == "POST" and "update" in request.form):
            raise _Refused(READ_ONLY, 403)
        if request.method == "POST" and kind == "application/sparql-query":
            queries = [request.get_data(as_text=True)]
        elif request.method == "POST" and kind == "application/x-www-form-urlencoded":
            queries = request.form.getlist("query")
        elif request.method == "POST":
            raise _Refused(f"unsupported Content-Type {kind or '(none)'!r}: POST a query as "
                           "application/sparql-query or application/x-www-form-urlencoded (query=…)", 415)
        else:
            queries = request.args.getlist("query")
        if len(queries) != 1 or not queries[0].strip():
            raise _Refused("give exactly one SPARQL query: /sparql?query=… (GET), a form POST "
                           "with query=…, or a POST of Content-Type application/sparql-query "
                           "(the query page is at /)", 400)
        return queries[0]

    def _dataset(self, request: Request, text: str) -> dict:
        """The protocol's default-graph-uri / named-graph-uri, when given, choose the dataset;
        a query's own FROM clauses otherwise; else the default graph is the union of all graphs."""
        def iris(name: str) -> list[ox.NamedNode]:
            values = request.args.getlist(name) + (request.form.getlist(name) if request.method == "POST" else [])
            try:
                return [ox.NamedNode(value) for value in dict.fromkeys(values)]  # a merge: once each
            except ValueError as error:
                raise _Refused(f"{name}: {error}", 400) from None
        default, named = iris("default-graph-uri"), iris("named-graph-uri")
        if default or named:
            return {"default_graph": default, "named_graphs": named}
        if sparqltext.names_dataset(text):
            return {}
        return {"use_default_graph_as_union": True}

    @staticmethod
    def _negotiate(request: Request, offered: dict) -> str:
        """The best of the offered types for the Accept header; the first one when the client
        accepts none of them (a browser's text/html), so a plain link still shows results."""
        if not request.accept_mimetypes:
            return next(iter(offered))
        return request.accept_mimetypes.best_match(list(offered)) or next(iter(offered))

    # --- the page, the library, the network page ------------------------------------------------

    def page(self, request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        html = self.templates.get_template("query_page.html.j2").render(
            queries=self.library, nonce=nonce, entity_base=str(OBID),
            graph_page=self.html_path is not None and self.html_path.is_file())
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
        return response

    def queries(self, request: Request) -> Response:
        return Response(json.dumps(library_json(self.library), ensure_ascii=False, indent=1),
                        mimetype="application/json")

    def graph(self, request: Request) -> Response:
        if self.html_path is None or not self.html_path.is_file():
            return _text(f"the network page has not been written ({self.html_path or HTML_FILE}): "
                         "run `obligraph html`, then restart `obligraph serve`", 404)
        return Response(self.html_path.read_bytes(), mimetype="text/html")


def library_json(queries) -> list[dict]:
    return [{"name": q.name, "title": q.title, "question": q.question,
             "parameters": [{"name": p.name, "required": p.required, "description": p.description}
                            for p in q.parameters],
             "text": q.text} for q in queries]


def make_app(store: ox.Store, *, html_path: Path | None = None) -> Endpoint:
    """The WSGI application serving ``store`` read-only (and ``html_path`` at /graph)."""
    return Endpoint(store, html_path=html_path)


def _can_listen(host: str, port: int) -> None:
    """Bind a probe socket first, so a busy port is a ServeError (Werkzeug would print and exit)."""
    try:
        family = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                         hint="another server may be using the port: pass --port N, or stop it"
                         if error.errno == errno.EADDRINUSE else "check --host (e.g. 127.0.0.1)") from None


def make_http_server(*, host: str = "127.0.0.1", port: int = 7878, graph: Path | None = None):
    """(a threaded Werkzeug server over the built graph, bound but not yet serving; the store)."""
    store = open_store(graph)
    html_path = (Path(graph).parent if graph else Paths().out) / HTML_FILE
    _can_listen(host, port)
    try:
        return make_server(host, port, make_app(store, html_path=html_path), threaded=True), store
    except (OSError, SystemExit) as error:  # lost a race for the port
        raise ServeError(f"cannot listen on {host}:{port}", hint="pass another --port") from error


def serve(*, host: str = "127.0.0.1", port: int = 7878, graph: Path | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Serve the built graph until interrupted (Ctrl-C)."""
    server, store = make_http_server(host=host, port=port, graph=graph)
    base = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}"
    announce(f"serving {len(store)} triples (read-only) at {base}/sparql; query page {base}/ "
             "— Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
