"""Question latency and answer recall on rtqa-dev, against raw dense retrieval.

    .venv/bin/python benchmarks/ask.py --data-dir INDEX [--questions PATH] [--limit N]

INDEX must hold the rtqa-dev articles; build it once (about 20 minutes on two cores) with
``byline ingest ../shared/data/rtqa-dev/articles.jsonl.gz --data-dir INDEX`` or
``benchmarks/ingest.py --data-dir INDEX``. For each question, alternately:

* raw retrieval: ``SentenceTransformer.encode`` of the question + a Chroma top-10 query,
  straight on the library objects (what any RAG stack pays at minimum);
* Byline ``ask`` with the question's quiz date as ``as_of`` (and its choices).

Prints raw p50, ask p50/p95 and their ratio (goals: ask p50 <= 300 ms, p95 <= 700 ms,
p50 <= 5x raw), then the share of questions whose gold answer string is in the top-5
passages (answer recall@5), in the short answer, and in the reply text, the share whose
gold article is in the top 5, and multiple-choice accuracy. Questions are read and scored
with the ``eval`` package's loader and metric functions, so these figures mean what
``byline eval`` reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
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
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    from assistant import open_assistant
    from eval.metrics import percentile
    from eval.questions import load_questions

    questions = load_questions(args.questions).questions
    questions = questions[: args.limit] if args.limit else questions
    bot = open_assistant(data_dir=args.data_dir)
    if bot.index.is_empty():
        sys.exit(f"{args.data_dir} is empty: build the rtqa-dev index first (see --help)")
    bot.warm_up()
    model = bot.retriever.embedder.model  # the same SentenceTransformer object Byline uses
    collection = bot.index.vectors.collection  # the raw chromadb collection

    raw_times, ask_times, rows = [], [], []
    for number, item in enumerate(questions):
        started = time.perf_counter()
        vector = model.encode([item.question], normalize_embeddings=True)
        collection.query(query_embeddings=vector, n_results=10)
        raw_times.append(time.perf_counter() - started)

        started = time.perf_counter()
        answer = bot.ask(item.question, as_of=item.as_of, choices=item.choices, k=10)
        ask_times.append(time.perf_counter() - started)
        rows.append((item, answer))
        if (number + 1) % 20 == 0:
            print(f"{number + 1}/{len(questions)} questions", file=sys.stderr, flush=True)

    raw_p50 = statistics.median(raw_times)
    ask_p50, ask_p95 = statistics.median(ask_times), percentile(ask_times, 95)
    print(f"questions                      {len(rows)}")
    print(f"raw retrieval p50              {raw_p50 * 1000:7.1f} ms   (encode + Chroma top-10)")
    print(f"byline ask p50 / p95           {ask_p50 * 1000:7.1f} / {ask_p95 * 1000:.1f} ms   (goal <= 300 / 700)")
    print(f"ask p50 / raw p50              {ask_p50 / raw_p50:7.2f} x   (goal <= 5)")
    stages = {}
    for _, answer in rows:
        for name, seconds in answer.timings.items():
            stages.setdefault(name, []).append(seconds)
    print("stage p50 (ms)                 " + ", ".join(
        f"{name} {statistics.median(v) * 1000:.0f}" for name, v in stages.items()
    ))
    for label, subset in (("all", rows), ("recent gold", [r for r in rows if r[0].recent_article_ids])):
        if not subset:
            continue
        print(f"\n[{label}: {len(subset)} questions]")
        report(subset)


def report(rows) -> None:
    from eval import metrics as m

    in_top5 = in_short = in_text = gold5 = mc = mc_total = 0
    for item, answer in rows:
        in_top5 += m.answer_recall_at_k([p.text for p in answer.passages], item.answers, 5)
        in_short += m.contains_answer(answer.short_answer, item.answers)
        in_text += m.contains_answer(answer.text, item.answers)
        gold5 += m.recall_at_k([p.article_id for p in answer.passages], item.article_ids, 5)
        if item.choices and item.answer_index is not None:
            mc_total += 1
            mc += answer.choice == item.answer_index
    n = len(rows)
    print(f"answer string in top-5 passages {100 * in_top5 / n:5.1f} %")
    print(f"answer string in short answer   {100 * in_short / n:5.1f} %")
    print(f"answer string in reply text     {100 * in_text / n:5.1f} %")
    print(f"gold article in top 5           {100 * gold5 / n:5.1f} %")
    if mc_total:
        print(f"multiple-choice accuracy        {100 * mc / mc_total:5.1f} %  ({mc_total} questions)")


if __name__ == "__main__":
    main()
