"""Whole claim records put aside on disk while a network holds a brief form of them (network.py's
``to_network(shelf=...)``, used by the page: html.store_html)."""

from __future__ import annotations

import json
import os
import tempfile


class ClaimShelf:
    """Whole claim records put aside in a private temporary file (gone once closed), as their
    JSON, while a network holds only a brief form of them (:func:`to_network`): the page reads
    back those it shows. At 10,000 articles the claims held whole were most of the network's
    630 MB; reading them again from the graphs took 44 s, from here 3 s."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="obligraph-claims-")
        self.where: dict[str, tuple[int, int]] = {}

    def put(self, record: dict) -> None:
        data = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
        self.where[record["id"]] = (self.file.tell(), len(data))
        self.file.write(data)

    def get(self, claim: str) -> dict:
        """A claim's whole record, by its IRI, as JSON has it (KeyError if it was not put)."""
        offset, size = self.where[claim]
        self.file.seek(offset)
        data = self.file.read(size)
        self.file.seek(0, os.SEEK_END)
        return json.loads(data)

    def close(self) -> None:
        self.file.close()
        self.where = {}

    def __enter__(self) -> ClaimShelf:
        return self

    def __exit__(self, *_) -> None:
        self.close()
