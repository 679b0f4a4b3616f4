"""Ingest throughput with the embedding on Ray workers, against one process.

    .venv/bin/python benchmarks/distributed.py [--corpus PATH] [--limit 200]

Each configuration ingests the same articles into a fresh embedded index (reading,
chunking, embedding, storing: the whole ingest) and prints chunks per second:

- one process, ``--threads`` torch threads (the raw baseline: today's ``byline ingest``);
- Ray, 1 worker of 1 thread, then 2 workers of 1 thread each (how throughput scales with
  workers at a fixed size per worker: the goal is >= 1.7 x from 1 to 2 where there are
  cores for them).

The Ray cluster is a local one (``ray.init``), started once; model loading in the actors is
not timed. On a 2-core machine two workers take both cores, as the baseline does.
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    from assistant.models.embedder import SentenceTransformerEmbedder
    from assistant.store.index import NewsIndex
    from ingest.distributed import RayEmbedder, start_local_cluster
    from ingest.pipeline import Ingestor

    articles = read_articles(args.corpus, args.limit)

    def run(embedder) -> tuple[int, float]:
        index = NewsIndex(Path(tempfile.mkdtemp(prefix="byline-dist-")))
        started = time.perf_counter()
        report = Ingestor(index, embedder).ingest_articles(articles)
        seconds = time.perf_counter() - started
        return index.stats().chunks, seconds if report.ok else float("nan")

    local = SentenceTransformerEmbedder(threads=args.threads)
    local.embed_documents(["warm-up"] * 16)
    print(f"corpus: {args.corpus}, {len(articles)} articles")
    chunks, base = run(local)
    print(f"one process, {args.threads} threads: {chunks / base:6.1f} chunks/s ({chunks} chunks, {base:.1f} s)")
    rates = {}
    start_local_cluster(2)
    for workers in (1, 2):
        ray_embedder = RayEmbedder(SentenceTransformerEmbedder(threads=1), workers=workers, threads=1)
        chunks, seconds = run(ray_embedder)
        rates[workers] = chunks / seconds
        print(f"Ray, {workers} worker(s) x 1 thread: {rates[workers]:6.1f} chunks/s "
              f"= {rates[workers] / (chunks / base):.2f} x one process")
        ray_embedder.close()
    print(f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f} x")


if __name__ == "__main__":
    main()
