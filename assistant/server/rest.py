"""The REST routes: thin wrappers over ``Assistant`` (no retrieval or answering here).

Routes are plain ``def`` on purpose: FastAPI runs them in its thread pool, so a question
that holds the models for a second never blocks the event loop, and ``/healthz`` answers
while sixteen clients wait their turn at the Assistant's lock.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from assistant.engine import Assistant
from assistant.errors import InvalidRequest
from assistant.limits import MAX_PAGE, MAX_SEARCH_K
from assistant.server.schemas import MAX_SOURCES, AskRequest, Day, SearchRequest, to_filters
from assistant.types import Filters

router = APIRouter(prefix="/v1", tags=["questions and corpus"])

ARTICLE_FIELDS = ("id", "title", "url", "source", "author", "published_at")


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


Bot = Annotated[Assistant, Depends(get_assistant)]


def query_filters(
    source: Annotated[list[str], Query(max_length=MAX_SOURCES,
                                       description="Only these outlets (repeatable).")] = [],
    since: Annotated[Day, Query(description="Published on or after (ISO date).")] = None,
    until: Annotated[Day, Query(description="Published on or before (ISO date).")] = None,
) -> Filters:
    """The outlet and date filters of a GET route's query string."""
    try:
        return Filters(sources=tuple(source), since=since, until=until)
    except ValueError as exc:  # since after until
        raise InvalidRequest(str(exc)) from None


QueryFilters = Annotated[Filters, Depends(query_filters)]


@router.post("/ask", summary="Answer a question with quoted, cited evidence")
def ask(body: AskRequest, bot: Bot):
    """The same JSON as ``byline ask --json``: text with ``[n]`` markers, the short answer,
    ``abstained``, ``confidence``, ``citations`` (verbatim quotes with article offsets) and
    the ranked ``passages``. With ``stream``, server-sent events: ``delta`` (text pieces),
    ``evidence`` (reader mode: the answer without its short answer, ``pending``), ``answer``
    (the final JSON)."""
    pieces = bot.ask_stream(
        body.question,
        history=[h if isinstance(h, str) else h.model_dump() for h in body.history],
        filters=to_filters(body.filters),
        as_of=body.as_of,
        k=body.k,
        choices=body.choices,
        answerer=body.answerer,
    )
    first = next(pieces)  # the answer is decided here: a bad request fails before streaming
    if body.stream:
        return StreamingResponse(_events(itertools.chain([first], pieces)),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    *_, answer = itertools.chain([first], pieces)
    return answer.to_dict()


def _events(pieces) -> Iterator[str]:
    for piece in pieces:
        if isinstance(piece, str):
            yield f"event: delta\ndata: {json.dumps({'text': piece}, ensure_ascii=False)}\n\n"
        else:
            name = "evidence" if piece.pending else "answer"
            yield f"event: {name}\ndata: {json.dumps(piece.to_dict(), ensure_ascii=False)}\n\n"


@router.post("/search", summary="The passages that best match a query")
def search(body: SearchRequest, bot: Bot) -> dict[str, Any]:
    passages = bot.search(
        body.query,
        body.k,
        to_filters(body.filters),
        as_of=body.as_of,
        rerank=body.rerank,
        mode=body.mode,
    )
    return {"query": body.query, "passages": [p.to_dict() for p in passages]}


@router.get("/stats", summary="Articles, chunks, outlets and dates in the index")
def stats(bot: Bot) -> dict[str, Any]:
    stats = bot.stats().to_dict()
    stats.pop("data_dir", None)  # where the server keeps its files is not the caller's concern
    return stats


@router.get("/articles/{article_id}", summary="One article, with its body and metadata")
def article(article_id: str, bot: Bot) -> dict[str, Any]:
    return bot.article(article_id).to_dict()


@router.get("/articles/{article_id}/story", summary="The articles on the same story, oldest first")
def story(article_id: str, bot: Bot) -> dict[str, Any]:
    """Grouped at ingest: copies of the same text (``copy_of`` names the original) and
    follow-ups repeating its reporting, published within a week of each other.
    ``independent_outlets`` counts each original once, however many outlets ran it."""
    story = bot.story(article_id)
    return {
        "story": story.id,
        "articles": [{"id": m.article_id, "source": m.source, "published_at": m.published_at,
                      "url": m.url, "title": m.title, "copy_of": m.copy_of} for m in story.articles],
        "independent_outlets": story.independent_outlets,
    }


@router.get("/articles", summary="Browse the corpus, newest first, a page at a time")
def articles(
    bot: Bot,
    filters: QueryFilters,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,  # SQLite integers are 64-bit
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> dict[str, Any]:
    """Items carry metadata only (no body: pages stay small); fetch a body with
    ``GET /v1/articles/{id}``. ``next_offset`` is null on the last page."""
    items, total = bot.articles(filters, offset=offset, limit=limit)
    following = offset + len(items)
    return {
        "items": [{name: getattr(a, name) for name in ARTICLE_FIELDS} for a in items],
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": following if following < total else None,
    }


@router.get("/quotes", summary="What a person or organisation is quoted as saying")
def quotes(
    bot: Bot,
    filters: QueryFilters,
    speaker: Annotated[str, Query(min_length=1, max_length=200,
                                  description="A name as the articles write it (\"Zelensky\").")],
    about: Annotated[str | None, Query(max_length=500, description="Only statements on this topic.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_K)] = 20,
) -> dict[str, Any]:
    """Direct and reported statements, newest first: the speaker resolved within each
    article ("he said"), the role the article gives them, the reporting verb, the source
    they cite, and the quote with its offsets in the article body."""
    found = bot.quotes(speaker, about, limit=limit, filters=filters)
    return {"speaker": speaker, "about": about, "quotes": [q.to_dict() for q in found]}
