"""A stale graph is flagged (issue 19): the build records what it read (graph/built-from.json),
and `query`, `serve` and `html` warn on stderr, in one line naming what changed, when the
sources, ontology, rules or queries differ from that; --strict refuses such a graph (exit 2)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from obligraph.cli import main
from obligraph.graph.freshness import INPUTS_FILE, changes


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_build_records_its_inputs_and_a_fresh_graph_draws_no_warning(small):
    assert cli(*small.args()).exit_code == 0
    recorded = json.loads((small.out / INPUTS_FILE).read_text(encoding="utf-8"))["files"]
    assert "sources/articles/a1.claims.yaml" in recorded and "ontology/rules/30-potential-breach.rq" in recorded
    assert "queries/policy-conflicts.rq" in recorded
    graph = str(small.out / "obligraph.trig")
    assert changes(small.out / "obligraph.trig") == []  # no ontology/ beside it: only sources/ compared
    result = cli("query", "sources", "--graph", graph, "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")


def test_an_edited_source_is_named_in_one_line_and_strict_refuses(small):
    assert cli(*small.args()).exit_code == 0
    graph = str(small.out / "obligraph.trig")
    claims = small.sources / "articles" / "a1.claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# a note\n", encoding="utf-8")
    small.write("articles/a2.txt", "More.\n")
    warned = cli("query", "sources", "--graph", graph, "--format", "csv")
    assert warned.exit_code == 0 and warned.stdout.startswith("source,")
    assert warned.stderr == ("warning: graph/ was built from other inputs: sources/articles/a1.claims.yaml changed "
                             "(and 1 more) — run `obligraph build` (or --strict to refuse it)\n")
    for command in (["query", "sources"], ["serve"], ["html", "--out", str(small.root / "page.html")]):
        refused = cli(*command, "--graph", graph, "--strict")
        assert refused.exit_code == 2, command
        assert refused.stderr == (f"error: {graph}: graph/ was built from other inputs: sources/articles/a1.claims.yaml "
                                  "changed (and 1 more)\n  → run `obligraph build` to rebuild it, or leave out "
                                  "--strict to use it as it is\n"), command
    assert not (small.root / "page.html").exists()
    assert cli("html", "--graph", graph, "--out", str(small.root / "page.html")).stderr.startswith("warning: graph/ was")
    # rebuilt (without the stray text, which the build refuses: it has no metadata): fresh again
    (small.sources / "articles" / "a2.txt").unlink()
    assert cli(*small.args()).exit_code == 0
    assert cli("query", "sources", "--graph", graph, "--strict").exit_code == 0


def test_the_bundled_graph_is_fresh():
    """graph/ is committed with the sources it was built from (tests/test_build.py: byte for byte)."""
    from obligraph.graph.pipeline import PROJECT
    assert changes(PROJECT / "graph" / "obligraph.trig") == []
