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
    # the depositary's record: China's row of the Convention's status, quoted whole
    assert by_source["untc-status-5-2"] == ("1982-09-24", "Accession", "China,,24 Sep 1982 a")


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
                                             "004_635469bbd09945d7", "untc-status-5-2"}


def test_every_claim_says_who_states_it_and_how(sparql):
    rows = sparql("""
        SELECT ?stance (COUNT(?claim) AS ?n) WHERE {
          ?claim a ob:Claim ; ob:stance ?stance ; ob:statedBy ?who .
        } GROUP BY ?stance""")
    counts = {str(stance).rsplit("#")[-1]: n for stance, n in rows}
    # 001 denies China enacted asylum legislation, China's foreign ministry denies the torture
    assert counts["Asserts"] > 200 and counts["Denies"] >= 2 and counts["Alleges"] >= 1
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


def _claims(sparql, where: str) -> set[tuple]:
    """(source, id, subject, predicate, object or value, topic) of the claims matching ``where``."""
    def short(term):
        return None if term is None else str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    rows = sparql("""
        SELECT ?source ?id ?s ?p ?o ?topic WHERE {
          ?c a ob:Claim ; dcterms:source/dcterms:identifier ?source ; dcterms:identifier ?id ;
             rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          OPTIONAL { ?c ob:topic ?topic } """ + where + "}")
    return {(str(source), str(i), short(s), short(p), short(o), short(t)) for source, i, s, p, o, t in rows}


def test_what_003_says_of_international_law_and_refugees_sur_place(sparql):
    found = _claims(sparql, 'FILTER(STR(?source) = "003_503d341e454f2bd7" && STR(?id) IN ("c26", "c31", "c32", "c33", "c34", "c35"))')
    assert found == {
        ("003_503d341e454f2bd7", "c26", "convention-against-torture-1984", "establishesObligation",
         "non-refoulement", None),
        ("003_503d341e454f2bd7", "c31", "north-korean-refugees", "hasStatus", "refugee", None),
        ("003_503d341e454f2bd7", "c32", "international-law", "establishesObligation", "non-refoulement", None),
        ("003_503d341e454f2bd7", "c33", "non-refoulement", "principleOf", "international-law", None),
        ("003_503d341e454f2bd7", "c34", "non-refoulement", "principleOf", "asylum-law", None),
        ("003_503d341e454f2bd7", "c35", "non-refoulement", "principleOf", "international-refugee-law", None)}
    roles = sparql("""SELECT ?o ?role WHERE { ?c rdf:subject obid:non-refoulement ;
                      rdf:predicate ob:principleOf ; rdf:object/dcterms:identifier ?o ; ob:role ?role }""")
    assert sorted(roles) == [("asylum-law", "cornerstone"), ("international-refugee-law", "cornerstone")]


def test_the_convention_contains_non_refoulement_in_001(sparql):
    rows = sparql("""
        SELECT ?exact ?reading WHERE {
          ?c rdf:subject obid:refugee-convention-1951 ; rdf:predicate ob:establishesObligation ;
             rdf:object obid:non-refoulement ; dcterms:source obsrc:001_84ad41ae37dad2cf ;
             ob:statedBy obid:evan-jones ;
             prov:wasDerivedFrom/oa:hasTarget/oa:hasSelector/oa:exact ?exact .
          OPTIONAL { ?c ob:curatorReading ?reading } }""")
    assert rows == [("This treaty contains a series of international legal obligations, including the "
                     "fundamental tenet of non-refoulement: not sending someone back to a country where "
                     "their life or liberty may be threatened.", None)]


def test_emily_dyer_says_china_is_a_safe_haven_for_traffickers_not_that_it_traffics(sparql):
    found = _claims(sparql, 'FILTER(STR(?source) = "000_ac5578aea1761bdc" && STR(?id) IN ("c39", "c54"))')
    assert found == {
        ("000_ac5578aea1761bdc", "c39", "china", "providesSafeHavenFor", "sex-traffickers", None),
        ("000_ac5578aea1761bdc", "c54", "china-forced-repatriation", "disregards", "human-rights-violations", None)}
    assert sparql("""SELECT ?c WHERE { ?c rdf:subject obid:emily-dyer ; rdf:predicate ob:accuses }""") == []


