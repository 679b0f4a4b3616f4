"""``Assistant``: the one engine behind the CLI, the chat, the HTTP API and the evaluator.

    question -> (follow-up rewrite) -> hybrid retrieval -> sentence rerank -> answerer

Example::

    from assistant import open_assistant

    bot = open_assistant(data_dir="~/.local/share/byline")
    answer = bot.ask("Who claimed the casualty figures?")
    print(answer.text)
    for c in answer.citations:
        print(c.number, c.passage.source, c.passage.published_at, c.passage.url)
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import Busy, EmptyIndex, EmptyQuestion, InvalidRequest, NotFound
from assistant.history import bounded
from assistant.limits import MAX_ASK_K, MAX_PAGE, MAX_QUESTION_CHARS, MAX_SEARCH_K
from assistant.types import Answer, Article, Filters, Passage

if TYPE_CHECKING:
    from assistant.store.catalog import Story
    from assistant.answering.quotes import Quote, QuoteFinder
    from assistant.stages import Answerer, Index, Ranker, Reader, Retriever, Rewriter
    from assistant.store.index import IndexStats
    from ingest.pipeline import IngestReport, Ingestor

RELATED_PASSAGES = 5
RANKED_PASSAGES = 20  # passages kept after fusion: the reranker reads 8, answers list k <= 20


class Assistant:
    """Answers questions over one index. Thread-safe for concurrent ``ask`` calls.

    The engine is given its stages (see :mod:`assistant.stages`); it only runs them in
    order, under one lock. :func:`assistant.factory.open_assistant` builds them from
    settings; tests and custom models pass their own. Models load on first use;
    :meth:`warm_up` loads them up front.
    """

    def __init__(
        self,
        index: "Index",
        *,
        retriever: "Retriever",
        ranker: "Ranker",
        answerer: "Answerer",
        rewriter: "Rewriter",
        ingestor: "Ingestor",
        readers: "Mapping[str, Reader] | None" = None,
        default_answerer: str = "extractive",
        queue_timeout: float | None = None,
        quote_finder: "QuoteFinder | None" = None,
    ) -> None:
        self.readers = dict(readers or {})
        if default_answerer not in self.modes:
            raise ValueError(f"default_answerer must be one of {self.modes}, got {default_answerer!r}")
        self.index = index
        self.retriever = retriever
        self.ranker = ranker
        self.answerer = answerer
        self.rewriter = rewriter
        self.ingestor = ingestor
        self.quote_finder = quote_finder
        self.default_answerer = default_answerer
        self._lock = threading.RLock()
        # How long a question may wait for the models (None: as long as it takes). A
        # server sets it, so a queue of slow questions answers 503 rather than hanging.
        self.queue_timeout = queue_timeout

    def warm_up(self) -> None:
        """Load every model and open every index now, so the first question is as fast as
        the rest (Chroma loads its vector index and dateparser its tables on first use)."""
        self.retriever.warm_up()
        self.ranker.warm_up()
        self.answerer.warm_up()
        if self.default_answerer in self.readers:
            self.readers[self.default_answerer].warm_up()
        if not self.index.is_empty():
            self.search("warm up the indexes last week", k=1, rerank=False)

    @property
    def modes(self) -> tuple[str, ...]:
        """The answerers a question may ask for: "extractive", then the readers given."""
        return ("extractive", *self.readers)

    # -- questions -------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[str | Mapping[str, str]] = (),
        filters: Filters | None = None,
        as_of: date | None = None,
        k: int = RELATED_PASSAGES,
        choices: Sequence[str] | None = None,
        answerer: str | None = None,
    ) -> Answer:
        """Answer ``question`` from the corpus, with citations (or refuse, with related
        passages). ``history`` holds the conversation so far, oldest first: user turns as
        strings, or ``{"role", "content"}`` messages including the assistant's replies, so
        a follow-up ("and how many were wounded?") is searched in context. ``as_of`` is the date that
        "this week" refers to (default: the newest article's date). With ``choices``, the
        answer also names the option the evidence supports best (``Answer.choice``).
        ``answerer``: "extractive", "reader" (a language model reads the evidence for the
        short answer) or "llm" (a language model writes the answer, each sentence checked
        against its sources); default: the one this assistant was built with.
        """
        *_, answer = self.ask_stream(question, history, filters, as_of, k, choices, answerer)
        return answer  # type: ignore[return-value]

    def ask_stream(
        self,
        question: str,
        history: Sequence[str | Mapping[str, str]] = (),
        filters: Filters | None = None,
        as_of: date | None = None,
        k: int = RELATED_PASSAGES,
        choices: Sequence[str] | None = None,
        answerer: str | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the reply text in pieces as it is decided, then the complete ``Answer``.

        One question at a time runs through the models (a lock): on a 2-core machine,
        concurrent inference only makes every caller slower. The extractive answer is
        complete within the lock; the pieces are handed out after it is released, so a
        slow reader of the stream never holds up other callers.

        In reader mode the evidence comes first, as fast as the extractive answer: its
        quotes as pieces, then an ``Answer`` with ``pending`` set; the reader runs outside
        the engine lock (other questions are not held up) and the final ``Answer`` follows.
        """
        question = self._check_question(question)
        filters = filters or Filters()
        mode = self._answerer_mode(answerer)
        if not 1 <= k <= MAX_ASK_K:
            raise InvalidRequest(f"k must be between 1 and {MAX_ASK_K}, got {k}")
        history = bounded(history)
        reader = self.readers.get(mode)
        started = time.perf_counter()
        query = None
        if reader is not None and history:
            query = self.rewriter.rewrite(question, history)
            if query != question:
                # A follow-up (the rule-based rewriter says so; a question naming its own
                # subject stands alone): the model writes the standalone question, outside
                # the lock; the rule-based rewrite stays when it cannot.
                query = reader.condense(question, history, self.queue_timeout) or query
        with self._models():
            *pieces, outcome = list(self._ask(question, history, filters, as_of, k, choices,
                                              query, started))
        answer, draft, evidence = outcome
        if reader is None or draft.kind in ("timeline", "quotes"):  # lists of quotes: no model rewrites them
            yield from pieces
            yield answer
            return
        provisional = self._provisional(answer, draft)
        if not reader.writes:  # a writing reader's pieces are the reply
            yield provisional.text
        yield provisional
        yield from reader.answer(answer, draft, evidence, self.answerer, as_of, self.queue_timeout)

    def _ask(self, question, history, filters, as_of, k, choices, query=None,
             started=None) -> Iterator:
        from assistant.answering.timeline import asks_for_timeline
        from assistant.evidence import Evidence

        started = started or time.perf_counter()
        timings: dict[str, float] = {}
        query = query or self.rewriter.rewrite(question, history)
        timings["rewrite"] = time.perf_counter() - started
        passages, sentences = self._retrieve(query, filters, as_of, timings, depth=k,
                                             wide=asks_for_timeline(query))
        answer_started = time.perf_counter()
        evidence = Evidence(query, sentences, passages, tuple(choices or ()))
        for piece in self.answerer.stream(evidence):
            if isinstance(piece, str):
                yield piece
                continue
            timings["answer"] = time.perf_counter() - answer_started
            timings["total"] = time.perf_counter() - started
            answer = Answer(
                question=question,
                query=query,
                text=piece.text,
                short_answer=piece.short_answer,
                abstained=piece.abstained,
                confidence=round(piece.confidence, 4),
                citations=piece.citations,
                passages=list(passages[:k]),
                choice=piece.choice,
                timings={name: round(value, 4) for name, value in timings.items()},
                speaker=piece.speaker,
            )
            yield answer, piece, evidence

    def _answerer_mode(self, answerer: str | None) -> str:
        mode = answerer or self.default_answerer
        if mode not in self.modes:
            raise InvalidRequest(f"answerer must be one of {', '.join(self.modes)}; got {mode!r}")
        return mode

    def _provisional(self, answer: Answer, draft) -> Answer:
        """The evidence while the reader reads: the extractive quotes, no short answer yet."""
        if answer.abstained or not answer.citations:
            return replace(answer, pending=True)
        text = " ".join(f"{c.quote} [{c.number}]" for c in answer.citations)
        return replace(answer, text=text, short_answer=None, pending=True)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        *,
        as_of: date | None = None,
        rerank: bool = True,
        mode: str = "hybrid",
    ) -> list[Passage]:
        """The ``k`` best passages for ``query``: hybrid retrieval with the date prior, then
        cross-encoder reranking (``rerank=False`` returns the first-stage order)."""
        query = self._check_question(query)
        if not 1 <= k <= MAX_SEARCH_K:
            raise InvalidRequest(f"k must be between 1 and {MAX_SEARCH_K}, got {k}")
        with self._models():
            passages, _ = self._retrieve(
                query, filters or Filters(), as_of, {}, mode=mode, rerank=rerank, depth=k
            )
        return passages[:k]

    def quotes(self, speaker: str, about: str | None = None, *, limit: int = 20,
               filters: Filters | None = None) -> list["Quote"]:
        """What ``speaker`` is quoted as saying (direct and reported speech, "he said"
        resolved within each article), optionally ``about`` a topic, newest first."""
        if self.quote_finder is None:
            raise InvalidRequest("this assistant was built without a quote finder")
        if not 1 <= limit <= MAX_SEARCH_K:
            raise InvalidRequest(f"limit must be between 1 and {MAX_SEARCH_K}, got {limit}")
        with self._models():
            return self.quote_finder.find(speaker, about, limit=limit, filters=filters or Filters())

    def evidence(
        self, query: str, filters: Filters | None = None, *, as_of: date | None = None,
        depth: int = RANKED_PASSAGES,
    ) -> tuple[list[Passage], list]:
        """What an answer to ``query`` would read, without answering: the reranked passages
        and the scored sentences, best first (calibration and analysis scripts)."""
        query = self._check_question(query)
        with self._models():
            return self._retrieve(query, filters or Filters(), as_of, {}, depth=depth)

    # -- corpus ----------------------------------------------------------------------
    def stats(self) -> "IndexStats":
        return self.index.stats()

    def article(self, article_id: str) -> Article:
        article = self.index.article(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    def story(self, article_id: str) -> "Story":
        """``article_id``'s story (grouped at ingest, see ``assistant.store.stories``): its
        articles oldest first, itself included."""
        self.article(article_id)
        return self.index.stories_of([article_id])[article_id]

    def articles(
        self, filters: Filters | None = None, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[Article], int]:
        if not 0 <= offset <= 2**62 or not 1 <= limit <= MAX_PAGE:
            raise InvalidRequest(f"need offset >= 0 and 1 <= limit <= {MAX_PAGE}, got {offset}, {limit}")
        return self.index.articles(filters or Filters(), offset=offset, limit=limit)

    def ingest(self, paths: Iterable[str | Path], progress=None, *, replace: bool = False) -> "IngestReport":
        """``replace=True``: a record may replace another story stored under its id."""
        return self.ingestor.ingest_paths(paths, progress, replace=replace)

    def ingest_articles(self, articles: Sequence[Article], *, replace: bool = False) -> "IngestReport":
        return self.ingestor.ingest_articles(articles, replace=replace)

    def delete(self, article_ids: Sequence[str]) -> list[str]:
        """Remove stored articles from every store; returns the ids that were stored."""
        return self.ingestor.delete(article_ids)

    # -- internals -------------------------------------------------------------------
    @contextmanager
    def _models(self) -> Iterator[None]:
        """The engine lock, waited for at most ``queue_timeout`` seconds (then ``Busy``)."""
        if not self._lock.acquire(timeout=-1 if self.queue_timeout is None else self.queue_timeout):
            raise Busy(self.queue_timeout or 0.0, retry_after=max(1, round(self.queue_timeout or 1)))
        try:
            yield
        finally:
            self._lock.release()

    def _retrieve(
        self, query: str, filters: Filters, as_of: date | None, timings: dict,
        *, mode: str = "hybrid", rerank: bool = True, depth: int = RANKED_PASSAGES, wide: bool = False,
    ):
        """The fused passages and, with ``rerank``, their scored sentences; ``wide`` for a
        question about a whole story (a timeline), whose answer spans many articles."""
        from assistant.retrieval.hybrid import Mode
        from assistant.retrieval.timeframe import question_timeframe

        try:
            mode_value = Mode(mode)
        except ValueError:
            raise InvalidRequest(f"mode must be hybrid, dense or keyword; got {mode!r}") from None
        self._check_not_empty()
        started = time.perf_counter()
        now = as_of or self.index.newest_date()
        timeframe = None
        if now is not None:
            timeframe = question_timeframe(query, now, as_of_given=as_of is not None)
        passages = self.retriever.retrieve(
            query, max(depth, RANKED_PASSAGES), filters, mode_value, timings,
            timeframe.prior if timeframe else None,
        )
        timings["retrieve"] = time.perf_counter() - started
        if not rerank:
            return passages, []
        return self.ranker.rerank(query, passages, timings, timeframe, wide=wide)

    def _check_question(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise EmptyQuestion()
        question = " ".join(question.split())
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidRequest(
                f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}"
            )
        return question

    def _check_not_empty(self) -> None:
        if self.index.is_empty():
            raise EmptyIndex(self.index.data_dir)
