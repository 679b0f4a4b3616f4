"""How Byline's costs grow with the corpus: 1x, 4x, 16x rtqa-dev, and a projection.

    .venv/bin/python benchmarks/scale.py --work /tmp/scale [--sizes 1 4 16] [--server]

For each size the corpus is synthesised from rtqa-dev: at 1x its own articles, beyond that
new articles each made of paragraphs drawn from random rtqa-dev articles up to the length
of a real one drawn at random (so as many chunks per article), with new ids and
publication dates spread over the same span (they need not read well; drawn from tens of
thousands of paragraphs they are not near-duplicates). Each size is ingested
through the real pipeline (cleaning, chunking, the catalog with its keyword index,
Chroma) with **random unit vectors in place of embeddings**: the model would need hours
per size on two cores, and what is measured here is the index's cost, which depends on
how many vectors there are, not what they mean. Then, at each size:

- the time to add 100 new articles with the real embedding model (the ingest's whole cost)
  and its store part alone (catalog + keyword index + Chroma), and the ingest rate;
- ask p50 / p95 (30 rtqa-dev questions, extractive, reranked) and raw retrieval p50 (the
  first stage alone, ``rerank=False``), in a fresh process that then reports its resident
  memory (what a ``byline serve`` over that folder holds), embedded Chroma; with
  ``--server`` also against a ``chroma run`` server holding the same vectors;
- the data folder's size per 1,000 articles.

A least-squares line through the sizes gives each cost per article, and with it a
projection for a 1,000,000-article archive (stated as such: extrapolated, not measured).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RTQA = REPO.parent / "shared" / "data" / "rtqa-dev"


class RandomVectors:
    """The embedder's interface with random unit vectors (seeded) instead of the model's;
    tokenising (for chunking) is the real model's."""

    def __init__(self, local, seed: int = 0) -> None:
        import numpy as np

        self.local, self.name = local, local.name
        self._rng = np.random.default_rng(seed)

    max_tokens = property(lambda self: self.local.max_tokens)

    def token_spans(self, texts):
        return self.local.token_spans(texts)

    def embed_query(self, text):
        return self.local.embed_query(text)

    def embed_documents(self, texts):
        vectors = self._rng.standard_normal((len(texts), 384)).astype("float32")
        return vectors / (vectors ** 2).sum(axis=1, keepdims=True) ** 0.5


def synthesise(base: list, count: int, seed: int, prefix: str) -> list:
    """``count`` articles recombined from ``base`` paragraphs (see the module docstring)."""
    from assistant.types import Article

    rng = random.Random(seed)
    paragraphs = [p for a in base for p in a.body.split("\n\n") if len(p) > 80]
    days = sorted(a.published_at[:10] for a in base if a.published_at)
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    span = (last - first).days or 1
    sources = sorted({a.source for a in base if a.source})
    out = []
    for i in range(count):
        # As long as a real article drawn at random: the same chunks per article as rtqa-dev.
        target, parts, length = len(rng.choice(base).body), [], 0
        while length < target:
            parts.append(rng.choice(paragraphs))
            length += len(parts[-1]) + 2
        body = "\n\n".join(parts)
        title = f"{rng.choice(base).title} ({prefix} {i})"
        day = first + timedelta(days=rng.randrange(span + 1))
        out.append(Article(f"{prefix}-{i}", title, body, None, rng.choice(sources), None, day.isoformat()))
    return out


def measure(data_dir: Path, questions: Path, chroma: dict) -> dict:
    """Ask timings and resident memory of a fresh process over ``data_dir`` (the child)."""
    from assistant.factory import build_assistant
    from assistant.settings import Settings
    from eval.questions import load_questions

    bot = build_assistant(Settings(data_dir=data_dir, **chroma))
    asked = load_questions(questions).questions[:30]
    bot.ask(asked[0].question, as_of=asked[0].as_of)  # warm the models
    total, raw = [], []
    for q in asked:
        started = time.perf_counter()
        bot.search(q.question, k=10, as_of=q.as_of, rerank=False)
        raw.append(time.perf_counter() - started)
        started = time.perf_counter()
        bot.ask(q.question, as_of=q.as_of)
        total.append(time.perf_counter() - started)
    total.sort()
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
    return {"ask_p50": statistics.median(total), "ask_p95": total[int(0.95 * (len(total) - 1))],
            "raw_p50": statistics.median(raw), "rss_mb": rss / 1024}


