"""Review: extract → review → build. Accepted candidates are appended to the curated claims (the
curator's bytes untouched), carry their reviewer as PROV into the next build; unreviewed candidates
only enter a build with --extract, in their own named graph, typed ob:MachineExtractedClaim."""

from __future__ import annotations

import textwrap

import yaml
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import PROV

import obligraph
from obligraph.cli import main
from obligraph.graph.rdf import OBG
from obligraph.corpus.vocabulary import OB

NEW_SENTENCE = "Arcadia ratified the Refugee Convention in 1991.\n"


def _extract(small, name="a1"):
    text = small.sources / "articles" / f"{name}.txt"
    result = CliRunner().invoke(main, ["extract", str(text), "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    return text, yaml.safe_load((text.with_name(f"{name}.candidates.yaml")).read_text(encoding="utf-8"))


def _number(data, **fields):
    (found,) = [c["n"] for c in data["candidates"] if all(c.get(k) == v for k, v in fields.items())]
    return found


def test_accepting_appends_and_the_next_build_has_the_reviewer_as_prov(small):
    text = small.sources / "articles" / "a1.txt"
    text.write_text(text.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")
    claims = small.sources / "articles" / "a1.claims.yaml"
    before = claims.read_bytes()
    _, data = _extract(small)
    number = _number(data, mode="ratification")
    result = CliRunner().invoke(main, ["review", str(text), "--accept", str(number),
                                       "--reviewer", "Ada Lovelace", "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    assert result.output == "accepted 1, rejected 0; appended 1 claims to a1.claims.yaml\n"
    after = claims.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    added = yaml.safe_load(after)[-1]
    assert added["reviewed_by"] == "Ada Lovelace" and added["date"] == "1991"
    assert added["quote"] == NEW_SENTENCE.strip()
    candidates = yaml.safe_load((small.sources / "articles" / "a1.candidates.yaml").read_text("utf-8"))
    assert [c["status"] for c in candidates["candidates"] if c["n"] == number] == ["accepted"]

    _, dataset = obligraph.assemble(paths=small.paths)
    graph = dataset.graph(OBG["source/a1"])
    (agent,) = set(graph.subjects(RDFS.label, Literal("Ada Lovelace")))
    assert (agent, RDF.type, PROV.Agent) in graph
    (claim,) = set(graph.subjects(PROV.wasAttributedTo, agent))
    assert (claim, OB.date, None) in graph and (claim, RDF.type, OB.Claim) in graph
    assert (claim, PROV.wasGeneratedBy, None) in graph


def test_accepting_a_claim_already_curated_appends_nothing(small):
    claims = small.sources / "articles" / "a1.claims.yaml"
    before = claims.read_bytes()
    text, data = _extract(small)
    number = _number(data, predicate="partyTo", mode="accession")
    result = CliRunner().invoke(main, ["review", str(text), "--accept", str(number),
                                       "--reviewer", "Ada", "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    assert result.output == "accepted 1, rejected 0; appended 0 claims to a1.claims.yaml (1 already there)\n"
    assert claims.read_bytes() == before


def test_reject_and_errors(small):
    text, data = _extract(small)
    args = ["--sources", str(small.sources), "--reviewer", "Ada"]
    result = CliRunner().invoke(main, ["review", str(text), "--reject", "1", *args])
    assert result.output == "accepted 0, rejected 1; appended 0 claims to a1.claims.yaml\n"
    again = CliRunner().invoke(main, ["review", str(text), "--accept", "1", *args])
    assert again.exit_code == 1
    assert "candidate 1 is already rejected" in again.output
    missing = CliRunner().invoke(main, ["review", str(text), "--accept", "99", *args])
    assert missing.exit_code == 1 and "there is no candidate 99" in missing.output
    nothing = CliRunner().invoke(main, ["review", str(text), *args])
    assert nothing.exit_code == 2 and ("give --accept N[,M], --reject N[,M], --accept-all, --accept-entities ID[,ID] "
                                       "or --reject-entities ID[,ID]") in nothing.output


def test_unreviewed_candidates_enter_only_a_build_with_extract(small):
    small.write("articles/a2.txt", "Arcadia denies the UN Refugee Agency access to the camps.\n"
                                   "Arcadia acceded to the Refugee Convention in 1990.\n")
    small.write("articles/a2.meta.yaml", textwrap.dedent("""\
        kind: article
        text: a2.txt
        title: Arcadia again
        date: "2021"
        """))
    _, plain = obligraph.assemble(paths=small.paths)
    assert not list(plain.graph(OBG["extracted/a2"]).triples((None, None, None)))
    _, dataset = obligraph.assemble(paths=small.paths, extract=True)
    graph = dataset.graph(OBG["extracted/a2"])
    machine = set(graph.subjects(RDF.type, OB.MachineExtractedClaim))
    assert machine and all((c, OB.extractionRule, None) in graph for c in machine)
    assert not set(graph.subjects(RDF.type, OB.Claim))
    # curated sources are not extracted; an unreviewed claim has no plain triple
    assert not list(dataset.graph(OBG["extracted/a1"]).triples((None, None, None)))
    assert not list(graph.triples((None, OB.deniesAccessTo, None)))
    result = CliRunner().invoke(main, [*small.args(), "--extract"])
    assert result.exit_code == 0, result.output
    from obligraph.views.html import page_json
    page = page_json((small.out / "obligraph.html").read_text(encoding="utf-8"))
    assert "Machine-extracted, not reviewed (build --extract)" in {k["label"] for k in page["edgeKinds"]}
