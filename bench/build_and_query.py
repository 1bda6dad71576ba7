"""Time the build's stages and every named query on the bundled corpus; print a Markdown table.

Usage: python bench/build_and_query.py [--repeat 5]   (figures go to bench/RESULTS.md by hand)
Not a test: timings depend on the machine."""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time

from obligraph.graph.outputs import render
from obligraph.graph.pipeline import Paths
from obligraph.answer.query import execute, library, open_store
from obligraph.graph.rdf import to_dataset
from obligraph.graph.reasoning import infer, read_rules
from obligraph.corpus.sources import read_corpus
from obligraph.graph.validate import check_shapes, read_shapes
from obligraph.corpus.vocabulary import read_ontology, vocabulary_of


def timed(function, repeat: int):
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    paths = Paths()
    rows = []
    t, ontology = timed(lambda: read_ontology(paths.ontology / "obligraph.ttl"), repeat)
    rows.append(("read ontology", t))
    t, corpus = timed(lambda: read_corpus(paths.sources, vocabulary_of(ontology)), repeat)
    rows.append((f"read corpus + locate {sum(len(c.evidence) for c in corpus.claims)} quotes", t))
    t, dataset = timed(lambda: to_dataset(corpus, ontology), repeat)
    rows.append(("model → RDF", t))
    t, inferred = timed(lambda: infer(dataset, read_rules(paths.ontology / "rules")), repeat)
    rows.append(("rules to fixpoint (Oxigraph)", t))
    t, _ = timed(lambda: check_shapes(inferred, read_shapes(paths.ontology / "shapes.ttl"), corpus), repeat)
    rows.append(("SHACL validation (pySHACL)", t))
    t, _ = timed(lambda: render(inferred), repeat)
    rows.append(("serialise TriG + Turtle + JSON-LD", t))
    t, store = timed(lambda: open_store(), repeat)
    rows.append(("load graph/obligraph.trig into Oxigraph", t))
    for named in library():
        params = {p.name: "china" for p in named.parameters if p.required}
        t, _ = timed(lambda: list(execute(named, store, params)), repeat)
        rows.append((f"query {named.name}", t))
    triples = sum(len(g) for g in inferred.graphs())
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{len(corpus.claims)} claims, {triples} triples, median of {repeat}")
    print("| step | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
