"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (`obligraph serve`), on Werkzeug.

`/sparql` answers GET ?query=, form POST and application/sparql-query POST, with the results
format chosen by the Accept header. It refuses SPARQL Update and SERVICE (403) before Oxigraph
sees the request, so the store never changes and the server never fetches a URL a query names
(unless the operator allows that endpoint: --allow-service URL). Limits: a request body over
``max_body`` bytes is 413; a query still running after ``timeout`` seconds is abandoned with 503
(Oxigraph cannot cancel a query: it runs in a worker thread the response stops waiting for, and
at most ``MAX_RUNNING`` run at once); a result over ``max_rows`` rows (solutions or triples) is
refused with 413 — never truncated, since a partial answer would read as a complete one.
Beside it: `/` a query page, `/queries.json` the named query library, `/graph` the network page."""

from __future__ import annotations

import errno
import json
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from . import sparqltext
from .errors import ServeError
from .pipeline import HTML_FILE, Paths
from .query import _ERROR_AT, library
from .rdf import OBID
from .store import load_store

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
TIMEOUT = 5.0  # seconds a query may run
MAX_ROWS = 10_000  # solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) a result may hold
MAX_BODY = 1_000_000  # bytes of a request body
MAX_RUNNING = 8  # queries evaluated at once, including abandoned ones still finishing


class _TooMany(Exception):
    pass


class _Abandoned(Exception):
    pass


class _Stopped(Exception):
    pass


class _CountingWriter:
    """The binary file Oxigraph writes TSV results into: counts the lines as they come and
    stops the writing (by raising) past ``limit`` rows, or once the response stopped waiting."""

    def __init__(self, limit: int, stop: threading.Event) -> None:
        self.limit, self.stop = limit, stop
        self.lines = 0
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        if self.stop.is_set():
            raise _Stopped()
        self.lines += data.count(b"\n")
        if self.lines > self.limit + 1:  # the header line, then one line a solution
            raise _TooMany()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _text(message: str, status: int) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.response = _text(message, status)


class _Capped:
    """wsgi.input that refuses to be read past ``limit`` bytes (Werkzeug checks Content-Length,
    but reads a body sent without one, chunked, to its end)."""

    def __init__(self, stream, limit: int) -> None:
        self.stream, self.limit, self.seen = stream, limit, 0

    def _count(self, data: bytes) -> bytes:
        self.seen += len(data)
        if self.seen > self.limit:
            raise RequestEntityTooLarge()
        return data

    def read(self, size: int = -1) -> bytes:
        size = self.limit + 1 - self.seen if size is None or size < 0 else min(size, self.limit + 1 - self.seen)
        return self._count(self.stream.read(max(size, 0)))

    def readline(self, size: int = -1) -> bytes:
        size = self.limit + 1 - self.seen if size is None or size < 0 else min(size, self.limit + 1 - self.seen)
        return self._count(self.stream.readline(max(size, 0)))


class Endpoint:
    """The WSGI application. The store is only ever read (queries, never updates)."""

    def __init__(self, store: ox.Store, *, html_path: Path | None = None, timeout: float = TIMEOUT,
                 max_rows: int = MAX_ROWS, max_body: int = MAX_BODY,
                 allow_service: tuple[str, ...] = ()) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_body = max_body
        self.allow_service = frozenset(allow_service)
        self.running = threading.BoundedSemaphore(MAX_RUNNING)
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
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _Capped(environ["wsgi.input"], self.max_body)
        request = Request(environ)
        # a body with Content-Length is checked against max_body before it is read; one without
        # (chunked) is refused by _Capped once read past it: never silently cut short
        request.max_form_memory_size = self.max_body
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
        except RequestEntityTooLarge:  # a body sent without Content-Length, read past the cap
            return _text(f"the request body is over the limit of {self.max_body} bytes: send a "
                         "shorter query", 413)

    # --- /sparql ---------------------------------------------------------------------------

    def sparql(self, request: Request) -> Response:
        if request.content_length is not None and request.content_length > self.max_body:
            raise _Refused(f"the request body is {request.content_length} bytes, over the limit of "
                           f"{self.max_body}: send a shorter query", 413)
        text = self._query_text(request)
        if sparqltext.is_update(text):
            raise _Refused(READ_ONLY, 403)
        if sparqltext.names_service(text):
            self._check_service(text)
        options = self._dataset(request, text)
        try:
            mimetype, body = self._evaluate(request, text, options)
        except _TooMany:
            return _text(f"the result has more than {self.max_rows} rows, the limit of this endpoint: "
                         "add LIMIT and OFFSET to read it in pages, or narrow the query "
                         "(the limit is `obligraph serve --max-rows N`)", 413)
        except _Abandoned as abandoned:
            return _text(str(abandoned), 503)
        except SyntaxError as error:
            match = _ERROR_AT.match(str(error))
            where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
            return _text(f"SPARQL syntax error{where}: {match.group(3) if match else error}", 400)
        except (RuntimeError, OSError, ValueError) as error:  # evaluation errors
            return _text(f"the query failed: {error}", 500)
        response = Response(body, mimetype=mimetype)
        response.vary.add("Accept")
        return response

    def _check_service(self, text: str) -> None:
        if not self.allow_service:
            raise _Refused(NO_SERVICE, 403)
        for target in sparqltext.service_targets(text):
            if target is None:
                raise _Refused("SERVICE must name its endpoint as an IRI, <https://…>, so it can be "
                               "checked against the allow-list (no variables or prefixed names)", 403)
            if target not in self.allow_service:
                raise _Refused(f"SERVICE <{target}> is not allowed: this endpoint only queries "
                               f"{', '.join(f'<{a}>' for a in sorted(self.allow_service))} "
                               "(`obligraph serve --allow-service URL`)", 403)

    def _evaluate(self, request: Request, text: str, options: dict) -> tuple[str, bytes]:
        """(media type, body) of the query's results, computed in a worker thread that the
        response stops waiting for at the deadline; more than max_rows rows raise _TooMany."""
        deadline = time.monotonic() + self.timeout
        if not self.running.acquire(timeout=self.timeout):
            raise _Abandoned(f"the server is busy: {MAX_RUNNING} queries are running; try again "
                             "later")
        outcome: dict = {}
        stop = threading.Event()
        finished = threading.Event()

        def work() -> None:
            try:
                outcome["value"] = self._results(request, text, options, stop)
            except BaseException as error:  # handed to the request thread, without its frames
                outcome["error"] = error.with_traceback(None)
            finally:
                self.running.release()
                finished.set()

        threading.Thread(target=work, name="sparql-query", daemon=True).start()
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            stop.set()  # the worker stops reading results; Oxigraph finishes what it is doing
            raise _Abandoned(f"the query took longer than {self.timeout:g} s, the limit of this "
                             "endpoint, and was abandoned: narrow it (fewer joins, a LIMIT), or "
                             "run it locally with `obligraph query` (the limit is `obligraph serve "
                             "--timeout SECONDS`)")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def _results(self, request: Request, text: str, options: dict,
                 stop: threading.Event) -> tuple[str, bytes]:
        results = self.store.query(text, **options)
        rows: list = []
        try:
            return self._serialize(request, results, rows, stop)
        finally:  # pyoxigraph's results must be dropped on the thread that made them
            del results
            rows.clear()

    def _serialize(self, request: Request, results, rows: list,
                   stop: threading.Event) -> tuple[str, bytes]:
        if isinstance(results, ox.QueryBoolean):
            mimetype = self._negotiate(request, RESULTS_TYPES)
            return mimetype, results.serialize(format=RESULTS_TYPES[mimetype])
        if isinstance(results, ox.QuerySolutions):
            return self._solutions(request, results, stop)
        for row in results:
            if stop.is_set():
                return "text/plain", b""
            rows.append(row)
            if len(rows) > self.max_rows:
                raise _TooMany()
        mimetype = self._negotiate(request, GRAPH_TYPES)
        return mimetype, ox.serialize(rows, format=GRAPH_TYPES[mimetype])

    def _solutions(self, request: Request, results: ox.QuerySolutions,
                   stop: threading.Event) -> tuple[str, bytes]:
        """SELECT results, written by Oxigraph as TSV (one line per solution: its terms are
        escaped, so the lines count the rows, checked against max_rows as they are written),
        then as the negotiated format: no Python object per term (a third of the time a
        served query took, measured at 100k triples)."""
        mimetype = self._negotiate(request, RESULTS_TYPES)
        tsv = _CountingWriter(self.max_rows, stop)
        try:
            results.serialize(tsv, format=ox.QueryResultsFormat.TSV)
        except _Stopped:
            return "text/plain", b""
        body = tsv.getvalue()
        target = RESULTS_TYPES[mimetype]
        if target == ox.QueryResultsFormat.TSV:
            return mimetype, body
        return mimetype, ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV).serialize(
            format=target)

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


def make_app(store: ox.Store, *, html_path: Path | None = None, **limits) -> Endpoint:
    """The WSGI application serving ``store`` read-only (and ``html_path`` at /graph); ``limits``:
    timeout, max_rows, max_body, allow_service (see Endpoint)."""
    return Endpoint(store, html_path=html_path, **limits)


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


def make_http_server(*, host: str = "127.0.0.1", port: int = 7878, graph: Path | None = None,
                     memory: bool = True, **limits):
    """(a threaded Werkzeug server over the built graph, bound but not yet serving; the store).
    ``memory`` (the default): the TriG parsed into memory once (about 2.5 s a million triples),
    then every query at the speed of an in-memory Oxigraph store; else the persisted on-disk
    store (opens at once, holds little memory, answers 4-10× slower)."""
    store = load_store(graph, memory=memory)
    html_path = (Path(graph).parent if graph else Paths().out) / HTML_FILE
    _can_listen(host, port)
    try:
        return make_server(host, port, make_app(store, html_path=html_path, **limits),
                           threaded=True), store
    except (OSError, SystemExit) as error:  # lost a race for the port
        raise ServeError(f"cannot listen on {host}:{port}", hint="pass another --port") from error


def serve(*, host: str = "127.0.0.1", port: int = 7878, graph: Path | None = None,
          memory: bool = True, announce: Callable[[str], None] = print, **limits) -> None:
    """Serve the built graph until interrupted (Ctrl-C): from memory, or (``memory=False``)
    from the persisted on-disk store."""
    server, store = make_http_server(host=host, port=port, graph=graph, memory=memory, **limits)
    base = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}"
    where = "in memory" if memory else "from the on-disk store"
    announce(f"serving {len(store)} triples {where} (read-only) at {base}/sparql; query page "
             f"{base}/ — Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
