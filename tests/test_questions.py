"""The questions the foundation must answer, asked in SPARQL over the bundled build."""

from __future__ import annotations

ARTICLES = {"000_ac5578aea1761bdc", "001_84ad41ae37dad2cf", "002_13d38fe2f37237c1",
            "003_503d341e454f2bd7", "004_635469bbd09945d7"}


def test_china_party_to_refugee_convention_with_disagreeing_years(sparql):
    rows = sparql("""
        SELECT ?source ?date ?mode ?exact WHERE {
          ?claim rdf:subject obid:china ; rdf:predicate ob:partyTo ;
                 rdf:object obid:refugee-convention-1951 ; ob:date ?date ; ob:mode ?mode ;
                 dcterms:source/dcterms:identifier ?source ;
                 prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
        }""")
    by_source = {source: (str(date), str(mode).rsplit("#")[-1], exact)
                 for source, date, mode, exact in rows}
    assert by_source["001_84ad41ae37dad2cf"][:2] == ("1982", "Signature")
    assert "China did in 1982 sign the 1951 Refugee Convention" in by_source["001_84ad41ae37dad2cf"][2]
    assert by_source["004_635469bbd09945d7"][:2] == ("1951", "Unspecified")
    assert "in 1951" in by_source["004_635469bbd09945d7"][2]
    assert by_source["treaty-participation"][:2] == ("1982-09-24", "Accession")
    assert by_source["treaty-participation"][2].startswith("China,refugee-convention-1951,accession,1982-09-24")


def test_russia_lets_unhcr_work_while_china_denies_it_access(sparql):
    rows = sparql("""
        SELECT ?state ?relation ?source ?exact WHERE {
          ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object obid:unhcr ; ob:stance ob:Asserts ;
                 dcterms:source/dcterms:identifier ?source ;
                 prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
          ?s rdfs:label ?state . ?p rdfs:label ?relation .
          FILTER(?p IN (ob:allowsAccessTo, ob:deniesAccessTo))
        }""")
    found = {(state, relation, source) for state, relation, source, _ in rows}
    assert ("Russia", "allows access to", "000_ac5578aea1761bdc") in found
    assert ("China", "denies access to", "003_503d341e454f2bd7") in found
    assert ("China", "denies access to", "000_ac5578aea1761bdc") in found
    assert not any(state == "Russia" and "denies" in relation for state, relation, _ in found)
    quote = next(exact for state, relation, _, exact in rows if state == "Russia")
    assert "is compliant in allowing the UNHCR to interview" in quote
    # the plain ("truthy") triples say the same
    assert sparql("""SELECT (COUNT(*) AS ?n) WHERE {
        obid:russia ob:allowsAccessTo obid:unhcr . obid:china ob:deniesAccessTo obid:unhcr }""") == [(1,)]
    assert sparql("SELECT ?o WHERE { obid:russia ob:deniesAccessTo ?o }") == []


def test_forced_repatriation_by_china_is_evidenced_in_at_least_four_articles(sparql):
    rows = sparql("""
        SELECT DISTINCT ?source ?exact WHERE {
          ?claim rdf:subject obid:china ; rdf:predicate ob:hasPolicy ;
                 rdf:object obid:china-forced-repatriation ; ob:stance ob:Asserts ;
                 dcterms:source/dcterms:identifier ?source ;
                 prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
        }""")
    sources = {source for source, _ in rows}
    assert len(sources & ARTICLES) >= 4, sources
    assert any("forcibly repatriating North Korean refugees" in exact for _, exact in rows)


def test_clinton_urges_every_country_on_9_march_2012(sparql):
    rows = sparql("""
        SELECT ?whom ?date ?topic ?exact WHERE {
          ?claim rdf:subject obid:hillary-clinton ; rdf:predicate ob:urges ; rdf:object ?o ;
                 ob:date ?date ; ob:topic ?t ;
                 prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
          ?o rdfs:label ?whom . ?t rdfs:label ?topic .
        }""")
    assert {(str(date), topic) for _, date, topic, _ in rows} >= {
        ("2012-03-09", "Convention relating to the Status of Refugees"),
        ("2012-03-09", "Protocol relating to the Status of Refugees")}
    assert all("We urge every country to act according to international obligations" in exact
               for *_, exact in rows)
    assert {whom for whom, *_ in rows} == {"every country (all states)"}


def test_the_50000_to_200000_estimate_is_a_range(sparql):
    rows = sparql("""
        SELECT ?label ?min ?max ?exact WHERE {
          ?claim rdf:subject ?stat ; rdf:predicate ob:hasValue ; rdf:object ?range ;
                 prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
          ?range a ob:Range ; ob:minValue ?min ; ob:maxValue ?max .
          ?stat a ob:Statistic ; rdfs:label ?label .
          FILTER(?min = 50000)
        }""")
    assert len(rows) == 1
    label, low, high, exact = rows[0]
    assert (low, high) == (50000, 200000)
    assert "50,000 to 200,000 North Koreans residing in China" in exact
    assert "North Koreans" in label


def test_sources_that_disagree_all_keep_their_claim(sparql):
    """Every source's partyTo claim for China survives: nothing is merged away."""
    rows = sparql("""
        SELECT DISTINCT ?source WHERE {
          ?claim rdf:subject obid:china ; rdf:predicate ob:partyTo ;
                 dcterms:source/dcterms:identifier ?source .
        }""")
    assert {source for source, in rows} >= {"001_84ad41ae37dad2cf", "003_503d341e454f2bd7",
                                             "004_635469bbd09945d7", "treaty-participation"}


def test_every_claim_says_who_states_it_and_how(sparql):
    rows = sparql("""
        SELECT ?stance (COUNT(?claim) AS ?n) WHERE {
          ?claim a ob:Claim ; ob:stance ?stance ; ob:statedBy ?who .
        } GROUP BY ?stance""")
    counts = {str(stance).rsplit("#")[-1]: n for stance, n in rows}
    assert counts["Asserts"] > 200 and counts["Denies"] >= 8 and counts["Alleges"] >= 1
    quoted = sparql("""
        SELECT DISTINCT ?who WHERE {
          ?claim ob:statedBy ?w ; dcterms:source ?s . ?w rdfs:label ?who .
          FILTER NOT EXISTS { ?s dcterms:creator ?w }
        }""")
    assert {"Hillary Clinton", "Tim Peters", "Ministry of Unification (South Korea)"} <= {w for w, in quoted}


def test_treaty_texts_establish_the_obligations(sparql):
    rows = sparql("""
        SELECT ?provision ?obligation WHERE {
          ?claim rdf:subject ?p ; rdf:predicate ob:establishesObligation ; rdf:object ?o ;
                 dcterms:source ?s . ?s a ob:TreatyText .
          ?p dcterms:identifier ?provision . ?o dcterms:identifier ?obligation .
        }""")
    assert set(rows) >= {
        ("refugee-convention-1951-art-33", "non-refoulement"),
        ("convention-against-torture-1984-art-3", "non-refoulement"),
        ("refugee-convention-1951-art-35", "cooperation-with-unhcr"),
        ("refugee-protocol-1967-art-ii", "cooperation-with-unhcr")}
    incorporated = sparql("""
        SELECT ?target WHERE { obid:refugee-protocol-1967-art-i ob:incorporatesProvision ?t .
                               ?t dcterms:identifier ?target }""")
    assert ("refugee-convention-1951-art-33",) in incorporated
