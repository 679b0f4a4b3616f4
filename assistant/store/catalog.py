"""The catalog: articles and their chunks in SQLite, the index's source of truth.

Chroma holds the vectors (rebuildable from here); the keyword index (FTS5,
``assistant.store.keyword``) lives in the same database and is written in the same
transaction as the chunks. Every write of a batch of articles is one transaction that also
bumps ``version``, so another process can tell that it must re-read Chroma. An article row is
written only after its chunks reached Chroma: an ingest killed in between leaves the
article unrecorded, and the rerun embeds it again and replaces whatever half-write remains.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.dates import UNDATED_DAY, day_number
from assistant.store import keyword, stories
from assistant.types import Article, Chunk, Filters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT,
    source TEXT,
    author TEXT,
    published_at TEXT,
    published_day INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks (article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applied_log (id TEXT PRIMARY KEY, ns INTEGER NOT NULL);
"""


BUSY_SECONDS = 120.0


@dataclass(frozen=True)
class ChunkRow:
    """A chunk joined with the article fields that retrieval filters and cites."""

    chunk: Chunk
    title: str
    source: str | None
    url: str | None
    published_at: str | None


@dataclass(frozen=True)
class StoryRow:
    """An article of a story (see ``assistant.store.stories``): ``copy_of`` names the
    article whose text it carries, if it is a copy."""

    story: str
    article_id: str
    source: str | None
    published_at: str | None
    url: str | None
    title: str
    copy_of: str | None

    @property
    def original(self) -> str:
        """The article whose reporting this one carries: itself unless a copy."""
        return self.copy_of or self.article_id


