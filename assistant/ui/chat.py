"""The functions the chat tab calls: one question in, a stream of chat states out.

They take the ``Assistant`` and plain values (strings, lists of message dicts), not Gradio
objects, so tests call them directly. Errors end up as a message in the chat: a
``BylineError`` says what to do; anything unexpected is logged with its traceback on the
server and the reader gets a short apology, never the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from assistant.errors import BylineError, InvalidRequest
from assistant.history import message_text
from assistant.types import Answer, Filters
from assistant.ui import cards

log = logging.getLogger("byline.chat")

EXAMPLES = [
    "Who claimed the casualty figures?",
    "How many North Korean soldiers have been wounded?",
    "Which region has the North Korean deployment reportedly expanded to?",
    "How many people were confirmed dead after the apartment building collapse in Magnitogorsk?",
]

Message = dict[str, Any]
ChatState = tuple[str, list[Message], list[str], str]
"""What the chat shows: (input box, chat messages, sources sections, sources panel HTML)."""


def plain_history(history: Sequence[Message] | None) -> list[Message]:
    return [
        {"role": m.get("role", "assistant"), "content": message_text(m.get("content"))}
        for m in history or ()
    ]


def conversation(history: Sequence[Message]) -> list[Message]:
    """The conversation as the engine reads it to rewrite a follow-up: the questions, and
    the replies as plain text (the chat holds them as HTML cards)."""
    turns = []
    for m in history:
        text = m["content"] if m["role"] == "user" else _html_text(m["content"])
        if text.strip():
            turns.append({"role": m["role"], "content": text})
    return turns


def _html_text(html: str) -> str:
    import lxml.html

    if "<" not in html:
        return html
    try:
        return " ".join(lxml.html.fromstring(html).text_content().split())
    except (ValueError, lxml.etree.ParserError):
        return ""


def parse_filters(
    outlets: Sequence[str] | str | None, since: Any, until: Any, as_of: Any
) -> tuple[Filters, date | None]:
    """The conversation's filters from the form; a bad date raises ``InvalidRequest``
    naming the field, which the chat shows as a message."""
    if isinstance(outlets, str):
        outlets = [outlets]
    days = {name: _day(name, value) for name, value in
            (("From", since), ("To", until), ("As of", as_of))}
    try:
        filters = Filters(tuple(o for o in outlets or () if o), days["From"], days["To"])
    except ValueError as exc:
        raise InvalidRequest(f"The date range is reversed: {exc}.") from None
    return filters, days["As of"]


def _day(field: str, value: Any) -> date | None:
    from assistant.dates import parse_optional_day

    try:
        return parse_optional_day(value, f"“{field}”:")
    except ValueError as exc:
        raise InvalidRequest(f"{exc}.") from None


def describe_filters(filters: Filters, as_of: date | None) -> str:
    bits = []
    if filters.sources:
        bits.append(", ".join(filters.sources))
    if filters.since:
        bits.append("from " + cards.pretty_date(filters.since.isoformat()))
    if filters.until:
        bits.append("to " + cards.pretty_date(filters.until.isoformat()))
    if as_of:
        bits.append("as of " + cards.pretty_date(as_of.isoformat()))
    return ("Filtered: " + " ".join(bits)) if bits else ""


def respond(
    assistant,
    message: str,
    history: Sequence[Message] | None,
    outlets: Sequence[str] | None = None,
    since: Any = None,
    until: Any = None,
    as_of: Any = None,
    sections: Sequence[str] | None = None,
    answerer: str | None = None,
) -> Iterator[ChatState]:
    """Ask ``message`` in the context of ``history``; yield the chat as the reply grows.

    The first state shows the question at once with a "searching" bubble; then the reply
    streams in; the last state carries the finished answer and its source cards. With
    ``answerer="reader"`` the evidence shows first, marked "reading the sources…", and the
    reader's short answer replaces it when ready.
    """
    messages = plain_history(history)
    sections = list(sections or [])
    question = (message or "").strip()
    earlier = conversation(messages)
    if question:
        messages.append({"role": "user", "content": question})
    turn = sum(1 for m in messages if m["role"] == "user")
    panel = cards.sources_panel(sections)

    def state(reply_html: str) -> ChatState:  # a fresh list each time: states stay as yielded
        return "", [*messages, {"role": "assistant", "content": reply_html}], list(sections), panel

    yield state(cards.streaming_html("", turn))
    try:
        filters, day = parse_filters(outlets, since, until, as_of)
        text = ""
        for piece in assistant.ask_stream(question, earlier, filters, day, answerer=answerer):
            if isinstance(piece, Answer) and piece.pending:
                yield state(cards.answer_html(piece, turn, describe_filters(filters, day)))
                continue
            if isinstance(piece, Answer):
                sections.append(cards.sources_section(piece, turn))
                panel = cards.sources_panel(sections)
                yield state(cards.answer_html(piece, turn, describe_filters(filters, day)))
                return
            text += piece
            yield state(cards.streaming_html(text, turn))
        raise BylineError("The answer did not arrive; please ask again.")  # engine contract
    except BylineError as exc:
        yield state(cards.error_html(_with_hint(exc)))
    except Exception:  # noqa: BLE001 - the reader gets a message; the log gets the trace
        log.exception("answering %r failed", question)
        yield state(cards.error_html(
            "Something went wrong on our side while answering. The details are in the "
            "server log; please try again."
        ))


def _with_hint(exc: BylineError) -> str:
    from assistant.errors import EmptyIndex

    if isinstance(exc, EmptyIndex):
        return f"{exc} You can also upload files in the Corpus tab."
    return str(exc)


def clear() -> ChatState:
    """A new conversation: no messages, no sources (the examples show again)."""
    return "", [], [], cards.sources_panel([])
