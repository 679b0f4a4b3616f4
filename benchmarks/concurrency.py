"""Concurrency: ``byline serve`` answers a steady stream of questions while two
``byline ingest`` processes and API uploads add articles to the same data dir.

    .venv/bin/python benchmarks/concurrency.py [--per-writer 30] [--uploads 10]

Counts failed questions and uploads (any non-200), then checks that every new article is
found by the running server, by dense and by keyword search (its headline as the query,
among the articles of its day: the article in the top 5), and reports how long after the last write that took. A
fresh process then checks the three stores agree. Exit status 1 on any error or loss.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import free_port, wait_until_healthy  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-writer", type=int, default=30)
    parser.add_argument("--uploads", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="byline-concurrency-"))
    data = work / "index"
    records = [json.loads(line) for line in (DEMO / "articles" / "wikinews.jsonl").read_text().splitlines()]
    base, rest = records[:40], records[100:]
    writers = [rest[: args.per_writer], rest[args.per_writer : 2 * args.per_writer]]
    uploads = rest[2 * args.per_writer : 2 * args.per_writer + args.uploads]
    _write(work / "base.jsonl", base)
    for n, batch in enumerate(writers):
        _write(work / f"writer-{n}.jsonl", batch)
    subprocess.run(_cli("ingest", str(work / "base.jsonl"), "--data-dir", str(data)), check=True,
                   capture_output=True)

    port = free_port()
    server = subprocess.Popen(_cli("serve", "--data-dir", str(data), "--port", str(port)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        questions = [json.loads(line)["question"] for line in (DEMO / "questions.jsonl").read_text().splitlines()]
        stop = threading.Event()
        asked = {"ok": 0, "failed": 0}
        asker = threading.Thread(target=_ask_loop, args=(url, questions, stop, asked))
        asker.start()
        started = time.perf_counter()
        ingests = [subprocess.Popen(_cli("ingest", str(work / f"writer-{n}.jsonl"), "--data-dir", str(data)),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for n in range(len(writers))]
        upload_results = _upload_all(url, uploads)
        outputs = [p.communicate() for p in ingests]
        written = time.perf_counter()
        stop.set()
        asker.join()
        waited = [o[1] for o in outputs if "waiting" in o[1]]
        new = [r for batch in writers for r in batch] + uploads
        lag, lost = _findable(url, new)
        check = subprocess.run(_cli("check", "--data-dir", str(data)), capture_output=True, text=True)
    finally:
        server.terminate()
        server.wait(30)
    ingest_errors = [p.returncode for p in ingests if p.returncode != 0]
    print(f"writes: 2 ingests x {args.per_writer} articles + {args.uploads} uploads in "
          f"{written - started:.1f} s; {len(waited)} ingest(s) waited for the other; "
          f"ingest exit codes {[p.returncode for p in ingests]}; uploads failed: {upload_results['failed']}")
    print(f"questions meanwhile: {asked['ok']} answered, {asked['failed']} failed")
    print(f"new articles found by the running server (dense and keyword): "
          f"{len(new) - len(lost)} of {len(new)}; all found {lag:.1f} s after the last write")
    print(f"fresh process: {check.stdout.strip()}")
    bad = asked["failed"] or upload_results["failed"] or ingest_errors or lost or check.returncode
    if lost:
        print("lost:", ", ".join(lost[:10]))
    return 1 if bad else 0


def _ask_loop(url: str, questions: list[str], stop: threading.Event, counts: dict) -> None:
    with httpx.Client(base_url=url, timeout=120) as http:
        n = 0
        while not stop.is_set():
            response = http.post("/v1/ask", json={"question": questions[n % len(questions)]})
            counts["ok" if response.status_code == 200 else "failed"] += 1
            n += 1


def _upload_all(url: str, records: list[dict]) -> dict:
    failed = 0
    with httpx.Client(base_url=url, timeout=300) as http:
        for record in records:
            failed += http.post("/v1/articles", json=[record]).status_code != 200
    return {"failed": failed}


def _findable(url: str, records: list[dict], limit: float = 60.0) -> tuple[float, list[str]]:
    """Seconds until every record is found by both modes (or the ids still missing)."""
    started = time.perf_counter()
    missing = {r["id"]: r for r in records}
    with httpx.Client(base_url=url, timeout=120) as http:
        while missing and time.perf_counter() - started < limit:
            for article_id, record in list(missing.items()):
                # The headline, among the articles of its own day: whether each store holds
                # the article, not how a headline ranks against the whole corpus.
                day = str(record.get("published_at") or record.get("date") or "")[:10]
                filters = {"since": day, "until": day} if day else None
                found = all(
                    article_id in [p["article_id"] for p in http.post(
                        "/v1/search", json={"query": record["title"], "k": 5, "mode": mode,
                                            "rerank": False, "filters": filters}
                    ).json()["passages"]]
                    for mode in ("dense", "keyword"))
                if found:
                    del missing[article_id]
            if missing:
                time.sleep(0.5)
    return time.perf_counter() - started, sorted(missing)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *args]


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("BYLINE_QUEUE_TIMEOUT", "120")
    sys.exit(main())
