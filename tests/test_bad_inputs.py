"""The catalogue of bad inputs (tests/bad_inputs/cases.py), each run through `obligraph build`:
the exit code, the exact message naming the file and the claim, no traceback (unless --debug),
and the previous graph/ byte for byte as it was. Inputs that must work are built and every quote's
offsets re-checked (text[start:end] == the quote)."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.errors import ObligraphError
from obligraph.verify import verify

from .bad_inputs.cases import CASES, Link
from .conftest import SmallCorpus


@pytest.fixture(scope="module")
def previous_graph(tmp_path_factory) -> dict[str, bytes]:
    """The files a good build of the small corpus writes: every case starts from them."""
    small = SmallCorpus(tmp_path_factory.mktemp("good"))
    result = CliRunner().invoke(main, small.args())
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in small.out.iterdir()}


def apply(small: SmallCorpus, case) -> None:
    for name, content in case.outside.items():
        path = small.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    for name, content in case.files.items():
        path = small.sources / name
        if content is None or isinstance(content, Link):
            path.unlink(missing_ok=True)
        if isinstance(content, Link):
            os.symlink(small.root / content.target, path)
        elif content is not None:
            small.write(name, content)


def test_the_catalogue_is_complete():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(tmp_path, monkeypatch, previous_graph, case):
    small = SmallCorpus(tmp_path)
    small.out.mkdir()
    for name, data in previous_graph.items():
        (small.out / name).write_bytes(data)
    apply(small, case)
    monkeypatch.chdir(small.root)
    result = CliRunner().invoke(main, small.args())
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit, result.output
    if case.exit == 0:
        report = verify(small.out / "obligraph.trig")
        assert report.ok and report.checked >= 2, report.summary()
        if case.exact is not None:
            assert case.exact in report.exacts
        return
    if case.message is not None:
        assert result.stderr == case.message
    else:
        assert result.stderr.startswith(case.prefix), result.stderr
    assert result.stderr.startswith("error: sources/")
    assert {path.name: path.read_bytes() for path in small.out.iterdir()} == previous_graph
    debug = CliRunner().invoke(main, ["--debug", *small.args()])
    assert isinstance(debug.exception, ObligraphError)


def test_a_50_mb_source_builds_and_verifies(tmp_path):
    """Correctness only: the bench (bench/large_source.py) records time and peak memory."""
    import subprocess
    import sys

    from bench.large_source import large_corpus

    small = large_corpus(tmp_path, 50)
    assert (small.sources / "articles/a1.txt").stat().st_size >= 50_000_000
    built = subprocess.run([sys.executable, "-m", "obligraph.cli", *small.args()], cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    report = verify(small.out / "obligraph.trig")
    assert report.ok and report.checked == 2, report.summary()
    assert report.exacts == {"Arcadia acceded to the “Refugee Convention” in 1990.",
                             "Arcadia lets the UN Refugee Agency work."}
    # and it can be queried: the TriG writes the text as one escaped line, which Oxigraph reads
    # (it refused the 50 MB text as a multi-line Turtle string)
    queried = subprocess.run([sys.executable, "-m", "obligraph.cli", "query", "sources", "--graph",
                              str(small.out / "obligraph.trig"), "--format", "csv"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.splitlines()[1] == (
        "a1,https://w3id.org/obligraph/ontology#Article,Arcadia and refugees,,,2020-05-01,,2,2")
