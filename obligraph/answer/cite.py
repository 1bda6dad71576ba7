"""Citation-ready tables (`obligraph cite`): the claims about an entity — the rows of the named
query citations (queries/citations.rq) — or the claims behind the rows of any named query that
quotes its sources (`cite --query NAME`): source, author, publisher, date, URL, accessed, archived
copy, the claim in words, its stance, who states it, the quote and its offsets, as Markdown or
CSV, for a brief, a report or a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from enum import Enum
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .query import library, query, resolve

CITED_QUOTES = Path(__file__).with_name("cited-quotes.rq")
# a quote inside a longer cell, as policy-conflicts writes them: "Title [start–end] (who): “words”"
_QUOTED = re.compile(r"\[(\d+)–(\d+)\](?: \([^()]*\))?: “(.*?)”(?= \| |$)", re.S)
_QUOTE_COLUMN = re.compile(r"\?(?:quote|\w+Quotes?)\b")  # quote, policyQuotes; not a count (quotes)

COLUMNS = ("title", "author", "publisher", "date", "url", "accessed", "archived", "claim", "stance",
           "statedBy", "quote", "start", "end")
HEADINGS = ("Source", "Author", "Publisher", "Date", "URL", "Accessed", "Archived copy", "Claim",
            "Stance", "Stated by", "Quote", "Offsets")


class CiteFormat(str, Enum):
    MARKDOWN = "markdown"
    CSV = "csv"


def citations(entity: str, *, graph: Path | None = None, store: ox.Store | None = None) -> list[dict]:
    """The citations query's rows for ``entity`` (an id, e.g. china), as dicts of text."""
    return [{name: "" if row[name] is None else str(row[name]) for name in COLUMNS}
            for row in query("citations", graph=graph, store=store, entity=entity)]


def _quoted(row: dict) -> list[tuple[str, int | None, int | None, str | None]]:
    """The quotes a query's row gives: (words, start, end, source id) — its quote column with the
    row's offsets and sourceId where it has them, and every quote written inside a cell."""
    found = []
    if isinstance(row.get("quote"), str):
        found.append((row["quote"], row.get("start"), row.get("end"), row.get("sourceId")))
    for name, value in row.items():
        if isinstance(value, str) and name != "quote":
            found += [(m.group(3), int(m.group(1)), int(m.group(2)), None) for m in _QUOTED.finditer(value)]
    return found


def quoting_queries() -> list[str]:
    """The named queries whose rows give quotes (a column named quote, or …Quote / …Quotes)."""
    return [q.name for q in library() if _QUOTE_COLUMN.search(q.text.split("WHERE", 1)[0])]


def query_citations(name: str, params: dict[str, str] | None = None, *, graph: Path | None = None,
                    store: ox.Store | None = None) -> list[dict]:
    """The claims behind the rows of the named query ``name`` (run with ``params``), each once, in
    the order of the first row it backs; ``rows`` says which rows ("1, 3")."""
    named = resolve(name)
    if not _QUOTE_COLUMN.search(named.text.split("WHERE", 1)[0]):
        raise QueryError(f"query {named.name}: its rows give no quotes to cite",
                         hint=f"cite a query that quotes its sources ({', '.join(quoting_queries())}), "
                              "or the claims about an entity: obligraph cite ENTITY")
    rows = query(name, graph=graph, store=store, **(params or {}))
    wanted = [(number, quote) for number, row in enumerate(rows, 1) for quote in _quoted(row)]
    found: dict[str, list[dict]] = {}
    if wanted:
        words = sorted({quote[0] for _, quote in wanted})
        values = "VALUES ?quote { " + " ".join(str(ox.Literal(w)) for w in words) + " }"
        text = CITED_QUOTES.read_text(encoding="utf-8").replace("#VALUES", values, 1)
        for row in query(text, graph=graph, store=store):
            found.setdefault(row["quote"], []).append(row)
    cited: dict[tuple, dict] = {}
    for number, (words, start, end, source_id) in wanted:
        for row in found.get(words, []):
            if (start is not None and row["start"] != start) or (end is not None and row["end"] != end) \
                    or (source_id is not None and row["sourceId"] != source_id):
                continue
            key = tuple(row[name] for name in ("sourceId", "claim", "statedBy", "start", "end"))
            entry = cited.setdefault(key, {name: "" if row[name] is None else str(row[name])
                                           for name in COLUMNS} | {"rows": []})
            if number not in entry["rows"]:
                entry["rows"].append(number)
    for entry in cited.values():
        entry["rows"] = ", ".join(map(str, entry["rows"]))
    return list(cited.values())


def _cells(row: dict) -> list[str]:
    return ([row["rows"]] if "rows" in row else []) + [row[name] for name in COLUMNS[:11]] + \
        [f"{row['start']}–{row['end']}"]


def _headings(rows: list[dict]) -> tuple[str, ...]:
    return (("Rows",) if rows and "rows" in rows[0] else ()) + HEADINGS


def to_markdown(rows: list[dict]) -> str:
    """A GitHub-flavoured Markdown table; a | or a line break in a cell is escaped, not lost."""
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
    headings = _headings(rows)
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(cell(value) for value in _cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_headings(rows))
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


def cite(entity: str | None = None, *, fmt: CiteFormat = CiteFormat.MARKDOWN, graph: Path | None = None,
         store: ox.Store | None = None, query_name: str | None = None,
         params: dict[str, str] | None = None) -> str:
    """The claims about ``entity``, or those behind the rows of the named query ``query_name``
    (with ``params``; a first column Rows), as a citation table in ``fmt``."""
    rows = query_citations(query_name, params, graph=graph, store=store) if query_name is not None \
        else citations(entity, graph=graph, store=store)
    return to_csv(rows) if fmt is CiteFormat.CSV else to_markdown(rows)
