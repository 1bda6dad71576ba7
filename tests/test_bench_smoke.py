"""Smoke test of the scale benchmark's corpus generator (bench/make_corpus.py): a small synthetic
corpus builds, every curated quote is located, and the reasoning finds a potential breach."""

from __future__ import annotations

import importlib.util
import sys

import pyoxigraph as ox

import obligraph
from obligraph.outputs import trig
from obligraph.pipeline import PROJECT
from obligraph.query import execute, resolve

_spec = importlib.util.spec_from_file_location("make_corpus", PROJECT / "bench" / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = make_corpus  # dataclasses look their module up there
_spec.loader.exec_module(make_corpus)


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


def test_queries_1m_rows_agree_across_rdflib_ours_and_raw_pyoxigraph():
    """bench/queries_1m.py on the bundled graph: every named query, three engines, same rows."""
    from obligraph.query import library
    bench = _bench("queries_1m")
    report = bench.run(PROJECT / "graph" / "obligraph.trig", timeout=60)
    assert report.state == "china" and report.triples > 10_000
    assert {r.name for r in report.queries} == {q.name for q in library()}
    for result in report.queries:
        ours, held, raw = (result.engines[k] for k in ("ours", "ours, held open", "raw"))
        assert ours.rows is not None and raw.rows is not None, result.name
        assert sorted(map(repr, ours.rows)) == sorted(map(repr, raw.rows)) == sorted(map(repr, held.rows)), result.name
        assert result.agree() is True, result.name
    answered = [r for r in report.queries if r.engines["rdflib"].rows is not None]
    assert len(answered) >= len(report.queries) - 1, [r.engines["rdflib"].note for r in report.queries]
    assert sum(len(r.engines["raw"].rows) for r in report.queries) > 100
    table = bench.markdown(report, timeout=60)
    assert "| policy-conflicts | 5 |" in table and "rdflib/ours" in table


def test_export_formats_match_pyoxigraphs_own_serialisation():
    """bench/export_formats.py on the bundled graph: each RDF export holds pyoxigraph's quads."""
    bench = _bench("export_formats")
    formats = list(bench.PYOXIGRAPH)
    report = bench.run(PROJECT / "graph" / "obligraph.trig", formats=formats)
    assert [row.fmt for row in report.rows] == formats
    for row in report.rows:
        ours, theirs = ox.Store(), ox.Store()  # a store compares values ("0267" and "267" alike)
        rdf_format, _ = bench.PYOXIGRAPH[row.fmt]
        ours.load(next(iter(row.files.values())).encode("utf-8"), format=rdf_format)
        theirs.load(row.output, format=rdf_format)
        assert len(ours) > 10_000 and set(map(str, ours)) == set(map(str, theirs)), row.fmt
    assert "| nquads |" in bench.markdown(report)
