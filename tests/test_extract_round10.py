"""Extraction, issue 21's tenth part: kinds of false positive found on the development material
(dev, unseen2–unseen9, t1–t3, the bundled articles), each asserted on the candidates a made-up
sentence of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.extract.candidates import extract

from .conftest import PERU_REGISTRY, extracted

REG = PERU_REGISTRY


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def _values(text, registry=REG):
    return [c.value for c in extract(text, registry, source_id="x") if c.predicate == "hasValue"]


def test_a_voluntary_or_organised_return_is_no_forced_return_nor_policy():
    for text in ("Between 2015 and 2018 some 3,000 Venezuelans left Peru in an organised repatriation.",
                 "In 2019 Peru began the voluntary repatriation of Venezuelans.",
                 "Most of the Venezuelans were voluntarily returned by Peru in 2020."):
        assert _found(text, "repatriates") == [], text
        assert _found(text, "hasPolicy") == [], text
    # a forced one still is
    text = "In 2019 Peru expelled 3,000 Venezuelans to Bolivia."
    assert _found(text, "repatriates") == [("peru", "venezuelans", "asserts")]
    assert _found(text, "hasPolicy") == [("peru", "peru-expulsion", "asserts")]
