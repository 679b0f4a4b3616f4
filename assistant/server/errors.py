"""Every failure of the HTTP API becomes one JSON shape, the one OpenAI clients parse::

    {"error": {"message": "...", "type": "invalid_request", "status": 400}}

so the ``openai`` client raises ``BadRequestError`` with our message, and curl users read
the same text. Byline's errors carry their own status (``BylineError.status_code``);
validation errors say which field is wrong; anything unexpected is logged with its trace
and answered 500 with no trace in the body.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import BylineError

log = logging.getLogger("byline.server")

_TYPES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "empty_index",
    413: "too_large",
    415: "unsupported_media_type",
    421: "misdirected_request",
    422: "invalid_request",
    500: "internal_error",
    503: "busy",
}


def error_response(status: int, message: str, *, headers: dict[str, str] | None = None,
                   **extra) -> JSONResponse:
    body = {"message": message, "type": _TYPES.get(status, "error"), "status": status, **extra}
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    """``body.filters.since: Value error, bad date`` rather than pydantic's nested list;
    the list (without the rejected input) stays available as ``details``."""
    details = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        details.append({"field": where, "message": message})
    text = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "invalid request"
    return text, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BylineError)
    async def _byline(request: Request, exc: BylineError) -> JSONResponse:
        message = getattr(exc, "public_message", str(exc))
        if exc.status_code >= 500 and exc.status_code != 503:
            # A server-side fault (a model or index setting) names server paths: logged
            # in full, answered in general.
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            message = "The server is misconfigured; its log has the details."
        details = getattr(exc, "details", None)
        extra = {"details": details} if details is not None else {}
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry is not None else None
        return error_response(exc.status_code, message, headers=headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, details = validation_message(list(exc.errors()))
        return error_response(422, message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such endpoint: {request.method} {request.url.path}"
        return error_response(exc.status_code, message)

    app.add_middleware(CatchUnexpected)


class CatchUnexpected:
    """Last line: an exception no handler knows is logged with its traceback and answered
    500 with a plain message. A pure ASGI middleware (not ``exception_handler(Exception)``)
    so Starlette does not re-raise it and log the trace a second time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error in %s %s", scope.get("method"), scope.get("path"))
            if not started:  # after the headers went out, all we can do is close the stream
                response = error_response(500, "Internal error; the server log has the details.")
                await response(scope, receive, send)
