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


def test_a_fifo_in_the_corpus_is_refused_by_name_not_waited_on(small):
    """A named pipe as a claims file: the build would block reading it; it is refused at once."""
    import os
    claims = small.sources / "articles" / "a1.claims.yaml"
    claims.unlink()
    os.mkfifo(claims)
    result = cli(*small.args())
    assert result.exit_code == 1
    assert "a1.claims.yaml: a FIFO (named pipe), not a regular file\n" in result.stderr
    assert result.stderr.endswith("  → a corpus holds regular files only: replace it with one, or remove it\n")
    assert not (small.out / "obligraph.trig").exists()


def test_a_text_past_the_limit_is_refused_on_the_bytes_read(tmp_path):
    import pytest

    from obligraph.corpus.yamlfile import read_regular
    from obligraph.errors import SourceFileError
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 3000)
    assert read_regular(path, limit=3000) == b"x" * 3000
    with pytest.raises(SourceFileError, match="file larger than 2999 bytes"):
        read_regular(path, limit=2999)
