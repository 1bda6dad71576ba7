"""Candidates files and their review.

`obligraph extract` writes NAME.candidates.yaml next to NAME.txt: the candidate claims in the
curated format plus n, status, confidence, rule, start and end, and the proposed new entities.
`obligraph review` accepts or rejects candidates: an accepted one is APPENDED to NAME.claims.yaml
(whatever the curator wrote stays byte for byte) with reviewed_by and reviewed_on; the candidates
file records each decision. A curator edits a candidate in the candidates file before accepting it
(the subject of a statistic, an entity the registry lacks) — the documented edit-and-accept flow.
An accepted proposed entity (--accept-entities) is APPENDED to the registry in the same review as
the claims that name it; the registry is written first and put back if the claims file cannot be.

Both files are written whole or not at all (obligraph/corpus/atomic.py: a temporary file, fsynced, read
back and compared, renamed), the claims file first: a review that cannot write it (a full disk)
changes neither file. One review (or extract) of a text at a time: it holds the lock
``.NAME.claims.yaml.lock`` beside the claims file; a second one waits a moment, then is refused
with the first one's pid. Both files are read as the corpus reads its YAML (corpus/yamlfile.py:
regular files only, sizes counted as read, values kept as written — 0123, yes, dates)."""

from __future__ import annotations

import contextlib
import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from ..corpus import atomic
from ..corpus.claimkey import claim_key
from ..corpus.yamlfile import parse_yaml, read_text, read_yaml_text
from ..errors import CandidatesExistError, ObligraphError, ReviewError
from .candidates import Extraction
from .proposing import proposed_names

CLAIM_KEYS = ("subject", "predicate", "object", "value", "min", "max", "mode", "date",
              "unit", "approximate", "at_least", "topic", "role", "stance", "stated_by", "note",
              "quote", "occurrence")
HEADER = """\
# Candidate claims proposed by `obligraph extract` for {text} — machine-extracted, NOT reviewed.
# mentions: every registry entity linked in the text (surface, span, entity, rule), read first.
# Each candidate is in the curated claims format (sources/README.md) plus n, status, confidence,
# rule and the quote's character span (start, end). To review:
#   obligraph review {path} --accept 1,3 --reject 2 [--reviewer NAME]    (or --accept-all)
# Accepted candidates are appended to {claims} (never overwritten). Edit a candidate here first
# to correct it (e.g. give a statistic a registry id, or name a proposed entity). new_entities are
# proposals for the registry: --accept-entities ID[,ID] appends them to sources/entities.yaml, in
# the review that accepts a claim naming them (the build refuses an entity no claim uses).
"""


def paths_for(text_path: Path) -> tuple[Path, Path]:
    """(candidates file, claims file) of a source text NAME.txt."""
    stem = text_path.name[:-4] if text_path.name.endswith(".txt") else text_path.stem
    return (text_path.with_name(stem + ".candidates.yaml"), text_path.with_name(stem + ".claims.yaml"))


REVIEW_WAIT = 5.0  # seconds a review waits for another one of the same text (a review takes < 1 s)


def review_lock(text_path: Path, *, what: str):
    """The lock of a text's claims and candidates files, held while either is written."""
    _, claims = paths_for(text_path)
    return atomic.locked(claims.with_name(f".{claims.name}.lock"), what=what, shown=str(claims),
                         wait=REVIEW_WAIT)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def candidates_document(extraction: Extraction, text_path: Path) -> str:
    entries = []
    proposed = {e.id for e in extraction.new_entities}
    for number, candidate in enumerate(extraction.candidates, 1):
        entry: dict[str, Any] = {"n": number, "status": "pending"}
        entry.update(candidate.claim_fields())
        entry.update(start=candidate.start, end=candidate.end, confidence=candidate.confidence,
                     rule=candidate.rule)
        if names := proposed_names(candidate, proposed):
            entry["proposed_entities"] = names  # accepted only with them (--accept-entities)
        entries.append(entry)
    proposals = [{"id": e.id, "type": e.type, "label": e.label} | ({"aliases": list(e.aliases)} if e.aliases else {})
                 | {"status": "proposed", "quote": e.quote, "start": e.start, "end": e.end}
                 for e in extraction.new_entities]
    _, claims = paths_for(text_path)
    # the review line names the text as the caller did, so it works from where extract ran
    return (HEADER.format(text=text_path.name, path=text_path, claims=claims.name)
            + _dump({"source": text_path.name[:-4] if text_path.name.endswith(".txt") else text_path.stem,
                     "mentions": extraction.mention_entries(),
                     "candidates": entries, "new_entities": proposals}))


