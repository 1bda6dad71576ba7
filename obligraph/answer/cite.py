"""Citation-ready tables of the claims about an entity (`obligraph cite`): the rows of the named
query citations (queries/citations.rq) — source, author, publisher, date, URL, accessed, archived
copy, the claim in words, its stance, who states it, the quote and its offsets — as Markdown or
CSV, for a brief, a report or a spreadsheet."""

from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path

import pyoxigraph as ox

from .query import query

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


def _cells(row: dict) -> list[str]:
    return [row[name] for name in COLUMNS[:11]] + [f"{row['start']}–{row['end']}"]


def to_markdown(rows: list[dict]) -> str:
    """A GitHub-flavoured Markdown table; a | or a line break in a cell is escaped, not lost."""
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    lines += ["| " + " | ".join(cell(value) for value in _cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADINGS)
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


def cite(entity: str, *, fmt: CiteFormat = CiteFormat.MARKDOWN, graph: Path | None = None,
         store: ox.Store | None = None) -> str:
    """The claims about ``entity`` as a citation table in ``fmt``."""
    rows = citations(entity, graph=graph, store=store)
    return to_csv(rows) if fmt is CiteFormat.CSV else to_markdown(rows)
