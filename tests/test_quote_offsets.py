"""Every quote a named query returns with offsets is its source's text at those offsets — for every
entity as the query's parameter (a claim with several quotes used to pair each quote with every
quote's offsets: 80 of 737 evidence-for rows did not match)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

import obligraph
from obligraph.answer.query import library, open_store

FULL_TEXT = ox.NamedNode("https://w3id.org/obligraph/ontology#fullText")
IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
# a quote column (quote, policyText, …) and the offsets named after it (start / end, policyStart …)
_QUOTE = re.compile(r"^(.*?)(quote|Quote|Text)$")


@pytest.fixture(scope="module")
def store(focused):
    """The focused build (conftest): every article and treaty text, the record of the treaties
    they discuss for every state."""
    return open_store(focused)


def offset_columns(names: list[str]) -> list[tuple[str, str, str | None]]:
    """(quote, start, end or None) column triples, by the queries' naming."""
    found = []
    for name in names:
        match = _QUOTE.match(name)
        if not match:
            continue
        prefix = match.group(1)
        start = next((n for n in (f"{prefix}start", f"{prefix}Start") if n in names), None)
        end = next((n for n in (f"{prefix}end", f"{prefix}End") if n in names), None)
        if start:
            found.append((name, start, end))
    return found


def test_every_quote_with_offsets_in_every_named_query_matches_its_text(store, bundled):
    """Every entity an article or treaty text names, and every 20th of the rest (the record's
    states: their rows come from one reader, and all of them would take minutes)."""
    texts = [quad.object.value for quad in store.quads_for_pattern(None, FULL_TEXT, None)]
    every = sorted(str(q.object.value) for q in store.quads_for_pattern(None, IDENTIFIER, None)
                   if "/id/" in q.subject.value)
    corpus, _ = bundled
    records = {s.id for s in corpus.sources if s.kind.value == "reference-record"}
    named = {e for c in corpus.claims if c.source_id not in records for e in (c.subject, c.object) if e}
    entities = sorted(named & set(every)) + [e for e in every if e not in named][::20]
    assert len(named & set(every)) > 50 and len(entities) > 70
    # a state or treaty parameter is run with the states or treaties among them
    typed = {name: {e.id for e in corpus.entities if e.type == kind} for name, kind in
             (("state", "State"), ("treaty", "Treaty"))}
    checked: dict[str, int] = {}
    for query in library():
        runs = [{}] if not any(p.required for p in query.parameters) else []
        for parameter in query.parameters:
            if parameter.type == "iri":  # a date (asof) narrows what the other runs show
                runs += [{parameter.name: entity} for entity in entities
                         if entity in typed.get(parameter.name, [entity])]
        for params in runs:
            rows = obligraph.query(query.name, store=store, **params)
            if not rows:
                continue
            for quote, start, end in offset_columns(list(rows[0])):
                for row in rows:
                    if row[quote] is None:
                        continue
                    stop = row[end] if end else row[start] + len(row[quote])
                    assert any(text[row[start]:stop] == row[quote] for text in texts), (
                        query.name, params, row[quote], row[start], stop)
                    checked[query.name] = checked.get(query.name, 0) + 1
    assert checked.get("evidence-for", 0) > 500, checked