def write_candidates(extraction: Extraction, text_path: Path, out: Path, *, force: bool) -> Path:
    if out.exists() and not force:
        raise CandidatesExistError(f"{out.name} already exists", path=str(out),
                                   hint="review it (obligraph review), or add --force to replace it")
    _, claims = paths_for(text_path)
    if out.resolve() == claims.resolve():
        raise CandidatesExistError("refusing to write candidates over the curated claims file",
                                   path=str(out), hint="choose another --out")
    with review_lock(text_path, what="obligraph extract"):
        atomic.write_file(out, candidates_document(extraction, text_path), verify=True)
    return out


def read_candidates(path: Path, text: str | None = None) -> dict:
    """A candidates file's content (``text``: its text, already read)."""
    if not path.exists():
        raise ReviewError("no candidates file", path=str(path),
                          hint="run `obligraph extract` on the text first")
    data = parse_yaml(read_yaml_text(path) if text is None else text, shown=str(path)) or {}
    if not isinstance(data, dict) or not isinstance(data.get("candidates"), list):
        raise ReviewError("not a candidates file (no 'candidates:' list)", path=str(path))
    return data


def parse_numbers(spec: str | None) -> list[int]:
    if not spec:
        return []
    numbers = []
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise ReviewError(f"{part!r} is not a candidate number or range like 3 or 2-5")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        numbers.extend(range(low, high + 1))
    return sorted(set(numbers))


def claim_entry(candidate: dict, text: str, reviewer: str, on: str) -> dict:
    """The curated claim an accepted candidate becomes."""
    entry = {k: candidate[k] for k in CLAIM_KEYS if k in candidate and candidate[k] is not None}
    quote = str(entry["quote"])
    start = candidate.get("start")
    if isinstance(start, int) and text[start:start + len(quote)] == quote:
        earlier = len(re.findall(f"(?={re.escape(quote)})", text[:start]))
        if earlier or text.count(quote) > 1:
            entry["occurrence"] = earlier + 1
    entry["reviewed_by"] = reviewer
    entry["reviewed_on"] = on
    return entry


def _proposed(data: dict, accept: list[str], reject: list[str], path: Path) -> dict[str, dict]:
    """The candidates file's proposed new entities by id, the decisions on them checked."""
    by_id = {str(e["id"]): e for e in data.get("new_entities") or [] if isinstance(e, dict) and "id" in e}
    both = set(accept) & set(reject)
    if both:
        raise ReviewError(f"proposed entity {min(both)!r} is both accepted and rejected")
    for entity_id in [*accept, *reject]:
        if entity_id not in by_id:
            raise ReviewError(f"there is no proposed entity {entity_id!r}", path=str(path),
                              hint=f"it proposes {', '.join(sorted(by_id))}" if by_id
                              else "it proposes no new entity (new_entities: is empty)")
        if by_id[entity_id].get("status") not in (None, "proposed"):
            raise ReviewError(f"proposed entity {entity_id!r} is already {by_id[entity_id]['status']}",
                              path=str(path))
    return by_id


