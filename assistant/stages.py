"""The stages the engine is given, each a small protocol: one implementation today, room
for another (a generative answerer, a shared store, a different ranker) without editing
the engine. :mod:`assistant.factory` builds the implementations from ``Settings``.

    question -> Rewriter -> Retriever -> Ranker -> Answerer -> (Reader)
                               |           |
                             Index       (cross-encoder)

A ``Reader`` is optional: a language model that takes over after the extractive answer is
decided, outside the engine lock (the reader mode's short answer, the generative answer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.evidence import Evidence, Prior, ScoredSentence
from assistant.types import Answer, Article, Citation, Filters, Passage

if TYPE_CHECKING:
    from assistant.retrieval.timeframe import Timeframe


class Index(Protocol):
    """What the engine reads from the store (``assistant.store.index.NewsIndex``)."""

    data_dir: Path

    def is_empty(self) -> bool: ...
    def stats(self) -> Any: ...
    def article(self, article_id: str) -> Article | None: ...
    def articles(self, filters: Filters, *, offset: int, limit: int) -> tuple[list[Article], int]: ...
    def newest_date(self) -> date | None: ...
    def stories_of(self, article_ids: Sequence[str]) -> dict[str, Any]: ...


class Rewriter(Protocol):
    """A follow-up turned into a standalone question (``FollowUpRewriter``)."""

    def rewrite(self, question: str, history: Sequence[str | Mapping[str, str]]) -> str: ...


class Retriever(Protocol):
    """First stage: candidate passages for a query (``HybridRetriever``)."""

    def retrieve(self, query: str, k: int, filters: Filters, mode: Any,
                 timings: dict[str, float] | None = None, prior: Prior | None = None) -> list[Passage]: ...
    def warm_up(self) -> None: ...


class Ranker(Protocol):
    """Second stage: passages reordered and their best sentences scored (``SentenceReranker``)."""

    def rerank(self, query: str, passages: Sequence[Passage], timings: dict[str, float] | None = None,
               timeframe: "Timeframe | None" = None, wide: bool = False,
               ) -> tuple[list[Passage], list[ScoredSentence]]: ...
    def warm_up(self) -> None: ...


class Answerer(Protocol):
    """Reads the evidence and answers (``ExtractiveAnswerer``): text pieces as they are
    decided, then a draft with the short answer, citations and confidence."""

    def stream(self, evidence: Evidence) -> Iterator[Any]: ...
    def model(self, evidence: Evidence) -> Any: ...
    def quote(self, sentences: Sequence[ScoredSentence], lead: ScoredSentence,
              short: str | None) -> list[Citation]: ...
    def warm_up(self) -> None: ...



class Reader(Protocol):
    """A language model reading the evidence after the extractive answer (``LLMReader``:
    the short answer; ``GenerativeAnswerer``: a written answer, every sentence checked).

    ``answer`` gets the extractive ``Answer``, the answerer's draft and the evidence, and
    yields text pieces, then the final ``Answer``; any model failure gives the extractive
    answer with a notice in ``Answer.reader``. ``condense`` turns a follow-up into a
    standalone question (None: leave it to the rule-based ``Rewriter``). ``writes``: the
    pieces it yields are the whole reply (the engine then streams no quotes before them)."""

    writes: bool

    def answer(self, answer: Answer, draft: Any, evidence: Evidence, answerer: Answerer,
               as_of: date | None, wait: float | None) -> Iterator[str | Answer]: ...
    def condense(self, question: str, history: Sequence[str | Mapping[str, str]],
                 wait: float | None) -> str | None: ...
    def warm_up(self) -> None: ...
