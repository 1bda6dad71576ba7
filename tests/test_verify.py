"""`obligraph verify` re-checks every quote and offset of a built graph against the texts in it,
the texts against their digests and (given sources/) their files, and every claim against its
evidence and the plain triples it asserts: exit 0 and one line when all match; exit 1 listing each
mismatch on a tampered copy — one test per kind of tampering, each with the words the user sees."""

from __future__ import annotations

import hashlib
import re

import pytest
from click.testing import CliRunner

from obligraph.cli import main
from obligraph.graph.pipeline import Paths
from obligraph.verify import verify

from .conftest import SMALL_TEXT

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
    claims, plain = _structure()
    assert result.output.endswith(f"obligraph.trig: all {quotes} quotes match their sources' texts at "
                                  f"their offsets (with prefix and suffix where given), all {texts} "
                                  "texts their sha256 and their files in sources/; all "
                                  f"{claims} claims have evidence, all {plain} plain triples a claim "
                                  "asserting them\n")
    report = verify(BUILT)
    assert report.ok and report.checked == quotes and report.sources == texts
    assert report.files == "sources/"


def _structure(graph=BUILT) -> tuple[int, int]:
    """How many claims and plain triples (subjects the source graph does not type) a graph holds,
    counted by Oxigraph's SPARQL, apart from verify's own reading."""
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    prefix = "PREFIX ob: <https://w3id.org/obligraph/ontology#>\n"
    claims = next(iter(store.query(prefix + "SELECT (COUNT(?c) AS ?n) { GRAPH ?g { ?c a ob:Claim } }")))
    plain = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o FILTER NOT EXISTS { ?s a ?type } } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/obligraph/graph/source/')) }")))
    return int(claims[0].value), int(plain[0].value)


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
        ("001_84ad41ae37dad2cf", "ob:sha256 differs from the SHA-256 of ob:fullText")]


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


# --- each kind of tampering, on a copy of the focused build -------------------------------------

ARTICLE = "001_84ad41ae37dad2cf"
CLAIM = f"https://w3id.org/obligraph/claim/{ARTICLE}"
HINT = "  → rebuild from sources/ (`obligraph build`): a built graph is never edited by hand"
C6_ANNOTATION = (f"obev:{ARTICLE}.c6.1 a oa:Annotation ;\n    oa:hasBody obclaim:{ARTICLE}.c6 ;\n"
                 f"    oa:hasTarget obev:{ARTICLE}.c6.1.target ;\n    oa:motivatedBy oa:describing .\n\n")
C6_POSITION = re.compile(rf'obev:{ARTICLE}\.c6\.1\.position a oa:TextPositionSelector ;\n'
                         r'    oa:end "\d+"\^\^xsd:nonNegativeInteger ;\n'
                         r'    oa:start "\d+"\^\^xsd:nonNegativeInteger \.\n\n')
C6_OBJECT = "    rdf:object obid:northeast-china ;\n    rdf:predicate ob:locatedIn ;\n    rdf:subject obid:liaoning .\n"
FORGED_CLAIM = (f"obclaim:{ARTICLE}.forged a ob:Claim ;\n    dcterms:source obsrc:{ARTICLE} ;\n"
                "    ob:stance ob:{stance} ;\n    rdf:object obid:north-korea ;\n"
                "    rdf:predicate ob:condemns ;\n    rdf:subject obid:china .\n\n")
SOURCE_NODE = f"obsrc:{ARTICLE} a ob:Article ;\n"


def _tamper(tmp_path, focused, old, new, count: int = 1):
    text = focused.read_text(encoding="utf-8")
    if isinstance(old, re.Pattern):
        assert len(old.findall(text)) == count, old.pattern
        changed = old.sub(new, text)
    else:
        assert text.count(old) == count, old
        changed = text.replace(old, new)
    tampered = tmp_path / "tampered.trig"
    tampered.write_text(changed, encoding="utf-8")
    return tampered


def _refused(tampered, *lines, args=(), texts_added: int = 0):
    """verify on the tampered file exits 1 with exactly these mismatch lines (in this order)."""
    result = CliRunner().invoke(main, ["verify", str(tampered), *args])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    quotes, texts = _counts(tampered)
    texts -= texts_added  # a second ob:fullText is not a second source
    assert result.stderr == (f"error: {tampered}: {len(lines)} mismatch(es) in {quotes} quotes and "
                             f"{texts} texts:\n" + "".join(f"  {line}\n" for line in lines) + HINT + "\n")


def test_an_evidence_node_removed_leaves_its_claim_without_evidence(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, C6_ANNOTATION, "")
    _refused(tampered, f"{CLAIM}.c6: source {ARTICLE}: its evidence obev:{ARTICLE}.c6.1 is not in the "
                       "graph (no oa:Annotation)")


