"""How well the generative answerer's check tells supported sentences from unsupported ones,
and where its cross-encoder threshold sits.

    .venv/bin/python benchmarks/calibrate_support.py [--pairs data/demo/support-pairs.jsonl]

The pairs (``data/demo/support-pairs.jsonl``) are labelled by hand: ``claim`` is a sentence
the packaged Qwen model wrote for a demo question (kind "generated"), or one written to
swap a relation or a figure (kind "written"); ``sentence`` is a source sentence; ``supported``
says whether the sentence states the claim; ``question`` is the question it answered
(names and years it gives may be repeated, as in the answerer). For each pair the script runs the two parts
of :class:`assistant.answering.generative.Verifier` -- the fact check (numbers, dates and
names of the claim present in the sentence, each number tied to the claim's verb) and the
packaged cross-encoder's logit -- and
prints precision and recall of "supported" at a sweep of thresholds, and the one that
keeps recall >= 0.9 with the best precision (the value ``SUPPORT_FLOOR`` holds: below it a
sentence has no support at all). These pairs are mostly written to swap a relation while
keeping the words, which the cross-encoder cannot see at any threshold; the stricter
``VERIFIED_THRESHOLD`` is chosen on the sentences models really write, with
``python -m eval.citations RUNS --sweep``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "data/demo/support-pairs.jsonl")
    parser.add_argument("--no-binding", action="store_true",
                        help="leave out the number-to-verb check (to see what it adds)")
    args = parser.parse_args()

    from assistant.answering.generative import Verifier, _missing, padded, unbound_numbers
    from assistant.models.ner import SpacyLoader
    from assistant.models.reranker import load_reranker
    from assistant.offline import enable_offline_mode
    from assistant.settings import load_settings
    from eval.metrics import threshold_sweep

    enable_offline_mode()
    settings = load_settings()
    verifier = Verifier(SpacyLoader(settings.spacy_model), load_reranker(settings.rerank_model))
    pairs = [json.loads(line) for line in args.pairs.read_text().splitlines() if line.strip()]
    rows = []
    for pair in pairs:
        score = float(verifier.cross_encoder.score(pair["claim"], [pair["sentence"]])[0])
        facts_held = not _missing(verifier.facts(pair["claim"], pair.get("question", "")),
                                  padded(pair["sentence"]))
        nlp = verifier.nlp()
        bound = not unbound_numbers(nlp(pair["claim"]), [nlp(pair["sentence"])])
        if not args.no_binding:
            facts_held = facts_held and bound
        rows.append((score, facts_held, bool(pair["supported"]), pair.get("kind", "")))
    positives = sum(1 for r in rows if r[2])
    print(f"{len(rows)} pairs, {positives} supported")
    print("threshold  verified  precision  recall   (facts check + logit >= threshold)")
    table, best = threshold_sweep([(r[0] if r[1] else -math.inf, r[2]) for r in rows],
                                  [-4, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8], keep=0.9)
    for threshold, chosen, precision, recall in table:
        print(f"{threshold:9.1f}  {chosen:8d}  {precision:9.3f}  {recall:6.3f}")
    only_logit = [r for r in rows if r[0] >= (best[0] if best else 0)]
    print(f"without the facts check at that threshold: precision "
          f"{sum(r[2] for r in only_logit) / max(1, len(only_logit)):.3f}")
    for kind in ("generated", "written"):
        part = [r for r in rows if r[3] == kind and not r[2]]
        caught = sum(1 for r in part if not (r[1] and r[0] >= (best[0] if best else 0)))
        print(f"unsupported {kind} pairs rejected: {caught} / {len(part)}")
    if best:
        print(f"chosen threshold {best[0]} (precision {best[1]:.3f}, recall {best[2]:.3f})")


if __name__ == "__main__":
    main()
