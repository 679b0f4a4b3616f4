"""The ingest pipeline: read -> clean -> skip unchanged -> chunk -> embed -> store.

Articles are compared with the catalog by content hash *before* chunking and embedding, so a
second run over the same files embeds nothing. A changed article replaces its old chunks.

Embedding dominates the cost, so the other stages run beside it in a three-stage pipeline:
while the model embeds batch *n* on the main thread, a worker reads, cleans and chunks batch
*n+1* and another stores batch *n-1* (torch releases the GIL while it computes). Batches are
stored strictly in order, each as a unit (see ``NewsIndex.write``), so an interrupted ingest
leaves a consistent prefix; each batch is searchable by keyword the moment it commits (the
keyword index is written in the catalog transaction).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

from assistant.errors import IngestError
from assistant.models.embedder import Embedder
from assistant.store.index import IndexCheck, NewsIndex
from assistant.types import Article, Chunk
from ingest.chunking import ChunkSizes, chunk_article, embedding_header, header_line
from ingest.readers import discover, read_located
from ingest.records import canonical_url

# Problems kept per file: a 3 KB gzip can hold a million broken lines, and a report that
# kept them all would hold the memory the readers were careful not to.
MAX_PROBLEMS_PER_FILE = 1000

ProgressCallback = Callable[["IngestReport", int], None]
"""Called with the report so far and the number of articles read so far."""


@dataclass
class IngestReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    files: int = 0
    chunks: int = 0
    seconds: float = 0.0
    failed: list[IngestError] = field(default_factory=list)
    skipped_files: list[IngestError] = field(default_factory=list)
    # Replacements that changed the headline or outlet of an article kept at its URL (a
    # corrected headline), or that ``replace=True`` forced: reported, as they are rare.
    # An id reused by *another* story is refused instead (see ``Ingestor._conflict``).
    changed_identity: list[IngestError] = field(default_factory=list)
    # What became of each article id the run decided on: "added", "replaced",
    # "unchanged" or "failed". Kept for ``ingest_articles`` only (the API reports it per
    # item instead of guessing); a CLI run over a million files does not hold it.
    outcomes: dict[str, str] | None = None

    def note(self, article_id: str, outcome: str) -> None:
        if self.outcomes is None:
            return
        if outcome == "unchanged":
            self.outcomes.setdefault(article_id, outcome)  # added earlier in this run: added
        elif outcome in ("added", "replaced") and self.outcomes.get(article_id) == "added":
            return  # added earlier in this run and changed again: still new to the store
        else:
            self.outcomes[article_id] = outcome

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def processed(self) -> int:
        return self.added + self.replaced + self.unchanged

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    def merge(self, other: "IngestReport") -> "IngestReport":
        """This report with ``other``'s counts and failures added (one summary for the
        files and the URLs of one command)."""
        for name in ("added", "replaced", "unchanged", "files", "chunks", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed += other.failed
        self.skipped_files += other.skipped_files
        self.changed_identity += other.changed_identity
        if self.outcomes is not None and other.outcomes:
            self.outcomes.update(other.outcomes)
        return self

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{len(self.failed)} failed; {self.chunks} chunks in {self.seconds:.1f} s "
            f"({self.chunks_per_second:.1f} chunks/s)"
        )
        if self.skipped_files:
            text += f"; {len(self.skipped_files)} files skipped (not an article format)"
        if self.changed_identity:
            text += f"; {len(self.changed_identity)} replaced with another headline or outlet"
        return text

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "failed": [{"location": e.location, "reason": e.reason} for e in self.failed],
            "skipped_files": [{"location": e.location, "reason": e.reason} for e in self.skipped_files],
            "changed_identity": [{"location": e.location, "reason": e.reason}
                                 for e in self.changed_identity],
            "files": self.files,
            "chunks": self.chunks,
            "seconds": round(self.seconds, 3),
            "chunks_per_second": round(self.chunks_per_second, 2),
        }


@dataclass(frozen=True)
class _RunOptions:
    replace: bool  # a record may replace another story stored under its id
    read_at: dict[str, tuple[str, str]]  # id -> (where it was read, content hash); files only
    conflicts: "_FileProblems" = field(
        default_factory=lambda: _FileProblems("ids", "records under another story's id"))


@dataclass
class _Batch:
    articles: list[Article]  # new or changed, to be written
    chunks: list[Chunk]
    read: int  # articles read so far, for the progress bar


class Ingestor:
    """Ingests into one ``NewsIndex`` with one ``Embedder``.

    Args:
        batch_articles: articles embedded and written together. Bigger batches let the
            embedder sort more texts by length (less padding); smaller ones lose less work
            when interrupted.
    """

    def __init__(
        self,
        index: NewsIndex,
        embedder: Embedder,
        *,
        sizes: ChunkSizes = ChunkSizes(),
        batch_articles: int = 64,
    ) -> None:
        if batch_articles < 1:
            raise ValueError(f"batch_articles must be at least 1, got {batch_articles}")
        self.index = index
        self.embedder = embedder
        self.sizes = sizes
        self.batch_articles = batch_articles
        # One ingest at a time per index, whoever calls (CLI, chat upload, HTTP API): two
        # would interleave their batches and their BM25 rebuilds. Within a process this
        # lock; across processes the index's file lock (NewsIndex.writing).
        self._lock = threading.Lock()
        self.waiting: Callable[[], None] | None = None  # told when another process writes

    def ingest_paths(
        self, paths: Iterable[str | Path], progress: ProgressCallback | None = None, *,
        replace: bool = False,
    ) -> IngestReport:
        """Ingest files and folders; every bad input ends up in ``report.failed``.
        ``replace=True`` lets a record replace a stored article that is another story
        under the same id (refused by default, see ``_conflict``)."""
        report = IngestReport()
        read_at: dict[str, tuple[str, str]] = {}
        return self._run(self._read(paths, report, read_at), report, progress,
                         replace=replace, read_at=read_at)

    def ingest_articles(
        self, articles: Sequence[Article], progress: ProgressCallback | None = None, *,
        replace: bool = False,
    ) -> IngestReport:
        """Ingest articles already in memory (the HTTP API and the chat's upload use this)."""
        return self._run(iter(articles), IngestReport(outcomes={}), progress, replace=replace)

    def _read(
        self, paths: Iterable[str | Path], report: IngestReport,
        first: dict[str, tuple[str, str]],
    ) -> Iterator[Article]:
        """Articles of every file, each id once: a record repeating an id already read in
        this run is an error naming both places (two CSVs that each number their rows 1..N
        would otherwise replace each other in silence), unless it is the very same article
        again, which is simply unchanged. ``first`` collects each id's location and
        content hash as it is read (the failures name the location)."""
        for item in discover(paths):
            if isinstance(item, IngestError):
                target = report.skipped_files if item.reason.startswith("skipped") else report.failed
                target.append(item)
                continue
            report.files += 1
            problems = _FileProblems(item)
            for record in read_located(item):
                if isinstance(record, IngestError):
                    problems.add(record)
                    continue
                location, article = record
                earlier = first.setdefault(article.id, (location, article.content_hash))
                if earlier[0] == location:
                    yield article
                elif earlier[1] == article.content_hash:
                    report.unchanged += 1
                else:
                    problems.add(IngestError(location, (
                        f"repeats the id {article.id!r} of {earlier[0]} with other "
                        "content; ids must be unique (the first was kept)")))
            report.failed += problems.all()

    def _run(
        self, articles: Iterator[Article], report: IngestReport, progress: ProgressCallback | None,
        *, replace: bool = False, read_at: dict[str, tuple[str, str]] | None = None,
    ) -> IngestReport:
        with self._lock, self.index.writing(self.waiting):
            return self._run_locked(articles, report, progress, _RunOptions(
                replace, {} if read_at is None else read_at))

    def delete(self, article_ids: Sequence[str]) -> list[str]:
        """Remove stored articles (a retraction, a takedown) from the catalog, the keyword
        index and Chroma, taking turns with other writers; returns the ids that were
        stored."""
        with self._lock, self.index.writing(self.waiting):
            if self.index.pending_path.exists():
                self._recover_locked()
            return self.index.delete(list(dict.fromkeys(article_ids)))

    def recover(self) -> int:
        """Put back the vectors of a write that a crash interrupted (``NewsIndex.write``
        notes each batch before it starts): the catalog still holds those articles as they
        were, so their chunks are embedded again from the catalog. Returns how many
        articles were restored. Cheap when nothing was interrupted: one file check."""
        if not self.index.pending_path.exists():
            return 0
        with self._lock, self.index.writing(self.waiting):
            return self._recover_locked()

    def _recover_locked(self) -> int:
        article_ids = self.index.pending_write()
        if not self.index.pending_path.exists():
            return 0  # another process recovered it while we waited
        self._restore(article_ids)
        return len(article_ids)

    def repair(self) -> "IndexCheck":
        """Make Chroma and the keyword index agree with the catalog (``byline check
        --repair``): vectors for chunks that lack them, none for chunks the catalog no
        longer has, the keyword index rebuilt. Returns the check after repairing."""
        with self._lock, self.index.writing(self.waiting):
            check = self.index.check()
            if check.pending_write:
                self._recover_locked()
                check = self.index.check()
            if check.orphan_vectors:
                self.index.delete_orphan_vectors(check.orphan_vectors)
            if check.missing_vectors:
                self._restore(self.index.articles_of_chunks(check.missing_vectors))
            self.index.refresh_keyword_index(force=check.keyword_stale)
            return self.index.check()

    def _restore(self, article_ids: list[str]) -> None:
        """Embed every catalog chunk of ``article_ids`` again; Chroma gets exactly those."""
        rows = self.index.chunk_rows_of(article_ids)
        embeddings = self.embedder.embed_documents(
            [header_line(row.title, row.published_at) + row.chunk.text for row in rows])
        self.index.restore_vectors(article_ids, rows, embeddings)

    def _run_locked(
        self, articles: Iterator[Article], report: IngestReport, progress: ProgressCallback | None,
        options: "_RunOptions",
    ) -> IngestReport:
        started = time.perf_counter()
        if self.index.pending_path.exists():
            self._recover_locked()
        seen: dict[str, str] = {}  # id -> content hash of everything read in this run
        counter = {"read": 0}
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="ingest") as pool:
                prepare = partial(self._prepare, articles, report, seen, counter, options)
                next_batch = pool.submit(prepare)
                writing: Future | None = None
                while (batch := next_batch.result()) is not None:
                    next_batch = pool.submit(prepare)
                    embeddings = self._embed(batch) if batch.chunks else None
                    if writing is not None:
                        writing.result()  # batches are stored strictly in order
                    writing = pool.submit(self._store, batch, embeddings, report, progress)
                if writing is not None:
                    writing.result()
        finally:
            report.failed += options.conflicts.all()
            report.seconds = time.perf_counter() - started
        return report

    def _prepare(
        self, articles: Iterator[Article], report: IngestReport, seen: dict[str, str],
        counter: dict, options: "_RunOptions",
    ) -> _Batch | None:
        """Read the next batch and chunk what is new or changed (a worker thread)."""
        raw = list(islice(articles, self.batch_articles))
        if not raw:
            return None
        counter["read"] += len(raw)
        latest = {a.id: a for a in raw}  # the same id twice: the later version wins
        report.unchanged += len(raw) - len(latest)
        known = self.index.content_hashes(list(latest))
        changed: list[Article] = []
        chunks: list[Chunk] = []
        for article in latest.values():
            previous = seen.get(article.id, known.get(article.id))
            if previous == article.content_hash:
                report.unchanged += 1
                report.note(article.id, "unchanged")
                continue
            if article.id in known and not options.replace:
                if conflict := self._conflict(article):
                    options.conflicts.add(IngestError(
                        options.read_at.get(article.id, (f"article {article.id}",))[0], conflict))
                    report.note(article.id, "failed")
                    continue
            seen[article.id] = article.content_hash
            try:
                pieces = chunk_article(
                    article, self.embedder.token_spans, self.embedder.max_tokens, self.sizes
                )
            except ValueError as exc:
                report.failed.append(IngestError(f"article {article.id}", str(exc)))
                report.note(article.id, "failed")
                continue
            changed.append(article)
            chunks.extend(pieces)
            if previous is None:
                report.added += 1
            else:
                report.replaced += 1
                self._check_identity(article, report)
            report.note(article.id, "added" if previous is None else "replaced")
        return _Batch(changed, chunks, counter["read"])

    def _conflict(self, article: Article) -> str | None:
        """Why ``article`` may not replace the stored article of its id, or None. Ids come
        from the files, so two exports that each number their rows 1..N share ids by
        accident: a record under a stored id is another story (and refused, so nothing is
        lost) unless it keeps the stored article's URL or its headline (letter case
        aside). A corrected headline at the same URL, or a new text under the same
        headline, is an update. An id Byline derived (from the URL, the file name and
        headline, or outlet, headline and date) passes by construction."""
        stored = self.index.article(article.id)
        if stored is None or stored.title.casefold() == article.title.casefold() or (
                stored.url and article.url
                and canonical_url(stored.url) == canonical_url(article.url)):
            return None
        return (f"the id {article.id!r} already holds another article, {stored.title!r} "
                f"({stored.source or 'no outlet'}); kept it. Give this one an id of its own "
                "(two exports numbering their rows 1..N collide), or replace on purpose "
                "(byline ingest --replace, replace=true in the API)")

    def _check_identity(self, article: Article, report: IngestReport) -> None:
        stored = self.index.article(article.id)
        if stored is None or (stored.title, stored.source) == (article.title, article.source):
            return
        report.changed_identity.append(IngestError(f"article {article.id}", (
            f"replaced {stored.title!r} ({stored.source or 'no outlet'}) with "
            f"{article.title!r} ({article.source or 'no outlet'})")))

    def _embed(self, batch: _Batch):
        by_id = {a.id: a for a in batch.articles}
        texts = [embedding_header(by_id[c.article_id]) + c.text for c in batch.chunks]
        return self.embedder.embed_documents(texts)

    def _store(self, batch: _Batch, embeddings, report: IngestReport, progress) -> None:
        """Write one batch (a worker thread; never two at once)."""
        if batch.articles:
            self.index.bind_embedder(self.embedder.name)
            self.index.write(batch.articles, batch.chunks, embeddings)
            report.chunks += len(batch.chunks)
        if progress:
            progress(report, batch.read)



class _FileProblems:
    """One file's (or one run's id conflicts') problems: the first
    ``MAX_PROBLEMS_PER_FILE`` kept, the rest counted."""

    def __init__(self, path: Path | str, what: str = "problems in this file") -> None:
        self.path = path
        self.what = what
        self.kept: list[IngestError] = []
        self.more = 0

    def add(self, problem: IngestError) -> None:
        if len(self.kept) < MAX_PROBLEMS_PER_FILE:
            self.kept.append(problem)
        else:
            self.more += 1

    def all(self) -> list[IngestError]:
        if not self.more:
            return self.kept
        return [*self.kept, IngestError(str(self.path), (
            f"{self.more:,} more {self.what} "
            f"(the first {MAX_PROBLEMS_PER_FILE:,} are listed)"))]
