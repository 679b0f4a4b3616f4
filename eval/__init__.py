"""Batch evaluation of Byline: run a question set through the same ``Assistant`` the chat
uses, score retrieval, answers, citations and refusals, and write a report.

    from eval import evaluate

    run = evaluate("data/demo/questions.jsonl", data_dir="/tmp/demo-index", out="/tmp/eval")
    run.metric("exact_match"), run.metric("recall@5", group="recent")

Importing this package is cheap (stdlib only); models load when ``evaluate`` runs.
"""

from eval.questions import LineProblem, Question, QuestionSet, load_questions
from eval.run import EvalRun
from eval.runner import evaluate, load_summary
from eval.scoring import METRICS

__all__ = [
    "METRICS",
    "EvalRun",
    "LineProblem",
    "Question",
    "QuestionSet",
    "evaluate",
    "load_questions",
    "load_summary",
]
