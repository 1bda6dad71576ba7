"""The build: sources → model → rdf → reasoning → checks → graph files. Library first; CLI and build.py wrap it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from .errors import SourceFileError
from .html import to_html
from .model import Corpus
from .network import to_network
from .outputs import render, write_files
from .rdf import to_dataset
from .reasoning import infer, read_rules
from .sources import read_corpus
from .validate import check_shapes, read_shapes
from .vocabulary import read_ontology, vocabulary_of

HTML_FILE = "obligraph.html"
PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """Where a build reads from and writes to; defaults are the project's own directories."""

    sources: Path = PROJECT / "sources"
    ontology: Path = PROJECT / "ontology"
    out: Path = PROJECT / "graph"


def built_graph(path: Path | str | None = None) -> Path:
    """The built TriG file to read (graph/obligraph.trig by default); a typed error if missing."""
    path = Path(path) if path else Paths().out / "obligraph.trig"
    if not path.is_file():
        raise SourceFileError("the built graph is missing", path=str(path),
                              hint="run `obligraph build` first (or `make build`), or pass --graph FILE")
    return path


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    dataset: Dataset
    written: tuple[Path, ...]


def assemble(*, paths: Paths = Paths(), extract: bool = False) -> tuple[Corpus, Dataset]:
    """Read, check and convert the corpus; write nothing. ``extract``: add unreviewed
    machine-extracted claims for articles that have no curated claims (their own named graph)."""
    ontology = read_ontology(paths.ontology / "obligraph.ttl")
    corpus = read_corpus(paths.sources, vocabulary_of(ontology))
    if extract:
        from dataclasses import replace

        from .review import machine_claims
        corpus = replace(corpus, claims=corpus.claims + machine_claims(corpus, Path(paths.sources)))
    dataset = infer(to_dataset(corpus, ontology), read_rules(paths.ontology / "rules"))
    check_shapes(dataset, read_shapes(paths.ontology / "shapes.ttl"), corpus)
    return corpus, dataset


def build(*, paths: Paths = Paths(), extract: bool = False) -> BuildResult:
    """Build the graph and write graph/obligraph.{trig,ttl,jsonld,html}. On any error nothing is
    written."""
    corpus, dataset = assemble(paths=paths, extract=extract)
    files = render(dataset)
    files[HTML_FILE] = to_html(to_network(dataset))
    written = write_files(files, paths.out)
    return BuildResult(corpus=corpus, dataset=dataset, written=tuple(written))