def _check_new_ids(accept: list[str], proposed: dict[str, dict], names: set[str], types: set[str] | None,
                   path: Path) -> None:
    """An accepted proposal becomes a registry entry: a new id of the registry's form, a label,
    and names no other entity has."""
    from ..corpus.checks import name_keys
    taken = set(names)
    for entity_id in accept:
        entry = proposed[entity_id]
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", entity_id):
            raise ReviewError(f"proposed entity id {entity_id!r} is not lower-case letters, digits and '-'",
                              path=str(path), hint="edit its id (and the candidates that name it), then review again")
        if not isinstance(entry.get("type"), str) or not str(entry.get("label") or "").strip():
            raise ReviewError(f"proposed entity {entity_id!r} needs a type and a label", path=str(path))
        if types is not None and entry["type"] not in types:
            raise ReviewError(f"proposed entity {entity_id!r}: unknown type {entry['type']!r}", path=str(path),
                              hint=f"types: {', '.join(sorted(types))}")
        aliases = entry.get("aliases") or []
        for name in [str(entry["label"]), *(str(a) for a in (aliases if isinstance(aliases, list) else [aliases]))]:
            keys = set(name_keys(name))
            if keys & taken:
                raise ReviewError(f"proposed entity {entity_id!r}: the name {name!r} is already a registry "
                                  "name (or another proposal's)", path=str(path),
                                  hint="edit its label or aliases in the candidates file, or use the entity "
                                       "that has the name")
            taken |= keys


def _append_entities(registry: Path, entries: list[dict], *, source: str, reviewer: str, on: str) -> str:
    """Append accepted proposals to the registry file — what is there stays byte for byte — and
    return its text as it was."""
    raw = read_yaml_text(registry)
    existing = parse_yaml(raw, shown=str(registry)) or []
    new = []
    for entry in entries:
        entity = {k: entry[k] for k in ("id", "type", "label", "aliases") if entry.get(k)}
        entity["note"] = f"proposed by obligraph extract ({source}); accepted by {reviewer} on {on}"
        new.append(entity)
    addition = "" if not raw or raw.endswith("\n") else "\n"
    addition += "".join(f"\n# accepted from {source} by {reviewer} on {on}\n" + _dump([e]) for e in new)
    combined = raw + addition
    try:
        parsed = parse_yaml(combined, shown=str(registry))
    except ObligraphError:
        parsed = None
    if not isinstance(existing, list) or parsed != [*existing, *new]:
        raise ReviewError("cannot append to the registry: it is not a block list of entities",
                          path=str(registry), hint="write it as '- id: …' entries, then review again")
    atomic.write_file(registry, combined, verify=True,
                      unchanged="it is unchanged, and no candidate was marked decided")
    return raw


def review(text_path: Path, *, accept: list[int], reject: list[int], accept_all: bool,
           reviewer: str, known: set[str], today: datetime.date | None = None,
           accept_entities: list[str] = (), reject_entities: list[str] = (),
           registry: Path | None = None, names: set[str] = frozenset(),
           types: set[str] | None = None) -> dict[str, list]:
    """Apply decisions; returns {"accepted": [...], "rejected": [...], "duplicates": [...],
    "entities_accepted": [...], "entities_rejected": [...], "entities_added": [...]}.
    ``accept_entities``: ids of the candidates file's proposed new entities to append to
    ``registry`` (the corpus's entities.yaml), each named by a claim accepted in this review or
    already in the claims file;
    ``names``: the registry's names as checks.name_keys gives them (a proposal may not take one);
    ``types``: the entity types a proposal may have (the ontology's)."""
    with review_lock(text_path, what="obligraph review"):
        return _review(text_path, accept=accept, reject=reject, accept_all=accept_all,
                       reviewer=reviewer, known=known, today=today, accept_entities=list(accept_entities),
                       reject_entities=list(reject_entities), registry=registry, names=names,
                       types=types)


