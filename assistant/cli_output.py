"""Terminal rendering for the CLI (rich): progress bars, passages, answers, reports."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.retrieval.dedup import shown_outlets
from assistant.types import Answer, Passage

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


@contextlib.contextmanager
def ingest_progress(enabled: bool = True) -> Iterator:
    """A progress callback for ``Ingestor.ingest_paths``: a bar on a terminal, else nothing."""
    if not enabled or not errors.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles · {task.fields[chunks]} chunks · {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )
    task = bar.add_task("ingest", total=None, chunks=0, failed=0)

    def update(report, seen: int) -> None:
        bar.update(task, completed=report.processed, total=max(seen, report.processed),
                   chunks=report.chunks, failed=len(report.failed))

    with bar:
        yield update


def print_ingest_report(report, data_dir: Path) -> None:
    for failure in report.failed:  # one line each, unwrapped, so they can be grepped
        print(f"failed {failure.location}: {failure.reason}", file=sys.stderr)
    for change in report.changed_identity:
        print(f"warning {change.location}: {change.reason}", file=sys.stderr)
    if report.skipped_files:
        errors.print(f"skipped {len(report.skipped_files)} files that are not an article format")
    print(f"{report.summary()} -> {data_dir}")


def print_passages(passages: Sequence[Passage]) -> None:
    if not passages:
        console.print("No passages found.")
    for passage in passages:
        console.print(f"{passage.rank}. {passage.title}  ({_score(passage)})", style="bold", markup=False)
        console.print(f"   {_byline(passage)}", style="dim", markup=False)
        console.print(f"   {passage.text}\n", markup=False)


def _score(passage: Passage) -> str:
    """The passage's score, named: the cross-encoder logit for the reranked head (which,
    with the date prior, ordered it), the fusion score for the rest."""
    if "rerank" in passage.scores:
        return f"rerank {passage.scores['rerank']:.2f}"
    return f"fusion {passage.score:.4f}"


def print_answer(answer: Answer) -> None:
    console.print(answer.text + "\n", markup=False)
    heading = "Related reading" if answer.abstained else "Sources"
    cited = {c.passage.chunk_id for c in answer.citations}
    if answer.citations:
        console.print(heading, style="bold")
        for c in answer.citations:
            console.print(f" [{c.number}] {c.passage.title} — {_byline(c.passage)}", markup=False)
    related = [p for p in answer.passages if p.chunk_id not in cited]
    if answer.abstained and related:  # a refusal shows the closest passages instead
        console.print(heading, style="bold")
        for p in related[:3]:
            console.print(f" - {p.title} — {_byline(p)}", markup=False)
    if not answer.abstained:
        console.print(f"\n{answer.confidence_label} ({answer.confidence:.0%})", style="dim", markup=False)
    if answer.reader and answer.reader.get("status", "").startswith("failed"):
        console.print(f"the reader could not answer ({answer.reader['status']}); this is the "
                      "extractive answer", style="yellow", markup=False)
    if answer.query != answer.question:
        console.print(f"\nsearched for: {answer.query}", style="dim", markup=False)
    timing = answer.timings.get("total", 0.0)
    print(f"({timing * 1000:.0f} ms)", file=sys.stderr)


def _byline(passage: Passage) -> str:
    parts = [passage.source or "unknown outlet", (passage.published_at or "undated")[:10]]
    if passage.url:
        parts.append(passage.url)
    if passage.also_reported_by:
        shown, more = shown_outlets(passage)
        parts.append("also reported by: " + ", ".join(
            (c.source or "unknown outlet") + (" (same text)" if c.same_text else "") for c in shown)
            + (f" and {more} more" if more > 0 else ""))
    return " · ".join(parts)


def print_quotes(speaker: str, about: str | None, quotes) -> None:
    topic = f" about {about}" if about else ""
    if not quotes:
        console.print(f"No statement by {speaker}{topic} found in the corpus.", markup=False)
        return
    for q in quotes:
        s = q.statement
        who = s.speaker + (f", {s.role}," if s.role else "")
        cites = f" citing {s.cites}" if s.cites else ""
        mark = ("“", "”") if s.direct else ("", "")
        console.print(f"{(q.published_at or 'undated')[:10]}  {who} {s.verb}{cites}:", style="bold", markup=False)
        console.print(f"   {mark[0]}{s.quote}{mark[1]}", markup=False)
        console.print(f"   {q.title} — {q.source or 'unknown outlet'}{' · ' + q.url if q.url else ''}\n",
                      style="dim", markup=False)
