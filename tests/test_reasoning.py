"""Legal reasoning: bound-by, potential breach, compliance, contradiction — on the bundled corpus
and on a small invented one (another state, another treaty) to show the rules are generic."""

from __future__ import annotations

import textwrap

import pytest

import obligraph
from obligraph.graph.outputs import merged


def _id(value) -> str:
    return str(value).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@pytest.fixture(scope="session")
def bound(sparql):
    rows = sparql("""
        SELECT ?state ?obligation ?provision ?since ?through WHERE {
          ?b a ob:BoundBy ; rdf:subject ?state ; rdf:object ?obligation ; ob:provision ?provision .
          OPTIONAL { ?b ob:since ?since } OPTIONAL { ?b ob:through ?through } }""")
    return {(_id(s), _id(o), _id(p), str(d), _id(t) if t else None) for s, o, p, d, t in rows}


def test_china_is_bound_by_non_refoulement_and_cooperation_with_unhcr(bound):
    china = {row for row in bound if row[0] == "china"}
    assert ("china", "non-refoulement", "refugee-convention-1951-art-33", "1982-12-23", None) in china
    assert ("china", "non-refoulement", "convention-against-torture-1984-art-3", "1988-11-03", None) in china
    assert ("china", "cooperation-with-unhcr", "refugee-convention-1951-art-35", "1982-12-23", None) in china
    assert ("china", "cooperation-with-unhcr", "refugee-protocol-1967-art-ii", "1982-09-24", None) in china


def test_protocol_only_party_is_bound_through_article_one(bound):
    us = {row for row in bound if row[0] == "united-states"}
    assert ("united-states", "non-refoulement", "refugee-convention-1951-art-33", "1968-11-01",
            "refugee-protocol-1967-art-i") in us
    assert not any(row[2] == "refugee-convention-1951-art-35" for row in us)  # art. 35 is not in 2–34


def test_north_korea_is_bound_by_the_iccpr_and_not_by_the_refugee_treaties(bound):
    """The record: North Korea acceded to the ICCPR, CEDAW and the CRC, not to the Refugee
    Convention, its Protocol or CAT; Thailand, Vietnam and Laos are party to CAT, not to the
    refugee treaties."""
    north_korea = {row[2] for row in bound if row[0] == "north-korea"}
    assert {"iccpr-1966-art-7", "iccpr-1966-art-12"} <= north_korea
    assert not any(p.startswith(("refugee-", "convention-against-torture")) for p in north_korea)
    for state in ("thailand", "vietnam", "laos"):
        provisions = {row[2] for row in bound if row[0] == state}
        assert {"convention-against-torture-1984-art-2", "convention-against-torture-1984-art-3"} <= provisions
        assert not any(p.startswith("refugee-") for p in provisions)


def test_signature_alone_does_not_bind(bound):
    """000 and 001 say China 'signed'; the bound-by dates come from the record's accession."""
    assert not any(row[0] == "china" and row[3].startswith("1951") for row in bound)
    # from entry into force after the record's accession and ratification (1982-09-24, 1988-10-04):
    # through the Protocol on its deposit, the Convention's 90th day, CAT's 30th
    assert {row[3] for row in bound if row[0] == "china" and row[1] == "non-refoulement"} == {
        "1982-09-24", "1982-12-23", "1988-11-03"}


def test_potential_breaches(sparql):
    rows = sparql("""
        SELECT DISTINCT ?state ?policy ?obligation ?provision ?since WHERE {
          ?b a ob:PotentialBreach ; rdf:subject ?state ; ob:policy ?policy ; rdf:object ?obligation ;
             ob:provision ?provision ; ob:boundSince ?since }""")
    found = {(_id(s), _id(p), _id(o), _id(v), str(d)) for s, p, o, v, d in rows}
    assert ("china", "china-forced-repatriation", "non-refoulement",
            "refugee-convention-1951-art-33", "1982-12-23") in found
    assert ("china", "china-forced-repatriation", "non-refoulement",
            "convention-against-torture-1984-art-3", "1988-11-03") in found
    assert ("china", "china-unhcr-access-denial", "cooperation-with-unhcr",
            "refugee-convention-1951-art-35", "1982-12-23") in found
    assert ("china", "china-unhcr-access-denial", "cooperation-with-unhcr",
            "refugee-protocol-1967-art-ii", "1982-09-24") in found
    # Russia is not flagged; North Korea is, by kind (tests/test_kinds.py)
    assert {row[0] for row in found} == {"china", "north-korea"}


