"""Writes an evaluation's output folder: results.jsonl, summary.json and report.html.

The HTML report is one self-contained file (inline CSS, charts as base64 PNG), rendered
with jinja2 from ``eval/templates/report.html``, so it can be mailed or attached to CI.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import TYPE_CHECKING

import eval.plots as plots
from eval.scoring import METRICS, diagnose

if TYPE_CHECKING:
    from eval.run import EvalRun

WORST = 15  # failures shown in full: enough to see patterns, short enough to read
PASSAGES_SHOWN = 5
HEADLINE = ("exact_match", "f1", "contained", "short_answered", "short_precision",
            "mc_accuracy", "recall@5", "mrr", "answer_recall@5", "citation_precision",
            "correct_refusal", "false_refusal", "confident_wrong")


def write_outputs(run: "EvalRun", earlier: dict | None = None) -> None:
    out = run.out
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for row in run.rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    (out / "summary.json").write_text(
        json.dumps(run.summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    (out / "report.html").write_text(render_html(run, earlier), encoding="utf-8")


def render_html(run: "EvalRun", earlier: dict | None = None) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["pct"] = _pct
    env.filters["secs"] = lambda v: "–" if v is None else f"{v:.2f} s"
    env.filters["highlight"] = highlight
    template = env.from_string(
        resources.files("eval").joinpath("templates/report.html").read_text(encoding="utf-8")
    )
    summary = run.summary
    return template.render(
        run=summary["run"], summary=summary, metrics=METRICS,
        headline=[n for n in HEADLINE if n in summary["overall"]],
        columns=[n for n in METRICS if n in summary["overall"]],
        charts={
            "score_by_type": plots.score_by_type(summary),
            "latency": plots.latency(run.rows, summary),
            "recall_curve": plots.recall_curve(summary),
            "reliability": plots.reliability(summary),
            "comparison": plots.comparison(summary["compare"]) if earlier else None,
        },
        compare=summary.get("compare"),
        failures=worst_failures(run.rows),
        errors=[r for r in run.rows if r.get("error")],
        problems=[str(p) for p in run.problems],
        passages_shown=PASSAGES_SHOWN,
    )


def worst_failures(rows: list[dict], limit: int = WORST) -> list[dict]:
    """Failed questions, worst first: retrieval misses, then refusals and extraction
    misses ordered by how little of the answer came through (token F1)."""
    failed = [dict(r, why=why) for r in rows if r.get("error") is None and (why := diagnose(r))]

    def badness(row: dict) -> tuple:
        scores = row["scores"]
        return (row["ranks"].get("answer") is not None, scores.get("f1") or 0.0,
                -(row["ranks"].get("answer") or 0))

    return sorted(failed, key=badness)[:limit]


def highlight(text: str, answers: list[str] | None):
    """``text`` escaped for HTML, with each occurrence of an accepted answer in <mark>."""
    from markupsafe import Markup, escape

    aliases = sorted({a for a in answers or () if a.strip()}, key=len, reverse=True)
    if not aliases:
        return escape(text)
    # Thousands separators and whitespace may differ between answer and passage.
    patterns = [_alias_pattern(a) for a in aliases]
    pattern = re.compile(r"(?<!\w)(" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last:match.start()]), Markup("<mark>"), escape(match.group(0)),
                   Markup("</mark>")]
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def _alias_pattern(alias: str) -> str:
    """A regex for ``alias`` in running text: any whitespace between words, and an optional
    thousands comma between digits ("2700" finds "2,700")."""
    words = r"\s+".join(map(re.escape, alias.replace(",", "").split()))
    return re.sub(r"(\d)(?=\d)", r"\1,?", words)


def _pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}"
