"""Replicas: a data folder whose catalog (and so its keyword index) is derived from a
shared Chroma server, and catches up with what any writer stores there.

With ``BYLINE_CHROMA_HOST`` the vectors live on a Chroma server that any number of
``byline serve`` replicas and ingest workers share. Each keeps a catalog of its own (SQLite,
with the FTS5 keyword index): a replica starting from an empty data folder pulls every
chunk the server holds and rebuilds its catalog from them (each chunk carries its article's
headline, outlet, date, URL, offsets and sentences; an article's first chunk its body and
author). Every writer appends one record per batch to the server's write log (a second
collection, ``WriteLog``); a replica reads the records newer than the last it applied
(``BYLINE_REPLICA_SYNC_SECONDS`` apart at most, before a search) and fetches those
articles' chunks again: stored, replaced or deleted, the catalog then matches the server.

The log is read from a few minutes before the newest record applied (writers' clocks may
disagree by that much); records already applied are noted in the catalog and skipped, so
a busy ingest is fetched once, not once per sync. Re-applying a record would be harmless
anyway (an article whose content hash is unchanged is not written again).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

from assistant.store.catalog import Catalog
from assistant.types import Article, Chunk

CLOCK_SKEW_NS = 300 * 10**9
SYNCED = "replica_ns"  # catalog meta: the newest write-log time applied


def catch_up(catalog: Catalog, vectors, log) -> int:
    """Apply what the shared store holds beyond this catalog; returns how many articles
    were stored, replaced or removed here."""
    if catalog.get_meta("embed_model") is None and (model := log.embed_model()):
        catalog.set_meta("embed_model", model)
    synced = catalog.get_meta(SYNCED)
    if synced is None:
        started = time.time_ns()
        changed = _pull_everything(catalog, vectors)
        catalog.set_meta(SYNCED, str(started))
        return changed
    since = int(synced) - CLOCK_SKEW_NS
    records = log.since(since)
    done = catalog.applied([r[0] for r in records])
    records = [r for r in records if r[0] not in done]
    if not records:
        return 0
    wanted = list(dict.fromkeys(a for _, _, _, ids in records for a in ids))
    changed = _refresh(catalog, vectors, wanted)
    newest = max(int(synced), max(ns for _, ns, _, _ in records))
    catalog.mark_applied([(r[0], r[1]) for r in records], forget_before=newest - 2 * CLOCK_SKEW_NS)
    catalog.set_meta(SYNCED, str(newest))
    return changed


def _pull_everything(catalog: Catalog, vectors) -> int:
    articles, chunks = from_records(vectors.records())
    changed = _store(catalog, articles, chunks)
    gone = sorted(set(catalog.article_ids()) - {a.id for a in articles})
    return changed + len(catalog.delete(gone))


def _refresh(catalog: Catalog, vectors, article_ids: list[str]) -> int:
    articles, chunks = from_records(vectors.records(article_ids))
    changed = _store(catalog, articles, chunks)
    present = {a.id for a in articles}
    return changed + len(catalog.delete([a for a in article_ids if a not in present]))


def _store(catalog: Catalog, articles: list[Article], chunks: list[Chunk]) -> int:
    """Write the articles whose content this catalog does not hold yet, 200 to a
    transaction; returns how many."""
    known = catalog.content_hashes([a.id for a in articles])
    fresh = [a for a in articles if known.get(a.id) != a.content_hash]
    by_article: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_article.setdefault(chunk.article_id, []).append(chunk)
    for start in range(0, len(fresh), 200):
        part = fresh[start : start + 200]
        catalog.write(part, [c for a in part for c in by_article.get(a.id, ())])
    return len(fresh)


def from_records(records: Iterable[tuple[str, str, dict]]) -> tuple[list[Article], list[Chunk]]:
    """Articles and chunks from the store's chunk records (see ``ChromaVectors.add``). A
    store written before chunks carried their article's body and sentences gets the body
    rebuilt from the chunks at their offsets (the text between chunks is spaces) and the
    sentences split again."""
    grouped: dict[str, list[tuple[str, str, dict]]] = {}
    for record in records:
        grouped.setdefault(str(record[2]["article_id"]), []).append(record)
    articles, chunks = [], []
    for article_id, parts in grouped.items():
        parts.sort(key=lambda r: int(r[2]["chunk_index"]))
        first = parts[0][2]
        found = [Chunk(cid, article_id, int(m["chunk_index"]), text, int(m["char_start"]),
                       int(m["char_end"]), _sentences(text, m)) for cid, text, m in parts]
        body = first.get("body")
        if body is None:
            chars = [" "] * max(c.char_end for c in found)
            for c in found:
                chars[c.char_start : c.char_end] = c.text
            body = "".join(chars)
        articles.append(Article(article_id, str(first["title"]), str(body), first.get("url") or None,
                                first.get("source") or None, first.get("author") or None,
                                first.get("published_at") or None))
        chunks += found
    return articles, chunks


def _sentences(text: str, metadata: dict) -> tuple[tuple[int, int], ...]:
    if metadata.get("sentences"):
        return tuple(tuple(pair) for pair in json.loads(metadata["sentences"]))
    from assistant.sentences import split_sentences

    start = int(metadata["char_start"])
    return tuple((start + a, start + b) for a, b in split_sentences(text))
