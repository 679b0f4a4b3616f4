"""Where to refuse: best-sentence relevance on answerable vs unanswerable demo questions.

    .venv/bin/python benchmarks/calibrate_refusal.py [--data-dir INDEX]

Ingests the bundled demo corpus into INDEX (a temporary folder by default) unless it is
already there, asks the 30 demo questions (25 answerable, 5 not in the corpus) and the seed
questions, and prints, for each, the best cross-encoder relevance among the reranked
sentences — the number the fitted ``relevance_threshold`` (assistant/answering/
confidence.json, or ``BYLINE_REFUSAL_LOGIT``) is compared with. It then prints the gap between the lowest answerable and the highest
unanswerable score and where the current threshold sits in it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.offline import enable_offline_mode  # noqa: E402


def main() -> None:
    enable_offline_mode()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from assistant import open_assistant
    from assistant.evidence import Evidence

    bot = open_assistant(data_dir=args.data_dir or Path(tempfile.mkdtemp(prefix="byline-calib-")))
    if bot.index.is_empty():
        bot.ingest([REPO / "data" / "demo" / "articles"])
    answerable, unanswerable = [], []
    for name in ("questions.jsonl", "seed-questions.jsonl"):
        for line in (REPO / "data" / "demo" / name).read_text().splitlines():
            item = json.loads(line)
            best = best_relevance(bot, item["question"])
            (unanswerable if item["answer"] is None else answerable).append((best, item["question"], name))
    for label, rows in (("answerable", answerable), ("not in the corpus", unanswerable)):
        print(f"\n{label}:")
        for best, question, name in sorted(rows):
            print(f"  {best:6.2f}  {question[:80]}  ({name})")
    low = min(b for b, *_ in answerable)
    high = max(b for b, _, name in unanswerable if name == "questions.jsonl")
    print(f"\nlowest answerable {low:.2f}, highest unanswerable demo question {high:.2f}")
    threshold = bot.answerer.model(Evidence(question="", sentences=())).relevance_threshold
    print(f"refusal threshold = {threshold} (refuse below it, open questions)")


def best_relevance(bot, question: str) -> float:
    _, sentences = bot.evidence(question)
    return max((s.relevance for s in sentences), default=float("-inf"))


if __name__ == "__main__":
    main()
