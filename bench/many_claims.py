"""A claims file of N claims on one text: build it in a subprocess and record wall time and peak RSS.

    python bench/many_claims.py [--claims 10000 100000] [--kb-per-claim 0.1]

Writes the small corpus of tests/conftest.py in a temporary directory with its article grown to
one numbered sentence per claim (padded to the given size per claim) and a claims file quoting
each sentence once, runs `obligraph build` on it in a child process (with a build cache of its own), and reports the child's wall
time and peak resident set size. Issue 20 asks that locating every quote be near-linear in text
plus quotes; this is its measure (recorded in bench/RESULTS.md)."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.large_source import run  # noqa: E402
from tests.conftest import SmallCorpus  # noqa: E402

SENTENCE = "Observers reported in district {n} that Arcadia lets the UN Refugee Agency work{pad}.\n"
CLAIM = ("- subject: arcadia\n  predicate: allowsAccessTo\n  object: unhcr\n"
         "  quote: Observers reported in district {n} that Arcadia lets the UN Refugee Agency work\n")
PAD = " with the people who crossed the border"


def many_claims_corpus(root: Path, claims: int, *, bytes_per_claim: int) -> SmallCorpus:
    """The small corpus with ``claims`` more claims, each quoting its own sentence of the text."""
    small = SmallCorpus(root)
    text = (small.sources / "articles/a1.txt").read_text(encoding="utf-8")
    base = len(SENTENCE.format(n=0, pad=""))
    pad = (PAD * (1 + bytes_per_claim // len(PAD)))[:max(0, bytes_per_claim - base)]
    with open(small.sources / "articles/a1.txt", "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        for n in range(claims):
            handle.write(SENTENCE.format(n=n, pad=pad))
    with open(small.sources / "articles/a1.claims.yaml", "a", encoding="utf-8", newline="\n") as handle:
        for n in range(claims):
            handle.write(CLAIM.format(n=n))
    return small


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--bytes-per-claim", type=int, default=100,
                        help="sentence length: the text is about claims × this many bytes")
    args = parser.parse_args()
    print(f"{platform.machine()} Python {platform.python_version()}")
    print("| claims | text (MB) | claims file (MB) | build (s) | peak RSS |")
    print("|---:|---:|---:|---:|---|")
    for claims in args.claims:
        with tempfile.TemporaryDirectory() as tmp:
            small = many_claims_corpus(Path(tmp), claims, bytes_per_claim=args.bytes_per_claim)
            text = (small.sources / "articles/a1.txt").stat().st_size / 1e6
            listed = (small.sources / "articles/a1.claims.yaml").stat().st_size / 1e6
            # a cache of its own: the build measured is a fresh one, not a cached rebuild
            wall, rss, _ = run(small.args(), tmp, env={**os.environ, "OBLIGRAPH_CACHE": f"{tmp}/cache"})
            print(f"| {claims:,} | {text:.1f} | {listed:.1f} | {wall:.1f} | {rss} |", flush=True)


if __name__ == "__main__":
    main()
