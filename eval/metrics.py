"""Evaluation metrics: pure functions over strings, ids and numbers (no model, no I/O).

Each per-question metric returns a number in [0, 1] (or ``None`` where it does not apply);
a set's score is the mean over the questions where it applies, with a bootstrap interval.
The formulas are repeated in docs/evaluation.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

# The answerer's own normaliser: eval scores answers exactly as Byline compares them.
from assistant.answering.normalize import normalize_answer, normalize_text  # noqa: F401 (re-exported)


def exact_match(prediction: str | None, answers: Sequence[str]) -> float:
    """EM = max over aliases a of [normalize(prediction) == normalize(a)]; 0 for an empty
    prediction or no aliases."""
    pred = normalize_answer(prediction)
    if not pred:
        return 0.0
    return float(any(pred == normalize_answer(a) for a in answers))


def token_f1(prediction: str | None, answers: Sequence[str]) -> float:
    """F1 = max over aliases of 2PR/(P+R), where with common = |pred tokens ∩ alias tokens|
    (multiset), P = common/|pred tokens| and R = common/|alias tokens|."""
    pred = normalize_answer(prediction).split()
    best = 0.0
    for alias in answers:
        gold = normalize_answer(alias).split()
        common = sum((Counter(pred) & Counter(gold)).values())
        if not pred or not gold or common == 0:
            continue
        precision, recall = common / len(pred), common / len(gold)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains_answer(text: str | None, answers: Sequence[str]) -> float:
    """Answer contained = 1 if some normalised alias occurs in normalize(text) on token
    boundaries (" " + alias + " " in " " + text + " "), else 0."""
    haystack = f" {normalize_text(text)} "  # a whole reply: not worth caching
    return float(any(
        (needle := normalize_answer(a)) and f" {needle} " in haystack for a in answers
    ))


def unique_in_order(items: Iterable[str]) -> list[str]:
    """Article ids in first-seen rank order (several passages may share an article)."""
    return list(dict.fromkeys(items))


def recall_at_k(ranked_ids: Sequence[str], gold_ids: Iterable[str], k: int) -> float:
    """Recall@k (hit rate) = 1 if any gold article id is among the first k distinct
    retrieved article ids, else 0."""
    gold = set(gold_ids)
    return float(any(i in gold for i in unique_in_order(ranked_ids)[:k]))


def reciprocal_rank(ranked_ids: Sequence[str], gold_ids: Iterable[str]) -> float:
    """RR = 1 / rank of the first gold article among the distinct retrieved article ids;
    0 when none is retrieved. MRR is its mean over questions."""
    gold = set(gold_ids)
    for rank, article_id in enumerate(unique_in_order(ranked_ids), start=1):
        if article_id in gold:
            return 1.0 / rank
    return 0.0


def answer_recall_at_k(passages: Sequence[str], answers: Sequence[str], k: int) -> float:
    """Answer-string recall@k = 1 if one of the first k passage texts contains a
    normalised accepted answer (see :func:`contains_answer`), else 0."""
    return float(any(contains_answer(p, answers) for p in passages[:k]))


def supports(passage: str, answers: Sequence[str] | None, evidence: str | None) -> bool:
    """A passage supports the gold answer when it contains an accepted answer or the
    gold evidence sentence (both normalised)."""
    if answers and contains_answer(passage, answers):
        return True
    return bool(evidence) and contains_answer(passage, [evidence]) == 1.0


def citation_precision(
    cited: Sequence[str], answers: Sequence[str] | None, evidence: str | None
) -> float | None:
    """Citation precision = |cited passages that support the gold| / |cited passages|;
    ``None`` (not applicable) without citations."""
    if not cited:
        return None
    return sum(supports(p, answers, evidence) for p in cited) / len(cited)


def citation_recall(cited: Sequence[str], evidence: str | None) -> float | None:
    """Citation recall = 1 if a cited passage contains the gold evidence sentence, else 0;
    ``None`` where the question has no gold evidence."""
    if not evidence:
        return None
    return float(any(contains_answer(p, [evidence]) for p in cited))


def mean(values: Iterable[float | None]) -> float | None:
    """Mean over the values that apply (``None`` skipped); ``None`` if none apply."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between order statistics
    (numpy's default): position = (n - 1) * q / 100."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def calibration_bin(confidence: float, bins: int = 10) -> int:
    """The equal-width bin of a confidence on [0, 1]: [b/bins, (b+1)/bins), 1.0 in the last."""
    return min(int(confidence * bins), bins - 1)


def calibration_bins(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> list[dict]:
    """Reliability table: the predictions split into ``bins`` equal-width confidence bins;
    each non-empty bin gives its range, count, mean confidence and share correct."""
    grouped: dict[int, list[tuple[float, bool]]] = {}
    for c, ok in zip(confidences, correct):
        grouped.setdefault(calibration_bin(c, bins), []).append((c, ok))
    return [{"low": b / bins, "high": (b + 1) / bins, "n": len(inside),
             "confidence": sum(c for c, _ in inside) / len(inside),
             "accuracy": sum(bool(ok) for _, ok in inside) / len(inside)}
            for b, inside in sorted(grouped.items())]


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """ECE = sum over bins of (n_bin / n) * |accuracy_bin - mean confidence_bin|, with
    ``bins`` equal-width bins on [0, 1] (Guo et al., 2017); 0 for no predictions."""
    n = len(confidences)
    if n == 0:
        return 0.0
    return sum(row["n"] / n * abs(row["accuracy"] - row["confidence"])
               for row in calibration_bins(confidences, correct, bins))


def chance_ece(
    confidences: Sequence[float], bins: int = 10, *, draws: int = 2000, seed: int = 0
) -> dict[str, float] | None:
    """The ECE a perfectly calibrated answerer would show by chance with these
    confidences: each reply is drawn right with exactly its stated probability, ``draws``
    times, and the median and 95th percentile of the drawn ECEs are returned. On a small
    set the binned gaps are mostly sampling noise (30 replies put 3 in a bin), so an ECE
    within this range does not show miscalibration. Seeded; ``None`` for no replies."""
    import numpy as np

    if not confidences:
        return None
    conf = np.asarray(confidences, dtype=float)
    index = np.array([calibration_bin(c, bins) for c in confidences])
    right = np.random.default_rng(seed).random((draws, len(conf))) < conf
    gaps = np.zeros(draws)
    for b in np.unique(index):
        inside = index == b
        gaps += np.abs(right[:, inside].sum(axis=1) - conf[inside].sum())
    eces = gaps / len(conf)
    return {"median": float(np.median(eces)), "p95": float(np.percentile(eces, 95))}


def threshold_sweep(
    scored: Sequence[tuple[float, bool]], thresholds: Sequence[float], keep: float = 0.9
) -> tuple[list[tuple[float, int, float, float]], tuple[float, float, float] | None]:
    """What accepting the items scoring at or above each threshold gives: per threshold
    (threshold, accepted, precision, recall), ``scored`` being (score, truly positive)
    pairs; and the (threshold, precision, recall) with the best precision whose recall
    reaches ``keep`` (on a tie, the stricter threshold), or None."""
    positives = sum(1 for _, ok in scored if ok)
    table, best = [], None
    for threshold in thresholds:
        accepted = [ok for score, ok in scored if score >= threshold]
        right = sum(1 for ok in accepted if ok)
        precision = right / len(accepted) if accepted else 0.0
        recall = right / positives if positives else 0.0
        table.append((threshold, len(accepted), precision, recall))
        if positives and recall >= keep and (best is None or precision >= best[1]):
            best = (threshold, precision, recall)
    return table, best


def bootstrap_ci(
    values: Sequence[float], *, resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean: draw ``resamples`` samples of size n
    with replacement, take each sample's mean, report the (1-c)/2 and (1+c)/2 quantiles.
    Seeded, so a rerun gives the same interval; ``None`` for an empty list."""
    import numpy as np

    if not values:
        return None
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)
