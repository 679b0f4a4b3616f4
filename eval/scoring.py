"""Turns one question and Byline's answer into a result row, and rows into a summary.

A row is plain JSON (it is written to results.jsonl as it is): what was asked, what came
back, and ``scores`` (metric -> value in [0, 1], or ``None`` where the metric does not
apply to this question). The summary averages each metric over the rows where it
applies, overall, per question type and per subset, with a bootstrap 95% interval.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import eval.metrics as m
from eval.questions import Question

# name -> (what it measures, higher is better). The order is the report's order.
METRICS: dict[str, tuple[str, bool]] = {
    "exact_match": ("short answer equals an accepted answer (SQuAD-normalised)", True),
    "short_answered": ("a short answer was given (answerable questions): coverage", True),
    "short_precision": ("the short answer contains an accepted answer (where one was given)", True),
    "confident_wrong": ("a wrong short answer shown with confidence 0.5 or more (any question)", False),
    "f1": ("token F1 of the short answer against the best accepted answer", True),
    "contained": ("an accepted answer occurs in the reply text", True),
    "mc_accuracy": ("the chosen option is the right one (multiple choice)", True),
    "recall@1": ("a gold article is the first retrieved article", True),
    "recall@5": ("a gold article is among the first 5 retrieved articles", True),
    "recall@10": ("a gold article is among the first 10 retrieved articles", True),
    "mrr": ("1 / rank of the first gold article (0 if not retrieved)", True),
    "answer_recall@1": ("the first passage contains an accepted answer", True),
    "answer_recall@5": ("one of the first 5 passages contains an accepted answer", True),
    "answer_recall@10": ("one of the first 10 passages contains an accepted answer", True),
    "citation_precision": ("share of cited passages holding the answer or gold evidence", True),
    "citation_recall": ("a cited passage holds the gold evidence sentence", True),
    "correct_refusal": ("refused a question the corpus cannot answer", True),
    "false_claim": ("a question the corpus cannot answer got a reply stating its tempting "
                    "wrong answer (near-miss sets: the trap in the reply)", False),
    "verified_sentences": ("share of the generated sentences supported by the sources they "
                           "cite (--answerer llm)", True),
    "false_refusal": ("refused a question the corpus can answer", False),
    "reply_correct": ("the reply is right: its short answer, else its quotes hold an accepted "
                      "answer, or it refused a question the corpus cannot answer", True),
}
CONFIDENT = 0.5  # "likely" or "confident" in the chat's words
RECALL_CUTOFFS = (1, 5, 10)
STAGES = ("total", "rewrite", "embed", "dense", "keyword", "retrieve", "rerank", "answer", "reader",
          "llm")
_MARKER = re.compile(r"\s*\[\d+\]")


def prediction(answer) -> str:
    """The string scored by EM/F1: the short answer, or the reply without its [n] markers
    when no short answer fits the question; empty after a refusal."""
    if answer.abstained:
        return ""
    return answer.short_answer or _MARKER.sub("", answer.text).strip()


def first_rank(items: Sequence[str], hit) -> int | None:
    """1-based rank of the first item for which ``hit`` is true."""
    return next((rank for rank, item in enumerate(items, start=1) if hit(item)), None)


def score_row(q: Question, answer, k: int = max(RECALL_CUTOFFS)) -> dict[str, Any]:
    """The result row for one answered question (``answer`` is an ``assistant.Answer``,
    asked for ``k`` passages: recall at cutoffs beyond ``k`` is not measured)."""
    articles = m.unique_in_order(p.article_id for p in answer.passages)
    passages = [p.text for p in answer.passages]
    cited = [c.passage.text for c in answer.citations]
    gold = set(q.article_ids)
    ranks = {
        "article": first_rank(articles, gold.__contains__) if gold else None,
        "answer": first_rank(passages, lambda t: m.contains_answer(t, q.answers))
        if q.answerable else None,
    }
    return {
        "id": q.id, "question": q.question, "type": q.type, "as_of": _iso(q.as_of),
        "answers": list(q.answers) if q.answers is not None else None,
        "gold_article_ids": list(q.article_ids),
        "recent": bool(q.recent_article_ids),
        "evidence": q.evidence,
        "choices": list(q.choices) if q.choices else None,
        "answer_index": q.answer_index,
        "query": answer.query,
        "text": answer.text,
        "short_answer": answer.short_answer,
        "abstained": answer.abstained,
        "confidence": answer.confidence,
        "choice": answer.choice,
        "reader": answer.reader,
        "citations": [_citation(c) for c in answer.citations],
        "retrieved_article_ids": articles,
        "passages": [_passage(p) for p in answer.passages],
        "ranks": ranks,
        "scores": _scores(q, answer, articles, passages, cited, k),
        "timings": dict(answer.timings),
        "error": None,
    }


def _scores(
    q: Question, answer, articles: list[str], passages: list[str], cited: list[str], depth: int
) -> dict[str, float | None]:
    scores: dict[str, float | None] = dict.fromkeys(METRICS)
    cutoffs = [k for k in RECALL_CUTOFFS if k <= depth]
    short_right = bool(answer.short_answer) and q.answerable and bool(
        m.contains_answer(answer.short_answer, q.answers))
    if answer.short_answer and not answer.abstained:
        scores["confident_wrong"] = float(not short_right and answer.confidence >= CONFIDENT)
    else:
        scores["confident_wrong"] = 0.0
    scores["reply_correct"] = float(reply_correct(q, answer))
    if q.answerable:
        scores["short_answered"] = float(bool(answer.short_answer) and not answer.abstained)
        if scores["short_answered"]:
            scores["short_precision"] = float(short_right)
        pred = prediction(answer)
        scores["exact_match"] = m.exact_match(pred, q.answers)
        scores["f1"] = m.token_f1(pred, q.answers)
        scores["contained"] = 0.0 if answer.abstained else m.contains_answer(
            f"{answer.short_answer or ''} {answer.text}", q.answers)
        for k in cutoffs:
            scores[f"answer_recall@{k}"] = m.answer_recall_at_k(passages, q.answers, k)
        scores["citation_precision"] = m.citation_precision(cited, q.answers, q.evidence)
        scores["citation_recall"] = m.citation_recall(cited, q.evidence)
        scores["false_refusal"] = float(answer.abstained)
    else:
        scores["correct_refusal"] = float(answer.abstained)
    generated = (answer.reader or {}).get("sentences") if (answer.reader or {}).get("mode") == "llm" else None
    if not q.answerable and q.trap:
        # What the reply asserts: its short answer, and a generated answer's sentences
        # (quoted evidence is not a claim: it is the article's words, credited).
        said = f"{answer.short_answer or ''} {' '.join(s['text'] for s in generated or () if s.get('shown'))}"
        scores["false_claim"] = float(not answer.abstained and bool(m.contains_answer(said, [q.trap])))
    if generated:
        scores["verified_sentences"] = sum(1 for s in generated if s["verified"]) / len(generated)
    if q.article_ids:
        for k in cutoffs:
            scores[f"recall@{k}"] = m.recall_at_k(articles, q.article_ids, k)
        scores["mrr"] = m.reciprocal_rank(articles, q.article_ids)
    if q.choices and q.answer_index is not None:
        scores["mc_accuracy"] = float(answer.choice == q.answer_index)
    return scores


def reply_correct(q: Question, answer) -> bool:
    """What ``Answer.confidence`` is the probability of: a refusal is right when the corpus
    cannot answer; a short answer when it contains an accepted answer; quotes without one
    when they do."""
    if answer.abstained:
        return not q.answerable
    if not q.answerable:
        return False
    if answer.short_answer:
        return bool(m.contains_answer(answer.short_answer, q.answers))
    return bool(m.contains_answer(" ".join(c.quote for c in answer.citations), q.answers))


def calibration(rows: Sequence[dict], bins: int = 10) -> dict[str, Any] | None:
    """Expected calibration error of the replies' confidence, and the reliability table."""
    pairs = [(r["confidence"], bool(r["scores"]["reply_correct"])) for r in rows
             if r.get("error") is None and r["scores"].get("reply_correct") is not None]
    if not pairs:
        return None
    confidences, correct = [c for c, _ in pairs], [ok for _, ok in pairs]
    chance = m.chance_ece(confidences, bins)
    return {"ece": _round(m.expected_calibration_error(confidences, correct, bins)),
            "n": len(pairs), "bins": m.calibration_bins(confidences, correct, bins),
            "chance": {k: _round(v) for k, v in chance.items()}}


