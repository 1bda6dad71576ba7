"""Smoke test of the scale benchmark's corpus generator (bench/make_corpus.py): a small synthetic
corpus builds, every curated quote is located, and the reasoning finds a potential breach."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import obligraph
from obligraph.graph.outputs import trig
from obligraph.graph.store import load_store
from obligraph.graph.pipeline import PROJECT
from obligraph.answer.query import execute, resolve

_spec = importlib.util.spec_from_file_location("make_corpus", PROJECT / "bench" / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = make_corpus  # dataclasses look their module up there
_spec.loader.exec_module(make_corpus)


@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory) -> Path:
    """graph/obligraph.trig of a generated corpus of 5 articles: the benches' smoke tests run on
    it (the bundled graph, with the depositary record of every state, is what the benches
    themselves measure; here only their correctness is checked, in seconds)."""
    work = tmp_path_factory.mktemp("generated")
    sources = make_corpus.make_corpus(work / "sources", docs=5, seed=1)
    obligraph.build(paths=obligraph.Paths(sources=sources, ontology=PROJECT / "ontology", out=work / "graph"))
    return work / "graph" / "obligraph.trig"


def test_generated_corpus_builds_and_finds_a_breach(tmp_path):
    sources = make_corpus.make_corpus(tmp_path / "sources", docs=5, seed=1)
    again = make_corpus.make_corpus(tmp_path / "again", docs=5, seed=1)
    assert sorted(p.read_bytes() for p in sources.rglob("*.*")) == sorted(
        p.read_bytes() for p in again.rglob("*.*")), "the generator is deterministic for a seed"
    written = make_corpus.claims_written(sources)
    assert written > 0

    paths = obligraph.Paths(sources=sources, ontology=PROJECT / "ontology", out=tmp_path / "graph")
    corpus, dataset = obligraph.assemble(paths=paths)

    record = {s.id for s in corpus.sources if s.kind.value == "reference-record"}
    curated = [c for c in corpus.claims if c.source_id not in record]
    assert len(curated) == written, "every curated claim was read and its quote located"
    assert all(c.evidence for c in curated)

    store = ox.Store()
    store.load(trig(dataset).encode(), format=ox.RdfFormat.TRIG)
    rows = list(execute(resolve("policy-conflicts"), store))
    assert rows, "policy-conflicts finds at least one potential breach"


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_queries_1m_rows_agree_across_rdflib_ours_and_raw_pyoxigraph(generated_graph):
    """bench/queries_1m.py on a generated graph: every named query, three engines, same rows."""
    from obligraph.answer.query import library
    bench = _bench("queries_1m")
    # rdflib gives up on policy-conflicts (its citation sub-selects) whatever the wait: a minute
    # spent waiting for it was most of this test; every other query answers in a few seconds
    report = bench.run(generated_graph, timeout=15)
    store = load_store(generated_graph, memory=True)
    assert report.state == bench.breach_state(store) is not None and report.triples == len(store) > 10_000
    assert {r.name for r in report.queries} == {q.name for q in library()}
    for result in report.queries:
        ours, held, served, raw = (result.engines[k] for k in ("ours", "ours, held open", "ours as served", "raw"))
        assert ours.rows is not None and raw.rows is not None, result.name
        assert sorted(map(repr, ours.rows)) == sorted(map(repr, raw.rows)) == sorted(map(repr, held.rows)), result.name
        assert served.seconds is not None and sorted(map(repr, served.rows)) == sorted(map(repr, raw.rows)), result.name
        assert result.agree() is True, result.name
    answered = [r for r in report.queries if r.engines["rdflib"].rows is not None]
    assert len(answered) >= len(report.queries) - 1, [r.engines["rdflib"].note for r in report.queries]
    assert sum(len(r.engines["raw"].rows) for r in report.queries) > 100
    table = bench.markdown(report, timeout=15)
    conflicts = next(r for r in report.queries if r.name == "policy-conflicts").engines["raw"].rows
    assert conflicts and f"| policy-conflicts | {len(conflicts)} |" in table and "rdflib/ours" in table
    assert "| ours as served (s) |" in table and "| served/raw |" in table
    assert "ours as served: load into memory (obligraph serve)" in report.loads


def test_export_formats_match_pyoxigraphs_own_serialisation(generated_graph):
    """bench/export_formats.py on a generated graph: each RDF export holds pyoxigraph's quads."""
    bench = _bench("export_formats")
    formats = list(bench.PYOXIGRAPH)
    report = bench.run(generated_graph, formats=formats)
    assert [row.fmt for row in report.rows] == formats
    for row in report.rows:
        ours, theirs = ox.Store(), ox.Store()  # a store compares values ("0267" and "267" alike)
        rdf_format, _ = bench.PYOXIGRAPH[row.fmt]
        ours.load(next(iter(row.files.values())), format=rdf_format)
        theirs.load(row.output, format=rdf_format)
        assert len(ours) > 10_000 and set(map(str, ours)) == set(map(str, theirs)), row.fmt
    assert "| nquads |" in bench.markdown(report)


