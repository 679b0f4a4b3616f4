"""BM25 keyword index over the same chunks as Chroma, built with bm25s.

Each chunk is indexed with its headline, stemmed (Snowball via PyStemmer) and with English
stop words removed. The index is derived data: it is rebuilt from the catalog whenever the
catalog's version moves, written to a fresh folder and swapped in, so a crash mid-build
leaves either the old complete index or none (and the next open rebuilds it). Another
process's ingest (a ``byline ingest`` beside a running server) swaps in a new folder too;
queries notice and load it. Filters become a weight mask over all chunks, applied before
the top-k cut.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.dates import UNDATED_DAY, day_number
from assistant.store.catalog import ChunkRow
from assistant.text import analyze
from assistant.types import Filters


@dataclass(frozen=True)
class _State:
    """Everything a query reads, swapped in one assignment: a query running while an
    ingest rebuilds the index sees the old state or the new one, never a mix."""

    bm25: object | None = None
    chunk_ids: tuple[str, ...] = ()
    sources: dict[str, int] = field(default_factory=dict)
    source_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    doc_freq: dict[str, int] = field(default_factory=dict)
    version: int = -1


class BM25Index:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._state = _State()
        self._stamp: tuple[int, int] | None = None  # the manifest file behind _state
        self._lock = threading.Lock()

    @property
    def version(self) -> int:
        return self._state.version

    @property
    def chunk_ids(self) -> tuple[str, ...]:
        return self._state.chunk_ids

    def load(self) -> bool:
        """Read the index from disk; False when there is none (or it is unreadable)."""
        import bm25s

        manifest = self.folder / "manifest.json"
        try:
            stamp = _stamp(manifest)
            meta = json.loads(manifest.read_text())
            bm25 = bm25s.BM25.load(str(self.folder)) if meta["chunk_ids"] else None
            arrays = np.load(self.folder / "filters.npz")
            sources, days = arrays["sources"], arrays["days"]
        except Exception:  # noqa: BLE001 - any damage (a torn file after a power loss, a
            # truncated pickle or zip) means the same: rebuild it from the catalog
            return False
        self._state = _state(
            bm25, meta["chunk_ids"], meta["sources"], sources, days, int(meta["version"]),
        )
        self._stamp = stamp
        return True

    def reload_if_replaced(self) -> bool:
        """Load the index on disk if another process swapped in a newer one (one ``stat``)."""
        try:
            stamp = _stamp(self.folder / "manifest.json")
        except OSError:
            return False
        if stamp == self._stamp:
            return False
        with self._lock:
            return stamp != self._stamp and self.load()

    def build(self, rows: Iterable[ChunkRow], version: int) -> None:
        import bm25s

        chunk_ids, tokens, sources, codes, days = [], [], {}, [], []
        for row in rows:
            chunk_ids.append(row.chunk.id)
            tokens.append(analyze(f"{row.title}\n{row.chunk.text}"))
            codes.append(sources.setdefault(row.source or "", len(sources)))
            days.append(day_number(row.published_at))
        bm25 = bm25s.BM25()
        if chunk_ids:
            bm25.index(tokens, show_progress=False)
        source_codes = np.asarray(codes, dtype=np.int32)
        day_array = np.asarray(days, dtype=np.int32)
        state = _state(
            bm25 if chunk_ids else None, chunk_ids, list(sources), source_codes, day_array, version
        )
        with self._lock:
            # A staging folder of its own: another process may be building beside us.
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=self.folder.name + ".new-", dir=self.folder.parent))
            try:
                if chunk_ids:
                    bm25.save(str(staging))
                np.savez(staging / "filters.npz", sources=source_codes, days=day_array)
                manifest = {"version": version, "chunk_ids": chunk_ids, "sources": list(sources)}
                (staging / "manifest.json").write_text(json.dumps(manifest))
                _fsync_folder(staging)  # on disk before the swap makes them the index
                shutil.rmtree(self.folder, ignore_errors=True)
                staging.rename(self.folder)
                _fsync_entry(self.folder.parent)
                self._stamp = _stamp(self.folder / "manifest.json")
            except OSError:  # another process swapped its build in first: it is as new
                shutil.rmtree(staging, ignore_errors=True)
            self._state = state

    def query(self, text: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        """Top ``k`` chunks as ``(chunk_id, BM25 score)``; chunks sharing no term are left out."""
        state = self._state
        terms = analyze(text)
        if state.bm25 is None or not terms:
            return []
        scores = state.bm25.get_scores(terms, weight_mask=_mask(state, filters))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(state.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term (0 for terms never seen)."""
        state = self._state
        n = len(state.chunk_ids)
        df = state.doc_freq.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's files and its entries to disk (a rename is only durable after)."""
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_entry(folder)


def _fsync_entry(folder: Path) -> None:
    """Flush a folder's entries (not its files). Where folders cannot be opened (Windows),
    there is nothing to flush this way."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _mask(state: _State, filters: Filters) -> np.ndarray | None:
    if filters.empty:
        return None
    mask = np.ones(len(state.chunk_ids), dtype=bool)
    if filters.sources:
        wanted = [state.sources[s] for s in filters.sources if s in state.sources]
        mask &= np.isin(state.source_codes, wanted)
    low, high, dated_only = filters.day_range
    if dated_only:
        mask &= state.days != UNDATED_DAY
    if low is not None:
        mask &= state.days >= low
    if high is not None:
        mask &= state.days <= high
    return mask.astype(np.float32)


def _state(bm25, chunk_ids, sources, source_codes, days, version: int) -> _State:
    doc_freq: dict[str, int] = {}
    if bm25 is not None:
        indptr = bm25.scores["indptr"]
        doc_freq = {
            term: int(indptr[i + 1] - indptr[i])
            for term, i in bm25.vocab_dict.items()
            if i + 1 < len(indptr)  # bm25s adds an empty token with no column
        }
    return _State(
        bm25, tuple(chunk_ids), {name: code for code, name in enumerate(sources)},
        source_codes, days, doc_freq, version,
    )
