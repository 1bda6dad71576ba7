"""Stable content keys for claims (their IRIs are built from them)."""

from __future__ import annotations

import hashlib
import json


EXCLUDED = ("id", "note", "reviewed_by", "reviewed_on")  # not what the claim says


def claim_key(entry: dict) -> str:
    """A content hash: the same claim gets the same IRI on every build."""
    canonical = json.dumps({k: entry[k] for k in sorted(entry) if k not in EXCLUDED},
                           sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
