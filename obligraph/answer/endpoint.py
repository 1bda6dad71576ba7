"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (`obligraph serve`), on Werkzeug.

`/sparql` answers GET ?query=, form POST and application/sparql-query POST, with the results
format chosen by the Accept header. Beside it: `/` a query page, `/queries.json` the named query
library, `/graph` the network page.

What it promises (README, "What Obligraph guarantees"):
- Read-only: SPARQL Update is refused (403) before anything runs.
- No fetching: SERVICE is refused (403) unless the operator allows an endpoint
  (--allow-service URL); and the query workers cannot open a socket at all unless one is allowed
  (obligraph/answer/sandbox.py), so no spelling of SERVICE reaches a URL.
- Contained queries: every query runs in a worker process (obligraph/answer/workers.py). One still
  running after ``timeout`` seconds is killed (503); one that needs more than ``max_memory``
  bytes, or crashes the engine, costs its worker, never the server; a result over ``max_rows``
  rows or ``max_bytes`` bytes is refused (413), never truncated. A request body over
  ``max_body`` bytes is 413, and a query nesting brackets deeper than sparqltext.MAX_NESTING
  is refused (400) before the parser sees it.
- Its own origin only: no CORS header unless --cors ORIGIN names the origin; a Host other than
  the bound address, localhost or an --allow-host name is refused (DNS rebinding), as is a
  request from a page of another origin; no page can be framed."""

from __future__ import annotations

import errno
import functools
import json
import secrets
import socket
import sys
import weakref
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.urls import uri_to_iri
from werkzeug.wrappers import Request, Response

from . import sparqlhelp, sparqltext
from ..errors import QueryLimitError, ServeError
from ..graph.paths import HTML_FILE, Paths
from .query import TYPES, library
from ..graph.rdf import OBID
from ..graph.store import load_store
from .workers import MAX_BYTES, MAX_MEMORY, MAX_ROWS, TIMEOUT, WORKERS, Job, Limits, QueryPool

TEMPLATES = Path(__file__).parent / "templates"
YASGUI = Path(__file__).parent / "vendor" / "yasgui"  # @zazuko/yasgui, `make vendor-yasgui`
JSON_RESULTS = "application/sparql-results+json"
# media type → the serialiser's name (ox.QueryResultsFormat / ox.RdfFormat), written by the
# worker; the first of each is the default (no Accept header, or */*)
RESULTS_TYPES = {
    JSON_RESULTS: "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
CORS = {  # sent only to an origin `obligraph serve --cors ORIGIN` names
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
READ_ONLY = ("SPARQL Update is not allowed: this endpoint is read-only "
             "(load data with `obligraph build`, or push it to a writable store with `obligraph push`)")
NO_SERVICE = ("SERVICE is not allowed: this endpoint does not query other endpoints "
              "(federated queries would make the server fetch the URLs a query names)")
MAX_BODY = 1_000_000  # bytes of a request body
FOREIGN = ("requests from other origins are refused: this endpoint answers its own pages and "
           "clients that are not web pages")


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
    """The WSGI application. The store is only ever read (queries, never updates), and only by
    the query workers (obligraph/answer/workers.py): never in the process that answers requests."""

    def __init__(self, store: ox.Store, *, html_path: Path | None = None, timeout: float = TIMEOUT,
                 max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES,
                 max_memory: int | None = MAX_MEMORY, max_body: int = MAX_BODY,
                 workers: int = WORKERS, allow_service: tuple[str, ...] = (),
                 cors: tuple[str, ...] = (), allow_hosts: tuple[str, ...] = (),
                 host: str = "127.0.0.1") -> None:
        self.max_body = max_body
        self.allow_service = frozenset(allow_service)
        self.cors = frozenset(origin.rstrip("/") for origin in cors)
        self.hosts = LOCAL_HOSTS | {_hostname(host)} | {_hostname(h) for h in allow_hosts}
        self.pool = QueryPool(store, workers=workers, limits=Limits(
            timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, max_memory=max_memory,
            network=bool(allow_service)))
        self._closed = weakref.finalize(self, self.pool.close)
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

    def close(self) -> None:
        """Stop the query workers."""
        self._closed()

    def __call__(self, environ, start_response):
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _Capped(environ["wsgi.input"], self.max_body)
        request = Request(environ)
        # a body with Content-Length is checked against max_body before it is read; one without
        # (chunked) is refused by _Capped once read past it: never silently cut short
        request.max_form_memory_size = self.max_body
        origin = request.headers.get("Origin")
        refusal = self._foreign(request, origin)
        response = refusal if refusal is not None else self.dispatch(request)
        if origin and origin.rstrip("/") in self.cors:
            response.headers.update(CORS)
            response.headers["Access-Control-Allow-Origin"] = origin
        if self.cors:  # the answer differs by origin: caches must keep them apart
            response.vary.add("Origin")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response(environ, start_response)

    def _foreign(self, request: Request, origin: str | None) -> Response | None:
        """403 for a request that is not from this server's own pages or a non-browser client:
        a Host that is not ours (DNS rebinding), an Origin we do not name (another page, file://),
        or a subresource load by a page of another origin (a <script src> or <img> at /sparql)."""
        host = request.environ.get("HTTP_HOST")
        if host is not None and _hostname(host) not in self.hosts:
            return _text(f"the Host {host!r} is not this server's: it answers only "
                         f"{', '.join(sorted(self.hosts))} (a page that renamed 127.0.0.1 may be "
                         "trying to read it)\n  → to serve other names, use `obligraph serve "
                         "--allow-host NAME`", 403)
        if origin is not None:
            own = f"{request.scheme}://{host}" if host else None
            if origin.rstrip("/") != own and origin.rstrip("/") not in self.cors:
                return _text(f"{FOREIGN} (this request came from {origin})\n  → to let a page "
                             "of ORIGIN query this endpoint, use `obligraph serve --cors ORIGIN`",
                             403)
            return None
        fetch_site = request.headers.get("Sec-Fetch-Site", "none")
        if fetch_site not in ("same-origin", "none") and request.headers.get("Sec-Fetch-Mode") != "navigate":
            return _text(f"{FOREIGN} (a page of another origin loaded {request.path})", 403)
        return None

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
        deep = sparqltext.too_deep(text)  # before the parser sees it (it can crash on it)
        if deep:
            raise _Refused(deep, 400)
        if sparqltext.is_update(text):
            raise _Refused(READ_ONLY, 403)
        if sparqltext.names_service(text):
            self._check_service(text)
        results = self._negotiate(request, RESULTS_TYPES)
        graphs = self._negotiate(request, GRAPH_TYPES)
        # relative IRIs in the query (CONSTRUCT { <s> <p> 1 }) resolve against this endpoint's
        # own URL, the base the SPARQL 1.1 Protocol suggests (W3C test query_content_type_construct;
        # without one Oxigraph refuses them as a syntax error). The Host it is built from has been
        # checked as ours (_foreign), and a relative SERVICE target still matches no allow-listed URL
        options = {**self._dataset(request, text), "base_iri": request.base_url}
        job = Job(((text, {}),), options,
                  results_format=RESULTS_TYPES[results], graph_format=GRAPH_TYPES[graphs])
        try:
            answer = self.pool.run(job)
        except QueryLimitError as stopped:
            return _text(f"{stopped.message}: {stopped.hint}" if stopped.hint else stopped.message,
                         stopped.status)
        except SyntaxError as error:  # in words, at the line and column of the text as sent
            return _text(sparqlhelp.explain(text, str(error)).one_line(), 400)
        except RuntimeError as error:  # evaluation errors
            return _text(f"the query failed: {error}", 500)
        response = Response(answer.body, mimetype=graphs if answer.kind == "graph" else results)
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

    def _query_text(self, request: Request) -> str:
        kind = request.mimetype
        if request.method == "POST" and kind == "application/sparql-update":
            raise _Refused(READ_ONLY, 403)
        if "update" in request.args or (request.method == "POST" and "update" in request.form):
            raise _Refused(READ_ONLY, 403)
        if request.method == "POST" and kind == "application/sparql-query":
            queries = [self._utf8_body(request)]
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

    @staticmethod
    def _utf8_body(request: Request) -> str:
        """The body of an application/sparql-query POST, which the SPARQL 1.1 Protocol says is
        UTF-8: another charset is refused (415, W3C test bad_query_non_utf8), and so is a body that
        does not decode, rather than run with its bytes replaced (Werkzeug's as_text would)."""
        charset = request.mimetype_params.get("charset", "utf-8").strip().lower()
        if charset not in ("utf-8", "utf8"):
            raise _Refused(f"unsupported charset {charset!r}: send the query in UTF-8 "
                           "(Content-Type: application/sparql-query; charset=UTF-8)", 415)
        try:
            return request.get_data().decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Refused(f"the query is not valid UTF-8 (byte {error.start}): send it in UTF-8",
                           400) from None

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
        if default or named:  # as IRIs: the worker makes the terms again
            return {"default_graph": [n.value for n in default], "named_graphs": [n.value for n in named]}
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
        graph_page = self.html_path is not None and self.html_path.is_file()
        html = self.templates.get_template("query_page.html.j2").render(
            queries=self.library, nonce=nonce, entity_base=str(OBID), graph_page=graph_page,
            prefixes=list(sparqlhelp.QUERY_PREFIXES), **_page_assets(),
            # the prefixes as pairs: tojson sorts an object's keys, and their order is the one
            # `obligraph prefixes` lists
            page_data={"prefixes": list(sparqlhelp.QUERY_PREFIXES.items()), "entityBase": str(OBID),
                       "graphPage": graph_page, "queries": library_json(self.library)})
        response = Response(html, mimetype="text/html")
        # YASGUI sets styles only through element.style (CSSOM), which style-src does not govern,
        # so both stay nonce-only; its SVG icons are inline <svg>, so no img-src is needed
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return response

    def queries(self, request: Request) -> Response:
        return Response(json.dumps(library_json(self.library), ensure_ascii=False, indent=1),
                        mimetype="application/json")

    def graph(self, request: Request) -> Response:
        if self.html_path is None or not self.html_path.is_file():
            return _text(f"the network page has not been written ({self.html_path or HTML_FILE}): "
                         "run `obligraph html`, then restart `obligraph serve`", 404)
        response = Response(self.html_path.read_bytes(), mimetype="text/html")
        # the page's own policy is a <meta> tag, which cannot forbid framing
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response


def library_json(queries) -> list[dict]:
    return [{"name": q.name, "title": q.title, "question": q.question,
             "parameters": [{"name": p.name, "required": p.required, "description": p.description,
                             "type": p.type, "datatype": TYPES[p.type].datatype} for p in q.parameters],
             "text": q.text} for q in queries]


@functools.cache
def _page_assets() -> dict[str, Markup]:
    """The query page's scripts and styles, inlined as trusted static files (read once)."""
    def script(path: Path) -> Markup:
        text = path.read_text(encoding="utf-8")
        # inside <script> only `</script` and `<!--` mean anything to the HTML parser; the bundle
        # has `<!--` in string literals only, where \x3C is the same character
        if "</script" in text.lower():
            raise ValueError(f"{path} cannot be inlined: it contains </script")
        return Markup(text.replace("<!--", "\\x3C!--"))

    css = (YASGUI / "yasgui.min.css").read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ValueError("yasgui.min.css cannot be inlined: it contains </style")
    return {"yasgui_js": script(YASGUI / "yasgui.min.js"), "yasgui_css": Markup(css),
            "binding_js": script(TEMPLATES / "query_binding.js"),
            "page_js": script(TEMPLATES / "query_page.js")}


def make_app(store: ox.Store, *, html_path: Path | None = None, **options) -> Endpoint:
    """The WSGI application serving ``store`` read-only (and ``html_path`` at /graph); ``options``:
    timeout, max_rows, max_bytes, max_memory, max_body, workers, allow_service, cors,
    allow_hosts, host (see Endpoint). Its query workers start with the first query, or at
    ``app.pool.start()``: best while the process has one thread."""
    return Endpoint(store, html_path=html_path, **options)


def _hostname(host: str) -> str:
    """The name in a Host header or a --host value, without its port: `[::1]:7878` → `::1`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


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
    app = make_app(store, html_path=html_path, host=host, **limits)
    app.pool.start()  # forked now: one thread, and no listening socket for the workers to inherit
    try:
        server = make_server(host, port, app, threaded=True, request_handler=PlainLogHandler)
    except (OSError, SystemExit) as error:  # lost a race for the port
        app.close()
        raise ServeError(f"cannot listen on {host}:{port}", hint="pass another --port") from error
    close = server.server_close

    def server_close() -> None:  # the workers stop with the server
        close()
        app.close()
    server.server_close = server_close
    return server, store


class PlainLogHandler(WSGIRequestHandler):
    """Werkzeug's handler, its access log without ANSI colours when stderr is no terminal (a log
    file, a pipe, journald): `"GET /sparql?… HTTP/1.1" 400 -`, not `\x1b[31m\x1b[1m…\x1b[0m`."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if sys.stderr.isatty():
            return super().log_request(code, size)
        try:
            message = f"{self.command} {uri_to_iri(self.path)} {self.request_version}"
        except AttributeError:  # no path: the request line was bad
            message = self.requestline
        self.log("info", '"%s" %s %s', message.translate(self._control_char_table), str(code), size)


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
