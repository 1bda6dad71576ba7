"""Build time, peak memory and query latency against corpus size (issue 7).

    python bench/scale.py [--docs 100 1000] [--full] [--seed 1]

For each N (100 and 1,000; also 10,000 with --full) writes a synthetic corpus with
bench/make_corpus.py, runs `obligraph build` on it in a fresh child process and reports its wall
time and peak RSS (the child's own resource.getrusage(RUSAGE_SELF).ru_maxrss), then, for the
largest N, loads the built obligraph.trig into Oxigraph (obligraph.query.open_store) and times
every named query of obligraph.query.library() (execute + reading all rows)."""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from large_source import run  # noqa: E402  (one child-process runner for both benches)
from make_corpus import claims_written, make_corpus  # noqa: E402

from obligraph.query import execute, library, open_store  # noqa: E402

def build(sources: Path, out: Path) -> tuple[float, str, str]:
    """(wall seconds, peak RSS line, the build's summary line) of one build in a fresh process."""
    args = ["build", "--sources", str(sources), "--ontology", str(ROOT / "ontology"), "--out", str(out)]
    wall, rss, stdout = run(args, str(ROOT))
    return wall, rss, stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--full", action="store_true", help="also N=10,000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = sorted(set(args.docs + ([10_000] if args.full else [])))
    print(f"{platform.machine()} {platform.processor() or ''} Python {platform.python_version()}")
    walls = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            sources, out = Path(tmp) / f"sources-{n}", Path(tmp) / f"graph-{n}"
            started = time.perf_counter()
            make_corpus(sources, docs=n, seed=args.seed)
            generated = time.perf_counter() - started
            wall, rss, summary = build(sources, out)
            walls[n] = wall
            size = (out / "obligraph.trig").stat().st_size
            print(f"N={n}: generate {generated:.1f} s, {claims_written(sources):,} curated claims; "
                  f"build {wall:.1f} s wall, {rss}; trig {size / 1e6:.1f} MB; {summary}", flush=True)
        largest = sizes[-1]
        started = time.perf_counter()
        store = open_store(Path(tmp) / f"graph-{largest}" / "obligraph.trig")
        print(f"N={largest}: load obligraph.trig into Oxigraph {time.perf_counter() - started:.2f} s")
        state = next(iter(store.query(
            "PREFIX ob: <https://w3id.org/obligraph/ontology#> SELECT ?s WHERE { ?b a ob:PotentialBreach ;"
            " <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s } LIMIT 1",
            use_default_graph_as_union=True)))[0].value.rsplit("/", 1)[-1]
        for query in library():
            params = {p.name: state for p in query.parameters if p.required}
            started = time.perf_counter()
            rows = sum(1 for _ in execute(query, store, params))
            took = time.perf_counter() - started
            shown = query.name + (f" ({', '.join(f'{k}={v}' for k, v in params.items())})" if params else "")
            print(f"query {shown}: {took:.3f} s, {rows:,} rows", flush=True)
    if len(walls) > 1:
        small, big = sizes[0], sizes[-1]
        print(f"build({big})/build({small}) = {walls[big] / walls[small]:.1f}")


if __name__ == "__main__":
    main()
