"""Runs a question set through the same ``Assistant`` the chat uses, and scores it.

No retrieval or answering happens here: each question goes to ``Assistant.ask_stream``
(its final ``Answer``) with the question's reference date and choices, and the answer is
scored by :mod:`eval.scoring`.

Example::

    from eval import evaluate

    run = evaluate("data/demo/questions.jsonl", data_dir="/tmp/demo-index", out="/tmp/eval")
    print(run.metric("exact_match"), run.summary["latency"]["total"]["p95"])
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.questions import Question, QuestionSet, load_questions
from eval.run import EvalRun
from eval.scoring import compare, error_row, score_row, summarize

if TYPE_CHECKING:
    from assistant.engine import Assistant
    from assistant.settings import Settings

DEFAULT_K = 10
Progress = Callable[[dict, list[dict], int], None]  # (row, rows so far, total)


def evaluate(
    questions: str | Path | QuestionSet | Sequence[Question],
    assistant: "Assistant | None" = None,
    *,
    data_dir: str | Path | None = None,
    corpus: Iterable[str | Path] = (),
    out: str | Path | None = None,
    k: int = DEFAULT_K,
    workers: int = 1,
    limit: int | None = None,
    previous: str | Path | None = None,
    settings: "Settings | None" = None,
    progress: Progress | None = None,
    on_ingest: Callable | None = None,
    run_info: dict[str, Any] | None = None,
    answerer: str | None = None,
    baseline: str | None = None,
) -> EvalRun:
    """Ask every question, score the answers, and (with ``out``) write results.jsonl,
    summary.json and report.html there.

    ``assistant``: the engine to evaluate; default ``assistant.open_assistant(data_dir)``, or, when
    ``corpus`` is given, a fresh index in ``out/index`` with those files ingested first.
    ``workers`` > 1 asks from several threads; the assistant runs one question through
    its models at a time, so this only overlaps the bookkeeping around them.
    ``previous``: an earlier run's folder (or its summary.json), for the comparison.
    ``run_info`` is merged into ``summary["run"]`` (what a caller set up beforehand).
    ``answerer``: "extractive", "reader" or "llm" (default: the assistant's own).
    ``baseline``: another answerer run over the same questions and index in this run; the
    report sets the two side by side (instead of ``previous``).
    """
    if k < 1 or workers < 1 or (limit is not None and limit < 1):
        raise ValueError(f"need k, workers and limit >= 1; got {k}, {workers}, {limit}")
    qset = _question_set(questions)
    chosen = qset.questions[:limit] if limit else qset.questions
    out = Path(out) if out is not None else None
    corpus = [Path(p) for p in corpus]
    earlier = load_summary(previous) if previous else None  # before a long ingest fails
    assistant, ingest = prepare_assistant(assistant, data_dir, corpus, out, settings, on_ingest)
    assistant.warm_up()  # model loading must not count as the first question's latency
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    if answerer in assistant.readers:
        assistant.readers[answerer].warm_up()  # the model's load is no question's latency either
    rows = ask_all(assistant, chosen, k=k, workers=workers, progress=progress, answerer=answerer)
    seconds = round(time.perf_counter() - clock, 1)
    if baseline is not None:
        if baseline in assistant.readers:
            assistant.readers[baseline].warm_up()
        base_rows = ask_all(assistant, chosen, k=k, workers=workers, answerer=baseline)
        earlier = summarize(base_rows, k=k)
        earlier["run"] = {"answerer": baseline, "questions_file": qset.path}
        previous = f"{baseline} answerer, same index, same run"
    summary = summarize(rows, k=k)
    summary["run"] = {
        "questions_file": qset.path, "started": started.isoformat(timespec="seconds"),
        "seconds": seconds, "k": k, "workers": workers,
        "answerer": answerer or assistant.default_answerer,
        "limit": limit, "index": _index_stats(assistant), "corpus": [str(p) for p in corpus],
        "ingest": ingest, "problems": [str(p) for p in qset.problems], **(run_info or {}),
    }
    if earlier is not None:
        summary["compare"] = compare(summary, earlier, label=str(previous))
    run = EvalRun(rows, summary, qset.problems, out)
    if out is not None:
        from eval.report import write_outputs

        write_outputs(run, earlier)
    return run


def ask_all(
    assistant: "Assistant", questions: Sequence[Question], *, k: int = DEFAULT_K,
    workers: int = 1, progress: Progress | None = None, answerer: str | None = None,
) -> list[dict]:
    """One result row per question, in the question file's order."""
    rows: list[dict | None] = [None] * len(questions)
    done: list[dict] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(ask_one, assistant, q, k, answerer): i for i, q in enumerate(questions)}
        for future in as_completed(futures):
            row = future.result()
            rows[futures[future]] = row
            done.append(row)
            if progress is not None:
                progress(row, done, len(questions))
    return [r for r in rows if r is not None]


def ask_one(assistant: "Assistant", q: Question, k: int = DEFAULT_K,
            answerer: str | None = None) -> dict:
    """Ask one question; a question the engine rejects becomes an error row. Errors about
    the whole setup (an empty index, a missing model) propagate: no row could succeed."""
    from assistant.errors import InvalidRequest

    try:
        *_, answer = assistant.ask_stream(q.question, as_of=q.as_of, k=k, choices=q.choices,
                                          answerer=answerer)
    except InvalidRequest as exc:
        return error_row(q, str(exc))
    return score_row(q, answer, k)


def load_summary(path: str | Path) -> dict:
    """An earlier run's summary, from its folder or its summary.json."""
    path = Path(path)
    if path.is_dir():
        path = path / "summary.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no earlier run at {path} (expected a summary.json)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a summary.json: {exc}") from None


def _question_set(questions) -> QuestionSet:
    if isinstance(questions, QuestionSet):
        return questions
    if isinstance(questions, (str, Path)):
        return load_questions(questions)
    return QuestionSet("<list>", list(questions))


def prepare_assistant(
    assistant: "Assistant | None" = None, data_dir: str | Path | None = None,
    corpus: Sequence[Path] = (), out: Path | None = None, settings: "Settings | None" = None,
    on_ingest: Callable | None = None,
) -> tuple["Assistant", dict | None]:
    """The engine to evaluate, and the ingest report's dict when ``corpus`` was given:
    the corpus goes into ``assistant`` or, without one, into a fresh ``out/index``."""
    from assistant.factory import open_assistant

    if assistant is None:
        if corpus and out is None:
            raise ValueError("corpus needs an output folder: it is indexed in OUT/index")
        if corpus and data_dir is not None:
            raise ValueError("give either a corpus to index or an existing data_dir, not both")
        target = out / "index" if corpus else data_dir
        assistant = open_assistant(target, settings=settings)
    if not corpus:
        return assistant, None
    report = assistant.ingest(corpus, on_ingest)
    return assistant, {**report.to_dict(), "summary": report.summary()}


def _index_stats(assistant) -> dict:
    stats = assistant.stats().to_dict()
    return {key: stats.get(key) for key in
            ("articles", "chunks", "first_date", "last_date", "embed_model", "data_dir")}
