"""The data side of the interactive page: network.py against the RDF (counted independently with
SPARQL), and html.py's output without a browser. The network is read from a pyoxigraph Store of
the committed graph/obligraph.trig, as the build and `obligraph html` read it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import URIRef

import obligraph
from obligraph.views.html import page_data, to_html
from obligraph.views.network import to_network
from obligraph.graph.pipeline import PROJECT
from obligraph.graph.rdf import PREFIXES
from obligraph.graph.reasoning import to_store

OBID = str(PREFIXES["obid"])
NS = "\n".join(f"PREFIX {p}: <{n}>" for p, n in PREFIXES.items()) + """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""

ENTITIES = NS + """
SELECT DISTINCT ?e ?label ?type WHERE {
  GRAPH obg:entities { ?e a ?type ; rdfs:label ?label }
  GRAPH obg:ontology { ?type rdfs:subClassOf+ ob:Entity }
  FILTER(STRSTARTS(STR(?e), STR(obid:)))
}"""
# relations, three ways: claims between two entities (any stance); plain triples with a claim
# property in the source graphs; plain triples in obg:inferred. Both ends must be entities.
RELATIONS = [NS + """
SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?c a ob:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }""",
             NS + """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH obg:ontology { ?p a ob:ClaimProperty }
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), CONCAT(STR(obg:), "source/")))
}""",
             NS + "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH obg:inferred { ?s ?p ?o } FILTER(?p != rdf:type) }"]


def local(iri) -> str:
    return re.split(r"[#/]", str(iri))[-1]


@pytest.fixture(scope="module")
def dataset(bundled):
    return bundled[1]


