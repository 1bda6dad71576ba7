"""The whole scale-and-speed bench (issue 7) in one command:

    make bench            # = python bench/scale.py  (N = 100, 1,000 and 10,000; ~50 min here)
    python bench/scale.py --docs 100 1000 --timeout 60 --out /tmp/scale.md

1. Builds: for each N, a synthetic corpus (bench/make_corpus.py, seed 1) is built by
   `obligraph build` in a fresh child process with an empty build cache: wall time and peak RSS
   (the child's own getrusage, plus its shape-checking worker's). Corpora bigger than
   --query-docs are built last, after the other benches; --out holds every finished part.
2. Rebuilds, on the --query-docs corpus: with nothing changed, and with one source changed.
3. Named queries on that graph (~1M triples at N = 1,000): rdflib Memory vs our store vs raw
   pyoxigraph (bench/queries_1m.py).
4. Export per format vs pyoxigraph's own serialisers (bench/export_formats.py).
5. The page at 1,000 and 5,000 nodes: generation time and time to a drawn network in headless
   Chromium, ours vs pyvis's default physics (bench/html_scale.py).
6. Each build's own page drawn in headless Chromium, and issue 22's targets against the run's
   figures: peak RSS and time at the biggest N against N = 1,000, the one-source rebuild, the page.

Prints markdown (and writes it to --out): paste it into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import export_formats  # noqa: E402
import html_scale  # noqa: E402
import queries_1m  # noqa: E402
from large_source import run  # noqa: E402  (one child-process runner for the benches)
from make_corpus import claims_written, make_corpus  # noqa: E402


def build(sources: Path, out: Path, cache: Path) -> dict:
    """One `obligraph build` in a fresh child process with the build cache at ``cache``."""
    args = ["build", "--sources", str(sources), "--ontology", str(ROOT / "ontology"), "--out", str(out)]
    wall, rss, stdout = run(args, str(ROOT), env={**os.environ, "OBLIGRAPH_CACHE": str(cache)})
    summary = stdout.strip().splitlines()[0]
    triples = int(re.search(r"([\d,]+) triples", summary).group(1).replace(",", ""))
    return {"wall": wall, "rss": rss, "summary": summary, "triples": triples}


def builds(sizes: list[int], work: Path, log) -> dict[int, dict]:
    results = {}
    for n in sizes:
        sources, out = work / f"sources-{n}", work / f"graph-{n}"
        started = time.perf_counter()
        if not sources.exists():
            make_corpus(sources, docs=n, seed=1)
        generated = time.perf_counter() - started
        result = build(sources, out, work / f"cache-{n}")
        result.update(n=n, claims=claims_written(sources), generated=generated,
                      trig=(out / "obligraph.trig").stat().st_size,
                      html=(out / "obligraph.html").stat().st_size)
        results[n] = result
        log(f"N={n}: build {result['wall']:.1f} s, {result['rss']}")
    return results


def build_table(results: dict[int, dict]) -> str:
    rows = [f"| {n:,} | {r['claims']:,} | {r['triples']:,} | {r['wall']:.1f} | "
            f"{r['rss'].removeprefix('peak RSS ')} | {r['trig'] / 1e6:.0f} | {r['html'] / 1e6:.1f} |"
            for n, r in sorted(results.items())]
    table = ("| documents | curated claims | triples | build s | peak RSS | TriG MB | page MB |\n"
             "|---:|---:|---:|---:|---|---:|---:|\n" + "\n".join(rows))
    ordered = sorted(results)
    for small, big in zip(ordered, ordered[1:]):
        table += (f"\n\nbuild({big:,}) / build({small:,}) = "
                  f"{results[big]['wall'] / results[small]['wall']:.1f} for {big / small:.0f}× the documents")
    return table


def rebuilds(n: int, work: Path, full: dict, log) -> tuple[str, dict]:
    """The rebuild table, and the seconds of each rebuild ({"same": …, "changed": …})."""
    sources, out, cache = work / f"sources-{n}", work / f"graph-{n}", work / f"cache-{n}"
    same = build(sources, out, cache)
    log(f"N={n}: no-change rebuild {same['wall']:.2f} s")
    article = sorted((sources / "articles").glob("*.txt"))[len(list((sources / "articles").glob("*.txt"))) // 2]
    with open(article, "a", encoding="utf-8") as handle:  # quotes stay where they were
        handle.write("A sentence added after the build.\n")
    changed = build(sources, out, cache)
    log(f"N={n}: one-source rebuild {changed['wall']:.2f} s")
    times = {"same": same["wall"], "changed": changed["wall"]}
    return ("| N = {n:,} | seconds | of the full build |\n|---|---:|---:|\n"
            f"| full build, empty cache | {full['wall']:.1f} | 100% |\n"
            f"| rebuild, nothing changed | {same['wall']:.2f} | {same['wall'] / full['wall']:.1%} |\n"
            f"| rebuild, one source changed ({article.name}) | {changed['wall']:.1f} | "
            f"{changed['wall'] / full['wall']:.1%} |").replace("{n:,}", f"{n:,}"), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--query-docs", type=int, default=1000,
                        help="the corpus whose graph the query, export and rebuild benches use")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per rdflib query")
    parser.add_argument("--html-nodes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--html-docs", type=int, default=100, help="corpus the page networks come from")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds to wait for a page to draw")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and graphs here")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "scale-latest.md")
    args = parser.parse_args()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    sizes = sorted(set(args.docs) | {args.query_docs})
    work = args.work or Path(tempfile.mkdtemp(prefix="obligraph-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    parts = [f"## Scale and speed (issue 7) — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n",
             f"`python bench/scale.py {' '.join(sys.argv[1:])}`".rstrip() + f" on {platform.node()}: "
             f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.\n",
             "### Builds (empty build cache, fresh process each)\n"]
    # the corpora up to --query-docs first, then the other benches on that graph, then the
    # bigger builds: the longest runs last, and --out holds every part finished so far
    results = builds([n for n in sizes if n <= args.query_docs], work, log)
    sections: list[str] = []

    def save() -> str:
        text = "\n".join(parts + [build_table(results) + "\n"] + sections)
        args.out.write_text(text, encoding="utf-8")
        return text

    table, rebuilt = rebuilds(args.query_docs, work, results[args.query_docs], log)
    sections += ["### Incremental rebuilds\n", table + "\n"]
    save()
    graph = work / f"graph-{args.query_docs}" / "obligraph.trig"
    report = queries_1m.run(graph, timeout=args.timeout, log=log)
    sections += [f"### Named queries on the N = {args.query_docs:,} graph "
                 f"({results[args.query_docs]['triples']:,} triples)\n", queries_1m.markdown(report, timeout=args.timeout)]
    save()
    sections += ["### Export per format\n", export_formats.markdown(export_formats.run(graph, log=log))]
    save()
    built, info = html_scale.built_network(args.html_docs, work / "html")
    rows = [html_scale.measure(f"built-{args.html_docs}-docs", built, work / "html", cap=args.cap,
                               in_browser=not args.no_browser, extra={"to_network": info["to_network"]})]
    for nodes in args.html_nodes:
        rows.append(html_scale.measure(f"resampled-{nodes}", html_scale.resample(built, nodes), work / "html",
                                       cap=args.cap, in_browser=not args.no_browser))
        log(f"page {nodes} nodes done")
    sections += ["### The page\n", html_scale.table(rows, args.cap) + "\n"]
    save()
    results.update(builds([n for n in sizes if n > args.query_docs], work, log))
    if not args.no_browser:
        for n in sorted(results):  # each build's own page, as a user opens it
            page = work / f"graph-{n}" / "obligraph.html"
            results[n]["drawn"] = html_scale.drawn_seconds(page, args.cap, html_scale.OUR_HOOK)["drawn"]
            log(f"N={n}: page drawn in {results[n]['drawn']} s")
    sections += ["### Targets (issue 22)\n", targets(results, rebuilt, args.query_docs) + "\n"]
    print(save())


def _mib(rss: str) -> float:
    """The build process's own peak from a run's RSS line ('peak RSS 1234 MiB (+ …)')."""
    return float(re.search(r"peak RSS (\d+) MiB", rss).group(1))


def targets(results: dict[int, dict], rebuilt: dict, query_docs: int) -> str:
    """Issue 22's targets against this run's figures: met or missed, each with its figure."""
    rows = ["| target | figure in this run | |", "|---|---|---|"]

    def row(what: str, figure: str, met: bool) -> None:
        rows.append(f"| {what} | {figure} | {'met' if met else '**missed**'} |")
    big, small = max(results), (1000 if 1000 in results else query_docs)
    if big != small and small in results:
        peak, base = _mib(results[big]["rss"]), _mib(results[small]["rss"])
        row(f"peak RSS at N = {big:,} ≤ 1.5 GB", f"{peak:,.0f} MiB ({peak * 2**20 / 1e9:.2f} GB)", peak * 2**20 <= 1.5e9)
        row(f"peak RSS at N = {big:,} ≤ 1.3 × N = {small:,}'s", f"{peak / base:.2f} × ({base:,.0f} MiB)",
            peak <= 1.3 * base)
        ratio = results[big]["wall"] / results[small]["wall"]
        bound = 11 * big / small / 10
        row(f"build time at N = {big:,} ≤ {bound:.0f} × N = {small:,}'s",
            f"{ratio:.1f} × ({results[big]['wall']:.0f} s / {results[small]['wall']:.0f} s)", ratio <= bound)
    if rebuilt:
        share = rebuilt["changed"] / results[query_docs]["wall"]
        row(f"one changed article at N = {query_docs:,} ≤ 10 % of the full build",
            f"{share:.1%} ({rebuilt['changed']:.1f} s)", share <= 0.10)
    page = results[big]
    row(f"page at N = {big:,} ≤ 25 MB", f"{page['html'] / 1e6:.1f} MB", page["html"] <= 25e6)
    if "drawn" in page:
        drawn = page["drawn"]
        row(f"page at N = {big:,} drawn in Chromium ≤ 5 s", "not drawn" if drawn is None else f"{drawn:.2f} s",
            drawn is not None and drawn <= 5)
    return "\n".join(rows)


if __name__ == "__main__":
    main()
