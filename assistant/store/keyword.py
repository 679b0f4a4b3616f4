"""Keyword search: SQLite FTS5 over the catalog's chunks, ranked by FTS5's BM25.

Each chunk is indexed as the terms of its headline and text (``assistant.text.analyze``:
lower-cased, stop words out, Snowball-stemmed), in the catalog's own database and in the
same transaction that writes the chunk, so the keyword index is never behind the catalog:
adding articles costs time for those articles only (no rebuild over the whole corpus), a
crash leaves both or neither, and another process's ingest is searchable the moment it
commits. Queries are the question's terms OR-ed; filters (outlet, dates) are a join on the
articles table.

A catalog written before this index existed (or whose index was damaged) is indexed once,
from its chunks, when it is opened for writing or checked (:func:`ensure_keyword_index`).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
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
    db.execute("INSERT OR REPLACE INTO meta VALUES ('keyword', ?)", (KEYWORD_VERSION,))


def match_expression(text: str) -> str | None:
    """An FTS5 query OR-ing the distinct terms of ``text`` (each quoted: a term is data,
    never query syntax); None when it has none."""
    terms = list(dict.fromkeys(analyze(text)))
    return " OR ".join(f'"{t}"' for t in terms) if terms else None


def document_frequency(db: sqlite3.Connection, term: str) -> int:
    row = db.execute("SELECT doc FROM chunk_vocab WHERE term = ?", (term,)).fetchone()
    return int(row[0]) if row else 0


def idf(n: int, df: int) -> float:
    """BM25's inverse document frequency, floored at 0 by the +1 (Lucene's form)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
