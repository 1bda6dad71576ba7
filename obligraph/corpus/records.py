"""Readers for authoritative records (sources of kind reference-record).

Each row becomes claims like a curator's, with the row itself as the quoted evidence."""

from __future__ import annotations

import csv
import io
from typing import Callable

from ..errors import SchemaError, UnknownEntityError
from .locate import span_at
from .model import Claim, ConsentMode, Entity, Evidence, Source, Stance, Value
from .claimkey import claim_key
from .yamlfile import parse_date
from . import untc

PARTICIPATION_COLUMNS = ["state", "treaty", "status", "date", "signature_date", "authority", "checked"]
BINDING_STATUSES = {"ratification", "accession", "succession"}
STATUSES = BINDING_STATUSES | {"not-party", "signature"}


def _lookup(entities: tuple[Entity, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for entity in entities:
        for name in (entity.id, entity.label, *entity.aliases):
            names.setdefault(name.casefold(), entity.id)
    return names


def _rows(source: Source, columns: list[str]):
    """(line number, offset of the row in the text, the row's text, the row as a dict) of each
    non-empty row under a header that must be ``columns``."""
    lines = source.text.splitlines(keepends=True)
    header = next(csv.reader([lines[0]])) if lines else []
    if header != columns:
        raise SchemaError(f"header must be {','.join(columns)}", path=source.path, where="line 1")
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], 2):
        start, row_text = offset, line.rstrip("\r\n")
        offset += len(line)
        if row_text.strip():
            yield number, start, row_text, dict(zip(columns, next(csv.reader(io.StringIO(row_text)))))


def read_treaty_participation(source: Source, entities: tuple[Entity, ...]) -> tuple[Claim, ...]:
    """state,treaty,status,date,signature_date,authority,checked — one row per state and treaty.

    status: ratification | accession | succession (consent to be bound, on `date`),
    signature (signed only), not-party. signature_date: when the state signed, if it did."""
    names = _lookup(entities)
    claims: list[Claim] = []
    for number, start, row_text, row in _rows(source, PARTICIPATION_COLUMNS):
        where = f"line {number}"
        state = names.get(row.get("state", "").strip().casefold())
        treaty = names.get(row.get("treaty", "").strip().casefold())
        for column, found in (("state", state), ("treaty", treaty)):
            if found is None:
                raise UnknownEntityError(f"{column} {row.get(column)!r} is not in the registry",
                                         path=source.path, where=where,
                                         hint="add it (or an alias) to sources/entities.yaml")
        status = row.get("status", "").strip()
        if status not in STATUSES:
            raise SchemaError(f"status {status!r} is not one of {', '.join(sorted(STATUSES))}",
                              path=source.path, where=where,
                              hint="write the row's status as one of them (a signature binds to nothing "
                                   "but the treaty's object and purpose)")
        evidence = (Evidence(source.id, span_at(source.text, start, start + len(row_text), "exact")),)
        note = "; ".join(f"{k}: {row[k].strip()}" for k in ("authority", "checked")
                         if row.get(k, "").strip()) or None
        common = dict(source_id=source.id, index=number, subject=state, object=treaty,
                      evidence=evidence, stated_by=source.author, note=note, origin=source.path)

        def claim(predicate: str, **fields) -> Claim:
            key = claim_key({"line": row_text, "predicate": predicate})
            return Claim(predicate=predicate, key=key, **common, **fields)

        date = parse_date(row.get("date") or None, path=source.path, where=where, field="date")
        if status in BINDING_STATUSES:
            if date is None:
                raise SchemaError(f"status {status} needs the date of the instrument",
                                  path=source.path, where=where)
            claims.append(claim("partyTo", mode=ConsentMode(status), date=date))
        elif status == "not-party":
            claims.append(claim("partyTo", stance=Stance.DENIES))
        signed = date if status == "signature" else parse_date(
            row.get("signature_date") or None, path=source.path, where=where, field="signature_date")
        if signed is not None:
            claims.append(claim("signatoryOf", mode=ConsentMode.SIGNATURE, date=signed))
    return tuple(claims)


ENTRY_INTO_FORCE_COLUMNS = ["treaty", "date", "authority"]


def read_treaty_entry_into_force(source: Source, entities: tuple[Entity, ...]) -> tuple[Claim, ...]:
    """treaty,date,authority — the date each treaty entered into force generally, as its depositary
    records it (authority: where, in the depositary's words). One claim a row: the treaty
    ob:entersIntoForce the date, the row itself quoted."""
    names = _lookup(entities)
    claims: list[Claim] = []
    for number, start, row_text, row in _rows(source, ENTRY_INTO_FORCE_COLUMNS):
        where = f"line {number}"
        treaty = names.get(row.get("treaty", "").strip().casefold())
        if treaty is None:
            raise UnknownEntityError(f"treaty {row.get('treaty')!r} is not in the registry",
                                     path=source.path, where=where,
                                     hint="add it (or an alias) to sources/entities.yaml")
        date = parse_date(row.get("date") or None, path=source.path, where=where, field="date")
        if date is None or date.precision != "day":
            raise SchemaError("date must be the full date of entry into force (YYYY-MM-DD)",
                              path=source.path, where=where)
        evidence = (Evidence(source.id, span_at(source.text, start, start + len(row_text), "exact")),)
        claims.append(Claim(
            source_id=source.id, index=number, subject=treaty, predicate="entersIntoForce",
            value=Value(date), evidence=evidence, stated_by=source.author, origin=source.path,
            note=f"authority: {row['authority'].strip()}" if row.get("authority", "").strip() else None,
            key=claim_key({"line": row_text, "predicate": "entersIntoForce"})))
    return tuple(claims)


READERS: dict[str, Callable[[Source, tuple[Entity, ...]], tuple[Claim, ...]]] = {
    "treaty-participation-csv": read_treaty_participation,
    "treaty-entry-into-force-csv": read_treaty_entry_into_force,
    "untc-index-csv": untc.read_index,
    "untc-status-csv": untc.read_status,
    "untc-declarations": untc.read_declarations,
}
# the treaty a record of one treaty records (the source's ob:recordOf)
RECORD_TREATY: dict[str, Callable[[Source, tuple[Entity, ...]], str]] = {
    "untc-status-csv": untc.record_treaty,
    "untc-declarations": untc.record_treaty,
}
# what a record of a format is besides an ob:ReferenceRecord (a class of the ontology)
RECORD_CLASS: dict[str, str] = {"untc-declarations": "ReservationsRecord"}
