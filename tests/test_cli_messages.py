"""Small things a new user meets first (issue 19, part 4): the version, and errors that each end
with a `→` line saying what to do."""

from __future__ import annotations

from click.testing import CliRunner

import obligraph
from obligraph.cli import main


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = cli("--version")
    assert (result.exit_code, result.output) == (0, f"obligraph, version {obligraph.__version__}\n")


def test_a_missing_query_file_says_what_to_do(tmp_path):
    result = cli("query", str(tmp_path / "nofile.rq"))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path / 'nofile.rq'}: no such query file\n"
                             "  → check the path, or name a query of the library (`obligraph queries` lists them)\n")


def test_a_misspelt_mode_names_the_one_meant(small):
    claims = small.sources / "articles" / "a1.claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("mode: accession", "mode: acceded"),
                      encoding="utf-8")
    result = cli(*small.args())
    assert result.exit_code != 0
    message = result.stderr.strip().splitlines()
    assert message[0].startswith(f"error: {claims}") or "a1.claims.yaml" in message[0], message
    assert "mode 'acceded' is not one of" in message[0]
    assert message[-1] == "  → did you mean mode: acceptance or accession?"
    assert not (small.out / "obligraph.trig").exists()
