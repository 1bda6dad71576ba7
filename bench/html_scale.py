"""The interactive page at scale (issue 7): HTML generation time, and time to a drawn network in
headless Chromium, our page (precomputed layout, physics off) against a pyvis page of the same
nodes and edges with pyvis's default physics.

    python bench/html_scale.py [--nodes 1000 5000] [--docs 100] [--cap 300] [--work DIR]

The networks: a synthetic corpus of --docs documents (bench/make_corpus.py) is built with
`obligraph build` and read back with to_network from a pyoxigraph Store — a real network, timed
as such (to_network, layout, to_html). A corpus with 5,000 entities would take too long to build
here, so the 1,000- and 5,000-node networks are resampled from that built one (:func:`resample`):
the same node types in the same proportions, the same edges per node, each edge a copy of a built
edge (its kind, claims, quotes and conclusions, ids made unique); to_network is not timed for them.

Browser times are from navigation start (performance.now()) to vis-network's first afterDrawing
once the data is in: for our page the page's own ready mark; for pyvis's, the first afterDrawing
after stabilizationIterationsDone (its default: barnesHut physics, 1,000 stabilization
iterations), capped at --cap seconds. Both pages are offline: vis-network inlined from the pyvis
package (pyvis's cdn_resources="in_line"); pyvis's template always links Bootstrap from a CDN, and
those two tags are removed from its page. Results are printed as a markdown table."""

from __future__ import annotations

import argparse
import copy
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from obligraph.views import html  # noqa: E402
from obligraph.views.network import to_network  # noqa: E402

# marks the first afterDrawing after data-ready flips (our page sets it in that very handler)
OUR_HOOK = """
window.__bench = {};
new MutationObserver(function (changes, observer) {
  if (document.body && document.body.dataset.ready === "true") {
    window.__bench.drawn = performance.now(); observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-ready"]});
"""
PYVIS_HOOK = """
window.__bench = {};
network.once("stabilizationIterationsDone", function () {
  window.__bench.stabilized = performance.now();
  network.once("afterDrawing", function () { window.__bench.drawn = performance.now(); });
});
"""


def built_network(docs: int, work: Path, seed: int = 1) -> tuple[nx.MultiDiGraph, dict]:
    """Build a synthetic corpus of ``docs`` documents (reused if already built in ``work``) and
    read its network from a pyoxigraph Store; with the seconds to_network took."""
    import pyoxigraph as ox

    sources, out = work / f"corpus-{docs}", work / f"graph-{docs}"
    trig = out / "obligraph.trig"
    if not trig.is_file():
        subprocess.run([sys.executable, str(PROJECT / "bench" / "make_corpus.py"), "--docs", str(docs),
                        "--out", str(sources), "--seed", str(seed)], check=True)
        subprocess.run([sys.executable, "-m", "obligraph.cli", "build", "--sources", str(sources),
                        "--ontology", str(PROJECT / "ontology"), "--out", str(out)],
                       check=True, cwd=PROJECT, stdout=subprocess.DEVNULL)
    store = ox.Store()
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    start = time.perf_counter()
    network = to_network(store)
    return network, {"to_network": time.perf_counter() - start, "triples": len(store)}


def _unique(value, suffix: str):
    """A deep copy with every ``id`` made unique (claims, conclusions), so copies are stored apart."""
    if isinstance(value, dict):
        return {k: (v + suffix if k == "id" and isinstance(v, str) else _unique(v, suffix)) for k, v in value.items()}
    if isinstance(value, list):
        return [_unique(v, suffix) for v in value]
    return value


