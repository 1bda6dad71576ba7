"""The bundled build: quotes re-match, shapes conform, output is deterministic and committed."""

from __future__ import annotations

import subprocess
import sys

import obligraph
from obligraph.graph.outputs import GRAPH_FILES, render
from obligraph.graph.pipeline import PROJECT


def test_every_quote_rematches_its_offsets_in_the_stored_text(bundled, sparql):
    corpus, _ = bundled
    rows = sparql("""
        SELECT ?exact ?start ?end ?text WHERE {
          ?annotation a oa:Annotation ; oa:hasTarget ?target .
          ?target oa:hasSource ?source ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
          ?source ob:fullText ?text .
        }""")
    # a record row's claims share the row's one annotation (named line-N); every other quote has its own
    evidence = [e for c in corpus.claims for e in c.evidence]
    annotations = sum(1 for e in evidence if e.name is None) + len({(e.source_id, e.name) for e in evidence if e.name})
    assert len(rows) == annotations > 300
    assert all(text[start:end] == exact for exact, start, end, text in rows)
    mismatches = sparql("""
        SELECT ?exact WHERE {
          ?target oa:hasSource ?source ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end . ?source ob:fullText ?text .
          FILTER(SUBSTR(?text, ?start + 1, ?end - ?start) != ?exact)
        }""")
    assert mismatches == []


def test_source_texts_in_the_graph_are_the_files_byte_for_byte(bundled):
    corpus, _ = bundled
    for source in corpus.sources:
        assert source.text.encode("utf-8") == (PROJECT / "sources" / source.path.split("/", 1)[1]).read_bytes()
    assert {s.id for s in corpus.sources} >= {
        "000_ac5578aea1761bdc", "001_84ad41ae37dad2cf", "002_13d38fe2f37237c1",
        "003_503d341e454f2bd7", "004_635469bbd09945d7", "untc-status-5-2", "untc-index",
        "refugee-convention-1951", "refugee-protocol-1967", "convention-against-torture-1984"}


def test_unknown_metadata_stays_unknown(sparql):
    rows = sparql("""
        SELECT ?id ?date ?author ?note WHERE {
          ?s a ob:Article ; dcterms:identifier ?id .
          OPTIONAL { ?s dcterms:date ?date } OPTIONAL { ?s dcterms:creator ?author }
          OPTIONAL { ?s ob:dateNote ?note }
        } ORDER BY ?id""")
    by_id = {row[0]: row[1:] for row in rows}
    assert str(by_id["000_ac5578aea1761bdc"][0]) == "2012-06-22"
    assert by_id["002_13d38fe2f37237c1"][1] is None  # author unknown
    date, _, note = by_id["001_84ad41ae37dad2cf"]
    assert date is None and "suggests 2018" in note


def test_build_is_byte_identical_and_committed_graph_is_current(tmp_path):
    """Two builds in separate processes (different hash seeds) give the same bytes, and the
    committed graph/ equals them: rebuild and commit when this fails."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        # a bare environment (nothing of ours leaks in), with its own home and cache
        subprocess.run([sys.executable, str(PROJECT / "build.py"), "--out", str(out)], check=True,
                       capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "",
                                                 "HOME": str(tmp_path / "home"),
                                                 "OBLIGRAPH_CACHE": str(tmp_path / "cache")})
        outputs.append({name: (out / name).read_bytes() for name in GRAPH_FILES})
    assert outputs[0] == outputs[1]
    committed = {name: (PROJECT / "graph" / name).read_bytes() for name in GRAPH_FILES}
    assert committed == outputs[0], "graph/ is stale: run `python build.py` and commit graph/"


def test_every_output_parses_back_to_the_same_triples(bundled, tmp_path):
    """The TriG the build writes holds the dataset's quads (the page is written apart; the other
    formats are `obligraph export`'s, and tests/test_export.py parses each back)."""
    _, dataset = bundled
    files = render(dataset)
    assert list(files) == ["obligraph.trig"]
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    again = obligraph.load(tmp_path / "obligraph.trig")
    assert {(q, g.identifier) for g in again.graphs() for q in g} == {
        (q, g.identifier) for g in dataset.graphs() for q in g}


def test_python_build_and_console_command_agree(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    subprocess.run([sys.executable, str(PROJECT / "build.py"), "--out", str(a)], check=True,
                   capture_output=True)
    result = subprocess.run([sys.executable, "-m", "obligraph.cli", "build", "--out", str(b)],
                            check=True, capture_output=True, text=True, cwd=PROJECT)
    assert "all quotes located, shapes conform." in result.stdout
    assert {n: (a / n).read_bytes() for n in GRAPH_FILES} == {n: (b / n).read_bytes() for n in GRAPH_FILES}


def test_the_curation_guide_lists_exactly_the_ontologys_predicates_and_types():
    import re

    from obligraph.corpus.vocabulary import read_ontology, vocabulary_of
    guide = (PROJECT / "sources" / "README.md").read_text(encoding="utf-8")
    predicates_section = guide.split("## Predicates", 1)[1]
    listed = set(re.findall(r"^\| (\w+) \| ", predicates_section, re.M)) - {"predicate"}
    types_section = guide.split("### Entity types", 1)[1].split("## ", 1)[0]
    types = set(re.findall(r"^\| (\w+) \| ", types_section, re.M)) - {"type"}
    vocabulary = vocabulary_of(read_ontology(PROJECT / "ontology" / "obligraph.ttl"))
    assert listed == vocabulary.predicates
    assert types == vocabulary.entity_types - {"LegalInstrument"}
