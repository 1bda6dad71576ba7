"""Small things a new user meets first (issue 19, part 4): the version, and errors that each end
with a `→` line saying what to do."""

from __future__ import annotations

from click.testing import CliRunner

import obligraph
from obligraph.cli import main

from .conftest import SMALL_CLAIMS, SMALL_TEXT


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


def test_yaml_is_read_as_written_not_converted(tmp_path):
    """YAML 1.1 would turn 0123 into 83, yes into True, .nan into NaN, 1:30 into 90 and an
    unquoted date into a date (or a traceback when it is no real day)."""
    from obligraph.corpus.yamlfile import load_yaml
    path = tmp_path / "values.yaml"
    path.write_text("a: 0123\nb: yes\nc: .nan\nd: 2012-02-30\ne: 12\nf: 1.5\ng: true\nh: -3\ni: 1:30\n"
                    "j: 0\nk: .5\nl: 1_000\n", encoding="utf-8")
    assert load_yaml(path) == {"a": "0123", "b": "yes", "c": ".nan", "d": "2012-02-30", "e": 12, "f": 1.5,
                               "g": True, "h": -3, "i": "1:30", "j": 0, "k": 0.5, "l": 1000}


def test_an_unquoted_impossible_date_is_a_message_not_a_traceback(small):
    claims = small.sources / "articles" / "a1.claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace('date: "1990"', "date: 1990-02-30"), encoding="utf-8")
    result = cli(*small.args())
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "date '1990-02-30' is not a real calendar date" in result.stderr
    assert result.stderr.rstrip("\n").endswith('→ write the date as "2012", "2012-03" or "2012-03-09" (quoted)')


def test_a_claim_id_that_could_collide_with_a_generated_node_is_refused(small):
    """`id: k` and `id: k/range` (or `k.range`) would make one node both a claim and claim k's range."""
    claims = small.sources / "articles" / "a1.claims.yaml"
    original = claims.read_text(encoding="utf-8")
    for bad in ("k.range", "k/range", "a b", "c<1", "%zz", "[x]"):
        claims.write_text(original.replace("- subject: arcadia\n  predicate: allowsAccessTo",
                                           f"- id: {bad!r}\n  subject: arcadia\n  predicate: allowsAccessTo"),
                          encoding="utf-8")
        result = cli(*small.args())
        assert result.exit_code == 1, bad
        assert f"claim 2: claim id {bad!r} must be letters, digits, '-' or '_'\n" in result.stderr, bad
        assert "Traceback" not in result.output
    claims.write_text(original.replace("- subject: arcadia\n  predicate: allowsAccessTo",
                                       "- id: c_2-b\n  subject: arcadia\n  predicate: allowsAccessTo"),
                      encoding="utf-8")
    assert cli(*small.args()).exit_code == 0


def test_a_build_reports_every_error_of_every_claims_file_at_once(small):
    """One build names them all — each with its file and claim — not one per build."""
    small.write("articles/a1.claims.yaml", SMALL_CLAIMS.replace("subject: arcadia\n  predicate: partyTo",
                                                                "subject: arcadiaa\n  predicate: partyTo")
                .replace("lets the UN", "lets the UNO"))
    small.write("articles/a2.txt", SMALL_TEXT)
    small.write("articles/a2.meta.yaml", "kind: article\ntext: a2.txt\ntitle: Again\n")
    small.write("articles/a2.claims.yaml", SMALL_CLAIMS.replace("mode: accession", "mode: acceded"))
    result = cli(*small.args())
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 3 errors in the sources:\n"
        "  sources/articles/a1.claims.yaml: claim 1: subject 'arcadiaa' is not in the registry\n"
        "    → did you mean arcadia?\n"
        "  sources/articles/a1.claims.yaml: claim 2: quote not found in the source text: "
        "'Arcadia lets the UNO Refugee Agency work.'\n"
        "    → copy it again from the text (its first 19 characters match at offset 53; there the text "
        "continues ' Refugee Agency work.\\n' where the quote has 'O Refugee Agency work.')\n"
        "  sources/articles/a2.claims.yaml: claim 1: mode 'acceded' is not one of signature, ratification, "
        "accession, succession, acceptance, approval, formal-confirmation, unspecified\n"
        "    → did you mean mode: acceptance or accession?\n")
    assert not (small.out / "obligraph.trig").exists()


def test_many_errors_are_capped_saying_how_many_more():
    from obligraph.errors import ManyErrors, SchemaError
    errors = ManyErrors([SchemaError(f"problem {n}", path="a.claims.yaml", where=f"claim {n}") for n in range(1, 24)])
    lines = str(errors).splitlines()
    assert lines[0] == "23 errors in the sources (the first 20):"
    assert lines[1:3] == ["  a.claims.yaml: claim 1: problem 1", "  a.claims.yaml: claim 2: problem 2"]
    assert lines[20:] == ["  a.claims.yaml: claim 20: problem 20", "  … and 3 more (fix these and build again)"]
    assert ManyErrors.of([errors.errors[0]]) is errors.errors[0]


def test_the_endpoints_access_log_has_no_colour_codes_off_a_terminal(capsys):
    """A 400 is written plain to a log file or pipe (Werkzeug colours it red on a terminal)."""
    from obligraph.answer.endpoint import PlainLogHandler
    handler = PlainLogHandler.__new__(PlainLogHandler)
    handler.command, handler.path, handler.request_version = "GET", "/sparql?query=SELEC", "HTTP/1.1"
    logged = []
    handler.log = lambda kind, form, *args: logged.append(form % args)
    handler.log_request(400, "-")
    handler.log_request(404, "-")
    assert logged == ['"GET /sparql?query=SELEC HTTP/1.1" 400 -', '"GET /sparql?query=SELEC HTTP/1.1" 404 -']


def test_the_package_metadata_builds_without_deprecation_warnings():
    """setuptools ≥ 77 reads the licence as an SPDX expression (a table is deprecated)."""
    import tomllib

    from obligraph.graph.pipeline import PROJECT
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert "*.rq" in project["tool"]["setuptools"]["package-data"]["obligraph.answer"]  # cite's query
