"""Crash consistency: kill -9 ``byline ingest`` (or ``byline serve`` during an upload) at
random moments, run it again, and compare the index with one built without interruption.

    .venv/bin/python benchmarks/crash.py [--target ingest|server] [--runs 20] [--articles 60] [--seed 0]

Each run starts ``byline ingest`` on a fresh data dir (batches of 8 articles, so there are
many write windows), kills it with SIGKILL after a random delay spread over the model
loading and the writing, then runs the same ingest to completion and checks that:

* the catalog holds the same articles, with the same content hashes, as the reference;
* the catalog, Chroma and the keyword index hold exactly the reference's chunk ids, with
  no duplicates (``NewsIndex.check`` agrees);
* no interrupted-write note is left behind.

With ``--target server``, each run starts ``byline serve`` on a fresh data dir, uploads the
same file to ``POST /v1/articles``, kills the server with SIGKILL after a random delay
within the upload, starts it again (which repairs an interrupted write as it opens), uploads
the file again, stops it, and checks the same things.

It prints one line per run (when the kill landed: how many articles were committed, and
whether inside a batch's write, between Chroma and the catalog) and a summary; the exit
status is 1 if any run differs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEMO = REPO / "data" / "demo" / "articles" / "wikinews.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=["ingest", "server"], default="ingest")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="byline-crash-"))
    corpus = work / "corpus.jsonl"
    lines = DEMO.read_text(encoding="utf-8").splitlines()[: args.articles]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "BYLINE_INGEST_BATCH_ARTICLES": "8"}

    started = time.perf_counter()
    reference = work / "reference"
    subprocess.run(_ingest(corpus, reference), env=env, check=True, capture_output=True)
    ref_seconds = time.perf_counter() - started
    expected = _state(reference)
    print(f"reference: {len(expected['articles'])} articles, {len(expected['chunks'])} chunks, "
          f"ingest {ref_seconds:.1f} s (models included)")

    if args.target == "server":
        return _server_runs(args, rng, work, corpus, env, expected)
    failures = 0
    for run in range(args.runs):
        data = work / f"run-{run}"
        delay = rng.uniform(0.3 * ref_seconds, 1.0 * ref_seconds)
        victim = subprocess.Popen(_ingest(corpus, data), env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished_first = victim.poll() is not None
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        stored = _articles_stored(data)
        mid_write = (data / "pending-write.json").exists()  # killed inside a batch's write
        rerun = subprocess.run(_ingest(corpus, data), env=env, capture_output=True, text=True)
        state = _state(data)
        problems = _differences(state, expected)
        if rerun.returncode != 0:
            problems.append(f"rerun exit {rerun.returncode}: {rerun.stderr.strip()[-200:]}")
        when = ("after the ingest finished" if finished_first else
                f"with {stored} of {len(expected['articles'])} articles committed"
                + (", inside a batch's write" if mid_write else ""))
        verdict = "same index" if not problems else "DIFFERS: " + "; ".join(problems)
        print(f"run {run + 1:2d}: killed at {delay:5.1f} s {when}: {verdict}")
        failures += bool(problems)
    return _summary(args.runs, failures, work)


def _server_runs(args, rng: random.Random, work: Path, corpus: Path, env: dict,
                 expected: dict) -> int:
    """The server killed during an upload, restarted, and sent the same upload again."""
    import httpx

    from load import free_port, wait_until_healthy

    def serve(data: Path) -> tuple[subprocess.Popen, str]:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--data-dir", str(data),
             "--port", str(port)], env=env, cwd=REPO,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, server)
        return server, url

    def upload(url: str) -> httpx.Response:
        with corpus.open("rb") as handle:
            return httpx.post(f"{url}/v1/articles", timeout=600,
                              files={"files": (corpus.name, handle, "application/json")})

    server, url = serve(work / "upload-reference")
    started = time.perf_counter()
    upload(url).raise_for_status()
    upload_seconds = time.perf_counter() - started
    server.terminate()
    server.wait(60)
    print(f"an uninterrupted upload of {len(expected['articles'])} articles takes "
          f"{upload_seconds:.1f} s")

    failures = 0
    for run in range(args.runs):
        data = work / f"serve-{run}"
        server, url = serve(data)
        delay = rng.uniform(0.05 * upload_seconds, 1.0 * upload_seconds)
        outcome: dict = {}
        sender = threading.Thread(target=lambda: outcome.update(response=_try(upload, url)))
        sender.start()
        time.sleep(delay)
        server.send_signal(signal.SIGKILL)
        server.wait()
        sender.join()
        stored = _articles_stored(data)
        mid_write = (data / "pending-write.json").exists()
        server, url = serve(data)  # opening the index repairs an interrupted write
        again = _try(upload, url)
        server.terminate()
        server.wait(60)
        problems = _differences(_state(data), expected)
        if not isinstance(again, httpx.Response) or again.status_code != 200:
            problems.append(f"second upload: {again}")
        first = outcome.get("response")
        when = ("after the upload was answered"
                if isinstance(first, httpx.Response) and first.status_code == 200 else
                f"with {stored} of {len(expected['articles'])} articles committed"
                + (", inside a batch's write" if mid_write else ""))
        verdict = "same index" if not problems else "DIFFERS: " + "; ".join(problems)
        print(f"run {run + 1:2d}: killed {delay:5.1f} s into the upload {when}: {verdict}",
              flush=True)
        failures += bool(problems)
    return _summary(args.runs, failures, work)


def _try(call, *args):
    try:
        return call(*args)
    except Exception as exc:  # the server died under the request: expected
        return exc


def _differences(state: dict, expected: dict) -> list[str]:
    problems = [f"{key} differ" for key in ("articles", "chunks") if state[key] != expected[key]]
    if not state["consistent"]:
        problems.append(state["summary"])
    if state["duplicates"]:
        problems.append(f"{state['duplicates']} duplicate vectors")
    return problems


def _summary(runs: int, failures: int, work: Path) -> int:
    print(f"{runs - failures} of {runs} runs ended with the reference index "
          f"({work} holds the data dirs)")
    return 1 if failures else 0


def _ingest(corpus: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--data-dir", str(data)]


def _articles_stored(data: Path) -> int:
    import sqlite3

    path = data / "catalog.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            return 0


STATE = """
import json, sys
from assistant.store.index import NewsIndex
index = NewsIndex(sys.argv[1])
articles = sorted([a.id, a.content_hash] for a in index.catalog.articles(limit=10**6)[0])
vectors = index.vectors.ids()
check = index.check()
print(json.dumps({"articles": articles, "chunks": sorted(index.catalog.chunk_ids()),
                  "consistent": check.ok, "summary": check.summary(),
                  "duplicates": len(vectors) - len(set(vectors))}))
"""


def _state(data: Path) -> dict:
    """Read in a process of its own: the one that reads is the one that opens afresh."""
    out = subprocess.run([sys.executable, "-c", STATE, str(data)], capture_output=True,
                         text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


if __name__ == "__main__":
    sys.exit(main())
