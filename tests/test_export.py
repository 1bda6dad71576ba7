"""Every export format round-trips: RDF formats re-parse to the same triples (quad formats to the
same quads per named graph); GraphML and GEXF re-read by networkx give the same nodes and edges."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

import obligraph
from obligraph.cli import main
from obligraph.views.export import FORMATS, ExportFormat, export, export_graph
from obligraph.views.network import to_network

from .conftest import ONTOLOGY, SmallCorpus


@pytest.fixture(scope="module")
def dataset():
    return obligraph.load()


@pytest.fixture(scope="module")
def network(dataset):
    return to_network(dataset)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small corpus's Dataset: the RDF formats' round trips through rdflib's parsers (the
    built file's exports are checked term for term, with Oxigraph's, below)."""
    corpus = SmallCorpus(tmp_path_factory.mktemp("small"))
    return obligraph.assemble(paths=obligraph.Paths(sources=corpus.sources, ontology=ONTOLOGY,
                                                    out=corpus.out))[1]


def quads(dataset: Dataset) -> set:
    return {(s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g}


def assert_same_triples(text: str, spec, dataset) -> None:
    """The exported text parses back to the dataset's quads (or, without graph names, its
    triples). No blank nodes anywhere, so equal sets of triples are isomorphic graphs."""
    if spec.quads:
        again = Dataset()
        again.parse(data=text, format=spec.rdflib_name)
        assert quads(again) == quads(dataset)
    else:
        again = Graph().parse(data=text, format=spec.rdflib_name)
        assert set(again) == {t for g in dataset.graphs() for t in g}


@pytest.mark.parametrize("fmt", list(ExportFormat), ids=lambda f: f.value)
def test_round_trip(network, small, fmt, tmp_path):
    """An RDF export of a Dataset parses back, with rdflib, to its quads (the small corpus's); a
    network export of the bundled build holds its network (read back as Gephi or Neo4j would)."""
    spec = FORMATS[fmt]
    files = export(small, fmt) if spec.rdflib_name else export_graph(fmt)
    assert all(name.endswith("." + spec.extension) for name in files)
    if spec.rdflib_name:
        (text,) = files.values()
        assert_same_triples(text, spec, small)
        return
    expected_edges = sorted((s, t, k) for s, t, k in network.edges(keys=True))
    if fmt is ExportFormat.CSV:
        nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
        edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
        assert sorted(n["id"] for n in nodes) == sorted(network.nodes)
        assert sorted((e["source"], e["target"], e["relation"]) for e in edges) == expected_edges
        china = next(n for n in nodes if n["id"] == "china")
        assert (china["label"], china["type"], china["wikidata"]) == (
            "China", "State", "http://www.wikidata.org/entity/Q148")
        return
    path = tmp_path / next(iter(files))
    path.write_text(next(iter(files.values())), encoding="utf-8")
    again = nx.read_graphml(path) if fmt is ExportFormat.GRAPHML else nx.read_gexf(path)
    assert sorted(again.nodes) == sorted(network.nodes)
    assert sorted((s, t, d["relation"]) for s, t, d in again.edges(data=True)) == expected_edges
    assert again.nodes["china"]["label"] == "China" and again.nodes["china"]["type"] == "State"


def test_export_command_writes_files_and_never_overwrites(tmp_path):
    out = tmp_path / "g.ttl"
    first = CliRunner().invoke(main, ["export", "--format", "turtle", "--out", str(out)])
    assert first.exit_code == 0 and out.read_text().startswith("@prefix ")
    again = CliRunner().invoke(main, ["export", "--format", "turtle", "--out", str(out)])
    assert (again.exit_code, again.stderr) == (2, f"error: {out} already exists\n"
                                                  "  → add --force to overwrite, or choose another --out\n")
    forced = CliRunner().invoke(main, ["export", "--format", "turtle", "--out", str(out), "--force"])
    assert forced.exit_code == 0
    csv_only_to_a_directory = CliRunner().invoke(main, ["export", "--format", "csv"])
    assert csv_only_to_a_directory.stderr == ("error: --format csv writes 2 files (nodes.csv, edges.csv)\n"
                                              "  → give --out DIRECTORY\n")
    assert CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(tmp_path / "csv")]).exit_code == 0
    both = CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(tmp_path / "csv")])
    assert (both.exit_code, both.stderr) == (2, f"error: {tmp_path / 'csv' / 'nodes.csv'}, {tmp_path / 'csv' / 'edges.csv'} "
                                                "already exist\n  → add --force to overwrite, or choose another --out\n")
    assert "Usage:" not in both.output


