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
from obligraph.views.html import page_data, page_json, store_html, to_html
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
    assert len(expected) == 433  # 196 of them states: every participant in the depositary record
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


def record_row(edge) -> dict:
    """The depositary record's claim on an edge (its source is of kind ob:ReferenceRecord)."""
    return next(c for c in edge["claims"] if c["sourceKind"] == "ReferenceRecord")


def test_disagreements_sit_on_their_edge(network):
    edge = network.edges["china", "refugee-convention-1951", "partyTo"]
    date = next(d for d in edge["disagreements"] if d["aspect"] == "date")
    row = record_row(edge)
    assert (row["date"], row["mode"], row["quotes"][0]["exact"]) == ("1982-09-24", "accession", "China,,24 Sep 1982 a")
    # one disagreement per aspect, its claims grouped by what they say (the year, for a date)
    assert [(s["says"], sorted(c["source"] for c in s["claims"])) for s in date["sides"]] == [
        ("1951", ["004_635469bbd09945d7"]), ("1982", sorted(["001_84ad41ae37dad2cf", row["source"]]))]
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
    assert (network.number_of_nodes(), network.number_of_edges()) == (433, 8673)
    kinds = [d["kind"] for _, _, d in network.edges(data=True)]
    assert {k: kinds.count(k) for k in set(kinds)} == {"claim": 6555, "inferred": 2114, "breach": 4}
    assert sum(len(d["claims"]) for _, _, d in network.edges(data=True)) == 7628
    assert sum(len(d["facts"]) for _, d in network.nodes(data=True)) == 106  # 003 c31 is now a hasStatus relation
    conclusions = [c["kind"] for _, _, d in network.edges(data=True) for c in d["conclusions"]]
    assert {k: conclusions.count(k) for k in set(conclusions)} == {
        "Consent": 3513, "BoundBy": 2372, "SignatureDuty": 346, "PotentialBreach": 15,
        "ReservationAgainstClause": 5, "Compliance": 2}
    assert sum(len(d["disagreements"]) for _, _, d in network.edges(data=True)) == 7  # with refugee status
    assert [s["id"] for s in network.graph["sources"]][:2] == ["000_ac5578aea1761bdc", "001_84ad41ae37dad2cf"]
    assert len(network.graph["sources"]) == 83
    assert sum(1 for s in network.graph["sources"] if s["record"]) == 63  # status, reservations, index, dates
    china = network.nodes["china"]
    assert (china["iri"], china["sameAs"]) == ("https://w3id.org/obligraph/id/china", ["http://www.wikidata.org/entity/Q148"])
    breach = network.edges["china", "non-refoulement", "potentiallyBreaches"]
    assert (breach["kind"], breach["inferred"], breach["asserted"], breach["claims"]) == ("breach", True, False, [])
    # the articles, and the treaty texts whose words forbid the kind (the conflicts derived by kind)
    assert breach["sources"] == ["000_ac5578aea1761bdc", "001_84ad41ae37dad2cf", "002_13d38fe2f37237c1",
                                 "003_503d341e454f2bd7", "004_635469bbd09945d7",
                                 "convention-against-torture-1984", "refugee-convention-1951"]
    assert [c["rule"] for c in breach["conclusions"]] == ["potential-breach-by-kind"] * 3 + ["potential-breach"] * 3
    assert breach["conclusions"][3]["fields"][1] == ["found", "stated by a source"]
    assert breach["conclusions"][0]["fields"] == [
        ["policy", "China's forced repatriation of North Koreans"], ["found", "derived by kind"],
        ["kind", "returning people to a state where they risk persecution or torture"],
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
    # the relations resting on the record alone are compact rows, the others vis edges
    assert len(data["edges"]) + len(data["record"]["edges"]) == network.number_of_edges()
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
    record = record_row(edge)
    first = next(c for c in edge["claims"] if c is not record)
    edge["claims"] = [dict(first, id=f"{first['id']}-copy-{i:02}", source=f"extra-{i:02}")
                      for i in range(claims - 1)] + [record]
    edge["stances"] = {name: sum(1 for c in edge["claims"] if c["stance"] == name) for name in edge["stances"]}
    return crowded


def test_page_lists_past_the_cap_show_the_record_first_and_count_the_rest(network):
    from obligraph.views.html import PAGE_LIST_MAX
    from obligraph.views.record import layers
    detail = page_data(crowded(network))["details"]["edges"]["china|partyTo|refugee-convention-1951"]
    assert (len(detail["claims"]), detail["claimCount"]) == (PAGE_LIST_MAX, 25)
    row = record_row(network.edges["china", "refugee-convention-1951", "partyTo"])
    assert detail["claims"][0] == row["id"].split("/claim/", 1)[1]  # the record's row first
    # claims are keyed past the claim namespace, and carry no copy of their source's title; the
    # page holds those of the relations that do not rest on the record alone, and no other
    claims = page_data(network)["details"]["claims"]
    layer = layers(network)
    drawn_with_claims = [d for u, v, k, d in network.edges(keys=True, data=True) if layer[(u, v, k)] is None]
    assert all(not key.startswith("http") for key in claims) and len(claims) == len(
        {c["id"] for d in drawn_with_claims for c in d["claims"]}
        | {c["id"] for _, d in network.nodes(data=True) for c in d["facts"]}
        | {p["id"] for d in drawn_with_claims for c in d["conclusions"] for p in c["premises"]})
    assert not any("sourceTitle" in c for c in claims.values())


def test_page_is_deterministic_self_contained_and_committed(network, store):
    page = to_html(network)
    # byte for byte, gzip stream too; store_html (the build's, which frees the network early) too
    assert page == to_html(network) == to_html(to_network(store)) == store_html(store)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"?https?:", page, re.I)
    assert "//cdn" not in page.lower()
    assert "bootstrap" not in page.lower()
    assert page_json(page)["details"]["nodes"]["china"]["label"] == "China"
    assert page == (PROJECT / "graph" / "obligraph.html").read_text(encoding="utf-8"), \
        "graph/obligraph.html is stale: run `python build.py`"


