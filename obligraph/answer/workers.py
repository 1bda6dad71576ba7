"""Queries evaluated where they can be stopped and contained: in worker processes.

Oxigraph cannot cancel a query, a query can take all the memory there is, and a deeply nested
one can crash the engine. So no query runs in the process that answers requests:

- ``QueryPool`` (`obligraph serve`): a *zygote* process, forked once while the server is still
  single-threaded, holds the graph and forks the workers, which share its pages (copy-on-write:
  a worker costs little memory and starts in milliseconds). A worker still running at its
  deadline is killed and replaced; one that crashes or runs out of memory costs its one request
  an error, never the server.
- ``run_once`` (`obligraph query`): the same, for one query, in one forked child.

Every worker first contains itself (obligraph/answer/sandbox.py): no socket can be opened (so no SERVICE
clause reaches any URL, however it is spelled), and at most ``max_memory`` bytes beyond the graph.
A result is written in the worker, counted in rows and in bytes as it is written, and refused past
either limit: never truncated, since a partial answer would read as a complete one."""

from __future__ import annotations

import faulthandler
import os
import queue
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import reduction
from multiprocessing.connection import Connection

import pyoxigraph as ox

from . import sandbox
from ..errors import QueryLimitError
from .sparqlhelp import QUERY_PREFIXES

TIMEOUT = 5.0  # seconds a served query may run
MAX_ROWS = 10_000  # solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) a served result may hold
MAX_BYTES = 64 << 20  # bytes a served result may hold, in the format asked for
MAX_MEMORY = 1 << 30  # bytes a worker may allocate beyond the graph it holds
WORKERS = 2  # query workers of a server (one per core here)


@dataclass(frozen=True)
class Limits:
    """What one query may cost; None: no limit. ``network``: let SERVICE reach other endpoints
    (only for `serve --allow-service`; the worker is not walled off from the network then)."""
    timeout: float | None = TIMEOUT
    max_rows: int | None = MAX_ROWS
    max_bytes: int | None = MAX_BYTES
    max_memory: int | None = MAX_MEMORY
    network: bool = False


@dataclass(frozen=True)
class Job:
    """A query to evaluate. ``attempts``: (text, substitutions {variable: IRI, or an ox.Literal})
    tried in order, the next one only if the one before does not parse or run (the last one's
    error is reported); ``options``: use_default_graph_as_union, or default_graph / named_graphs
    as IRIs; the formats (names of ox.QueryResultsFormat and ox.RdfFormat members) to write
    results in."""
    attempts: tuple[tuple[str, dict[str, str | ox.Literal]], ...]
    options: dict = field(default_factory=lambda: {"use_default_graph_as_union": True})
    results_format: str = "JSON"
    graph_format: str = "N_TRIPLES"


@dataclass(frozen=True)
class Answer:
    """``kind``: boolean, solutions or graph; ``body``: the result written in ``format``."""
    kind: str
    format: str
    body: bytes


