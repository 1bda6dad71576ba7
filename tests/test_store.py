"""The persisted query store (obligraph/graph/store.py): parsed once, reused until the graph file
changes, opened read-only by several processes at once, rebuilt when damaged, kept out of graph/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import obligraph
from obligraph.graph import pipeline, store as persisted
from obligraph.errors import SourceFileError
from obligraph.graph.pipeline import PROJECT
from obligraph.graph.store import StoreWriter, load_store, store_dir, store_root

from .conftest import ONTOLOGY, SmallCorpus

BUNDLED = PROJECT / "graph" / "obligraph.trig"
SOURCES = ("SELECT ?id WHERE { ?s a ?kind ; <http://purl.org/dc/terms/identifier> ?id . ?kind "
           "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/obligraph/ontology#Source> "
           "} ORDER BY ?id")
EXTRA = ('\n<https://w3id.org/obligraph/graph/extra> {\n'
         '<https://w3id.org/obligraph/id/extra-source> a <https://w3id.org/obligraph/ontology#Article> ;\n'
         '  <http://purl.org/dc/terms/identifier> "zzz_extra" .\n}\n')


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OBLIGRAPH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory) -> Path:
    """The small corpus built once: its graph file stands in for any built graph (the bundled one,
    with every state's record, would cost each test a 12 MB parse)."""
    small = SmallCorpus(tmp_path_factory.mktemp("small"))
    obligraph.build(paths=obligraph.Paths(sources=small.sources, ontology=ONTOLOGY, out=small.out))
    return small.out / "obligraph.trig"


@pytest.fixture(scope="module")
def expected(small_graph) -> list[str]:
    """The sources query's answer on the small graph, from a store of its own."""
    store = ox.Store()
    store.load(path=str(small_graph), format=ox.RdfFormat.TRIG)
    ids = sources(store)
    assert ids == ["a1"], ids  # the one article (the small corpus has no treaty text or record)
    return ids


@pytest.fixture
def graph(tmp_path, small_graph) -> Path:
    """A copy of a built graph, to change."""
    path = tmp_path / "graph" / "obligraph.trig"
    path.parent.mkdir()
    shutil.copyfile(small_graph, path)
    return path


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """Every parse of a TriG into a persisted store, recorded."""
    seen: list[Path] = []
    real = persisted._parse_into

    def counting(graph: Path):
        seen.append(graph)
        return real(graph)
    monkeypatch.setattr(persisted, "_parse_into", counting)
    return seen


def sources(store: ox.Store) -> list[str]:
    return [row["id"] for row in obligraph.query(SOURCES, store=store)]


def versions(graph: Path) -> list[str]:
    return sorted(p.name for p in store_dir(graph).iterdir() if p.is_dir())


def test_the_second_query_opens_the_store_without_parsing(cache, graph, parses, expected):
    first = obligraph.query(SOURCES, graph=graph)
    assert [row["id"] for row in first] == expected and parses == [graph]
    (version,) = versions(graph)
    marker = os.stat(store_dir(graph) / version).st_ino
    assert obligraph.query(SOURCES, graph=graph) == first
    assert parses == [graph], "the second query parsed the TriG again"
    assert versions(graph) == [version] and os.stat(store_dir(graph) / version).st_ino == marker


def test_the_cli_reuses_the_store_across_processes(cache, graph, expected):
    env = {**os.environ, "OBLIGRAPH_CACHE": str(cache)}
    run = [sys.executable, "-m", "obligraph.cli", "query", "-e", SOURCES, "--format", "csv",
           "--graph", str(graph)]
    first = subprocess.run(run, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    stamp = (store_dir(graph) / "stamp.json").read_bytes()
    (version,) = versions(graph)
    second = subprocess.run(run, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert first.stdout.splitlines() == ["id", *expected]
    assert (store_dir(graph) / "stamp.json").read_bytes() == stamp and versions(graph) == [version]


def test_a_changed_graph_file_is_picked_up(cache, graph, parses):
    before = sources(load_store(graph))
    assert "zzz_extra" not in before
    with open(graph, "a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    after = sources(load_store(graph))
    assert after == before + ["zzz_extra"] and len(parses) == 2
    assert len(versions(graph)) == 1, "the superseded store was removed"


def test_a_rebuild_with_the_same_bytes_keeps_the_store(cache, graph, parses, expected):
    load_store(graph)
    content = graph.read_bytes()
    graph.unlink()
    graph.write_bytes(content)  # a new file (new mtime), the same bytes: what a rebuild writes
    os.utime(graph, ns=(1, 1))
    assert sources(load_store(graph)) == expected
    assert parses == [graph], "same bytes, new mtime: compared by sha256, not parsed again"
    stamp = persisted._read_stamp(store_dir(graph))
    assert stamp["mtime_ns"] == 1, "the stamp remembers the new mtime (next time is the cheap check)"


def query_in_children(cache, graph, count: int) -> tuple[list[int], list[tuple[str, str]]]:
    """Exit codes and (stdout, stderr) of ``count`` processes each running the sources query
    at once through obligraph.query()."""
    env = {**os.environ, "OBLIGRAPH_CACHE": str(cache)}
    run = [sys.executable, "-c", "import obligraph,sys; "
           f"print(len(obligraph.query({SOURCES!r}, graph=sys.argv[1])))", str(graph)]
    children = [subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for _ in range(count)]
    outcomes = [child.communicate(timeout=120) for child in children]
    return [child.returncode for child in children], outcomes


def test_concurrent_read_only_opens(cache, graph, expected):
    load_store(graph)
    one, two = load_store(graph), load_store(graph)  # two read-only handles in one process
    assert sources(one) == sources(two)
    codes, outcomes = query_in_children(cache, graph, 3)
    assert codes == [0, 0, 0], [err for _, err in outcomes]
    assert [out.strip() for out, _ in outcomes] == [str(len(expected))] * 3
    assert sources(one) == sources(two), "the open handles still answer"


def test_concurrent_first_opens_each_end_with_a_store(cache, graph, expected):
    """Several processes finding no store at once each build one; all of them answer."""
    _, outcomes = query_in_children(cache, graph, 2)
    assert [out.strip() for out, _ in outcomes] == [str(len(expected))] * 2, [err for _, err in outcomes]
    assert len(versions(graph)) == 1


@pytest.mark.parametrize("damage", ["stamp", "truncated", "emptied", "deleted"])
def test_a_damaged_store_is_rebuilt(cache, graph, parses, damage):
    expected = sources(load_store(graph))
    root = store_dir(graph)
    (version,) = versions(graph)
    if damage == "stamp":
        (root / "stamp.json").write_text("{not json", encoding="utf-8")
    elif damage == "truncated":
        for path in (root / version).iterdir():
            if path.suffix == ".sst" or path.name.startswith("MANIFEST"):
                path.write_bytes(path.read_bytes()[:40])
    elif damage == "emptied":
        for path in (root / version).iterdir():
            path.unlink()
    else:
        shutil.rmtree(root / version)
    assert sources(load_store(graph)) == expected
    assert persisted._read_stamp(root)["store"] in versions(graph)
    if damage != "stamp":  # a stamp lost while its store is intact: the store is used as it is
        assert len(parses) == 2
    assert sources(load_store(graph)) == expected and len(parses) <= 2


def test_a_half_written_store_is_never_opened(cache, graph, parses, expected):
    """A build that died mid-way leaves a .building- directory, which readers ignore."""
    load_store(graph)
    root = store_dir(graph)
    abandoned = root / ".building-dead"
    abandoned.mkdir()
    (abandoned / "CURRENT").write_text("garbage", encoding="utf-8")
    assert sources(load_store(graph)) == expected and parses == [graph]


def test_a_store_writer_persists_what_it_is_given_and_a_failed_one_keeps_the_previous(cache, graph, parses, expected,
                                                                                     monkeypatch):
    """What the build uses (StoreWriter): a store filled graph by graph from each graph's
    N-Triples lines, in several loads, published for the file."""
    lines: dict[str, list[str]] = {}
    for quad in ox.parse(path=str(graph), format=ox.RdfFormat.TRIG):
        lines.setdefault(quad.graph_name.value, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    monkeypatch.setattr(persisted, "_COPY_BATCH", 10)  # more than one load on this graph
    writer = StoreWriter(graph)
    for name, found in lines.items():
        writer.add_lines(name, found)
    where = writer.publish()
    assert where.parent == store_dir(graph) and where.is_dir()
    assert sources(load_store(graph)) == expected and parses == [], "the writer's store was used"
    assert len(load_store(graph)) == sum(len(found) for found in lines.values())

    with open(graph, "a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    failing = StoreWriter(graph)
    failing.add_lines("urn:g", ["<urn:s> <urn:p> not N-Triples ."])
    with pytest.raises(SyntaxError):
        failing.publish()
    failing.abort()
    assert versions(graph) == [where.name], "the previous store is untouched, nothing half-written"
    assert not [p for p in store_dir(graph).iterdir() if p.name.startswith(".building-")]
    assert sources(load_store(graph))[-1] == "zzz_extra", "the stale stamp is noticed on the next read"


def test_a_literal_over_16_mib_is_stored(cache, tmp_path):
    graph = tmp_path / "big.trig"
    graph.write_text('<https://example.org/g> { <https://example.org/s> <https://example.org/p> """'
                     + "x" * (17 * 1024 * 1024) + '""" . }\n', encoding="utf-8")
    (row,) = obligraph.query("SELECT (STRLEN(?o) AS ?n) WHERE { ?s ?p ?o }", graph=graph)
    assert row["n"] == 17 * 1024 * 1024


def test_the_store_is_in_the_cache_not_in_graph(cache, graph):
    listing = sorted(p.name for p in graph.parent.iterdir())
    load_store(graph)
    assert sorted(p.name for p in graph.parent.iterdir()) == listing == ["obligraph.trig"]
    assert store_root() == cache / "store" and store_dir(graph).is_relative_to(cache)
    bundled = sorted(p.name for p in BUNDLED.parent.iterdir())
    load_store()
    assert sorted(p.name for p in BUNDLED.parent.iterdir()) == bundled
    assert store_dir(BUNDLED).is_relative_to(cache)


def test_no_usable_cache_still_answers(tmp_path, monkeypatch, graph, expected):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("OBLIGRAPH_CACHE", str(blocker))
    assert sources(load_store(graph)) == expected


def test_a_missing_graph_is_the_usual_error(cache, tmp_path):
    with pytest.raises(SourceFileError, match="the built graph is missing") as error:
        load_store(tmp_path / "nowhere" / "obligraph.trig")
    assert "run `obligraph build` first" in error.value.hint


def test_a_build_leaves_the_query_store_of_what_it_wrote(cache, tmp_path, parses):
    """The build writes the store beside the files (StoreWriter): the first query after it
    opens that store, which has every quad of the TriG — the sources' full texts too."""
    small = SmallCorpus(tmp_path / "small")
    obligraph.build(paths=obligraph.Paths(sources=small.sources, ontology=ONTOLOGY, out=small.out))
    graph = small.out / "obligraph.trig"
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    texts = "SELECT ?id WHERE { ?s <https://w3id.org/obligraph/ontology#fullText> ?t ; <http://purl.org/dc/terms/identifier> ?id }"
    parsed = ox.Store()
    parsed.load(path=str(graph), format=ox.RdfFormat.TRIG)
    assert obligraph.query(count, graph=graph) == obligraph.query(count, store=parsed)
    assert [row["id"] for row in obligraph.query(texts, graph=graph)] == ["a1"]
    assert parses == [], "the first query after the build parsed the TriG"
    assert not [p for p in store_dir(graph).iterdir() if p.name.startswith(".building-")]


@pytest.mark.parametrize("failing", ["page", "rules"])
def test_a_failed_build_leaves_no_half_written_store(cache, tmp_path, monkeypatch, failing):
    """The store is begun once the sources are read: a build failing in the rules or in the page
    leaves no store of it behind."""
    small = SmallCorpus(tmp_path / "small")

    def fail(*args):
        raise OSError(f"the {failing} failed")
    if failing == "rules":
        monkeypatch.setattr(pipeline, "infer_in_store", fail)
    with pytest.raises(OSError, match=f"the {failing} failed"):
        pipeline.build(paths=obligraph.Paths(sources=small.sources, ontology=ONTOLOGY, out=small.out),
                       page=fail if failing == "page" else None)
    root = store_dir(small.out / "obligraph.trig")
    assert root.is_dir() and not list(root.iterdir()), "begun, then thrown away"
