"""A 50 MB source text: build it in a subprocess and record wall time and peak RSS.

    python bench/large_source.py [--mb 50]

Writes the small corpus of tests/conftest.py in a temporary directory with its article padded
to the given size (lines of prose, quotes at the start and at the very end), runs
`obligraph build` on it in a child process, and reports the child's wall time and peak resident
set size (the child's resource.getrusage(RUSAGE_SELF).ru_maxrss), then the same for
`obligraph verify`."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import SmallCorpus  # noqa: E402

LINE = ("Paragraph {n}: the report describes conditions at the border, the interviews held and "
        "the figures gathered by observers over the year, without naming anyone.\n")


def large_corpus(root: Path, megabytes: int) -> SmallCorpus:
    small = SmallCorpus(root)
    text = (small.sources / "articles/a1.txt").read_text(encoding="utf-8")
    head, tail = text.splitlines(keepends=True)
    target = megabytes * 1_000_000
    path = small.sources / "articles/a1.txt"
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(head)
        size, n = len(head.encode()), 0
        while size < target - len(tail.encode()):
            line = LINE.format(n=n)
            handle.write(line)
            size += len(line)
            n += 1
        handle.write(tail)
    return small


CHILD = ("import resource, sys\n"
         "from obligraph.cli import main\n"
         "try:\n    main(sys.argv[1:])\n"
         "except SystemExit as end:\n    code = end.code\n"
         # VmHWM, not getrusage: ru_maxrss survives exec, so a child forked from a big bench
         # process reported that process's size (2.9 GB for a build that peaked at 1.7 GB)
         "own = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024\n"
         "workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
         "print(f'peak RSS {own:.0f} MiB' + (f' (+ {workers:.0f} MiB shape-checking worker)' if workers else ''),"
         " file=sys.stderr)\nsys.exit(code)\n")


def run(args: list[str], cwd: str, env: dict | None = None) -> tuple[float, str, str]:
    """(wall seconds, the child's own peak RSS line, its stdout) of `obligraph ARGS`; the peak of
    the build's shape-checking worker process, if it started one, is added to the line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=cwd, capture_output=True,
                          text=True, check=False, env=env)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"obligraph {args[0]} failed:\n{done.stderr}")
    return wall, done.stderr.strip().splitlines()[-1], done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = large_corpus(Path(tmp), args.mb)
        size = (small.sources / "articles/a1.txt").stat().st_size
        build_wall, build_rss, _ = run(small.args(), tmp)
        verify_wall, verify_rss, verified = run(["verify", str(small.out / "obligraph.trig")], tmp)
        outputs = {p.name: p.stat().st_size for p in small.out.iterdir()}
    print(f"{platform.machine()} Python {platform.python_version()}; source {size:,} bytes")
    print(f"build: {build_wall:.1f} s wall, {build_rss}")
    print(f"verify: {verify_wall:.1f} s wall, {verify_rss}: {verified.strip()}")
    print("outputs: " + ", ".join(f"{name} {bytes_ / 1e6:.1f} MB" for name, bytes_ in sorted(outputs.items())))


if __name__ == "__main__":
    main()
