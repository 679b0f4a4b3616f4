"""Reader mode: evidence size against latency and answer quality, beside the extractive
answerer on the same questions and index, in one run.

    .venv/bin/python benchmarks/reader.py --data-dir INDEX [--questions PATH] [--limit 60]
        [--sentences 2 4 6]

For each evidence size (sentences the model reads) it evaluates the question set in reader
mode with ``eval.evaluate`` and prints: time to the evidence (the extractive stage, what
the reader sees first), reader seconds p50/p95, whole-answer p50, short-answer EM / F1 /
coverage / precision, multiple choice, confident wrong answers; then the extractive
answerer's figures on the same questions. Default: the first 60 rtqa-dev questions (each
reader call is seconds on two cores).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.offline import enable_offline_mode  # noqa: E402

RTQA = REPO.parent / "shared" / "data" / "rtqa-dev" / "questions.jsonl"


def main() -> None:
    enable_offline_mode()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=RTQA)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--sentences", type=int, nargs="+", default=[2, 4, 6])
    args = parser.parse_args()

    from assistant import open_assistant
    from eval import evaluate
    from eval.metrics import percentile

    bot = open_assistant(data_dir=args.data_dir)
    if bot.index.is_empty():
        sys.exit(f"{args.data_dir} is empty")
    bot.warm_up()
    bot.readers["reader"].warm_up()
    print(f"{args.questions.name}, first {args.limit} questions")
    header = ("setting", "evidence p50", "reader p50", "reader p95", "total p50", "EM", "F1",
              "coverage", "precision", "MC", "conf. wrong")
    print(" | ".join(header))
    runs = [(f"reader, {n} sentences", "reader", n) for n in args.sentences]
    runs.append(("extractive", "extractive", None))
    for label, mode, sentences in runs:
        if sentences is not None:
            bot.readers["reader"].sentences = sentences
        run = evaluate(args.questions, bot, limit=args.limit, answerer=mode)
        reader = [r["timings"]["reader"] for r in run.rows if "reader" in r.get("timings", {})]
        evidence = [r["timings"]["total"] - r["timings"].get("reader", 0.0) for r in run.rows if r.get("timings")]
        total = [r["timings"]["total"] for r in run.rows if r.get("timings")]

        def pct(name):
            value = run.metric(name)
            return "-" if value is None else f"{value * 100:.1f}"

        def secs(values, q):
            return f"{percentile(values, q):.2f} s" if values else "-"

        print(" | ".join([label, secs(evidence, 50), secs(reader, 50), secs(reader, 95), secs(total, 50),
                          pct("exact_match"), pct("f1"), pct("short_answered"), pct("short_precision"),
                          pct("mc_accuracy"), pct("confident_wrong")]), flush=True)


if __name__ == "__main__":
    main()
