"""``POST /v1/articles``: add articles as JSON objects or as uploaded files.

* ``application/json``: a list of article objects with the fields of the JSONL ingest
  format (``title``, ``body``, ``url``, ``source``, ``published_at``, ... and their usual
  aliases), parsed by the same ``article_from_record`` as ``byline ingest``. Each item gets
  its own result: ``added``, ``replaced``, ``unchanged``, ``superseded`` (a later item had
  the same id) or ``failed`` with the reason. An item whose id holds another story
  (another URL, headline and outlet) fails unless ``?replace=true``.
* ``multipart/form-data``: files (any format ``byline ingest`` reads), each reported with
  the problems found in it. Files are written to a folder of their own per request
  (inside the data dir) and removed after ingesting; sending an edited ``notes.txt`` again replaces
  the article instead of adding a copy (a one-article file is known by its name and
  headline, so the same file sent through the CLI, the API or the chat is one article).

The whole body is capped at ``max_upload_mb`` (413 with a JSON message).
One ingest runs at a time per server: they write the same index.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assistant.engine import Assistant
from assistant.errors import BylineError, IngestError, InvalidRequest
from assistant.types import Article

MAX_FILES = 100

_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"type": "object"}},
                "example": [
                    {"title": "Headline", "body": "Article text.", "source": "AFP",
                     "published_at": "2025-01-13", "url": "https://example.com/a"}
                ],
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            },
        },
    }
}


class UnsupportedMedia(BylineError):
    status_code = 415


class TooLarge(BylineError):
    status_code = 413

    def __init__(self, max_mb: int) -> None:
        super().__init__(f"The upload is larger than this server's limit of {max_mb} MB "
                         "(BYLINE_MAX_UPLOAD_MB); send fewer or smaller files per request.")


class NothingIngested(BylineError):
    """Every item was rejected: a bad request as a whole, still with per-item reasons."""

    status_code = 422

    def __init__(self, message: str, details: dict) -> None:
        super().__init__(message)
        self.details = details


def ingest_router(max_upload_mb: int) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["questions and corpus"])

    @router.post(
        "/articles",
        summary="Add articles (JSON list or file uploads)",
        openapi_extra=_OPENAPI_BODY,
    )
    async def add_articles(request: Request, replace: bool = False) -> dict[str, Any]:
        """``replace=true`` lets an item replace another story stored under its id
        (refused by default: ids from two sources collide by accident)."""
        bot: Assistant = request.app.state.assistant
        lock = request.app.state.ingest_lock
        request = _size_limited(request, max_upload_mb)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            async with request.form(max_files=MAX_FILES) as form:
                uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
                return await run_in_threadpool(_locked, lock, ingest_files, bot, uploads, replace)
        if kind == "application/json":  # never type-less: see assistant.server.guards
            records = _parse_json(await request.body())
            return await run_in_threadpool(_locked, lock, ingest_records, bot, records, replace)
        raise UnsupportedMedia(
            f"send articles as application/json or multipart/form-data, not {kind!r}"
        )

    return router


def _size_limited(request: Request, max_mb: int) -> Request:
    """The same request, refusing a body over the limit: at once when its declared length
    is too big, else as soon as the bytes received pass it (chunked uploads).

    Not FastAPI's ``max_body_size``: that one answers 413 in plain text, and this API
    promises a JSON message for every error."""
    limit = max_mb * 1024 * 1024
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(max_mb)
    received = 0

    async def receive():
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise TooLarge(max_mb)
        return message

    return Request(request.scope, receive)


def _locked(lock, fn, *args):
    with lock:
        return fn(*args)


def _parse_json(raw: bytes) -> list:
    try:
        records = json.loads(raw)
    except ValueError as exc:
        raise InvalidRequest(f"the body is not valid JSON: {exc}"[:300]) from None
    except RecursionError:
        raise InvalidRequest("the body is JSON nested too deeply to read") from None
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list) or not records:
        raise InvalidRequest("expected a non-empty JSON list of article objects")
    return records


def ingest_records(bot: Assistant, records: list, replace: bool = False) -> dict[str, Any]:
    from ingest.readers import read_record

    items: list[dict[str, Any]] = []
    articles: list[Article] = []
    latest: dict[str, dict] = {}
    for number, record in enumerate(records):
        parsed = read_record(f"item {number}", record)
        if isinstance(parsed, IngestError):
            items.append({"index": number, "status": "failed", "error": parsed.reason})
            continue
        article = parsed.article
        item = {"index": number, "id": article.id, "title": article.title}
        if article.id in latest:  # the ingestor keeps the later version too
            latest[article.id]["status"] = "superseded"
        latest[article.id] = item
        items.append(item)
        articles.append(article)
    report = bot.ingest_articles(articles, replace=replace) if articles else None
    failed = {e.location.removeprefix("article "): e.reason for e in report.failed} if report else {}
    for item in items:
        if "status" in item:  # failed to read, or superseded
            continue
        item["status"] = (report.outcomes or {}).get(item["id"], "failed")  # as the ingestor decided
        if item["status"] == "failed":
            item["error"] = failed.get(item["id"], "not stored")
    return _result(items, report, "items")


def ingest_files(bot: Assistant, uploads: list[UploadFile], replace: bool = False) -> dict[str, Any]:
    if not uploads:
        raise InvalidRequest("no files in the form: send them as multipart field 'files'")
    names = [Path(u.filename or "").name for u in uploads]
    if any(n in ("", ".", "..") for n in names) or len(set(names)) != len(names):
        raise InvalidRequest("every uploaded file needs a distinct file name with its extension")
    folder = _upload_folder(bot)
    paths = []
    try:
        for upload, name in zip(uploads, names):
            with (folder / name).open("wb") as target:
                shutil.copyfileobj(upload.file, target)
            paths.append(folder / name)
        report = bot.ingest(paths, replace=replace)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    prefix = str(folder) + "/"
    for problem in report.failed + report.skipped_files:  # the caller knows file names only
        problem.location = problem.location.removeprefix(prefix)
        problem.reason = problem.reason.replace(prefix, "")
    items = []
    for name in names:
        reasons = [
            {"location": e.location, "reason": e.reason}
            for e in report.failed + report.skipped_files
            if e.location.split(":")[0] == name
        ]
        items.append({"file": name, "ok": not reasons, "errors": reasons})
    return _result(items, report, "files")


def _upload_folder(bot: Assistant) -> Path:
    """A new folder per request, inside the data dir (not a guessable name in a shared
    temp folder): two requests, or two servers on one data dir, never touch each other's
    files. A file's identity is its name and headline, never this folder."""
    parent = bot.index.data_dir / "uploads"
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="upload-", dir=parent))


def _result(items: list[dict], report, key: str) -> dict[str, Any]:
    body = {key: items, "report": report.to_dict() if report else None}
    if report is None or report.processed == 0:
        raise NothingIngested("nothing was ingested; see details for each item", details=body)
    return body
