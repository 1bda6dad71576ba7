"""Extraction, issue 21's twelfth part: kinds of error found on the development material (dev,
unseen2–unseen11, t1–t3, the bundled articles), each asserted on the candidates a made-up sentence
of general English gives (not the articles' sentences)."""

from __future__ import annotations

from obligraph.corpus.model import Entity

from .conftest import PERU_REGISTRY, extracted, linked

REG = PERU_REGISTRY + (Entity("spain", "State", "Spain"),)


def _found(text, predicate, registry=REG):
    return extracted(text, predicate, registry)


def test_a_short_name_inside_a_longer_name_used_before_is_that_name():
    registry = REG + (Entity("ombudsman-office", "IntergovernmentalOrganization", "Andean Ombudsman Office",
                             ("the Chief Ombudsman",)),
                      Entity("migrant-ombudsman", "IntergovernmentalOrganization",
                             "Regional Chief Ombudsman for Migrant Workers"))
    text = ("The Regional Chief Ombudsman for Migrant Workers visited Peru in May. "
            "The Chief Ombudsman said that the expulsions of Venezuelans should stop.")
    assert ("Chief Ombudsman", "migrant-ombudsman") in linked(text, registry)
    assert ("Chief Ombudsman", "ombudsman-office") not in linked(text, registry)
    # the alias's own entity named in between: the alias is its own again
    text = ("The Regional Chief Ombudsman for Migrant Workers visited Peru in May. The Andean Ombudsman "
            "Office wrote to Lima. The Chief Ombudsman said that the expulsions should stop.")
    assert ("Chief Ombudsman", "ombudsman-office") in linked(text, registry)
    # with no longer name before it, the alias is the registry's
    assert ("Chief Ombudsman", "ombudsman-office") in linked("The Chief Ombudsman visited Peru.", registry)
