"""Near-duplicate removal: the same wire story in five outlets should fill one slot, not five.

Two passages are near-duplicates when most word 4-grams of the shorter one also occur in
the longer one (containment, Broder 1997). Containment rather than Jaccard, because two
outlets cut the same story into chunks at different places: one chunk is then largely
inside the other without the two being equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.types import Passage

_WORD = re.compile(r"\w+")
SHINGLE = 4
THRESHOLD = 0.75


def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def containment(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def drop_near_duplicates(
    passages: Sequence[Passage], threshold: float = THRESHOLD, limit: int | None = None
) -> list[Passage]:
    """Keep the best-ranked passage of each group of near-duplicates, in input order, and
    at most ``limit`` of them (later passages are not even compared).

    Passages of the same article never count as duplicates of each other (their overlap
    is the chunker's deliberate overlap).
    """
    kept: list[tuple[Passage, frozenset]] = []
    for passage in passages:
        if limit is not None and len(kept) >= limit:
            break
        grams = shingles(passage.text)
        if any(
            other.article_id != passage.article_id and containment(grams, seen) >= threshold
            for other, seen in kept
        ):
            continue
        kept.append((passage, grams))
    return [p for p, _ in kept]
