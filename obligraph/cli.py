"""The `obligraph` command: a thin wrapper over the library. Errors become a message and an exit
code; a traceback only with --debug."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import obligraph

from .graph import pipeline
from .errors import CommandLineError, ObligraphError, SourceFileError
from .views.export import FORMATS, ExportFormat
from .views.export import graph_files
from .answer.query import ResultFormat, execute, from_text, library, open_store, resolve
from .graph.outputs import write_files
from .answer.results import render
from .answer.cite import CiteFormat, cite as cite_table


class _Size(click.ParamType):
    """A size in bytes: 1000000, 64K, 64M, 1G (K, M, G: powers of 1024)."""

    name = "size"
    _UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("IB").removesuffix("B")
        unit = text[-1:] if text[-1:] in self._UNITS else ""
        number = text[:-1] if unit else text
        if not number.isdigit() or int(number) < 1:
            self.fail(f"{value!r} is not a size: give bytes, or a number with K, M or G "
                      "(e.g. 64M)", param, ctx)
        return int(number) * self._UNITS[unit]


_SIZE = _Size()


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
@click.version_option(obligraph.__version__, prog_name="obligraph")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.option("--project", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The corpus to work on (a folder with sources/); default: the one the current "
                   "folder is in.")
def main(debug: bool, project: Path | None = None) -> None:
    """Obligraph: an evidence-backed knowledge graph of states' legal obligations. Every command
    works on the corpus of the current folder (or --project DIR): `obligraph init DIR` starts one."""
    pipeline.use_project(project)
    click.get_current_context().call_on_close(lambda: pipeline.use_project(None))  # for this command only


@main.command()
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The corpus directory (default: the project's sources/).")
@click.option("--ontology", type=click.Path(path_type=Path), default=None,
              help="Directory holding obligraph.ttl and shapes.ttl (default: the project's "
                   "ontology/, else the bundled one).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where the graph files are written (default: the project's graph/).")
@click.option("--extract", "with_extracted", is_flag=True,
              help="Also include unreviewed machine-extracted claims for articles with no curated "
                   "claims (in their own named graphs, typed ob:MachineExtractedClaim).")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Do all the work again: neither read nor fill the build cache.")
@click.option("--store", "store", metavar="URL", default=None,
              help="Build into this SPARQL server instead (its base URL, e.g. http://127.0.0.1:7878): "
                   "each graph put there, the rules run there; nothing written locally.")
@click.option("--store-layout", type=click.Choice(["oxigraph", "fuseki", "graphdb"]), default="oxigraph",
              show_default=True, help="Where the --store server has its query, update and graph "
                                      "store endpoints.")
def build(sources: Path | None, ontology: Path | None, out: Path | None, with_extracted: bool = False,
          no_cache: bool = False, store: str | None = None, store_layout: str = "oxigraph") -> None:
    """Build graph/ from the corpus: check every claim, locate every quote, validate, write."""
    given = {"sources": sources, "ontology": ontology, "out": out}
    paths = pipeline.Paths(**{name: value for name, value in given.items() if value is not None})
    out = paths.out
    result = obligraph.build(paths=paths, extract=with_extracted, cache=not no_cache, progress=progress_bar,
                             store=store, store_layout=store_layout)
    counts = (f"{result.sources} sources, {result.entities} entities, {result.claims} claims, "
              f"{result.triples} triples")
    if store is not None:
        click.echo(f"{counts}; all quotes located, shapes conform; built into {store.rstrip('/')} "
                   f"(the rules ran there; {out} is as it was).")
        return
    if result.up_to_date:
        click.echo(f"{counts}; nothing changed since the last build: {out} is up to date.")
        return
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{counts}; all quotes located, shapes conform.")
    for path in result.written:
        click.echo(f"wrote {path}")


def progress_bar(items, description: str, total: int):
    """A progress bar on stderr for a loop of the build, shown only once it has taken 2 s and
    only on a terminal (logs and pipes stay clean)."""
    from tqdm import tqdm
    return tqdm(items, desc=description, total=total, delay=2, file=sys.stderr, unit="",
                leave=False, dynamic_ncols=True, disable=None)


_STRICT = click.option("--strict", is_flag=True,
                       help="Refuse a graph whose sources, ontology, rules or queries changed since it "
                            "was built (exit 2), rather than warn.")


def _fresh(graph: Path | None, strict: bool) -> None:
    """Warn on stderr (one line) when the graph's inputs changed since its build; --strict: refuse."""
    from .graph.freshness import check
    warning = check(pipeline.built_graph(graph), strict=strict)
    if warning:
        click.echo(f"warning: {warning} — run `obligraph build` (or --strict to refuse it)", err=True)


