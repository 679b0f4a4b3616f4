"""Request bodies of the HTTP API, validated by pydantic before any route runs.

Dates accept what the CLI accepts (``2025-01-13``, ``13 Jan 2025``) through the same
parser, so ``byline ask --since`` and ``POST /v1/ask {"filters": {"since": ...}}`` agree.
Unknown fields are rejected on Byline's own bodies (a misspelt ``filter`` should not be
silently ignored) but allowed on the OpenAI body, which clients pad with options we ignore.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
                      model_validator)

from assistant.dates import parse_optional_day
from assistant.history import message_text
from assistant.limits import MAX_ASK_K, MAX_SEARCH_K
from assistant.types import Filters


# Bounds on the strings and option lists a caller sends, far above real use, so no request
# can hand the engine megabytes to parse under its lock. The question's own limit (2,000
# characters after collapsing spaces) is the engine's. A conversation may be as long as the
# body limit allows: the engine reads only its end (``assistant.history.bounded``).
MAX_TEXT = 20_000
MAX_PARTS = 100
MAX_CHOICES = 20
MAX_SOURCES = 100
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Short = Annotated[str, StringConstraints(max_length=500)]


def _day(value: Any) -> date | None:
    # One argument on purpose: pydantic would pass its ValidationInfo as a second one.
    return parse_optional_day(value)  # ValueError -> a 422 naming the field


Day = Annotated[date | None, BeforeValidator(_day)]


class FiltersIn(BaseModel):
    """Restrict the search to outlets and an inclusive publication-date range."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Short] = Field(default_factory=list, max_length=MAX_SOURCES, examples=[["AFP"]])
    since: Day = Field(None, examples=["2019-01-01"])
    until: Day = Field(None, examples=["2019-12-31"])

    @model_validator(mode="after")
    def _ordered(self) -> "FiltersIn":
        self.to_filters()  # Filters' own rule (a reversed range), reported as a 422
        return self

    def to_filters(self) -> Filters:
        return Filters(sources=tuple(self.sources), since=self.since, until=self.until)


def to_filters(filters: FiltersIn | None) -> Filters | None:
    return filters.to_filters() if filters else None


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: Text


Answerer = Annotated[Literal["extractive", "reader", "llm"] | None, Field(
    description="extractive (quotes the corpus), reader (a language model reads the evidence "
    "for the short answer, checked against it) or llm (a language model writes the answer; "
    "each sentence is checked against the sources it cites, see reader.sentences); default: "
    "the server's BYLINE_ANSWERER.")]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Text = Field(examples=["Who claimed the casualty figures?"])
    history: list[Text | HistoryMessage] = Field(
        default_factory=list,
        description="The conversation so far, oldest first: earlier questions as strings, or "
        '{"role": "user"|"assistant", "content": ...} messages (a reply helps a follow-up).',
    )
    filters: FiltersIn | None = None
    as_of: Day = Field(None, description="The day that 'this week' etc. refer to.")
    k: int = Field(5, ge=1, le=MAX_ASK_K, description="Passages returned with the answer.")
    choices: list[Short] | None = Field(
        None, max_length=MAX_CHOICES,
        description="Options to pick from; the answer's `choice` is the chosen index.",
    )
    answerer: Answerer = None
    stream: bool = Field(False, description="Server-sent events: `delta` text pieces, then "
                         "`evidence` (reader mode: the quotes while the reader reads), then `answer`.")


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Text = Field(examples=["casualty figures"])
    k: int = Field(10, ge=1, le=MAX_SEARCH_K)
    filters: FiltersIn | None = None
    as_of: Day = None
    rerank: bool = True
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"


class ChatMessage(BaseModel):
    """One OpenAI chat message. ``content`` may be text or a list of content parts."""

    model_config = ConfigDict(extra="allow")

    role: Short
    content: Text | Annotated[list[dict[str, Any]], Field(max_length=MAX_PARTS)] | None = None

    @property
    def text(self) -> str:
        return message_text(self.content)


class ChatRequest(BaseModel):
    """The OpenAI ``/v1/chat/completions`` body. Sampling options are accepted and ignored
    (the answer comes from the corpus); Byline's own options ride in the same body, which the
    ``openai`` client sends with ``extra_body={...}``."""

    model_config = ConfigDict(extra="allow")

    model: str = "byline"
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: FiltersIn | None = None
    as_of: Day = None
    k: int = Field(5, ge=1, le=MAX_ASK_K)
    answerer: Answerer = None

    def question_and_history(self) -> tuple[str, list[dict[str, str]]]:
        """The last user message is the question; the messages before it are the history
        that a follow-up is rewritten against (the last reply names the story)."""
        turns = [
            {"role": m.role, "content": m.text}
            for m in self.messages
            if m.role in ("user", "assistant")
        ]
        last_user = max((i for i, m in enumerate(turns) if m["role"] == "user"), default=None)
        if last_user is None:
            return "", []
        return turns[last_user]["content"], turns[:last_user]