@dataclass(frozen=True)
class Story:
    """A story's articles, oldest first (``assistant.store.stories``)."""

    id: str
    articles: tuple[StoryRow, ...]

    @property
    def independent_outlets(self) -> int:
        """Outlets with reporting of their own: a copy of another's text adds none."""
        return len({m.source for m in self.articles if m.copy_of is None})


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Another process's write transaction is waited for up to BUSY_SECONDS (SQLite's
        # default, 5 s, is shorter than the one-time upgrade of a large old index).
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_SECONDS)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA + keyword.SCHEMA + stories.SCHEMA)
        self._lock = threading.RLock()
        self._df: tuple[int, int, dict[str, int]] = (-1, 0, {})  # version, chunks, cache

    # -- metadata --------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def version(self) -> int:
        return int(self.get_meta("version") or 0)

    # -- writing ---------------------------------------------------------------------
    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        return dict(self._fetch_in("SELECT id, content_hash FROM articles WHERE id IN ({})", ids))

    def write(self, articles: Sequence[Article], chunks: Sequence[Chunk]) -> None:
        """Replace these articles and all their chunks, atomically."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            keyword.unindex_articles(self._db, [a.id for a in articles])
            self._db.executemany("DELETE FROM chunks WHERE article_id = ?", [(a.id,) for a in articles])
            self._db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)",
                [_article_row(a, now) for a in articles],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?)",
                [_chunk_row(c) for c in chunks],
            )
            keyword.index_chunks(self._db, chunks, {a.id: a.title for a in articles})
            stories.group(self._db, articles)
            self._bump_version()

    def delete(self, article_ids: Sequence[str]) -> list[str]:
        """Remove these articles, their chunks and their keyword rows, atomically; returns
        the ids that were stored (the others are ignored)."""
        with self._transaction():
            found = [r[0] for r in self._fetch_in("SELECT id FROM articles WHERE id IN ({})", article_ids)]
            keyword.unindex_articles(self._db, found)
            stories.delete(self._db, found)
            self._db.executemany("DELETE FROM chunks WHERE article_id = ?", [(a,) for a in found])
            self._db.executemany("DELETE FROM articles WHERE id = ?", [(a,) for a in found])
            if found:
                self._bump_version()
        return found

    def applied(self, record_ids: Sequence[str]) -> set[str]:
        """Which of these shared-store write-log records this catalog has applied."""
        return {r[0] for r in self._fetch_in("SELECT id FROM applied_log WHERE id IN ({})", record_ids)}

    def mark_applied(self, records: Sequence[tuple[str, int]], forget_before: int) -> None:
        """Note write-log records ``(id, ns)`` as applied; forget those older than
        ``forget_before`` (never read again)."""
        with self._lock:
            self._db.executemany("INSERT OR IGNORE INTO applied_log VALUES (?, ?)", list(records))
            self._db.execute("DELETE FROM applied_log WHERE ns < ?", (forget_before,))

    def ensure_keyword_index(self, force: bool = False) -> bool:
        """Index every chunk for keyword search if this catalog predates the keyword index
        (or ``force``: a repair); True if it did."""
        return self._upgrade("keyword", keyword.KEYWORD_VERSION, keyword.rebuild, force)

    def ensure_stories(self) -> bool:
        """Group every article into stories if this catalog predates them; True if it did."""
        return self._upgrade("stories", stories.STORIES_VERSION, stories.rebuild)

    def _upgrade(self, key: str, version: str, rebuild: Callable[[sqlite3.Connection], None],
                 force: bool = False) -> bool:
        """Run ``rebuild`` unless meta ``key`` already says ``version`` (or ``force``), then
        record it; True if it ran. One transaction: a second process opening the same
        catalog waits for it, then finds the work done."""
        if not force and self.get_meta(key) == version:
            return False
        with self._transaction():
            if not force and self.get_meta(key) == version:
                return False  # another process did it while we waited for the transaction
            rebuild(self._db)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, version))
        return True

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``: another process's
        writer waits for it), committed unless the block raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _bump_version(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(self.version + 1),))

    # -- reading ---------------------------------------------------------------------
    def keyword_search(self, text: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        """Top ``k`` chunks by BM25 (FTS5's) as ``(chunk_id, score)``, higher better;
        chunks sharing no term with ``text`` are left out. The rare terms pick the
        candidates, all terms score them (see ``keyword.COMMON_SHARE``)."""
        if k <= 0:
            return []
        chunks = self._df_cache()[0]
        terms = keyword.query_terms(text, self.document_frequency)
        rare = keyword.rare_terms(terms, chunks)
        expression = keyword.match_expression(rare)
        if expression is None:
            return []
        if len(rare) == len(terms):  # FTS5 ranks by every term itself
            return [(cid, float(score)) for _, cid, score in self._top_matches(expression, k, filters)]
        candidates = self._top_matches(expression, keyword.CANDIDATE_FACTOR * k, filters)
        with self._lock:
            average = keyword.average_length(self._db)
        indexed = dict(self._fetch_in(
            "SELECT rowid, terms FROM chunk_terms WHERE rowid IN ({})", [r for r, _, _ in candidates]))
        scored = [(cid, keyword.bm25(indexed[rowid], terms, chunks, average))
                  for rowid, cid, _ in candidates]
        return sorted(scored, key=lambda pair: -pair[1])[:k]

    def _top_matches(self, expression: str, k: int, filters: Filters) -> list[tuple[int, str, float]]:
        """``(rowid, chunk_id, FTS5 score)`` of the top ``k`` chunks matching ``expression``."""
        where, params = _where(filters)
        if not where:  # rank in FTS5 alone, then look up only the top k (half the time)
            return self._fetch(
                "SELECT t.rowid, c.id, t.score FROM (SELECT rowid, -bm25(chunk_terms) AS score "
                "FROM chunk_terms WHERE chunk_terms MATCH ? ORDER BY bm25(chunk_terms) LIMIT ?) t "
                "JOIN chunks c ON c.rowid = t.rowid ORDER BY t.score DESC", (expression, k))
        return self._fetch(
            "SELECT c.rowid, c.id, -bm25(chunk_terms) FROM chunk_terms "
            "JOIN chunks c ON c.rowid = chunk_terms.rowid JOIN articles a ON a.id = c.article_id "
            f"WHERE chunk_terms MATCH ? AND {where.removeprefix('WHERE ')} "
            "ORDER BY bm25(chunk_terms) LIMIT ?",
            (expression, *params, k))

    def _df_cache(self) -> tuple[int, dict[str, int]]:
        """The chunk count and the document-frequency cache, both for the current version."""
        version = self.version
        cached_version, chunks, cache = self._df
        if cached_version != version:
            chunks, cache = self.counts()[1], {}
            self._df = (version, chunks, cache)
        return chunks, cache

    def document_frequency(self, term: str) -> int:
        """How many chunks hold an analysed term; cached until the catalog's version moves."""
        cache = self._df_cache()[1]
        if term not in cache:
            with self._lock:
                cache[term] = keyword.document_frequency(self._db, term)
        return cache[term]

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term among the chunks (0 if unseen)."""
        return keyword.idf(self._df_cache()[0], self.document_frequency(term))

    def keyword_stale(self) -> bool:
        """Whether some chunk is missing from the keyword index, or it holds a chunk no
        longer in the catalog."""
        if self.get_meta("keyword") != keyword.KEYWORD_VERSION:
            return True
        indexed = self._fetch("SELECT COUNT(*) FROM chunk_terms")[0][0]
        joined = self._fetch(
            "SELECT COUNT(*) FROM chunks WHERE rowid IN (SELECT rowid FROM chunk_terms)")[0][0]
        return not (indexed == joined == self.counts()[1])

    def article(self, article_id: str) -> Article | None:
        rows = self._fetch(
            "SELECT id, title, body, url, source, author, published_at FROM articles WHERE id = ?",
            (article_id,),
        )
        return Article(*rows[0]) if rows else None

    def articles(
        self, filters: Filters = Filters(), *, offset: int = 0, limit: int = 50
    ) -> tuple[list[Article], int]:
        """A page of articles, newest first, and how many match in all."""
        where, params = _where(filters)
        total = self._fetch(f"SELECT COUNT(*) FROM articles {where}", params)[0][0]
        rows = self._fetch(
            "SELECT id, title, body, url, source, author, published_at FROM articles "
            f"{where} ORDER BY published_day DESC, title LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [Article(*row) for row in rows], total

    def chunk_rows(self, chunk_ids: Iterable[str]) -> dict[str, ChunkRow]:
        rows = self._fetch_in(_CHUNK_SELECT + " WHERE c.id IN ({})", list(chunk_ids))
        return {row.chunk.id: row for row in map(_chunk_from_row, rows)}

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, Story]:
        """For each of these articles that has a story, that story (itself included)."""
        rows = self._fetch_in(
            "SELECT s.story, a.id, a.source, a.published_at, a.url, a.title, s.copy_of "
            "FROM stories s JOIN articles a ON a.id = s.article_id WHERE s.story IN "
            "(SELECT story FROM stories WHERE article_id IN ({})) ORDER BY a.published_at, a.id",
            list(article_ids))
        members: dict[str, list[StoryRow]] = {}
        for story, *fields in rows:
            members.setdefault(story, []).append(StoryRow(story, *fields))
        wanted = set(article_ids)
        found = [Story(story, tuple(group)) for story, group in members.items()]
        return {m.article_id: story for story in found for m in story.articles if m.article_id in wanted}

    def article_ids(self) -> list[str]:
        return [row[0] for row in self._fetch("SELECT id FROM articles")]

    def chunk_ids(self, article_ids: Sequence[str] | None = None) -> list[str]:
        """Every chunk id, or those of ``article_ids``."""
        if article_ids is None:
            return [row[0] for row in self._fetch("SELECT id FROM chunks")]
        return [r[0] for r in self._fetch_in("SELECT id FROM chunks WHERE article_id IN ({})", article_ids)]

    def iter_chunk_rows(self) -> Iterator[ChunkRow]:
        """Every chunk, in a stable order."""
        for row in self._fetch(_CHUNK_SELECT + " ORDER BY c.article_id, c.idx"):
            yield _chunk_from_row(row)

    def counts(self) -> tuple[int, int]:
        articles = self._fetch("SELECT COUNT(*) FROM articles")[0][0]
        chunks = self._fetch("SELECT COUNT(*) FROM chunks")[0][0]
        return articles, chunks

    def sources(self) -> list[tuple[str, int]]:
        rows = self._fetch(
            "SELECT source, COUNT(*) FROM articles WHERE source IS NOT NULL "
            "GROUP BY source ORDER BY COUNT(*) DESC, source"
        )
        return [(s, n) for s, n in rows]

    def date_span(self) -> tuple[str | None, str | None]:
        (first, last), = self._fetch(
            "SELECT MIN(substr(published_at, 1, 10)), MAX(substr(published_at, 1, 10)) "
            "FROM articles WHERE published_day >= 0"
        )
        return first, last

    def _fetch_in(self, sql: str, values: Sequence[object]) -> list[tuple]:
        """``sql`` with its ``IN ({})`` filled for ``values``, run in batches of 500
        (SQLite caps a statement's parameters)."""
        rows: list[tuple] = []
        for start in range(0, len(values), 500):
            part = list(values[start : start + 500])
            rows += self._fetch(sql.format(",".join("?" * len(part))), part)
        return rows

    def _fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        # One connection serves every thread (the HTTP server's too); the lock keeps a
        # statement and the fetch of its rows together.
        with self._lock:
            return self._db.execute(sql, params).fetchall()


_CHUNK_SELECT = (
    "SELECT c.id, c.article_id, c.idx, c.text, c.char_start, c.char_end, c.sentences, "
    "a.title, a.source, a.url, a.published_at FROM chunks c JOIN articles a ON a.id = c.article_id"
)


def _chunk_from_row(row: tuple) -> ChunkRow:
    cid, article_id, idx, text, start, end, sentences, title, source, url, published = row
    spans = tuple(tuple(pair) for pair in json.loads(sentences))
    chunk = Chunk(cid, article_id, idx, text, start, end, spans)  # type: ignore[arg-type]
    return ChunkRow(chunk, title, source, url, published)


def _article_row(article: Article, now: str) -> tuple:
    return (
        article.id, article.content_hash, article.title, article.body, article.url,
        article.source, article.author, article.published_at,
        day_number(article.published_at), now,
    )


def _chunk_row(chunk: Chunk) -> tuple:
    return (
        chunk.id, chunk.article_id, chunk.index, chunk.char_start, chunk.char_end,
        chunk.text, json.dumps(chunk.sentences),
    )


def _where(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.sources:
        clauses.append(f"source IN ({','.join('?' * len(filters.sources))})")
        params.extend(filters.sources)
    low, high, dated_only = filters.day_range
    if dated_only:
        clauses.append("published_day != ?")
        params.append(UNDATED_DAY)
    if low is not None:
        clauses.append("published_day >= ?")
        params.append(low)
    if high is not None:
        clauses.append("published_day <= ?")
        params.append(high)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
