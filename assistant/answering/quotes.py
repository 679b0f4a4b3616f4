"""Quotes by speaker: "What has Zelensky said (about North Korean soldiers)?"

The articles that name the speaker are found by keyword search (their name's terms, in
the catalog's FTS5 index); each is parsed whole and its statements extracted
(:mod:`.attribution`: the speaker of "he said" is resolved within the article). The
statements whose resolved speaker is the one asked for ("Zelensky" matches "Volodymyr
Zelensky"; every word asked must be in the name or in the words as written) are kept, and
with ``about``, only those whose words share a term with it (stemmed: "soldiers" finds
"soldier"); the articles naming both are searched first. They are listed by publication date, newest first, each with its article.

Parsing is done at question time, on at most MAX_ARTICLES articles, and remembered per
article version (an LRU of parsed statements), so the corpus's ingest pays nothing for it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.attribution import Statement, extract_statements, name_words
from assistant.errors import InvalidRequest
from assistant.evidence import RELEVANCE_GATE
from assistant.text import analyze
from assistant.types import Filters

MAX_ARTICLES = 40  # the articles that name the speaker best, by BM25
MAX_SPEAKER_CHARS = 200
CACHE_ARTICLES = 2000


@dataclass(frozen=True)
class Quote:
    """A statement with the article it was read in."""

    statement: Statement
    article_id: str
    title: str
    source: str | None
    published_at: str | None
    url: str | None

    def to_dict(self) -> dict:
        return {**self.statement.to_dict(), "article_id": self.article_id, "title": self.title,
                "source": self.source, "published_at": self.published_at, "url": self.url}


class QuoteFinder:
    """Args:
    index: the ``NewsIndex`` (keyword search and articles).
    nlp: a callable returning the spaCy pipeline.
    """

    def __init__(self, index, nlp: Callable[[], object]) -> None:
        self.index = index
        self.nlp = nlp
        self._parsed: OrderedDict[tuple[str, int], list[Statement]] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, speaker: str, about: str | None = None, *, limit: int = 20,
             filters: Filters = Filters()) -> list[Quote]:
        speaker = " ".join((speaker or "").split())
        if not speaker or len(speaker) > MAX_SPEAKER_CHARS:
            raise InvalidRequest(f"speaker must be 1 to {MAX_SPEAKER_CHARS} characters")
        asked = name_words(speaker)
        topic = set(analyze(about)) if about else set()
        # With a topic, the articles naming both come first.
        hits = self.index.keyword(f"{speaker} {about or ''}", MAX_ARTICLES * 5, filters)
        article_ids = list(dict.fromkeys(self.index.articles_of_chunks([cid for cid, _ in hits])))
        quotes: list[Quote] = []
        for article_id in article_ids[:MAX_ARTICLES]:
            article = self.index.article(article_id)
            if article is None:
                continue
            for statement in self._statements(article):
                if not _said_by(statement, asked):
                    continue
                if topic and not topic & set(analyze(statement.quote)):
                    continue
                quotes.append(Quote(statement, article.id, article.title, article.source,
                                    article.published_at, article.url))
        quotes.sort(key=lambda q: (q.published_at or "", -q.statement.quote_start), reverse=True)
        return quotes[:limit]

    def _statements(self, article) -> list[Statement]:
        key = (article.id, hash(article.body))
        with self._lock:
            if key in self._parsed:
                self._parsed.move_to_end(key)
                return self._parsed[key]
        statements = extract_statements(self.nlp()(article.body))
        with self._lock:
            self._parsed[key] = statements
            while len(self._parsed) > CACHE_ARTICLES:
                self._parsed.popitem(last=False)
        return statements


def _said_by(statement: Statement, asked: list[str], partial: bool = False) -> bool:
    """Every asked word is in the speaker's name (resolved; as written when it was not).
    Not in the mention's other words: "Trump loyalist Stephen Schwarzman" is not Trump.
    ``partial``: also a name all of whose words were asked ("Ghebreyesus" for "Tedros
    Adhanom Ghebreyesus": a passage read alone may name the speaker by surname only)."""
    names = name_words(statement.speaker)
    if all(word in names for word in asked):
        return True
    return partial and bool(names) and statement.speaker[:1].isupper() and all(w in asked for w in names)


# -- "What did X say about Y?" in a conversation ------------------------------------------
_WHAT_SAID = re.compile(
    r"^\s*what\s+(?:did|has|have|does|do|had)\s+(?P<speaker>.+?)\s+"
    r"(?:say|said|tell|told|claim|claimed|state|stated|announce|announced|write|written|"
    r"tweet|tweeted|warn|warned|report|reported)"
    r"(?:\s+(?:about|on|regarding|concerning|of)\s+(?P<topic>.+?))?\s*\??\s*$",
    re.I,
)


def asks_what_someone_said(question: str) -> tuple[str, str | None] | None:
    """``(speaker, topic)`` of "What has Zelensky said about North Korean soldiers?"; None
    for other questions."""
    match = _WHAT_SAID.match(question)
    if not match:
        return None
    return match.group("speaker").strip(), (match.group("topic") or "").strip() or None


def statements_in(evidence, nlp: Callable[[], object], speaker: str, topic: str | None):
    """``(passage, statement, relevance)`` of ``speaker`` in the retrieved passages (each parsed
    alone: "he said" is resolved within the passage), each statement once (overlapping
    passages repeat sentences). With a ``topic``, a statement is on it when it shares a
    term with it or its sentence is one the reranker found relevant to the question
    ("casualties" is not a word of "300 deaths and 2,700 injuries")."""
    asked = name_words(speaker)
    terms = set(analyze(topic)) if topic else set()
    relevance = {(s.passage.chunk_id, s.start): s.relevance for s in evidence.sentences}
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in evidence.passages:
        for statement in extract_statements(nlp()(passage.text)):
            start = passage.char_start + statement.quote_start
            if (passage.article_id, start) in seen or not _said_by(statement, asked, partial=True):
                continue
            # the reranker's score of the statement's sentence (its start may differ by the
            # whitespace the sentence splitter kept)
            score = max(relevance.get((passage.chunk_id, passage.char_start + b), RELEVANCE_GATE - 1)
                        for b in range(statement.sentence_start, statement.sentence_start + 3))
            if terms and not (terms & set(analyze(statement.quote)) or score >= RELEVANCE_GATE):
                continue
            seen.add((passage.article_id, start))
            found.append((passage, statement, score))
    return found