def test_russia_complies_with_cooperation_with_unhcr(sparql):
    rows = sparql("""
        SELECT DISTINCT ?state ?obligation WHERE {
          ?c a ob:Compliance ; rdf:subject ?state ; rdf:object ?obligation }""")
    assert {(_id(s), _id(o)) for s, o in rows} == {("russia", "cooperation-with-unhcr")}


def test_every_conclusion_traces_back_to_quoted_claims(sparql):
    """Follow prov:wasDerivedFrom from each breach down to claims: each reached claim has a quote."""
    rows = sparql("""
        SELECT ?breach (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {
          ?breach a ob:PotentialBreach ; prov:wasDerivedFrom+ ?claim .
          ?claim a ob:Claim ; prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?quote .
        } GROUP BY ?breach""")
    assert len(rows) >= 4
    assert all(claims >= 4 and quotes >= 4 for _, claims, quotes in rows)


def test_contradictions_with_the_record(sparql):
    rows = sparql("""
        SELECT ?c ?aspect ?source ?against WHERE {
          ?c a ob:Contradiction ; ob:aspect ?aspect ; rdf:subject obid:china ;
             rdf:object obid:refugee-convention-1951 ; ob:againstRecord ?against ;
             ob:claim/dcterms:source/dcterms:identifier ?source }""")
    sides: dict = {}
    for contradiction, aspect, source, against in rows:
        sides.setdefault((contradiction, str(aspect), against), set()).add(str(source))
    # one contradiction per disputed aspect of the fact, holding every claim that takes a side
    assert sorted((aspect, against, sorted(sources)) for (_, aspect, against), sources in sides.items()) == [
        ("date", True, ["001_84ad41ae37dad2cf", "004_635469bbd09945d7", "untc-status-5-2"]),
        # "signatories" and "did in 1982 sign" against the record's accession
        ("mode", True, ["000_ac5578aea1761bdc", "001_84ad41ae37dad2cf", "untc-status-5-2"])]


