"""What a request must satisfy before any route runs: a bounded body, a known ``Host``, and,
for writes, no foreign ``Origin``.

Byline listens on 127.0.0.1 with no API key by default, so any web page the user visits
could otherwise reach it: a cross-site form can POST ``multipart/form-data`` without a
CORS preflight (and overwrite an article under a real outlet's name), and DNS rebinding
points a foreign name at 127.0.0.1 to read the answers. Browsers always send ``Origin`` on
a cross-site POST and the attacker's name in ``Host``, so:

* ``Host`` must be one the server is known by: the bind address, ``localhost`` for a
  loopback bind, and ``BYLINE_ALLOWED_HOSTS`` (``*.example.org`` matches subdomains).
  The rule is Starlette's ``TrustedHostMiddleware``'s, answered as a JSON 400 like every
  other error here;
* a POST/PUT/PATCH/DELETE under ``/v1`` carrying an ``Origin`` must come from the server's
  own origin (non-browser clients send no ``Origin`` and are unaffected).

Bodies under ``/v1`` are capped as they arrive at ``MAX_JSON_BODY``, except
``/v1/articles``, which has the upload limit of its own (``BYLINE_MAX_UPLOAD_MB``); the
chat's uploads are Gradio's, capped by Gradio.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.server.errors import error_response

MAX_JSON_BODY = 1 << 20  # a question with its history and options is a few KB
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def allowed_hosts(bind: str, extra: str | None) -> list[str]:
    """Host names the server answers to; ``["*"]`` when bound to every interface with no
    list given (the operator chose exposure; ``BYLINE_ALLOWED_HOSTS`` narrows it)."""
    names = [name.strip() for name in (extra or "").split(",") if name.strip()]
    if bind in ("0.0.0.0", "::", ""):
        return names or ["*"]
    own = list(_LOOPBACK) if bind in _LOOPBACK else [bind]
    return own + names


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Pure ASGI middleware: the ``Host`` check, and under ``/v1`` body limits and the
    ``Origin`` check on writes."""

    def __init__(self, app: ASGIApp, *, hosts: list[str], limit: int = MAX_JSON_BODY) -> None:
        self.app = app
        self.hosts = [h.lower() for h in hosts]
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self._known_host(headers.get("host", "")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            response = error_response(400, "unknown Host header; a server reached by another "
                                      "name lists it in BYLINE_ALLOWED_HOSTS")
            await response(scope, receive, send)
            return
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        if scope["method"] in _UNSAFE and not _same_origin(headers):
            response = error_response(403, "cross-site requests may not change or query this "
                                      "server: the Origin header names another site")
            await response(scope, receive, send)
            return
        if scope["path"].startswith("/v1/articles"):
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(limit)(scope, receive, send)


    def _known_host(self, host: str) -> bool:
        if "*" in self.hosts:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        name = name.lower()
        return any(name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
                   for pattern in self.hosts)


def _too_large(limit: int):
    return error_response(413, f"the request body is larger than this route's limit of "
                          f"{limit / (1 << 20):g} MB")


def _same_origin(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request (curl, SDKs, server to server)
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc.lower() == headers.get("host", "").lower()
