"""Readers for the UN Treaty Collection's status record in the layout of its public scrape
(sources/reference/untc-2015: ``index.csv``, ``status/<key>.csv``; README there).

* ``untc-index-csv`` — one row per treaty: its chapter and number, and a ``treaty_name`` that ends
  with the place and date of adoption ("… Punishment. New York, 10 December 1984"). Each row says
  where and when its treaty was adopted (ob:adoptedAt, ob:adoptedOn).
* ``untc-status-csv`` — one file per treaty, named after its key (``4.9.b`` → ``4-9-b.csv``),
  one row per participant. The columns after ``Participant`` differ from treaty to treaty in
  number and order; their headers say what they hold ("Signature", "Ratification, Accession(a),
  Succession(d)"), and a marker after a date says which act it was (``a`` accession, ``d``
  succession, ``A`` acceptance, ``AA`` approval, ``c`` formal confirmation; case matters). So the
  reader reads each header rather than knowing any treaty: a column whose header names a
  signature gives ob:signatoryOf claims, any other the consent to be bound (ob:partyTo), the act
  being the header's term for the marker — the unmarked term for a date without one.

The treaty of a status file is found through the record's index (``index:`` in its metadata):
the file's key names an index row, whose title (without place and date) must be the label or an
alias of a Treaty of the registry; a participant's name likewise. Every row is quoted whole, with
its offsets, as the evidence of each claim it gives. Nothing about the index or a file's columns
is hard-wired: a later scrape in the same layout is read the same way."""

from __future__ import annotations

import bisect
import csv
import io
import re
from datetime import datetime

from ..errors import SchemaError, UnknownEntityError
from .claimkey import claim_key
from .locate import span_at
from .model import Claim, ConsentMode, DateValue, Entity, Evidence, Source, Value

INDEX_COLUMNS = ["chapter_no", "treaty_no", "treaty_name", "url", "chapter_url", "chapter_name"]
_TITLE = re.compile(r"^(?P<title>.*?)\s*\.\s+(?P<place>[^.,]+),\s+(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})$")
_CELL = re.compile(r"^(?P<date>\d{1,2} [A-Z][a-z]{2} \d{4})(?:\s+(?P<marker>[A-Za-z]{1,2}))?$")
_TERM = re.compile(r"^(?P<term>[A-Za-z][A-Za-z ]*?)\s*(?:\((?P<marker>[A-Za-z]{1,2})\))?$")
# the depositary's words for the acts → how consent was given (ConsentMode)
ACTS = {"ratification": ConsentMode.RATIFICATION, "accession": ConsentMode.ACCESSION,
        "succession": ConsentMode.SUCCESSION, "acceptance": ConsentMode.ACCEPTANCE,
        "approval": ConsentMode.APPROVAL, "formal confirmation": ConsentMode.FORMAL_CONFIRMATION,
        "signature": ConsentMode.SIGNATURE, "succession to signature": ConsentMode.SIGNATURE}
_NOT_FOUND_HINT = ("add it to the registry (sources/entities.yaml or sources/entities/*.yaml), or "
                   "add the record's name as an alias of the entity it means")


def names_of(entities: tuple[Entity, ...], *types: str) -> dict[str, str]:
    """Casefolded label or alias → entity id, for entities of the given types."""
    names: dict[str, str] = {}
    for entity in entities:
        if entity.type in types:
            for name in (entity.label, *entity.aliases):
                names.setdefault(name.casefold(), entity.id)
    return names


def csv_rows(text: str, *, path: str):
    """(line number, offset, the row's text, its cells) of each non-empty line after the header,
    and the header's cells first as (1, 0, line, cells). A quoted cell may not span lines: the
    record's rows are one line each, which is what lets a row be quoted with its offsets."""
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        start, row_text = offset, line.rstrip("\r\n")
        offset += len(line)
        if not row_text.strip():
            continue
        try:
            cells = next(csv.reader(io.StringIO(row_text), strict=True))
        except csv.Error as error:
            raise SchemaError(f"the row is not valid CSV ({error})", path=path,
                              where=f"line {number}",
                              hint="each row is one line of comma-separated cells; quote a cell "
                                   "that holds a comma with double quotes") from None
        yield number, start, row_text, cells