def _invented(root, files: dict[str, str]):
    """The dataset of an invented corpus: ``files`` (path under sources/ → text, dedented)."""
    sources = root / "sources"
    for folder in ("articles", "treaties", "reference"):
        (sources / folder).mkdir(parents=True)
    for name, text in files.items():
        (sources / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    _, dataset = obligraph.assemble(paths=obligraph.Paths(sources=sources))
    return dataset


def _assembled(root, files: dict[str, str]):
    """The merged graph of an invented corpus (see _invented)."""
    return merged(_invented(root, files))


def _article(name: str, text: str, claims: str) -> dict[str, str]:
    """An undated article's three files."""
    return {f"articles/{name}.txt": text + "\n",
            f"articles/{name}.meta.yaml": f"kind: article\ntext: {name}.txt\ntitle: Article {name}\n",
            f"articles/{name}.claims.yaml": claims}


def _migrant_treaty(parties: str, *, claims: str = "") -> dict[str, str]:
    """An invented treaty's text (art. 7: no return to danger), its claims (and ``claims``, more
    YAML lines), and a depositary record of its ``parties`` (CSV rows)."""
    return {
        "treaties/migrant-treaty-1999.txt": "Article 7\nNo Party shall return a migrant to danger.\n",
        "treaties/migrant-treaty-1999.meta.yaml": """
            kind: treaty-text
            text: migrant-treaty-1999.txt
            title: Migrant Protection Treaty
            date: "1999"
            treaty: migrant-treaty-1999
            """,
        "treaties/migrant-treaty-1999.claims.yaml": textwrap.dedent("""
            - {subject: migrant-treaty-1999-art-7, predicate: provisionOf, object: migrant-treaty-1999, quote: Article 7}
            - {subject: migrant-treaty-1999-art-7, predicate: establishesObligation, object: no-return-to-danger,
               quote: No Party shall return a migrant to danger.}
            """) + textwrap.dedent(claims),
        "reference/parties.csv": "state,treaty,status,date,signature_date,authority,checked\n"
                                 + textwrap.dedent(parties),
        "reference/parties.meta.yaml": """
            kind: reference-record
            format: treaty-participation-csv
            text: parties.csv
            title: Parties
            author: unta
            """,
    }


def test_rules_are_generic(tmp_path):
    """Another state and treaty: Borduria is bound from 2001 and its 2010 pushbacks are flagged;
    Ruritania's 2003 policy predates its 2005 ratification and is not; a signature binds nobody."""
    graph = _assembled(tmp_path, {
        "entities.yaml": """
            - {id: borduria, type: State, label: Borduria}
            - {id: ruritania, type: State, label: Ruritania}
            - {id: syldavia, type: State, label: Syldavia}
            - {id: migrant-treaty-1999, type: Treaty, label: Migrant Protection Treaty}
            - {id: migrant-treaty-1999-art-7, type: TreatyProvision, label: "Migrant Protection Treaty, article 7"}
            - {id: no-return-to-danger, type: Obligation, label: No return to danger}
            - {id: borduria-pushbacks, type: Policy, label: Borduria's pushbacks}
            - {id: ruritania-pushbacks, type: Policy, label: Ruritania's pushbacks}
            - {id: syldavia-pushbacks, type: Policy, label: Syldavia's pushbacks}
            - {id: unta, type: IntergovernmentalOrganization, label: Treaty depositary}
            """,
        **_migrant_treaty("""\
            Borduria,migrant-treaty-1999,ratification,2001-01-01,1999-05-01,depositary,test
            Ruritania,migrant-treaty-1999,accession,2005-06-01,,depositary,test
            Syldavia,migrant-treaty-1999,signature,2000-01-01,,depositary,test
            """),
        "articles/report.txt": ("In 2010 Borduria pushed migrants back. Borduria's pushbacks break the "
                                "no-return rule. In 2003 Ruritania pushed migrants back, breaking the "
                                "rule. In 2011 Syldavia pushed migrants back, breaking the rule.\n"),
        "articles/report.meta.yaml": """
            kind: article
            text: report.txt
            title: Pushbacks
            date: "2012"
            """,
        "articles/report.claims.yaml": """
            - {subject: borduria, predicate: hasPolicy, object: borduria-pushbacks, date: "2010",
               quote: In 2010 Borduria pushed migrants back.}
            - {subject: borduria-pushbacks, predicate: contravenes, object: no-return-to-danger,
               quote: Borduria's pushbacks break the no-return rule.}
            - {subject: ruritania, predicate: hasPolicy, object: ruritania-pushbacks, date: "2003",
               quote: In 2003 Ruritania pushed migrants back}
            - {subject: ruritania-pushbacks, predicate: contravenes, object: no-return-to-danger,
               quote: "Ruritania pushed migrants back, breaking the rule"}
            - {subject: syldavia, predicate: hasPolicy, object: syldavia-pushbacks, date: "2011",
               quote: In 2011 Syldavia pushed migrants back}
            - {subject: syldavia-pushbacks, predicate: contravenes, object: no-return-to-danger,
               quote: "Syldavia pushed migrants back, breaking the rule"}
            """,
    })
    bound = {(_id(s), str(d)) for s, d in graph.query(
        "SELECT ?s ?d WHERE { ?b a ob:BoundBy ; rdf:subject ?s ; ob:since ?d }")}
    assert bound == {("borduria", "2001-01-01"), ("ruritania", "2005-06-01")}
    breaches = {(_id(s), str(d)) for s, d in graph.query(
        "SELECT ?s ?d WHERE { ?b a ob:PotentialBreach ; rdf:subject ?s ; ob:policyEvidencedOn ?d }")}
    assert breaches == {("borduria", "2010")}


def test_a_contradiction_per_fact_not_per_pair(tmp_path):
    """Four articles on one fact: three years and a denial give one date and one stance
    contradiction, each holding every claim on its side (not six pairs); two numbers for the
    same year disagree, a number for another year does not."""
    files = {"entities.yaml": """
        - {id: borduria, type: State, label: Borduria}
        - {id: migrant-treaty-1999, type: Treaty, label: Migrant Protection Treaty}
        - {id: stat-pushbacks, type: Statistic, label: People pushed back by Borduria}
        """}
    for name, joined, number, year in (("a", "1990", 5, "2010"), ("b", "1991", 7, "2010"),
                                       ("c", "1992", 9, "2011")):
        text = f"Borduria joined the treaty in {joined}. In {year}, {number} people were pushed back."
        files |= _article(name, text, f"""
            - {{subject: borduria, predicate: partyTo, object: migrant-treaty-1999, date: "{joined}",
               quote: Borduria joined the treaty in {joined}}}
            - {{subject: stat-pushbacks, predicate: hasValue, value: {number}, date: "{year}",
               quote: "{number} people were pushed back"}}
            """)
    files |= _article("d", "Borduria never joined the treaty.", """
        - {subject: borduria, predicate: partyTo, object: migrant-treaty-1999, stance: denies,
           quote: Borduria never joined the treaty}
        """)
    rows = _assembled(tmp_path, files).query("""
        SELECT ?c ?aspect ?source ?object WHERE {
          ?c a ob:Contradiction ; ob:aspect ?aspect ; ob:claim/dcterms:source/dcterms:identifier ?source .
          OPTIONAL { ?c rdf:object ?object } }""")
    sides: dict = {}
    for contradiction, aspect, source, obj in rows:
        sides.setdefault((contradiction, str(aspect), _id(obj) if obj else None), set()).add(str(source))
    assert sorted((aspect, obj, sorted(found)) for (_, aspect, obj), found in sides.items()) == [
        ("date", "migrant-treaty-1999", ["a", "b", "c"]),
        ("stance", "migrant-treaty-1999", ["a", "b", "c", "d"]),
        ("value", None, ["a", "b"])]  # 5 and 7 in 2010; c's 9 is for 2011


def test_one_consent_per_stated_mode_and_date_resting_on_every_claim(tmp_path):
    """No record row: two articles give ratification in 2001, a third 2002 — two consents, the
    first derived from both claims that give it."""
    files = {"entities.yaml": """
        - {id: borduria, type: State, label: Borduria}
        - {id: migrant-treaty-1999, type: Treaty, label: Migrant Protection Treaty}
        """}
    for name, year in (("a", "2001"), ("b", "2001"), ("c", "2002")):
        files |= _article(name, f"Borduria ratified the treaty in {year}.", f"""
            - {{subject: borduria, predicate: partyTo, object: migrant-treaty-1999, date: "{year}",
               mode: ratification, quote: Borduria ratified the treaty in {year}}}
            """)
    rows = _assembled(tmp_path, files).query("""
        SELECT ?consent ?since ?source WHERE {
          ?consent a ob:Consent ; rdf:subject obid:borduria ; ob:since ?since ; ob:basis ob:SourceClaimBasis ;
                   prov:wasDerivedFrom/dcterms:source/dcterms:identifier ?source }""")
    consents: dict = {}
    for consent, since, source in rows:
        consents.setdefault((consent, str(since)), set()).add(str(source))
    assert sorted((since, sorted(found)) for (_, since), found in consents.items()) == [
        ("2001", ["a", "b"]), ("2002", ["c"])]


CURATOR = "https://w3id.org/obligraph/ontology#Curator"


def test_curator_readings_are_the_curators_and_yield_no_plain_triple(sparql):
    """The claims the curator read into the words are marked, stated by and attributed to the
    curator — never the author — and put no plain triple in the graph."""
    rows = sparql("""
        SELECT ?source ?id ?by ?attributed ?s ?p ?o WHERE {
          ?c ob:curatorReading true ; dcterms:source/dcterms:identifier ?source ;
             dcterms:identifier ?id ; ob:statedBy ?by ; prov:wasAttributedTo ?attributed ;
             rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }""")
    # which kind of act a policy is, is always the curator's reading (tests/test_kinds.py)
    kinds = [row for row in rows if _id(row[5]) == "ofKind"]
    assert len(kinds) == 8 and len(sparql("SELECT ?c WHERE { ?c rdf:predicate ob:ofKind }")) == 8
    rows = [row for row in rows if _id(row[5]) != "ofKind"]
    assert sorted((str(source), str(i), _id(s), _id(p), _id(o)) for source, i, _, _, s, p, o in rows) == [
        # China's classification of them as economic migrants read as a denial of refugee status
        ("000_ac5578aea1761bdc", "c55", "north-korean-refugees", "hasStatus", "refugee"),
        ("001_84ad41ae37dad2cf", "c32", "china", "boundBy", "non-refoulement"),
        ("001_84ad41ae37dad2cf", "c33", "china-forced-repatriation", "contravenes", "non-refoulement"),
        ("001_84ad41ae37dad2cf", "c46", "north-korean-refugees", "hasStatus", "refugee"),
        ("002_13d38fe2f37237c1", "c20", "china", "arrests", "nk-refugees-rounded-up-china-2012"),
        ("002_13d38fe2f37237c1", "c57", "north-korean-refugees", "hasStatus", "refugee"),
        ("003_503d341e454f2bd7", "c30", "china-unhcr-access-denial", "contravenes", "cooperation-with-unhcr"),
        ("004_635469bbd09945d7", "c28", "china-refugee-status-refusal", "contravenes",
         "recognition-and-humane-treatment-of-refugees")]
    assert {(str(by), str(attributed)) for _, _, by, attributed, *_ in rows} == {(CURATOR, CURATOR)}
    # no other claim is stated by the curator
    assert sparql("SELECT ?c WHERE { ?c ob:statedBy ob:Curator FILTER NOT EXISTS { ?c ob:curatorReading true } }") == []
    # 002 names no one who arrested them: no plain triple says China did
    assert sorted(_id(o) for o, in sparql("SELECT ?o WHERE { obid:china ob:arrests ?o }")) == [
        "kim-young-hwan", "north-korean-refugees"]


def test_no_plain_triple_for_a_curator_reading_or_a_former_relation(bundled):
    from obligraph.graph.rdf import OBID, source_graph_iri
    from obligraph.corpus.vocabulary import OB
    _, dataset = bundled
    in_003 = dataset.graph(source_graph_iri("003_503d341e454f2bd7"))
    in_000 = dataset.graph(source_graph_iri("000_ac5578aea1761bdc"))
    denial, cooperation = OBID["china-unhcr-access-denial"], OBID["cooperation-with-unhcr"]
    assert (denial, OB.contravenes, cooperation) not in in_003  # 003's is a reading
    assert (denial, OB.contravenes, cooperation) in in_000  # 000's author says so
    in_004 = dataset.graph(source_graph_iri("004_635469bbd09945d7"))
    kim = OBID["kim-young-hwan"]
    assert (kim, OB.supports, OBID["kim-il-sung"]) not in in_004  # "a former supporter"
    assert (kim, OB.assists, OBID["north-korean-refugees"]) in in_004
    assert [str(f) for f in in_004.objects(
        next(c for c in in_004.subjects(OB.former, None)), OB.former)] == ["true"]


def test_china_breaches_stated_by_a_source_stand_on_an_authors_words(sparql):
    rows = sparql("""
        SELECT ?b ?policy ?provision ?flag (COUNT(DISTINCT ?reading) AS ?readings)
               (COUNT(DISTINCT ?statement) AS ?statements) WHERE {
          ?b a ob:PotentialBreach ; ob:breachBasis ob:StatedBySource ; ob:policy ?policy ;
             ob:provision ?provision .
          OPTIONAL { ?b ob:restsOnCuratorReading ?flag }
          OPTIONAL { ?b prov:wasDerivedFrom ?reading . ?reading ob:curatorReading true }
          OPTIONAL { ?b prov:wasDerivedFrom ?statement .
                     ?statement a ob:Claim ; rdf:predicate ob:contravenes .
                     FILTER NOT EXISTS { ?statement ob:curatorReading true } }
        } GROUP BY ?b ?policy ?provision ?flag""")
    # each has one curator's reading among its premises (001's, 003's) and one author's statement
    # that the policy contravenes the duty (003's, 000's): the author's words carry it, so it is
    # not marked as resting on a reading (the reading is marked on its own claim)
    assert sorted((_id(p), _id(v), f, n, m) for _, p, v, f, n, m in rows) == [
        ("china-forced-repatriation", "convention-against-torture-1984-art-3", None, 1, 1),
        ("china-forced-repatriation", "refugee-convention-1951-art-33", None, 1, 1),
        ("china-forced-repatriation", "refugee-convention-1951-art-33", None, 1, 1),
        ("china-unhcr-access-denial", "refugee-convention-1951-art-35", None, 1, 1),
        ("china-unhcr-access-denial", "refugee-protocol-1967-art-ii", None, 1, 1)]
    # Russia's compliance rests on what 000's author states
    assert sparql("SELECT ?c WHERE { ?c a ob:Compliance ; ob:restsOnCuratorReading ?f }") == []
    # the rules that refuse curator readings derive nothing from 001's reading that China is bound
    assert sparql("""SELECT ?b WHERE { ?b a ob:Conclusion ; prov:wasDerivedFrom ?c .
                     ?c ob:curatorReading true ; rdf:predicate ob:boundBy }""") == []


def _reading_corpus(with_reading: bool) -> dict[str, str]:
    reading = """
            - {subject: arcadia-pushbacks, predicate: contravenes, object: no-return, reading: curator,
               quote: The pushbacks go on.}
            - {subject: borduria, predicate: partyTo, object: pact, mode: accession, date: "1995",
               reading: curator, quote: Borduria talks of the pact.}
            - {subject: borduria, predicate: hasPolicy, object: borduria-pushbacks,
               quote: Borduria pushes people back too.}
            - {subject: borduria-pushbacks, predicate: contravenes, object: no-return,
               quote: Its pushbacks break the no-return rule.}
            - {subject: arcadia, predicate: hasPolicy, object: arcadia-camps, date: "2000",
               quote: Arcadia runs camps.}
            - {subject: arcadia-camps, predicate: contravenes, object: no-return, reading: curator,
               quote: Arcadia runs camps.}
            """ if with_reading else ""
    return {
        "entities.yaml": """
            - {id: arcadia, type: State, label: Arcadia}
            - {id: borduria, type: State, label: Borduria}
            - {id: pact, type: Treaty, label: Pact}
            - {id: pact-art-1, type: TreatyProvision, label: "Pact, article 1"}
            - {id: no-return, type: Obligation, label: No return}
            - {id: fair-hearing, type: Obligation, label: Fair hearing}
            - {id: arcadia-pushbacks, type: Policy, label: Arcadia's pushbacks}
            - {id: borduria-pushbacks, type: Policy, label: Borduria's pushbacks}
            - {id: arcadia-camps, type: Policy, label: Arcadia's camps}
            """,
        "treaties/pact.txt": "Article 1\nNo Party shall return anyone to danger.\n",
        "treaties/pact.meta.yaml": "kind: treaty-text\ntext: pact.txt\ntitle: Pact\ntreaty: pact\n",
        "treaties/pact.claims.yaml": """
            - {subject: pact-art-1, predicate: provisionOf, object: pact, quote: Article 1}
            - {subject: pact-art-1, predicate: establishesObligation, object: no-return,
               quote: No Party shall return anyone to danger.}
            - {subject: pact-art-1, predicate: establishesObligation, object: fair-hearing,
               reading: curator, quote: No Party shall return anyone to danger.}
            """,
        **_article("a", "Arcadia acceded to the pact in 1990. In 2000 Arcadia pushed people back, "
                        "breaking the no-return rule. The pushbacks go on. Borduria talks of the pact. "
                        "Borduria pushes people back too. Its pushbacks break the no-return rule. Arcadia runs camps.", """
            - {subject: arcadia, predicate: partyTo, object: pact, mode: accession, date: "1990",
               quote: Arcadia acceded to the pact in 1990.}
            - {subject: arcadia, predicate: hasPolicy, object: arcadia-pushbacks, date: "2000",
               quote: In 2000 Arcadia pushed people back}
            - {subject: arcadia-pushbacks, predicate: contravenes, object: no-return,
               quote: "Arcadia pushed people back, breaking the no-return rule"}
            """ + reading)}


def test_which_rules_accept_curator_readings(tmp_path):
    """Rules 11 and 20 refuse a curator's reading (no consent for Borduria, no binding by the
    read-in duty); rule 30 accepts one and marks the breach that does not stand without it
    (Arcadia's camps); the pushbacks, which an author says break the rule, carry no mark, with
    the reading beside the author's words or without it."""
    def found(graph):
        return ({(_id(s), _id(o)) for s, o in graph.query(
                    "SELECT ?s ?o WHERE { ?b a ob:BoundBy ; rdf:subject ?s ; rdf:object ?o }")},
                {(_id(s), f.toPython() if f is not None else None) for s, f in graph.query(
                    """SELECT ?s ?f WHERE { ?b a ob:PotentialBreach ; rdf:subject ?s .
                       OPTIONAL { ?b ob:restsOnCuratorReading ?f } }""")})
    assert found(_assembled(tmp_path / "plain", _reading_corpus(False))) == (
        {("arcadia", "no-return")}, {("arcadia", None)})
    assert found(_assembled(tmp_path / "read", _reading_corpus(True))) == (
        {("arcadia", "no-return")}, {("arcadia", None), ("arcadia", True)})


def test_a_rule_that_reads_the_sources_only_runs_before_any_conclusion(tmp_path):
    """'# Reads: the sources only' in a rule's header: it runs once, first, so it cannot read a
    conclusion even when its file comes after the rule that concludes it; without the header it
    does."""
    import pyoxigraph as ox
    from obligraph.graph.reasoning import Rule, infer_in_store
    ex = "https://example.org/"

    def store() -> ox.Store:
        made = ox.Store()
        made.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "b"),
                         ox.NamedNode(ex + "source")))
        return made

    concludes = Rule("10-q", f"CONSTRUCT {{ ?s <{ex}q> ?o }} WHERE {{ ?s <{ex}p> ?o }}", tmp_path / "10-q.rq")
    header = "# Rule: r\n# Reads: the sources only\n"
    reads = f"CONSTRUCT {{ ?s <{ex}r> ?o }} WHERE {{ {{ ?s <{ex}q> ?o }} UNION {{ ?s <{ex}p> ?o }} }}"
    once = Rule("20-r", header + reads, tmp_path / "20-r.rq")
    assert once.sources_only and not concludes.sources_only
    q, r = f"<{ex}a> <{ex}q> <{ex}b> .", f"<{ex}a> <{ex}r> <{ex}b> ."
    assert infer_in_store(store(), (concludes, once)) == [q, r]  # r from p, the source's triple
    reads_q = Rule("20-r", header + f"CONSTRUCT {{ ?s <{ex}r> ?o }} WHERE {{ ?s <{ex}q> ?o }}", tmp_path / "20-r.rq")
    assert infer_in_store(store(), (concludes, reads_q)) == [q], "it saw the conclusion"
    repeated = Rule("20-r", f"CONSTRUCT {{ ?s <{ex}r> ?o }} WHERE {{ ?s <{ex}q> ?o }}", tmp_path / "20-r.rq")
    assert infer_in_store(store(), (concludes, repeated)) == [q, r]


