"""Treaty provisions a text names ("Article 33(1) of the 1951 Convention", "article 3 of that
treaty") as mentions of the registry's provisions, and the reports it names with who published
them."""

from __future__ import annotations

import re

from ..corpus.model import Entity
from .dates import YEAR
from .found import Candidate, Mention, Sentence

_ARTICLE = re.compile(r"(?<![\w])(?:article|art\.)\s+(\d+|[ivx]+)(?![\w])(?:\s*\(\w+\))*")


def find_provisions(sentences: list[Sentence], entities: dict[str, Entity]) -> None:
    """Treaty provisions the text names: "Article 33(1) of the 1951 Convention", "article 3 of
    that treaty", "the Refugee Convention under article 35", "CEDAW … in article 14" — a mention
    of TREATY-art-N where the registry has that provision."""
    treaties: list[Mention] = []
    for sentence in sentences:
        here = [m for m in sentence.mentions if m.type in ("Treaty", "Declaration")]
        found = []
        for match in _ARTICLE.finditer(sentence.folded, sentence.start, sentence.end):
            number = match.group(1)
            after = [m for m in here if 0 <= m.start - match.end() <= 16
                     and re.fullmatch(r"\s*of\s+(?:the\s+)?(?:(?:un|u\.n\.|\d{4})\s+)?",
                                      sentence.folded[match.end():m.start])]
            if after:
                treaty = after[0]
            elif re.match(r"\s*of\s+(?:that|this|the)\s+(?:treaty|convention|covenant|protocol|instrument)\b",
                          sentence.folded[match.end():match.end() + 30]):
                earlier = [m for m in here if m.end <= match.start()] or treaties[-1:]
                treaty = earlier[-1] if earlier else None
            else:
                earlier = [m for m in here if m.end <= match.start()]
                treaty = earlier[-1] if earlier else None
            if treaty is None:
                continue
            provision = f"{treaty.entity}-art-{number}"
            if provision in entities and entities[provision].type == "TreatyProvision":
                found.append(Mention(match.start(), match.end(), provision, "TreatyProvision", "provision"))
        treaties.extend(here)
        if found:
            sentence.mentions = sorted(sentence.mentions + found, key=lambda m: (m.start, m.entity))


def publications(ex, sentence: Sentence) -> list[Candidate]:
    """"A report by X", "X's 2014 report" (the agent inside the report's name or after by/of):
    X publishes the report, in the year its name gives."""
    out = []
    for report in (m for m in sentence.mentions if m.type == "Report"):
        inner = [m for m in ex.agents.find(ex.text, report.start, report.end, ex.folded, ex.plain)
                 if (m.start, m.end) != (report.start, report.end)]
        near = [m for m in sentence.mentions if m.type in ("IntergovernmentalOrganization",
                "NGO", "GovernmentBody") and re.search(
                    r"(?:by|of)\s+(?:the\s+)?$", sentence.words_between(report.end, m.start))]
        agent = (inner or near or [None])[0]
        if agent is None:
            continue
        year = YEAR.search(ex.text, report.start, report.end)
        out.append(Candidate(
            subject=agent.entity, predicate="publishes", object=report.entity,
            quote=ex.text[sentence.start:sentence.end], start=sentence.start, end=sentence.end,
            rule="publishes/report-name", confidence=0.7 if inner else 0.6,
            date=year.group(1) if year else None))
    return out