def _round(value: float) -> float:
    return round(value, 4)  # summary.json stays readable; 0.01 points is below any CI


def error_row(q: Question, message: str) -> dict[str, Any]:
    """A question the assistant rejected (e.g. too long): reported, left out of the scores."""
    return {"id": q.id, "question": q.question, "type": q.type,
            "recent": bool(q.recent_article_ids),
            "answers": list(q.answers) if q.answers is not None else None,
            "scores": {}, "timings": {}, "ranks": {}, "error": message}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _citation(c) -> dict[str, Any]:
    return {"number": c.number, "article_id": c.passage.article_id, "title": c.passage.title,
            "quote": c.quote, "passage": c.passage.text}


def _passage(p) -> dict[str, Any]:
    return {"rank": p.rank, "article_id": p.article_id, "title": p.title, "source": p.source,
            "published_at": p.published_at, "score": round(p.score, 4), "text": p.text}


# -- aggregation -----------------------------------------------------------------------
def aggregate(rows: Sequence[dict], *, resamples: int = 1000) -> dict[str, dict]:
    """metric -> {value, low, high, n} over the rows where the metric applies."""
    out = {}
    for name in METRICS:
        values = [r["scores"][name] for r in rows if r["scores"].get(name) is not None]
        if not values:
            continue
        ci = m.bootstrap_ci(values, resamples=resamples)
        out[name] = {"value": _round(m.mean(values)), "low": _round(ci[0]),
                     "high": _round(ci[1]), "n": len(values)}
    return out


