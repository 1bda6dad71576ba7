"""`obligraph verify` re-checks every quote and offset of a built graph against the texts in it:
exit 0 and one line when all match; exit 1 listing each mismatch on a tampered copy."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.graph.pipeline import Paths
from obligraph.verify import verify

BUILT = Paths().out / "obligraph.trig"
# an article's quote (its evidence IRI ends in the quote's number; a record row's in line-N)
START = re.compile(r'(obev:(000_\S+)\.position a oa:TextPositionSelector ;\n'
                   r'    oa:end "\d+"\^\^xsd:nonNegativeInteger ;\n    oa:start ")(\d+)"')


def _counts(graph=BUILT) -> tuple[int, int]:
    """How many quotes (position selectors) and texts a built graph holds."""
    text = graph.read_text(encoding="utf-8")
    return text.count(" a oa:TextPositionSelector ;"), text.count("    ob:fullText ")


def test_the_built_graph_verifies():
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    quotes, texts = _counts()
    assert result.output.endswith(f"obligraph.trig: all {quotes} quotes match their sources' texts at "
                                  f"their offsets (with prefix and suffix where given), and all {texts} "
                                  "texts their sha256\n")
    report = verify(BUILT)
    assert report.ok and report.checked == quotes and report.sources == texts


def test_the_readme_shows_the_real_output(monkeypatch):
    from obligraph.graph.pipeline import PROJECT
    monkeypatch.chdir(PROJECT)
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("  $ obligraph verify\n", 1)[1].split("\n", 1)[0].strip()
    assert CliRunner().invoke(main, ["verify"]).output == shown + "\n"


def test_a_tampered_offset_is_listed(tmp_path, focused):
    text = focused.read_text(encoding="utf-8")
    match = START.search(text)
    evidence, start = match.group(2), int(match.group(3))
    tampered = tmp_path / "tampered.trig"
    tampered.write_text(text[:match.start(3)] + str(start + 1) + text[match.end(3):], encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(tampered)])
    assert result.exit_code == 1
    claim = "https://w3id.org/obligraph/claim/" + evidence.rsplit(".", 1)[0]
    source = evidence.split(".")[0]
    lines = result.stderr.splitlines()
    quotes, texts = _counts(focused)
    assert lines[0] == f"error: {tampered}: 2 mismatch(es) in {quotes} quotes and {texts} texts:"
    assert lines[1].startswith(f"  {claim}: source {source}, offsets {start + 1}–")
    assert ": the text at the offsets is not the quote: expected '" in lines[1]
    assert ": oa:prefix is not the text before the quote" in lines[2]
    assert lines[-1] == "  → rebuild from sources/ (`obligraph build`): a built graph is never edited by hand"
    assert "Traceback" not in result.output


def test_a_tampered_text_fails_its_digest(tmp_path, focused):
    text = focused.read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.trig"
    # the text and the quote changed alike: the offsets still agree, only the digest tells
    tampered.write_text(text.replace("China did in 1982 sign", "China did in 1983 sign"), encoding="utf-8")
    report = verify(tampered)
    assert [(m.source, m.problem) for m in report.mismatches] == [
        ("https://w3id.org/obligraph/source/001_84ad41ae37dad2cf",
         "ob:sha256 differs from the SHA-256 of ob:fullText")]


@pytest.mark.parametrize("content, message", [
    (None, "the graph to verify is missing"),
    ("this is { not trig", "cannot read it as TriG: "),
])
def test_verify_names_an_unreadable_file(tmp_path, content, message):
    path = tmp_path / "g.trig"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: {message}")
