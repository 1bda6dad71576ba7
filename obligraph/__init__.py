"""Obligraph: sources about what states do → an evidence-backed RDF graph of legal obligations."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from .pipeline import Paths, assemble, build, built_graph
from .query import query
from .rdf import new_dataset

__all__ = ["Paths", "assemble", "build", "load", "query"]
__version__ = "0.1.0"


def load(path: Path | str | None = None) -> Dataset:
    """The built graph (graph/obligraph.trig by default) as an rdflib Dataset with named graphs."""
    dataset = new_dataset()
    dataset.parse(built_graph(path), format="trig")
    return dataset
