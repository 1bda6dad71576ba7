"""The incremental build (issue 7): a content-hash cache per source, a no-change rebuild that
does nothing, the same bytes with and without the cache, and a progress bar only where a person
watches."""

from __future__ import annotations

import io
import time

import pytest
from click.testing import CliRunner

import obligraph
from obligraph.graph import pipeline
from obligraph.corpus import sources as source_files
from obligraph.cli import main, progress_bar
from obligraph.graph.outputs import GRAPH_FILES

from .conftest import SmallCorpus

SECOND_TEXT = "Arcadia returns people to Borduria.\n"
SECOND_CLAIMS = """\
- subject: arcadia
  predicate: partyTo
  object: refugee-convention-1951
  mode: ratification
  date: "1991"
  quote: Arcadia returns people to Borduria.
"""


@pytest.fixture
def two(tmp_path, monkeypatch):
    """A small corpus of two articles, and a cache of its own."""
    monkeypatch.setenv("OBLIGRAPH_CACHE", str(tmp_path / "cache"))
    small = SmallCorpus(tmp_path)
    small.write("articles/a2.txt", SECOND_TEXT)
    small.write("articles/a2.meta.yaml", "kind: article\ntext: a2.txt\ntitle: Second\ndate: '2021'\n")
    small.write("articles/a2.claims.yaml", SECOND_CLAIMS)
    return small


class Calls:
    """Counts how often the build reads a source and runs the rules."""

    def __init__(self, monkeypatch) -> None:
        self.sources: list[str] = []
        self.reasoning = 0
        read_source, infer = source_files.read_source, pipeline.infer_in_store

        def counting_read(meta_path, *args, **kwargs):
            self.sources.append(meta_path.name)
            return read_source(meta_path, *args, **kwargs)

        def counting_infer(*args, **kwargs):
            self.reasoning += 1
            return infer(*args, **kwargs)
        monkeypatch.setattr(source_files, "read_source", counting_read)
        monkeypatch.setattr(pipeline, "infer_in_store", counting_infer)


def files(out) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in GRAPH_FILES}


def test_a_no_change_rebuild_reads_nothing_and_says_so(two):
    first = CliRunner().invoke(main, two.args())
    assert first.exit_code == 0, first.output
    before = {name: (two.out / name).stat().st_mtime_ns for name in GRAPH_FILES}
    again = CliRunner().invoke(main, two.args())
    assert again.exit_code == 0
    assert again.output == (f"2 sources, 3 entities, 3 claims, {first.output.split(' triples')[0].split()[-1]}"
                            f" triples; nothing changed since the last build: {two.out} is up to date.\n")
    assert {name: (two.out / name).stat().st_mtime_ns for name in GRAPH_FILES} == before


def test_a_changed_source_is_the_only_one_read_again(two, monkeypatch):
    obligraph.build(paths=two.paths)
    full = files(two.out)
    two.write("articles/a2.txt", SECOND_TEXT + "More words.\n")
    calls = Calls(monkeypatch)
    result = obligraph.build(paths=two.paths)
    assert calls.sources == ["a2.meta.yaml"] and calls.reasoning == 1
    assert not result.up_to_date and files(two.out) != full
    # the same bytes as a build that does everything again
    fresh = obligraph.build(paths=obligraph.Paths(sources=two.sources, ontology=two.paths.ontology,
                                                  out=two.root / "fresh"), cache=False)
    assert fresh.triples == result.triples
    assert files(two.out) == files(two.root / "fresh")


def test_lost_outputs_are_rewritten_from_the_cache_without_reading_or_reasoning(two, monkeypatch):
    obligraph.build(paths=two.paths)
    full = files(two.out)
    (two.out / "obligraph.html").unlink()
    calls = Calls(monkeypatch)
    obligraph.build(paths=two.paths)
    assert calls.sources == [] and calls.reasoning == 0
    assert files(two.out) == full


def test_a_damaged_cache_is_recomputed_not_trusted(two, monkeypatch, tmp_path):
    obligraph.build(paths=two.paths)
    full = files(two.out)
    for entry in (tmp_path / "cache" / "build").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    (two.out / "obligraph.trig").unlink()
    calls = Calls(monkeypatch)
    obligraph.build(paths=two.paths)
    assert sorted(calls.sources) == ["a1.meta.yaml", "a2.meta.yaml"] and calls.reasoning == 1
    assert files(two.out) == full


def test_an_error_in_a_changed_source_is_reported_even_with_a_warm_cache(two):
    obligraph.build(paths=two.paths)
    two.write("articles/a2.claims.yaml", SECOND_CLAIMS.replace("arcadia", "atlantis"))
    result = CliRunner().invoke(main, two.args())
    assert result.exit_code == 1
    assert result.stderr.startswith("error: sources/articles/a2.claims.yaml: claim 1: subject "
                                    "'atlantis' is not in the registry")


def test_build_reports_its_stages_to_a_progress_callback(two):
    stages = []

    def record(items, description, total):
        stages.append((description, total))
        return items
    obligraph.build(paths=two.paths, progress=record)
    # five graphs: the ontology, the registry, the two articles, the conclusions
    assert stages == [("reading sources", 2), ("reasoning", 1), ("checking the last shapes", 1),
                      ("writing graph files", 5), ("laying out the network page", 1),
                      ("preparing the query store", 1)]


def test_no_progress_bar_when_output_is_not_a_terminal(two):
    result = CliRunner().invoke(main, two.args())
    assert result.exit_code == 0 and result.stderr == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_appears_on_a_terminal_once_a_stage_takes_two_seconds(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    for _ in progress_bar(range(3), "reading sources", 3):
        time.sleep(0.05)
    assert terminal.getvalue() == "", "quick stages show nothing"
    for _ in progress_bar(range(3), "reading sources", 3):
        time.sleep(1.1)
    assert "reading sources:" in terminal.getvalue() and "/3" in terminal.getvalue()
