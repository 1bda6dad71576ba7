"""Reading the YAML files curators write, with errors that name the file and line."""

from __future__ import annotations

import datetime
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvalidDateError, SchemaError, SourceFileError, YamlError
from .model import DATE_PATTERN, DateValue

MAX_YAML_BYTES = 20_000_000
MAX_YAML_DEPTH = 50  # curated files nest two or three levels; deeper is a mistake or an attack


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: curated files never need them, and refusing them
    closes the door on 'billion laughs' expansion."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"YAML aliases (*name) are not allowed, line {event.start_mark.line + 1}")
        depth = getattr(self, "_depth", 0)
        if depth >= MAX_YAML_DEPTH:
            event = self.peek_event()
            raise yaml.YAMLError(f"nested more than {MAX_YAML_DEPTH} levels deep, line "
                                 f"{event.start_mark.line + 1}")
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


MAX_TEXT_BYTES = 200_000_000  # a source text past this is no article or record: refused, not read on


def read_regular(path: Path, *, limit: int = MAX_TEXT_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (counted as read: a device reports size 0).
    A FIFO, a device or a socket is refused by name, never opened for a blocking read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
                    or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
            raise SourceFileError(f"{kind}, not a regular file", path=str(path),
                                  hint="a corpus holds regular files only: replace it with one, or remove it")
        chunks, total = [], 0
        while chunk := os.read(descriptor, 1 << 20):
            total += len(chunk)
            if total > limit:
                raise SourceFileError(f"file larger than {limit} bytes", path=str(path),
                                      hint="split the source, or check that this is the file meant")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _as_written(loader):
    """The loader with YAML 1.1's silent conversions taken out, so a value is kept as written:
    no timestamps (an unquoted date stays text, which the date check then reads or refuses
    with its message, not a traceback), only true/false as booleans (yes, no, on, off stay words),
    integers and decimals in base 10 only (0123 stays "0123", not octal 83; 1:30 stays "1:30", not
    sexagesimal 90), no .nan or .inf."""
    class AsWritten(loader):
        pass
    AsWritten.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP, _BOOL, _INT, _FLOAT)]
        for first, resolvers in loader.yaml_implicit_resolvers.items()}
    AsWritten.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    AsWritten.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
    AsWritten.add_implicit_resolver(
        _FLOAT, re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$"),
        list("-+0123456789."))
    return AsWritten


