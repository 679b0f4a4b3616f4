"""Fit the answerer's confidence models on the development question sets and write
``assistant/answering/confidence.json``.

    .venv/bin/python benchmarks/fit_confidence.py --rtqa-index RTQA_INDEX [--demo-index DIR]

Needs scikit-learn (``pip install -e '.[calibrate]'``). For every question of the demo set,
the seed questions, the near-miss set (data/demo/) and rtqa-dev (../shared/data/rtqa-dev),
it runs Byline's own retrieval and the extractive answerer's analysis (candidates and their
checks), then fits, per mode ("plain": the demo, seed and near-miss sets, asked alone;
"choices": rtqa-dev asked with its options, as ``byline eval`` asks it):

* ``short``: logistic regression, is this candidate the right short answer (it contains an
  accepted answer)? Candidates a check vetoes are never shown and are left out. Then
  ``calibration``: Platt scaling of the winning candidate's score, on the questions
  answered with it.
* ``evidence``: on the questions answered with quotes only, do the top three evidence
  sentences hold an accepted answer? Where that is below ``evidence_floor`` the question
  is refused instead.
* ``refusal``: on the questions the answerer refuses, is the answer really not there?

Every model learns from every plain set collected, the fresh near-miss rounds included:
written by readers who saw neither the checks nor each other, they are what the held-out
sets look like. The latest rounds (``HELD_OUT``: the tenth to twelfth, read after the fit,
and the thirteenth, not read) are left out by default (``--leave-out``) so that ``byline eval`` scores them
unseen, and ``--by-round`` prints each round's figures from
models fitted without it (leave one round out): the forecast for a set never seen. The demo
and seed questions weigh ``SET_WEIGHT`` times a question of the rounds in the candidate
ranker and its calibration. ``--keep-ranker`` keeps the ranker and its calibration of the
file being replaced and fits only the question-level models; ``--only plain`` fits the
plain mode alone and keeps the multiple-choice models of the file (how the shipped file was
made: rtqa-dev's replies stay as they were).

rtqa-dev asked without its options is left out of the plain fit: its quiz questions are
answered from other sentences than the ones the checks can read (paraphrase), which
would teach the plain models to doubt the near-miss refusals they exist to make.

It prints out-of-fold figures (5-fold, grouped by question, so no question is scored by a
model that saw it) for the decision thresholds written into the file: refusals, short
answers and their precision, confident wrong answers, expected calibration error. The
thresholds are set here, with the reason for each; they are not searched per set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.offline import enable_offline_mode  # noqa: E402

DEMO = REPO / "data" / "demo"
RTQA = REPO.parent / "shared" / "data" / "rtqa-dev" / "questions.jsonl"
OUT = REPO / "assistant" / "answering" / "confidence.json"

# A plain question that would be answered with quotes alone is refused instead when the
# evidence model gives the quotes less than this chance of holding the answer: there the
# fresh near-miss sets' traps gather (out of fold, see --sweep), and it is the highest floor
# at which no demo question is refused (at 0.4 two are; chosen before the refit on every
# round, whose shipped models refuse none of them either, but two out of fold). Unlike a short answer, a refusal
# still lists the closest passages as related reading, so little is lost where it errs.
EVIDENCE_FLOOR = 0.35
# Thresholds on the calibrated probability, by mode, chosen with the out-of-fold sweep this
# script prints (--sweep), when the ranker learned from the first sets only; refitted on
# every round, 0.6 stays: at 0.7 the third to seventh rounds, each unseen, give 4.7%
# confident wrong answers against 6.3%, but the seed question's answer (Lee Seong-kweun,
# 0.63, now 0.67) is withheld. (The figures below are of the first fit; the Magnitogorsk date is
# now at 0.55 and quoted, not stated.) Plain questions: refuse below a cross-encoder logit of 1.5 (every
# unanswerable demo question's best sentence scores at most 0.9, see calibrate_refusal.py);
# a short answer from 0.6: at 0.5 the near-miss set got 13 confident wrong answers in 163,
# at 0.6 11, at 0.7 8, but 0.7 also withholds right answers users expect ("Monday 31
# December 2018" for the Magnitogorsk collapse at 0.64, the boat "Conception" at 0.65);
# a name/number/date question whose best surviving candidate is below 0.2 is refused: there
# the near-miss set's unanswerable questions gather (64 of 78 refused) and no demo question
# is refused (at 0.3 one is). Multiple choice: the options are candidates and a quiz
# question presumes an answer, so only evidence with nothing on the question at all (logit
# below -1) is refused.
THRESHOLDS = {
    "plain": {"relevance_threshold": 1.5, "short_threshold": 0.6, "refuse_threshold": 0.2,
              "evidence_floor": EVIDENCE_FLOOR},
    "choices": {"relevance_threshold": -1.0, "short_threshold": 0.6, "refuse_threshold": 0.0,
                "evidence_floor": 0.0},
}
# Sets left out of the fit (and not collected) by default, so that ``byline eval`` measures
# the models on questions they never saw; ``--by-round`` gives the same for every round.
# The tenth to fourteenth rounds were read for checks after the shipped fit; they enter at
# the next refit. The fifteenth is the forecast: not read.
HELD_OUT = ("fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15")
# The rounds of near-miss questions, each written by readers who had seen no other round
# (their files: ``round_file``).
ROUNDS = ("nearmiss", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
          "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15")
# Weight of a demo or seed question against one of the rounds in the candidate ranker and
# its calibration. These are the answers a new user sees first (the chat's corpus, and the
# story Byline was specified from), and 36 questions among 1,200 otherwise count for
# little. Measured with --by-round over the third to seventh rounds (traps refused,
# confident wrong) and on the demo and seed sets as `byline eval` answers them (the
# shipped models, which learned from them):
#   demo 1, seed 1:   78.5%, 5.5%; two answerable demo questions refused, Lee Seong-kweun withheld (0.56)
#   demo 3, seed 3:   76.1%, 6.2%; no demo question refused, Lee withheld (0.56)
#   demo 3, seed 10:  75.4%, 6.3%; no demo question refused, Lee given (0.63)
#   demo 10, seed 10: 70.4%, 8.8%: most of what the rounds taught is given back.
# With the eighth and ninth rounds in the fit (third to ninth rounds, by round):
#   demo 3, seed 10:  73.9%, 6.9%; Lee 0.61 over the demo corpus but 0.59, withheld, over
#                     the tests' 41-article slice of it (the tests caught it)
#   demo 3, seed 20:  73.6%, 7.3%; Lee 0.67 and 0.65
#   demo 5, seed 10:  Lee 0.60 and 0.58 (one more demo short answer, Baghdad airport)
SET_WEIGHT = {"demo": 3.0, "seed": 20.0}
C = 1.0  # inverse L2 strength; features are on [0, 1] scales


def main() -> None:
    enable_offline_mode()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rtqa-index", type=Path, required=True)
    parser.add_argument("--demo-index", type=Path, default=REPO / ".byline" / "demo-index")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--rows", type=Path, help="Reuse (or save) the collected features here.")
    parser.add_argument("--sweep", action="store_true", help="Print the threshold sweep too.")
    parser.add_argument("--keep-ranker", action="store_true",
                        help="Keep the candidate ranker and its calibration of --out; fit the "
                             "question-level models only.")
    parser.add_argument("--leave-out", nargs="*", default=list(HELD_OUT), metavar="SET",
                        help="Fit without these question sets, to score them afterwards as "
                             f"unseen (default: {' '.join(HELD_OUT)}; none: --leave-out).")
    parser.add_argument("--only", choices=("plain", "choices"),
                        help="Fit this mode only; keep the other mode's models of --out.")
    parser.add_argument("--by-round", action="store_true",
                        help="Print each near-miss round's figures from plain models fitted "
                             "without it (and without the sets left out).")
    parser.add_argument("--reader", action="store_true",
                        help="Also run the LLM reader (BYLINE_LLM_*) on every question and fit "
                             "its model (about 5 s a question on two cores).")
    args = parser.parse_args()
    if args.rows and args.rows.is_file():
        plain, choices = json.loads(args.rows.read_text())
    else:
        plain, choices = collect_all(args, args.reader)
        if args.rows:
            args.rows.write_text(json.dumps([plain, choices]))
    plain = [r for r in plain if r["set"] not in args.leave_out]
    if args.sweep:
        sweep(plain)
    if args.by_round:
        by_round(plain)
    if (args.only or args.keep_ranker) and not args.out.is_file():
        sys.exit(f"{args.out} does not exist: --only and --keep-ranker keep models of it")
    existing = json.loads(args.out.read_text())["modes"] if args.out.is_file() else {}
    fitted = [mode for mode in ("plain", "choices") if args.only in (None, mode)]
    modes = {mode: fit(mode, rows, existing.get(mode) if args.keep_ranker else None) if mode in fitted
             else existing[mode] for mode, rows in (("plain", plain), ("choices", choices))}
    for mode, rows in (("plain", plain), ("choices", choices)):
        if mode not in fitted:  # kept whole, its reader model included
            continue
        if any(r.get("reader") for r in rows):
            modes[mode].update(fit_reader(mode, rows))
        else:  # keep the reader model of the file being replaced
            kept = existing.get(mode, {})
            modes[mode].update({k: kept[k] for k in ("reader", "reader_threshold", "reader_out_of_fold")
                                if k in kept})
    from datetime import date

    data = {
        "fitted": date.today().isoformat(),
        "how": "benchmarks/fit_confidence.py: logistic regression (scikit-learn, C=1), "
               "5-fold grouped out-of-fold figures below",
        "modes": modes,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def round_file(name: str) -> Path:
    """The question file of a near-miss round: ``nearmiss-questions.jsonl``, then
    ``fresh-``, ``fresh2-``, ... ``-nearmiss-questions.jsonl``."""
    return DEMO / ("nearmiss-questions.jsonl" if name == "nearmiss" else f"{name}-nearmiss-questions.jsonl")


def collect_all(args, reader: bool = False) -> tuple[list[dict], list[dict]]:
    """The features of every development question, asked alone and (rtqa-dev) with its
    options."""
    from assistant import open_assistant

    demo = open_assistant(data_dir=args.demo_index)
    if demo.index.is_empty():
        demo.ingest([DEMO / "articles"])
    rtqa = open_assistant(data_dir=args.rtqa_index)
    if rtqa.index.is_empty():
        sys.exit(f"{args.rtqa_index} is empty: ingest ../shared/data/rtqa-dev/articles.jsonl.gz first")
    sets = {"demo": DEMO / "questions.jsonl", "seed": DEMO / "seed-questions.jsonl",
            **{name: round_file(name) for name in ROUNDS}}
    # (a set left out is not collected either; --rows saves what was collected)
    plain = [row for name, path in sets.items() if name not in args.leave_out
             for row in collect(name, demo, path, False, reader)]
    choices = collect("rtqa", rtqa, RTQA, True, reader)
    return plain, choices


def collect(name: str, bot, path: Path, with_choices: bool, reader: bool = False) -> list[dict]:
    """Per question: its candidates' features and labels, and its question features."""
    from assistant.evidence import Evidence
    from eval.metrics import contains_answer
    from eval.questions import load_questions

    rows = []
    started = time.perf_counter()
    for q in load_questions(path).questions:
        query = bot.rewriter.rewrite(q.question, [])
        passages, sentences = bot.evidence(query, as_of=q.as_of, depth=10)
        choices = tuple(q.choices or ()) if with_choices else ()
        evidence = Evidence(query, sentences, passages, choices)
        model = bot.answerer.model(evidence)
        analysis = bot.answerer.analyze(evidence, model)
        answers = q.answers
        reading = None
        if reader:
            reading = bot.readers["reader"].read(evidence, analysis, bot.answerer, model,
                                      q.as_of.isoformat() if q.as_of else None)
        rows.append({
            "set": name, "id": q.id, "answerable": answers is not None, "has_choices": bool(choices),
            "top_relevance": max((s.relevance for s in sentences), default=-10.0),
            "latest": bool(sentences and sentences[0].latest_news),
            "clear_type": analysis.clear_type,
            "question": list(analysis.question_features.values),
            "contained": bool(answers) and any(
                contains_answer(s.text, answers) for s in analysis.pool[:3]),
            "candidates": [
                {"x": list(j.features.values),
                 "y": bool(answers) and bool(contains_answer(j.candidate.text, answers))}
                for j in analysis.judged if j.allowed
            ],
            "reader": None if reading is None else {
                "raw": reading.raw, "status": reading.status, "seconds": reading.seconds,
                "x": reading.features,
                "y": bool(answers) and bool(reading.judged) and bool(
                    contains_answer(reading.judged.candidate.text, answers)),
                "choice_right": q.answer_index is not None and reading.choice == q.answer_index,
            },
        })
    print(f"{name}{' (choices)' if with_choices else ''}: {len(rows)} questions in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows


def fit(mode: str, rows: list[dict], kept: dict | None = None) -> dict:
    """``kept``: the mode's entry of a fitted file whose candidate ranker (``short``) and
    its ``calibration`` are kept; only the question-level models are fitted then."""
    thresholds = THRESHOLDS[mode]
    models = _keep_ranker(kept, rows) if kept is not None else _fit_ranker(rows)
    for r in rows:
        r["kind"] = decide(r, thresholds)
        if r["kind"] == "short":
            r["confidence"] = r["sure"]
    # Quotes alone: are they the answer? Where that is below ``evidence_floor`` the reply
    # is a refusal, and the refusal model learns from those too.
    models["evidence"], evidence_p = _question_model(
        [r for r in rows if r["kind"] == "evidence"], lambda r: r["answerable"] and r["contained"])
    for r, p in evidence_p:
        r["evidence_p"] = p
        r["kind"] = decide(r, thresholds)
        if r["kind"] == "evidence":
            r["confidence"] = p
    models["refusal"], refusal_p = _question_model(
        [r for r in rows if r["kind"] == "refusal"], lambda r: not r["answerable"])
    for r, p in refusal_p:
        r["confidence"] = p
    report = {name: simulate([r for r in rows if r["set"] == name], thresholds)
              for name in dict.fromkeys(r["set"] for r in rows)}
    for name, figures in report.items():
        print(f"[{mode}] {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    ranked_on = sum(len(r["candidates"]) for r in rows)
    return {**models, **thresholds, "out_of_fold": report,
            "trained_on": sorted({r["set"] for r in rows}), "candidates": ranked_on}


def _fit_ranker(rows: list[dict]) -> dict:
    """Fit the candidate ranker and its calibration, and record each row's winner with its
    out-of-fold probability."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from assistant.answering.checks import FEATURES

    X = np.array([c["x"] for r in rows for c in r["candidates"]])
    y = np.array([c["y"] for r in rows for c in r["candidates"]], dtype=int)
    weight = np.array([SET_WEIGHT.get(r["set"], 1.0) for r in rows for _ in r["candidates"]])
    groups = np.array([i for i, r in enumerate(rows) for _ in r["candidates"]])
    oof = np.zeros(len(y))
    for train, test in GroupKFold(5).split(X, y, groups):
        oof[test] = LogisticRegression(C=C, max_iter=5000).fit(
            X[train], y[train], sample_weight=weight[train]).predict_proba(X[test])[:, 1]
    short = LogisticRegression(C=C, max_iter=5000).fit(X, y, sample_weight=weight)
    at = 0
    for row in rows:
        n = len(row["candidates"])
        _record_best(row, oof[at : at + n])
        at += n
    # Platt scaling of each question's winning candidate: the ranker is fitted on every
    # candidate, the shown answer is the best of several, so its raw score runs high or low.
    logit = lambda p: np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    ranked = [r for r in rows if r["candidates"]]
    scores = logit(np.array([[r["best_p"]] for r in ranked]))
    right = np.array([r["best_right"] for r in ranked], dtype=int)
    platt = LogisticRegression(C=C, max_iter=5000).fit(
        scores, right, sample_weight=np.array([SET_WEIGHT.get(r["set"], 1.0) for r in ranked]))
    for r in rows:
        r["sure"] = 0.0
    for r, p in zip(ranked, _out_of_fold(scores, right)):
        r["sure"] = float(p)
    return {"short": _logistic(short, FEATURES),
            "calibration": [round(float(platt.coef_[0][0]), 5), round(float(platt.intercept_[0]), 5)]}


def _keep_ranker(kept: dict, rows: list[dict]) -> dict:
    """Each row's winner and its calibrated probability by a kept ranker, which is returned."""
    from assistant.answering.confidence import ConfidenceModel

    model = ConfidenceModel.from_dict(kept)
    for row in rows:
        _record_best(row, [model.short.probability(c["x"]) for c in row["candidates"]])
        row["sure"] = model.short_probability(row["best_p"]) if row["candidates"] else 0.0
    return {"short": kept["short"], "calibration": kept["calibration"]}


def _record_best(row: dict, probabilities) -> None:
    """A row's winning candidate among ``probabilities`` (one per candidate): its score,
    whether it is right, and the score as the first question feature."""
    best = max(range(len(probabilities)), key=probabilities.__getitem__, default=None)
    row["best_p"] = float(probabilities[best]) if best is not None else 0.0
    row["best_right"] = bool(row["candidates"][best]["y"]) if best is not None else False
    row["question"][0] = row["best_p"]


def _question_model(chosen: list[dict], label) -> tuple[dict, list[tuple[dict, float]]]:
    """A logistic model of question features for the rows ``chosen``, and each row's
    out-of-fold probability."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from assistant.answering.checks import QUESTION_FEATURES

    Q = np.array([r["question"] for r in chosen]) if chosen else np.zeros((0, len(QUESTION_FEATURES)))
    target = np.array([label(r) for r in chosen], dtype=int)
    if len(set(target.tolist())) < 2:  # one class only: a constant, Laplace-smoothed rate
        rate = (target.sum() + 1) / (len(target) + 2)
        model = {"features": list(QUESTION_FEATURES), "weights": [0.0] * len(QUESTION_FEATURES),
                 "intercept": round(float(np.log(rate / (1 - rate))), 5)}
        return model, [(r, float(rate)) for r in chosen]
    model = _logistic(LogisticRegression(C=C, max_iter=5000).fit(Q, target), QUESTION_FEATURES)
    return model, list(zip(chosen, (float(p) for p in _out_of_fold(Q, target))))


def sweep(rows: list[dict]) -> None:
    """Out-of-fold figures of the plain mode for a grid of thresholds."""
    import contextlib
    import io

    chosen = dict(THRESHOLDS["plain"])
    for short in (0.5, 0.6, 0.7):
        for refuse in (0.1, 0.2, 0.3):
            THRESHOLDS["plain"] = {**chosen, "short_threshold": short, "refuse_threshold": refuse}
            with contextlib.redirect_stdout(io.StringIO()):
                report = fit("plain", [dict(r) for r in rows])["out_of_fold"]
            print(f"short >= {short}, refuse < {refuse}: " + "; ".join(
                f"{name} refused {f['unanswerable_refused']}/{f['unanswerable']}, false refusals "
                f"{f['false_refusals']}, short {f['short_answers']} ({f['short_right']} right), "
                f"confident wrong {f['confident_wrong']}, ECE {f['ece']}" for name, f in report.items()))
    THRESHOLDS["plain"] = chosen


# The reader's answer replaces the extractive decision from this probability. Plain
# questions: 0.8, where the near-miss set's confident wrong answers in reader mode come
# down to the extractive mode's (11 of 163 out of fold; 15 at 0.5). Multiple choice: 0.5,
# more likely right than wrong (rtqa-dev's reader answers are 88% right there).
READER_THRESHOLDS = {"plain": 0.8, "choices": 0.5}


def fit_reader(mode: str, rows: list[dict]) -> dict:
    """The reader mode's model: is the reader's checked answer right? Fitted on the
    questions where the reader's answer was found in the evidence and passed the checks;
    the figures simulate reader mode (the reader's answer when sure enough, else the
    extractive decision) with out-of-fold probabilities."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from assistant.answering.reader import READER_FEATURES

    read = [r for r in rows if r.get("reader") and r["reader"]["x"]]
    X = np.array([[r["reader"]["x"][name] for name in READER_FEATURES] for r in read])
    y = np.array([r["reader"]["y"] for r in read], dtype=int)
    model = _logistic(LogisticRegression(C=C, max_iter=5000).fit(X, y), READER_FEATURES)
    for r, p in zip(read, _out_of_fold(X, y)):
        r["reader_p"] = float(p)
    report = {}
    for name in dict.fromkeys(r["set"] for r in rows):
        chosen = [r for r in rows if r["set"] == name]
        counts = {"questions": len(chosen), "reader_answers": 0, "reader_right": 0,
                  "short_answers": 0, "short_right": 0, "confident_wrong": 0,
                  "unanswerable_refused": 0, "unanswerable": 0, "false_refusals": 0,
                  "reader_unknown": 0, "reader_not_in_evidence": 0, "reader_vetoed": 0,
                  "mc_right": 0, "mc_questions": 0, "reader_seconds_p50": 0.0}
        seconds = []
        for r in chosen:
            reading = r.get("reader") or {}
            status = reading.get("status", "")
            seconds.append(reading.get("seconds", 0.0))
            counts["reader_unknown"] += status == "unknown"
            counts["reader_not_in_evidence"] += status == "not in evidence"
            counts["reader_vetoed"] += status.startswith("vetoed")
            if r.get("reader_p", 0.0) >= READER_THRESHOLDS[mode]:
                kind, right, confidence = "short", bool(reading["y"]), r["reader_p"]
                counts["reader_answers"] += 1
                counts["reader_right"] += int(right)
            else:
                kind = r["kind"]
                right = {"refusal": not r["answerable"], "short": r["answerable"] and r["best_right"],
                         "evidence": r["answerable"] and r["contained"]}[kind]
                confidence = r["confidence"]
            if kind == "short":
                counts["short_answers"] += 1
                counts["short_right"] += int(right)
                counts["confident_wrong"] += int((not right) and confidence >= 0.5)
            if not r["answerable"]:
                counts["unanswerable"] += 1
                counts["unanswerable_refused"] += int(kind == "refusal")
            else:
                counts["false_refusals"] += int(kind == "refusal")
            if "choice_right" in reading and r.get("has_choices"):
                counts["mc_questions"] += 1
                counts["mc_right"] += int(reading["choice_right"])
        counts["reader_seconds_p50"] = round(float(np.median(seconds)), 2) if seconds else 0.0
        report[name] = counts
        print(f"[{mode} reader] {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return {"reader": model, "reader_threshold": READER_THRESHOLDS[mode], "reader_out_of_fold": report}


def by_round(rows: list[dict]) -> None:
    """Each near-miss round scored by plain models fitted on every other set: what a round
    nobody has read yet should show."""
    import contextlib
    import io

    from assistant.answering.confidence import ConfidenceModel

    t = THRESHOLDS["plain"]
    for name in ROUNDS:
        held = [dict(r, question=list(r["question"])) for r in rows if r["set"] == name]
        if not held:
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            fitted = fit("plain", [dict(r, question=list(r["question"])) for r in rows if r["set"] != name])
        model = ConfidenceModel.from_dict(fitted)
        _keep_ranker(fitted, held)  # each held row's winner and its probability
        for r in held:
            r["kind"] = decide(r, t)
            if r["kind"] == "evidence":
                r["evidence_p"] = model.evidence.probability(r["question"])
                r["kind"] = decide(r, t)
            r["confidence"] = {"short": r["sure"], "evidence": r.get("evidence_p", 0.0),
                               "refusal": model.refusal.probability(r["question"])}[r["kind"]]
        figures = simulate(held, t)
        print(f"[unseen] {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


def decide(r: dict, t: dict) -> str:
    """The answerer's decision (see ExtractiveAnswerer.stream) from a question's figures."""
    if r["top_relevance"] < t["relevance_threshold"] and not r["latest"]:
        return "refusal"
    if r["sure"] >= t["short_threshold"]:
        return "short"
    if r["clear_type"] and r["sure"] < t["refuse_threshold"]:
        return "refusal"
    if r.get("evidence_p", 1.0) < t["evidence_floor"]:
        return "refusal"
    return "evidence"


def _out_of_fold(X, y, folds: int = 5):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    predicted = np.zeros(len(y))
    folds = min(folds, int(min(np.bincount(y, minlength=2))))
    if folds < 2:
        return np.full(len(y), (y.sum() + 1) / (len(y) + 2))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(X, y):
        predicted[test] = LogisticRegression(C=C, max_iter=5000).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
    return predicted


def simulate(rows: list[dict], t: dict) -> dict:
    """What the decisions and their out-of-fold confidences score on one question set."""
    from eval.metrics import expected_calibration_error

    counts = {"questions": len(rows), "unanswerable_refused": 0, "unanswerable": 0,
              "false_refusals": 0, "short_answers": 0, "short_right": 0, "confident_wrong": 0}
    pairs = []
    for r in rows:
        kind, confidence = r["kind"], r["confidence"]
        right = {"refusal": not r["answerable"], "short": r["answerable"] and r["best_right"],
                 "evidence": r["answerable"] and r["contained"]}[kind]
        pairs.append((confidence, right))
        if not r["answerable"]:
            counts["unanswerable"] += 1
            counts["unanswerable_refused"] += int(kind == "refusal")
        else:
            counts["false_refusals"] += int(kind == "refusal")
        if kind == "short":
            counts["short_answers"] += 1
            counts["short_right"] += int(right)
            counts["confident_wrong"] += int((not right) and confidence >= 0.5)
    counts["ece"] = round(expected_calibration_error([c for c, _ in pairs], [r for _, r in pairs]), 3)
    return counts


def _logistic(clf, names) -> dict:
    return {"features": list(names), "weights": [round(float(w), 5) for w in clf.coef_[0]],
            "intercept": round(float(clf.intercept_[0]), 5)}


if __name__ == "__main__":
    main()
