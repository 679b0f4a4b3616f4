"""Print a Markdown table of finished runs, for docs/evaluation.md and the README.

    python -m eval.table demo=/tmp/eval-demo rtqa-dev=/tmp/eval-rtqa rtqa-dev:recent=/tmp/eval-rtqa

Each argument is ``LABEL=RUN_DIR``; a label ending in ``:GROUP`` takes that subset or
question type of the run ("recent", "answerable", "who", ...). Rows are metrics, columns
are runs; cells are percent with the bootstrap 95% interval.
"""

from __future__ import annotations

import sys

from eval.runner import load_summary
from eval.scoring import METRICS


def column(summary: dict, group: str | None) -> tuple[int, dict]:
    if group is None:
        return summary["scored"], summary["overall"]
    section = summary["subsets"].get(group) or summary["by_type"].get(group)
    if section is None:
        raise SystemExit(f"no group {group!r} in this run")
    return section["n"], section["metrics"]


def markdown(columns: list[tuple[str, dict]]) -> str:
    """``columns``: (label, summary.json contents, optionally with "group")."""
    tables = []
    for label, summary in columns:
        group = label.split(":", 1)[1] if ":" in label else None
        tables.append((label, *column(summary, group), summary))
    lines = ["| metric | " + " | ".join(f"{label} (n={n})" for label, n, _, _ in tables) + " |",
             "|---|" + "---|" * len(tables)]
    for name in METRICS:
        cells = [_cell(metrics.get(name)) for _, _, metrics, _ in tables]
        if any(c != "–" for c in cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for q in ("p50", "p95"):
        cells = [f"{s['latency']['total'][q]:.2f} s" if "total" in s["latency"] else "–"
                 for *_, s in tables]
        lines.append(f"| latency {q} (whole run) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(cell: dict | None) -> str:
    if cell is None:
        return "–"
    return f"{cell['value'] * 100:.1f} [{cell['low'] * 100:.1f}–{cell['high'] * 100:.1f}]"


def main(argv: list[str]) -> None:
    if not argv or any("=" not in a for a in argv):
        raise SystemExit(__doc__)
    print(markdown([(label, load_summary(path))
                    for label, path in (a.split("=", 1) for a in argv)]))


if __name__ == "__main__":
    main(sys.argv[1:])
