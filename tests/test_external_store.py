"""`obligraph build --store URL` against a real Oxigraph server (the `oxigraph` package, started
and stopped by the test): every named graph put there, the rules run there as SPARQL Update; the
server's graphs equal a local build's TriG quad for quad, and every named query gives the same
rows through `query --endpoint`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.errors import QueryError
from obligraph.corpus.starter import init
from obligraph.graph.external import as_update, default_is_the_build
from obligraph.answer.remote import RemoteStore
from obligraph.graph.reasoning import Rule

from .conftest import ONTOLOGY
from .test_remote import cases, executable, free_port, normalised, stop, wait_until_ready


def _server(location: Path, *union: str):
    port = free_port()
    process = subprocess.Popen([executable("oxigraph"), "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}", *union],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(f"{base}/query", process)
    return base, process


def _quads(store: ox.Store) -> set[str]:
    return {str(quad) for quad in store}


def _server_quads(base: str) -> set[str]:
    answer = requests.get(f"{base}/store", headers={"Accept": "application/n-quads"}, timeout=60)
    store = ox.Store()
    store.load(answer.content, format=ox.RdfFormat.N_QUADS)
    return _quads(store)


def _local(trig: Path) -> set[str]:
    store = ox.Store()
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    return _quads(store)


@pytest.fixture(scope="module")
def built_there(tmp_path_factory, focused):
    """The focused corpus (conftest) built into a fresh server whose default graph is the union
    of its graphs (the fast way: the rules read it without a USING clause per graph)."""
    base, process = _server(tmp_path_factory.mktemp("union"), "--union-default-graph")
    try:
        sources = focused.parent.parent / "sources"
        out = focused.parent.parent / "untouched"
        result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--ontology", str(ONTOLOGY),
                                           "--out", str(out), "--store", base])
        assert result.exit_code == 0, result.output
        yield base, result.output, out
    finally:
        stop(process)


def test_the_servers_graphs_are_the_local_builds_quad_for_quad(built_there, focused):
    base, output, out = built_there
    local = _local(focused)
    assert _server_quads(base) == local
    assert re.fullmatch(rf"\d+ sources, \d+ entities, \d+ claims, {len(local)} triples; all quotes "
                        rf"located, shapes conform; built into {re.escape(base)} \(the rules ran there; "
                        rf"{re.escape(str(out))} is as it was\)\.\n", output), output
    assert not out.exists(), "nothing is written locally"
    store = RemoteStore(base)  # the rules read its union default graph: no USING clauses
    assert default_is_the_build(store, [g for g in store.named_graphs() if not g.endswith("/inferred")])
    assert "https://w3id.org/obligraph/graph/probe" not in store.named_graphs()


@pytest.mark.parametrize(("name", "params"), list(cases()))
def test_every_named_query_gives_the_same_rows_from_the_store(built_there, focused, name, params):
    base, _, _ = built_there
    arguments = [f"--param={key}={value}" for key, value in params.items()]
    here = CliRunner().invoke(main, ["query", name, "--graph", str(focused), "--format", "json", *arguments])
    there = CliRunner().invoke(main, ["query", name, "--endpoint", f"{base}/query", "--format", "json", *arguments])
    assert here.exit_code == there.exit_code == 0, (here.output, there.output)
    assert normalised(json.loads(there.output)) == normalised(json.loads(here.output))


def test_a_server_whose_default_graph_is_its_own_gets_using_clauses(tmp_path):
    """Without a union default graph (Oxigraph's own default, Fuseki's), or with graphs of others
    on the server, each rule reads the build's graphs through USING: the same conclusions, and
    the other graphs neither read nor touched."""
    init(tmp_path / "mine")
    local = CliRunner().invoke(main, ["--project", str(tmp_path / "mine"), "build"])
    assert local.exit_code == 0, local.output
    base, process = _server(tmp_path / "plain")
    try:
        other = "<http://example.org/s> <https://w3id.org/obligraph/ontology#bindingOf> <http://example.org/o> ."
        requests.put(f"{base}/store", params={"graph": "http://example.org/theirs"}, data=other,
                     headers={"Content-Type": "application/n-triples"}, timeout=10).raise_for_status()
        there = CliRunner().invoke(main, ["--project", str(tmp_path / "mine"), "build", "--store", base + "/"])
        assert there.exit_code == 0, there.output
        theirs = "http://example.org/theirs"
        store = RemoteStore(base)
        assert not default_is_the_build(store, [g for g in store.named_graphs() if g != theirs]), \
            "others' graphs there: USING"
        assert _server_quads(base) == _local(tmp_path / "mine" / "graph" / "obligraph.trig") | {
            f"<http://example.org/s> <https://w3id.org/obligraph/ontology#bindingOf> <http://example.org/o> <{theirs}>"}
    finally:
        stop(process)


def test_a_rule_becomes_an_insert_reading_the_builds_graphs(tmp_path):
    rule = Rule("20-x", "# Rule: x {not a brace}\nPREFIX ex: <http://e/#>\nCONSTRUCT { ?s ex:q \"}\" }\n"
                        "WHERE { ?s ex:p ?o FILTER(?o != \"{\") }\n", tmp_path / "20-x.rq")
    assert as_update(rule, ["http://g/1", "http://g/2"]) == (
        "# Rule: x {not a brace}\nPREFIX ex: <http://e/#>\n"
        "INSERT { GRAPH <https://w3id.org/obligraph/graph/inferred> { ?s ex:q \"}\" } }\n"
        "USING <http://g/1>\nUSING <http://g/2>\n"
        "WHERE { ?s ex:p ?o FILTER(?o != \"{\") }\n")
    limited = Rule("20-y", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", tmp_path / "20-y.rq")
    with pytest.raises(QueryError) as raised:
        as_update(limited, None)
    assert str(raised.value) == (
        f"{tmp_path / '20-y.rq'}: the rule cannot run on an external store: it is not one "
        "`CONSTRUCT { … } WHERE { … }` without modifiers\n"
        "  → write the rule as CONSTRUCT { template } WHERE { pattern }, or build without --store")


def test_an_unreachable_store_is_an_error_with_what_to_do(tmp_path):
    init(tmp_path / "mine")
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "mine"), "build", "--store",
                                       f"http://127.0.0.1:{free_port()}"])
    assert result.exit_code != 0
    assert "connection refused" in result.output and "is the server running at this address?" in result.output
    assert not (tmp_path / "mine" / "graph").exists()


def test_a_wrong_layout_says_which_option_to_check(built_there, tmp_path):
    base, _, _ = built_there
    init(tmp_path / "mine")
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "mine"), "build", "--store", base,
                                       "--store-layout", "fuseki"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "  → is --store the server's base URL and --store-layout its kind? oxigraph: http://HOST:7878; "
        "fuseki: http://HOST:3030/DATASET; graphdb: http://HOST:7200/repositories/REPO (an Oxigraph "
        "server must be writable: `oxigraph serve`)")
    assert result.output.startswith(f"error: {base}/data: HTTP 40")
