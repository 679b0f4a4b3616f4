"""Citation precision of generative answers against hand labels.

    python -m eval.citations RUN_DIR [RUN_DIR ...] [--labels data/demo/citation-labels.jsonl]
                             [--unlabelled OUT.json]

A run of ``byline eval --answerer llm`` records each generated sentence with the sources
it cites. Every shown, verified sentence and each passage it cites make one *pair*; a pair
is labelled by reading the passage (with its headline, outlet and date):

- ``supported``: the passage states everything the sentence says (paraphrase allowed);
- ``premise``: all of it but words the question itself gives ("this week", the asker's
  name for the subject);
- ``unsupported``: some figure, name, date or relation is missing or contradicted.

Prints, per run, the labelled pairs and their precision (strict: supported only; and
counting premise pairs as supported), and writes the pairs no label covers to
``--unlabelled`` (to label and append). ``--sweep`` pools the labelled pairs of all runs
(each pair once) and prints what a stricter cross-encoder threshold for "verified" would
keep, from the support score each sentence recorded: how ``VERIFIED_THRESHOLD`` in
:mod:`assistant.answering.generative` was chosen. Pairs are keyed by a hash of the sentence and the
passage, so a label outlives the run it came from.

The gold metric of ``byline eval`` (``citation_precision``: the cited passage holds the
gold answer or evidence) cannot see a relation swap and counts a right citation of a
secondary sentence as wrong; this one is the reader's question: does the source say it?
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data/demo/citation-labels.jsonl"


def pairs(run: Path) -> list[dict]:
    """The (verified sentence, cited passage) pairs of one run, each once."""
    found: dict[str, dict] = {}
    for line in (run / "results.jsonl").read_text().splitlines():
        row = json.loads(line)
        reader = row.get("reader") or {}
        if reader.get("mode") != "llm":
            continue
        cited = {c["number"]: c for c in row.get("citations") or ()}
        for sentence in reader.get("sentences", ()):
            if not (sentence["shown"] and sentence["verified"]):
                continue
            for number in sentence["citations"]:
                citation = cited.get(number)
                if citation is None:
                    continue
                key = pair_key(sentence["text"], citation["passage"])
                found.setdefault(key, {
                    "key": key, "qid": row["id"], "question": row["question"],
                    "sentence": sentence["text"], "article_id": citation["article_id"],
                    "title": citation.get("title"), "passage": citation["passage"],
                    "score": (sentence.get("support") or {}).get("score")})
    return list(found.values())


def pair_key(sentence: str, passage: str) -> str:
    return hashlib.sha1(f"{sentence}\x00{passage}".encode()).hexdigest()[:12]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--labels", type=Path, action="append",
                        help=f"JSONL of {{key, label}} (default {LABELS.relative_to(ROOT)}; repeatable)")
    parser.add_argument("--unlabelled", type=Path, help="write the pairs without a label here (JSON)")
    parser.add_argument("--sweep", action="store_true",
                        help="precision and kept supported pairs at stricter support thresholds")
    args = parser.parse_args(argv)
    labels: dict[str, str] = {}
    for path in args.labels or [LABELS]:
        for line in path.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                labels[item["key"]] = item["label"]
    missing = []
    pooled: dict[str, dict] = {}
    for run in args.runs:
        found = pairs(run)
        pooled.update((p["key"], p) for p in found if p["key"] in labels)
        counts = Counter(labels.get(p["key"], "unlabelled") for p in found)
        labelled = sum(n for label, n in counts.items() if label != "unlabelled")
        missing += [p for p in found if p["key"] not in labels]
        if not labelled:
            print(f"{run}: {len(found)} pairs, none labelled")
            continue
        strict = counts["supported"] / labelled
        lenient = (counts["supported"] + counts["premise"]) / labelled
        print(f"{run}: {len(found)} pairs, {labelled} labelled ({dict(counts)}): "
              f"precision {strict:.3f} strict, {lenient:.3f} counting premise pairs")
    if args.sweep:
        sweep([(p["score"], labels[p["key"]]) for p in pooled.values() if p["score"] is not None])
    if args.unlabelled:
        args.unlabelled.write_text(json.dumps(missing, indent=1, ensure_ascii=False))
        print(f"{len(missing)} unlabelled pairs written to {args.unlabelled}")


SWEEP = [x / 2 for x in range(0, 19)]  # logits 0 to 9
KEEP_SUPPORTED = 0.9


def sweep(scored: list[tuple[float, str]]) -> float | None:
    """Print, per threshold, the pairs still verified and their strict precision; return
    the threshold with the best precision that keeps ``KEEP_SUPPORTED`` of the supported
    pairs (a right sentence marked unverified is the cost)."""
    from eval.metrics import threshold_sweep

    table, best = threshold_sweep([(score, label == "supported") for score, label in scored],
                                  SWEEP, KEEP_SUPPORTED)
    supported = sum(1 for _, label in scored if label == "supported")
    if not supported:
        print("no supported pairs with a recorded score")
        return None
    print(f"{len(scored)} labelled pairs, {supported} supported")
    print("threshold  verified  strict precision  supported kept")
    for threshold, kept, precision, recall in table:
        print(f"{threshold:9.1f}  {kept:8d}  {precision:16.3f}  {recall:14.3f}")
    if best:
        print(f"best precision keeping {KEEP_SUPPORTED:.0%} of supported pairs: threshold {best[0]}")
    return best[0] if best else None


if __name__ == "__main__":
    main()
