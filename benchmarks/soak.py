"""Soak: many clients for a long time, one request in ten hostile.

    .venv/bin/python benchmarks/soak.py [--clients 16] [--questions 500] [--hostile 0.1]

Starts ``byline serve`` over the demo index (as ``benchmarks/load.py`` does). Each client
sends ``--questions`` requests one after another; each is, with probability
``--hostile``, one of the hostile requests below, else a demo question. It reports:

* well-formed questions that failed (anything but 200): the goal is 0;
* hostile requests by status: each must get a 4xx (a long history, which the engine
  trims, a 200), never a 5xx or a dropped connection;
* ``/healthz`` latency p50/p95, probed every 200 ms throughout (goal: p95 < 100 ms);
* the server's resident memory, sampled every 5 s: first sample after warm-up, peak, last.

Exit status 1 when a well-formed question failed, a hostile request got no 4xx, or the
server died.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import QUESTIONS, HealthProbe, Sampler, percentile, serving  # noqa: E402

# Each hostile request and the status class it must get. A long history is within the
# limits (the engine trims it): it must be answered, without holding the others up.
EXPECTED = {"huge history": "2"}
HOSTILE = {
    "oversize body": lambda: {"content": b'{"question": "' + b"x" * (2 << 20) + b'"}',
                              "headers": {"content-type": "application/json"}},
    "malformed JSON": lambda: {"content": b'{"question": ', "headers": {"content-type": "application/json"}},
    "deep JSON": lambda: {"content": b"[" * 50_000 + b"]" * 50_000,
                          "headers": {"content-type": "application/json"}},
    "huge history": lambda: {"json": {"question": "And how many were wounded?",
                                      "history": ["What did " + " ".join(f"w{n}" for n in range(3000)) + "?"] * 40}},
    "long question": lambda: {"json": {"question": "why " * 5000}},
    "bad date": lambda: {"json": {"question": "Who won?", "as_of": 1e300}},
    "too many options": lambda: {"json": {"question": "Which?", "choices": [str(n) for n in range(500)]}},
    "foreign Host": lambda: {"json": {"question": "Who won?"}, "headers": {"Host": "rebind.example"}},
    "cross-site write": lambda: {"path": "/v1/articles", "json": [{"title": "Fake", "body": "Forged."}],
                                 "headers": {"Origin": "https://evil.example"}},
    "type-less write": lambda: {"path": "/v1/articles", "content": b'[{"title": "T", "body": "B"}]',
                                "headers": {"content-type": ""}},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--questions", type=int, default=500, help="requests per client")
    parser.add_argument("--hostile", type=float, default=0.1)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]
    outcomes: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    with serving(args.data_dir, None) as (url, server):
        memory = MemorySampler(server.pid)
        with HealthProbe(url) as probe, memory:
            started = time.perf_counter()
            threads = [threading.Thread(target=client, args=(url, n, args, questions, outcomes,
                                                            latencies, lock))
                       for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        alive = server.poll() is None
    asked = outcomes["question 200"] + sum(v for k, v in outcomes.items() if k.startswith("question ") and k != "question 200")
    failed = asked - outcomes["question 200"]
    print(f"{args.clients} clients x {args.questions} requests in {wall / 60:.1f} min: "
          f"{asked} questions, {failed} failed; p50 {percentile(latencies, 50):.2f} s, "
          f"p95 {percentile(latencies, 95):.2f} s")
    hostile = {k: v for k, v in sorted(outcomes.items()) if not k.startswith("question ")}
    print("hostile requests: " + ", ".join(f"{k}: {v}" for k, v in hostile.items()))
    bad_hostile = sum(v for k, v in hostile.items()
                      if not k.rsplit(" ", 1)[-1].startswith(EXPECTED.get(k.rsplit(" ", 1)[0], "4")))
    h = probe.latencies
    print(f"/healthz: {len(h)} probes, p50 {percentile(h, 50) * 1000:.0f} ms, "
          f"p95 {percentile(h, 95) * 1000:.0f} ms, max {max(h) * 1000:.0f} ms")
    print(f"server memory (RSS): {memory.describe()}; server alive at the end: {alive}")
    return 1 if failed or bad_hostile or not alive else 0


def client(url, number, args, questions, outcomes, latencies, lock) -> None:
    rng = random.Random(args.seed * 1000 + number)
    with httpx.Client(base_url=url, timeout=600) as http:
        for turn in range(args.questions):
            if rng.random() < args.hostile:
                name = rng.choice(sorted(HOSTILE))
                request = HOSTILE[name]()
                path = request.pop("path", "/v1/ask")
                try:
                    status = str(http.post(path, **request).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with lock:
                    outcomes[f"{name} {status}"] += 1
                continue
            question = questions[(number * args.questions + turn) % len(questions)]
            began = time.perf_counter()
            try:
                status = str(http.post("/v1/ask", json={"question": question}).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            with lock:
                outcomes[f"question {status}"] += 1
                latencies.append(time.perf_counter() - began)


class MemorySampler(Sampler):
    """The server's VmRSS every 5 s (Linux /proc)."""

    interval = 5.0

    def __init__(self, pid: int) -> None:
        super().__init__()
        self.pid = pid
        self.samples: list[int] = []

    def sample(self) -> bool | None:
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return False  # the server is gone
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                self.samples.append(int(line.split()[1]) // 1024)
        return None

    def describe(self) -> str:
        if len(self.samples) < 3:
            return "too few samples"
        warm = self.samples[len(self.samples) // 10]
        tenths = [self.samples[min(len(self.samples) - 1, i * len(self.samples) // 10)] for i in range(11)]
        return (f"{warm} MB after warm-up, peak {max(self.samples)} MB, last {self.samples[-1]} MB "
                f"({len(self.samples)} samples; by tenths of the run: {tenths})")


if __name__ == "__main__":
    sys.exit(main())