def test_nquads_on_stdout_and_in_a_file_are_the_triG_quads_term_for_term(tmp_path):
    """`obligraph export --format nquads` writes the bytes graph_files returns, on standard output
    or into a file (no temporary file left, the usual permissions), and they are the TriG's own
    quads, term for term ("0267"-style lexical forms kept, unlike a store's values)."""
    import os

    import pyoxigraph as ox

    from obligraph.views.export import graph_files
    from obligraph.graph.pipeline import Paths
    (expected,) = graph_files(ExportFormat.NQUADS).values()
    printed = CliRunner().invoke(main, ["export", "--format", "nquads"])
    assert printed.exit_code == 0 and printed.stdout_bytes == expected
    out = tmp_path / "g.nq"
    written = CliRunner().invoke(main, ["export", "--format", "nquads", "--out", str(out)])
    assert written.exit_code == 0 and written.output == f"wrote {out}\n"
    assert out.read_bytes() == expected and os.listdir(tmp_path) == ["g.nq"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    trig = Paths().out / "obligraph.trig"
    given = [str(q) for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)]
    assert [str(q) for q in ox.parse(expected, format=ox.RdfFormat.N_QUADS)] == given, "same order too"
    assert expected.count(b"\n") == len(given) > 10_000


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if FORMATS[f].rdflib_name], ids=lambda f: f.value)
def test_exports_of_the_built_file_are_exact_and_deterministic(fmt):
    """`obligraph export` reads graph/obligraph.trig with Oxigraph's parser (never through a
    store, which would turn "267"^^xsd:nonNegativeInteger into "267"^^xsd:integer): read back,
    each export holds the TriG's quads (or, without graph names, its triples) term for term."""
    import pyoxigraph as ox

    from obligraph.graph.pipeline import Paths
    spec = FORMATS[fmt]
    (text,) = export_graph(fmt).values()
    assert export_graph(fmt) == {next(iter(export_graph(fmt))): text}, "the same bytes every time"
    given = list(ox.parse(path=str(Paths().out / "obligraph.trig"), format=ox.RdfFormat.TRIG))
    reader = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    again = ox.parse(text.encode("utf-8"), format=reader[spec.rdflib_name])
    if spec.quads:
        assert {str(q) for q in again} == {str(q) for q in given}
    else:
        assert {str(t) for t in again} == {str(q.triple) for q in given}
    if fmt in (ExportFormat.NTRIPLES, ExportFormat.NQUADS):
        assert "XMLSchema#nonNegativeInteger>" in text
    if fmt is ExportFormat.NTRIPLES:
        lines = text.splitlines()
        assert lines == sorted(set(lines)), "merged triples, once each, sorted"


def test_jsonld_export_has_a_readable_context():
    """The JSON-LD names terms by the project's prefixes (obid:china, ob:partyTo), one object per
    named graph, as the build's own JSON-LD did; read back it is the TriG (the test above)."""
    import json
    data = json.loads(export_graph(ExportFormat.JSONLD)["obligraph.jsonld"])
    assert data["@context"]["obid"] == "https://w3id.org/obligraph/id/"
    assert data["@context"]["ob"] == "https://w3id.org/obligraph/ontology#"
    graphs = {g["@id"]: g["@graph"] for g in data["@graph"]}
    china = next(n for n in graphs["obg:entities"] if n["@id"] == "obid:china")
    assert china["@type"] == ["ob:State"] and china["rdfs:label"] == [{"@value": "China"}]


