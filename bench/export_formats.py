"""Export time per format against pyoxigraph's own serialisation (issue 7).

    python bench/export_formats.py --graph /path/to/obligraph.trig [--skip-network]

For every format in obligraph.export.FORMATS, the time of the library function `obligraph
export` runs (graph_files: read the built TriG, return the file's bytes, which the command writes
as they are), and for the RDF formats
pyoxigraph's own: the TriG loaded once into an in-memory Store (its time reported on its own
line), then `Store.dump` (N-Quads, TriG, JSON-LD: the whole dataset) or `pyoxigraph.serialize` of
the store's triples (N-Triples, Turtle, RDF/XML: formats without graphs). Two ratios: ours against
the dump alone (the store already loaded) and against load + dump (both starting from the file,
as `obligraph export` does). Prints a markdown table. The network formats (GraphML, GEXF, CSV)
go through rdflib and networkx and have no pyoxigraph counterpart."""

from __future__ import annotations

import argparse
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from obligraph.views.export import FORMATS, ExportFormat, graph_files  # noqa: E402

# our format → (pyoxigraph's format, whether Store.dump writes the whole dataset in it)
PYOXIGRAPH = {
    ExportFormat.NQUADS: (ox.RdfFormat.N_QUADS, True),
    ExportFormat.NTRIPLES: (ox.RdfFormat.N_TRIPLES, False),
    ExportFormat.TURTLE: (ox.RdfFormat.TURTLE, False),
    ExportFormat.TRIG: (ox.RdfFormat.TRIG, True),
    ExportFormat.RDFXML: (ox.RdfFormat.RDF_XML, False),
    ExportFormat.JSONLD: (ox.RdfFormat.JSON_LD, True),
}


@dataclass
class Row:
    fmt: ExportFormat
    ours: float
    size: int
    files: dict[str, bytes]
    pyoxigraph: float | None = None
    output: bytes | None = None


@dataclass
class Report:
    graph: Path
    quads: int
    load: float
    rows: list[Row]


def pyoxigraph_load(graph: Path) -> tuple[ox.Store, float]:
    started = time.perf_counter()
    store = ox.Store()
    store.load(path=str(graph), format=ox.RdfFormat.TRIG)
    return store, time.perf_counter() - started


def pyoxigraph_write(store: ox.Store, fmt: ExportFormat) -> tuple[bytes, float]:
    target, whole = PYOXIGRAPH[fmt]
    started = time.perf_counter()
    if whole:
        output = store.dump(format=target)
    else:  # a triple format: every graph's triples (Store.dump would need one from_graph)
        output = ox.serialize((quad.triple for quad in store), format=target)
    return output, time.perf_counter() - started


def run(graph: Path, *, formats: list[ExportFormat] | None = None, log=lambda line: None) -> Report:
    graph = Path(graph).resolve()
    store, load = pyoxigraph_load(graph)
    log(f"pyoxigraph load {load:.2f} s")
    rows = []
    for fmt in formats or list(FORMATS):
        started = time.perf_counter()
        files = graph_files(fmt, graph=graph)
        row = Row(fmt, time.perf_counter() - started, sum(len(content) for content in files.values()),
                  files)
        if fmt in PYOXIGRAPH:
            row.output, row.pyoxigraph = pyoxigraph_write(store, fmt)
        rows.append(row)
        log(f"{fmt.value}: ours {row.ours:.2f} s" + (
            f", pyoxigraph {row.pyoxigraph:.2f} s" if row.pyoxigraph is not None else ""))
    return Report(graph, len(store), load, rows)


def markdown(report: Report) -> str:
    lines = [f"{report.graph} — {report.quads:,} quads; {platform.machine()}, Python "
             f"{platform.python_version()}, pyoxigraph {ox.__version__}", "",
             f"pyoxigraph: load the TriG into an in-memory Store {report.load:.2f} s", "",
             "| format | obligraph export (s) | MB | pyoxigraph dump/serialize (s) | ours / dump | "
             "ours / (load + dump) |", "|---|---:|---:|---:|---:|---:|"]
    for row in report.rows:
        if row.pyoxigraph is None:
            lines.append(f"| {row.fmt.value} | {row.ours:.2f} | {row.size / 1e6:.1f} | – | – | – |")
            continue
        lines.append(f"| {row.fmt.value} | {row.ours:.2f} | {row.size / 1e6:.1f} | {row.pyoxigraph:.2f} | "
                     f"{row.ours / row.pyoxigraph:.1f} | {row.ours / (report.load + row.pyoxigraph):.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, required=True, help="a built obligraph.trig")
    parser.add_argument("--skip-network", action="store_true",
                        help="only the RDF formats (GraphML, GEXF and CSV go through rdflib: slow)")
    args = parser.parse_args()
    formats = [f for f in FORMATS if f in PYOXIGRAPH] if args.skip_network else None
    report = run(args.graph, formats=formats, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(markdown(report))


if __name__ == "__main__":
    main()
