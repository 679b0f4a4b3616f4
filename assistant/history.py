"""A conversation, as every face hands it to the engine: one set of rules for the shapes a
turn comes in and for what of it the engine reads.

A turn is a plain string (a user question) or a message mapping ``{"role", "content"}``;
``content`` may be a string or a list of content parts (OpenAI's and Gradio's
``{"type": "text", "text": ...}`` blocks). Only user questions and the assistant's last
reply matter to a follow-up; a ``system`` prompt or ``tool`` output is no part of what the
user asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.errors import InvalidRequest
from assistant.limits import MAX_HISTORY_ITEM_CHARS, MAX_HISTORY_ITEMS

Turn = str | Mapping[str, Any]


def message_text(content: Any) -> str:
    """The text of a message's content, whichever shape it comes in (a string, a text
    part, or a list of parts; parts that are not text, such as images, give nothing)."""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        if content.get("type", "text") != "text":
            return ""
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(t for t in (message_text(part) for part in content) if t).strip()
    return ""


def bounded(history: Sequence[Turn]) -> list[Turn]:
    """The end of a conversation that can matter to a follow-up: the last
    ``MAX_HISTORY_ITEMS`` turns, each cut to ``MAX_HISTORY_ITEM_CHARS``, content as text."""
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise InvalidRequest("history must be a list of earlier turns")
    return [
        {**item, "content": message_text(item.get("content"))[:MAX_HISTORY_ITEM_CHARS]}
        if isinstance(item, Mapping) else str(item)[:MAX_HISTORY_ITEM_CHARS]
        for item in history[-MAX_HISTORY_ITEMS:]
    ]


def user_turns(history: Sequence[Turn]) -> tuple[list[str], str]:
    """User questions, oldest first, and the last assistant reply ("" if none, or if a
    user turn came after it: a reply counts only if it answers the last question)."""
    turns: list[str] = []
    reply = ""
    for item in history:
        if isinstance(item, Mapping):
            content = message_text(item.get("content")).strip()
            role = item.get("role", "user")
            if role == "assistant":
                reply = content
                continue
            if role != "user":
                continue
        else:
            content = str(item or "").strip()
        if content:
            turns.append(content)
            reply = ""
    return turns, reply
