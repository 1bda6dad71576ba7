"""Where Obligraph keeps what it can rebuild: the persisted query store and the build cache.

Outside graph/ (whose files must be byte-identical on every build) and outside anything a user
wrote: $OBLIGRAPH_CACHE if set, else $XDG_CACHE_HOME/obligraph, else ~/.cache/obligraph. Deleting
it is always safe — everything in it is derived."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache root (not created here)."""
    if os.environ.get("OBLIGRAPH_CACHE"):
        return Path(os.environ["OBLIGRAPH_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "obligraph"
