"""Against real servers over loopback: a real Oxigraph server (the `oxigraph` package) receives
`obligraph push` and answers every named query as the local store does; `obligraph serve`
answers the SPARQL 1.1 Protocol over HTTP. Each server is a subprocess stopped by its pid."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

import obligraph
from obligraph.cli import main
from obligraph.errors import EndpointRefusedError, EndpointUnreachableError
from obligraph.answer.query import library, open_store
from obligraph.answer.remote import Client, rows, with_values

PARAMS = {"state": "china", "subject": "china", "entity": "china", "actor": "hillary-clinton", "kind": "return-to-risk",
          "asof": "1990-01-01", "treaty": "refugee-convention-1951", "curatorReadings": "false"}
# GROUP_CONCAT has no defined order: compare its parts as a set
CONCATENATED = {"policyQuotes": " | ", "contraventionQuotes": " | ", "premiseFor": " | ", "premiseAgainst": " | ",
                "counts": "; "}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def executable(name: str) -> str:
    """The console script installed beside this Python (the venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def wait_until_ready(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer ASK {{}} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` on a free loopback port with an on-disk store; (base URL, process)."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen([executable("oxigraph"), "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/query", process)
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def pushed(oxigraph_server, focused):
    """The focused build (conftest: the bundled corpus, the record of the treaties it discusses)
    pushed: every query's rows compared without a 250,000-triple push and remote joins."""
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph_server}/update", "--graph", str(focused)])
    assert result.exit_code == 0, result.output
    return oxigraph_server, result.output


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def normalised(data: dict) -> list[dict]:
    found = [{name: (CONCATENATED[name].join(sorted(v.split(CONCATENATED[name])))
                     if name in CONCATENATED and v else v) for name, v in row.items()} for row in rows(data)]
    return sorted(found, key=lambda row: json.dumps(row, sort_keys=True))


def cases():
    for named in library():
        if not any(p.required for p in named.parameters):
            yield named.name, {}
        if named.parameters:
            yield named.name, {p.name: PARAMS[p.name] for p in named.parameters}
    yield "evidence-for", {"entity": "hillary-clinton"}


def test_push_replaces_every_named_graph(pushed, focused):
    base, output = pushed
    store = open_store(focused)
    local = {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}
    pushed_line = re.fullmatch(rf"pushed {len(local)} named graphs, {len(store)} triples, to {re.escape(base)}/update "
                               rf"in (\d+) requests, [\d.]+ s\n", output)
    assert pushed_line and int(pushed_line[1]) >= len(local), output  # a graph per request at least
    counted = requests.post(f"{base}/query", data={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
        headers={"Accept": "application/sparql-results+json"}).json()
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in counted["results"]["bindings"]} == local
    # pushing again replaces (DROP + INSERT), by either protocol: still the same counts
    again = cli("push", "--graph-store", f"{base}/store", "--graph", str(focused))
    assert again.exit_code == 0 and again.output.startswith(f"pushed {len(local)} named graphs, {len(store)} triples, to {base}/store")
    assert Client().named_graphs(f"{base}/query") == sorted(local)
    assert cli("push", "--endpoint", f"{base}/update", "--graph", str(focused)).exit_code == 0
    recount = requests.post(f"{base}/query", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                            headers={"Accept": "application/sparql-results+json"}).json()
    assert int(recount["results"]["bindings"][0]["n"]["value"]) == len(store)


@pytest.mark.parametrize("name, params", list(cases()), ids=lambda v: v if isinstance(v, str) else
                         ",".join(f"{k}={x}" for k, x in v.items()) or "-")
def test_every_named_query_gives_the_same_rows_remotely(pushed, focused, name, params):
    base, _ = pushed
    args = ["query", name, "--format", "json"] + [f"--param={k}={v}" for k, v in params.items()]
    local, remote = cli(*args, "--graph", str(focused)), cli(*args, "--endpoint", f"{base}/query")
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert normalised(json.loads(remote.output)) == normalised(json.loads(local.output))
    assert len(rows(json.loads(remote.output))) == len(obligraph.query(name, graph=focused, **params)) > 0


def test_remote_table_csv_and_tsv_match_local(pushed, focused):
    base, _ = pushed
    for args in (["sources"], ["treaty-participation", "--param", "state=china"],
                 ["sources", "--format", "csv"], ["statistics", "--format", "tsv"]):
        local, remote = cli("query", *args, "--graph", str(focused)), cli("query", *args, "--endpoint", f"{base}/query")
        assert remote.exit_code == 0 and remote.output == local.output, args
    ask = cli("query", "-e", "ASK { ?s a <https://w3id.org/obligraph/ontology#State> }", "--endpoint", f"{base}/query")
    assert ask.output == "yes\n"


def test_remote_parameter_errors_match_local(pushed, focused):
    base, _ = pushed
    for args in (["evidence-for"], ["evidence-for", "--param", "entity=chna"],
                 ["evidence-for", "--param", "entity=China Town"],
                 ["evidence-for", "--param", "entity=http://x> } ; DROP ALL ; #"]):
        local, remote = cli("query", *args, "--graph", str(focused)), cli("query", *args, "--endpoint", f"{base}/query")
        assert remote.exit_code == local.exit_code == 2 and remote.output == local.output, args
    assert cli("query", "evidence-for", "--param", "entity=chna", "--endpoint", f"{base}/query").output == \
        "error: parameter entity='chna': no such entity\n  → did you mean china?\n"
    unused = cli("query", "sources", "--param", "state=china", "--endpoint", f"{base}/query")
    assert unused.exit_code == 2
    assert unused.output == (f"error: {next(q.path for q in library() if q.name == 'sources')}: the query cannot run: it has no variable ?state\n"
                             "  → a --param must name a variable of the SELECT clause\n")


def test_values_clause_is_built_from_validated_iris_only():
    from obligraph.answer.query import parameter_iri
    assert with_values("SELECT * {}", {"state": parameter_iri("china", "state")}) == \
        "SELECT * {}\nVALUES ?state { <https://w3id.org/obligraph/id/china> }\n"
    assert with_values("SELECT * {} # end", {"b": parameter_iri("china", "b"), "a": parameter_iri("https://e.org/x", "a")}) == \
        "SELECT * {} # end\nVALUES (?a ?b) { (<https://e.org/x> <https://w3id.org/obligraph/id/china>) }\n"


def test_errors_name_the_url_and_what_to_do(pushed):
    base, _ = pushed
    refused = f"http://127.0.0.1:{free_port()}/query"
    result = cli("query", "sources", "--endpoint", refused)
    assert result.exit_code == 1
    assert result.output == (f"error: {refused}: connection refused\n  → is the server running at this "
                             "address? start one with `oxigraph serve --location DIR` or `obligraph serve`, "
                             "or check the URL\n")
    assert "Traceback" not in result.output
    # a push is told of a writable server only: `obligraph serve` is read-only
    pushed_to = cli("push", "--graph-store", refused)
    assert pushed_to.exit_code == 1
    assert pushed_to.output == (f"error: {refused}: connection refused\n  → is the server running at this "
                                "address? start one with `oxigraph serve --location DIR`, or check the URL\n")
    missing = cli("query", "sources", "--endpoint", f"{base}/nothing")
    assert missing.exit_code == 1
    assert missing.output.startswith(f"error: {base}/nothing: HTTP 404 Not Found: ")
    assert "\n  → check the URL: Oxigraph serves /query, /update and /store;" in missing.output
    wrong = cli("push", "--endpoint", f"{base}/query")
    assert wrong.exit_code == 1
    assert wrong.output.startswith(f"error: {base}/query: HTTP 400 Bad Request: ")
    assert "\n  → is this the SPARQL Update URL? Oxigraph's is /update" in wrong.output
    syntax = cli("query", "-e", "SELECT * WHERE { ?s ?p }", "--endpoint", f"{base}/query")
    assert syntax.exit_code == 1
    assert syntax.output.startswith(f"error: {base}/query: HTTP 400 Bad Request: error at 1:25: expected")
    with pytest.raises(EndpointUnreachableError):
        Client().named_graphs(refused)
    with pytest.raises(EndpointRefusedError) as error:
        Client().named_graphs(f"{base}/nothing")
    assert error.value.status == 404
    assert cli("push").exit_code == 2


def test_obligraph_serve_over_loopback(tmp_path):
    """The real command on a free port: the protocol over real HTTP, and Ctrl-C-free stop by pid."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "obligraph.cli", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/sparql", process)
        store = open_store()
        got = requests.get(f"{base}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert got.status_code == 200
        assert got.headers["Content-Type"] == "application/sparql-results+json"
        assert "Access-Control-Allow-Origin" not in got.headers  # no other origin may read it
        assert int(got.json()["results"]["bindings"][0]["n"]["value"]) == len(store)
        posted = requests.post(f"{base}/sparql", data="ASK { ?s ?p ?o }",
                               headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        assert (posted.status_code, posted.headers["Content-Type"], posted.text) == (200, "text/csv; charset=utf-8", "true")
        update = requests.post(f"{base}/sparql", data={"update": "CLEAR ALL"})
        assert update.status_code == 403 and update.text.startswith("SPARQL Update is not allowed")
        service = requests.get(f"{base}/sparql", params={"query": f"SELECT * {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}"})
        assert service.status_code == 403 and "SERVICE is not allowed" in service.text
        preflight = requests.options(f"{base}/sparql", headers={"Origin": "null", "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 403 and "Access-Control-Allow-Origin" not in preflight.headers
        # the named queries through `obligraph query --endpoint` against our own server
        for name, params in (("sources", {}), ("policy-conflicts", {"state": "china"})):
            args = ["query", name, "--format", "json"] + [f"--param={k}={v}" for k, v in params.items()]
            assert normalised(json.loads(cli(*args, "--endpoint", f"{base}/sparql").output)) == \
                normalised(json.loads(cli(*args).output))
        assert requests.get(f"{base}/").status_code == 200
        busy = cli("serve", "--port", str(port))
        assert busy.exit_code == 1
        assert busy.output == (f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
                               "  → another server may be using the port: pass --port N, or stop it\n")
    finally:
        stop(process)
    assert process.stdout.read().startswith(f"serving {len(store)} triples in memory (read-only) at {base}/sparql; ")