def _review(text_path: Path, *, accept: list[int], reject: list[int], accept_all: bool,
            reviewer: str, known: set[str], today: datetime.date | None, accept_entities: list[str],
            reject_entities: list[str], registry: Path | None, names: set[str],
            types: set[str] | None) -> dict[str, list]:
    candidates_path, claims_path = paths_for(text_path)
    candidates_raw = read_yaml_text(candidates_path) if candidates_path.exists() else ""
    data = read_candidates(candidates_path, candidates_raw)
    proposed = _proposed(data, accept_entities, reject_entities, candidates_path)
    # a proposal the registry has by now (a review whose candidates file could not be written,
    # done again) is accepted, not added twice
    fresh = [entity_id for entity_id in accept_entities if entity_id not in known]
    if fresh and registry is None:
        raise ReviewError("accepting a proposed entity needs the registry file", hint="pass registry=")
    known = set(known) | set(fresh)
    by_number = {int(c["n"]): c for c in data["candidates"] if isinstance(c, dict) and "n" in c}
    if accept_all:
        accept = sorted(n for n, c in by_number.items() if c.get("status") == "pending")
    both = set(accept) & set(reject)
    if both:
        raise ReviewError(f"candidate {min(both)} is both accepted and rejected")
    for number in [*accept, *reject]:
        if number not in by_number:
            raise ReviewError(f"there is no candidate {number}", path=str(candidates_path),
                              hint=f"candidates are numbered 1 to {max(by_number, default=0)}")
        if by_number[number].get("status") not in (None, "pending"):
            raise ReviewError(f"candidate {number} is already {by_number[number]['status']}",
                              path=str(candidates_path))
    if not reviewer or not reviewer.strip():
        raise ReviewError("a reviewer is needed", hint="pass --reviewer NAME (or set $USER)")
    on = (today or datetime.date.today()).isoformat()
    text = read_text(text_path)
    existing_raw = read_yaml_text(claims_path) if claims_path.exists() else ""
    existing = parse_yaml(existing_raw, shown=str(claims_path)) or []
    if not isinstance(existing, list):
        raise ReviewError("the claims file is not a list of claims", path=str(claims_path))
    seen = {claim_key(e) for e in existing if isinstance(e, dict)}
    _check_new_ids(fresh, proposed, names, types, candidates_path)
    new_entries, duplicates, accepted = [], [], []
    for number in accept:
        candidate = by_number[number]
        entry = claim_entry(candidate, text, reviewer.strip(), on)
        for field in ("subject", "object", "topic", "stated_by"):
            if entry.get(field) is not None and str(entry[field]) not in known:
                raise ReviewError(f"candidate {number}: {field} {entry[field]!r} is not in the registry",
                                  path=str(candidates_path),
                                  hint=f"accept the proposed entity with it: --accept-entities {entry[field]}"
                                  if str(entry[field]) in proposed else
                                  "add it to sources/entities.yaml, or edit the candidate, then accept again")
        key = claim_key(entry)
        if key in seen:
            duplicates.append(number)
        else:
            seen.add(key)
            new_entries.append((number, entry))
        accepted.append(number)
    if new_entries:
        addition = "" if not existing_raw or existing_raw.endswith("\n") else "\n"
        if not existing_raw:
            addition += f"# Curated claims for {text_path.name}. Format: sources/README.md.\n"
        for number, entry in new_entries:
            candidate = by_number[number]
            addition += (f"\n# accepted from {candidates_path.name} candidate {number} "
                         f"(rule {candidate.get('rule')}, confidence {candidate.get('confidence')})\n")
            addition += _dump([entry])
        combined = existing_raw + addition
        try:
            parsed = parse_yaml(combined, shown=str(claims_path))
        except ObligraphError:
            parsed = None
        if parsed != [*existing, *(e for _, e in new_entries)]:
            raise ReviewError("cannot append to the claims file: it is not a block list of claims",
                              path=str(claims_path),
                              hint="write it as '- subject: …' entries, then review again")
    used = {str(e.get(f)) for e in [*existing, *(e for _, e in new_entries)] if isinstance(e, dict)
            for f in ("subject", "object", "topic", "stated_by") if e.get(f) is not None}
    for entity_id in fresh:
        if entity_id not in used:
            raise ReviewError(f"proposed entity {entity_id!r} is named by no claim", path=str(candidates_path),
                              hint="every registry entity is used by a claim: edit a candidate to name it "
                                   "(subject, object, topic or stated_by) and accept both in one review")
    with (atomic.locked(registry.with_name(f".{registry.name}.lock"), what="obligraph review",
                        shown=str(registry), wait=REVIEW_WAIT) if fresh else contextlib.nullcontext()):
        restore = _append_entities(registry, [proposed[i] for i in fresh],
                                   source=candidates_path.name, reviewer=reviewer.strip(), on=on) \
            if fresh else None
        try:
            if new_entries:
                # the whole file, rewritten: what the curator wrote, byte for byte, then the new claims
                atomic.write_file(claims_path, combined, verify=True,
                                  unchanged="it is unchanged, and no candidate was marked decided")
        except BaseException:
            if restore is not None:  # the registry as it was: the entities come with their claims
                atomic.write_file(registry, restore, verify=True)
            raise
    decided = [("accepted", by_number[n]) for n in accepted] + [("rejected", by_number[n]) for n in reject] \
        + [("accepted", proposed[i]) for i in accept_entities] + [("rejected", proposed[i]) for i in reject_entities]
    for status, entry in decided:  # each decision recorded in the candidates file
        entry.update(status=status, reviewed_by=reviewer.strip(), reviewed_on=on)
    header = candidates_raw.split("\nsource:", 1)[0] + "\n"
    if not header.startswith("#"):
        header = ""
    atomic.write_file(candidates_path, header + _dump(data), verify=True, unchanged=(
        f"it is unchanged, but {claims_path.name} has the accepted claims: review again to record "
        "the decisions (claims already there are not appended twice)" if new_entries
        else "it is unchanged"))
    return {"accepted": accepted, "rejected": list(reject), "duplicates": duplicates,
            "entities_accepted": list(accept_entities), "entities_rejected": list(reject_entities),
            "entities_added": fresh}


