"""How well "how did X develop" questions are answered as timelines.

    python -m eval.timelines data/demo/timeline-questions.jsonl --data-dir DIR [--json]

Each line of the question file holds a ``question`` and ``gold_article_ids``: the corpus's
articles on that story (labelled by reading the headlines and texts). For each question
the assistant's reply is scored:

- ``timeline``: it was answered as a timeline (not a short answer, quotes or a refusal);
- ``entries``: how many articles it lists;
- ``precision``: the share of listed articles that are on the story;
- ``recall``: the share of the story's articles that are listed;
- ``ordered``: the entries run oldest first.

Totals: the timeline rate, micro-averaged precision and recall over all entries, and the
share of ordered timelines. Recall is bounded by retrieval (the reranked passages) and by
``MAX_ENTRIES``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def score(answer, gold: set[str]) -> dict:
    listed = [c.passage.article_id for c in answer.citations]
    days = [c.passage.published_at or "" for c in answer.citations]
    timeline = answer.text.startswith("How the story developed")
    return {
        "timeline": timeline,
        "entries": len(listed) if timeline else 0,
        "on_story": len(set(listed) & gold) if timeline else 0,
        "story": len(gold),
        "ordered": timeline and days == sorted(days),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="one JSON object per question, then the totals")
    args = parser.parse_args()

    from assistant.factory import build_assistant
    from assistant.offline import enable_offline_mode
    from assistant.settings import load_settings

    enable_offline_mode()
    bot = build_assistant(load_settings(data_dir=args.data_dir))
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = []
    for row in rows:
        result = {"question": row["question"], **score(bot.ask(row["question"]), set(row["gold_article_ids"]))}
        results.append(result)
        if args.json:
            print(json.dumps(result))
        else:
            print(f"{'timeline' if result['timeline'] else 'NOT a timeline':14}  {result['on_story']}/"
                  f"{result['entries']} entries on the story, {result['on_story']}/{result['story']} "
                  f"of the story  {row['question']}")
    timelines = [r for r in results if r["timeline"]]
    entries = sum(r["entries"] for r in timelines)
    totals = {
        "questions": len(results),
        "timeline_rate": len(timelines) / len(results) if results else 0.0,
        "precision": sum(r["on_story"] for r in timelines) / entries if entries else 0.0,
        "recall": sum(r["on_story"] for r in results) / sum(r["story"] for r in results) if results else 0.0,
        "ordered": sum(r["ordered"] for r in timelines) / len(timelines) if timelines else 0.0,
        "mean_entries": entries / len(timelines) if timelines else 0.0,
    }
    print(json.dumps(totals) if args.json else
          f"\n{len(timelines)}/{len(results)} answered as timelines; entry precision "
          f"{totals['precision']:.2f}, story recall {totals['recall']:.2f}, "
          f"{totals['mean_entries']:.1f} entries on average, ordered {totals['ordered']:.0%}")


if __name__ == "__main__":
    main()