def test_a_claim_added_without_evidence(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, SOURCE_NODE, FORGED_CLAIM.format(stance="Denies") + SOURCE_NODE)
    _refused(tampered, f"{CLAIM}.forged: source {ARTICLE}: the claim has no evidence (no "
                       "prov:wasDerivedFrom)")


def test_an_asserting_claim_added_without_evidence_nor_plain_triple(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, SOURCE_NODE, FORGED_CLAIM.format(stance="Asserts") + SOURCE_NODE)
    _refused(tampered,
             f"{CLAIM}.forged: source {ARTICLE}: the claim has no evidence (no prov:wasDerivedFrom)",
             f"{CLAIM}.forged: source {ARTICLE}: the claim asserts obid:china ob:condemns obid:north-korea, "
             "but that plain triple is not in its source's graph")


def test_a_claims_object_changed(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, C6_OBJECT, C6_OBJECT.replace("obid:northeast-china", "obid:china"))
    _refused(tampered,
             f"{CLAIM}.c6: source {ARTICLE}: the claim asserts obid:liaoning ob:locatedIn obid:china, "
             "but that plain triple is not in its source's graph",
             f"obid:liaoning ob:locatedIn obid:northeast-china: source {ARTICLE}: a plain triple that no "
             "claim in its source's graph asserts (stance asserts, same subject, predicate, object)")


def test_a_second_object_on_a_claim(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, C6_OBJECT, "    rdf:object obid:china ;\n" + C6_OBJECT)
    _refused(tampered, f"{CLAIM}.c6: source {ARTICLE}: the claim has 2 rdf:object values (expected 1)",
             f"{CLAIM}.c6: source {ARTICLE}: the claim asserts obid:liaoning ob:locatedIn obid:china, "
             "but that plain triple is not in its source's graph")


def test_a_plain_triple_changed(tmp_path, focused):
    """A number the source gives, changed in the plain triple only (its claim still says 36)."""
    old = 'obid:stat-years-since-china-signed-refugee-convention ob:hasValue "36"^^xsd:integer .'
    text = focused.read_text(encoding="utf-8")
    claim = re.search(r"(obclaim:\S+) a ob:Claim ;\n(?:    [^\n]*\n)*?    rdf:object \"36\"\^\^xsd:integer ;\n"
                      r"    rdf:predicate ob:hasValue ;\n"
                      r"    rdf:subject obid:stat-years-since-china-signed-refugee-convention ;", text).group(1)
    tampered = _tamper(tmp_path, focused, old, old.replace('"36"', '"37"'))
    _refused(tampered,
             f"https://w3id.org/obligraph/claim/{claim.removeprefix('obclaim:')}: source {ARTICLE}: the claim "
             'asserts obid:stat-years-since-china-signed-refugee-convention ob:hasValue "36"^^xsd:integer, '
             "but that plain triple is not in its source's graph",
             'obid:stat-years-since-china-signed-refugee-convention ob:hasValue "37"^^xsd:integer: source '
             f"{ARTICLE}: a plain triple that no claim in its source's graph asserts (stance asserts, same "
             "subject, predicate, object)")


def test_a_plain_triple_added_with_no_claim_behind_it(tmp_path, focused):
    """china partyTo cedaw-1979 is a fact of the record, but not of this article: a plain triple is
    backed by a claim in its own source's graph."""
    tampered = _tamper(tmp_path, focused, SOURCE_NODE,
                       "obid:china ob:partyTo obid:cedaw-1979 .\n\n" + SOURCE_NODE)
    _refused(tampered, f"obid:china ob:partyTo obid:cedaw-1979: source {ARTICLE}: a plain triple that no "
                       "claim in its source's graph asserts (stance asserts, same subject, predicate, object)")


def test_an_entity_typed_in_a_sources_graph_is_a_fact_there(tmp_path, focused):
    """Typing a subject in a source's graph does not make its triples a description: only the
    source, its claims, their ranges, evidence and reviews are."""
    tampered = _tamper(tmp_path, focused, SOURCE_NODE, "obid:north-korea a ob:State ;\n"
                       "    ob:partyTo obid:refugee-convention-1951 .\n\n" + SOURCE_NODE)
    no_claim = (f": source {ARTICLE}: a plain triple that no claim in its source's graph asserts "
                "(stance asserts, same subject, predicate, object)")
    _refused(tampered, "obid:north-korea rdf:type ob:State" + no_claim,
             "obid:north-korea ob:partyTo obid:refugee-convention-1951" + no_claim)