@main.command()
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to read (default: graph/obligraph.trig).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the page (default: the project's graph/obligraph.html).")
@_STRICT
def html(graph: Path | None, out: Path | None, strict: bool = False) -> None:
    """Write the interactive network page (one offline HTML file) from the built graph."""
    _fresh(graph, strict)
    out = out or pipeline.Paths().out / pipeline.HTML_FILE
    from .views.html import store_html
    from .answer.query import open_store
    page = store_html(open_store(graph))  # the embedded store: no rdflib parse of the TriG
    written = write_files({Path(out).name: page}, Path(out).parent, what="obligraph html")
    click.echo(f"wrote {written[0]} ({len(page.encode('utf-8')) // 1024} KiB)")


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The sources/ folder to compare the graph's texts with (default: the project's, "
                   "when FILE is the project's graph).")
def verify(file: Path | None, sources: Path | None = None) -> None:
    """Re-check every quote, offset, text and claim in a built graph (default graph/obligraph.trig):
    the quotes against the texts, the texts against their digests and files, every claim against
    its evidence and the plain triples it asserts."""
    from .verify import check
    click.echo(check(file, sources=sources).summary())


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
@_STRICT
def query(name_or_file: str | None, expression: str | None, fmt: str, params: tuple[str, ...],
          graph: Path | None, endpoint: str | None, strict: bool = False) -> None:
    """Run a named query (see `obligraph queries`), a .rq file, or -e 'SPARQL'."""
    if bool(name_or_file) == bool(expression):
        raise click.UsageError("give a query name or file, or -e 'SPARQL' (one of them)")
    named = from_text(expression) if expression else resolve(name_or_file)
    if endpoint:
        if graph is not None:
            raise click.UsageError("--graph is the local graph; --endpoint a remote one: give one")
        from .answer.remote import run
        click.echo(run(named, endpoint=endpoint, params=_params(params), fmt=ResultFormat(fmt)), nl=False)
        return
    _fresh(graph, strict)
    store = open_store(graph)
    results = execute(named, store, _params(params), contained=True)
    click.echo(render(results, store, ResultFormat(fmt)), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to serve (default: graph/obligraph.trig).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows (or triples) a result may hold; a larger one is refused (413), never truncated.")
@click.option("--max-bytes", type=_SIZE, default="64M", show_default=True,
              help="Bytes a result may hold, in the format asked for (413 beyond; K, M, G: binary).")
@click.option("--max-memory", type=_SIZE, default="1G", show_default=True,
              help="Memory a query may take beyond the graph; past it the query is stopped (503).")
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Bytes a request body may hold (413 beyond).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes: queries answered at once (each may be stopped alone).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL",
              help="An endpoint SERVICE clauses may query (repeatable); none by default. Setting "
                   "one lets the query workers use the network.")
@click.option("--cors", multiple=True, metavar="ORIGIN",
              help="A web origin (e.g. https://yasgui.example) whose pages may query the endpoint "
                   "(repeatable); none by default.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name clients may reach the server by, besides the --host address and "
                   "localhost (repeatable), e.g. the machine's name on a network.")
@click.option("--in-memory/--on-disk", "memory", default=True, show_default=True,
              help="Hold the graph in memory (parsed once at start, about 2.5 s a million "
                   "triples; fastest queries), or answer from the persisted on-disk store "
                   "(starts at once, little memory, queries several times slower).")
