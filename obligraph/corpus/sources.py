"""Stage 1: read the corpus (registry, metadata, texts, curated claims, reference records),
check it, and locate every quote. Returns a model.Corpus; touches nothing on disk."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import records
from . import checks
from ..errors import (ManyErrors, ObligraphError, SchemaError, SourceFileError, UnknownEntityError,
                     UnknownPredicateError, YamlError)
from .locate import QuoteFinder
from .model import Claim, ConsentMode, Corpus, DateValue, Entity, Evidence, Source, SourceKind, Stance, Value
from .vocabulary import Vocabulary
from .claimkey import claim_key
from .yamlfile import (check_keys, check_not_future, load_yaml, parse_date, read_text,
                       require_mapping, text_field)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
CLAIM_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
ENTITY_FIELDS = {"id", "type", "label", "aliases", "wikidata", "note"}
META_FIELDS = {"kind", "text", "title", "author", "author_note", "publisher", "publisher_note", "url", "accessed",
               "archived_url",
               "date", "date_note", "treaty", "format", "id", "as_of", "index"}
GLOB_CHARS = set("*?[")
CLAIM_FIELDS = {"id", "subject", "predicate", "object", "value", "min", "max", "quote",
                "occurrence", "stance", "stated_by", "mode", "date", "start", "end", "unit",
                "approximate", "at_least", "topic", "role", "note", "reviewed_by", "reviewed_on",
                "reading", "former"}
READINGS = {"curator"}  # reading: curator — the claim is the curator's reading of the words


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=3)
    return f"did you mean {' or '.join(close)}?" if close else ""


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


# --- the registry -------------------------------------------------------------------------------

def registry_files(root: Path) -> list[Path]:
    main = root / "entities.yaml"
    if not main.exists():
        raise SourceFileError("the entity registry is missing", path=str(main),
                              hint="create sources/entities.yaml (format: sources/README.md)")
    return [main, *sorted((root / "entities").glob("*.yaml"))]


def read_registry(root: Path, vocabulary: Vocabulary) -> tuple[Entity, ...]:
    entities: dict[str, Entity] = {}
    names: dict[str, tuple[str, str, str]] = {}  # checks.name_keys → (entity id, where, the name)
    for path in registry_files(root):
        shown = _relative(path, root)
        _within(root, path, shown=shown)
        raw = load_yaml(path, shown=shown) or []
        if not isinstance(raw, list):
            raise YamlError("the registry must be a list of entries (each starting with '- id:')",
                            path=shown)
        for number, item in enumerate(raw, 1):
            where = f"entry {number}"
            entry = require_mapping(item, path=shown, where=where)
            check_keys(entry, ENTITY_FIELDS, {"id", "type", "label"}, path=shown, where=where)
            entity_id = str(entry["id"])
            where = f"entry {number} ({entity_id})"
            if not ID_PATTERN.match(entity_id):
                raise SchemaError(f"id {entity_id!r} must be lower-case letters, digits and '-'",
                                  path=shown, where=where)
            if entity_id in entities:
                raise SchemaError(f"duplicate id {entity_id!r} (first in {entities[entity_id].origin})",
                                  path=shown, where=where, hint="give each entity one entry")
            entity_type = str(entry["type"])
            if entity_type not in vocabulary.entity_types:
                raise SchemaError(f"unknown type {entity_type!r}", path=shown, where=where,
                                  hint=_suggest(entity_type, vocabulary.entity_types)
                                  or f"types: {', '.join(sorted(vocabulary.entity_types))}")
            aliases = entry.get("aliases") or []
            if not isinstance(aliases, list):
                raise SchemaError("aliases must be a list: [name, other name]", path=shown, where=where)
            wikidata = text_field(entry, "wikidata", path=shown, where=where)
            if wikidata is not None and not QID_PATTERN.match(wikidata):
                raise SchemaError(f"wikidata {wikidata!r} is not a Wikidata item id like Q148",
                                  path=shown, where=where)
            entity = Entity(
                id=entity_id, type=entity_type, label=str(entry["label"]).strip(),
                aliases=tuple(dict.fromkeys(str(a).strip() for a in aliases if str(a).strip())),
                wikidata=wikidata, note=text_field(entry, "note", path=shown, where=where),
                origin=shown)
            for name in (entity.label, *entity.aliases):
                for key in checks.name_keys(name):  # the same letters first, then the same look
                    owner = names.setdefault(key, (entity_id, f"{shown}: {where}", name))
                    if owner[0] != entity_id:
                        raise checks.name_clash(name, owner[2], owner[0], owner[1], path=shown,
                                                where=where)
            entities[entity_id] = entity
    return tuple(entities[key] for key in sorted(entities))


# --- sources ------------------------------------------------------------------------------------

def _within(root: Path, path: Path, *, shown: str) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise SourceFileError(f"{path.name!r} points outside the corpus ({resolved})", path=shown,
                              hint="keep every source file inside sources/")
    return resolved


def _entity_ref(value: Any, known: set[str], *, field: str, path: str, where: str) -> str | None:
    if value is None:
        return None
    ref = str(value)
    if ref not in known:
        raise UnknownEntityError(f"{field} {ref!r} is not in the registry", path=path, where=where,
                                 hint=_suggest(ref, known) or "add it to sources/entities.yaml")
    return ref


def text_paths(meta_path: Path, root: Path) -> list[Path]:
    """The text files a metadata file describes: its ``text:``, or — when that is a pattern such
    as ``untc-2015/status/*.csv`` — every file matching it, sorted (a record of many files, each
    its own source). Unreadable metadata gives [] here; read_source reports it."""
    try:
        meta = load_yaml(meta_path, shown=_relative(meta_path, root))
    except ObligraphError:
        return []
    text = str(meta.get("text", "")) if isinstance(meta, dict) else ""
    if not text or not GLOB_CHARS & set(text):
        return [meta_path.parent / text] if text else []
    return sorted(p for p in meta_path.parent.glob(text) if p.is_file())


def _meta_stem(meta_path: Path) -> str:
    return meta_path.name.removesuffix(".meta.yaml")


def _source_id(meta_path: Path, name: str | None, text_path: Path, pattern: bool) -> str:
    if pattern:  # one source per file: the metadata's name (or id), then the file's own name
        return f"{name or _meta_stem(meta_path)}-{text_path.stem}"
    return name or text_path.stem


def text_files(root: Path) -> dict[str, Path]:
    """Each source's id → its text file, from the metadata files alone (nothing else checked):
    what `obligraph verify` compares a built graph's texts with. Unreadable metadata is left out."""
    files: dict[str, Path] = {}
    for meta_path in sorted(Path(root).rglob("*.meta.yaml")):
        try:
            meta = load_yaml(meta_path, shown=_relative(meta_path, root))
            name = text_field(meta, "id", path="", where="") if isinstance(meta, dict) else None
        except ObligraphError:
            continue
        if not isinstance(meta, dict) or not meta.get("text"):
            continue
        pattern = bool(GLOB_CHARS & set(str(meta["text"])))
        for text_path in text_paths(meta_path, root):
            files.setdefault(_source_id(meta_path, name, text_path, pattern), text_path)
    return files


def read_source(meta_path: Path, root: Path, known: set[str], *, text_path: Path | None = None) -> Source:
    """A source from its metadata; ``text_path`` picks one file of a metadata file whose text is
    a pattern (see :func:`text_paths`)."""
    shown = _relative(meta_path, root)
    meta = require_mapping(load_yaml(meta_path, shown=shown), path=shown, where="metadata")
    check_keys(meta, META_FIELDS, {"kind", "text", "title"}, path=shown, where="metadata")
    try:
        kind = SourceKind(str(meta["kind"]))
    except ValueError:
        raise SchemaError(f"kind {meta['kind']!r} is not one of "
                          f"{', '.join(k.value for k in SourceKind)}", path=shown,
                          hint="an article, a treaty's text (treaty-text) or a depositary's record "
                               "(reference-record): see sources/README.md") from None
    pattern = bool(GLOB_CHARS & set(str(meta["text"])))
    if pattern and text_path is None:
        matched = text_paths(meta_path, root)
        if not matched:
            raise SourceFileError(f"text: {meta['text']} matches no file", path=shown,
                                  where="metadata", hint="check the pattern, relative to this file")
        text_path = matched[0]
    text_path = _within(root, text_path or meta_path.parent / str(meta["text"]), shown=shown)
    if text_path.name.endswith((".meta.yaml", ".claims.yaml")) or text_path == meta_path.resolve():
        raise SchemaError(f"text: {meta['text']} names a YAML file of the corpus, not the document",
                          path=shown, where="metadata", hint="name the verbatim .txt (or .csv) file")
    data = _source_text(text_path, root, shown=shown, field="text")
    if kind is SourceKind.TREATY_TEXT and meta.get("treaty") is None:
        raise SchemaError("a treaty-text needs treaty: <entity id of the Treaty or Declaration>",
                          path=shown, where="metadata")
    ref = {"known": known, "path": shown, "where": "metadata"}
    date = parse_date(meta.get("date"), path=shown, where="metadata", field="date")
    check_not_future(date, path=shown, where="metadata", field="date")
    as_of = parse_date(meta.get("as_of"), path=shown, where="metadata", field="as_of")
    check_not_future(as_of, path=shown, where="metadata", field="as_of")
    if kind is SourceKind.REFERENCE_RECORD and meta.get("format") not in records.READERS:
        raise SchemaError(f"format {meta.get('format')!r} is not a known record format", path=shown,
                          hint=f"formats: {', '.join(sorted(records.READERS))}")
    index = index_path = None
    if meta.get("index") is not None:
        found = _within(root, meta_path.parent / str(meta["index"]), shown=shown)
        index, index_path = _source_text(found, root, shown=shown, field="index"), _relative(found, root)
    name = text_field(meta, "id", path=shown, where="metadata")
    if name is not None and not ID_PATTERN.match(name):
        raise SchemaError(f"id {name!r} must be lower-case letters, digits and '-'", path=shown,
                          where="metadata")
    return Source(
        id=_source_id(meta_path, name, text_path, pattern), kind=kind, text=data,
        title=str(meta["title"]).strip(),
        sha256=hashlib.sha256(data.encode("utf-8")).hexdigest(),  # the bytes read (UTF-8 decodes and encodes exactly)
        path=_relative(text_path, root),
        author=_entity_ref(meta.get("author"), field="author", **ref),
        author_note=text_field(meta, "author_note", path=shown, where="metadata"),
        publisher=_entity_ref(meta.get("publisher"), field="publisher", **ref),
        publisher_note=text_field(meta, "publisher_note", path=shown, where="metadata"),
        date=date,
        date_note=text_field(meta, "date_note", path=shown, where="metadata"),
        treaty=_entity_ref(meta.get("treaty"), field="treaty", **ref),
        format=text_field(meta, "format", path=shown, where="metadata"),
        as_of=as_of, index=index, index_path=index_path,
        url=_url_field(meta, "url", path=shown), archived_url=_url_field(meta, "archived_url", path=shown),
        accessed=_accessed(meta, path=shown))


# an absolute http(s) URL of characters an IRI may hold (no space, quote, <, >, {, }, |, ^, `, \)
_URL = re.compile(r"^https?://[^\s<>\"{}|^`\\/?#]+(?:[/?#][^\s<>\"{}|^`\\]*)?$")


def _url_field(meta: dict, field: str, *, path: str) -> str | None:
    value = text_field(meta, field, path=path, where="metadata")
    if value is not None and not _URL.match(value):
        raise SchemaError(f"{field} {value!r} is not an http or https URL", path=path, where="metadata",
                          hint=f"write the full address, e.g. {field}: https://example.org/article "
                               "(spaces and quotes percent-encoded)")
    return value


def _accessed(meta: dict, *, path: str) -> DateValue | None:
    accessed = parse_date(meta.get("accessed"), path=path, where="metadata", field="accessed")
    check_not_future(accessed, path=path, where="metadata", field="accessed")
    if accessed is not None and meta.get("url") is None:
        raise SchemaError("accessed is given without a url", path=path, where="metadata",
                          hint="add the url the source was read at, or leave accessed out")
    return accessed


def _source_text(text_path: Path, root: Path, *, shown: str, field: str) -> str:
    try:
        data = read_text(text_path)
    except SourceFileError as error:
        error.path, error.where = shown, f"{field}: {_relative(text_path, root)}"
        raise
    if not data.strip():
        raise SourceFileError("the source text is empty", path=_relative(text_path, root),
                              hint="add the document's text, or remove its metadata file")
    if "\x00" in data:
        at = data.index("\x00")
        raise SourceFileError(f"the text contains a NUL character (offset {at}, line "
                              f"{data.count(chr(10), 0, at) + 1})", path=_relative(text_path, root),
                              hint="the file is binary or not UTF-8 text (UTF-16?): save it as "
                                   "UTF-8 plain text")
    return data


# --- claims -------------------------------------------------------------------------------------

def _value(raw: Any, *, path: str, where: str, field: str) -> Value | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or isinstance(raw, (list, dict)):
        raise SchemaError(f"{field} must be a number, a date or text", path=path, where=where)
    if isinstance(raw, (int, float)):
        return Value(raw)
    text = str(raw).strip()
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) and not re.fullmatch(r"\d{4}", text):
        return Value(parse_date(text, path=path, where=where, field=field))
    return Value(text)


def _flag(entry: dict, key: str, *, path: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise SchemaError(f"{key} must be true or false", path=path, where=where)
    return value


def _enum(enum, raw: Any, *, field: str, path: str, where: str):
    if raw is None:
        return None
    try:
        return enum(str(raw))
    except ValueError:
        values = [e.value for e in enum]
        ratio = lambda other: difflib.SequenceMatcher(None, str(raw), other).ratio()  # noqa: E731
        close = difflib.get_close_matches(str(raw), values, n=3, cutoff=0.5)
        close = [other for other in close if ratio(other) >= ratio(close[0]) - 0.1] if close else close
        raise SchemaError(f"{field} {raw!r} is not one of {', '.join(values)}", path=path, where=where,
                          hint=f"did you mean {field}: {' or '.join(close)}?" if close else
                          f"write one of them as {field}: …") from None


def read_claim(entry: Any, index: int, source: Source, *, shown: str, known: set[str],
               vocabulary: Vocabulary, finder: QuoteFinder | None = None) -> Claim:
    where = f"claim {index}"
    entry = require_mapping(entry, path=shown, where=where)
    if entry.get("id") is not None:
        where = f"claim {index} ({entry['id']})"
        # the graph names a claim's own nodes by suffixes after a '.' (c1.range, c1.review): an id
        # of plain characters can never be one of them, nor break the IRI it goes into
        if not CLAIM_ID_PATTERN.match(str(entry["id"])):
            raise SchemaError(f"claim id {str(entry['id'])!r} must be letters, digits, '-' or '_'",
                              path=shown, where=f"claim {index}",
                              hint="e.g. id: c12 — a '.', '/', space or other character could make it "
                                   "collide with the nodes the graph makes for a claim")
    check_keys(entry, CLAIM_FIELDS, {"subject", "predicate", "quote"}, path=shown, where=where)
    ref = {"known": known, "path": shown, "where": where}
    predicate = str(entry["predicate"])
    if predicate not in vocabulary.predicates:
        raise UnknownPredicateError(f"unknown predicate {predicate!r}", path=shown, where=where,
                                    hint=_suggest(predicate, vocabulary.predicates)
                                    or "predicates are listed in sources/README.md")
    has_range = entry.get("min") is not None or entry.get("max") is not None
    if has_range and (entry.get("min") is None or entry.get("max") is None
                      or entry.get("object") is not None or entry.get("value") is not None):
        raise SchemaError("a range needs both min and max, and no object or value", path=shown,
                          where=where)
    if not has_range and entry.get("object") is None and entry.get("value") is None:
        raise SchemaError("a claim needs an object, a value, or min and max", path=shown, where=where)
    literal = predicate in vocabulary.literal_predicates
    if literal and entry.get("object") is not None:
        raise SchemaError(f"{predicate} takes a value (value: or min/max), not an entity object",
                          path=shown, where=where)
    if not literal and entry.get("object") is None:
        raise SchemaError(f"{predicate} relates two entities: give object: <entity id>", path=shown,
                          where=where)
    quotes = entry["quote"] if isinstance(entry["quote"], list) else [entry["quote"]]
    occurrence = entry.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)):
        raise SchemaError("occurrence must be a whole number (1 = first)", path=shown, where=where)
    evidence = []
    finder = finder or QuoteFinder(source.text)
    for quote in quotes:
        try:
            evidence.append(Evidence(source.id, finder.locate(str(quote), occurrence=occurrence)))
        except ObligraphError as error:
            error.path, error.where = shown, where
            raise
    minimum = _value(entry.get("min"), path=shown, where=where, field="min")
    maximum = _value(entry.get("max"), path=shown, where=where, field="max")
    if minimum and maximum and isinstance(minimum.raw, (int, float)) \
            and isinstance(maximum.raw, (int, float)) and minimum.raw > maximum.raw:
        raise SchemaError(f"min {minimum.raw} is greater than max {maximum.raw}", path=shown,
                          where=where)
    dates = {key: parse_date(entry.get(key), path=shown, where=where, field=key)
             for key in ("date", "start", "end")}
    stance = _enum(Stance, entry.get("stance", "asserts"), field="stance", path=shown, where=where)
    if stance is not Stance.RECOMMENDS:  # "should ratify by 2030" may name a date to come
        for key in ("date", "start"):  # end: a period may be stated to end later
            check_not_future(dates[key], path=shown, where=where, field=key)
    subject = _entity_ref(entry["subject"], field="subject", **ref)
    target = _entity_ref(entry.get("object"), field="object", **ref)
    value = _value(entry.get("value"), path=shown, where=where, field="value")
    unit = text_field(entry, "unit", path=shown, where=where)
    reading = entry.get("reading")
    if reading is not None and not (isinstance(reading, str) and reading in READINGS):
        raise SchemaError(f"reading {reading!r} is not 'curator'", path=shown, where=where,
                          hint="write reading: curator on a claim that is your reading of the words, "
                               "not what the source states; leave it out otherwise")
    curator = reading == "curator"
    if curator and entry.get("stated_by") is not None:
        raise SchemaError("a curator's reading is stated by the curator, not by "
                          f"{entry['stated_by']!r}", path=shown, where=where,
                          hint="remove stated_by (the claim is your reading of the words), or remove "
                               "reading: curator if the source has that speaker state it")
    checks.claim_shape(subject=subject, predicate=predicate, target=target,
                       numbers=[v.raw for v in (value, minimum, maximum) if v is not None],
                       unit=unit, path=shown, where=where)
    checks.figures_in_quotes([v.raw for v in (value, minimum, maximum) if v is not None],
                             [e.span.exact for e in evidence], path=shown, where=where)
    return Claim(
        source_id=source.id, index=index, key=claim_key(entry), origin=shown,
        subject=subject, predicate=predicate, object=target, value=value,
        minimum=minimum, maximum=maximum, evidence=tuple(evidence),
        stated_by=None if curator else (_entity_ref(entry.get("stated_by"), field="stated_by", **ref)
                                         or source.author),
        curator_reading=curator,
        former=_flag(entry, "former", path=shown, where=where),
        stance=stance,
        id=text_field(entry, "id", path=shown, where=where),
        mode=_enum(ConsentMode, entry.get("mode"), field="mode", path=shown, where=where),
        unit=unit,
        approximate=_flag(entry, "approximate", path=shown, where=where),
        at_least=_flag(entry, "at_least", path=shown, where=where),
        topic=_entity_ref(entry.get("topic"), field="topic", **ref),
        role=text_field(entry, "role", path=shown, where=where),
        note=text_field(entry, "note", path=shown, where=where),
        reviewed_by=text_field(entry, "reviewed_by", path=shown, where=where),
        reviewed_on=parse_date(entry.get("reviewed_on"), path=shown, where=where,
                               field="reviewed_on"), **dates)


def read_claims(path: Path, source: Source, root: Path, known: set[str],
                vocabulary: Vocabulary) -> tuple[Claim, ...]:
    if not path.exists():
        return ()
    shown = _relative(path, root)
    _within(root, path, shown=shown)
    raw = load_yaml(path, shown=shown) or []
    if not isinstance(raw, list):
        raise YamlError("a claims file must be a list of claims (each starting with '- subject:')",
                        path=shown)
    claims, errors = [], []
    finder = QuoteFinder(source.text, _quotes(raw))  # every quote of the file found in one pass
    for index, entry in enumerate(raw, 1):  # every claim is checked: all the file's errors at once
        try:
            claims.append(read_claim(entry, index, source, shown=shown, known=known,
                                     vocabulary=vocabulary, finder=finder))
        except ObligraphError as error:
            errors.append(error)
    if errors:
        raise ManyErrors.of(errors)
    _check_unique(claims, shown)
    return tuple(claims)


def _quotes(entries: list) -> list[str]:
    """Every quote the entries give, as written (read_claim checks their form)."""
    quotes = []
    for entry in entries:
        quote = entry.get("quote") if isinstance(entry, dict) else None
        quotes.extend(str(q) for q in (quote if isinstance(quote, list) else [quote]) if q is not None)
    return quotes


def _check_unique(claims: list[Claim], shown: str) -> None:
    seen: dict[str, Claim] = {}
    for claim in claims:
        name = claim.id or claim.key
        if name in seen:
            raise SchemaError(f"same {'id' if claim.id else 'content'} as {seen[name].name}",
                              path=shown, where=claim.name,
                              hint="remove the duplicate, or give each claim its own id")
        seen[name] = claim


# --- the corpus ---------------------------------------------------------------------------------

def claims_path_of(meta_path: Path) -> Path:
    """The claims file beside a source's metadata (a1.meta.yaml → a1.claims.yaml)."""
    return meta_path.with_name(meta_path.name.replace(".meta.yaml", ".claims.yaml"))


def read_source_and_claims(meta_path: Path, root: Path, entities: tuple[Entity, ...],
                           known: set[str], vocabulary: Vocabulary, *, seen: dict[str, str],
                           text_path: Path | None = None) -> tuple[Source, tuple[Claim, ...]]:
    """One source and its claims: a reference record's rows, or its claims file's entries. A
    source whose id is in ``seen`` is refused before its claims are read."""
    shown = _relative(meta_path, root)
    _within(root, meta_path, shown=shown)
    source = read_source(meta_path, root, known, text_path=text_path)
    check_unique_source(source, shown, seen)
    if source.kind is SourceKind.REFERENCE_RECORD:
        if source.format in records.RECORD_TREATY:  # a record of one treaty: its title says which
            treaty = records.RECORD_TREATY[source.format](source, entities)
            label = next(e.label for e in entities if e.id == treaty)
            source = replace(source, treaty=treaty, title=f"{source.title}: {label}",
                             record_class=records.RECORD_CLASS.get(source.format))
        return source, tuple(records.READERS[source.format](source, entities))
    return source, read_claims(claims_path_of(meta_path), source, root, known, vocabulary)


def check_unique_source(source: Source, shown: str, seen: dict[str, str]) -> None:
    """Refuse a second source with the same id; ``seen`` maps ids to the files read so far."""
    if source.id in seen:
        raise SchemaError(f"two sources named {source.id!r}", path=shown,
                          hint=f"rename one of the text files (the other is {seen[source.id]})")
    seen[source.id] = shown


def read_corpus(root: Path, vocabulary: Vocabulary) -> Corpus:
    """Read and check everything under ``root`` (the sources/ directory)."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise SourceFileError("the sources directory does not exist", path=str(root),
                              hint="run from the project directory, or pass --sources DIR")
    entities = read_registry(root, vocabulary)
    known = {e.id for e in entities}
    sources: list[Source] = []
    claims: list[Claim] = []
    seen: dict[str, str] = {}
    errors: list[ObligraphError] = []  # every source is read: all their errors at once
    for meta_path in sorted(root.rglob("*.meta.yaml")):
        try:
            for text_path in text_paths(meta_path, root) or [None]:
                source, source_claims = read_source_and_claims(meta_path, root, entities, known,
                                                               vocabulary, seen=seen, text_path=text_path)
                sources.append(source)
                claims.extend(source_claims)
        except ObligraphError as error:
            errors.append(error)
    if errors:
        raise ManyErrors.of(errors)
    checks.no_orphans(root, {(root.parent / p).resolve() for s in sources
                             for p in (s.path, s.index_path) if p},
                      shown=lambda path: _relative(path, root))
    corpus = Corpus(entities=entities, sources=tuple(sources), claims=tuple(claims))
    checks.corpus_consistency(corpus)
    return corpus