def _index_rows(text: str, *, path: str) -> dict[str, tuple[int, str, str, str]]:
    """Key of each index row (``4-9-b``) → (line, title, place, date text)."""
    rows = csv_rows(text, path=path)
    header = next(rows, (1, 0, "", []))[3]
    if header != INDEX_COLUMNS:
        raise SchemaError(f"the index's header must be {','.join(INDEX_COLUMNS)}", path=path,
                          where="line 1")
    found = {}
    for number, _, _, cells in rows:
        row = dict(zip(INDEX_COLUMNS, cells))
        match = _TITLE.match(row.get("treaty_name", "").strip())
        if len(cells) != len(INDEX_COLUMNS) or not match:
            raise SchemaError("expected chapter_no,treaty_no,treaty_name,… with a treaty_name "
                              "ending in '. Place, D Month YYYY'", path=path, where=f"line {number}",
                              hint="fix the row as the depositary's index gives it")
        key = f"{row['chapter_no'].strip()}-{row['treaty_no'].strip()}".replace(".", "-")
        found[key] = (number, match["title"], match["place"].strip(), match["date"])
    return found


def _day(text: str, *, path: str, where: str) -> DateValue:
    try:
        return DateValue(datetime.strptime(text, "%d %B %Y" if len(text.split()[1]) > 3
                                           else "%d %b %Y").strftime("%Y-%m-%d"))
    except ValueError:
        raise SchemaError(f"{text!r} is not a date like 24 Sep 1982", path=path, where=where,
                          hint="write the day, the month's first three letters and the year") from None


def _evidence(source: Source, start: int, row_text: str, number: int) -> tuple[Evidence, ...]:
    # one annotation per row, shared by the claims the row gives (see ontology/MODEL.md)
    return (Evidence(source.id, span_at(source.text, start, start + len(row_text), "exact",
                                        context=False), name=f"line-{number}"),)


def _claim(source: Source, number: int, row_text: str, evidence, predicate: str, subject: str,
           **fields) -> Claim:
    return Claim(source_id=source.id, index=number, subject=subject, predicate=predicate,
                 evidence=evidence, stated_by=source.author, origin=source.path,
                 key=claim_key({"line": row_text, "predicate": predicate,
                                "column": fields.pop("column", "")}), **fields)


def read_index(source: Source, entities: tuple[Entity, ...]) -> tuple[Claim, ...]:
    """untc-index-csv: where and when each treaty of the index was adopted."""
    treaties, places = names_of(entities, "Treaty"), names_of(entities, "Place")
    claims: list[Claim] = []
    lines = source.text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for number, title, place, date in sorted(_index_rows(source.text, path=source.path).values()):
        where = f"line {number}"
        treaty = _entity(treaties, title, "treaty", path=source.path, where=where)
        place_id = _entity(places, place, "place", path=source.path, where=where)
        row_text = lines[number - 1].rstrip("\r\n")
        evidence = _evidence(source, offsets[number - 1], row_text, number)
        claims.append(_claim(source, number, row_text, evidence, "adoptedAt", treaty, object=place_id))
        claims.append(_claim(source, number, row_text, evidence, "adoptedOn", treaty,
                             value=Value(_day(date, path=source.path, where=where))))
    return tuple(claims)


def _entity(names: dict[str, str], name: str, what: str, *, path: str, where: str) -> str:
    found = names.get(name.strip().casefold())
    if found is None:
        raise UnknownEntityError(f"{what} {name.strip()!r} is not in the registry", path=path,
                                 where=where, hint=_NOT_FOUND_HINT)
    return found


def record_treaty(source: Source, entities: tuple[Entity, ...]) -> str:
    """The Treaty a status file records: its file name's key, looked up in the index."""
    if source.index is None:
        raise SchemaError("a untc-status-csv record needs index: <the record's index.csv>",
                          path=source.path, where="metadata")
    index = _index_rows(source.index, path=source.index_path or "index")
    key = source.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if key not in index:
        raise SchemaError(f"no row of the index {source.index_path} has the key {key!r}",
                          path=source.path,
                          hint="name the file after its treaty's chapter and number (4.9.b → 4-9-b.csv)")
    number, title, _, _ = index[key]
    return _entity(names_of(entities, "Treaty"), title, "treaty", path=source.index_path or "index",
                   where=f"line {number}")


def _columns(header: list[str], *, path: str) -> list[tuple[bool, dict[str, ConsentMode]]]:
    """For each column after Participant: whether it holds signatures, and marker → act (the
    unmarked term under '')."""
    if not header or header[0].strip() != "Participant":
        raise SchemaError("the first column must be Participant", path=path, where="line 1")
    columns = []
    for cell in header[1:]:
        acts: dict[str, ConsentMode] = {}
        for part in cell.split(","):
            match = _TERM.match(part.strip())
            term = match["term"].strip().casefold() if match else part.strip()
            if not match or term not in ACTS:
                raise SchemaError(f"the column header {cell!r} names {part.strip()!r}, which is not "
                                  f"one of the depositary's acts ({', '.join(sorted(ACTS))})",
                                  path=path, where="line 1",
                                  hint="a header lists acts, each with its marker in brackets: "
                                       "\"Ratification, Accession(a), Succession(d)\"")
            marker = match["marker"] or ""
            if marker in acts:
                raise SchemaError(f"the column header {cell!r} gives two acts the marker "
                                  f"{marker or '(none)'!r}", path=path, where="line 1")
            acts[marker] = ACTS[term]
        columns.append(("signature" in cell.casefold(), acts))
    return columns


