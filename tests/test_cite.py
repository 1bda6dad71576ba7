"""Citable sources (issue 19, part 3): a source's metadata may give its url, the day it was
accessed and an archived copy (checked when given); the graph carries them (schema:url,
ob:accessed, schema:archivedAt); `obligraph cite ENTITY` writes the claims about an entity as a
citation-ready table in Markdown or CSV."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from obligraph.cli import main

URL = "https://example.org/news/arcadia?id=7"
ARCHIVED = "https://web.archive.org/web/20200502000000/https://example.org/news/arcadia?id=7"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def _meta(small, extra: str) -> None:
    meta = small.sources / "articles" / "a1.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_a_source_cited_with_its_url_accessed_and_archived_copy(small, tmp_path):
    _meta(small, f"url: {URL}\naccessed: \"2020-05-02\"\narchived_url: {ARCHIVED}\n")
    assert cli(*small.args()).exit_code == 0
    graph = str(small.out / "obligraph.trig")
    result = cli("cite", "arcadia", "--graph", graph, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Source", "Author", "Publisher", "Date", "URL", "Accessed", "Archived copy", "Claim",
                       "Stance", "Stated by", "Quote", "Offsets"]
    assert rows[1:] == [
        ["Arcadia and refugees", "", "", "2020-05-01", URL, "2020-05-02", ARCHIVED,
         "Arcadia — party to → Refugee Convention", "asserts", "the author",
         "Arcadia acceded to the “Refugee Convention” in 1990.", "0–52"],
        ["Arcadia and refugees", "", "", "2020-05-01", URL, "2020-05-02", ARCHIVED,
         "Arcadia — allows access to → UNHCR", "asserts", "the author",
         "Arcadia lets the UN Refugee Agency work.", "53–93"]]
    markdown = cli("cite", "arcadia", "--graph", graph).stdout.splitlines()
    assert markdown[0] == ("| Source | Author | Publisher | Date | URL | Accessed | Archived copy | Claim | Stance "
                           "| Stated by | Quote | Offsets |")
    assert markdown[2] == (f"| Arcadia and refugees |  |  | 2020-05-01 | {URL} | 2020-05-02 | {ARCHIVED} | "
                           "Arcadia — party to → Refugee Convention | asserts | the author | Arcadia acceded to the "
                           "“Refugee Convention” in 1990. | 0–52 |")
    out = tmp_path / "arcadia.md"
    assert cli("cite", "arcadia", "--graph", graph, "--out", str(out)).output == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").splitlines() == markdown
    again = cli("cite", "arcadia", "--graph", graph, "--out", str(out))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_a_bad_url_or_an_accessed_day_without_one_is_refused(small):
    _meta(small, "url: example.org/arcadia\n")
    result = cli(*small.args())
    assert result.exit_code == 1
    assert "metadata: url 'example.org/arcadia' is not an http or https URL\n" in result.stderr
    assert "→ write the full address, e.g. url: https://example.org/article" in result.stderr
    meta = small.sources / "articles" / "a1.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("url: example.org/arcadia\n", "accessed: \"2020-05-02\"\n"),
                    encoding="utf-8")
    result = cli(*small.args())
    assert result.exit_code == 1 and "metadata: accessed is given without a url\n" in result.stderr
    assert not (small.out / "obligraph.trig").exists()


def test_a_pipe_in_a_quote_is_escaped_in_markdown():
    from obligraph.answer.cite import to_markdown
    row = {name: "" for name in ("title", "author", "publisher", "date", "url", "accessed", "archived", "claim",
                                 "stance", "statedBy")} | {"quote": "a | b\nc", "start": "1", "end": "8"}
    assert to_markdown([row]).splitlines()[2].endswith("| a \\| b<br>c | 1–8 |")


def test_the_claims_behind_a_querys_rows_are_cited(small):
    """`cite --query NAME --param k=v`: each claim whose quote a row gives, once, with the rows
    it backs; a quote written inside a cell (policy-conflicts) is found by its words and offsets."""
    _meta(small, f"url: {URL}\n")
    assert cli(*small.args()).exit_code == 0
    graph = str(small.out / "obligraph.trig")
    result = cli("cite", "--query", "evidence-for", "--param", "entity=arcadia", "--graph", graph, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Rows", "Source", "Author", "Publisher", "Date", "URL", "Accessed", "Archived copy",
                       "Claim", "Stance", "Stated by", "Quote", "Offsets"]
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[1][1:] == ["Arcadia and refugees", "", "", "2020-05-01", URL, "", "",
                           "Arcadia — party to → Refugee Convention", "asserts", "the author",
                           "Arcadia acceded to the “Refugee Convention” in 1990.", "0–52"]
    markdown = cli("cite", "--query", "evidence-for", "--param", "entity=arcadia", "--graph", graph).stdout
    assert markdown.splitlines()[0].startswith("| Rows | Source | Author |")


def test_quotes_written_inside_a_cell_are_read_with_their_offsets():
    from obligraph.answer.cite import _quoted
    row = {"policyQuotes": "China’s Role (2013) [299–364] (stated by china): “a policy” | "
                           "Another (UN) [5–9]: “it | is”", "quote": None}
    assert _quoted(row) == [("a policy", 299, 364, None), ("it | is", 5, 9, None)]


def test_cite_says_what_it_needs(small):
    assert cli(*small.args()).exit_code == 0
    graph = str(small.out / "obligraph.trig")
    neither = cli("cite", "--graph", graph)
    assert (neither.exit_code, neither.stderr) == (2, (
        "error: cite an entity or a query's rows: give ENTITY or --query NAME\n"
        "  → obligraph cite china, or obligraph cite --query policy-conflicts --param state=china\n"))
    both = cli("cite", "arcadia", "--query", "evidence-for", "--graph", graph)
    assert both.exit_code == 2 and both.stderr.startswith(
        "error: cite an entity or a query's rows: give ENTITY or --query NAME, not both\n")
    counts = cli("cite", "--query", "treaty-status", "--graph", graph)
    assert counts.exit_code == 2
    assert counts.stderr.startswith("error: query treaty-status: its rows give no quotes to cite\n"
                                    "  → cite a query that quotes its sources (advocacy, citations, ")
    assert "sources," not in counts.stderr  # its quotes column is a count


def test_the_network_page_has_each_sources_publisher_and_link(small):
    """The page's panels cite a source by title, publisher, date and link (panel.js citation())."""
    from obligraph.graph.store import load_store
    from obligraph.views.network import to_network
    _meta(small, f"url: {URL}\n")
    small.write("articles/a1.meta.yaml", (small.sources / "articles" / "a1.meta.yaml").read_text(encoding="utf-8")
                .replace("publisher: null", "publisher: unhcr"))
    assert cli(*small.args()).exit_code == 0
    network = to_network(load_store(small.out / "obligraph.trig"))
    assert network.graph["sources"] == [{"id": "a1", "title": "Arcadia and refugees", "date": "2020-05-01",
                                         "publisher": "UNHCR", "url": URL, "kind": "Article", "record": False}]
