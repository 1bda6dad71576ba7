"""What the shapes check of a claims file (pipeline._checked_unit): every claim of its first
CLAIMS_PER_PART, then the first claim of each form not yet checked in the build — so that every
form of claim a file holds reaches pySHACL, however long the file."""

from __future__ import annotations

from collections import Counter

import pytest

from obligraph.corpus.model import SourceKind
from obligraph.graph import pipeline
from obligraph.graph.rdf import source_triples


class Recorder:
    """Stands in for validate.ShapeBatches: keeps what each unit hands it."""

    def __init__(self) -> None:
        self.checked: list = []

    def add(self, key, unit, triples, *, extra=(), claims=None) -> None:
        self.checked.append(list(claims))


def form(claim) -> frozenset:
    """A claim's triples with their values blanked but for the vocabulary that types them."""
    return frozenset((str(p), str(o) if str(p).endswith(("#type", "#mode", "#stance", "#predicate"))
                      else type(o).__name__) for _, p, o in source_triples(None, [claim]))


@pytest.fixture(scope="module")
def article(bundled):
    corpus = bundled[0]
    claims = Counter(c.source_id for c in corpus.claims)
    source = max((s for s in corpus.sources if s.kind is SourceKind.ARTICLE), key=lambda s: claims[s.id])
    return source, [c for c in corpus.claims if c.source_id == source.id]


def checked_units(article, monkeypatch, times: int) -> tuple[list, dict]:
    """What the shapes are handed when the article's claims file is read ``times`` in one build
    (ten claims one by one: CLAIMS_PER_PART lowered), and the forms the build has seen."""
    source, claims = article
    monkeypatch.setattr(pipeline, "CLAIMS_PER_PART", 10)
    recorder = Recorder()
    forms: dict = {}
    for key in range(times):
        pipeline._checked_unit(str(key), source, claims, forms, recorder)
    return recorder.checked, forms


def test_past_the_first_claims_one_of_each_new_form_is_checked(article, monkeypatch):
    _, claims = article
    (checked,), forms = checked_units(article, monkeypatch, 1)
    assert checked[:10] == claims[:10]
    rest = checked[10:]
    assert rest and len(checked) < len(claims)  # the point: not every claim of a long file
    assert all(c in claims[10:] for c in rest)
    # each claim past the first ten is checked when no claim before it had its form
    assert [c.key for c in rest] == [c.key for c in pipeline.record_sample(
        claims[10:], seen=_forms_of(claims[:10]))]
    assert forms[pipeline.CLAIMS_FILE_FORMS] == _forms_of(claims)  # the build remembers them all
    # and every form of triples the file's claims make is among those checked
    assert {form(c) for c in claims} == {form(c) for c in checked}


def test_a_form_checked_in_one_file_is_not_checked_again_in_the_next(article, monkeypatch):
    _, claims = article
    (_, second), _ = checked_units(article, monkeypatch, 2)
    assert second == claims[:10]  # its first claims, checked one by one; no form is new after them


def _forms_of(claims) -> set:
    seen: set = set()
    pipeline.record_sample(claims, seen=seen)
    return seen