def resample(template: nx.MultiDiGraph, nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """A network of exactly ``nodes`` nodes shaped like ``template``: nodes cycle through the
    template's (seeded order, so any size keeps the type proportions); as many edges per node as
    the template, each a copy of a template edge between instances of its two ends (an end with
    no instance: a node of the same type). Deterministic for a seed."""
    rng = random.Random(seed)
    order = sorted(template.nodes)
    rng.shuffle(order)
    network = nx.MultiDiGraph(**copy.deepcopy(template.graph))
    instances: dict[str, list[str]] = defaultdict(list)
    by_type: dict[str, list[str]] = defaultdict(list)
    for i in range(nodes):
        original, copy_number = order[i % len(order)], i // len(order)
        node = original if copy_number == 0 else f"{original}~{copy_number}"
        data = _unique(template.nodes[original], f"~{copy_number}" if copy_number else "")
        if copy_number:
            data["label"] = f"{data['label']} ({copy_number + 1})"
        network.add_node(node, **data)
        instances[original].append(node)
        by_type[data["type"]].append(node)
    everyone = list(network.nodes)

    def instance(original: str) -> str:
        choices = instances.get(original) or by_type.get(template.nodes[original]["type"]) or everyone
        return rng.choice(choices)

    edges = sorted(template.edges(keys=True))
    wanted = round(nodes * len(edges) / template.number_of_nodes())
    added = 0
    for i in range(wanted * 3):  # an edge that already exists is skipped; stop at the wanted count
        if added >= wanted:
            break
        source, target, key = edges[i % len(edges)] if i < len(edges) else rng.choice(edges)
        u, v = instance(source), instance(target)
        if (u == v) != (source == target) or network.has_edge(u, v, key):
            continue
        network.add_edge(u, v, key=key, **_unique(template.edges[source, target, key], f"~e{i}"))
        added += 1
    return network


def generation(network: nx.MultiDiGraph) -> tuple[str, dict]:
    """The page and the seconds it took (to_html, layout included); then the layout alone."""
    start = time.perf_counter()
    page = html.to_html(network)
    to_html = time.perf_counter() - start
    start = time.perf_counter()
    html.layout(network)
    return page, {"layout": time.perf_counter() - start, "to_html": to_html, "bytes": len(page.encode("utf-8"))}


def pyvis_page(network: nx.MultiDiGraph) -> str:
    """pyvis's own page for the same nodes and edges, its default physics, offline."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", height="1000px", width="100%")
    for node in sorted(network.nodes):
        data = network.nodes[node]
        colour, shape = html.STYLE.get(data["type"], html.DEFAULT_STYLE)
        net.add_node(node, label=data["label"][:html.LABEL_MAX], title=data["label"], color=colour, shape=shape)
    for source, target, key in sorted(network.edges(keys=True)):
        net.add_edge(source, target, title=network.edges[source, target, key]["relation"])
    page = net.generate_html()
    # pyvis's template links Bootstrap from a CDN whatever cdn_resources says: drop it (styling only)
    page = re.sub(r"<link[^>]+cdn\.jsdelivr\.net[^>]*>", "", page)
    page = re.sub(r"<script\s+src=\"https://cdn\.jsdelivr\.net[^>]*>\s*</script>", "", page, flags=re.S)
    assert "drawGraph();" in page and "https://" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    return page.replace("drawGraph();", "drawGraph();" + PYVIS_HOOK, 1)


def drawn_seconds(path: Path, cap: float, hook: str | None = None) -> dict:
    """Load ``path`` in a fresh headless Chromium and wait for window.__bench.drawn: seconds from
    navigation start, None past ``cap``. A fresh browser per page: a page still laying out past
    the cap is thrown away with its browser, and cannot slow the next one."""
    from selenium.common.exceptions import WebDriverException
    from urllib3.exceptions import HTTPError

    from tests import browser  # Debian's chromium + chromedriver, headless, as the tests use
    chrome = browser.driver()
    marks: dict = {}
    try:
        if hook:
            chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": hook})
        chrome.set_page_load_timeout(cap)
        chrome.set_script_timeout(cap)
        start = time.monotonic()
        try:
            chrome.get(Path(path).resolve().as_uri())
        except (WebDriverException, HTTPError):  # still loading at the cap (pyvis lays out before load)
            return {"drawn": None, "stabilized": None}
        while time.monotonic() - start < cap:
            try:  # the page may keep its thread busy (physics batches) past the client's own timeout
                marks = chrome.execute_script("return window.__bench || {}") or {}
            except (WebDriverException, HTTPError):
                marks = {}
            if marks.get("drawn") is not None:
                break
            time.sleep(0.05)
    finally:
        chrome.quit()
    seconds = lambda key: marks[key] / 1000 if marks.get(key) is not None else None  # noqa: E731
    drawn = seconds("drawn")
    return {"drawn": drawn if drawn is not None and drawn <= cap else None, "stabilized": seconds("stabilized")}


def measure(name: str, network: nx.MultiDiGraph, work: Path, *, cap: float, in_browser: bool = True,
            extra: dict | None = None) -> dict:
    page, times = generation(network)
    row = {"network": name, "nodes": network.number_of_nodes(), "edges": network.number_of_edges(),
           **(extra or {}), **times}
    if in_browser:
        ours, theirs = work / f"{name}-obligraph.html", work / f"{name}-pyvis.html"
        ours.write_text(page, encoding="utf-8")
        theirs.write_text(pyvis_page(network), encoding="utf-8")
        row["ours"] = drawn_seconds(ours, cap, OUR_HOOK)["drawn"]
        pyvis = drawn_seconds(theirs, cap)
        row["pyvis"], row["pyvis_stabilized"] = pyvis["drawn"], pyvis["stabilized"]
    return row


def _s(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(rows: list[dict], cap: float) -> str:
    lines = ["| network | nodes | edges | to_network s | to_html s | of which layout s | page MB "
             "| ours drawn s | pyvis drawn s | pyvis / ours |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        ours, theirs = row.get("ours"), row.get("pyvis")
        pyvis = f">{cap:.0f}" if "pyvis" in row and theirs is None else _s(theirs)
        if ours and theirs:
            ratio = f"{theirs / ours:.0f}×"
        elif ours and "pyvis" in row:
            ratio = f">{cap / ours:.0f}×"
        else:
            ratio = "–"
        lines.append(f"| {row['network']} | {row['nodes']:,} | {row['edges']:,} | {_s(row.get('to_network'))} "
                     f"| {_s(row['to_html'])} | {_s(row['layout'])} | {row['bytes'] / 1e6:.1f} "
                     f"| {_s(ours)} | {pyvis} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--docs", type=int, default=100, help="documents in the built corpus (default 100)")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds to wait for a page to draw")
    parser.add_argument("--work", type=Path, default=None, help="where corpora and pages go (default: a temp dir)")
    parser.add_argument("--no-browser", action="store_true", help="generation times only")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="obligraph-html-scale-"))
    work.mkdir(parents=True, exist_ok=True)

    built, info = built_network(args.docs, work)
    rows = [measure(f"built-{args.docs}-docs", built, work, cap=args.cap, in_browser=not args.no_browser,
                    extra={"to_network": info["to_network"]})]
    print(rows[-1], file=sys.stderr)  # as it goes: a full run takes a quarter of an hour
    for nodes in args.nodes:
        rows.append(measure(f"resampled-{nodes}", resample(built, nodes), work, cap=args.cap,
                            in_browser=not args.no_browser))
        print(rows[-1], file=sys.stderr)
    print(f"## HTML at scale — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{platform.node()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}\n")
    print(f"Built network: make_corpus --docs {args.docs} --seed 1, `obligraph build`, to_network on a "
          f"pyoxigraph Store ({info['triples']:,} quads). Resampled networks: same types, edges per node "
          f"and edge attributes, drawn from the built one (to_network not timed). Browser: headless "
          f"Chromium, navigation start to first drawn frame; pyvis: default physics, first frame after "
          f"stabilization, cap {args.cap:.0f} s. Target: pyvis / ours ≥ 10 at 5,000 nodes.\n")
    print(table(rows, args.cap))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