def read_status(source: Source, entities: tuple[Entity, ...]) -> tuple[Claim, ...]:
    """untc-status-csv: every act of every participant, as the depositary records it."""
    treaty = record_treaty(source, entities)
    participants = names_of(entities, "State", "IntergovernmentalOrganization")
    rows = csv_rows(source.text, path=source.path)
    header = next(rows, (1, 0, "", []))[3]
    columns = _columns(header, path=source.path)
    claims: list[Claim] = []
    for number, start, row_text, cells in rows:
        where = f"line {number}"
        if len(cells) != len(header):
            raise SchemaError(f"the row has {len(cells)} cells, the header {len(header)}",
                              path=source.path, where=where,
                              hint="leave a cell empty (,,) where there is no such act")
        state = _entity(participants, cells[0], "participant", path=source.path, where=where)
        evidence = _evidence(source, start, row_text, number)
        for column, ((signature, acts), cell) in enumerate(zip(columns, cells[1:]), 2):
            if not cell.strip():
                continue
            match = _CELL.match(cell.strip())
            if not match:
                raise SchemaError(f"{cell.strip()!r} (column {column}) is not a date like "
                                  "24 Sep 1982, optionally followed by a marker", path=source.path,
                                  where=where, hint="write the day, the month's first three "
                                                    "letters and the year, then the act's marker "
                                                    "(a, d, A, AA, c) if any, as the depositary does")
            marker = match["marker"] or ""
            if marker not in acts:
                raise SchemaError(f"the marker {marker or '(none)'!r} in {cell.strip()!r} is not one "
                                  f"the column's header {header[column - 1]!r} gives",
                                  path=source.path, where=where,
                                  hint="markers are case-sensitive: a accession, A acceptance")
            mode, date = acts[marker], _day(match["date"], path=source.path, where=where)
            note = "succession to signature" if signature and marker else None
            claims.append(_claim(source, number, row_text, evidence,
                                 "signatoryOf" if signature else "partyTo", state, object=treaty,
                                 mode=mode, date=date, note=note, column=str(column)))
    return tuple(claims)


# --- reservations and declarations (untc-declarations) -----------------------------------------
# A block per state ('#State name', then its text). The reader splits a block into sentences (and
# at enumerations like "(2)That …", which the scrape runs together), finds the provisions each
# names (provisions.provisions_named), and says of each provision the state's text names: the
# state's reservation, understanding or declaration concerns it, in these words. The kind comes
# from the nearest heading before the sentence ("subject to the following reservations:",
# "Declaration:"), else from the sentence's own words; "does not consider itself bound by" is a
# reservation; where neither says, "reservation or declaration". A block that names no provision
# gives one claim about the treaty as a whole, quoting its first sentence.

# the abbreviations are looked behind the stop, not before it: a look-behind at every position
# of a 1.5 MB file cost more than the rest of reading it
_SENTENCE_END = re.compile(
    r"[.;!?](?<!\bart.)(?<!\barts.)(?<!\bpara.)(?<!\bparas.)(?<!\bNo.)(?<!\bMr.)(?<!\bSt.)(?<!\be\.g.)"
    r"(?<!\bi\.e.)(?<!\bcf.)(?<!\bU\.S.)(?<!\bvol.)(?<!\bp.)(?<!\bpp.)[\"”’']?(?=\s+[\"“(]?[A-Z0-9]|[\"“]?[A-Z]|\(\d)"
    r"|(?=\(\d{1,2}\)\s*(?:[A-Z\"“]|\([a-z]\)))")
_HEADING = re.compile(r"(?i)\b(?:following\s+(?P<following>reservations?|understandings?|declarations?)"
                      r"|(?P<label>reservations?|understandings?|(?:interpretative\s+)?declarations?)\s*:)")
