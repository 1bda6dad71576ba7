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
