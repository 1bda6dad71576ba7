"""`obligraph extract` on a 1 MB article: wall time and candidates (a benchmark, not a test).

    python bench/extract_large.py [--mb 1]

Builds a text of the given size from the five bundled articles repeated (so it has known entities
on every line and many candidates), runs the library's extract_all on it with the project's
registry, and prints the size, the number of sentences, candidates and the wall time."""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from obligraph.extract.candidates import extract_all, sentences  # noqa: E402
from obligraph.corpus.sources import read_registry  # noqa: E402
from obligraph.corpus.vocabulary import read_ontology, vocabulary_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0)
    size = int(parser.parse_args().mb * 1_000_000)
    vocabulary = vocabulary_of(read_ontology(ROOT / "ontology" / "obligraph.ttl"))
    registry = read_registry(ROOT / "sources", vocabulary)
    corpus = "\n\n".join(p.read_text(encoding="utf-8")
                         for p in sorted((ROOT / "sources" / "articles").glob("*.txt")))
    text = (corpus * (size // len(corpus) + 1))[:size]
    started = time.perf_counter()
    found = extract_all(text, registry, source_id="large")
    seconds = time.perf_counter() - started
    print(f"{len(text.encode('utf-8')) / 1e6:.2f} MB, {len(sentences(text))} sentences, "
          f"{len(found.candidates)} candidates, {len(found.new_entities)} proposed entities: "
          f"{seconds:.1f} s (Python {platform.python_version()}, {platform.machine()})")


if __name__ == "__main__":
    main()