def read_text(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    try:
        data = read_regular(path, limit=limit)
    except FileNotFoundError:
        raise SourceFileError("file not found", path=str(path),
                              hint="check the file name in the metadata, or add the file") from None
    except OSError as error:
        raise SourceFileError(f"cannot read the file: {error.strerror}", path=str(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SourceFileError(f"not valid UTF-8 (byte {error.start}, line {line})", path=str(path),
                              hint="save the file as UTF-8") from None


_CHECKING = _as_written(_Loader)
_FAST = _as_written(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else _CHECKING


def _plainly_safe(text: str) -> bool:
    """True when libyaml (10× faster) may read the text: no alias or anchor characters at all and
    nesting far below the limit — else the checking Python loader reads it."""
    if not getattr(yaml, "__with_libyaml__", False) or "*" in text or "&" in text:
        return False
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return deepest < 10 and indent < 40


def load_yaml(path: Path, *, shown: str | None = None) -> Any:
    """Parse a curated YAML file; errors name it as ``shown`` (its path relative to the project)."""
    shown = shown or str(path)
    return parse_yaml(read_yaml_text(path, shown=shown), shown=shown)


def read_yaml_text(path: Path, *, shown: str | None = None) -> str:
    """A curated YAML file's text (a regular file, at most MAX_YAML_BYTES, UTF-8)."""
    shown = shown or str(path)
    try:
        return read_text(path, limit=MAX_YAML_BYTES)
    except SourceFileError as error:
        if error.message.startswith("file larger than"):
            raise YamlError(error.message, path=shown, hint=error.hint) from None
        error.path = shown
        raise


def parse_yaml(text: str, *, shown: str) -> Any:
    """YAML text read as written (_as_written), aliases and deep nesting refused; errors name
    ``shown`` and the line."""
    if _plainly_safe(text):
        try:
            return yaml.load(text, Loader=_FAST)  # noqa: S506 - a CSafeLoader
        except yaml.YAMLError:
            pass  # read it again below, for the message the Python loader gives
    try:
        return yaml.load(text, Loader=_CHECKING)  # noqa: S506 - _Loader is a SafeLoader
    except RecursionError:  # flow collections nested beyond what the composer can recurse
        raise YamlError(f"malformed YAML: nested more than {MAX_YAML_DEPTH} levels deep", path=shown,
                        hint="curated files need two or three levels: check the brackets") from None
    except yaml.reader.ReaderError as error:  # a control character such as NUL
        line = text[:error.position].count("\n") + 1
        raise YamlError(f"malformed YAML: character U+{error.character:04X} is not allowed",
                        path=shown, where=f"line {line}",
                        hint="remove the control character (the file may be binary, or not "
                             "UTF-8 text)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise YamlError(f"malformed YAML: {problem}", path=shown, where=where,
                        hint="check indentation, and quote text containing ': ' or '#'") from None


def parse_date(raw: Any, *, path: str, where: str, field: str) -> DateValue | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; YAML's own date and integer readings are accepted too."""
    if raw is None:
        return None
    if isinstance(raw, datetime.date):
        raw = raw.isoformat()
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = f"{raw:04d}"
    text = str(raw).strip()
    match = DATE_PATTERN.match(text)
    problem = None if match else "is not YYYY, YYYY-MM or YYYY-MM-DD"
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        if year == 0:
            problem = "has year 0, which no calendar in use has"
        elif month is not None and not 1 <= month <= 12:
            problem = "has no such month"
        elif day is not None:
            try:
                datetime.date(year, month, day)
            except ValueError:
                problem = "is not a real calendar date"
    if problem:
        raise InvalidDateError(f"{field} {text!r} {problem}", path=path, where=where,
                               hint='write the date as "2012", "2012-03" or "2012-03-09" (quoted)')
    return DateValue(text)


def earliest_day(date: DateValue) -> datetime.date:
    """The first day a date of any precision can mean ("2012" → 2012-01-01)."""
    parts = [int(part) for part in date.text.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


def check_not_future(date: DateValue | None, *, path: str, where: str, field: str,
                     today: datetime.date | None = None) -> None:
    """A date after the build date is almost surely a typo ("2102" for "2012")."""
    if date is None:
        return
    today = today or datetime.date.today()
    if earliest_day(date) > today:
        raise InvalidDateError(f"{field} {date.text!r} is in the future (the build date is "
                               f"{today.isoformat()})", path=path, where=where,
                               hint="check for a typo (2102 for 2012); a date that is still to "
                                    "come belongs in a claim with stance: recommends, or in end:")


def require_mapping(raw: Any, *, path: str, where: str) -> dict:
    if not isinstance(raw, dict):
        raise SchemaError(f"expected a mapping (key: value lines), found {type(raw).__name__}",
                          path=path, where=where)
    return raw


def check_keys(entry: dict, allowed: set[str], required: set[str], *, path: str, where: str) -> None:
    unknown = sorted(set(map(str, entry)) - allowed)
    if unknown:
        raise SchemaError(f"unknown field(s): {', '.join(unknown)}", path=path, where=where,
                          hint=f"allowed fields: {', '.join(sorted(allowed))}")
    missing = sorted(key for key in required if entry.get(key) in (None, ""))
    if missing:
        raise SchemaError(f"missing required field(s): {', '.join(missing)}", path=path, where=where)


def text_field(entry: dict, key: str, *, path: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise SchemaError(f"{key} must be text, found a {type(value).__name__}", path=path, where=where)
    return str(value).strip() or None
