"""Query results as text: SPARQL 1.1 JSON / CSV / TSV (Oxigraph's serialisers), or a table for
an 80-column terminal that shows labels instead of IRIs."""

from __future__ import annotations

import re
import shutil
import sys
import textwrap

import pyoxigraph as ox

from ..errors import QueryError
from .query import ResultFormat
from ..graph.rdf import local_name

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")  # sources have titles, not labels
PUBLISHER = ox.NamedNode("http://purl.org/dc/terms/publisher")
DATE = ox.NamedNode("http://purl.org/dc/terms/date")
URL = ox.NamedNode("https://schema.org/url")
MIN_COLUMN = 16  # narrower wrapped columns stop being readable: switch to records
GAP = "  "
# C0 and C1 controls but newline and tab, DEL, and the bidirectional embeddings, overrides and
# isolates: a source's text must not move the cursor, set a terminal's title or reorder what
# is shown around it
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with every control character written as an escape (\\x1b, \\u202e)."""
    return _UNSHOWABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", text)


def _first(store: ox.Store, subject, predicate):
    quad = next(iter(store.quads_for_pattern(subject, predicate, None)), None)
    return quad.object if quad else None


def cited(source, title: str, store: ox.Store) -> str:
    """A source as the named queries cite it: "Title (Publisher, date) <url>", with the parts its
    metadata gives — never its id alone."""
    publisher, date, url = (_first(store, source, p) for p in (PUBLISHER, DATE, URL))
    if publisher is not None:
        label = _first(store, publisher, RDFS_LABEL)
        publisher = label.value if label is not None else local_name(publisher.value)
    made = ", ".join(part for part in (publisher, date.value if date is not None else None) if part)
    return title + (f" ({made})" if made else "") + (f" <{url.value}>" if url is not None else "")


def _label(term, store: ox.Store, cache: dict) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if term not in cache:
        label = _first(store, term, RDFS_LABEL)
        title = None if label is not None else _first(store, term, TITLE)
        cache[term] = label.value if label is not None else cited(term, title.value, store) \
            if title is not None else local_name(term.value) if isinstance(term, ox.NamedNode) else str(term)
    return cache[term]


def table(header: list[str], rows: list[list[str]], width: int = 80) -> str:
    """Columns when they fit in ``width`` (wrapping long cells), else one block per row."""
    if not rows:
        return "(no rows)\n"
    natural = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    budget = width - len(GAP) * (len(header) - 1)
    if sum(min(n, MIN_COLUMN) for n in natural) > budget:
        return _records(header, rows, width)
    widths = natural[:]
    while sum(widths) > budget:
        widths[widths.index(max(widths))] -= 1
    lines = [GAP.join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             GAP.join("-" * w for w in widths)]
    for row in rows:
        cells = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths)]
        for depth in range(max(len(c) for c in cells)):
            lines.append(GAP.join((c[depth] if depth < len(c) else "").ljust(w)
                                  for c, w in zip(cells, widths)).rstrip())
    return "\n".join(lines) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _records(header: list[str], rows: list[list[str]], width: int) -> str:
    key = max(len(h) for h in header)
    out = []
    for number, row in enumerate(rows, 1):
        out.append(f"-[ row {number} ]" + "-" * max(0, width - 12 - len(str(number))))
        for name, cell in zip(header, row):
            wrapped = textwrap.wrap(cell, width - key - 3) or [""]
            out.append(f"{name.ljust(key)} | {wrapped[0]}")
            out.extend(f"{' ' * key} | {more}" for more in wrapped[1:])
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def render(results, store: ox.Store, fmt: ResultFormat, *, width: int | None = None) -> str:
    """The results of one query, as text in the chosen format."""
    if width is None:  # a terminal's own width (up to 120); 80 when piped, so output is stable
        width = min(shutil.get_terminal_size((80, 24)).columns, 120) if sys.stdout.isatty() else 80
    if isinstance(results, (ox.QueryTriples, list)):  # a list: read back from a contained query
        if fmt in (ResultFormat.CSV, ResultFormat.TSV):
            raise QueryError(f"a CONSTRUCT or DESCRIBE query gives triples, not rows: --format "
                             f"{fmt.value} is for SELECT",
                             hint="use --format table (Turtle) or --format json (JSON-LD)")
        triples = list(dict.fromkeys(results))  # a graph: each triple once
        kind = ox.RdfFormat.JSON_LD if fmt is ResultFormat.JSON else ox.RdfFormat.TURTLE
        return ox.serialize(triples, format=kind).decode("utf-8")
    if fmt is not ResultFormat.TABLE:
        kind = {ResultFormat.JSON: ox.QueryResultsFormat.JSON, ResultFormat.CSV: ox.QueryResultsFormat.CSV,
                ResultFormat.TSV: ox.QueryResultsFormat.TSV}[fmt]
        text = results.serialize(format=kind).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    if isinstance(results, ox.QueryBoolean):
        return ("yes" if results else "no") + "\n"
    header = [v.value for v in results.variables]
    cache: dict = {}
    rows = [[printable(_label(row[name], store, cache)) for name in header] for row in results]
    return table([printable(name) for name in header], rows, width)