def test_predicates_say_what_the_words_say(sparql):
    found = _claims(sparql, 'FILTER(?p IN (ob:passes, ob:enacts, ob:assists, ob:assistsEscape, '
                            'ob:urgesToStop, ob:urgesToReconsider, ob:ranks, ob:classifiesAs) '
                            '&& STR(?source) = "004_635469bbd09945d7" || ?p = ob:urgesToStop)')
    assert {row for row in found if row[3] != "classifiesAs"} == {
        ("002_13d38fe2f37237c1", "c46", "south-korea", "urgesToStop", "china", "china-forced-repatriation"),
        ("004_635469bbd09945d7", "c16", "kim-young-hwan", "assists", "north-korean-refugees", None),
        ("004_635469bbd09945d7", "c24", "china", "enacts", "china-north-korea-bilateral-agreement", None),
        ("004_635469bbd09945d7", "c36", "south-korea", "urgesToReconsider", "china", "china-forced-repatriation"),
        ("004_635469bbd09945d7", "c37", "china", "urgesToStop", "south-korea",
         "south-korea-assistance-to-nk-defectors"),
        ("004_635469bbd09945d7", "c42", "brokers", "assistsEscape", "north-korean-refugees", None),
        ("004_635469bbd09945d7", "c63", "us-department-of-state", "ranks", "north-korea", None),
        ("004_635469bbd09945d7", "c66", "us-senate", "passes", "us-senate-north-korea-human-rights-bill-2012", None),
        ("004_635469bbd09945d7", "c82", "cheong-ju-kim", "urgesToReconsider", "china",
         "china-refugee-status-refusal"),
        ("004_635469bbd09945d7", "c83", "neighbouring-states", "assists", "north-korean-refugees", None)}
    ranks = sparql("SELECT ?v WHERE { ?c rdf:predicate ob:ranks ; ob:value ?v }")
    assert ranks == [("TIER 3",)]
    classified = sparql("""SELECT ?v WHERE { ?c rdf:subject obid:us-department-of-state ;
                           rdf:predicate ob:classifiesAs ; rdf:object obid:north-korea ; ob:value ?v }""")
    assert classified == [("reported no efforts to identify or assist trafficking victims",)]


def test_places_harms_and_people_keep_their_own_names(sparql):
    alt = {(str(e).rsplit("/", 1)[-1], str(a)) for e, a in sparql(
        "SELECT ?e ?a WHERE { ?e skos:altLabel ?a }")}
    assert ("northeast-china", "Northern China") not in alt
    assert ("hillary-clinton", "U.S. Secretary of State") not in alt
    assert ("execution", "death") not in alt
    where = sparql("""SELECT ?place WHERE { obid:nk-refugee-roundup-china-2012 ob:occurredIn ?p .
                      ?p rdfs:label ?place }""")
    assert where == [("Northern China",)]
    faced = sparql("""SELECT ?harm WHERE { ?c rdf:predicate ob:facesOnReturn ; rdf:object/rdfs:label ?harm ;
                      dcterms:source obsrc:001_84ad41ae37dad2cf }""")
    assert "death" in {h for h, in faced} and "execution" not in {h for h, in faced}
    office = sparql("""SELECT ?role ?date WHERE { ?c rdf:subject obid:hillary-clinton ; rdf:predicate ob:leads ;
                       rdf:object obid:us-department-of-state ; ob:role ?role ; ob:date ?date }""")
    assert [(r, str(d)) for r, d in office] == [("U.S. Secretary of State", "2012-03-09")]


def test_an_indefinite_quantity_is_kept_in_the_sources_words(sparql):
    rows = sparql("""SELECT ?v ?atLeast WHERE { ?c rdf:subject obid:stat-north-koreans-escaped ;
                     rdf:predicate ob:hasValue ; ob:value ?v . OPTIONAL { ?c ob:atLeast ?atLeast } }""")
    assert rows == [("thousands", None)]
    assert sparql("SELECT ?e WHERE { ?e dcterms:identifier ?id FILTER(REGEX(?id, '-[0-9]{4}-02-03$')) }") == []


def test_former_relations_are_marked_and_not_plain(sparql):
    rows = sparql("""SELECT ?s ?o WHERE { ?c ob:former true ; rdf:subject/dcterms:identifier ?s ;
                     rdf:object/dcterms:identifier ?o }""")
    assert sorted(rows) == [("emily-dyer", "dfe-preventing-extremism-unit"), ("emily-dyer", "policy-exchange"),
                            ("kim-young-hwan", "kim-il-sung")]
    assert sparql("SELECT ?p WHERE { obid:kim-young-hwan ?p obid:kim-il-sung }") == []


def test_policy_conflicts_answers_are_typed_and_say_what_rests_on_a_curators_reading(bundled):
    import pyoxigraph as ox

    from obligraph.graph.pipeline import PROJECT
    _, dataset = bundled
    store = ox.Store()
    store.load(dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    text = (PROJECT / "queries" / "policy-conflicts.rq").read_text(encoding="utf-8")
    every = list(store.query(text, use_default_graph_as_union=True))
    assert len(every) == 15  # 5 a source states, 10 derived by kind (tests/test_kinds.py)
    rows = [row for row in every if row["basis"].value.endswith("#StatedBySource")]
    assert len(rows) == 5
    xsd = "http://www.w3.org/2001/XMLSchema#"
    first = rows[0]
    assert (first["boundSince"].value, first["boundSince"].datatype.value) == ("1982-09-24", xsd + "date")
    assert (first["policyEvidencedFrom"].value, first["policyEvidencedFrom"].datatype.value) == (
        "2012-03-12", xsd + "date")
    # each has an author's statement that the policy contravenes the duty beside a curator's reading
    assert {(row["restsOnCuratorReading"].value, row["restsOnCuratorReading"].datatype.value)
            for row in rows} == {("false", xsd + "boolean")}
    # a kind is always the curator's reading: every conflict derived by kind rests on one
    assert {row["restsOnCuratorReading"].value for row in every if row not in rows} == {"true"}
    art33 = first["contraventionQuotes"].value
    assert art33.startswith("North Koreans can’t escape human rights abuses even after fleeing to China [1576–1661] (curator's reading): “The decision by the Chinese government")
    assert "| China’s Role [299–434]: “China has a policy of forcibly repatriating North Korean refugees, in " \
           "total disregard" in art33
