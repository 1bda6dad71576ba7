"""Which harms a sentence names as harms (rules.yaml `harms`): "sexual violence in detention" says
where the violence happens, not that detention is a harm of its own; "detained inside a prison
camp" names the narrower harm (detention in a prison camp), not also the general one."""

from __future__ import annotations

import re

from .found import Mention, Sentence
from .rulefile import _cached_list
from .text import CLAUSE_BREAK

_IN = re.compile(r"\s+(?:in|inside|during|while in)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}")
_INTO = re.compile(r"\s+(?:in|inside|at|to|into)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,3}")


def harms_meant(pool: list[Mention], sentence: Sentence, harms: dict) -> list[Mention]:
    settings = set(harms.get("settings", []))
    narrower = {k: set(v) for k, v in (harms.get("narrower") or {}).items()}
    named = [m for m in sentence.mentions if m.type == "Harm"]
    out = []
    for mention in pool:
        if mention.type == "Harm" and mention.entity in settings and any(
                h.end <= mention.start and _IN.fullmatch(sentence.folded, h.end, mention.start)
                for h in named if h.entity != mention.entity):
            continue  # "sexual violence in (pre-trial) detention": where, not what
        if mention.type == "Harm" and any(
                h.entity in narrower.get(mention.entity, ()) and mention.end <= h.start
                and _INTO.fullmatch(sentence.folded, mention.end, h.start) for h in named):
            continue  # "detained inside a North Korean prison camp": the narrower harm only
        out.append(mention)
    return out


def continues_return(reading, index: int) -> bool:
    """Whether sentence ``index`` goes on about the people the sentence before says were returned
    ("Returnees are questioned. Those suspected of … are sent to camps; others …", "… the
    returnees were sent to camps. Women among them risk sexual violence"): it opens with words
    of `continues` (rules.yaml, rule faces-on-return) or "… among them", not in the pluperfect
    ("Most had been held …": before the return), names no return itself, and the sentence before
    has a trigger of that rule."""
    rule = next((r for r in reading.rules.relations if r.spec.get("continues")), None)
    sentence = reading.sentences[index]
    if rule is None or index == 0 or reading._matches(sentence, rule):
        return False
    words = "|".join(re.escape(w) for w in rule.spec["continues"])
    opening = re.match(r"\W*(?:(?:but|and|yet)\s+)?(?:(?:[\w-]+\s+){1,3}(?:said|say|says|told us|told|reported|recounted)\s+"
                       r"(?:that\s+)?)?(?:(?:%s)\b|[\w-]+\s+among\s+them\b)" % words,
                       sentence.folded[sentence.start:sentence.end])
    if not opening or re.match(r"\s+had\b", sentence.folded[sentence.start + opening.end():]):
        return False  # "Most had been held for months …": before their return, not after
    hedges = "|".join(re.escape(w) for w in rule.spec.get("continues_unless", []))
    if hedges and re.match(r"\s+(?:\w+\s+)?(?:%s)\b" % hedges, sentence.folded[sentence.start + opening.end():]):
        return False  # "Some may be executed": a guess, not what the returned face
    previous = reading.sentences[index - 1]
    return not previous.heading and bool(reading._matches(previous, rule))


# the return, after a harm in its clause: the harm came before it
_BEFORE_RETURN = re.compile(r"(?<![\w])(?:before|prior to|ahead of)\s+(?:(?:the|their|his|her|its)\s+(?:\w+\s+)?"
                            r"(?:flights?|departures?|deportations?|removals?|returns?|expulsions?|transfers?|handovers?)"
                            r"|(?:being|they were|he was|she was)\s+(?:\w+ly\s+)?(?:deported|returned|sent back|expelled|"
                            r"removed|flown|handed over|put on))(?![\w])")


# an aside between commas closed right before the harm's verb (", who had fled …, was detained")
_ASIDE_CLOSED = re.compile(r",[^,;]{3,80},\s+(?:(?:was|were|had been|has been|have been)\s+)?(?:\w+ly\s+)?$")


def harm_out_of_return(reading, sentence: Sentence, harm: Mention, spec: dict, people: Mention) -> bool:
    """Whether ``harm`` is said to come before the return or to be forbidden, not to follow it
    (rule faces-on-return: `harm_not_after`, `harm_not_before`), or is another people's, named in
    a clause of its own ("Thailand deported the Uyghurs, while Rohingya in Thailand face detention")."""
    clause = reading._clause_start(sentence, harm.start)
    if clause > max(people.end, sentence.start) and any(
            m.type == "Group" and m.entity != people.entity and clause <= m.start < harm.start
            for m in sentence.mentions):
        return True
    words = list(re.finditer(r"\S+", sentence.folded[max(clause, harm.start - 60):harm.start]))
    low = max(clause, harm.start - 60) + (words[-6].start() if len(words) >= 6 else 0)
    after = spec.get("harm_not_after")
    aside = _ASIDE_CLOSED.search(sentence.folded, max(clause, harm.start - 100), harm.start)
    if aside:  # ", an activist who had fled Harare in 2023, was detained": the aside is no time of the harm
        low = aside.end()
    if after and _cached_list(tuple(after)).search(sentence.folded, max(clause, low), harm.start):
        return True
    brk = CLAUSE_BREAK.search(sentence.folded, harm.end, sentence.end)
    if _BEFORE_RETURN.search(sentence.folded, harm.end, brk.start() if brk else sentence.end):
        return True  # "several were tortured by the police before their deportation": before it
    before = spec.get("harm_not_before")
    return bool(before) and bool(re.compile(r"\s*(?:\S+\s+){0,2}?(?:%s)" % _cached_list(tuple(before)).pattern)
                                 .match(sentence.folded, harm.end, sentence.end))
