"""Every entity of the registry is used: by a claim (as its subject, object, topic or speaker),
by a source's metadata (author, publisher, the treaty a text belongs to) or by the reference
record. An entity nothing refers to is either a fact left out of the claims or a stray entry."""

from __future__ import annotations


def _used(corpus) -> set[str]:
    used = set()
    for claim in corpus.claims:  # curated claims and the reference record's rows alike
        used.update(ref for ref in (claim.subject, claim.object, claim.topic, claim.stated_by) if ref)
    for source in corpus.sources:
        used.update(ref for ref in (source.author, source.publisher, source.treaty) if ref)
    return used


def test_every_registry_entity_is_used(bundled):
    corpus, _ = bundled
    unused = sorted(entity.id for entity in corpus.entities if entity.id not in _used(corpus))
    assert unused == []


def test_the_entities_once_unused_are_linked_or_gone(bundled):
    corpus, _ = bundled
    ids = {entity.id for entity in corpus.entities}
    assert "isn-eth-zurich" not in ids
    crossing = [(c.source_id, c.subject, c.predicate, [e.span.exact for e in c.evidence])
                for c in corpus.claims if c.object == "yalu-river"]
    assert crossing == [("001_84ad41ae37dad2cf", "north-korean-refugees", "crosses",
                         ["The majority of North Koreans who attempt to escape the repressive regime "
                          "cross the Yalu River from Korea into either Jilin or Liaoning provinces"])]


def test_the_check_finds_an_unused_entity(bundled):
    corpus, _ = bundled
    from dataclasses import replace

    from obligraph.corpus.model import Entity
    spoiled = replace(corpus, entities=corpus.entities + (Entity("nowhere", "Place", "Nowhere"),))
    assert sorted(e.id for e in spoiled.entities if e.id not in _used(spoiled)) == ["nowhere"]