def test_a_rule_that_names_the_rules_it_reads_runs_again_only_after_they_conclude(tmp_path):
    """'# Reads: the sources and the conclusions of 20-b': the rule runs again once 20-b, which
    comes after it, has concluded something; naming only a rule that concluded before it ran, it
    is not run again (the header is trusted; without one it is); a name that is no rule stops the build."""
    import pyoxigraph as ox
    from obligraph.errors import QueryError
    from obligraph.graph.reasoning import Rule, infer_in_store, read_rules
    ex = "https://example.org/"

    def store() -> ox.Store:
        made = ox.Store()
        made.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "b"),
                         ox.NamedNode(ex + "source")))
        return made

    def rule(name: str, header: str, body: str) -> Rule:
        return Rule(name, header + body, tmp_path / f"{name}.rq")

    reads_q = f"CONSTRUCT {{ ?s <{ex}r> ?o }} WHERE {{ ?s <{ex}q> ?o }}"
    concludes = rule("20-b", "", f"CONSTRUCT {{ ?s <{ex}q> ?o }} WHERE {{ ?s <{ex}p> ?o }}")
    other = rule("05-c", "", f"CONSTRUCT {{ ?s <{ex}t> ?o }} WHERE {{ ?s <{ex}p> ?o }}")
    q, r, t = (f"<{ex}a> <{ex}{p}> <{ex}b> ." for p in "qrt")
    named = rule("10-a", "# Reads: the sources and the conclusions of 20-b\n", reads_q)
    assert named.reads == {"20-b"}
    assert infer_in_store(store(), (other, named, concludes)) == [q, r, t]
    wrong = rule("10-a", "# Reads: the sources and the conclusions of 05-c\n", reads_q)
    assert infer_in_store(store(), (other, wrong, concludes)) == [q, t]
    assert infer_in_store(store(), (other, rule("10-a", "", reads_q), concludes)) == [q, r, t]

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "10-a.rq").write_text("# Reads: the sources and the conclusions of 20-b, 21-x\n" + reads_q)
    (rules / "20-b.rq").write_text(concludes.text)
    with pytest.raises(QueryError) as raised:
        read_rules(rules)
    assert str(raised.value) == (
        f"{rules / '10-a.rq'}: its 'Reads:' line names '21-x': no such rule beside it\n"
        "  → name the rules it reads by file name without .rq (as '15-entry-into-force'), or "
        "remove the line to run it in every round")