_KINDS = (("understand", "understanding"), ("reserv", "reservation"), ("declar", "declaration"))
# "in accordance with article 28, paragraph 1, … does not recognise … article 20": the clause
# invoked is the basis of the statement, not a provision it concerns
# (and "referred to in article 40", "as defined in article 1": a provision mentioned, not reserved)
_INVOKED = re.compile(r"(?i)\b(?:in\s+accordance\s+with|according\s+to|pursuant\s+to|in\s+conformity\s+with"
                      r"|by\s+virtue\s+of|as\s+permitted\s+by|in\s+application\s+of|under\s+the\s+terms\s+of"
                      r"|referred\s+to\s+in|mentioned\s+in|stipulated\s+in|provided\s+for\s+under"
                      r"|as\s+defined\s+in|within\s+the\s+meaning\s+of)\s*(?:the\s+)?$")
_NOT_BOUND = re.compile(r"(?i)\b(?:not|never)\s+(?:consider|deem)\s+(?:itself|themselves)\s+bound\b")
# the declaration CAT art. 28(1) and like clauses provide for: not recognising a body's competence
_NOT_COMPETENT = re.compile(r"(?i)\bnot\s+recogni[sz]e\s+the\s+competence\b")


def _sentences(text: str):
    """(start, end) of each sentence of a block, surrounding space left out."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            yield _trimmed(text, start, end)
        start = end
    if text[start:].strip():
        yield _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip()))


def _headings(block: str) -> tuple[list[int], list[str]]:
    """The ends of a block's headings ("subject to the following reservations:") and their words."""
    found = [(m.end(), m["following"] or m["label"]) for m in _HEADING.finditer(block)]
    return [end for end, _ in found], [word for _, word in found]


def _kind(headings: tuple[list[int], list[str]], start: int, sentence: str) -> str:
    ends, words = headings
    last = bisect.bisect_right(ends, start + len(sentence))  # the nearest heading before its end
    word = words[last - 1] if last else ""
    if _NOT_BOUND.search(sentence):
        return "reservation"
    if _NOT_COMPETENT.search(sentence) and not word:
        return "declaration"
    for words in (word, sentence):
        for stem, kind in _KINDS:
            if stem in words.casefold():
                return kind
    return "reservation-or-declaration"


def provision_text(ref) -> str:
    """A provision as the clauses write it: 16(1), 1(c), 30, IV."""
    return ref.article + (f"({ref.paragraph})" if ref.paragraph else "") + \
        (f"({ref.subparagraph})" if ref.subparagraph else "")


def read_declarations(source: Source, entities: tuple[Entity, ...]) -> tuple[Claim, ...]:
    """untc-declarations: what each state's reservations and declarations name."""
    from .provisions import declaration_blocks, provisions_named  # the reader of provisions
    treaty = record_treaty(source, entities)
    known = {entity.id for entity in entities}
    participants = names_of(entities, "State", "IntergovernmentalOrganization")
    titles = tuple(e.label for e in entities if e.id == treaty) + \
        tuple(a for e in entities if e.id == treaty for a in e.aliases)
    claims: list[Claim] = []
    for block in declaration_blocks(source.text):
        if not block.text.strip():
            continue
        head = source.text.rfind("#", 0, block.start)
        line = source.text.count("\n", 0, head) + 1  # the block's '#State' line
        state = _entity(participants, block.state, "participant", path=source.path,
                        where=f"line {line}")
        found: dict[tuple[str, str], list] = {}  # (provision, kind) → [ref, sentences naming it]
        first = None
        headings = _headings(block.text)
        for start, end in _sentences(block.text):
            sentence = block.text[start:end]
            first = first or (start, end, sentence)
            kind = _kind(headings, start, sentence)
            for ref in provisions_named(sentence, titles):
                if _INVOKED.search(sentence, 0, ref.start):
                    continue
                found.setdefault((provision_text(ref), kind), [ref, []])[1].append((start, end))
        if not found and first:
            found[("", _kind(headings, first[0], first[2]))] = [None, [first[:2]]]
        for (text, kind), (ref, spans) in found.items():
            evidence = tuple(
                Evidence(source.id, span_at(source.text, block.start + s, block.start + e, "exact",
                                            context=False), name=f"at-{block.start + s}")
                for s, e in dict.fromkeys(spans))
            provision = f"{treaty}-art-{ref.article.lower()}" if ref else None
            claims.append(Claim(
                source_id=source.id, index=line, subject=state, predicate="reservationConcerns",
                object=provision if provision in known else treaty,
                value=Value(text) if text else None, kind=kind, evidence=evidence,
                stated_by=state, origin=source.path,
                note=None if text else "names no provision: the text as a whole concerns the treaty",
                key=claim_key({"state": block.state, "provision": text, "kind": kind,
                               "treaty": treaty})))
    return tuple(claims)
