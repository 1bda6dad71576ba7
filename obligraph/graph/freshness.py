"""What a built graph was built from, and whether that has changed since: the build writes
graph/built-from.json (the SHA-256 of every file of sources/, ontology/ — its rules with it — and
queries/, by path), and `query`, `serve` and `html` compare it with the files as they are now, so
a graph that no longer answers for the sources says so instead of answering silently from the
old ones. Paths are relative to the project (the graph folder's parent), so the record is the
same wherever the project is checked out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..corpus.atomic import is_transient
from ..errors import StaleGraphError

INPUTS_FILE = "built-from.json"
INPUT_FOLDERS = ("sources", "ontology", "queries")


def _files(folder: Path, name: str) -> dict[str, str]:
    found = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            # a review's lock or temporary file (atomic.py) is no input, only there while it writes
            if path.is_file() and "__pycache__" not in path.parts and not is_transient(path.name):
                try:
                    data = path.read_bytes()
                except OSError:  # unreadable: recorded as empty; the build names it when it reads it
                    data = b""
                found[f"{name}/{path.relative_to(folder).as_posix()}"] = hashlib.sha256(data).hexdigest()
    return found


def input_digests(*, sources: Path, ontology: Path, queries: Path) -> dict[str, str]:
    """Path (sources/…, ontology/…, queries/…) → SHA-256 of every input file."""
    return {**_files(sources, "sources"), **_files(ontology, "ontology"), **_files(queries, "queries")}


def inputs_json(digests: dict[str, str]) -> str:
    return json.dumps({"files": dict(sorted(digests.items()))}, indent=1, sort_keys=True) + "\n"


def changes(graph_file: Path) -> list[str] | None:
    """What changed in the project's inputs since ``graph_file`` was built ("sources/x.yaml
    changed", "… added", "… removed"), [] if nothing; None where it cannot be told (no record
    beside the graph, or no sources/ beside its folder)."""
    folder = Path(graph_file).resolve().parent
    project = folder.parent
    try:
        recorded = json.loads((folder / INPUTS_FILE).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (project / "sources").is_dir():
        return None
    now = input_digests(sources=project / "sources", ontology=project / "ontology", queries=project / "queries")
    # a folder that is not beside the graph (a corpus built with the bundled ontology) tells nothing
    absent = tuple(f"{name}/" for name in INPUT_FOLDERS if not (project / name).is_dir())
    recorded = {path: value for path, value in recorded.items() if not path.startswith(absent or ("\0",))}
    found = [f"{path} changed" for path in sorted(recorded) if path in now and now[path] != recorded[path]]
    found += [f"{path} added" for path in sorted(set(now) - set(recorded))]
    found += [f"{path} removed" for path in sorted(set(recorded) - set(now))]
    return found


def stale_message(graph_file: Path, found: list[str]) -> str:
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return f"{Path(graph_file).parent.name}/ was built from other inputs: {found[0]}{more}"


def check(graph_file: Path, *, strict: bool = False) -> str | None:
    """The one-line warning for a graph whose inputs changed since its build (None if they did
    not, or it cannot be told); with ``strict`` a StaleGraphError instead."""
    found = changes(graph_file)
    if not found:
        return None
    message = stale_message(graph_file, found)
    if strict:
        raise StaleGraphError(message, path=str(graph_file),
                              hint="run `obligraph build` to rebuild it, or leave out --strict to use it as it is")
    return message