def test_the_data_is_compressed_in_pieces_to_the_bytes_of_gzip_compress():
    """embed writes the JSON a few MB at a time (a 10,000-article page's was 140 MB whole) and
    gives exactly what gzip.compress gives for the whole text, here over several pieces."""
    import base64
    import gzip

    from obligraph.views.html import embed
    data = {"details": {"claims": {f"c{i:06}": {"quote": "x" * (i % 97), "n": i, "ok": i % 2 == 0}
                                   for i in range(120_000)}}, "nodes": [{"id": "é", "x": 1.5}], "b": None}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert len(text) > 2 * (1 << 22)  # three pieces at least
    assert embed(data) == base64.b64encode(gzip.compress(text.encode("ascii"), compresslevel=9,
                                                         mtime=0)).decode("ascii")
    assert embed({}) == base64.b64encode(gzip.compress(b"{}", compresslevel=9, mtime=0)).decode("ascii")


def test_the_page_embeds_page_data_gzipped_in_base64(network):
    """The data block is page_data's dict, all of it, as gzip (level 9, no timestamp: the same
    bytes every build) in base64 — a fifth of its JSON; page_json reads it back."""
    import base64
    import gzip

    from obligraph.views.html import DATA_TYPE
    page = to_html(network)
    data = page_data(network)
    assert page_json(page) == data == json.loads(json.dumps(data))
    block = re.findall(r'<script id="obligraph-data" type="([^"]*)">([^<]*)</script>', page)
    assert [kind for kind, _ in block] == [DATA_TYPE] == ["application/gzip;base64"]
    packed = base64.b64decode(block[0][1], validate=True)
    assert packed[:4] == b"\x1f\x8b\x08\x00" and packed[4:8] == b"\0\0\0\0"  # gzip, mtime 0
    assert packed[8] == 2  # XFL 2: the slowest, smallest compression (level 9)
    text = gzip.decompress(packed)
    assert json.loads(text) == data and len(block[0][1]) < len(text) / 4
    with pytest.raises(ValueError, match="found 0"):
        page_json(page.replace(DATA_TYPE, "application/json"))
    with pytest.raises(ValueError, match="found 2"):
        page_json(page.replace("</body>", page[page.index('<script id="obligraph-data"'):].split("\n", 1)[0] + "</body>"))