def test_a_position_selector_removed(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, C6_POSITION, "")
    assert _counts(tampered)[0] == _counts(focused)[0] - 1
    _refused(tampered, f"{CLAIM}.c6: source {ARTICLE}: its evidence obev:{ARTICLE}.c6.1 has no "
                       "oa:TextPositionSelector (the quote's offsets)")


def test_a_second_full_text_on_a_source(tmp_path, focused):
    tampered = _tamper(tmp_path, focused, SOURCE_NODE, SOURCE_NODE + '    ob:fullText "Another text." ;\n')
    _refused(tampered, f"https://w3id.org/obligraph/source/{ARTICLE}: source {ARTICLE}: 2 ob:fullText "
                       "values (a source has one text)", texts_added=1)


def test_a_text_its_quotes_and_its_digest_forged_together(tmp_path, focused):
    """Everything in the graph agrees with everything else: only the source file tells."""
    sources = focused.parent.parent / "sources"
    original = (sources / "articles" / f"{ARTICLE}.txt").read_bytes()
    forged = original.decode("utf-8").replace("China did in 1982 sign", "China did in 1983 sign")
    assert forged.encode("utf-8") != original
    old_digest, new_digest = (hashlib.sha256(data).hexdigest() for data in (original, forged.encode("utf-8")))
    text = focused.read_text(encoding="utf-8").replace("China did in 1982 sign", "China did in 1983 sign")
    assert text.count(old_digest) == 1
    tampered = tmp_path / "tampered.trig"
    tampered.write_text(text.replace(old_digest, new_digest), encoding="utf-8")
    alone = CliRunner().invoke(main, ["verify", str(tampered)])
    assert alone.exit_code == 0 and "(no sources/ to compare them with: --sources DIR)" in alone.output
    _refused(tampered, f"https://w3id.org/obligraph/source/{ARTICLE}: source {ARTICLE}: ob:fullText and "
                       f"ob:sha256 are not the text of sources/articles/{ARTICLE}.txt: expected {old_digest}, "
                       f"found {new_digest}", args=["--sources", str(sources)])


def test_the_focused_build_verifies_against_its_sources(focused):
    result = CliRunner().invoke(main, ["verify", str(focused), "--sources", str(focused.parent.parent / "sources")])
    assert result.exit_code == 0, result.output
    assert " texts their sha256 and their files in sources/; all " in result.output


def test_a_removed_source_graph(tmp_path, focused):
    """Its text is still in sources/, and conclusions drawn from its claims stand on nothing."""
    text = focused.read_text(encoding="utf-8")
    start = text.index(f"<https://w3id.org/obligraph/graph/source/{ARTICLE}> {{")
    end = text.index("\n}\n", start) + 3
    tampered = tmp_path / "tampered.trig"
    tampered.write_text(text[:start] + text[end:], encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(tampered), "--sources",
                                       str(focused.parent.parent / "sources")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"  sources/articles/{ARTICLE}.txt: source {ARTICLE}: a text of sources/ whose source is not in " \
           "the graph" in lines
    rests = [line for line in lines if ", which is not in the graph" in line]
    assert rests and all(line.startswith("  https://w3id.org/obligraph/inferred/") and
                         f": source (inferred): it rests on obclaim:{ARTICLE}." in line for line in rests)


def test_verify_names_a_missing_sources_folder(tmp_path, focused):
    result = CliRunner().invoke(main, ["verify", str(focused), "--sources", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path / 'nowhere'}: the sources directory does not exist\n"
                             "  → name the corpus's sources/ folder the graph was built from\n")


def test_a_projects_graph_is_compared_with_its_own_sources(small):
    """`--project DIR verify` (or verify run inside the corpus) reads the corpus's sources/: a text
    edited after the build no longer is the graph's, and verify says which file."""
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    result = CliRunner().invoke(main, ["--project", str(small.root), "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{small.out / 'obligraph.trig'}: all 2 quotes match their sources' "
                                    "texts at their offsets (with prefix and suffix where given), all 1 "
                                    "texts their sha256 and their files in sources/; all 2 claims have "
                                    "evidence, all 2 plain triples a claim asserting them")
    path = small.write("articles/a1.txt", SMALL_TEXT.replace("1990", "1991"))
    result = CliRunner().invoke(main, ["--project", str(small.root), "verify"])
    assert result.exit_code == 1
    built = hashlib.sha256(SMALL_TEXT.encode("utf-8")).hexdigest()
    now = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.stderr.splitlines()[1] == (
        "  https://w3id.org/obligraph/source/a1: source a1: ob:fullText and ob:sha256 are not the text "
        f"of sources/articles/a1.txt: expected {now}, found {built}")
