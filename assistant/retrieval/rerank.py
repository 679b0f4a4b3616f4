"""Second stage: a cross-encoder scores sentences of the top passages; passages are reranked
by their best sentence (MaxP, Dai & Callan 2019) and the sentences become the evidence.

Why sentences rather than whole passages: the cross-encoder costs ~0.3 ms per word piece
on two CPU cores, so scoring 20 passages of 200 pieces would take over a second, while a
dozen sentences of ~50 pieces take ~150 ms. Which sentences: those sharing the most rare
query terms (IDF-weighted overlap, from the BM25 index), favouring higher-ranked passages
and lead sentences (news puts the answer first), up to ``budget`` sentences in all.

Each sentence gets its cross-encoder logit as ``relevance`` and its article's date prior
(see :class:`assistant.evidence.ScoredSentence` for how the two rank together).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from assistant.evidence import ScoredSentence
from assistant.models.reranker import Reranker
from assistant.retrieval.timeframe import Timeframe
from assistant.text import analyze
from assistant.types import Passage

RANK_DECAY = 0.3
LEAD_BONUS = 0.5
# A *wide* reading, for a question about a whole story ("How did the Hong Kong protests
# develop?"): its answer is one sentence from each of many articles, not one sentence, so
# more passages and sentences are read. On the 12 demo timeline questions
# (eval/timelines.py) story recall rose from 0.49 to 0.73 and entry precision fell from
# 0.89 to 0.74 (8/10 -> 20/30; 20/20 gave 0.67 / 0.77, 20/40 0.76 / 0.68).
WIDE_PASSAGES = 20
WIDE_BUDGET = 30


class SentenceReranker:
    """Args:
    reranker: the cross-encoder.
    idf: inverse document frequency of an analysed term (``NewsIndex.idf``).
    passages: how many first-stage passages get sentences scored.
    budget: how many sentences the cross-encoder scores per query (the latency knob).
    """

    def __init__(
        self,
        reranker: Reranker,
        idf: Callable[[str], float],
        *,
        passages: int,
        budget: int,
    ) -> None:
        if passages < 1 or budget < passages:
            raise ValueError(f"need 1 <= passages <= budget, got {passages} and {budget}")
        self.reranker = reranker
        self.idf = idf
        self.passages = passages
        self.budget = budget

    def warm_up(self) -> None:
        """Load the cross-encoder (the first question would pay for it)."""
        self.reranker.score("warm up", ["warm up"])

    def rerank(
        self,
        query: str,
        passages: Sequence[Passage],
        timings: dict[str, float] | None = None,
        timeframe: Timeframe | None = None,
        wide: bool = False,
    ) -> tuple[list[Passage], list[ScoredSentence]]:
        """Passages reordered (scored ones first, by best sentence) and the scored
        sentences, best first; ``wide``: read as many as a story-wide question needs
        (WIDE_PASSAGES, WIDE_BUDGET)."""
        started = time.perf_counter()
        depth = max(self.passages, WIDE_PASSAGES) if wide else self.passages
        budget = max(self.budget, WIDE_BUDGET) if wide else self.budget
        head = list(passages[:depth])
        chosen = self._choose_sentences(query, head, budget)
        for sentence, logit in zip(chosen, self.reranker.score(query, [with_title(s) for s in chosen])):
            sentence.relevance = float(logit)
            if timeframe is not None:
                sentence.prior = timeframe.prior(sentence.passage.published_at)
                sentence.latest_news = timeframe.is_latest_news(sentence.passage.published_at)
        chosen.sort(key=ScoredSentence.sort_key, reverse=True)
        best: dict[str, ScoredSentence] = {}
        for sentence in chosen:  # best first, so the first seen per passage is its best
            best.setdefault(sentence.passage.chunk_id, sentence)
        for passage in head:
            if passage.chunk_id in best:
                passage.scores["rerank"] = best[passage.chunk_id].relevance
                passage.scores["prior"] = best[passage.chunk_id].prior
        scored = [p for p in head if p.chunk_id in best]
        scored.sort(key=lambda p: best[p.chunk_id].sort_key(), reverse=True)
        ordered = scored + [p for p in head if p.chunk_id not in best] + list(passages[depth:])
        for rank, passage in enumerate(ordered, start=1):
            passage.rank = rank  # ``score`` stays the fusion score: one scale for every passage
        if timings is not None:
            timings["rerank"] = time.perf_counter() - started
        return ordered, chosen

    def _choose_sentences(self, query: str, passages: list[Passage], budget: int) -> list[ScoredSentence]:
        """The ``budget`` sentences most likely to answer: IDF-weighted overlap with the
        query, discounted by the passage's first-stage rank (``1 / (1 + RANK_DECAY * r)``),
        plus a small bonus for an article's lead sentence.

        On the 25 answerable demo questions this keeps the gold evidence sentence within
        10 picks for 24 (round-robin over passages: 21); see benchmarks/ask.py.
        """
        weights = {term: self.idf(term) for term in set(analyze(query))}
        ranked: list[tuple[float, ScoredSentence]] = []
        for rank, passage in enumerate(passages):
            for position, (start, end) in enumerate(passage.sentences):
                sentence = ScoredSentence(passage, start, end)
                overlap = sum(weights.get(t, 0.0) for t in set(analyze(sentence.text)))
                lead = LEAD_BONUS if passage.chunk_index == 0 and position == 0 else 0.0
                ranked.append(((overlap + lead) / (1 + RANK_DECAY * rank), sentence))
        ranked.sort(key=lambda pair: -pair[0])
        chosen: list[ScoredSentence] = []
        seen: set[tuple[str, int]] = set()
        for _, sentence in ranked:  # overlapping chunks repeat sentences: score each once
            key = (sentence.passage.article_id, sentence.start)
            if key not in seen:
                seen.add(key)
                chosen.append(sentence)
            if len(chosen) == budget:
                break
        return chosen


def with_title(sentence: ScoredSentence) -> str:
    """The cross-encoder's input: the headline gives a sentence its story ("There were 190
    people on board" is about *this* crash). On the demo questions it put the gold evidence
    sentence first for 21 of 25 questions, against 16 without the headline."""
    title = sentence.passage.title.rstrip()
    separator = " " if title.endswith((".", "!", "?", ":")) else ". "
    return f"{title}{separator}{sentence.text}"
