"""Multiple choice: pick the option the retrieved evidence supports best.

In order of weight, an option scores when it is the short answer the extractive answerer
found, for every relevant reranked sentence that mentions it (weighted like the short
answer's evidence: e^((score - best) / 2)), and, as a tie-breaker, for every top passage
that mentions it. Mentions are matched on word boundaries of the one answer normaliser's
text (case, punctuation, articles, "2,700" = "2700", "four" = "4"). When no option is mentioned anywhere, the one sharing the most rare words with the
top passages wins: weak, but better than a blind guess.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from assistant.answering.normalize import normalize_text
from assistant.evidence import ScoredSentence
from assistant.text import analyze
from assistant.types import Passage

PASSAGE_DEPTH = 20
SHORT_ANSWER_WEIGHT = 2.0
PASSAGE_WEIGHT = 0.3


def normalize(text: str) -> str:
    """The answer normaliser's form padded with spaces, so that ``key in text`` matches
    whole words (uncached: passages are long and rarely repeat)."""
    return f" {normalize_text(text)} "


def pick_choice(
    choices: Sequence[str],
    passages: Sequence[Passage],
    sentences: Sequence[ScoredSentence],
    idf: Callable[[str], float],
    short_answer: str | None = None,
) -> tuple[int, list[float]]:
    """Index of the best-supported choice and every choice's score."""
    if not choices:
        raise ValueError("no choices given")
    keys = [normalize(c) for c in choices]
    scores = [0.0] * len(choices)
    if short_answer:
        short = normalize(short_answer)
        for i, key in enumerate(keys):
            if key.strip() and (key in short or short in key):
                scores[i] += SHORT_ANSWER_WEIGHT
    top = sentences[0].score if sentences else 0.0
    for sentence in sentences:
        if not sentence.relevant:
            continue
        text = normalize(sentence.passage.title + " " + sentence.text)
        weight = math.exp((sentence.score - top) / 2.0)
        for i, key in enumerate(keys):
            if key.strip() and key in text:
                scores[i] += weight
    for rank, passage in enumerate(passages[:PASSAGE_DEPTH]):
        text = normalize(passage.title + " " + passage.text)
        for i, key in enumerate(keys):
            if key.strip() and key in text:
                scores[i] += PASSAGE_WEIGHT / (1 + rank)
    if max(scores) == 0.0:
        vocabulary = {t for p in passages[:PASSAGE_DEPTH] for t in analyze(p.title + " " + p.text)}
        scores = [sum(idf(t) for t in set(analyze(c)) if t in vocabulary) / 100 for c in choices]
    best = max(range(len(choices)), key=lambda i: scores[i])
    return best, scores
