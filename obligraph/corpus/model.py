"""Plain data the stages pass along: what the sources say, before it becomes RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Stance(str, Enum):
    """How the speaker holds the statement; only ASSERTS yields a plain triple."""

    ASSERTS = "asserts"
    ALLEGES = "alleges"
    DENIES = "denies"
    RECOMMENDS = "recommends"


class ConsentMode(str, Enum):
    """How a state expressed (or, per a source, is said to have expressed) its consent."""

    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    FORMAL_CONFIRMATION = "formal-confirmation"
    UNSPECIFIED = "unspecified"

    @property
    def concept(self) -> str:
        """The local name of its concept in the ontology: formal-confirmation → FormalConfirmation."""
        return "".join(part.capitalize() for part in self.value.split("-"))


class SourceKind(str, Enum):
    ARTICLE = "article"
    TREATY_TEXT = "treaty-text"
    REFERENCE_RECORD = "reference-record"


DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD."""

    text: str

    @property
    def precision(self) -> str:
        return {1: "year", 2: "month", 3: "day"}[self.text.count("-") + 1]


@dataclass(frozen=True, slots=True)
class Value:
    """A literal claim object: a number, a date or a piece of text."""

    raw: int | float | str | DateValue


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    note: str | None = None
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote sits in its source text: text[start:end] == exact (code points, end exclusive)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    method: str  # "exact" or "normalized" (whitespace / typographic quotes tolerated)


@dataclass(frozen=True, slots=True)
class Evidence:
    source_id: str
    span: Span
    name: str | None = None  # a record row's own name (line-34): its annotation, shared by the row's claims


@dataclass(frozen=True, slots=True)
class Claim:
    source_id: str
    index: int  # 1-based position in its claims file (or line number for records)
    key: str  # stable content hash; the claim IRI is built from it (or from ``id``)
    subject: str
    predicate: str
    evidence: tuple[Evidence, ...]
    stated_by: str | None  # entity id; None means the source itself
    stance: Stance = Stance.ASSERTS
    object: str | None = None
    value: Value | None = None
    minimum: Value | None = None
    maximum: Value | None = None
    id: str | None = None
    mode: ConsentMode | None = None
    date: DateValue | None = None
    start: DateValue | None = None
    end: DateValue | None = None
    unit: str | None = None
    approximate: bool = False
    at_least: bool = False
    topic: str | None = None
    role: str | None = None
    note: str | None = None
    curator_reading: bool = False  # reading: curator — the curator's reading, not the source's statement
    former: bool = False  # the relation held in the past and has ended (no end date given)
    origin: str = ""  # file the claim was written in
    reviewed_by: str | None = None  # who accepted a machine-extracted candidate (obligraph review)
    reviewed_on: DateValue | None = None
    kind: str | None = None  # reservationConcerns: reservation | understanding | declaration | reservation-or-declaration
    extracted_by: str | None = None  # the rule, for an unreviewed candidate (build --extract)
    confidence: float | None = None

    @property
    def name(self) -> str:
        """How error messages and reports refer to the claim."""
        return f"claim {self.index}" + (f" ({self.id})" if self.id else "")


@dataclass(frozen=True)
class Source:
    id: str
    kind: SourceKind
    text: str
    sha256: str
    title: str
    path: str  # the text file, relative to the corpus root
    author: str | None = None
    author_note: str | None = None
    publisher: str | None = None
    publisher_note: str | None = None
    date: DateValue | None = None
    date_note: str | None = None
    treaty: str | None = None  # treaty-text: the instrument; reference-record: the treaty it records
    format: str | None = None
    as_of: DateValue | None = None  # a record: the day it describes (silent on anything later)
    index: str | None = None  # a record's index file (``index:``), e.g. which treaty each file is
    index_path: str | None = None
    record_class: str | None = None  # a record: what it is besides a ReferenceRecord (ReservationsRecord)
    url: str | None = None  # where the source was read (http or https), to cite it by
    accessed: DateValue | None = None  # the day it was read there
    archived_url: str | None = None  # an archived copy (e.g. the Wayback Machine's)


@dataclass(frozen=True)
class Corpus:
    entities: tuple[Entity, ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...] = ()
