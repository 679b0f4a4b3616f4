"""``NewsIndex``: the catalog (with its keyword index) and the Chroma vectors of one data folder.

Layout of a data folder::

    catalog.sqlite3   articles and chunks (source of truth), and their keyword index (FTS5)
    chroma/           Chroma's files (absent when a Chroma server is used)

Write order per batch: old chunks out of Chroma, new chunks into Chroma, then the catalog
transaction. Killed at any point, the next ingest sees the batch's articles as missing or
changed and rewrites them, so a rerun ends with the same index as an uninterrupted run.

Several processes may open one data folder (``byline serve`` while ``byline ingest``
runs). Writers take turns through a file lock (``write.lock``, see :meth:`writing`), and
every process re-reads Chroma's files when the catalog says another one wrote: embedded
Chroma keeps its search index in memory and would not otherwise see the change.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigError
from assistant.store.catalog import Catalog, ChunkRow, Story
from assistant.types import Article, Chunk, Filters, Passage

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("byline.index")


@dataclass(frozen=True)
class IndexStats:
    articles: int
    chunks: int
    sources: list[tuple[str, int]]
    first_date: str | None
    last_date: str | None
    embed_model: str | None
    data_dir: str

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "chunks": self.chunks,
            "sources": [{"source": s, "articles": n} for s, n in self.sources],
            "first_date": self.first_date,
            "last_date": self.last_date,
            "embed_model": self.embed_model,
            "data_dir": self.data_dir,
        }


@dataclass(frozen=True)
class IndexCheck:
    """Where the stores disagree with the catalog (all empty/False: consistent)."""

    missing_vectors: list[str]  # catalog chunks Chroma lacks (dense search misses them)
    orphan_vectors: list[str]  # Chroma chunks the catalog no longer has
    keyword_stale: bool  # the keyword index is not the catalog's
    pending_write: list[str]  # articles of a write that was interrupted

    @property
    def ok(self) -> bool:
        return not (self.missing_vectors or self.orphan_vectors or self.keyword_stale
                    or self.pending_write)

    def summary(self) -> str:
        if self.ok:
            return "consistent: the catalog, Chroma and the keyword index agree"
        parts = []
        if self.pending_write:
            parts.append(f"an interrupted write of {len(self.pending_write)} articles")
        if self.missing_vectors:
            parts.append(f"{len(self.missing_vectors)} chunks without vectors")
        if self.orphan_vectors:
            parts.append(f"{len(self.orphan_vectors)} vectors of chunks no longer in the catalog")
        if self.keyword_stale:
            parts.append("a stale keyword index")
        return "inconsistent: " + "; ".join(parts)


class NewsIndex:
    def __init__(
        self, data_dir: Path, *, chroma_host: str | None = None, chroma_port: int = 8000,
        sync_seconds: float = 2.0,
    ) -> None:
        from assistant.store.vectors import ChromaVectors, WriteLog

        self.data_dir = Path(data_dir)
        self.catalog = Catalog(self.data_dir / "catalog.sqlite3")
        self.vectors = ChromaVectors(
            None if chroma_host else self.data_dir / "chroma", host=chroma_host, port=chroma_port
        )
        self._vectors_lock = threading.Lock()
        self._vectors_version = self.catalog.version  # the catalog our Chroma view matches
        self._write_lock_path = self.data_dir / "write.lock"
        self._newest: tuple[int, date | None] | None = None
        if self.catalog.ensure_keyword_index():
            log.info("indexed the catalog's chunks for keyword search (once)")
        if self.catalog.ensure_stories():
            log.info("grouped the catalog's articles into stories (once)")
        # The bm25s files of releases before the keyword index moved into the catalog.
        shutil.rmtree(self.data_dir / "bm25", ignore_errors=True)
        # A shared Chroma server: this folder's catalog follows what every writer stores.
        self.write_log = WriteLog.beside(self.vectors) if chroma_host else None
        self.sync_seconds = sync_seconds
        self._synced_at = -float("inf")
        self._sync_lock = threading.Lock()
        self.catch_up(force=True)

    # -- writing ---------------------------------------------------------------------
    def bind_embedder(self, name: str) -> None:
        """Record which model embedded this index; refuse to mix vectors of two models."""
        in_store = self.write_log.embed_model() if self.shared else None
        known = self.catalog.get_meta("embed_model") or in_store
        if known is None or known == name:
            self.catalog.set_meta("embed_model", name)
            if self.shared and in_store is None:
                self.write_log.set_embed_model(name)
        else:
            raise ConfigError(
                f"{self.data_dir} was built with the embedding model {known!r}, not {name!r}; "
                "use that model or ingest into a new data folder"
            )

    @contextmanager
    def writing(self, waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold this data folder's write lock, across processes (a file lock): a second
        writer waits for the first instead of interleaving with it. ``waiting`` is called
        once if the lock is taken, before waiting for it."""
        from filelock import FileLock, Timeout

        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self._write_lock_path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.info("waiting for another process writing to %s", self.data_dir)
            if waiting is not None:
                waiting()
            lock.acquire()
        try:
            self._sync_vectors()  # write on top of what the other writer left
            yield
        finally:
            lock.release()

    def write(
        self, articles: Sequence[Article], chunks: Sequence[Chunk], embeddings: "np.ndarray"
    ) -> None:
        """Replace ``articles`` (and every chunk they had) with these chunks and vectors.
        Call it inside :meth:`writing`.

        The batch's article ids are noted in ``pending-write.json`` first and the note is
        removed after the catalog commit: a process killed in between leaves the note,
        and the next writer puts the vectors back in line with the catalog
        (``Ingestor.recover``)."""
        by_id = {a.id: a for a in articles}
        rows = [_row(by_id[c.article_id], c) for c in chunks]
        with self._vectors_lock:
            self._note_pending([a.id for a in articles])
            self.vectors.delete_articles([a.id for a in articles])
            self.vectors.add(rows, embeddings, by_id if self.shared else None)
            self.catalog.write(articles, chunks)
            if self.shared:
                self.write_log.append("write", [a.id for a in articles])
            self._vectors_version = self.catalog.version
            self.pending_path.unlink(missing_ok=True)

    def delete(self, article_ids: Sequence[str]) -> list[str]:
        """Remove these articles from every store (vectors first, then the catalog with its
        keyword rows, noted like a write: a crash in between is repaired by the next
        writer, which finds the catalog's chunks gone and drops their vectors). Call it
        inside :meth:`writing`. Returns the ids that were stored."""
        with self._vectors_lock:
            self._note_pending(list(article_ids))
            self.vectors.delete_articles(list(article_ids))
            found = self.catalog.delete(article_ids)
            if self.shared and found:
                self.write_log.append("delete", found)
            self._vectors_version = self.catalog.version
            self.pending_path.unlink(missing_ok=True)
        return found

    @property
    def pending_path(self) -> Path:
        return self.data_dir / "pending-write.json"

    def pending_write(self) -> list[str]:
        """Article ids of a batch whose write was interrupted (empty when none was)."""
        try:
            ids = json.loads(self.pending_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):  # torn by the crash itself: check every article
            return self.catalog.article_ids()
        return [str(i) for i in ids] if isinstance(ids, list) else self.catalog.article_ids()

    def _note_pending(self, article_ids: list[str]) -> None:
        with self.pending_path.open("w", encoding="utf-8") as handle:
            json.dump(article_ids, handle)
            handle.flush()
            os.fsync(handle.fileno())

    def restore_vectors(self, article_ids: Sequence[str], rows: Sequence[ChunkRow],
                        embeddings: "np.ndarray") -> None:
        """Make Chroma hold exactly the catalog's chunks of ``article_ids`` (``rows``,
        embedded by the caller), and forget the interrupted write."""
        articles = {a: article for a in article_ids
                    if (article := self.catalog.article(a)) is not None} if self.shared else None
        with self._vectors_lock:
            self.vectors.delete_articles(list(article_ids))
            self.vectors.add(rows, embeddings, articles)
            self.pending_path.unlink(missing_ok=True)

    @property
    def shared(self) -> bool:
        """Whether the vectors live on a Chroma server other processes share. Then each
        article's body goes into Chroma with its first chunk, and every write is logged:
        replicas rebuild their catalogs from the store (an embedded store has its catalog
        beside it)."""
        return self.write_log is not None

    def chunk_rows_of(self, article_ids: Sequence[str]) -> list[ChunkRow]:
        """Every catalog chunk of ``article_ids`` (what a repair embeds again)."""
        return list(self.catalog.chunk_rows(self.catalog.chunk_ids(list(article_ids))).values())

    def articles_of_chunks(self, chunk_ids: Sequence[str]) -> list[str]:
        """The ids of the articles these chunks belong to, sorted."""
        return sorted({row.chunk.article_id for row in self.catalog.chunk_rows(chunk_ids).values()})

    def content_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The stored content hash of each of ``article_ids`` that is in the catalog."""
        return self.catalog.content_hashes(list(article_ids))

    def delete_orphan_vectors(self, chunk_ids: Sequence[str]) -> None:
        """Drop vectors the catalog does not know (a repair)."""
        with self._vectors_lock:
            self.vectors.delete_ids(list(chunk_ids))

    def check(self) -> "IndexCheck":
        """Compare the catalog (the source of truth) with Chroma and the keyword index."""
        self._sync_vectors()
        catalog = set(self.catalog.chunk_ids())
        vectors = set(self.vectors.ids())
        return IndexCheck(
            missing_vectors=sorted(catalog - vectors),
            orphan_vectors=sorted(vectors - catalog),
            keyword_stale=self.catalog.keyword_stale(),
            pending_write=self.pending_write(),
        )

    def catch_up(self, force: bool = False) -> int:
        """With a shared Chroma server, bring this folder's catalog (and keyword index) up
        to what every writer stored there (``assistant.store.replica``); at most every
        ``sync_seconds`` unless ``force``. Returns how many articles changed here."""
        if not self.shared:
            return 0
        now = time.monotonic()
        if not force and now - self._synced_at < self.sync_seconds:
            return 0
        with self._sync_lock:
            if not force and now - self._synced_at < self.sync_seconds:
                return 0
            from assistant.store.replica import catch_up

            changed = catch_up(self.catalog, self.vectors, self.write_log)
            self._synced_at = time.monotonic()
        if changed:
            log.info("caught up with the shared store: %d articles", changed)
        return changed

    def _sync_vectors(self) -> None:
        """Re-read Chroma's files if another process wrote since we last looked."""
        version = self.catalog.version
        if version == self._vectors_version:
            return
        with self._vectors_lock:
            if version != self._vectors_version:
                self.vectors.reopen()
                self._vectors_version = version

    def refresh_keyword_index(self, force: bool = False) -> bool:
        """Index every chunk for keyword search again if ``force`` (a repair) or if the
        catalog predates the keyword index; True if it did. Writes keep it current."""
        return self.catalog.ensure_keyword_index(force)

    # -- reading ---------------------------------------------------------------------
    def is_empty(self) -> bool:
        self.catch_up()
        return self.catalog.counts()[0] == 0

    def dense(self, embedding: "np.ndarray", k: int, filters: Filters = Filters()):
        self.catch_up()
        self._sync_vectors()
        return self.vectors.query(embedding, k, filters)

    def keyword(self, text: str, k: int, filters: Filters = Filters()):
        """Top ``k`` chunks by keyword (BM25), as ``(chunk_id, score)``: every committed
        batch is in it, this process's and any other's."""
        self.catch_up()
        return self.catalog.keyword_search(text, k, filters)

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        rows = self.catalog.chunk_rows(chunk_ids)
        return {cid: to_passage(row) for cid, row in rows.items()}

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, Story]:
        """Each of these articles' story: its articles, oldest first."""
        return self.catalog.stories_of(article_ids)

    def article(self, article_id: str) -> Article | None:
        return self.catalog.article(article_id)

    def articles(
        self, filters: Filters = Filters(), *, offset: int = 0, limit: int = 50
    ) -> tuple[list[Article], int]:
        """A page of articles, newest first, and how many match in all."""
        self.catch_up()
        return self.catalog.articles(filters, offset=offset, limit=limit)

    def newest_date(self) -> date | None:
        """The corpus's "now": the newest publication date (cached per catalog version, so
        another process's ingest moves it)."""
        version = self.catalog.version
        if self._newest is None or self._newest[0] != version:
            last = self.catalog.date_span()[1]
            self._newest = (version, date.fromisoformat(last) if last else None)
        return self._newest[1]

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term in the keyword index."""
        return self.catalog.idf(term)

    def stats(self) -> IndexStats:
        self.catch_up()
        articles, chunks = self.catalog.counts()
        first, last = self.catalog.date_span()
        return IndexStats(
            articles=articles,
            chunks=chunks,
            sources=self.catalog.sources(),
            first_date=first,
            last_date=last,
            embed_model=self.catalog.get_meta("embed_model"),
            data_dir=str(self.data_dir),
        )


def to_passage(row: ChunkRow) -> Passage:
    chunk = row.chunk
    return Passage(
        chunk_id=chunk.id,
        article_id=chunk.article_id,
        text=chunk.text,
        char_start=chunk.char_start,
        char_end=chunk.char_end,
        title=row.title,
        source=row.source,
        url=row.url,
        published_at=row.published_at,
        chunk_index=chunk.index,
        sentences=chunk.sentences,
    )


def _row(article: Article, chunk: Chunk) -> ChunkRow:
    return ChunkRow(chunk, article.title, article.source, article.url, article.published_at)
