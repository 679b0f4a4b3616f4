"""Stable ids from content hashes: the same input always yields the same id."""

from __future__ import annotations

import hashlib


def content_hash(*parts: object, length: int = 16) -> str:
    """Hex sha256 of the parts, each told apart from its neighbours (None != "")."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = b"\x00" if part is None else b"\x01" + str(part).encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return digest.hexdigest()[:length]


def chunk_id(article_id: str, char_start: int, text: str) -> str:
    return content_hash(article_id, char_start, text)
