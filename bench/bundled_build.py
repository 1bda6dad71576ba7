"""Time `python build.py` on the bundled corpus as a user meets it, and measure what it writes.

    python bench/bundled_build.py [--repeat 3]

Runs, each in a fresh process and on a copy of sources/ in a temporary directory (so the
project's own graph/ and build cache are untouched): a fresh build (empty build cache), a rebuild
with nothing changed, and a rebuild after one article's claims changed. Prints a Markdown table
(median and fastest of --repeat runs, in seconds) and the size of each file the build writes. Not a test:
timings depend on the machine (figures go to bench/RESULTS.md by hand)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def _build(sources: Path, out: Path, cache: Path) -> float:
    environment = dict(os.environ, XDG_CACHE_HOME=str(cache))
    start = time.perf_counter()
    subprocess.run([sys.executable, str(PROJECT / "build.py"), "--sources", str(sources),
                    "--out", str(out)], check=True, env=environment, capture_output=True)
    return time.perf_counter() - start


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (20 million additions): the state of the machine the
    figures were taken on. A shared virtual machine runs it in 0.76 s at its best and up to three
    times slower when its neighbours are busy; a build's time moves with it."""
    start = time.perf_counter()
    total = 0
    for number in range(20_000_000):
        total += number
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    times: dict[str, list[float]] = {"fresh build (empty cache)": [], "rebuild, nothing changed": [],
                                     "rebuild, one article's claims changed": []}
    sizes: dict[str, int] = {}
    speed = [machine_speed()]
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            sources, out, cache = root / "sources", root / "graph", root / "cache"
            shutil.copytree(PROJECT / "sources", sources)
            times["fresh build (empty cache)"].append(_build(sources, out, cache))
            times["rebuild, nothing changed"].append(_build(sources, out, cache))
            claims = sorted((sources / "articles").glob("*.claims.yaml"))[0]
            claims.write_text(claims.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            times["rebuild, one article's claims changed"].append(_build(sources, out, cache))
            sizes = {path.name: path.stat().st_size for path in sorted(out.iterdir()) if path.is_file()}
        speed.append(machine_speed())
    print("| step | median s | fastest s |\n|---|---|---|")
    for step, samples in times.items():
        print(f"| {step} | {statistics.median(samples):.2f} | {min(samples):.2f} |")
    print(f"\nmachine: the reference loop took {min(speed):.2f}–{max(speed):.2f} s (0.76 s at best)")
    print("\n| file | bytes |\n|---|---|")
    for name, size in sizes.items():
        print(f"| graph/{name} | {size:,} |")
    print(f"| all of graph/ | {sum(sizes.values()):,} |")


if __name__ == "__main__":
    main()
