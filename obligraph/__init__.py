"""Obligraph: sources about what states do → an evidence-backed RDF graph of legal obligations."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from .errors import SourceFileError
from .pipeline import Paths, assemble, build
from .query import query
from .rdf import new_dataset

__all__ = ["Paths", "assemble", "build", "load", "query"]
__version__ = "0.1.0"


def load(path: Path | str | None = None) -> Dataset:
    """The built graph (graph/obligraph.trig by default) as an rdflib Dataset with named graphs."""
    path = Path(path) if path else Paths().out / "obligraph.trig"
    if not path.is_file():
        raise SourceFileError("the built graph is missing", path=str(path),
                              hint="run `obligraph build` (or `make build`) first")
    dataset = new_dataset()
    dataset.parse(path, format="trig")
    return dataset