def test_markup_from_sources_is_never_markup_in_the_page(tmp_path):
    from tests import xss_corpus
    corpus = xss_corpus.write(tmp_path)
    _, dataset = obligraph.assemble(paths=corpus.paths)
    page = to_html(to_network(to_store(dataset)))
    # the sources' markup is in the page as data, verbatim, and nowhere as markup
    data = page_json(page)
    assert data["details"]["nodes"]["arcadia"]["label"] == xss_corpus.LABEL
    assert data["details"]["nodes"]["arcadia"]["aliases"] == [xss_corpus.IMG]
    assert xss_corpus.TITLE in {s["title"] for s in data["sources"]}
    assert any(xss_corpus.QUOTE in q["exact"] for c in data["details"]["claims"].values() for q in c["quotes"])
    for dangerous in (xss_corpus.SCRIPT, xss_corpus.IMG, "<img", "onerror=\"window", "__xss"):
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
    word and its label follow the rule in stances.stance_of."""
    expected: dict[tuple, dict] = {}
    for s, p, o, stance, n in store.query(STANCE_OF_CLAIMS):
        key = (s.value.removeprefix(OBID), o.value.removeprefix(OBID), local(p.value))
        expected.setdefault(key, {})[local(stance.value).lower()] = int(n.value)
    for source, target, key, data in network.edges(keys=True, data=True):
        counts = {k: v for k, v in data["stances"].items() if v}
        assert counts == expected.get((source, target, key), {}), (source, key, target)
        assert set(data["stances"]) == {"asserts", "alleges", "denies", "recommends"}
    denied = network.edges["china", "china-national-asylum-legislation", "enacts"]
    assert (denied["stances"], denied["stance"], denied["label"], denied["sources"]) == (
        {"asserts": 0, "alleges": 0, "denies": 1, "recommends": 0}, "denied", "not enacts",
        ["001_84ad41ae37dad2cf"])
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
    # whether North Korean refugees are refugees: two claims say so, four (China's position) not
    status = network.edges["north-korean-refugees", "refugee", "hasStatus"]
    assert (status["stances"]["asserts"], status["stances"]["denies"], status["stance"]) == (2, 4, "disputed")
    stances = [d["stance"] for _, _, d in network.edges(data=True)]
    assert {s: stances.count(s) for s in set(stances)} == {
        "asserted": 6542, "disputed": 2, "alleged": 3, "denied": 1, "recommended": 7, "inferred": 2118}


def test_an_asserted_only_network_keeps_what_a_claim_asserts_and_what_the_rules_derive(network):
    from obligraph.views.network import asserted_only
    dropped = sorted((s, k, t) for s, t, k, d in network.edges(keys=True, data=True) if not asserted_only(d))
    assert len(dropped) == 12  # 1 denied, 3 alleged, 1 alleged and denied, 7 recommended
    assert ("china", "enacts", "china-national-asylum-legislation") in dropped
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
    from obligraph.views.stances import stance_label, stance_of
    assert stance_of(counts, inferred=inferred) == stance
    label = stance_label("party to", stance, counts)
    assert label == {"denied": "not party to", "alleged": "party to (alleged)",
                     "recommended": "party to (recommended)",
                     "disputed": f"party to (disputed: {counts.get('denies')} denies)"}.get(stance, "party to")


DENIED = "china|enacts|china-national-asylum-legislation"  # a source says China has no asylum law


def test_page_data_draws_a_denied_relation_unlike_an_asserted_one(network):
    from obligraph.views.html import EDGE_STYLE
    data = page_data(network)
    edges = {e["id"]: e for e in data["edges"]}
    denied, asserted = edges[DENIED], edges["china|partyTo|refugee-convention-1951"]
    assert (denied["label"], denied["legend"], denied["dashes"], denied["arrows"]["to"]["type"]) == (
        "not enacts", "denied", [6, 3], "bar")
    assert denied["title"].startswith("China — not enacts → ") and denied["title"].endswith("· 1 claim: 1 denies")
    assert (asserted["label"], asserted["legend"], asserted["dashes"], "arrows" in asserted) == (
        "party to", "asserted", False, False)
    assert denied["color"]["color"] != asserted["color"]["color"]
    looks = {(str(s["color"]), str(s["dashes"])) for s in EDGE_STYLE.values()}
    assert len(looks) == len(EDGE_STYLE), "every legend entry has its own colour and dashes"
    assert edges["china|tortures|kim-young-hwan"]["label"] == "tortures (disputed: 1 denies)"
    assert edges["china|tortures|kim-young-hwan-colleagues"]["legend"] == "alleged"
    assert edges["china|grantsRefugeeStatusTo|north-korean-refugees"]["legend"] == "recommended"
    detail = data["details"]["edges"][DENIED]
    assert (detail["stance"], detail["stances"], detail["label"], detail["relation"]) == (
        "denied", {"asserts": 0, "alleges": 0, "denies": 1, "recommends": 0}, "not enacts", "enacts")
    # drawn by default, and added by the record switch (views/record.py)
    assert [(k["kind"], k["count"], k["recordCount"]) for k in data["edgeKinds"]] == [
        ("asserted", 303, 6239), ("disputed", 2, 0), ("alleged", 3, 0), ("denied", 1, 0), ("recommended", 7, 0),
        ("breach", 4, 0), ("inferred", 28, 2086)]


def test_a_curators_reading_is_read_where_the_graph_says_so():
    """ob:restsOnCuratorReading true on a conclusion and ob:curatorReading true on a claim reach
    the network (the page says so); where the graph does not say it, nothing is added."""
    marked = ox.Store()
    marked.load(path=str(PROJECT / "graph" / "obligraph.trig"), format=ox.RdfFormat.TRIG)
    plain = to_network(marked)
    edge = plain.edges["china", "non-refoulement", "potentiallyBreaches"]
    conclusion = edge["conclusions"][0]["id"]
    claim = plain.edges["china", "china-national-asylum-legislation", "enacts"]["claims"][0]["id"]
    ob, true = str(PREFIXES["ob"]), ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    marked.add(ox.Quad(ox.NamedNode(conclusion), ox.NamedNode(ob + "restsOnCuratorReading"), true,
                       ox.NamedNode(str(PREFIXES["obg"]) + "inferred")))
    graph = next(q.graph_name for q in marked.quads_for_pattern(ox.NamedNode(claim), None, None))
    marked.add(ox.Quad(ox.NamedNode(claim), ox.NamedNode(ob + "curatorReading"), true, graph))
    again = to_network(marked)
    conclusions = again.edges["china", "non-refoulement", "potentiallyBreaches"]["conclusions"]
    assert [c.get("curatorReading", False) for c in conclusions] == [True] + [
        c.get("curatorReading", False) for c in edge["conclusions"][1:]]
    assert again.edges["china", "china-national-asylum-legislation", "enacts"]["claims"][0]["curatorReading"] is True
    assert "curatorReading" not in plain.edges["china", "china-national-asylum-legislation", "enacts"]["claims"][0]


# ---------- the depositary record's layer (views/record.py), counted independently ----------

RECORD_CLAIMS = NS + """
SELECT DISTINCT ?s ?p ?o ?record WHERE {
  GRAPH ?g { ?c a ob:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dcterms:source ?src }
  FILTER(isIRI(?o))
  BIND(EXISTS { GRAPH ?h { ?src a ob:ReferenceRecord } } AS ?record)
}"""
RECORD_INFERENCES = NS + """
SELECT ?s ?p ?o ?basis ?treaty WHERE { GRAPH obg:inferred {
  ?c a ?class ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
  VALUES ?class { ob:BoundBy ob:SignatureDuty }
  OPTIONAL { ?c ob:basis ?basis } OPTIONAL { ?c ob:treaty ?treaty } } }"""
NAMED_BY_ARTICLES = NS + """
SELECT DISTINCT ?e WHERE {
  GRAPH ?g { ?c a ob:Claim ; dcterms:source ?src . { ?c rdf:subject ?e } UNION { ?c rdf:object ?e } }
  GRAPH ?h { ?src a ob:Article } FILTER(isIRI(?e)) }"""
TYPED = NS + "SELECT ?e ?type WHERE { GRAPH obg:entities { ?e a ?type VALUES ?type { ob:State ob:Treaty } } }"
PROVISIONS = NS + "SELECT DISTINCT ?p ?t WHERE { GRAPH ?g { ?p ob:provisionOf ?t } }"


def sparql_record_layer(store) -> tuple[set, set]:
    """(record-only, in the articles' context) edges as (subject, object, predicate), from the RDF
    alone: an edge whose claims all come from a ob:ReferenceRecord, or a boundBy/signatoryDutyTo
    that no claim states and every conclusion of which has basis ob:RecordBasis; in context when
    its subject is a state an article's claim names and a treaty it concerns (its object, its
    provision's treaty, a conclusion's ob:treaty) is named too."""
    sources: dict[tuple, set] = {}
    for s, p, o, is_record in store.query(RECORD_CLAIMS):
        sources.setdefault((s.value.removeprefix(OBID), o.value.removeprefix(OBID), local(p.value)), set()).add(
            is_record.value == "true")
    resting = {key for key, kinds in sources.items() if kinds == {True}}
    treaties: dict[tuple, set] = {}
    bases: dict[tuple, set] = {}
    for s, p, o, basis, treaty in store.query(RECORD_INFERENCES):
        key = (s.value.removeprefix(OBID), o.value.removeprefix(OBID), local(p.value))
        bases.setdefault(key, set()).add(local(basis.value) if basis else None)
        if treaty:
            treaties.setdefault(key, set()).add(treaty.value.removeprefix(OBID))
    resting |= {key for key, found in bases.items() if found == {"RecordBasis"} and key not in sources}
    named = {e.value.removeprefix(OBID) for (e,) in store.query(NAMED_BY_ARTICLES)}
    typed = {(e.value.removeprefix(OBID), local(t.value)) for e, t in store.query(TYPED)}
    provision_of = {p.value.removeprefix(OBID): t.value.removeprefix(OBID) for p, t in store.query(PROVISIONS)}
    context = set()
    for s, o, p in resting:
        concerned = treaties.get((s, o, p), set()) | {t for t in (o, provision_of.get(o)) if (t, "Treaty") in typed}
        if (s, "State") in typed and s in named and concerned & named:
            context.add((s, o, p))
    return resting - context, context


def test_the_record_only_relations_are_those_the_rdf_says(store, network):
    from obligraph.views.record import CONTEXT, RECORD, layers
    only, context = sparql_record_layer(store)
    found = layers(network)
    assert {k for k, layer in found.items() if layer == RECORD} == only
    assert {k for k, layer in found.items() if layer == CONTEXT} == context
    assert (len(only), len(context)) == (8325, 74)
    # China's consent to the Protocol rests on the record alone, in the articles' context; its
    # consent to the CRC (no article names it), and Afghanistan's to anything, is record-only
    assert found[("china", "refugee-protocol-1967", "reservationConcerns")] == CONTEXT
    assert found[("china", "non-refoulement", "boundBy")] is None  # an article says so too
    assert found[("china", "crc-1989", "partyTo")] == RECORD
    assert found[("afghanistan", "refugee-convention-1951", "partyTo")] == RECORD
    assert found[("china", "refugee-convention-1951", "partyTo")] is None  # articles' claims on it


def full_text(store, source: str) -> str:
    ob = str(PREFIXES["ob"])
    return next(q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(str(PREFIXES["obsrc"]) + source), ox.NamedNode(ob + "fullText"), None, None))


def test_a_states_treaties_from_the_record_with_their_quotes_at_their_offsets(store, network):
    from obligraph.views.record import state_treaties
    china = {row["treaty"]: row for row in state_treaties(network)["china"]}
    assert len(china) == 20
    refugees = china["refugee-convention-1951"]
    assert refugees["consent"] == {"mode": "accession", "deposited": "1982-09-24", "inForce": "1982-12-23",
                                   "general": "1954-04-22", "basis": "RecordBasis"}
    assert {b["obligation"]: b["since"] for b in refugees["bindings"]} == {
        "cooperation-with-unhcr": "1982-12-23", "non-penalization-of-illegal-entry": "1982-12-23",
        "non-refoulement": "1982-12-23"}
    assert all(b["qualified"] is False for b in refugees["bindings"])  # China's reservations are to 14, 16(3)
    assert sorted(n for r in refugees["reservations"] for n in r["named"]) == ["14", "16(3)"]
    iccpr = china["iccpr-1966"]
    assert "consent" not in iccpr and iccpr["signed"] == "1998-10-05"
    assert iccpr["duty"] == {"since": "1998-10-05", "provision": "VCLT art. 18",
                             "obligation": "Not to defeat the object and purpose of a treaty before its entry into force"}
    # every quote is the source's text at its offsets (a reservation's: an excerpt, offsets its own)
    quotes = [q for row in china.values() for q in row["quotes"]] + [
        r["quote"] for row in china.values() for r in row.get("reservations", [])]
    assert len(quotes) > 30
    for q in quotes:
        assert full_text(store, q["source"])[q["start"]:q["end"]] == q["exact"], q
    assert iccpr["quotes"][0]["exact"] == "China,5 Oct 1998,"
    flagged = [r for rows in state_treaties(network).values() for row in rows for r in row.get("reservations", [])
               if r.get("against")]
    assert len(flagged) == 5 and any(r["against"] == "Refugee Convention art. 42 allows no reservation to 33"
                                     for r in flagged)


def test_the_page_is_small_and_carries_no_claim_of_a_record_only_relation(network):
    from obligraph.views.record import RECORD, layers
    page = to_html(network)
    # 15.5 MB when every record row was a claim card, 2.6 MB with the data as plain JSON
    assert len(page.encode("utf-8")) < 1_100_000
    data = page_data(network)
    record_claims = {c["id"].split("/claim/", 1)[1] for (u, v, k), layer in layers(network).items()
                     if layer == RECORD for c in network.edges[u, v, k]["claims"]}
    assert len(record_claims) > 6000 and not record_claims & set(data["details"]["claims"])
    rows = data["record"]["states"]["china"]
    ids = [n["id"] for n in data["nodes"]]
    row = next(r for r in rows if ids[r["t"]] == "refugee-convention-1951")
    assert row["c"] == ["accession", "1982-09-24", "1982-12-23", "", ""]
    assert data["recordSwitch"] == {"edges": 8325, "nodes": 215}


def test_layout_of_nodes_with_no_edges_places_each_apart():
    """Components of one node each are 0 wide: packing them beside one another still ends, each
    node in a place of its own (a generated corpus's page has such components only)."""
    import networkx as nx

    from obligraph.views.layout import layout
    network = nx.MultiDiGraph()
    network.add_nodes_from(f"n{i}" for i in range(7))
    positions = layout(network)
    assert sorted(positions) == [f"n{i}" for i in range(7)]
    assert len(set(positions.values())) == 7


def test_a_network_with_a_shelf_holds_what_sorts_and_counts_an_articles_claim(network, store):
    """With a ClaimShelf, an article's claim is put there whole and the network keeps only what the
    page sorts, counts and groups it by; the record's claims keep their quotes (the record layer
    shows them); everything else about the network is the same, and the shelf gives back the
    whole records as JSON has them."""
    from obligraph.views.shelf import ClaimShelf
    whole = {c["id"]: c for _, _, d in network.edges(data=True) for c in d["claims"]}
    with ClaimShelf() as shelf:
        brief = to_network(store, shelf=shelf)
        assert sorted(brief.edges(keys=True)) == sorted(network.edges(keys=True))
        cut = {c["id"]: c for _, _, d in brief.edges(data=True) for c in d["claims"]}
        assert cut.keys() == whole.keys()
        records = {s["id"] for s in network.graph["sources"] if s["record"]}
        article = [i for i, c in whole.items() if c["source"] not in records and "reservationKind" not in c]
        assert article and set(shelf.where) >= set(article)
        assert all("quotes" not in cut[i] and cut[i]["stance"] == whole[i]["stance"]
                   and cut[i]["date"] == whole[i]["date"] for i in article)
        assert all(cut[i] == c for i, c in whole.items() if c["source"] in records)
        assert [d["label"] for _, _, d in sorted(brief.edges(data=True), key=lambda e: e[:2])] == \
            [d["label"] for _, _, d in sorted(network.edges(data=True), key=lambda e: e[:2])]
        assert all(shelf.get(i) == json.loads(json.dumps(whole[i])) for i in article)
