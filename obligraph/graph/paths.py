"""Where a build reads and writes (the project's own folders by default), and the built graph
file the answers read: below both the pipeline and the query store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceFileError

HTML_FILE = "obligraph.html"
PROJECT = Path(__file__).resolve().parents[2]

@dataclass(frozen=True)
class Paths:
    """Where a build reads from and writes to; defaults are the project's own directories."""

    sources: Path = PROJECT / "sources"
    ontology: Path = PROJECT / "ontology"
    out: Path = PROJECT / "graph"
    queries: Path = PROJECT / "queries"  # recorded with the graph's inputs (graph/built-from.json)


def built_graph(path: Path | str | None = None) -> Path:
    """The built TriG file to read (graph/obligraph.trig by default); a typed error if missing."""
    path = Path(path) if path else Paths().out / "obligraph.trig"
    if not path.is_file():
        raise SourceFileError("the built graph is missing", path=str(path),
                              hint="run `obligraph build` first (or `make build`), or pass --graph FILE")
    return path
