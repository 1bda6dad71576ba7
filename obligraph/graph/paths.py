"""Where a build reads and writes (the project's own folders by default), and the built graph
file the answers read: below both the pipeline and the query store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.atomic import settle
from ..errors import SourceFileError

HTML_FILE = "obligraph.html"
PROJECT = Path(__file__).resolve().parents[2]

_chosen: list[Path] = []  # the corpus --project names (use_project), else the one found from the cwd


def use_project(root: Path | None) -> None:
    """Work on the corpus in ``root`` (`--project DIR`); None: the one found from the current folder."""
    _chosen[:] = [Path(root).resolve()] if root is not None else []


def find_project(start: Path | None = None) -> Path | None:
    """The nearest folder, from ``start`` (the current one) up, holding a corpus: sources/ with
    its registry (entities.yaml, or an entities/ folder)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "sources" / "entities.yaml").is_file() or (folder / "sources" / "entities").is_dir():
            return folder
    return None


def project_root() -> Path:
    """The corpus the commands work on: --project's, else the one the current folder is in —
    never, silently, the checkout Obligraph was installed from."""
    root = _chosen[0] if _chosen else find_project()
    if root is None:
        raise SourceFileError("no corpus here: neither this folder nor any above it has sources/entities.yaml",
                              path=str(Path.cwd()),
                              hint="cd into a corpus, pass --project DIR, or start one with `obligraph init DIR`")
    return root


def _own_or_bundled(name: str) -> Path:
    """The corpus's own ontology/ or queries/ where it has one, else the ones bundled with Obligraph."""
    root = _chosen[0] if _chosen else find_project()
    return root / name if root is not None and (root / name).is_dir() else PROJECT / name


@dataclass(frozen=True)
class Paths:
    """Where a build reads from and writes to; by default the corpus the commands work on
    (project_root: its sources/ and graph/; its own ontology/ and queries/, else the bundled ones)."""

    sources: Path = field(default_factory=lambda: project_root() / "sources")
    ontology: Path = field(default_factory=lambda: _own_or_bundled("ontology"))
    out: Path = field(default_factory=lambda: project_root() / "graph")
    queries: Path = field(default_factory=lambda: _own_or_bundled("queries"))  # recorded in built-from.json


def built_graph(path: Path | str | None = None) -> Path:
    """The built TriG file to read (graph/obligraph.trig by default); a typed error if missing."""
    path = Path(path) if path else Paths().out / "obligraph.trig"
    settle(path.parent)  # a set of graph files a killed build committed is finished first
    if not path.is_file():
        raise SourceFileError("the built graph is missing", path=str(path),
                              hint="run `obligraph build` first (or `make build`), or pass --graph FILE")
    return path