def child(data_dir: Path, questions: Path, chroma: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(data_dir), "--questions", str(questions),
         "--chroma", json.dumps(chroma)], capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def fit(sizes: list[int], values: list[float]) -> tuple[float, float]:
    """Least-squares ``(intercept, slope per article)``."""
    mean_x, mean_y = statistics.fmean(sizes), statistics.fmean(values)
    var = sum((x - mean_x) ** 2 for x in sizes) or 1.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, values)) / var
    return mean_y - slope * mean_x, slope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/byline-scale"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--base-articles", type=int, default=None, help="use fewer rtqa-dev articles (a quick try)")
    parser.add_argument("--questions", type=Path, default=RTQA / "questions.jsonl")
    parser.add_argument("--server", action="store_true", help="also measure asks against a chroma run server")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a size already built under --work (its build is not timed again); "
                             "the 100 added articles are deleted and added afresh")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--chroma", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()

    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    if args.measure:
        print(json.dumps(measure(args.measure, args.questions, json.loads(args.chroma))))
        return

    from assistant.models.embedder import SentenceTransformerEmbedder
    from assistant.store.index import NewsIndex
    from ingest.pipeline import Ingestor
    from corpora import RTQA_ARTICLES, read_articles

    base = read_articles(RTQA_ARTICLES, args.base_articles)
    real = SentenceTransformerEmbedder(threads=2)
    real.embed_documents(["warm-up"] * 16)
    rows = []
    for size in args.sizes:
        folder = args.work / f"x{size}"
        extra = synthesise(base, 100, 10_000 + size, f"add{size}")
        build = None
        if args.reuse and (folder / "catalog.sqlite3").exists():
            index = NewsIndex(folder)
            Ingestor(index, real).delete([a.id for a in extra])
        else:
            shutil.rmtree(folder, ignore_errors=True)
            corpus = base if size == 1 else base + synthesise(base, (size - 1) * len(base), size, f"syn{size}")
            index = NewsIndex(folder)
            started = time.perf_counter()
            Ingestor(index, RandomVectors(real, seed=size)).ingest_articles(corpus)
            build = time.perf_counter() - started
        articles, chunks = index.catalog.counts()
        timings: dict[str, float] = {}
        ingestor = Ingestor(index, real)
        original_store = ingestor._store

        def timed_store(*a, _store=original_store, **k):
            t = time.perf_counter()
            _store(*a, **k)
            timings["store"] = timings.get("store", 0.0) + time.perf_counter() - t

        ingestor._store = timed_store
        started = time.perf_counter()
        report = ingestor.ingest_articles(extra)
        add = time.perf_counter() - started
        added_chunks = index.catalog.counts()[1] - chunks
        disk = sum(f.stat().st_size for f in folder.rglob("*")  # not the server's copy (--server)
                   if f.is_file() and (folder / "server") not in f.parents)
        row = {"size": size, "articles": articles + report.added, "chunks": chunks + added_chunks,
               "build_s": build, "add100_s": add, "add100_store_s": timings.get("store", 0.0),
               "ingest_chunks_per_s": added_chunks / add}
        row["disk_mb_per_1000"] = disk / 2**20 / (row["articles"] / 1000)
        row.update(child(folder, args.questions, {}))
        if args.server:
            row.update({f"server_{k}": v for k, v in _server_measure(folder, index, args.questions).items()})
        rows.append(row)
        print(json.dumps(row), flush=True)
    _report(rows)


def _server_measure(folder: Path, index, questions: Path) -> dict:
    """The same vectors in a ``chroma run`` server; a replica folder pulls the catalog."""
    from load import free_port

    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen([str(chroma), "run", "--path", str(folder / "server"), "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        import chromadb

        for _ in range(100):
            try:
                client = chromadb.HttpClient(host="127.0.0.1", port=port)
                client.heartbeat()
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.2)
        from assistant.store.vectors import COLLECTION, WriteLog

        target = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"},
                                                 embedding_function=None)
        source = index.vectors.collection
        offset = 0 if target.count() != source.count() else source.count()  # --reuse: copied before
        while got := source.get(limit=2000, offset=offset, include=["embeddings", "documents", "metadatas"]):
            if not got["ids"]:
                break
            target.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                       metadatas=got["metadatas"])
            offset += len(got["ids"])
        WriteLog(client.get_or_create_collection("byline-log", embedding_function=None)).set_embed_model(
            index.catalog.get_meta("embed_model"))
        replica = folder.parent / f"{folder.name}-replica"
        shutil.rmtree(replica, ignore_errors=True)
        return child(replica, questions, {"chroma_host": "127.0.0.1", "chroma_port": port})
    finally:
        server.terminate()


def _report(rows: list[dict]) -> None:
    print("\n| size | articles | chunks | add 100 (store) s | ingest chunks/s | ask p50 / p95 s | raw p50 ms | RSS MB | MB / 1000 articles |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        server = (f"; server {r['server_ask_p50']:.2f} / {r['server_ask_p95']:.2f}"
                  if "server_ask_p50" in r else "")
        print(f"| {r['size']}x | {r['articles']:,} | {r['chunks']:,} | {r['add100_s']:.1f} ({r['add100_store_s']:.2f}) | "
              f"{r['ingest_chunks_per_s']:.1f} | {r['ask_p50']:.2f} / {r['ask_p95']:.2f}{server} | "
              f"{1000 * r['raw_p50']:.0f} | {r['rss_mb']:.0f} | {r['disk_mb_per_1000']:.1f} |")
    if len(rows) < 2:
        return
    first, last = rows[0], rows[-1]
    print(f"\nfrom {first['size']}x to {last['size']}x: add-100 time x{last['add100_s'] / first['add100_s']:.2f}, "
          f"ask p95 x{last['ask_p95'] / first['ask_p95']:.2f}")
    sizes = [r["articles"] for r in rows]
    million = 1_000_000
    for key, unit in (("rss_mb", "MB resident"), ("ask_p95", "s ask p95"), ("raw_p50", "s raw retrieval p50")):
        values = [r[key] for r in rows]
        a, b = fit(sizes, values)
        if b <= 0:
            print(f"projection, 1M articles: {unit}: no growth measured ({min(values):,.2f} to {max(values):,.2f})")
        else:
            print(f"projection (extrapolated, linear), 1M articles: {a + b * million:,.1f} {unit} "
                  f"({1000 * b:.4f} per 1,000 articles)")
    disk = statistics.fmean(r["disk_mb_per_1000"] for r in rows)
    rate = statistics.fmean(r["ingest_chunks_per_s"] for r in rows)
    per_article = statistics.fmean(r["chunks"] / r["articles"] for r in rows)
    print(f"projection, 1M articles: {disk * 1000 / 1024:,.0f} GB of disk; "
          f"{million * per_article / rate / 3600:,.0f} hours of embedding for one 2-core worker "
          f"({rate:.1f} chunks/s, {per_article:.1f} chunks an article)")


if __name__ == "__main__":
    main()
