"""An edge's stance from the stances of its claims, the label that says it, and the sides of a
contradiction (network.py, exports and the page read them)."""

from __future__ import annotations

from collections import defaultdict

STANCES = ("asserts", "alleges", "denies", "recommends")  # a claim's ob:stance, lower-cased
# an edge's one-word stance (stance_of), and "inferred" for an edge no claim states
EDGE_STANCES = ("asserted", "alleged", "denied", "recommended", "disputed", "inferred")


def stance_of(stances: dict[str, int], *, inferred: bool = False) -> str:
    """An edge's one-word stance from how many of its claims assert, allege, deny and recommend
    it. What the relation is, in fact, comes first, recommendations only when no claim says
    whether it holds:

    - ``disputed``: some claims assert or allege it, others deny it;
    - ``asserted``: a claim asserts it and none denies it (allegations and recommendations
      beside the assertion change nothing but the counts);
    - ``alleged``: claims allege it, none asserts or denies it;
    - ``denied``: claims deny it, none asserts or alleges it (a recommendation that it should
      hold, beside the denial, is counted);
    - ``recommended``: every claim recommends it;
    - no claim at all: ``inferred`` for a relation the rules derived, else ``asserted`` (a plain
      triple of a source graph, which only an asserting claim writes)."""
    says = stances.get("asserts", 0) + stances.get("alleges", 0)
    if says and stances.get("denies", 0):
        return "disputed"
    if stances.get("asserts", 0):
        return "asserted"
    if stances.get("alleges", 0):
        return "alleged"
    if stances.get("denies", 0):
        return "denied"
    if stances.get("recommends", 0):
        return "recommended"
    return "inferred" if inferred else "asserted"


def stance_label(relation: str, stance: str, stances: dict[str, int]) -> str:
    """The relation's label as the page and the network exports show it: ``not party to`` for a
    denied relation, ``tortures (alleged)``, ``urges (recommended)``, ``tortures (disputed: 1
    denies)``; an asserted or inferred one as its relation."""
    if stance == "denied":
        return "not " + relation
    if stance == "disputed":
        return f"{relation} (disputed: {stances.get('denies', 0)} denies)"
    if stance in ("alleged", "recommended"):
        return f"{relation} ({stance})"
    return relation


def _date_precision(claims: list[dict]) -> int:
    """How much of the dates tells the sides apart: the year where the years differ (1951 |
    1982, with 1982-09-24 on 1982's side), else the month, else the day (rule 40 compares dates
    at the coarser precision of each pair)."""
    for width in (4, 7):
        if len({c["date"][:width] for c in claims if len(c["date"]) >= width}) > 1:
            return width
    return 10


def sides_of(aspect: str, claims: list[dict]) -> list[dict]:
    """The claims of a contradiction grouped by what they say on its aspect (for a date, at the
    precision that tells them apart: _date_precision), sides in order of what they say."""
    width = _date_precision(claims) if aspect == "date" else 0
    says = {"date": lambda c: c["date"][:width], "mode": lambda c: c["mode"],
            "value": lambda c: c["value"] or ""}.get(aspect, lambda c: c["stance"])
    grouped: dict[str, list] = defaultdict(list)
    for claim in claims:
        grouped[says(claim)].append(claim)
    return [{"says": said, "claims": grouped[said]} for said in sorted(grouped)]
