"""The `obligraph` command: a thin wrapper over the library. Errors become a message and an exit
code; a traceback only with --debug."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import pipeline
from .errors import ObligraphError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ObligraphError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
def main(debug: bool) -> None:
    """Obligraph: an evidence-backed knowledge graph of states' legal obligations."""


@main.command()
@click.option("--sources", type=click.Path(path_type=Path), default=pipeline.Paths.sources,
              show_default=True, help="The corpus directory.")
@click.option("--ontology", type=click.Path(path_type=Path), default=pipeline.Paths.ontology,
              show_default=True, help="Directory holding obligraph.ttl and shapes.ttl.")
@click.option("--out", type=click.Path(path_type=Path), default=pipeline.Paths.out,
              show_default=True, help="Where the graph files are written.")
def build(sources: Path, ontology: Path, out: Path) -> None:
    """Build graph/ from the corpus: check every claim, locate every quote, validate, write."""
    result = pipeline.build(paths=pipeline.Paths(sources=sources, ontology=ontology, out=out))
    corpus = result.corpus
    triples = sum(len(g) for g in result.dataset.graphs())
    click.echo(f"{len(corpus.sources)} sources, {len(corpus.entities)} entities, "
               f"{len(corpus.claims)} claims, {triples} triples; all quotes located, shapes conform.")
    for path in result.written:
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
