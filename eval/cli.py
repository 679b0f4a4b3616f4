"""``byline eval``: run a question set through Byline, score it, write a report.

Kept light to import (typer and stdlib only): ``byline --help`` loads this module, and
the models, matplotlib and rich load only when an evaluation runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.limits import MAX_ASK_K


def eval_command(
    questions: Annotated[Path, typer.Argument(help="Question set (JSONL or CSV), or attribution "
                                              "labels (JSONL, see eval/attribution.py).")],
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", help="Index to evaluate (default: BYLINE_DATA_DIR or the user data "
        "dir).")] = None,
    corpus: Annotated[Optional[list[Path]], typer.Option(
        "--corpus", help="Articles to index first, into OUT/index (repeatable).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Output folder (default: eval-runs/QUESTIONS-TIMESTAMP).")] = None,
    limit: Annotated[Optional[int], typer.Option(
        "--limit", min=1, help="Only the first N questions.")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Threads asking at once (model work runs one at a time).")] = 1,
    k: Annotated[int, typer.Option(
        "-k", min=1, max=MAX_ASK_K, help="Passages retrieved per question (recall@k curve).")] = 10,
    compare: Annotated[Optional[Path], typer.Option(
        "--compare", help="An earlier run's folder, to report the changes.")] = None,
    fail_under: Annotated[Optional[list[str]], typer.Option(
        "--fail-under", help="METRIC=VALUE (a fraction, e.g. recall@5=0.8); exit 1 if the "
        "metric is below it. Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    answerer: Annotated[Optional[str], typer.Option(
        "--answerer", help="extractive, reader or llm (pip install 'byline\\[llm]'). reader: a "
        "language model reads the evidence for the short answer; llm: it writes the answer, "
        "each sentence checked. Default: BYLINE_ANSWERER.")] = None,
    baseline: Annotated[Optional[str], typer.Option(
        "--baseline", help="Also run this answerer (e.g. extractive) on the same questions and "
        "index, and set the two side by side in the report (instead of --compare).")] = None,
) -> None:
    """Run a question set through Byline and score retrieval, answers, citations and
    refusals; write results.jsonl, summary.json and report.html to OUT."""
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    thresholds = _thresholds(fail_under or [])
    if not questions.is_file():
        raise typer.BadParameter(f"no question file at {questions}", param_hint="QUESTIONS")
    if corpus and data_dir is not None:
        raise typer.BadParameter("--corpus builds a fresh index in OUT/index; drop --data-dir")
    if compare is not None:  # read it now: a bad one should not fail after the long run
        from eval.runner import load_summary

        try:
            load_summary(compare)
        except (OSError, ValueError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--compare") from None
    out = out or Path("eval-runs") / f"{questions.stem}-{datetime.now():%Y%m%d-%H%M%S}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write to {out}: {exc.strerror}", param_hint="--out") from None
    for name, value in (("--answerer", answerer), ("--baseline", baseline)):
        if value not in (None, "extractive", "reader", "llm"):
            raise typer.BadParameter(f"{value!r}: expected extractive, reader or llm", param_hint=name)
    if baseline is not None and compare is not None:
        raise typer.BadParameter("give --baseline or --compare, not both", param_hint="--baseline")
    from eval.attribution import is_label_file

    if is_label_file(questions):
        run = _run_labels(questions, data_dir, corpus or [], out)
    else:
        run = _run(questions, data_dir, corpus or [], out, limit, workers, k, compare, quiet,
                   answerer, baseline)
    failed = run.below(thresholds)
    for line in failed:
        typer.echo(f"below threshold: {line}", err=True)
    if failed:
        raise SystemExit(1)


def _run(questions, data_dir, corpus, out, limit, workers, k, compare, quiet, answerer=None,
         baseline=None):
    from eval.console import print_summary, progress_bar
    from eval.questions import load_questions
    from eval.runner import evaluate

    qset = load_questions(questions)
    for problem in qset.problems:  # one line each, so they can be grepped
        typer.echo(f"skipped {problem}", err=True)
    if not qset.questions:
        raise typer.BadParameter(f"{questions} holds no readable question", param_hint="QUESTIONS")
    total = min(limit or len(qset.questions), len(qset.questions))
    assistant, ingest = _open(data_dir, corpus, out, quiet)
    with progress_bar(total, enabled=not quiet) as progress:
        run = evaluate(qset, assistant, out=out, k=k, workers=workers, limit=limit,
                       previous=compare, progress=progress, answerer=answerer, baseline=baseline,
                       run_info={"corpus": [str(p) for p in corpus], "ingest": ingest})
    print_summary(run)
    return run


def _open(data_dir, corpus, out, quiet=False):
    """The assistant to evaluate: the index at ``data_dir``, or ``corpus`` indexed into
    OUT/index first; and the ingest report's dict then."""
    from assistant.cli_output import ingest_progress
    from assistant.settings import load_settings
    from eval.console import errors
    from eval.runner import prepare_assistant

    settings = load_settings(data_dir=data_dir)
    if corpus:
        errors.print(f"indexing {', '.join(map(str, corpus))} into {out / 'index'} ...")
    with ingest_progress(enabled=bool(corpus) and not quiet) as on_ingest:
        assistant, ingest = prepare_assistant(
            None, None if corpus else settings.data_path, corpus, out, settings, on_ingest)
    if ingest:
        errors.print(ingest["summary"])
    return assistant, ingest


def _run_labels(labels, data_dir, corpus, out):
    """Attributed statements found against hand labels (``eval.attribution``), over the
    labelled articles as the index holds them."""
    from assistant.errors import NotFound
    from eval.attribution import evaluate_labels
    from eval.console import print_attribution

    assistant, _ = _open(data_dir, corpus, out)

    def body(article_id: str) -> str | None:
        try:
            return assistant.article(article_id).body
        except NotFound:
            return None

    run = evaluate_labels(labels, body, out)
    for problem in run.summary["problems"]:
        typer.echo(f"skipped {problem}", err=True)
    if not run.rows:
        raise typer.BadParameter("none of the labelled articles is in the index", param_hint="QUESTIONS")
    print_attribution(run)
    return run


def _thresholds(values: list[str]) -> dict[str, float]:
    """``["recall@5=0.8", ...]`` -> ``{"recall@5": 0.8}``; unknown metrics are refused
    up front, before a long run."""
    from eval.attribution import METRICS as ATTRIBUTION
    from eval.scoring import METRICS as QUESTIONS

    METRICS = (*QUESTIONS, *ATTRIBUTION)
    thresholds = {}
    for value in values:
        name, sep, number = value.partition("=")
        name = name.strip()
        if not sep or name not in METRICS:
            raise typer.BadParameter(
                f"{value!r}: expected METRIC=VALUE with METRIC one of {', '.join(METRICS)}",
                param_hint="--fail-under")
        try:
            thresholds[name] = float(number)
        except ValueError:
            raise typer.BadParameter(f"{value!r}: {number!r} is not a number",
                                     param_hint="--fail-under") from None
    return thresholds
