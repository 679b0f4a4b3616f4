"""``EvalRun``: the result of one evaluation, shared by the runner that makes it and the
report that renders it (so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.questions import LineProblem


@dataclass(slots=True)
class EvalRun:
    """One evaluation: per-question ``rows``, the ``summary`` (as in summary.json), the
    question file's ``problems``, and the output folder when one was written."""

    rows: list[dict]
    summary: dict[str, Any]
    problems: list[LineProblem] = field(default_factory=list)
    out: Path | None = None

    def metric(self, name: str, group: str | None = None) -> float | None:
        """A metric's value overall, or in a subset ("recent", "answerable", ...) or
        question type ("who", ...); ``None`` where it does not apply."""
        if group is None:
            table = self.summary["overall"]
        else:
            section = self.summary["subsets"].get(group) or self.summary["by_type"].get(group)
            table = section["metrics"] if section else {}
        return table[name]["value"] if name in table else None

    def below(self, thresholds: dict[str, float]) -> list[str]:
        """Each ``metric=minimum`` that this run fails, as a readable line. A metric that
        does not apply to this question set fails too: a gate must not pass silently."""
        failed = []
        for name, minimum in thresholds.items():
            value = self.metric(name)
            if value is None:
                failed.append(f"{name}: not measured on this question set (need >= {minimum})")
            elif value < minimum:
                failed.append(f"{name} = {value:.3f} < {minimum}")
        return failed
