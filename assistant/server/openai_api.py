"""OpenAI-compatible ``/v1/chat/completions`` and ``/v1/models``, so any OpenAI client
library reaches Byline by changing its ``base_url``.

The answer's evidence rides in extra fields the OpenAI schema does not have (clients that
do not know them ignore them; the ``openai`` Python client keeps them on the object):

* ``citations``: the citation list of ``byline ask --json`` (quote, offsets, title, url...),
  on the response and, when streaming, on the final chunk (the one with ``finish_reason``);
* ``byline``: ``short_answer``, ``abstained``, ``confidence`` (and its words), the searched
  ``query``, and in reader mode ``reader`` (what the model said). A streamed reader-mode
  answer sends the quotes first, a chunk with ``byline.pending`` while the model reads,
  then "Answer: ..." as a last delta when the reader's answer passed the checks.

Every model name is accepted and answered as ``byline``: clients often hard-code one.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.engine import Assistant
from assistant.server.rest import get_assistant
from assistant.server.schemas import ChatRequest, to_filters
from assistant.types import Answer

MODEL_ID = "byline"

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])


@router.get("/models", summary="The one model this server offers: byline")
def models() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "byline"}],
    }


@router.post("/chat/completions", summary="Chat completions in the OpenAI shape")
async def chat_completions(body: ChatRequest, bot: Assistant = Depends(get_assistant)):
    """The last user message is the question, earlier user messages its context.
    ``stream: true`` answers with server-sent events in OpenAI's chunk format, ending with
    ``data: [DONE]``. Byline options (``filters``, ``as_of``, ``k``) may ride in the body."""
    question, history = body.question_and_history()
    pieces = bot.ask_stream(
        question, history, to_filters(body.filters), body.as_of, body.k, answerer=body.answerer
    )
    # The first piece comes only after the whole answer is decided (under the model lock),
    # so a bad question or an empty index fails here, before any byte is sent, and gets a
    # proper 4xx instead of a broken stream.
    first = await run_in_threadpool(next, pieces)
    if body.stream:
        return StreamingResponse(
            _sse(_chunks(first, pieces)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    # In reader mode the rest is the model reading: off the event loop, or every other
    # request (/healthz included) would wait for it.
    answer = await run_in_threadpool(_last, itertools.chain([first], pieces))
    return _completion(answer)


def _last(pieces: Iterator[str | Answer]) -> Answer:
    *_, answer = pieces
    return answer  # type: ignore[return-value]


def _extras(answer: Answer) -> dict[str, Any]:
    return {
        "citations": [c.to_dict() for c in answer.citations],
        "byline": {
            "short_answer": answer.short_answer,
            "abstained": answer.abstained,
            "confidence": answer.confidence,
            "confidence_label": answer.confidence_label,
            "query": answer.query,
            "pending": answer.pending,
            "reader": answer.reader,
        },
    }


def _completion(answer: Answer) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        **_extras(answer),
    }


def _chunks(first: str | Answer, rest: Iterator[str | Answer]) -> Iterator[dict[str, Any]]:
    """OpenAI chunks: the role first, then one chunk per text piece, then an empty delta
    with ``finish_reason`` and the citations."""
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
    }

    def chunk(delta: dict, finish: str | None = None, **extra) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return {**base, "choices": [choice], **extra}

    yield chunk({"role": "assistant", "content": ""})
    for piece in itertools.chain([first], rest):
        if isinstance(piece, str):
            yield chunk({"content": piece})
        elif piece.pending:  # reader mode: the evidence is out, the reader is reading
            yield chunk({}, **_extras(piece))
        else:
            reading = piece.reader or {}
            if reading.get("mode") != "llm" and reading.get("status") == "answered":
                # Deltas only append: the reader's short answer follows the quotes here,
                # while the final message (non-streaming) leads with it.
                yield chunk({"content": f"\n\nAnswer: {piece.short_answer}."})
            yield chunk({}, "stop", **_extras(piece))


def _sse(chunks: Iterator[dict[str, Any]]) -> Iterator[str]:
    # A sync iterator: Starlette runs it in the thread pool, off the event loop.
    for data in chunks:
        yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
