"""Reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009).

Each ranking contributes ``weight / (k + rank)`` to an item's score. It needs no score
calibration between BM25 and cosine similarity, which live on unrelated scales, and
``k = 60`` is the value from the paper that later hybrid-search work kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Item]], *, k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[Item, float]]:
    """Fused ``(item, score)`` pairs, best first; ties keep first-seen order."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    scores: dict[Item, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