def test_html_scale_resamples_renders_and_times_both_pages(generated_graph, tmp_path):
    """bench/html_scale.py on a tiny network resampled from a generated one: exact node counts,
    the template's types, unique claim ids, both pages offline, both drawn in the browser."""
    from collections import Counter

    from obligraph.views.network import to_network
    from tests import browser
    bench = _bench("html_scale")
    template = to_network(load_store(generated_graph, memory=True))
    smaller, larger = bench.resample(template, 60), bench.resample(template, 400)
    assert (smaller.number_of_nodes(), larger.number_of_nodes()) == (60, 400)
    assert smaller.number_of_edges() > 0
    per_node = template.number_of_edges() / template.number_of_nodes()  # as many edges per node as the template
    assert 0.9 * 400 * per_node <= larger.number_of_edges() <= 400 * per_node + 1
    assert list(bench.resample(template, 60).edges(keys=True, data=True)) == list(smaller.edges(keys=True, data=True))
    assert set(Counter(d["type"] for _, d in larger.nodes(data=True))) == set(
        Counter(d["type"] for _, d in template.nodes(data=True)))
    claims = [c["id"] for _, _, d in larger.edges(data=True) for c in d["claims"]]
    assert len(claims) == len(set(claims)), "copied claims are stored apart"

    page, times = bench.generation(smaller)
    from obligraph.views.html import page_json
    assert set(times) == {"layout", "to_html", "bytes"} and page_json(page)["options"]["physics"] == {"enabled": False}
    pyvis = bench.pyvis_page(smaller)
    assert "https://" not in pyvis.split("<script>", 1)[0] and bench.PYVIS_HOOK in pyvis
    row = bench.measure("tiny", smaller, tmp_path, cap=60, in_browser=browser.available())
    assert (row["nodes"], row["edges"]) == (60, smaller.number_of_edges())
    if browser.available():
        assert row["ours"] is not None and row["pyvis"] is not None
        assert (tmp_path / "tiny-obligraph.html").is_file() and (tmp_path / "tiny-pyvis.html").is_file()
    table = bench.table([row], cap=60)
    assert table.splitlines()[2].startswith("| tiny | 60 |")


def test_the_whole_scale_bench_runs_end_to_end_on_a_tiny_corpus(tmp_path, monkeypatch, capsys):
    """`make bench` in miniature (bench/scale.py): two tiny corpora, every section filled with
    real figures; correctness only, no timing asserts."""
    bench = _bench("scale")
    out = tmp_path / "scale.md"
    monkeypatch.setattr(sys, "argv", ["scale.py", "--docs", "2", "4", "--query-docs", "2",
                                      "--html-docs", "2", "--html-nodes", "30", "--no-browser",
                                      "--timeout", "15", "--work", str(tmp_path / "work"),
                                      "--out", str(out)])
    bench.main()
    text = out.read_text(encoding="utf-8")
    assert capsys.readouterr().out.strip() == text.strip()
    rows = re.findall(r"^\| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d.]+) \| (\d+) MiB", text, re.M)
    assert [r[0] for r in rows] == ["2", "4"], text  # the bigger corpus, built last, in its place
    assert "build(4) / build(2) = " in text
    assert all(int(r[2].replace(",", "")) > 1000 for r in rows)
    assert "| rebuild, nothing changed |" in text and "| rebuild, one source changed (" in text
    for query in ("contradictions", "policy-conflicts", "timeline"):
        assert f"| {query}" in text
    assert "| nquads |" in text or "| n-quads |" in text.lower()
    assert "| resampled-30 | 30 |" in text
    # issue 22's targets, each against this run's own figures
    assert re.search(r"^\| peak RSS at N = 4 ≤ 1\.5 GB \| [\d,]+ MiB \(0\.\d\d GB\) \| met \|$", text, re.M), text
    assert re.search(r"^\| one changed article at N = 2 ≤ 10 % of the full build \| [\d.]+% \([\d.]+ s\) \|", text, re.M)
    assert re.search(r"^\| page at N = 4 ≤ 25 MB \| [\d.]+ MB \| met \|$", text, re.M)
