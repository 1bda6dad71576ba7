"""The named queries on their real rows, and `obligraph query` / `obligraph queries` as users see them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import obligraph
from obligraph.cli import main
from obligraph.answer.query import library, open_store

ID = "https://w3id.org/obligraph/id/"


def short(value) -> str:
    return str(value).removeprefix(ID).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.fixture(scope="module")
def run(store):
    def rows(name, **params):
        return obligraph.query(name, store=store, **params)
    return rows


def cli(*args):
    return CliRunner().invoke(main, list(args))


def test_library_has_every_question_with_a_header():
    named = {q.name: q for q in library()}
    assert set(named) == {"obligations-by-state", "policy-conflicts", "treaty-participation",
                          "contradictions", "evidence-for", "statistics", "advocacy",
                          "consequences-of-return", "timeline", "sources", "entities-without-authority",
                          "treaty-status", "treaty-participants", "reservations", "obligations-of-kind",
                          "citations"}
    assert all(q.title and q.question.endswith("?") or q.question.endswith(".") for q in named.values())
    assert [(p.name, p.required) for p in named["evidence-for"].parameters] == [("entity", True)]


def test_obligations_by_state(run):
    rows = run("obligations-by-state", state="china")
    assert {(short(r["obligation"]), short(r["provision"]), r["since"]) for r in rows} >= {
        # from entry into force for China: the Convention's 90th day, CAT's 30th, the Protocol's deposit
        ("non-refoulement", "refugee-convention-1951-art-33", "1982-12-23"),
        ("non-refoulement", "convention-against-torture-1984-art-3", "1988-11-03"),
        ("cooperation-with-unhcr", "refugee-convention-1951-art-35", "1982-12-23"),
        ("cooperation-with-unhcr", "refugee-protocol-1967-art-ii", "1982-09-24")}
    assert {short(r["state"]) for r in rows} == {"china"}
    assert {short(r["provision"]) for r in run("obligations-by-state", state="north-korea")} >= {
        "iccpr-1966-art-7", "iccpr-1966-art-12"}


def test_policy_conflicts_lists_chinas_breaches_with_dates_and_quotes(run):
    everything = run("policy-conflicts")
    assert {short(r["state"]) for r in everything} == {"china", "north-korea"}
    assert {r["basis"].rsplit("#", 1)[-1] for r in everything} == {"StatedBySource", "DerivedByKind"}
    rows = [r for r in everything if r["basis"].endswith("#StatedBySource")]  # what a source states
    assert {short(r["state"]) for r in rows} == {"china"} and not any(r["kind"] for r in rows)
    art33 = next(r for r in rows if short(r["provision"]) == "refugee-convention-1951-art-33"
                 and r["through"] is None)
    assert short(r["policy"] if (r := art33) else "") == "china-forced-repatriation"
    assert art33["boundSince"] == "1982-12-23" and art33["policyEvidencedFrom"] == "2012-03-12"
    # every quote with its source and offsets
    assert "China’s Role [299–364]: “China has a policy of forcibly repatriating North Korean refugees" \
        in art33["policyQuotes"]
    assert "in total disregard of the international principle of\xa0non-refoulement" in art33["contraventionQuotes"]
    assert art33["provisionQuote"].startswith(
        "Convention relating to the Status of Refugees (189 UNTS 137), excerpts (United Nations, 1951-07-28) [")
    assert "]: “No Contracting State shall expel or return" in art33["provisionQuote"]
    assert art33["consentQuote"].startswith(
        "UN Treaty Collection status (as of 14 March 2015): Convention relating to the Status of Refugees (United Nations) [") and art33["consentQuote"].endswith("]: “China,,24 Sep 1982 a”")
    unhcr = {short(r["provision"]) for r in rows if short(r["policy"]) == "china-unhcr-access-denial"}
    assert unhcr == {"refugee-convention-1951-art-35", "refugee-protocol-1967-art-ii"}


def test_treaty_participation_compares_sources_with_the_record(run):
    rows = run("treaty-participation", state="china")
    convention = {(r["sourceId"], short(r["mode"]) if r["mode"] else None, r["date"], r["recordStatus"],
                   r["recordDate"]) for r in rows if short(r["treaty"]) == "refugee-convention-1951"}
    assert ("004_635469bbd09945d7", "Unspecified", "1951", "accession", "1982-09-24") in convention
    assert ("001_84ad41ae37dad2cf", "Signature", "1982", "accession", "1982-09-24") in convention
    assert not any(r["sourceId"].startswith("untc-") for r in rows)  # the record's own rows: treaty-status
    north_korea = run("treaty-participation", state="north-korea")
    refugee = [r for r in north_korea if short(r["treaty"]).startswith("refugee-")]
    assert {(r["recordStatus"], r["recordAsOf"]) for r in refugee} <= {("not party", "2015-03-14")}


def test_contradictions_lists_each_side_with_its_quote_and_the_record_date(run):
    rows = run("contradictions", subject="china")
    convention = [r for r in rows if r["aspect"] == "date" and short(r["object"]) == "refugee-convention-1951"]
    says = {r["sourceId"]: r["says"] for r in convention}
    assert says == {"001_84ad41ae37dad2cf": "1982", "004_635469bbd09945d7": "1951",
                    "untc-status-5-2": "1982-09-24"}
    assert all(r["recordSays"] == "1982-09-24" for r in convention)
    # compared at the precision each source gives: "1982" agrees with the record's 1982-09-24
    agrees = {r["sourceId"]: r["agreesWithRecord"] for r in convention}
    assert agrees == {"001_84ad41ae37dad2cf": True, "004_635469bbd09945d7": False,
                      "untc-status-5-2": True}
    quotes = " ".join(r["quote"] for r in convention)
    assert "China did in 1982 sign the 1951 Refugee Convention" in quotes and "in 1951" in quotes
    signatories = [r for r in run("contradictions") if r["aspect"] == "mode" and r["sourceId"] == "000_ac5578aea1761bdc"]
    assert {short(r["subject"]) for r in signatories} == {"china", "russia"}
    assert all(r["says"] == "signature" and r["recordSays"] == "accession"
               and r["agreesWithRecord"] is False for r in signatories)
    stance = [r for r in rows if r["aspect"] == "stance"]
    assert stance and all(r["recordSays"] is None and r["agreesWithRecord"] is None for r in stance)
    # one row per claim on each disputed fact, never a pair of claims twice
    keys = [(r["subject"], r["relation"], r["object"], r["aspect"], r["sourceId"], r["quote"]) for r in run("contradictions")]
    assert len(keys) == len(set(keys))


def test_evidence_for_an_entity(run):
    rows = run("evidence-for", entity="hillary-clinton")
    assert {short(r["predicate"]) for r in rows} >= {"urges"}
    for row in rows:
        assert row["source"] and row["sourceId"] and row["quote"] and row["end"] > row["start"]
    # a source by its title, publisher and date, never by its id alone
    assert any(r["source"] == "The Repatriation of North Korean Refugees (2012-03-12)"
               and r["sourceId"] == "002_13d38fe2f37237c1" for r in rows)


def test_statistics(run):
    rows = {short(r["statistic"]): r for r in run("statistics")}
    estimate = rows["stat-nk-residing-in-china"]
    assert (estimate["min"], estimate["max"], estimate["unit"]) == (50000, 200000, "person")
    average = rows["stat-nk-forcibly-repatriated-from-china-average"]
    assert (average["value"], average["approximate"]) == (5000, True)
    assert rows["stat-nk-repatriated-from-china-2012-feb-mar"]["atLeast"] is True
    assert {r["sourceId"] for r in rows.values()} >= {"000_ac5578aea1761bdc", "001_84ad41ae37dad2cf",
                                                     "002_13d38fe2f37237c1", "004_635469bbd09945d7"}


def test_advocacy(run):
    rows = run("advocacy", actor="hillary-clinton")
    assert {(r["date"], short(r["relation"]), short(r["topic"])) for r in rows} == {
        ("2012-03-09", "urges", "refugee-convention-1951"), ("2012-03-09", "urges", "refugee-protocol-1967")}
    everyone = run("advocacy")
    assert ("tim-peters", "urges") in {(short(r["actor"]), short(r["relation"])) for r in everyone}


def test_consequences_of_return(run):
    rows = run("consequences-of-return")
    by_harm = {}
    for row in rows:
        by_harm.setdefault(short(row["harm"]), set()).add(row["sourceId"])
    # 001 says "even death", which is not execution
    assert by_harm["execution"] == {"000_ac5578aea1761bdc", "002_13d38fe2f37237c1", "003_503d341e454f2bd7"}
    assert by_harm["death"] == {"001_84ad41ae37dad2cf"}
    assert {"torture", "forced-labour", "prison-camp-detention"} <= set(by_harm)


def test_timeline_is_in_order(run):
    rows = run("timeline")
    dates = [r["when"] for r in rows]
    assert dates == sorted(dates)
    assert ("2012-03-09", "hillary-clinton") in {(r["when"], short(r["subject"])) for r in rows}


def test_sources_with_claim_counts(run, bundled):
    corpus, _ = bundled
    rows = {r["source"]: r for r in run("sources")}
    assert set(rows) == {s.id for s in corpus.sources}
    for source in corpus.sources:
        assert rows[source.id]["claims"] == sum(1 for c in corpus.claims if c.source_id == source.id)


def test_cli_table_fits_80_columns_and_shows_labels():
    result = cli("query", "obligations-by-state", "--param", "state=china")
    assert result.exit_code == 0
    assert "China" in result.output and "Non-refoulement" in result.output
    assert "https://" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_cli_json_is_sparql_results_json():
    result = cli("query", "advocacy", "--param", "actor=hillary-clinton", "--format", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"][:3] == ["date", "actor", "relation"]
    binding = data["results"]["bindings"][0]
    assert binding["actor"] == {"type": "uri", "value": ID + "hillary-clinton"}
    assert binding["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_cli_csv_and_tsv_follow_the_spec():
    rows = list(csv.reader(io.StringIO(cli("query", "sources", "--format", "csv").output)))
    assert rows[0] == ["source", "kind", "title", "author", "publisher", "date", "url", "claims", "quotes"]
    assert ["000_ac5578aea1761bdc", "https://w3id.org/obligraph/ontology#Article"] == rows[1][:2]
    tsv = cli("query", "sources", "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t")[:2] == ["?source", "?kind"]
    assert tsv[1].split("\t")[:2] == ['"000_ac5578aea1761bdc"', "<https://w3id.org/obligraph/ontology#Article>"]


def test_cli_errors():
    unknown = cli("query", "polcy-conflicts")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: no named query 'polcy-conflicts'\n  → did you mean policy-conflicts? available: advocacy, ")
    syntax = cli("query", "-e", "SELECT ?x WHERE {\n  ?x a }")
    assert syntax.exit_code == 2
    assert syntax.stderr.startswith("error: query: line 2, column 9: SPARQL syntax error:")
    missing = cli("query", "evidence-for")
    assert (missing.exit_code, missing.stderr) == (
        2, "error: query evidence-for needs --param entity=ID\n  → an entity id, e.g. china\n")
    typo = cli("query", "evidence-for", "--param", "entity=chian")
    assert typo.stderr == "error: parameter entity='chian': no such entity\n  → did you mean china?\n"
    # south-korea is close too, but less so than north-korea: only the closest few are named
    korea = cli("query", "evidence-for", "--param", "entity=north-kora")
    assert korea.stderr.endswith("  → did you mean north-korea?\n")
    nothing = cli("query", "evidence-for", "--param", "entity=xyzzy")
    assert nothing.stderr == ("error: parameter entity='xyzzy': no such entity\n"
                              "  → entity ids are in the registry (sources/entities.yaml, sources/entities/)\n")


def test_parameters_are_bound_not_pasted():
    """A value that would be an injection if pasted into the text is refused as a term."""
    result = cli("query", "evidence-for", "--param", "entity=china> } UNION { ?s ?p ?o")
    assert result.exit_code == 2
    assert "is not an entity id or an IRI" in result.stderr


def test_queries_lists_the_library():
    result = cli("queries")
    assert result.exit_code == 0
    assert "evidence-for --param entity=…\n    Evidence for an entity: Every claim about one entity" in result.output
    assert result.output.count("\n    ") == len(library())


def test_entities_without_authority(run):
    rows = {short(r["entity"]): short(r["type"]) for r in run("entities-without-authority")}
    assert rows["us-senate"] == "GovernmentBody" and rows["refugee-convention-1951"] == "Treaty"
    assert "china" not in rows and "unhcr" not in rows  # verified QIDs Q148, Q132551


def test_parameters_open_the_where_group_as_values_only_where_that_keeps_the_meaning():
    """A leading VALUES block is what Oxigraph's optimiser joins first (a substitution narrows
    nothing); it is used only where it means the same as the substitution."""
    from obligraph.answer.query import parameter_iri, with_values_first
    china = {"state": parameter_iri("china", "state")}
    assert with_values_first('PREFIX ob: <urn:x>\n# a { in a comment\nSELECT ("{" AS ?b) ?state '
                             "WHERE { ?state ?p ?o }", china) == (
        'PREFIX ob: <urn:x>\n# a { in a comment\nSELECT ("{" AS ?b) ?state WHERE { '
        "VALUES ?state { <https://w3id.org/obligraph/id/china> } ?state ?p ?o }")
    assert with_values_first("SELECT (EXISTS { ?state ?p ?o } AS ?e) { ?state ?q ?r }", china) == (
        "SELECT (EXISTS { ?state ?p ?o } AS ?e) { VALUES ?state { <https://w3id.org/obligraph/id/china> } ?state ?q ?r }")
    assert with_values_first("CONSTRUCT { ?state ?p ?o } WHERE { ?state ?p ?o }", china) is None
    assert with_values_first("SELECT * WHERE { ?s ?p ?o }", china) is None, "a parameter it never names"
    assert with_values_first("SELECT * WHERE { ?state ?p ?o }", {}) is None


def test_a_parameter_narrows_the_query_before_it_runs(store):
    """The same rows as a substitution, which Oxigraph applies after the pattern is evaluated."""
    import pyoxigraph as ox

    from obligraph.answer.query import parameter_iri, resolve
    named = resolve("evidence-for")
    entity = parameter_iri("hillary-clinton", "entity")
    substituted = [tuple(map(str, row)) for row in store.query(
        named.text, use_default_graph_as_union=True, substitutions={ox.Variable("entity"): entity})]
    assert [tuple(map(str, row)) for row in obligraph.query(named.name, store=store, entity="hillary-clinton")] \
        != [] and len(substituted) == 5  # her claims in 002, her office (leads) among them
    from obligraph.answer.query import execute
    assert [tuple(map(str, row)) for row in execute(named, store, {"entity": "hillary-clinton"})] == substituted


DESCRIBE_CHINA = "DESCRIBE <https://w3id.org/obligraph/id/china>"


def test_describe_gives_each_triple_once_everywhere(store):
    """Over the union of the named graphs Oxigraph gives a DESCRIBE's triple once per graph that
    holds it (69 statements, 40 distinct, before): the CLI, the API and the endpoint give a set."""
    from werkzeug.test import Client

    from obligraph.answer.endpoint import make_app
    import pyoxigraph as ox
    raw = list(store.query(DESCRIBE_CHINA, use_default_graph_as_union=True))
    distinct = set(raw)
    assert len(raw) > len(distinct) > 20  # the duplication this guards against is real
    assert len(obligraph.query(DESCRIBE_CHINA, store=store)) == len(distinct)
    turtle = cli("query", "-e", DESCRIBE_CHINA)
    assert turtle.exit_code == 0
    assert set(quad.triple for quad in ox.parse(turtle.output.encode(), format=ox.RdfFormat.TURTLE)) == distinct
    assert len(list(ox.parse(turtle.output.encode(), format=ox.RdfFormat.TURTLE))) == len(distinct)
    served = Client(make_app(store)).get("/sparql", query_string={"query": DESCRIBE_CHINA},
                                         headers={"Accept": "application/n-triples"})
    assert len(served.data.splitlines()) == len(distinct)


def test_construct_as_json_is_json_ld_and_as_csv_is_refused():
    import pyoxigraph as ox
    as_json = cli("query", "-e", DESCRIBE_CHINA, "--format", "json")
    assert as_json.exit_code == 0
    document = json.loads(as_json.output)
    assert document[0]["@id"] == ID + "china"
    assert len(list(ox.parse(as_json.output.encode(), format=ox.RdfFormat.JSON_LD))) > 20
    for fmt in ("csv", "tsv"):
        refused = cli("query", "-e", DESCRIBE_CHINA, "--format", fmt)
        assert refused.exit_code == 2
        assert refused.output == (
            f"error: a CONSTRUCT or DESCRIBE query gives triples, not rows: --format {fmt} is for SELECT\n"
            "  → use --format table (Turtle) or --format json (JSON-LD)\n")


def test_an_update_is_refused_as_an_update():
    result = cli("query", "-e", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert result.exit_code == 2
    assert result.output == (
        "error: query: SPARQL Update is not supported: the graph is built from the sources, not edited\n"
        "  → change the files in sources/ and run `obligraph build`; to edit a copy, `obligraph "
        "push` it to a writable store\n")
