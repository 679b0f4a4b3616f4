"""Keyword index: FTS5 in the catalog (Byline) against a raw bm25s index over the same chunks.

    .venv/bin/python benchmarks/keyword.py --data-dir RTQA_INDEX [--questions Q.jsonl] [--adds 100]

Works on a copy of the data folder's catalog (the folder itself is not changed). Raw
baseline: bm25s (Lucene BM25, k1 1.5, b 0.75) built over exactly the terms Byline indexes,
as releases before the FTS5 index did after every ingest. Measured in the same run:

- build: bm25s over every chunk against FTS5 indexing every chunk (``rebuild``, the one-off
  migration of an old catalog);
- adding ``--adds`` articles (copies of existing ones under new ids): FTS5 indexes only
  them, inside the catalog transaction; bm25s must be rebuilt over everything, which is
  what grows with the corpus;
- query latency p50 / p95 over the questions, each retriever's top 50;
- answer-string recall@1/5/10 and MRR of keyword search alone over the questions that have
  answers (no dense search, no reranker: the two keyword rankings side by side).

Default questions: ../shared/data/rtqa-dev/questions.jsonl when present, else the demo set.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RTQA = REPO.parent / "shared" / "data" / "rtqa-dev" / "questions.jsonl"
DEMO = REPO / "data" / "demo" / "questions.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=RTQA if RTQA.exists() else DEMO)
    parser.add_argument("--adds", type=int, default=100)
    args = parser.parse_args()

    import bm25s
    import numpy as np

    from assistant.store.catalog import Catalog
    from assistant.text import analyze
    from assistant.types import Article, Chunk
    from eval.metrics import contains_answer
    from eval.questions import load_questions

    work = Path(tempfile.mkdtemp(prefix="byline-keyword-"))
    with sqlite3.connect(args.data_dir / "catalog.sqlite3") as source, \
            sqlite3.connect(work / "catalog.sqlite3") as copy:
        source.backup(copy)
    catalog = Catalog(work / "catalog.sqlite3")
    rows = list(catalog.iter_chunk_rows())
    print(f"catalog: {len(rows)} chunks of {catalog.counts()[0]} articles (a copy in {work})")

    # -- build -------------------------------------------------------------------------
    started = time.perf_counter()
    ids = [r.chunk.id for r in rows]
    retriever = bm25s.BM25()
    retriever.index([analyze(f"{r.title}\n{r.chunk.text}") for r in rows], show_progress=False)
    raw_build = time.perf_counter() - started
    started = time.perf_counter()
    catalog.ensure_keyword_index(force=True)
    fts_build = time.perf_counter() - started
    print(f"build every chunk:   bm25s {raw_build:6.2f} s   FTS5 {fts_build:6.2f} s   "
          f"ratio {fts_build / raw_build:.2f}x")

    # -- add articles ------------------------------------------------------------------
    by_article: dict[str, list] = {}
    for r in rows:
        by_article.setdefault(r.chunk.article_id, []).append(r)
    picked = list(by_article.values())[: args.adds]
    articles, chunks = [], []
    for n, group in enumerate(picked):
        first = group[0]
        article = catalog.article(first.chunk.article_id)
        new_id = f"bench-add-{n}"
        articles.append(Article(id=new_id, title=article.title, body=article.body, url=None,
                                source=article.source, published_at=article.published_at))
        chunks += [Chunk(f"{new_id}-{r.chunk.index}", new_id, r.chunk.index, r.chunk.text,
                         r.chunk.char_start, r.chunk.char_end, r.chunk.sentences) for r in group]
    started = time.perf_counter()
    catalog.write(articles, chunks)
    fts_add = time.perf_counter() - started
    started = time.perf_counter()
    bm25s.BM25().index([analyze(f"{r.title}\n{r.chunk.text}") for r in rows]
                       + [analyze(f"{a.title}\n{c.text}") for a in articles for c in chunks
                          if c.article_id == a.id], show_progress=False)
    raw_add = time.perf_counter() - started
    print(f"add {len(articles)} articles ({len(chunks)} chunks): bm25s rebuild {raw_add:6.2f} s   "
          f"FTS5 incremental (whole catalog write) {fts_add:6.2f} s   ratio {fts_add / raw_add:.2f}x")

    # -- queries -----------------------------------------------------------------------
    questions = load_questions(args.questions).questions
    passages = {r.chunk.id: f"{r.title}\n{r.chunk.text}" for r in catalog.iter_chunk_rows()}
    raw_ids = ids
    timings = {"bm25s": [], "FTS5": []}
    ranked = {"bm25s": [], "FTS5": []}
    for q in questions:
        started = time.perf_counter()
        terms = analyze(q.question)
        if terms:
            scores = retriever.get_scores(terms)
            top = np.argsort(-scores, kind="stable")[:50]
            raw = [raw_ids[i] for i in top if scores[i] > 0]
        else:
            raw = []
        timings["bm25s"].append(time.perf_counter() - started)
        started = time.perf_counter()
        fts = [cid for cid, _ in catalog.keyword_search(q.question, 50)]
        timings["FTS5"].append(time.perf_counter() - started)
        ranked["bm25s"].append(raw)
        ranked["FTS5"].append([c for c in fts if not c.startswith("bench-add-")])
    for name, values in timings.items():
        values.sort()
        print(f"query {name:5}: p50 {1000 * statistics.median(values):6.1f} ms   "
              f"p95 {1000 * values[int(0.95 * (len(values) - 1))]:6.1f} ms")
    print(f"query ratio FTS5 / bm25s (p50): "
          f"{statistics.median(timings['FTS5']) / statistics.median(timings['bm25s']):.2f}x")

    answerable = [(i, q) for i, q in enumerate(questions) if q.answers]
    print(f"keyword search alone, {len(answerable)} questions with answers "
          "(answer string in the top k chunks):")
    for name, lists in ranked.items():
        hits = []
        for i, q in answerable:
            first = next((rank for rank, cid in enumerate(lists[i], 1)
                          if contains_answer(passages[cid], q.answers)), None)
            hits.append(first)
        recall = {k: 100 * sum(1 for h in hits if h and h <= k) / len(hits) for k in (1, 5, 10)}
        mrr = sum(1 / h for h in hits if h and h <= 10) / len(hits)
        print(f"  {name:5}: recall@1 {recall[1]:5.1f}  @5 {recall[5]:5.1f}  @10 {recall[10]:5.1f}  "
              f"MRR@10 {mrr:.3f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
