"""Keyword search: SQLite FTS5 over the catalog's chunks, ranked by FTS5's BM25.

Each chunk is indexed as the terms of its headline and text (``assistant.text.analyze``:
lower-cased, stop words out, Snowball-stemmed), in the catalog's own database and in the
same transaction that writes the chunk, so the keyword index is never behind the catalog:
adding articles costs time for those articles only (no rebuild over the whole corpus), a
crash leaves both or neither, and another process's ingest is searchable the moment it
commits. Queries are the question's terms OR-ed (the very common ones only score, see
COMMON_SHARE); filters (outlet, dates) are a join on the articles table.

A catalog written before this index existed (or whose index was damaged) is indexed once,
from its chunks, when it is opened for writing or checked (:func:`ensure_keyword_index`).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.text import analyze

if TYPE_CHECKING:
    from assistant.types import Chunk

# One row per chunk, its rowid the chunk's rowid in ``chunks``. Token characters are those
# ``analyze`` keeps (letters, digits, "_"), so a term is one FTS5 token on both sides.
SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    terms, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
"""
KEYWORD_VERSION = "fts5-1"  # meta "keyword": the catalog's chunks are all in chunk_terms

# Query terms in more than this share of the chunks are *common*: as Lucene's
# CommonTermsQuery (Elasticsearch's ``cutoff_frequency``) does, they do not pick the
# candidates, only score them. FTS5 scores every chunk that matches any term of a query, so
# one term in half the corpus ("said", "year") costs more than the rest together and grows
# with the corpus, while its BM25 weight is the smallest. The candidates are the best
# CANDIDATE_FACTOR x k chunks by the rare terms; each is then scored by BM25 over all the
# terms (FTS5's formula and statistics, :func:`bm25`), so among them the order is FTS5's own.
# On rtqa-dev (18,446 chunks) keyword-only answer recall@1/5/10 is unchanged; at 16x (312k
# chunks) the search's p95 falls from 380 to ~110 ms (benchmarks/scale.py). Below
# COMMON_FLOOR chunks a term costs little, so small corpora search every term.
COMMON_SHARE = 0.1
COMMON_FLOOR = 1000
CANDIDATE_FACTOR = 5

# FTS5's bm25() constants (fts5_aux.c).
K1 = 1.2
B = 0.75


def terms_of(title: str, text: str) -> str:
    """What a chunk is indexed as: the analysed terms of its headline and text."""
    return " ".join(analyze(f"{title}\n{text}"))


def index_chunks(db: sqlite3.Connection, chunks: Sequence["Chunk"], titles: dict[str, str]) -> None:
    """Index these chunks, just written to ``chunks`` (their rowids are looked up by id);
    ``titles``: article id -> headline. Runs inside the caller's transaction."""
    db.executemany(
        "INSERT INTO chunk_terms (rowid, terms) SELECT rowid, ? FROM chunks WHERE id = ?",
        [(terms_of(titles.get(c.article_id, ""), c.text), c.id) for c in chunks],
    )


def unindex_articles(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """Drop the chunks of these articles from the index (before the chunks themselves go).
    Runs inside the caller's transaction."""
    db.executemany(
        "DELETE FROM chunk_terms WHERE rowid IN (SELECT rowid FROM chunks WHERE article_id = ?)",
        [(a,) for a in article_ids],
    )


def rebuild(db: sqlite3.Connection) -> None:
    """Index every chunk afresh (a catalog from before this index, or a damaged one).
    Runs inside the caller's transaction."""
    db.execute("DELETE FROM chunk_terms")
    cursor = db.execute(
        "SELECT c.rowid, a.title, c.text FROM chunks c JOIN articles a ON a.id = c.article_id"
    )
    while batch := cursor.fetchmany(1000):
        db.executemany(
            "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)",
            [(rowid, terms_of(title, text)) for rowid, title, text in batch],
        )


def query_terms(text: str, document_frequency: Callable[[str], int]) -> dict[str, int]:
    """The distinct terms of ``text`` that some chunk holds, each with its document
    frequency, in the question's order."""
    counts = {t: document_frequency(t) for t in dict.fromkeys(analyze(text))}
    return {t: n for t, n in counts.items() if n}


def rare_terms(terms: dict[str, int], chunks: int) -> list[str]:
    """The terms (with their document frequencies) that pick candidates among ``chunks``:
    all but the common ones; when every term is common, the rarest one alone."""
    cutoff = max(COMMON_SHARE * chunks, COMMON_FLOOR)
    return [t for t, n in terms.items() if n <= cutoff] or sorted(terms, key=terms.get)[:1]


def match_expression(terms: Iterable[str]) -> str | None:
    """An FTS5 query OR-ing ``terms`` (each quoted: a term is data, never query syntax);
    None when there are none."""
    quoted = [f'"{t}"' for t in terms]
    return " OR ".join(quoted) if quoted else None


def bm25(indexed: str, terms: dict[str, int], chunks: int, average_length: float) -> float:
    """FTS5's bm25() of one chunk (its indexed terms, space-separated) for ``terms`` (with
    their document frequencies) among ``chunks`` chunks of ``average_length`` terms, higher
    better: the same idf (floored at 1e-6), k1 and b."""
    tokens = indexed.split()
    counts: dict[str, int] = {}
    for token in tokens:
        if token in terms:
            counts[token] = counts.get(token, 0) + 1
    norm = K1 * (1 - B + B * len(tokens) / (average_length or 1.0))
    score = 0.0
    for term, tf in counts.items():
        weight = max(math.log((chunks - terms[term] + 0.5) / (terms[term] + 0.5)), 1e-6)
        score += weight * tf * (K1 + 1) / (tf + norm)
    return score


def average_length(db: sqlite3.Connection) -> float:
    """Mean indexed terms per chunk, from FTS5's own totals: its "averages" record (row 1
    of the ``_data`` table) holds the row count, then each column's token count, as SQLite
    varints. Kept by FTS5 in every write, so it costs nothing to read."""
    row = db.execute("SELECT block FROM chunk_terms_data WHERE id = 1").fetchone()
    values = _varints(row[0]) if row and row[0] else []
    return values[1] / values[0] if len(values) >= 2 and values[0] else 0.0


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints: big-endian groups of 7 bits, the high bit set on all but the last
    byte; a ninth byte carries 8 bits."""
    values, i = [], 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def document_frequency(db: sqlite3.Connection, term: str) -> int:
    row = db.execute("SELECT doc FROM chunk_vocab WHERE term = ?", (term,)).fetchone()
    return int(row[0]) if row else 0


def idf(n: int, df: int) -> float:
    """BM25's inverse document frequency, floored at 0 by the +1 (Lucene's form)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
