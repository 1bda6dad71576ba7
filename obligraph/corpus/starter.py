"""`obligraph init DIR`: a new, minimal corpus that builds at once — a registry and one example
article with its claims (starter/), to replace with one's own. The ontology, rules and named
queries are the installed Obligraph's (paths.Paths uses a corpus's own ontology/ or queries/
where it has them): so a corpus keeps up with the rules without copying them."""

from __future__ import annotations

from pathlib import Path

from . import atomic
from ..errors import CorpusExistsError, WriteError

STARTER = Path(__file__).parent / "starter"


def init(directory: Path) -> list[Path]:
    """Write the starter corpus into ``directory`` (made if missing); the files written. Refuses,
    writing nothing, where the folder already holds a corpus or any of the files."""
    directory = Path(directory)
    files = sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    targets = [directory / p.relative_to(STARTER) for p in files]
    existing = [t for t in targets if t.exists()]
    if (directory / "sources").exists() or existing:
        raise CorpusExistsError("a corpus is already here", path=str(directory / "sources"),
                                hint="choose a new folder for `obligraph init`; nothing was written")
    written: list[Path] = []
    try:
        for source, target in zip(files, targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_file(target, source.read_bytes(), unchanged="nothing was written")
            written.append(target)
    except WriteError:
        for path in written:  # all the starter or none of it (a full disk half-way)
            path.unlink(missing_ok=True)
        raise
    return written