@_STRICT
def serve(host: str, port: int, graph: Path | None, timeout: float, max_rows: int, max_bytes: int,
          max_memory: int, max_body: int, workers: int, allow_service: tuple[str, ...],
          cors: tuple[str, ...], allow_hosts: tuple[str, ...], memory: bool = True,
          strict: bool = False) -> None:
    """Serve the built graph read-only: SPARQL 1.1 Protocol at /sparql, a query page at /."""
    _fresh(graph, strict)
    from .answer.endpoint import serve as run_server
    run_server(host=host, port=port, graph=graph, memory=memory, announce=click.echo,
               timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, max_memory=max_memory,
               max_body=max_body, workers=workers, allow_service=allow_service, cors=cors,
               allow_hosts=allow_hosts)


@main.command()
@click.option("--endpoint", metavar="URL", default=None,
              help="SPARQL Update endpoint (e.g. http://127.0.0.1:7878/update for `oxigraph serve`).")
@click.option("--graph-store", metavar="URL", default=None,
              help="Graph Store Protocol endpoint (e.g. http://127.0.0.1:7878/store); used instead of --endpoint.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to push (default: graph/obligraph.trig).")
def push(endpoint: str | None, graph_store: str | None, graph: Path | None) -> None:
    """Replace each named graph of the built dataset on a SPARQL server."""
    from .answer.remote import push as push_graphs
    if not endpoint and not graph_store:
        raise click.UsageError("give --endpoint URL (SPARQL Update) or --graph-store URL")
    report = push_graphs(endpoint=endpoint, graph_store=graph_store, graph=graph)
    click.echo(f"pushed {report.graphs} named graphs, {report.triples} triples, to "
               f"{graph_store or endpoint} in {report.requests} requests, {report.seconds:.2f} s")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Start a corpus of your own in DIRECTORY: a registry and one example article with its
    claims, which `obligraph build` builds at once (the ontology and queries are the installed ones)."""
    from .corpus.starter import init as write_starter
    written = write_starter(directory)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {directory} && obligraph build && obligraph query sources")


@main.command()
@click.argument("entity", required=False)
@click.option("--query", "query_name", metavar="NAME", default=None,
              help="Cite the claims behind the rows of this named query (or .rq file) instead.")
@click.option("--param", "params", multiple=True, metavar="NAME=ID",
              help="A parameter of the --query (repeatable).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in CiteFormat]), default=CiteFormat.MARKDOWN.value,
              show_default=True, help="markdown: a table for a brief or a report; csv: for a spreadsheet.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write the table to this file (never over an existing one) instead of printing it.")
@click.option("--graph", type=click.Path(path_type=Path), default=None,
              help="The built TriG file to read (default: graph/obligraph.trig).")
@_STRICT
def cite(entity: str | None, query_name: str | None, params: tuple[str, ...], fmt: str,
         out: Path | None, graph: Path | None, strict: bool = False) -> None:
    """The claims about an entity — or behind the rows of a named query (--query NAME [--param
    k=v]) — as a citation-ready table: source, author, publisher, date, URL, accessed, archived
    copy, the claim, its stance, who states it, the quote and its offsets."""
    if (entity is None) == (query_name is None):
        raise CommandLineError("cite an entity or a query's rows: give ENTITY or --query NAME"
                               + (", not both" if entity else ""),
                               hint="obligraph cite china, or obligraph cite --query policy-conflicts "
                                    "--param state=china")
    if params and query_name is None:
        raise CommandLineError("--param is for --query", hint=f"obligraph cite {entity} takes no parameters")
    _fresh(graph, strict)
    table = cite_table(entity, fmt=CiteFormat(fmt), graph=graph, query_name=query_name,
                       params=_params(params))
    if out is None:
        click.echo(table, nl=False)
        return
    if Path(out).exists():
        raise CommandLineError(f"{out} already exists", hint="choose another --out, or remove it first")
    written = write_files({Path(out).name: table}, Path(out).parent, what="obligraph cite")
    click.echo(f"wrote {written[0]}")


@main.command()
def prefixes() -> None:
    """List the prefixes every query here has declared (a query's own PREFIX wins), as PREFIX
    lines to paste elsewhere."""
    for name, iri in obligraph.prefixes().items():
        click.echo(f"PREFIX {name}: <{iri}>")


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
@click.option("--asserted-only", is_flag=True,
              help="graphml, gexf, csv: only the relations a claim asserts (and the inferred ones); "
                   "leave out those only denied, alleged or recommended.")
def export(fmt: str, out: Path | None, graph: Path | None, force: bool, asserted_only: bool) -> None:
    """Write the built graph in another format, for other tools."""
    if asserted_only and not FORMATS[ExportFormat(fmt)].network:
        raise CommandLineError(f"--asserted-only is for --format graphml, gexf or csv, not {fmt}",
                               hint="the RDF formats keep every claim with its stance (ob:stance): "
                                    "leave out --asserted-only, or choose a network format")
    files = graph_files(ExportFormat(fmt), graph=graph, asserted_only=asserted_only)  # UTF-8 bytes, as they are
    if out is None:
        if len(files) > 1:
            raise CommandLineError(f"--format {fmt} writes {len(files)} files ({', '.join(files)})",
                                   hint="give --out DIRECTORY")
        click.echo(next(iter(files.values())), nl=False)
        return
    targets = {(out / name if len(files) > 1 else out): content for name, content in files.items()}
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise CommandLineError(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}",
                               hint="add --force to overwrite, or choose another --out")
    _write_all(targets)
    for path in targets:
        click.echo(f"wrote {path}")


def _write_all(targets: dict[Path, bytes]) -> None:
    """Write every file or none: they share one folder (``--out FILE``, or DIRECTORY for csv),
    written as one set there (atomic.write_set)."""
    folders = {path.parent for path in targets}
    assert len(folders) == 1, folders
    write_files({path.name: content for path, content in targets.items()}, folders.pop(),
                what="obligraph export")



# --- extraction: propose, review, evaluate ------------------------------------------------------

def _registry(sources: Path):
    from .corpus.sources import read_registry
    from .corpus.vocabulary import read_ontology, vocabulary_of
    vocabulary = vocabulary_of(read_ontology(pipeline.Paths().ontology / "obligraph.ttl"))
    return read_registry(Path(sources).resolve(), vocabulary), vocabulary


def _text_path(path: Path) -> Path:
    path = Path(path)
    if path.name.endswith((".meta.yaml", ".claims.yaml", ".candidates.yaml")):
        path = path.with_name(path.name.split(".")[0] + ".txt")
    if not path.is_file():
        raise SourceFileError("no such text file", path=str(path),
                              hint="give the source's NAME.txt")
    return path


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the candidates (default: NAME.candidates.yaml next to the text).")
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The corpus whose registry (entities.yaml) links names (default: the project's sources/).")
@click.option("--force", is_flag=True, help="Replace an existing candidates file.")
def extract(path: Path, out: Path | None, sources: Path, force: bool) -> None:
    """Propose candidate claims for a source text, for review (never touches NAME.claims.yaml)."""
    from .extract.proposing import extract_proposing
    from .extract.review import paths_for, write_candidates
    from .corpus.yamlfile import read_text
    text_path = _text_path(path)
    registry, _ = _registry(sources or pipeline.Paths().sources)
    found = extract_proposing(read_text(text_path), registry, source_id=text_path.name[:-4])
    target = write_candidates(found, text_path, Path(out) if out else paths_for(text_path)[0],
                              force=force)
    click.echo(f"wrote {target}: {len(found.candidates)} candidate claims, "
               f"{len(found.new_entities)} proposed new entities")
    # the text as the user named it: the command works from where they ran extract
    click.echo(f"next: obligraph review {text_path} --accept 1,3 --reject 2 (or --accept-all)")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--accept", default=None, metavar="N[,M]", help="Candidates to accept: 1,3 or 2-5.")
@click.option("--reject", default=None, metavar="N[,M]", help="Candidates to reject.")
@click.option("--accept-all", is_flag=True, help="Accept every pending candidate.")
@click.option("--accept-entities", default=None, metavar="ID[,ID]",
              help="Proposed new entities to add to the registry (each named by a claim accepted now).")
@click.option("--reject-entities", default=None, metavar="ID[,ID]", help="Proposed new entities to reject.")
@click.option("--reviewer", default=None, help="Who decides (default: $USER).")
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The corpus whose registry the accepted claims must use (default: the project's sources/).")
def review(path: Path, accept: str | None, reject: str | None, accept_all: bool,
           accept_entities: str | None, reject_entities: str | None, reviewer: str | None,
           sources: Path) -> None:
    """Accept or reject candidates: accepted ones are appended to NAME.claims.yaml, accepted
    proposed entities to the registry (sources/entities.yaml)."""
    import os

    from .corpus.checks import name_keys
    from .extract.review import parse_numbers, review as apply
    if not (accept or reject or accept_all or accept_entities or reject_entities):
        raise click.UsageError("give --accept N[,M], --reject N[,M], --accept-all, "
                               "--accept-entities ID[,ID] or --reject-entities ID[,ID]")
    root = Path(sources or pipeline.Paths().sources)
    registry, vocabulary = _registry(root)

    def ids(spec: str | None) -> list[str]:
        return list(dict.fromkeys(i.strip() for i in (spec or "").split(",") if i.strip()))
    done = apply(_text_path(path), accept=parse_numbers(accept), reject=parse_numbers(reject),
                 accept_all=accept_all, reviewer=reviewer or os.environ.get("USER", ""),
                 known={e.id for e in registry}, accept_entities=ids(accept_entities),
                 reject_entities=ids(reject_entities), registry=root / "entities.yaml",
                 names={k for e in registry for n in (e.label, *e.aliases) for k in name_keys(n)},
                 types=set(vocabulary.entity_types))
    added = len(done["accepted"]) - len(done["duplicates"])
    click.echo(f"accepted {len(done['accepted'])}, rejected {len(done['rejected'])}; "
               f"appended {added} claims to {path.name.split('.')[0]}.claims.yaml"
               + (f" ({len(done['duplicates'])} already there)" if done["duplicates"] else ""))
    if done["entities_accepted"] or done["entities_rejected"]:
        there = len(done["entities_accepted"]) - len(done["entities_added"])
        click.echo(f"entities: accepted {len(done['entities_accepted'])}, rejected "
                   f"{len(done['entities_rejected'])}; added {len(done['entities_added'])} to "
                   f"{root / 'entities.yaml'}" + (f" ({there} already there)" if there else ""))


@main.command()
@click.option("--sources", "directories", multiple=True, type=click.Path(path_type=Path),
              help="A directory of articles with curated claims (repeatable; default: sources/ "
                   "and tests/extraction/).")
@click.option("--registry", type=click.Path(path_type=Path), default=None,
              help="The corpus whose entities.yaml is the gazetteer (default: the project's sources/).")
@click.option("--no-loso", is_flag=True, help="Keep the triggers taken from the scored source.")
def evaluate(directories: tuple[Path, ...], registry: Path, no_loso: bool) -> None:
    """Precision, recall and F1 of extraction against curated claims (leave-one-source-out)."""
    from .extract.evaluate import evaluate as run, report
    registry = registry or pipeline.Paths().sources
    _, vocabulary = _registry(registry)
    directories = directories or (pipeline.Paths().sources, pipeline.PROJECT / "tests" / "extraction")
    for directory in directories:
        scores = run(Path(directory), Path(registry), vocabulary, loso=not no_loso)
        shown = Path(directory).resolve()
        shown = shown.relative_to(pipeline.PROJECT) if shown.is_relative_to(pipeline.PROJECT) else shown
        click.echo(report(scores, f"{shown} ({len(scores)} sources"
                                  f"{', leave-one-source-out' if not no_loso else ''})"))


if __name__ == "__main__":
    main()
