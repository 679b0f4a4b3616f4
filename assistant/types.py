"""Byline's data model: small typed records that move between the layers.

``Article`` -> ``Chunk`` (a span of the article body) -> ``Passage`` (a chunk found for a
query, with its scores) -> ``Citation`` (the exact quoted span of a passage) -> ``Answer``.

Ids are content hashes (see :mod:`assistant.ids`), so writing the same record twice is
harmless. Nothing here imports a model, a database or a UI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Sequence
from typing import Any

from assistant.ids import content_hash


@dataclass(frozen=True, slots=True)
class Article:
    """A news article as Byline stores it: cleaned body, normalised metadata.

    ``published_at`` is an ISO 8601 string (a date, or a date and time) or ``None``.
    """

    id: str
    title: str
    body: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published_at: str | None = None

    @property
    def content_hash(self) -> str:
        """Changes whenever anything a reader would see changes; decides re-embedding."""
        return content_hash(
            self.title, self.body, self.url, self.source, self.author, self.published_at
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of whole sentences of one article body.

    ``char_start``/``char_end`` index the article body, so ``body[char_start:char_end] ==
    text``. ``sentences`` holds the body offsets of each sentence in the chunk; answering
    quotes them without splitting text again.
    """

    id: str
    article_id: str
    index: int
    text: str
    char_start: int
    char_end: int
    sentences: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions applied inside the index query (before top-k), never afterwards.

    ``since``/``until`` are inclusive publication dates. ``sources`` matches the outlet
    exactly; an empty tuple means any outlet.
    """

    sources: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(
                f"since ({self.since.isoformat()}) is after until ({self.until.isoformat()})"
            )

    @property
    def empty(self) -> bool:
        return not (self.sources or self.since or self.until)

    @property
    def day_range(self) -> tuple[int | None, int | None, bool]:
        """``(low, high, dated_only)``: the publication-day bounds (days since 1970,
        inclusive; None: open) that the catalog, keyword and vector searches all apply, so
        the three agree, and whether undated articles (stored as day ``UNDATED_DAY``) are
        left out, which any date bound does: "until 2020" does not mean "or whenever"."""
        from assistant.dates import day_number

        low = day_number(self.since.isoformat()) if self.since else None
        high = day_number(self.until.isoformat()) if self.until else None
        return low, high, bool(self.since or self.until)

    @classmethod
    def parse(
        cls, sources: Sequence[str] | None = (), since: str | None = None, until: str | None = None
    ) -> "Filters":
        """From user input: outlet names, and dates as text ("2025-01-13", "13 Jan 2025").
        Raises ``ValueError`` naming a bad date or a reversed range."""
        from assistant.dates import parse_optional_day

        return cls(
            sources=tuple(sources or ()),
            since=parse_optional_day(since, "since"),
            until=parse_optional_day(until, "until"),
        )


@dataclass(frozen=True, slots=True)
class Copy:
    """Another outlet's article on the passage's story: its citation names it. ``same_text``:
    it carries the passage's text (a wire story run by several outlets, found among the
    retrieved passages or grouped at ingest as a copy); otherwise it is the same story in
    the outlet's own reporting (see ``assistant.store.stories``)."""

    source: str | None
    published_at: str | None
    url: str | None
    article_id: str
    title: str
    same_text: bool = True


@dataclass(slots=True)
class Passage:
    """A chunk retrieved for a query, with the article metadata a citation needs."""

    chunk_id: str
    article_id: str
    text: str
    char_start: int
    char_end: int
    title: str
    source: str | None
    url: str | None
    published_at: str | None
    chunk_index: int = 0
    sentences: tuple[tuple[int, int], ...] = ()
    # ``score``: the first stage's fusion score, the one scale every retrieved passage has;
    # ``rank``: the final order (the reranked passages first); ``scores``: every stage's
    # own number ("fusion", "dense", "bm25", and "rerank" and "prior" for reranked ones).
    score: float = 0.0
    rank: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    # Other outlets' articles on this story: near-duplicates found among the retrieved
    # passages (retrieval keeps one passage of each group) and the story's other outlets
    # grouped at ingest. ``story``: the story's id (its first article's); ``copy_of``: the
    # article whose text this one carries, if it is a copy. Sources that agree count once
    # per original (``copy_of or article_id``), not once per outlet that ran it.
    also_reported_by: list[Copy] = field(default_factory=list)
    story: str | None = None
    copy_of: str | None = None

    @property
    def original(self) -> str:
        """The article whose reporting this passage carries: itself unless a copy."""
        return self.copy_of or self.article_id

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["sentences"] = [list(span) for span in self.sentences]
        return data


@dataclass(slots=True)
class Citation:
    """Evidence behind an answer: ``[number]`` in the text points here.

    ``quote`` is verbatim article text: ``body[quote_start:quote_end] == quote``.
    """

    number: int
    passage: Passage
    quote: str
    quote_start: int
    quote_end: int
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        p = self.passage
        return {
            "number": self.number,
            "article_id": p.article_id,
            "chunk_id": p.chunk_id,
            "title": p.title,
            "source": p.source,
            "published_at": p.published_at,
            "url": p.url,
            "passage": p.text,
            "passage_start": p.char_start,
            "passage_end": p.char_end,
            "quote": self.quote,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "score": self.score,
            "also_reported_by": [dataclasses.asdict(c) for c in p.also_reported_by],
            "story": p.story,
        }


@dataclass(slots=True)
class Answer:
    """What ``Assistant.ask`` returns.

    ``text`` is the reply as a person reads it, with ``[n]`` markers; ``short_answer`` is
    the direct answer (a name, date, place, number) when the question asks for one.
    ``abstained`` is true when the corpus does not hold the answer. ``passages`` are the
    retrieved passages in rank order (cited or not; after a refusal, the related reading).
    ``choice`` is the index of the chosen option when the question came with choices.
    ``confidence`` is the probability that the reply is right: its short answer; without
    one, that its quotes hold the answer; for a refusal, that the corpus does not (fitted
    on the development question sets, see ``assistant.answering.confidence``).
    """

    question: str
    text: str
    short_answer: str | None
    abstained: bool
    citations: list[Citation]
    passages: list[Passage]
    query: str = ""
    confidence: float = 0.0
    choice: int | None = None
    timings: dict[str, float] = field(default_factory=dict)
    pending: bool = False  # reader mode: the evidence, shown while the reader reads
    reader: dict[str, Any] | None = None  # reader mode: what it said and what became of it
    # Who the reply is about when it credits a speaker ("who said ...", "what did X say"):
    # {"name", "role", "cites", "statements"} as the cited articles give them.
    speaker: dict[str, Any] | None = None

    @property
    def confidence_label(self) -> str:
        """The confidence in words: "confident" (0.8 and up), "likely" (0.5 and up), else
        "uncertain, check the sources"."""
        if self.confidence >= 0.8:
            return "confident"
        if self.confidence >= 0.5:
            return "likely"
        return "uncertain, check the sources"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "query": self.query,
            "text": self.text,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "confidence": self.confidence,
            "confidence_label": self.confidence_label,
            "choice": self.choice,
            "pending": self.pending,
            "reader": self.reader,
            "speaker": self.speaker,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "timings": self.timings,
        }
