"""``byline eval``: batch evaluation of a question set (placeholder until the eval issue lands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def eval_command(
    questions: Annotated[Path, typer.Argument(help="Question set (JSONL or CSV).")],
) -> None:
    """Run a question set through Byline and score it."""
    raise typer.BadParameter("byline eval is not available yet")
