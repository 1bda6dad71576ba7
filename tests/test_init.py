"""A corpus anywhere (issue 19, part 2): `obligraph init DIR` writes a minimal corpus that builds
at once; every command works on the corpus of the current folder (or --project DIR), never
silently on the checkout Obligraph runs from."""

from __future__ import annotations

from click.testing import CliRunner

from obligraph.cli import main
from obligraph.graph.pipeline import PROJECT


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_init_build_and_query_a_corpus_of_ones_own(tmp_path, monkeypatch):
    checkout = PROJECT / "graph" / "obligraph.trig"
    before = checkout.stat().st_mtime_ns
    made = cli("init", str(tmp_path / "mycorpus"))
    assert made.exit_code == 0, made.output
    assert made.output.splitlines()[-1] == f"next: cd {tmp_path / 'mycorpus'} && obligraph build && obligraph query sources"
    assert (tmp_path / "mycorpus" / "sources" / "articles" / "example.claims.yaml").is_file()
    monkeypatch.chdir(tmp_path / "mycorpus" / "sources")  # any folder inside the corpus will do
    built = cli("build")
    assert built.exit_code == 0, built.output
    assert f"wrote {tmp_path / 'mycorpus' / 'graph' / 'obligraph.trig'}" in built.output
    rows = cli("query", "sources", "--format", "csv")
    assert rows.exit_code == 0 and rows.stdout.splitlines()[1].startswith(
        "example,https://w3id.org/obligraph/ontology#Article,An example article about Arcadia,")
    assert cli("query", "policy-conflicts", "--format", "csv").stdout.splitlines()[1:] == []
    assert checkout.stat().st_mtime_ns == before, "the checkout's graph/ is untouched"
    # from elsewhere: --project, or an error naming what to do — never the checkout
    monkeypatch.chdir(tmp_path)
    assert cli("--project", str(tmp_path / "mycorpus"), "query", "sources", "--format", "csv").stdout == rows.stdout
    lost = cli("query", "sources")
    assert lost.exit_code == 1
    assert lost.stderr == (f"error: {tmp_path}: no corpus here: neither this folder nor any above it has "
                           "sources/entities.yaml\n  → cd into a corpus, pass --project DIR, or start one with "
                           "`obligraph init DIR`\n")
    again = cli("init", str(tmp_path / "mycorpus"))
    assert again.exit_code == 1
    assert again.stderr == (f"error: {tmp_path / 'mycorpus' / 'sources'}: a corpus is already here\n"
                            "  → choose a new folder for `obligraph init`; nothing was written\n")
