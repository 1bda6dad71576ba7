"""Obligraph: sources about what states do → an evidence-backed RDF graph of legal obligations."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from .graph import pipeline
from .graph.paths import Paths, built_graph, use_project
from .graph.pipeline import BuildResult, Progress, assemble, no_progress
from .answer.query import query
from .answer.sparqlhelp import QUERY_PREFIXES
from .graph.rdf import read_trig

__all__ = ["Paths", "assemble", "build", "init", "load", "prefixes", "query", "use_project"]
__version__ = "0.1.0"


def build(*, paths: Paths | None = None, extract: bool = False, cache: bool = True,
          progress: Progress = no_progress, store: str | None = None,
          store_layout: str = "oxigraph") -> BuildResult:
    """Build graph/ from the corpus: the graph files and the network page (see
    obligraph.graph.pipeline.build). ``store``: the base URL of a SPARQL server to build into
    instead (``store_layout``: oxigraph, fuseki or graphdb, where its endpoints are): the graphs
    go there, the rules run there, and nothing is written locally (pipeline.build_on)."""
    if store is not None:
        from .answer.remote import RemoteStore, StoreLayout
        return pipeline.build_on(RemoteStore(store, layout=StoreLayout(store_layout)), paths=paths,
                                 extract=extract, cache=cache, progress=progress)
    from .views.html import store_html
    return pipeline.build(paths=paths, extract=extract, cache=cache, progress=progress,
                          page=lambda store, graph_triples: store_html(store, graph_triples=graph_triples))


def load(path: Path | str | None = None) -> Dataset:
    """The built graph (graph/obligraph.trig by default) as an rdflib Dataset with named graphs."""
    return read_trig(built_graph(path))


def prefixes() -> dict[str, str]:
    """The prefixes declared for every query Obligraph runs (`obligraph query`, the endpoint):
    name → namespace IRI. A query's own PREFIX declaration wins."""
    return dict(QUERY_PREFIXES)


def init(directory: Path | str) -> list[Path]:
    """Start a corpus in ``directory`` (obligraph.corpus.starter): the files written."""
    from .corpus.starter import init as write_starter
    return write_starter(Path(directory))
