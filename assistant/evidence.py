"""What flows from retrieval into answering: scored sentences and the evidence an answerer
reads. Both stages import these types from here, so neither imports the other.

Each sentence keeps two numbers: ``relevance`` (the cross-encoder logit: is it about the
question?) and ``prior`` (the date prior of its article, see
:mod:`assistant.retrieval.timeframe`). Sentences at or above ``RELEVANCE_GATE`` rank by
relevance + prior, all others after them by relevance alone: the date decides between
relevant evidence, and never promotes irrelevant text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.types import Passage

# Below this logit a sentence is not about the question (ms-marco-MiniLM-L-12-v2 scores
# unrelated sentences from about -11 to -5 on the demo set; see README, Evaluation).
RELEVANCE_GATE = -3.0
# The date prior: a publication date (ISO, or None when undated) to a score bonus.
Prior = Callable[[str | None], float]


@dataclass(slots=True)
class ScoredSentence:
    passage: Passage
    start: int  # offsets into the article body
    end: int
    relevance: float = 0.0
    prior: float = 0.0
    latest_news: bool = False  # see Timeframe.is_latest_news

    @property
    def text(self) -> str:
        offset = self.passage.char_start
        return self.passage.text[self.start - offset : self.end - offset]

    @property
    def score(self) -> float:
        """Relevance with the date prior, for relevant sentences; plain relevance otherwise."""
        return self.relevance + self.prior if self.relevant else self.relevance

    @property
    def relevant(self) -> bool:
        return self.relevance >= RELEVANCE_GATE

    def sort_key(self) -> tuple[bool, float]:
        return (self.relevant, self.score)


@dataclass(frozen=True)
class Evidence:
    """What the answerer reads: the standalone question, the reranked sentences (best
    first), the passages they came from, and the options of a multiple-choice question."""

    question: str
    sentences: Sequence[ScoredSentence]
    passages: Sequence[Passage] = ()
    choices: tuple[str, ...] = ()
