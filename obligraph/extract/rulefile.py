"""The extraction rules file (rules.yaml): relations with their triggers, stance words, linking."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .text import phrase_regex

RULES_FILE = Path(__file__).with_name("rules.yaml")


# --- rules ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    name: str
    predicate: str
    triggers: tuple[tuple[re.Pattern, tuple[str, ...], int | None], ...]
    spec: dict = field(hash=False, compare=False)


@dataclass(frozen=True)
class Rules:
    relations: tuple[Rule, ...]
    stance: dict = field(hash=False, compare=False)
    linking: dict = field(default_factory=dict, hash=False, compare=False)
    policies: dict = field(default_factory=dict, hash=False, compare=False)
    harms: dict = field(default_factory=dict, hash=False, compare=False)
    numbers: dict = field(default_factory=dict, hash=False, compare=False)
    proposals: dict = field(default_factory=dict, hash=False, compare=False)

    def without(self, source_id: str) -> "Rules":
        """The rules with every trigger taken from ``source_id`` (prefix match) removed."""
        def keep(origins: tuple[str, ...]) -> bool:
            return not any(source_id.startswith(o) for o in origins)
        return replace(self, relations=tuple(Rule(r.name, r.predicate, tuple(t for t in r.triggers if keep(t[1])),
                                                  r.spec) for r in self.relations))


def _compile_list(phrases) -> re.Pattern:
    return re.compile("|".join(phrase_regex(p) for p in phrases)) if phrases else re.compile(r"(?!x)x")


@lru_cache(maxsize=256)
def _cached_list(phrases: tuple[str, ...]) -> re.Pattern:
    return _compile_list(phrases)


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    relations = []
    for spec in data["relations"]:
        triggers = []
        for trigger in [*spec.get("triggers", []), *spec.get("also_triggers", [])]:  # also: this rule's own
            phrase, origins, near = (trigger["p"], tuple(trigger.get("from", ())), trigger.get("near")) \
                if isinstance(trigger, dict) else (trigger, (), None)
            triggers.append((re.compile(phrase_regex(phrase)), origins, near))
        relations.append(Rule(spec["rule"], spec["predicate"], tuple(triggers), dict(spec)))
    stance = dict(data.get("stance", {}))
    return Rules(tuple(relations), stance, dict(data.get("linking", {})), dict(data.get("policies", {})),
                 dict(data.get("harms", {})), dict(data.get("numbers", {})), dict(data.get("proposals", {})))
