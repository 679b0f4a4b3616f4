"""HTTP load: N concurrent clients asking the demo questions of a running ``byline serve``.

    .venv/bin/python benchmarks/load.py [--clients 16] [--questions 4] [--url URL]
                                        [--data-dir DIR] [--api-key KEY]

Without ``--url`` it starts ``byline serve`` itself on a free loopback port, over
``--data-dir`` (default: a temporary index of the bundled demo corpus, built with
``byline ingest`` first; an index that already holds articles is used as it is).

Two phases against the same server, so the figures are comparable:
1. one client asks ``--single`` questions in a row (the single-client baseline);
2. ``--clients`` clients each ask ``--questions`` questions, all at once.
Each prints throughput, p50/p95/p99 latency and the error count; during phase 2 a probe
times ``/healthz`` to show the event loop stays free while questions queue.

The Assistant runs one question at a time through the models (a lock: on 2 cores,
parallel inference only slows every caller), so under load latency grows with the queue
while throughput stays near the single-client rate. Goal: 0 errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "data" / "demo" / "questions.jsonl"
DEMO = REPO / "data" / "demo" / "articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--questions", type=int, default=4, help="questions per client")
    parser.add_argument("--single", type=int, default=16, help="questions in the 1-client phase")
    parser.add_argument("--url", default=None, help="a running server (else one is started)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--api-key", default=os.environ.get("BYLINE_API_KEY"))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]
    headers = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(started_server(args.data_dir, args.api_key))
        print(f"server: {url}", flush=True)
        single = run_phase(url, headers, 1, args.single, questions)
        report("1 client", single)
        probe = HealthProbe(url)
        with probe:
            loaded = run_phase(url, headers, args.clients, args.questions, questions)
        report(f"{args.clients} clients", loaded)
        print(f"/healthz during load: p95 {percentile(probe.latencies, 95) * 1000:.0f} ms, "
              f"max {max(probe.latencies, default=0) * 1000:.0f} ms over {len(probe.latencies)} probes")
        print(f"p95 under load / single-client p95: "
              f"{summary(loaded)['p95_s'] / max(summary(single)['p95_s'], 1e-9):.1f}x")
    if args.json:
        figures = {"single": summary(single), "load": summary(loaded),
                   "healthz_p95_s": percentile(probe.latencies, 95), "clients": args.clients}
        args.json.write_text(json.dumps(figures, indent=2))


def run_phase(url: str, headers: dict, clients: int, per_client: int, questions: list[str]):
    """Every client asks its questions one after another; clients start together."""
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    gate = threading.Barrier(clients)

    def client(number: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=600) as http:
            gate.wait()
            for turn in range(per_client):
                question = questions[(number * per_client + turn) % len(questions)]
                started = time.perf_counter()
                try:
                    ok = http.post("/v1/ask", json={"question": question}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    results.append((time.perf_counter() - started, ok))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def summary(phase) -> dict:
    results, wall = phase
    latencies = [seconds for seconds, _ in results]
    return {
        "requests": len(results),
        "errors": sum(not ok for _, ok in results),
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(results) / wall, 3),
        "p50_s": round(percentile(latencies, 50), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "p99_s": round(percentile(latencies, 99), 3),
    }


def report(name: str, phase) -> None:
    s = summary(phase)
    print(f"{name:>11}: {s['requests']} requests in {s['wall_s']:.1f} s = "
          f"{s['throughput_rps']:.2f} req/s; latency p50 {s['p50_s']:.2f} s, "
          f"p95 {s['p95_s']:.2f} s, p99 {s['p99_s']:.2f} s; errors {s['errors']}", flush=True)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure is a measured request)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


class Sampler:
    """Calls ``sample()`` every ``interval`` seconds in a background thread, while in a
    ``with`` block."""

    interval = 0.2

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if self.sample() is False:
                return

    def sample(self) -> bool | None:
        """One measurement; False stops the sampling."""
        raise NotImplementedError


class HealthProbe(Sampler):
    """Times ``GET /healthz`` every 200 ms in a background thread."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.latencies: list[float] = []
        self._http = httpx.Client(base_url=url, timeout=30)

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        self._http.close()

    def sample(self) -> None:
        started = time.perf_counter()
        self._http.get("/healthz")
        self.latencies.append(time.perf_counter() - started)


@contextlib.contextmanager
def started_server(data_dir: Path | None, api_key: str | None):
    """``byline serve`` on a free loopback port, over a demo index built if needed."""
    with serving(data_dir, api_key) as (url, _):
        yield url


@contextlib.contextmanager
def serving(data_dir: Path | None, api_key: str | None):
    """Like ``started_server``, yielding ``(url, the server process)``."""
    data_dir = data_dir or Path(tempfile.gettempdir()) / "byline-load-index"
    cli = [sys.executable, "-m", "assistant.cli"]
    env = dict(os.environ, BYLINE_DATA_DIR=str(data_dir))
    if api_key:
        env["BYLINE_API_KEY"] = api_key
    print(f"index: {data_dir} (ingesting the demo corpus if it is empty)", flush=True)
    subprocess.run([*cli, "ingest", "--if-empty", str(DEMO)], env=env, cwd=REPO, check=True)
    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url, server
    finally:
        server.terminate()
        server.wait(30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, limit_s: float = 300) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"byline serve exited with status {server.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"byline serve did not answer /healthz within {limit_s:.0f} s")


if __name__ == "__main__":
    main()
