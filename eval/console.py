"""Terminal output of ``byline eval`` (rich): a progress bar with a running score, and the
summary table printed at the end."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from eval.metrics import mean
from eval.scoring import METRICS

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)
RUNNING = ("contained", "exact_match", "mc_accuracy", "recall@5", "correct_refusal")


def running_score(rows: list[dict]) -> str:
    """The mean of a few headline metrics over the questions answered so far."""
    parts = []
    for name in RUNNING:
        value = mean(r["scores"].get(name) for r in rows)
        if value is not None:
            parts.append(f"{name} {value * 100:.0f}%")
    return " · ".join(parts[:3])


@contextlib.contextmanager
def progress_bar(total: int, enabled: bool = True) -> Iterator:
    """A ``progress`` callback for ``evaluate``: a bar on stderr with the running score."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]evaluating"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[score]}"), TimeElapsedColumn(), TimeRemainingColumn(),
        console=errors, transient=not errors.is_terminal,
    )
    task = bar.add_task("eval", total=total, score="")

    def update(row: dict, done: list[dict], _total: int) -> None:
        bar.update(task, completed=len(done), score=running_score(done))

    with bar:
        yield update


def print_summary(run) -> None:
    """Each metric overall (and on the "recent" subset when there is one) with its 95% CI."""
    summary = run.summary
    recent = summary["subsets"].get("recent")
    table = Table(title=f"{summary['scored']} questions scored", title_justify="left")
    for header in ("metric", "value %", "95% CI", "n"):
        table.add_column(header, justify="left" if header == "metric" else "right")
    if recent:
        table.add_column(f"recent (n={recent['n']})", justify="right")
    for name in METRICS:
        cell = summary["overall"].get(name)
        if cell is None:
            continue
        row = [name, f"{cell['value'] * 100:.1f}",
               f"{cell['low'] * 100:.1f}–{cell['high'] * 100:.1f}", str(cell["n"])]
        if recent:
            sub = recent["metrics"].get(name)
            row.append(f"{sub['value'] * 100:.1f}" if sub else "–")
        table.add_row(*row)
    console.print(table)
    calibration = summary.get("calibration")
    if calibration:
        chance = calibration.get("chance")
        console.print(f"calibration: ECE {calibration['ece'] * 100:.1f} points over {calibration['n']} replies"
                      + (f" (a calibrated answerer would show {chance['median'] * 100:.1f} by chance, "
                         f"up to {chance['p95'] * 100:.1f} in 95% of draws)" if chance else ""))
    total = summary["latency"].get("total")
    if total:
        console.print(f"latency per question: p50 {total['p50']:.2f} s, p95 {total['p95']:.2f} s")
    for name, c in summary.get("compare", {}).get("metrics", {}).items():
        if abs(c["delta"]) >= 0.0005:
            console.print(f"  {name}: {c['before'] * 100:.1f} -> {c['after'] * 100:.1f} "
                          f"({c['delta'] * 100:+.1f} points)")
    if run.out is not None:
        console.print(f"report: {run.out / 'report.html'}  (results.jsonl, summary.json beside it)")


def print_attribution(run) -> None:
    """The attribution metrics (``eval.attribution``): value and how many it is over."""
    summary = run.summary
    table = Table(title=f"{summary['scored']} labelled statements in {summary['articles']} articles",
                  title_justify="left")
    for header in ("metric", "value %", "n"):
        table.add_column(header, justify="left" if header == "metric" else "right")
    for name, cell in summary["overall"].items():
        table.add_row(name, f"{cell['value'] * 100:.1f}", str(cell["n"]))
    console.print(table)
    if run.out is not None:
        console.print(f"results: {run.out / 'results.jsonl'}  (summary.json beside it)")