def test_rdflib_reads_the_built_files_turtle_export(dataset):
    """The other tools' side: rdflib's Turtle parser reads the exported bundled graph to the
    triples of the Dataset."""
    (text,) = export_graph(ExportFormat.TURTLE).values()
    assert_same_triples(text, FORMATS[ExportFormat.TURTLE], dataset)


def test_network_exports_of_the_built_file_read_the_query_store(dataset, network):
    """GraphML / GEXF / CSV of the built file: the network read from the persisted store is the
    network of the Dataset (the tests below read the built file's exports for that reason)."""
    files = export_graph(ExportFormat.CSV)
    assert sorted(row["id"] for row in csv.DictReader(io.StringIO(files["nodes.csv"]))) == sorted(network.nodes)
    assert export_graph(ExportFormat.GRAPHML) == export(dataset, ExportFormat.GRAPHML)


# 001 says China has not enacted national asylum legislation: a denied relation
DENIED = ("china", "china-national-asylum-legislation", "enacts")
DENIED_TITLE = "North Koreans can’t escape human rights abuses even after fleeing to China"


def network_edges(files: dict[str, str], fmt: ExportFormat, tmp_path) -> dict[tuple, dict]:
    """(source, target, relation) → the edge's attributes, as Gephi, Cytoscape or LOAD CSV read them."""
    if fmt is ExportFormat.CSV:
        return {(e["source"], e["target"], e["relation"]): e for e in csv.DictReader(io.StringIO(files["edges.csv"]))}
    (name, text), = files.items()
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    again = nx.read_graphml(path) if fmt is ExportFormat.GRAPHML else nx.read_gexf(path)
    return {(s, t, d["relation"]): d for s, t, d in again.edges(data=True)}


@pytest.mark.parametrize("fmt", [ExportFormat.GRAPHML, ExportFormat.GEXF, ExportFormat.CSV], ids=lambda f: f.value)
def test_network_exports_say_a_denied_relation_is_denied_and_asserted_only_drops_it(fmt, tmp_path):
    """001 says China has not enacted national asylum legislation: every network format says so
    (stance, counts, a label with "not", the source), and an asserted-only export leaves the
    relation out while keeping China's (asserted) party to the Refugee Convention."""
    edges = network_edges(export_graph(fmt), fmt, tmp_path / "all")
    nk, china = edges[DENIED], edges[("china", "refugee-convention-1951", "partyTo")]
    as_text = {k: str(v).lower() for k, v in nk.items()}  # CSV is text; GraphML / GEXF typed
    assert {k: as_text[k] for k in ("label", "stance", "asserts", "alleges", "denies", "recommends", "claims",
                                    "inferred", "sources", "sourceTitles")} == {
        "label": "not enacts", "stance": "denied", "asserts": "0", "alleges": "0", "denies": "1",
        "recommends": "0", "claims": "1", "inferred": "false", "sources": "001_84ad41ae37dad2cf",
        "sourceTitles": DENIED_TITLE.lower()}
    assert (china["label"], china["stance"], str(china["denies"])) == ("party to", "asserted", "0")
    # a potential breach: how it was found and its premise's status (Convention art. 33's refugee
    # status, contested); China's consent rests on the record, no curator's reading
    breach = edges[("china", "non-refoulement", "potentiallyBreaches")]
    assert (breach["basis"], breach["premise"], str(breach["restsOnCuratorReading"]).lower()) == (
        "derived by kind; stated by a source", "contested", "false")
    assert (china["basis"], china["premise"], str(china["restsOnCuratorReading"]).lower()) == ("", "", "false")
    kind_only = edges[("north-korea", "freedom-to-leave", "potentiallyBreaches")]
    assert (kind_only["basis"], kind_only["premise"], str(kind_only["restsOnCuratorReading"]).lower()) == (
        "derived by kind", "", "true")
    if fmt is not ExportFormat.CSV:
        assert (nk["denies"], nk["asserts"]) == (1, 0), "integers, not text"
    tortures = edges[("china", "kim-young-hwan", "tortures")]
    assert (tortures["stance"], tortures["label"]) == ("disputed", "tortures (disputed: 1 denies)")
    stances = [e["stance"] for e in edges.values()]
    assert {s: stances.count(s) for s in ("disputed", "alleged", "denied", "recommended")} == {
        "disputed": 2, "alleged": 3, "denied": 1, "recommended": 7}

    only = network_edges(export_graph(fmt, asserted_only=True), fmt, tmp_path / "asserted")
    assert DENIED not in only
    assert set(only) == {key for key, e in edges.items() if int(e["asserts"]) or e["stance"] == "inferred"}
    assert len(only) == len(edges) - 12  # the alleged, denied and recommended ones no claim asserts
    assert ("china", "refugee-convention-1951", "partyTo") in only
    assert ("china", "non-refoulement", "potentiallyBreaches") in only  # inferred: the rules read assertions only
    assert ("kim-young-hwan", "china", "accuses") in only  # one claim asserts it, one alleges it


