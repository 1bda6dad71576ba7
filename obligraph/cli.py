"""The `obligraph` command: a thin wrapper over the library. Errors become a message and an exit
code; a traceback only with --debug."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import pipeline
from .errors import ObligraphError, SourceFileError
from .export import ExportFormat
from .export import export as export_files
from .query import ResultFormat, execute, from_text, library, open_store, resolve
from .outputs import write_files
from .results import render


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


@main.command()
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to read (default: graph/obligraph.trig).")
@click.option("--out", type=click.Path(path_type=Path), default=pipeline.Paths.out / pipeline.HTML_FILE,
              show_default=True, help="Where to write the page.")
def html(graph: Path | None, out: Path) -> None:
    """Write the interactive network page (one offline HTML file) from the built graph."""
    from . import load
    from .html import to_html
    from .network import to_network
    if graph is not None and not Path(graph).is_file():
        raise SourceFileError("the built graph is missing", path=str(graph),
                              hint="run `obligraph build` first, or pass --graph FILE")
    default = pipeline.Paths.out / "obligraph.trig"
    if graph is None and not default.is_file():
        raise SourceFileError("the built graph is missing", path=str(default),
                              hint="run `obligraph build` first")
    page = to_html(to_network(load(graph)))
    written = write_files({Path(out).name: page}, Path(out).parent)
    click.echo(f"wrote {written[0]} ({len(page.encode('utf-8')) // 1024} KiB)")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, term = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = term.strip()
    return params


@main.command()
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="SPARQL text to run instead of a named query or file.")
@click.option("--format", "fmt", type=click.Choice([f.value for f in ResultFormat]),
              default=ResultFormat.TABLE.value, show_default=True,
              help="table: labels for people; json/csv/tsv: SPARQL 1.1 results formats.")
@click.option("--param", "params", multiple=True, metavar="NAME=ID",
              help="Bind a query parameter to an entity id or IRI, e.g. --param state=china.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to query (default: graph/obligraph.trig).")
@click.option("--endpoint", metavar="URL", default=None,
              help="Run on this SPARQL endpoint instead (e.g. http://127.0.0.1:7878/query), "
                   "over the merge of its named graphs.")
def query(name_or_file: str | None, expression: str | None, fmt: str, params: tuple[str, ...],
          graph: Path | None, endpoint: str | None) -> None:
    """Run a named query (see `obligraph queries`), a .rq file, or -e 'SPARQL'."""
    if bool(name_or_file) == bool(expression):
        raise click.UsageError("give a query name or file, or -e 'SPARQL' (one of them)")
    named = from_text(expression) if expression else resolve(name_or_file)
    if endpoint:
        if graph is not None:
            raise click.UsageError("--graph is the local graph; --endpoint a remote one: give one")
        from .remote import run
        click.echo(run(named, endpoint=endpoint, params=_params(params), fmt=ResultFormat(fmt)), nl=False)
        return
    store = open_store(graph)
    results = execute(named, store, _params(params))
    click.echo(render(results, store, ResultFormat(fmt)), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to serve (default: graph/obligraph.trig).")
def serve(host: str, port: int, graph: Path | None) -> None:
    """Serve the built graph read-only: SPARQL 1.1 Protocol at /sparql, a query page at /."""
    from .endpoint import serve as run_server
    run_server(host=host, port=port, graph=graph, announce=click.echo)


@main.command()
@click.option("--endpoint", metavar="URL", default=None,
              help="SPARQL Update endpoint (e.g. http://127.0.0.1:7878/update for `oxigraph serve`).")
@click.option("--graph-store", metavar="URL", default=None,
              help="Graph Store Protocol endpoint (e.g. http://127.0.0.1:7878/store); used instead of --endpoint.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to push (default: graph/obligraph.trig).")
def push(endpoint: str | None, graph_store: str | None, graph: Path | None) -> None:
    """Replace each named graph of the built dataset on a SPARQL server."""
    from .remote import push as push_graphs
    if not endpoint and not graph_store:
        raise click.UsageError("give --endpoint URL (SPARQL Update) or --graph-store URL")
    report = push_graphs(endpoint=endpoint, graph_store=graph_store, graph=graph)
    click.echo(f"pushed {report.graphs} named graphs, {report.triples} triples, to "
               f"{graph_store or endpoint} in {report.requests} requests, {report.seconds:.2f} s")


@main.command()
def queries() -> None:
    """List the named queries with their titles and parameters."""
    for named in library():
        params = "".join(f" [--param {p.name}=…]" if not p.required else f" --param {p.name}=…"
                         for p in named.parameters)
        click.echo(f"{named.name}{params}\n    {named.title}: {named.question}")


@main.command()
@click.option("--format", "fmt", type=click.Choice([f.value for f in ExportFormat]), required=True,
              help="RDF: turtle ntriples nquads trig jsonld rdfxml; network: graphml gexf; csv: nodes.csv + edges.csv.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write (a directory for csv). Default: standard output.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to export (default: graph/obligraph.trig).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def export(fmt: str, out: Path | None, graph: Path | None, force: bool) -> None:
    """Write the built graph in another format, for other tools."""
    from . import load
    files = export_files(load(graph), ExportFormat(fmt))
    if out is None:
        if len(files) > 1:
            raise click.UsageError(f"--format {fmt} writes {len(files)} files: give --out DIRECTORY")
        click.echo(next(iter(files.values())), nl=False)
        return
    targets = {(out / name if len(files) > 1 else out): text for name, text in files.items()}
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise click.UsageError(f"{', '.join(existing)} already exists: add --force to overwrite")
    write_files({path.name: text for path, text in targets.items()}, out if len(files) > 1 else out.parent)
    for path in targets:
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
