"""Evaluation metrics: pure functions over strings, ids and numbers (no model, no I/O).

Each per-question metric returns a number in [0, 1] (or ``None`` where it does not apply);
a set's score is the mean over the questions where it applies, with a bootstrap interval.
The formulas are repeated in docs/evaluation.md.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")
# A comma between digit groups ("2,700") is a thousands separator: removed before
# punctuation is, so "2,700" and "2700" normalise alike.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# Periods and apostrophes join ("U.S." -> "us", "O'Brien" -> "obrien"), except a
# possessive "'s", which is dropped so "Kyiv's" still contains "Kyiv".
_POSSESSIVE = re.compile(r"['’]s\b")
_JOINING = re.compile(r"[.'’]")
_PUNCTUATION = set(string.punctuation) | set("‘“”–—…«»")


def normalize_answer(text: str | None) -> str:
    """SQuAD normalisation, plus thousands separators: lowercase; "2,700" -> "2700";
    drop punctuation; drop the articles a/an/the; collapse whitespace.

    ``normalize_answer("The 2,700 Wounded!") == "2700 wounded"``

    Unlike SQuAD, which deletes all punctuation, a hyphen or comma becomes a space
    ("Seong-kweun" -> "seong kweun"), so the parts of a hyphenated name stay tokens
    that F1 can credit and that a passage can be searched for.
    """
    if not text:
        return ""
    text = _THOUSANDS.sub("", text.lower())
    text = _JOINING.sub("", _POSSESSIVE.sub("", text))
    text = "".join(" " if ch in _PUNCTUATION else ch for ch in text)
    return " ".join(_ARTICLES.sub(" ", text).split())


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
    haystack = f" {normalize_answer(text)} "
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
