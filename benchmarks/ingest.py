"""Ingest throughput: Byline end to end against raw ``SentenceTransformer.encode``.

    .venv/bin/python benchmarks/ingest.py [--corpus PATH] [--limit N] [--parts 4]

Raw baseline: ``encode`` of exactly the texts Byline embeds (each chunk with its headline
line), same model object, same batch size. Byline: ``Ingestor.ingest_paths`` on a fresh
index — reading, cleaning, hashing, chunking, embedding, Chroma, SQLite, BM25. The corpus is
split into parts and the two are measured alternately, part by part, so that load from
other processes on this shared machine hits both alike. Then the whole corpus is ingested
again to time the no-op re-ingest.

Goals: end-to-end >= 0.9 x raw encode; re-ingest >= 50 x faster than the first ingest.
Default corpus: ../shared/data/rtqa-dev/articles.jsonl.gz when present, else the demo.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.offline import enable_offline_mode  # noqa: E402
from corpora import DEFAULT, read_articles  # noqa: E402


def main() -> None:
    enable_offline_mode()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the index here")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    from assistant.models.embedder import SentenceTransformerEmbedder
    from assistant.store.index import NewsIndex
    from ingest.chunking import chunk_article, embedding_header
    from ingest.pipeline import Ingestor

    articles = read_articles(args.corpus, args.limit)
    embedder = SentenceTransformerEmbedder(threads=args.threads, batch_size=args.batch_size)
    embedder.embed_documents(["warm-up text for the encoder"] * 32)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="byline-bench-"))
    index = NewsIndex(data_dir)
    ingestor = Ingestor(index, embedder)
    work = Path(tempfile.mkdtemp(prefix="byline-bench-parts-"))
    print(f"corpus: {args.corpus} ({len(articles)} articles), index: {data_dir}", flush=True)

    raw_seconds = e2e_seconds = 0.0
    raw_chunks = e2e_chunks = 0
    size = -(-len(articles) // args.parts)
    part_files = []
    for number in range(args.parts):
        part = articles[number * size : (number + 1) * size]
        if not part:
            continue
        texts = [
            embedding_header(a) + c.text
            for a in part
            for c in chunk_article(a, embedder.token_spans, embedder.max_tokens, ingestor.sizes)
        ]
        path = work / f"part{number}.jsonl"
        path.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in part))
        part_files.append(path)

        def raw() -> float:
            started = time.perf_counter()
            embedder.embed_documents(texts)
            return time.perf_counter() - started

        def byline() -> tuple[float, int]:
            started = time.perf_counter()
            report = ingestor.ingest_paths([path])
            return time.perf_counter() - started, report.chunks

        # Alternate which goes first, so drifting background load cancels out.
        if number % 2 == 0:
            raw_seconds += raw()
            seconds, chunks = byline()
        else:
            seconds, chunks = byline()
            raw_seconds += raw()
        e2e_seconds += seconds
        e2e_chunks += chunks
        raw_chunks += len(texts)
        print(f"part {number + 1}/{args.parts}: {len(texts)} chunks", flush=True)

    started = time.perf_counter()
    again = ingestor.ingest_paths(part_files)
    reingest_seconds = time.perf_counter() - started

    raw_rate = raw_chunks / raw_seconds
    e2e_rate = e2e_chunks / e2e_seconds
    print()
    print(f"chunks embedded            raw {raw_chunks}   byline {e2e_chunks}")
    print(f"raw encode                 {raw_seconds:8.1f} s   {raw_rate:6.2f} chunks/s")
    print(f"byline ingest (end to end) {e2e_seconds:8.1f} s   {e2e_rate:6.2f} chunks/s")
    print(f"ratio end-to-end / raw     {e2e_rate / raw_rate:8.3f}   (goal >= 0.9)")
    print(f"re-ingest (no changes)     {reingest_seconds:8.2f} s   {again.unchanged} unchanged, {again.chunks} embedded")
    print(f"first / re-ingest          {e2e_seconds / reingest_seconds:8.1f} x  (goal >= 50)")


if __name__ == "__main__":
    main()