def test_the_bundled_rules_marked_sources_only_conclude_what_they_would_repeated(focused):
    """The headers are a promise the bundled rules keep: run once first (the sources only), or
    again only when a rule they name concluded something, or every one repeated to a fixpoint in
    file order, they give the same conclusions (and the build's)."""
    import pyoxigraph as ox
    from obligraph.graph.rdf import INFERRED_GRAPH
    from obligraph.graph.reasoning import Rule, infer_in_store, read_rules
    from .conftest import ONTOLOGY

    def sources() -> ox.Store:
        store = ox.Store()
        store.load(path=str(focused), format=ox.RdfFormat.TRIG)
        built = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in
                       store.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))))
        store.remove_graph(ox.NamedNode(str(INFERRED_GRAPH)))
        return store, built

    rules = read_rules(ONTOLOGY / "rules")
    assert [r.name for r in rules if r.sources_only] == [
        "10-consent-from-record", "11-consent-from-sources", "26-reservation-clauses", "40-contradiction"]
    store, built = sources()
    once = infer_in_store(store, rules)
    all_repeated = tuple(Rule(r.name, r.text.replace("# Reads:", "# Said:"), r.path) for r in rules)
    assert not any(r.sources_only for r in all_repeated)
    assert all(r.reads is None for r in all_repeated)
    assert all(r.reads is not None for r in rules), "every bundled rule says what it reads"
    assert infer_in_store(sources()[0], all_repeated) == once == built
    assert len(once) > 10_000