def test_csv_edge_columns_in_order():
    from obligraph.views.export import EDGE_COLUMNS
    assert ("source", "target", *EDGE_COLUMNS) == (
        "source", "target", "relation", "label", "inferred", "claims", "stance", "asserts", "alleges",
        "denies", "recommends", "sources", "sourceTitles", "basis", "premise", "restsOnCuratorReading")


def test_export_asserted_only_on_the_command_line(tmp_path):
    out = tmp_path / "import"
    done = CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(out), "--asserted-only"])
    assert done.exit_code == 0, done.output
    assert done.output == f"wrote {out / 'nodes.csv'}\nwrote {out / 'edges.csv'}\n"
    rows = list(csv.DictReader(io.StringIO((out / "edges.csv").read_text(encoding="utf-8"))))
    assert not any((r["source"], r["target"], r["relation"]) == DENIED for r in rows)
    # a disputed relation some claim asserts stays (North Korean refugees have refugee status: two
    # claims assert it, four deny it)
    assert {r["stance"] for r in rows} == {"asserted", "disputed", "inferred"}
    assert all(int(r["asserts"]) > 0 for r in rows if r["stance"] == "disputed")
    every = CliRunner().invoke(main, ["export", "--format", "graphml"])
    asserted = CliRunner().invoke(main, ["export", "--format", "graphml", "--asserted-only"])
    assert every.exit_code == asserted.exit_code == 0
    assert "not enacts" in every.output and "not enacts" not in asserted.output
    assert asserted.output == CliRunner().invoke(main, ["export", "--format", "graphml", "--asserted-only"]).output
    refused = CliRunner().invoke(main, ["export", "--format", "turtle", "--asserted-only"])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: --asserted-only is for --format graphml, gexf or csv, not turtle\n  → ")
    with pytest.raises(ValueError, match="asserted-only is for the network formats"):
        export_graph(ExportFormat.NQUADS, asserted_only=True)


def test_the_readme_shows_the_csv_columns_and_north_koreas_row_as_exported():
    from obligraph.views.export import EDGE_COLUMNS
    from obligraph.graph.pipeline import PROJECT
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert f"(`{','.join(('source', 'target', *EDGE_COLUMNS))}`)" in readme
    shown = readme.split("`china,china-national-asylum-legislation,", 1)[1].split("`", 1)[0]
    row = next(line for line in export_graph(ExportFormat.CSV)["edges.csv"].splitlines()
               if line.startswith("china,china-national-asylum-legislation,enacts,"))
    assert row.startswith("china,china-national-asylum-legislation," + shown.removesuffix("…"))
    for column in EDGE_COLUMNS[2:]:  # the Cypher import keeps every column past relation and label
        assert f"row.{column}" in readme