def rejected_keys(candidates_path: Path) -> set[tuple]:
    """(start, predicate, subject, object) of the candidates a reviewer rejected."""
    if not candidates_path.exists():
        return set()
    try:
        data = read_candidates(candidates_path)
    except (ObligraphError, yaml.YAMLError):
        return set()
    return {(c.get("start"), c.get("predicate"), c.get("subject"), c.get("object"))
            for c in data["candidates"] if isinstance(c, dict) and c.get("status") in ("rejected", "accepted")}


def machine_claims(corpus, root: Path, *, curated: set[str] | None = None) -> tuple:
    """Unreviewed candidates, as claims, for the articles of ``corpus`` that have no curated
    claims (obligraph build --extract). Candidates naming entities the registry lacks, and those a
    reviewer already decided, are left out. ``curated``: the ids of the sources that have curated
    claims, when ``corpus`` does not hold every claim (a build keeps few in memory)."""
    from .candidates import extract
    from ..corpus.locate import span_at
    from ..corpus.model import Claim, ConsentMode, DateValue, Evidence, SourceKind, Stance, Value

    with_claims = {c.source_id for c in corpus.claims} if curated is None else curated
    known = {e.id for e in corpus.entities}
    out = []
    for source in corpus.sources:
        if source.kind is not SourceKind.ARTICLE or source.id in with_claims:
            continue
        decided = rejected_keys(paths_for(Path(root).resolve().parent / source.path)[0])
        for index, candidate in enumerate(extract(source.text, corpus.entities, source_id=source.id), 1):
            refs = (candidate.subject, candidate.object, candidate.topic, candidate.stated_by)
            if any(r is not None and r not in known for r in refs):
                continue
            if (candidate.start, candidate.predicate, candidate.subject, candidate.object) in decided:
                continue
            fields = candidate.claim_fields()
            key = claim_key({**fields, "rule": candidate.rule})
            value = candidate.value
            out.append(Claim(
                source_id=source.id, index=index, key=key, subject=candidate.subject,
                predicate=candidate.predicate, object=candidate.object,
                evidence=(Evidence(source.id, span_at(source.text, candidate.start, candidate.end,
                                                      "exact")),),
                stated_by=candidate.stated_by or source.author, stance=Stance(candidate.stance),
                value=Value(value) if value is not None else None,
                minimum=Value(candidate.min) if candidate.min is not None else None,
                maximum=Value(candidate.max) if candidate.max is not None else None,
                mode=ConsentMode(candidate.mode) if candidate.mode else None,
                date=DateValue(candidate.date) if candidate.date else None,
                unit=candidate.unit, approximate=candidate.approximate,
                at_least=candidate.at_least, topic=candidate.topic,
                origin=f"{source.path} (extracted)", extracted_by=candidate.rule,
                confidence=candidate.confidence))
    return tuple(out)