def test_a_users_rule_that_reads_quotes_gets_them_in_the_build(tmp_path):
    """The build's rule store holds only what the rules can match (the bundled rules read no
    quote), so a user's rule over quotes, read through a property path, gets them."""
    import shutil
    from pathlib import Path
    from obligraph.graph.reasoning import read_rules, rule_reads
    ontology = tmp_path / "ontology"
    shutil.copytree(Path(obligraph.__file__).resolve().parent.parent / "ontology", ontology)
    exact = "<http://www.w3.org/ns/oa#exact>"
    assert exact not in rule_reads(read_rules(ontology / "rules")).predicates
    (ontology / "rules" / "95-quoted.rq").write_text(textwrap.dedent("""\
        # Rule: quoted
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        CONSTRUCT { ?claim <https://example.org/quoted> ?exact }
        WHERE { ?claim prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact }
        """), encoding="utf-8")
    assert exact in rule_reads(read_rules(ontology / "rules")).predicates
    sources = tmp_path / "sources"
    for folder in ("articles", "treaties", "reference"):
        (sources / folder).mkdir(parents=True)
    for name, text in _article("a1", "Borduria pushed migrants back in 2010.",
                               "- {subject: borduria, predicate: hasPolicy, object: borduria-pushbacks, "
                               "quote: Borduria pushed migrants back}\n").items():
        (sources / name).write_text(text, encoding="utf-8")
    (sources / "entities.yaml").write_text(
        "- {id: borduria, type: State, label: Borduria}\n"
        "- {id: borduria-pushbacks, type: Policy, label: Borduria's pushbacks}\n", encoding="utf-8")
    out = tmp_path / "graph"
    obligraph.build(paths=obligraph.Paths(sources=sources, ontology=ontology, out=out), cache=False)
    quoted = [line for line in (out / "obligraph.trig").read_text(encoding="utf-8").splitlines()
              if "example.org/quoted" in line]
    assert quoted and all('"Borduria pushed migrants back"' in line for line in quoted), quoted
