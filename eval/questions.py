"""Question sets: JSONL or CSV files read into small typed :class:`Question` records.

Accepted fields (other fields are ignored, so richer formats load as they are):

    question                      the text asked (required)
    answer                        a string, a list of accepted aliases, or null when the
                                  corpus does not hold the answer (required; in CSV an
                                  empty cell is null and aliases are separated by " | ")
    id                            a stable id (default: "line-N")
    article_ids / article_id /    gold articles, for retrieval recall and MRR
      gold_article_ids
    gold_recent_article_ids       the stricter "recent" gold set (rtqa-dev)
    evidence                      a gold sentence, for citation metrics
    choices, answer_index         multiple choice
    as_of / question_date         reference date for "this week" (2025-01-13, 13 Jan 2025)
    type                          question type (default: read from the wording)

rtqa-dev's ``quiz_evidence`` links the source article: it is deliberately never read, so
it cannot leak into what the system under test sees.

A malformed line becomes a :class:`LineProblem` (path, line, reason) and the rest loads.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

@dataclass(frozen=True, slots=True)
class Question:
    """One question of a set. ``answers is None`` means "not in the corpus": the right
    response is a refusal."""

    id: str
    question: str
    answers: tuple[str, ...] | None
    type: str
    article_ids: tuple[str, ...] = ()
    recent_article_ids: tuple[str, ...] | None = None
    evidence: str | None = None
    choices: tuple[str, ...] | None = None
    answer_index: int | None = None
    as_of: date | None = None
    trap: str | None = None  # near-miss sets: the tempting wrong answer the text holds
    line: int = 0

    @property
    def answerable(self) -> bool:
        return self.answers is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "question": self.question, "type": self.type,
            "answers": list(self.answers) if self.answers is not None else None,
            "article_ids": list(self.article_ids),
            "recent_article_ids": (
                list(self.recent_article_ids) if self.recent_article_ids is not None else None
            ),
            "evidence": self.evidence,
            "choices": list(self.choices) if self.choices else None,
            "answer_index": self.answer_index,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "trap": self.trap,
        }


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A line that could not be read; reported, never fatal to the rest of the set."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(slots=True)
class QuestionSet:
    path: str
    questions: list[Question] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def load_questions(path: str | Path) -> QuestionSet:
    """Read a ``.jsonl`` (or ``.json`` lines) or ``.csv`` question file.

    Raises ``FileNotFoundError`` when the file is missing; bad lines are collected in
    ``QuestionSet.problems``.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    result = QuestionSet(str(path))
    rows = _csv_rows(text) if path.suffix.lower() == ".csv" else _jsonl_rows(text)
    seen: set[str] = set()
    for line, row in rows:
        try:
            if isinstance(row, Exception):
                raise ValueError(str(row))
            question = parse_record(row, line, csv_cells=path.suffix.lower() == ".csv")
            if question.id in seen:
                raise ValueError(f"duplicate id {question.id!r}")
            seen.add(question.id)
            result.questions.append(question)
        except (ValueError, TypeError) as exc:
            result.problems.append(LineProblem(str(path), line, str(exc)))
    return result


def _jsonl_rows(text: str):
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield number, row if isinstance(row, dict) else TypeError("not a JSON object")


def _csv_rows(text: str):
    reader = csv.DictReader(text.splitlines())
    for row in reader:
        # The header is line 1, so a data row's line is the reader's line number.
        yield reader.line_num, {k.strip(): v for k, v in row.items() if k}


def parse_record(row: dict[str, Any], line: int = 0, *, csv_cells: bool = False) -> Question:
    """One record -> :class:`Question`. Raises ``ValueError`` naming the bad field."""
    if csv_cells:
        row = _from_csv_cells(row)
    text = row.get("question")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no 'question' text")
    text = " ".join(text.split())
    choices = _strings(row.get("choices"), "choices") or None
    answer_index = _answer_index(row.get("answer_index"), choices)
    if "answer" not in row and answer_index is None:
        raise ValueError("no 'answer' field (use null for a question the corpus cannot answer)")
    answers = _answers(row.get("answer"))
    if answers is None and answer_index is not None:
        answers = (choices[answer_index],)
    gold = row.get("article_ids", row.get("gold_article_ids", row.get("article_id")))
    recent = row.get("gold_recent_article_ids")
    evidence = row.get("evidence")
    return Question(
        id=str(row.get("id") or f"line-{line}"),
        question=text,
        answers=answers,
        type=_type(row.get("type"), text),
        article_ids=_strings(gold, "article_ids"),
        recent_article_ids=(
            None if recent is None else _strings(recent, "gold_recent_article_ids")),
        evidence=evidence.strip() if isinstance(evidence, str) and evidence.strip() else None,
        choices=choices,
        answer_index=answer_index,
        as_of=_day(row.get("as_of") or row.get("question_date")),
        trap=(row["trap"].strip() or None) if isinstance(row.get("trap"), str) else None,
        line=line,
    )


def _answers(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    aliases = _strings(value, "answer")
    if not aliases:
        raise ValueError("'answer' is empty: give the answer, aliases, or null")
    return aliases


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ValueError(f"'{name}' must be a string or a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _answer_index(value: Any, choices: tuple[str, ...] | None) -> int | None:
    if value is None or value == "":
        return None
    if not choices:
        raise ValueError("'answer_index' given without 'choices'")
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"'answer_index' must be an integer, got {value!r}") from None
    if not 0 <= index < len(choices):
        raise ValueError(f"'answer_index' {index} is outside the {len(choices)} choices")
    return index


def _day(value: Any) -> date | None:
    from assistant.dates import parse_optional_day

    return parse_optional_day(value, "'as_of'/'question_date'")


def _type(value: Any, question: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    from assistant.answering.question import classify  # regexes only: cheap to import

    return classify(question).wh


def _from_csv_cells(row: dict[str, str]) -> dict[str, Any]:
    """CSV cells are strings: empty means null; list cells hold JSON or " | " separated
    items (aliases, article ids, choices)."""
    out: dict[str, Any] = {}
    for key, cell in row.items():
        cell = (cell or "").strip()
        if not cell:
            out[key] = None
        elif key in ("answer", "article_ids", "gold_article_ids", "gold_recent_article_ids",
                     "choices"):
            out[key] = _cell_list(cell)
        else:
            out[key] = cell
    return out


def _cell_list(cell: str) -> Any:
    if cell.startswith("["):
        try:
            return json.loads(cell)
        except json.JSONDecodeError:
            pass
    return [part.strip() for part in cell.split("|") if part.strip()]
