"""First-stage retrieval: dense (Chroma) and BM25 candidates, fused by reciprocal rank.

Dense retrieval finds paraphrases ("casualties" for "killed and wounded"); BM25 finds rare
names and numbers that a 384-dimension vector blurs. Both run with the same filters inside
their index, then the two rankings are fused and near-duplicates dropped. Given a date
prior, a third, half-weight ranking lists the *timely* candidates (those whose prior is
within ``TIMELY_MARGIN`` of the best one) in fused order, so that a story from the week
the question is about reaches the reranker even when its wording matched less well.
"""

from __future__ import annotations

import time
from enum import Enum

from assistant.evidence import Prior
from assistant.models.embedder import Embedder
from assistant.retrieval.dedup import credit_stories, drop_near_duplicates
from assistant.retrieval.fusion import reciprocal_rank_fusion
from assistant.store.index import NewsIndex
from assistant.types import Filters, Passage


TIME_WEIGHT = 0.5
TIMELY_MARGIN = 1.0


class Mode(str, Enum):
    HYBRID = "hybrid"
    DENSE = "dense"
    KEYWORD = "keyword"


class HybridRetriever:
    """Args:
    candidates: how many chunks each of dense and BM25 contributes before fusion.
    rrf_k: the fusion constant (see :mod:`assistant.retrieval.fusion`).
    """

    def __init__(
        self, index: NewsIndex, embedder: Embedder, *, candidates: int, rrf_k: int = 60
    ) -> None:
        if candidates < 1:
            raise ValueError(f"candidates must be at least 1, got {candidates}")
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    def warm_up(self) -> None:
        """Load the embedding model (the first query would pay for it)."""
        self.embedder.embed_query("warm up")

    def retrieve(
        self,
        query: str,
        k: int,
        filters: Filters = Filters(),
        mode: Mode = Mode.HYBRID,
        timings: dict[str, float] | None = None,
        prior: Prior | None = None,
    ) -> list[Passage]:
        """Up to ``k`` passages, best first, with ``scores`` from each retriever and fusion."""
        timings = {} if timings is None else timings
        depth = max(k, self.candidates)
        dense: list[tuple[str, float]] = []
        keyword: list[tuple[str, float]] = []
        if mode in (Mode.HYBRID, Mode.DENSE):
            started = time.perf_counter()
            vector = self.embedder.embed_query(query)
            timings["embed"] = time.perf_counter() - started
            started = time.perf_counter()
            dense = self.index.dense(vector, depth, filters)
            timings["dense"] = time.perf_counter() - started
        if mode in (Mode.HYBRID, Mode.KEYWORD):
            started = time.perf_counter()
            keyword = self.index.keyword(query, depth, filters)
            timings["keyword"] = time.perf_counter() - started
        passages = self.index.passages(list({cid: None for cid, _ in dense + keyword}))
        # A chunk in Chroma but not (yet) in the catalog belongs to a half-written batch.
        rankings = [[cid for cid, _ in hits if cid in passages] for hits in (dense, keyword)]
        fused = reciprocal_rank_fusion(rankings, k=self.rrf_k)
        if prior is not None and fused:
            priors = {cid: prior(passages[cid].published_at) for cid, _ in fused}
            best = max(priors.values())
            timely = [cid for cid, _ in fused if priors[cid] >= best - TIMELY_MARGIN]
            fused = reciprocal_rank_fusion(
                rankings + [timely], k=self.rrf_k, weights=[1.0, 1.0, TIME_WEIGHT]
            )
        dense_scores, keyword_scores = dict(dense), dict(keyword)
        ranked = []
        for cid, score in fused:
            passage = passages[cid]
            passage.score = score
            passage.scores = {"fusion": score}
            if cid in dense_scores:
                passage.scores["dense"] = dense_scores[cid]
            if cid in keyword_scores:
                passage.scores["bm25"] = keyword_scores[cid]
            ranked.append(passage)
        ranked = drop_near_duplicates(ranked, limit=k)
        credit_stories(ranked, self.index.stories_of([p.article_id for p in ranked]))
        for rank, passage in enumerate(ranked, start=1):
            passage.rank = rank
        return ranked
