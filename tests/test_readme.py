"""The README's example outputs are real: each `$ obligraph query …` block is what the command
prints now (its first row and its row count), and the SPARQL example gives the output shown."""

from __future__ import annotations

import shlex

from click.testing import CliRunner

from obligraph.cli import main
from obligraph.graph.pipeline import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def blocks(language: str = "") -> list[str]:
    """The contents of the fenced blocks opened with ```language."""
    found, current = [], None
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current = [] if line.strip() == "```" + language else False
            else:
                if current is not False:
                    found.append("".join(current))
                current = None
        elif isinstance(current, list):
            current.append(line)
    return found


def test_every_named_query_is_documented_with_its_real_output():
    commands = [b for b in blocks() if b.startswith("$ obligraph query ")]
    assert len(commands) == 20
    for block in commands:
        command, *shown = block.rstrip("\n").split("\n")
        *first_row, total = shown
        result = CliRunner().invoke(main, shlex.split(command)[2:])
        assert result.exit_code == 0, command
        assert result.output.startswith("\n".join(first_row) + "\n"), command
        assert total == "… " + result.output.rstrip("\n").split("\n")[-1], command


def test_the_sparql_example_output_is_real(tmp_path):
    query = blocks("sparql")[0]
    shown = README.split("Real output:\n\n```\n", 1)[1].split("```", 1)[0]
    (tmp_path / "china.rq").write_text(query, encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(tmp_path / "china.rq")])
    assert result.output == shown


def test_the_two_setup_commands_are_the_ones_ci_runs():
    assert "make build" in README and "make test" in README
    assert "make test" in (PROJECT / ".ci" / "run").read_text()