@pytest.fixture(scope="module")
def store():
    """The committed build, every named graph, full texts included."""
    store = ox.Store()
    store.load(path=str(PROJECT / "graph" / "obligraph.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def network(store):
    return to_network(store)


def snapshot(network) -> str:
    """Nodes, edges, every attribute, in the graph's own order: equal strings, equal networks."""
    return json.dumps({"nodes": list(network.nodes(data=True)), "graph": network.graph,
                       "edges": list(network.edges(keys=True, data=True))}, ensure_ascii=False)


def rows(dataset, query):
    return [tuple(row) for row in dataset.query(query)]


def test_every_entity_is_a_node_once_with_its_label_and_type(dataset, network):
    expected: dict[str, tuple[str, set]] = {}
    for entity, label, cls in rows(dataset, ENTITIES):
        key = str(entity).removeprefix(OBID)
        expected.setdefault(key, (str(label), set()))[1].add(local(cls))
    assert len(expected) == 175
    assert sorted(network.nodes) == sorted(expected)
    for node, data in network.nodes(data=True):
        label, types = expected[node]
        assert data["label"] == label
        assert data["type"] in types
    assert network.nodes["china"]["type"] == "State"
    assert "PRC" in network.nodes["china"]["aliases"]


def test_every_relation_is_an_edge_once(dataset, network):
    entities = {str(e) for e, _, _ in rows(dataset, ENTITIES)}
    expected = {(str(s).removeprefix(OBID), str(o).removeprefix(OBID), local(p))
                for query in RELATIONS for s, p, o in rows(dataset, query)
                if str(s) in entities and str(o) in entities}
    edges = list(network.edges(keys=True))
    assert len(edges) == len(set(edges)) == len(expected)
    assert set(edges) == expected
    assert ("china", "non-refoulement", "potentiallyBreaches") in expected
    kinds = {key: network.edges[key]["kind"] for key in edges}
    assert kinds[("china", "non-refoulement", "potentiallyBreaches")] == "breach"
    assert kinds[("china", "refugee-convention-1951", "partyTo")] == "claim"


def test_claims_are_attributes_not_nodes_and_each_is_attached_once(dataset, network):
    claims = rows(dataset, NS + """
        SELECT ?c ?o WHERE { GRAPH ?g { ?c a ob:Claim ; rdf:object ?o } }""")
    on_edges = [c["id"] for _, _, d in network.edges(data=True) for c in d["claims"]]
    on_nodes = [c["id"] for _, d in network.nodes(data=True) for c in d["facts"]]
    assert len(on_edges) == len(set(on_edges)) and len(on_nodes) == len(set(on_nodes))
    assert sorted(on_edges + on_nodes) == sorted(str(c) for c, _ in claims)
    entity_objects = {str(c) for c, o in claims if isinstance(o, URIRef) and str(o).startswith(OBID)}
    assert set(on_edges) == entity_objects
    assert not any(str(n).startswith(("http", "obclaim")) for n in network.nodes)
    # denials have no plain triple but are drawn, with their stance
    stances = {c["stance"] for _, _, d in network.edges(data=True) for c in d["claims"]}
    assert {"asserts", "denies", "alleges", "recommends"} <= stances


def test_a_claim_carries_its_source_and_quote_in_context(network):
    claims = network.edges["china", "china-forced-repatriation", "hasPolicy"]["claims"]
    assert {c["source"] for c in claims} >= {"000_ac5578aea1761bdc", "003_503d341e454f2bd7"}
    claim = next(c for c in claims if c["source"] == "003_503d341e454f2bd7")
    assert claim["relation"] == "has policy" and claim["objectLabel"]
    assert claim["sourceTitle"] == "China’s Role"
    quote = claim["quotes"][0]
    assert "forcibly repatriating" in quote["exact"] and quote["prefix"] and quote["suffix"]
    literal = [c for c in network.nodes["china"]["facts"]] + [
        c for _, d in network.nodes(data=True) for c in d["facts"] if c["predicate"] == "hasValue"]
    assert literal and all(c["value"] is not None for c in literal)


def test_disagreements_sit_on_their_edge(network):
    edge = network.edges["china", "refugee-convention-1951", "partyTo"]
    date = next(d for d in edge["disagreements"] if d["aspect"] == "date")
    # one disagreement per aspect, its claims grouped by what they say (the year, for a date)
    assert [(s["says"], sorted(c["source"] for c in s["claims"])) for s in date["sides"]] == [
        ("1951", ["004_635469bbd09945d7"]), ("1982", ["001_84ad41ae37dad2cf", "treaty-participation"])]
    assert date["againstRecord"] is True
    assert [d["aspect"] for d in edge["disagreements"]] == ["date", "mode"]
    breach = network.edges["china", "non-refoulement", "potentiallyBreaches"]
    assert {c["kind"] for c in breach["conclusions"]} == {"PotentialBreach"}
    assert all(c["premises"] for c in breach["conclusions"])


def test_to_network_does_not_change_the_store(store):
    before = len(store)
    to_network(store)
    assert len(store) == before


def test_the_bundled_network_in_figures(network):
    assert (network.number_of_nodes(), network.number_of_edges()) == (175, 282)
    kinds = [d["kind"] for _, _, d in network.edges(data=True)]
    assert {k: kinds.count(k) for k in set(kinds)} == {"claim": 252, "inferred": 28, "breach": 2}
    assert sum(len(d["claims"]) for _, _, d in network.edges(data=True)) == 307
    assert sum(len(d["facts"]) for _, d in network.nodes(data=True)) == 34
    assert sum(len(d["conclusions"]) for _, _, d in network.edges(data=True)) == 58
    assert sum(len(d["disagreements"]) for _, _, d in network.edges(data=True)) == 6
    assert [s["id"] for s in network.graph["sources"]][:2] == ["000_ac5578aea1761bdc", "001_84ad41ae37dad2cf"]
    assert len(network.graph["sources"]) == 15
    china = network.nodes["china"]
    assert (china["iri"], china["sameAs"]) == ("https://w3id.org/obligraph/id/china", ["http://www.wikidata.org/entity/Q148"])
    breach = network.edges["china", "non-refoulement", "potentiallyBreaches"]
    assert (breach["kind"], breach["inferred"], breach["asserted"], breach["claims"]) == ("breach", True, False, [])
    assert breach["sources"] == ["000_ac5578aea1761bdc", "001_84ad41ae37dad2cf", "002_13d38fe2f37237c1",
                                 "003_503d341e454f2bd7", "004_635469bbd09945d7"]
    assert [c["rule"] for c in breach["conclusions"]] == ["potential-breach"] * 3
    assert breach["conclusions"][0]["fields"] == [
        ["policy", "China's forced repatriation of North Koreans"],
        ["provision", "Convention against Torture, article 3 (non-refoulement)"],
        ["boundSince", "1988-11-03"], ["policyEvidencedOn", "2012-03-12"], ["policyEvidencedOn", "2012-06-22"]]


def test_the_same_network_from_the_build_without_full_texts_and_from_a_dataset(store, network, dataset):
    """The build's store leaves out ob:fullText (Oxigraph refuses literals over 16 MiB): the
    network never reads it. A Dataset is still accepted (copied into a store first)."""
    full_text = ox.NamedNode(str(PREFIXES["ob"]) + "fullText")
    assert any(store.quads_for_pattern(None, full_text, None))
    built = to_store(dataset)
    assert not any(built.quads_for_pattern(None, full_text, None))
    assert snapshot(to_network(built)) == snapshot(network)
    assert snapshot(to_network(dataset)) == snapshot(network)


def test_page_data_layout_is_precomputed_and_physics_off(network):
    data = page_data(network)
    assert len(data["nodes"]) == network.number_of_nodes()
    assert len(data["edges"]) == network.number_of_edges()
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # no two on top
    assert all(len(n["title"]) < 240 for n in data["nodes"] + data["edges"])  # short tooltips


def crowded(network, claims: int = 25):
    """The bundled network with one edge holding ``claims`` claims: copies of its first one
    from other (invented) sources, and the reference record's row last."""
    import copy
    crowded = copy.deepcopy(network)
    edge = crowded.edges["china", "refugee-convention-1951", "partyTo"]
    record = next(c for c in edge["claims"] if c["source"] == "treaty-participation")
    first = edge["claims"][0]
    edge["claims"] = [dict(first, id=f"{first['id']}-copy-{i:02}", source=f"extra-{i:02}")
                      for i in range(claims - 1)] + [record]
    edge["stances"] = {name: sum(1 for c in edge["claims"] if c["stance"] == name) for name in edge["stances"]}
    return crowded


def test_page_lists_past_the_cap_show_the_record_first_and_count_the_rest(network):
    from obligraph.views.html import PAGE_LIST_MAX
    detail = page_data(crowded(network))["details"]["edges"]["china|partyTo|refugee-convention-1951"]
    assert (len(detail["claims"]), detail["claimCount"]) == (PAGE_LIST_MAX, 25)
    assert detail["claims"][0] == "treaty-participation/" + detail["claims"][0].split("/", 1)[1]
    # claims are keyed past the claim namespace, and carry no copy of their source's title
    claims = page_data(network)["details"]["claims"]
    assert all(not key.startswith("http") for key in claims) and len(claims) == len(
        {c["id"] for _, _, d in network.edges(data=True) for c in d["claims"]}
        | {c["id"] for _, d in network.nodes(data=True) for c in d["facts"]}
        | {p["id"] for _, _, d in network.edges(data=True) for c in d["conclusions"] for p in c["premises"]})
    assert not any("sourceTitle" in c for c in claims.values())


def test_page_is_deterministic_self_contained_and_committed(network, store):
    page = to_html(network)
    assert page == to_html(to_network(store))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"?https?:", page, re.I)
    assert "//cdn" not in page.lower()
    assert "bootstrap" not in page.lower()
    data = page.split('<script id="obligraph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["details"]["nodes"]["china"]["label"] == "China"
    assert page == (PROJECT / "graph" / "obligraph.html").read_text(encoding="utf-8"), \
        "graph/obligraph.html is stale: run `python build.py`"


def test_markup_from_sources_is_never_markup_in_the_page(tmp_path):
    from tests import xss_corpus
    corpus = xss_corpus.write(tmp_path)
    _, dataset = obligraph.assemble(paths=corpus.paths)
    page = to_html(to_network(to_store(dataset)))
    for dangerous in (xss_corpus.SCRIPT, xss_corpus.IMG, "<img", "onerror=\"window"):
        assert dangerous not in page
    assert page.count("</script>") == 3  # the data block, vis-network, our script


def test_the_html_command_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    result = subprocess.run([sys.executable, "-m", "obligraph.cli", "html", "--out", str(out)],
                            cwd=PROJECT, capture_output=True, text=True, check=True)
    assert f"wrote {out}" in result.stdout
    assert out.read_bytes() == (PROJECT / "graph" / "obligraph.html").read_bytes()
    missing = subprocess.run([sys.executable, "-m", "obligraph.cli", "html", "--graph",
                              str(tmp_path / "none.trig"), "--out", str(out)],
                             cwd=PROJECT, capture_output=True, text=True)
    assert missing.returncode == 1 and "run `obligraph build` first" in missing.stderr


LAYOUT_OF_A_LARGE_NETWORK = """
import json, networkx as nx
from obligraph.views.html import layout
graph = nx.barabasi_albert_graph(1500, 2, seed=3)
network = nx.MultiDiGraph()
network.add_nodes_from(f"n{i:04d}" for i in range(1600))  # 100 with no relation: their own components
network.add_edges_from((f"n{u:04d}", f"n{v:04d}", "rel") for u, v in graph.edges())
print(json.dumps(sorted(layout(network).items())))
"""


def test_the_layout_of_a_large_network_is_in_whole_pixels_apart_and_the_same_under_any_hash_seed():
    """Above FORCE_LAYOUT nodes in a component the layout is ours (networkx's is O(n²)): whole
    pixels, no two nodes on one, and the same bytes under different hash seeds."""
    import os
    runs = [subprocess.run([sys.executable, "-c", LAYOUT_OF_A_LARGE_NETWORK], cwd=PROJECT, check=True,
                           capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1]
    positions = json.loads(runs[0])
    assert len(positions) == 1600 and all(isinstance(x, int) and isinstance(y, int) for _, (x, y) in positions)
    assert len({tuple(p) for _, p in positions}) == 1600


STANCE_OF_CLAIMS = NS + """
SELECT ?s ?p ?o ?stance (COUNT(DISTINCT ?c) AS ?n) WHERE {
  GRAPH ?g { ?c a ob:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ob:stance ?stance }
  GRAPH obg:entities { ?o a ?type }
} GROUP BY ?s ?p ?o ?stance"""


def test_every_edge_carries_how_many_claims_take_each_stance(store, network):
    """The counts on each edge are the claims' ob:stance, counted with SPARQL; the edge's one
    word and its label follow the rule in network.stance_of."""
    expected: dict[tuple, dict] = {}
    for s, p, o, stance, n in store.query(STANCE_OF_CLAIMS):
        key = (s.value.removeprefix(OBID), o.value.removeprefix(OBID), local(p.value))
        expected.setdefault(key, {})[local(stance.value).lower()] = int(n.value)
    for source, target, key, data in network.edges(keys=True, data=True):
        counts = {k: v for k, v in data["stances"].items() if v}
        assert counts == expected.get((source, target, key), {}), (source, key, target)
        assert set(data["stances"]) == {"asserts", "alleges", "denies", "recommends"}
    nk = network.edges["north-korea", "refugee-convention-1951", "partyTo"]
    assert (nk["stances"], nk["stance"], nk["label"], nk["sources"]) == (
        {"asserts": 0, "alleges": 0, "denies": 1, "recommends": 0}, "denied", "not party to",
        ["treaty-participation"])
    china = network.edges["china", "refugee-convention-1951", "partyTo"]
    assert (china["stance"], china["label"]) == ("asserted", "party to")
    tortures = network.edges["china", "kim-young-hwan", "tortures"]
    assert (tortures["stances"]["alleges"], tortures["stances"]["denies"], tortures["stance"], tortures["label"]) == (
        1, 1, "disputed", "tortures (disputed: 1 denies)")
    accuses = network.edges["kim-young-hwan", "china", "accuses"]  # one asserts, one alleges: asserted
    assert (accuses["stances"]["asserts"], accuses["stances"]["alleges"], accuses["stance"]) == (1, 1, "asserted")
    urges = network.edges["china", "north-korean-refugees", "grantsRefugeeStatusTo"]
    assert (urges["stance"], urges["label"]) == ("recommended", "grants refugee status to (recommended)")
    breach = network.edges["china", "non-refoulement", "potentiallyBreaches"]
    assert (breach["stance"], breach["label"]) == ("inferred", "potentially breaches")
    stances = [d["stance"] for _, _, d in network.edges(data=True)]
    assert {s: stances.count(s) for s in set(stances)} == {
        "asserted": 230, "disputed": 1, "alleged": 3, "denied": 11, "recommended": 7, "inferred": 30}


def test_an_asserted_only_network_keeps_what_a_claim_asserts_and_what_the_rules_derive(network):
    from obligraph.views.network import asserted_only
    dropped = sorted((s, k, t) for s, t, k, d in network.edges(keys=True, data=True) if not asserted_only(d))
    assert len(dropped) == 22  # 11 denied, 3 alleged, 1 alleged and denied, 7 recommended
    assert ("north-korea", "partyTo", "refugee-convention-1951") in dropped
    assert ("china", "tortures", "kim-young-hwan") in dropped
    assert all(network.edges[s, t, k]["stances"]["asserts"] == 0 for s, k, t in dropped)
    kept = network.edges["kim-young-hwan", "china", "accuses"]
    assert asserted_only(kept) and asserted_only(network.edges["china", "non-refoulement", "potentiallyBreaches"])


@pytest.mark.parametrize("counts, inferred, stance", [
    ({"asserts": 2}, False, "asserted"),
    ({"asserts": 1, "alleges": 1, "recommends": 3}, False, "asserted"),
    ({"asserts": 1, "denies": 1}, False, "disputed"),
    ({"alleges": 1, "denies": 2}, False, "disputed"),
    ({"alleges": 2, "recommends": 1}, False, "alleged"),
    ({"denies": 1}, False, "denied"),
    ({"denies": 1, "recommends": 1}, False, "denied"),
    ({"recommends": 4}, False, "recommended"),
    ({}, True, "inferred"),
    ({}, False, "asserted"),  # a plain triple with no claim: only an asserting claim writes one
])
def test_the_stance_of_an_edge_with_claims_of_several_stances(counts, inferred, stance):
    from obligraph.views.network import stance_label, stance_of
    assert stance_of(counts, inferred=inferred) == stance
    label = stance_label("party to", stance, counts)
    assert label == {"denied": "not party to", "alleged": "party to (alleged)",
                     "recommended": "party to (recommended)",
                     "disputed": f"party to (disputed: {counts.get('denies')} denies)"}.get(stance, "party to")


def test_page_data_draws_a_denied_relation_unlike_an_asserted_one(network):
    from obligraph.views.html import EDGE_STYLE
    data = page_data(network)
    edges = {e["id"]: e for e in data["edges"]}
    denied, asserted = edges["north-korea|partyTo|refugee-convention-1951"], edges["china|partyTo|refugee-convention-1951"]
    assert (denied["label"], denied["legend"], denied["dashes"], denied["arrows"]["to"]["type"]) == (
        "not party to", "denied", [6, 3], "bar")
    assert denied["title"].startswith("North Korea — not party to → ") and denied["title"].endswith("· 1 claim: 1 denies")
    assert (asserted["label"], asserted["legend"], asserted["dashes"], "arrows" in asserted) == (
        "party to", "asserted", False, False)
    assert denied["color"]["color"] != asserted["color"]["color"]
    looks = {(str(s["color"]), str(s["dashes"])) for s in EDGE_STYLE.values()}
    assert len(looks) == len(EDGE_STYLE), "every legend entry has its own colour and dashes"
    assert edges["china|tortures|kim-young-hwan"]["label"] == "tortures (disputed: 1 denies)"
    assert edges["china|tortures|kim-young-hwan-colleagues"]["legend"] == "alleged"
    assert edges["china|grantsRefugeeStatusTo|north-korean-refugees"]["legend"] == "recommended"
    detail = data["details"]["edges"]["north-korea|partyTo|refugee-convention-1951"]
    assert (detail["stance"], detail["stances"], detail["label"], detail["relation"]) == (
        "denied", {"asserts": 0, "alleges": 0, "denies": 1, "recommends": 0}, "not party to", "party to")
    assert [(k["kind"], k["count"]) for k in data["edgeKinds"]] == [
        ("asserted", 230), ("disputed", 1), ("alleged", 3), ("denied", 11), ("recommended", 7),
        ("breach", 2), ("inferred", 28)]


def test_a_curators_reading_is_read_where_the_graph_says_so():
    """ob:restsOnCuratorReading true on a conclusion and ob:curatorReading true on a claim reach
    the network (the page says so); where the graph does not say it, nothing is added."""
    marked = ox.Store()
    marked.load(path=str(PROJECT / "graph" / "obligraph.trig"), format=ox.RdfFormat.TRIG)
    plain = to_network(marked)
    edge = plain.edges["china", "non-refoulement", "potentiallyBreaches"]
    conclusion = edge["conclusions"][0]["id"]
    claim = plain.edges["north-korea", "refugee-convention-1951", "partyTo"]["claims"][0]["id"]
    ob, true = str(PREFIXES["ob"]), ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    marked.add(ox.Quad(ox.NamedNode(conclusion), ox.NamedNode(ob + "restsOnCuratorReading"), true,
                       ox.NamedNode(str(PREFIXES["obg"]) + "inferred")))
    graph = next(q.graph_name for q in marked.quads_for_pattern(ox.NamedNode(claim), None, None))
    marked.add(ox.Quad(ox.NamedNode(claim), ox.NamedNode(ob + "curatorReading"), true, graph))
    again = to_network(marked)
    conclusions = again.edges["china", "non-refoulement", "potentiallyBreaches"]["conclusions"]
    assert [c.get("curatorReading", False) for c in conclusions] == [True] + [
        c.get("curatorReading", False) for c in edge["conclusions"][1:]]
    assert again.edges["north-korea", "refugee-convention-1951", "partyTo"]["claims"][0]["curatorReading"] is True
    assert "curatorReading" not in plain.edges["north-korea", "refugee-convention-1951", "partyTo"]["claims"][0]