def latency(rows: Sequence[dict]) -> dict[str, dict]:
    """stage -> {p50, p95, mean} seconds, over the questions that timed the stage."""
    out = {}
    for stage in STAGES:
        values = [r["timings"][stage] for r in rows if stage in r.get("timings", {})]
        if values:
            out[stage] = {"p50": _round(m.percentile(values, 50)),
                          "p95": _round(m.percentile(values, 95)),
                          "mean": _round(m.mean(values)), "n": len(values)}
    return out


def recall_curve(rows: Sequence[dict], kind: str, k: int) -> list[float] | None:
    """[recall@1, ..., recall@k] from each row's first-hit rank (``kind``: article/answer)."""
    ranks = [r["ranks"].get(kind) for r in rows
             if r.get("error") is None and _applies(r, kind)]
    if not ranks:
        return None
    return [_round(sum(1 for x in ranks if x is not None and x <= j) / len(ranks))
            for j in range(1, k + 1)]


def _applies(row: dict, kind: str) -> bool:
    if kind == "article":
        return bool(row.get("gold_article_ids"))
    return row.get("answers") is not None


def summarize(rows: Sequence[dict], *, k: int, resamples: int = 1000) -> dict[str, Any]:
    """Every metric overall, per question type and per subset, plus latency and curves."""
    scored = [r for r in rows if r.get("error") is None]
    types = sorted({r["type"] for r in scored})
    subsets = {"answerable": [r for r in scored if r["answers"] is not None],
               "unanswerable": [r for r in scored if r["answers"] is None],
               "recent": [r for r in scored if r.get("recent")]}
    return {
        "questions": len(rows),
        "scored": len(scored),
        "errors": len(rows) - len(scored),
        "overall": aggregate(scored, resamples=resamples),
        "by_type": {t: _group([r for r in scored if r["type"] == t], resamples) for t in types},
        "subsets": {name: _group(g, resamples) for name, g in subsets.items() if g},
        "latency": latency(scored),
        "calibration": calibration(scored),
        "recall_curve": {"article": recall_curve(scored, "article", k),
                         "answer": recall_curve(scored, "answer", k)},
        "failures": dict(Counter(d for r in rows if (d := diagnose(r))).most_common()),
    }


def _group(rows: Sequence[dict], resamples: int) -> dict[str, Any]:
    return {"n": len(rows), "metrics": aggregate(rows, resamples=resamples)}


def compare(summary: dict, earlier: dict, *, label: str = "") -> dict[str, Any]:
    """metric -> {before, after, delta} for the overall metrics both runs measured, plus
    latency p50/p95 of the whole ask."""
    now, then = summary["overall"], earlier.get("overall", {})
    metrics = {name: {"before": then[name]["value"], "after": now[name]["value"],
                      "delta": now[name]["value"] - then[name]["value"]}
               for name in METRICS if name in now and name in then}
    total_now = summary.get("latency", {}).get("total", {})
    total_then = earlier.get("latency", {}).get("total", {})
    timing = {f"latency_{q}": {"before": total_then[q], "after": total_now[q],
                               "delta": total_now[q] - total_then[q]}
              for q in ("p50", "p95") if q in total_now and q in total_then}
    return {"previous": label, "previous_started": earlier.get("run", {}).get("started"),
            "previous_questions": earlier.get("questions"), "questions": summary["questions"],
            "metrics": metrics, "latency": timing}


def diagnose(row: dict) -> str | None:
    """Why a question failed, in the words a person fixing it needs; ``None`` if it passed.

    An answerable question passes when its short answer holds an accepted answer (or,
    where no short answer fits, the reply does) and, with choices, the right option was
    picked; an unanswerable one passes when Byline refused."""
    if row.get("error"):
        return "rejected by the assistant"
    if row["answers"] is None:
        return None if row["abstained"] else "answered a question the corpus cannot answer"
    scores, found = row["scores"], row["ranks"].get("answer")
    if row["abstained"]:
        return "refused although a passage holds the answer" if found \
            else "refused; no retrieved passage holds the answer"
    short = row.get("short_answer")
    right = m.contains_answer(short, row["answers"]) if short else scores.get("contained")
    if right and scores.get("mc_accuracy") != 0.0:
        return None
    if right:
        return "answer right, wrong multiple-choice option"
    if found is None:
        return "retrieval miss: no retrieved passage holds the answer"
    return f"extraction miss: passage {found} holds the answer"