class _Over(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Counted:
    """The binary file a result is written into: counts its lines (one a solution or triple,
    past a header line for TSV) and its bytes, and stops the writing past either limit."""

    def __init__(self, limits: Limits, header: int) -> None:
        self.limits, self.header = limits, header
        self.lines = self.size = 0
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.lines += data.count(b"\n")
        self.size += len(data)
        if self.limits.max_rows is not None and self.lines > self.limits.max_rows + self.header:
            raise _Over("rows")
        if self.limits.max_bytes is not None and self.size > self.limits.max_bytes:
            raise _Over("bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class _Distinct(_Counted):
    """N-Triples written once per triple: over the union of the named graphs Oxigraph gives a
    DESCRIBE's triple once per graph holding it, and a graph is a set."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(limits, header=0)
        self.seen: set[bytes] = set()
        self.rest = b""

    def write(self, data) -> int:
        lines = (self.rest + bytes(data)).split(b"\n")
        self.rest = lines.pop()
        for line in lines:
            if line not in self.seen:
                self.seen.add(line)
                super().write(line + b"\n")
        return len(data)


def _graphs(values) -> list[ox.NamedNode]:
    return [ox.NamedNode(value) for value in values]


def _substituted(value):
    """A substitution's term: an IRI given as text, or a term (a typed literal) as it is."""
    return value if isinstance(value, (ox.NamedNode, ox.Literal)) else ox.NamedNode(value)


def query_results(store: ox.Store, job: Job):
    """Oxigraph's results of the job's first attempt that parses and runs (the last one's error
    otherwise), over the dataset its options name. Called in a worker, or in-process."""
    options = dict(job.options)
    for name in ("default_graph", "named_graphs"):
        if name in options:
            options[name] = _graphs(options[name])
    error: Exception | None = None
    for text, substitutions in job.attempts:
        try:
            return store.query(text, substitutions={ox.Variable(k): _substituted(v) for k, v in
                                                    substitutions.items()} or None,
                               prefixes=QUERY_PREFIXES, **options)
        except (SyntaxError, RuntimeError) as failed:
            error = failed
    raise error  # type: ignore[misc]


# Oxigraph writes a predicate as an XML element named by the longest NCName its IRI ends with;
# where there is none (an IRI ending in / or #, or in digits) it writes a broken element
_XML_LOCAL_NAME = re.compile(r"[^\W\d][\w.\-\u00B7]*$")


def _rdf_xml_is_sound(triples) -> bool:
    return all(_XML_LOCAL_NAME.search(t.predicate.value) for t in triples)


def evaluate(store: ox.Store, job: Job, limits: Limits) -> Answer:
    """The job's answer, written as it asks; _Over past a row or byte limit. Runs in a worker."""
    results = query_results(store, job)
    if isinstance(results, ox.QueryBoolean):
        target = getattr(ox.QueryResultsFormat, job.results_format)
        return Answer("boolean", job.results_format, results.serialize(format=target))
    if isinstance(results, ox.QuerySolutions):
        target = getattr(ox.QueryResultsFormat, job.results_format)
        # written as TSV first: one line per solution (terms are escaped), so lines count rows
        tsv = _Counted(limits, header=1)
        results.serialize(tsv, format=ox.QueryResultsFormat.TSV)
        body = tsv.getvalue()
        if target != ox.QueryResultsFormat.TSV:
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV).serialize(format=target)
        if limits.max_bytes is not None and len(body) > limits.max_bytes:
            raise _Over("bytes")
        return Answer("solutions", job.results_format, body)
    triples = _Distinct(limits)
    results.serialize(triples, format=ox.RdfFormat.N_TRIPLES)  # one line a triple
    body = triples.getvalue()
    target = getattr(ox.RdfFormat, job.graph_format)
    if target != ox.RdfFormat.N_TRIPLES:
        parsed = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if target == ox.RdfFormat.RDF_XML and not _rdf_xml_is_sound(parsed):
            raise _Over("rdfxml")
        body = ox.serialize(parsed, format=target)
        if limits.max_bytes is not None and len(body) > limits.max_bytes:
            raise _Over("bytes")
    return Answer("graph", job.graph_format, body)


def _serve_jobs(conn: Connection, store: ox.Store, limits: Limits) -> None:
    """A worker's life: contain itself, then answer jobs until the pipe closes."""
    sandbox.die_with_parent()
    faulthandler.disable()  # a crash is the server's to report, not a traceback on its terminal
    if not limits.network and not sandbox.forbid_network():
        os._exit(3)  # never evaluate a query that could reach the network (see QueryPool.start)
    if limits.max_memory is not None:
        sandbox.cap_memory(limits.max_memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it closes the pipe
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = evaluate(store, job, limits)
        except _Over as over:
            conn.send(("over", over.what))
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
        except MemoryError:
            conn.send(("over", "memory"))
        except (RuntimeError, OSError, ValueError) as error:  # evaluation errors
            conn.send(("failed", str(error)))
        else:
            conn.send(("ok", answer.kind, answer.format))
            conn.send_bytes(answer.body)


def _fork(run) -> tuple[int, Connection]:
    """(pid, our end of a pipe) of a child running ``run(its end)``; the child never returns."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            ours.close()
            run(Connection(theirs.detach()))
        finally:
            os._exit(0)
    theirs.close()
    return pid, Connection(ours.detach())


def _zygote(conn: Connection, store: ox.Store, limits: Limits) -> None:
    """Fork workers on request ("spawn" → a pipe's end and the pid) and reap them ("reap", pid →
    its wait status), until the server closes the pipe; its workers then die with it."""
    sandbox.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "spawn":
            pid, worker = _fork(lambda end: (conn.close(), _serve_jobs(end, store, limits)))
            reduction.send_handle(conn, worker.fileno(), 0)
            conn.send(pid)
            worker.close()
        elif message[0] == "reap":
            try:
                conn.send(os.waitpid(message[1], 0)[1])
            except ChildProcessError:
                conn.send(0)


def _signal_name(status: int) -> str:
    try:
        return signal.Signals(os.WTERMSIG(status)).name
    except ValueError:
        return f"signal {os.WTERMSIG(status)}"


def _died(status: int, limits: Limits) -> QueryLimitError:
    """The error a request gets when its worker died of ``status`` (a wait status)."""
    memory = size_text(limits.max_memory) if limits.max_memory else "the memory there is"
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT and limits.max_memory:
        return _over("memory", limits)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
        return QueryLimitError("the query was not run: the query worker could not wall itself off "
                               "from the network on this system", status=500, limit="network",
                               hint="run Obligraph on Linux (x86-64 or AArch64)")
    cause = _signal_name(status) if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
    return QueryLimitError(f"the query crashed the query engine ({cause}) and was stopped; "
                           "nothing else was affected", status=500, limit="crash",
                           hint=f"simplify the query (fewer nested groups or brackets); memory "
                                f"allowed: {memory}")


def size_text(count: int) -> str:
    """1073741824 → '1 GiB', 65536 → '64 KiB', 1000 → '1000 bytes'."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift:
            value = count / (1 << shift)
            return f"{value:g} {unit}" if value.is_integer() else f"{value:.1f} {unit}"
    return f"{count} bytes"


def _over(what: str, limits: Limits) -> QueryLimitError:
    if what == "rows":
        return QueryLimitError(f"the result has more than {limits.max_rows} rows, the limit of this endpoint", status=413,
                               limit="rows", hint="add LIMIT and OFFSET to read it in pages, or "
                               "narrow the query (the limit is `obligraph serve --max-rows N`)")
    if what == "bytes":
        return QueryLimitError(f"the result is over {size_text(limits.max_bytes or 0)}, the limit of this endpoint",
                               status=413, limit="bytes", hint="select fewer or shorter values "
                               "(e.g. SUBSTR of a full text), or read it in pages with LIMIT and "
                               "OFFSET (the limit is `obligraph serve --max-bytes MB`)")
    if what == "rdfxml":
        return QueryLimitError("the result cannot be written as RDF/XML: a predicate IRI has no "
                               "XML local name (it ends in / or #)", status=406, limit="format",
                               hint="ask for text/turtle or application/n-triples")
    return QueryLimitError(f"the query needed more than {size_text(limits.max_memory or 0)} of memory, "
                           "the limit of this endpoint, and was stopped", status=503, limit="memory",
                           hint="narrow it (fewer joins, no CONCAT or GROUP_CONCAT over whole "
                                "texts; the limit is `obligraph serve --max-memory MB`)")


def _overdue(timeout: float) -> QueryLimitError:
    return QueryLimitError(f"the query took longer than {timeout:g} s, the limit of this endpoint, and was stopped",
                           status=503, limit="timeout",
                           hint="narrow it (fewer joins, a LIMIT), or run it locally with "
                                "`obligraph query` (the limit is `obligraph serve --timeout SECONDS`)")


def _reply(conn: Connection, limits: Limits) -> Answer:
    reply = conn.recv()
    if reply[0] == "ok":
        return Answer(reply[1], reply[2], conn.recv_bytes())
    if reply[0] == "over":
        raise _over(reply[1], limits)
    if reply[0] == "syntax":
        raise SyntaxError(reply[1])
    raise RuntimeError(reply[1])


@dataclass
class _Worker:
    pid: int
    conn: Connection


class QueryPool:
    """Worker processes over one store (see the module's docstring). ``run`` is thread-safe."""

    def __init__(self, store: ox.Store, *, workers: int = WORKERS, limits: Limits = Limits()) -> None:
        self.store, self.size, self.limits = store, max(1, workers), limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._zygote: Connection | None = None
        self._zygote_pid = 0

    def start(self) -> None:
        """Fork the zygote and the workers (at once when called before threads are started:
        the zygote should be forked from a process with one thread)."""
        with self._lock:
            if self._zygote is not None:
                return
            if not self.limits.network:
                self._check_sandbox()
            self._zygote_pid, self._zygote = _fork(
                lambda end: _zygote(end, self.store, self.limits))
            for _ in range(self.size):
                self._idle.put(self._spawn())

    @staticmethod
    def _check_sandbox() -> None:
        pid, conn = _fork(lambda end: end.send(sandbox.forbid_network()))
        try:
            walled = conn.recv()
        except EOFError:
            walled = False
        conn.close()
        os.waitpid(pid, 0)
        if not walled:
            raise QueryLimitError("cannot wall the query workers off from the network here",
                                  status=500, limit="network",
                                  hint="run Obligraph on Linux (x86-64 or AArch64)")

    def _spawn(self) -> _Worker:  # under self._lock
        assert self._zygote is not None
        self._zygote.send(("spawn",))
        handle = reduction.recv_handle(self._zygote)
        return _Worker(self._zygote.recv(), Connection(handle))

    def _replace(self, worker: _Worker) -> int:
        """Kill the worker (if it still runs), reap it, start another; its wait status."""
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.conn.close()
        with self._lock:
            if self._zygote is None:
                return 0
            self._zygote.send(("reap", worker.pid))
            status = self._zygote.recv()
            self._idle.put(self._spawn())
        return status

    def run(self, job: Job) -> Answer:
        """The job's answer. Raises SyntaxError (the query does not parse), RuntimeError (it
        failed), or QueryLimitError (busy, overdue, too big, out of memory, crashed)."""
        self.start()
        timeout = self.limits.timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryLimitError(f"the server is busy: all {self.size} query workers are "
                                  "running; try again later", status=503, limit="busy",
                                  hint="more workers: `obligraph serve --workers N`") from None
        healthy = False
        try:
            worker.conn.send(job)
            if not worker.conn.poll(None if deadline is None else max(0.0, deadline - time.monotonic())):
                raise _overdue(timeout or 0)
            answer = _reply(worker.conn, self.limits)
            healthy = True
            return answer
        except (SyntaxError, RuntimeError, QueryLimitError) as error:
            healthy = not isinstance(error, QueryLimitError) or error.limit in ("rows", "bytes", "format")
            raise
        except (EOFError, OSError):  # the worker died: of what, its wait status says
            status = self._replace(worker)
            worker = None  # type: ignore[assignment]
            raise _died(status, self.limits) from None
        finally:
            if worker is not None and healthy:
                self._idle.put(worker)
            elif worker is not None:
                self._replace(worker)

    def close(self) -> None:
        """Stop the workers and the zygote (closing their pipes; they exit at once)."""
        with self._lock:
            zygote, self._zygote = self._zygote, None
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.conn.close()
        if zygote is not None:
            zygote.close()
            try:
                os.kill(self._zygote_pid, signal.SIGKILL)
                os.waitpid(self._zygote_pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def run_once(store: ox.Store, job: Job, limits: Limits) -> Answer:
    """The job's answer from one forked, contained child (`obligraph query`): a crash or a
    memory cap costs the child, and the caller gets a QueryLimitError."""
    pid, conn = _fork(lambda end: _serve_jobs(end, store, limits))
    try:
        conn.send(job)
        if not conn.poll(limits.timeout):
            os.kill(pid, signal.SIGKILL)
            raise _overdue(limits.timeout or 0)
        try:
            return _reply(conn, limits)
        except (EOFError, OSError):
            conn.close()
            status = os.waitpid(pid, 0)[1]
            pid = 0
            raise _died(status, limits) from None
    finally:
        conn.close()
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
