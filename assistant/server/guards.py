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
* any request but GET/HEAD/OPTIONS carrying an ``Origin`` must come from the server's own origin
  (non-browser clients send no ``Origin`` and are unaffected). That covers the chat's
  Gradio routes too: Gradio's CORS middleware only withholds the *response* from a foreign
  page, after its upload has already run.

The same guard fronts ``byline serve`` and the standalone ``byline chat`` (passed to
Gradio's app as middleware).

Bodies under ``/v1`` are capped as they arrive at ``MAX_JSON_BODY``, except
``/v1/articles``, which has the upload limit of its own (``BYLINE_MAX_UPLOAD_MB``); the
chat's uploads are Gradio's, capped by Gradio.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.server.errors import error_response

MAX_JSON_BODY = 1 << 20  # a question with its history and options is a few KB
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})  # every other method is a write
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(bind: str, extra: str | None) -> list[str]:
    """Host names the server answers to: loopback names always (a rebinding page sends its
    own name, never these), the bind address, and ``BYLINE_ALLOWED_HOSTS``; ``["*"]``
    when bound to every interface with no list given (the operator chose exposure)."""
    names = listed_hosts(extra)
    if bind in ("0.0.0.0", "::", "") and not names:
        return ["*"]
    own = [] if bind in ("0.0.0.0", "::", "") else [_bare(bind)]
    return [*_LOOPBACK, *own, *names]


def listed_hosts(extra: str | None) -> list[str]:
    """The names in ``BYLINE_ALLOWED_HOSTS``: the only foreign origins a write may come
    from (the public name of a proxy that rewrites ``Host``)."""
    return [_bare(name.strip()) for name in (extra or "").split(",") if name.strip()]


def _bare(host: str) -> str:
    """A host name without port or IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:  # name:port (a bare IPv6 address has several colons)
        return host.split(":", 1)[0]
    return host


class RequestGuard:
    """Pure ASGI middleware: the ``Host`` check, the ``Origin`` check on writes, and under
    ``/v1`` body limits."""

    def __init__(self, app: ASGIApp, *, hosts: list[str], origins: list[str] = (),
                 limit: int = MAX_JSON_BODY) -> None:
        self.app = app
        self.hosts = [h.lower() for h in hosts]
        self.origins = [h.lower() for h in origins]
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        known = scope["path"] == "/healthz" or self._known_host(headers.get("host"))
        if scope["type"] == "websocket":  # a handshake always carries the page's Origin
            if known and self._trusted_origin(headers):
                await self.app(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})
            return
        if not known:
            response = error_response(400, "unknown Host header; a server reached by another "
                                      "name lists it in BYLINE_ALLOWED_HOSTS")
            await response(scope, receive, send)
            return
        if scope["method"].upper() not in _SAFE and not self._trusted_origin(headers):
            response = error_response(403, "cross-site requests may not change or query this "
                                      "server: the Origin header names another site (a "
                                      "public name behind a proxy goes in BYLINE_ALLOWED_HOSTS)")
            await response(scope, receive, send)
            return
        if not scope["path"].startswith("/v1") or scope["path"].startswith("/v1/articles"):
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                # An HTTPException, which FastAPI's body reader passes on (anything else
                # it reports as a 400 parse error) to the JSON error handler.
                raise HTTPException(413, _too_large_message(limit))
            return message

        await self.app(scope, counting_receive, send)


    def _known_host(self, host: str | None) -> bool:
        if host is None or "*" in self.hosts:
            return True  # no Host at all is no browser (HTTP/1.0 tools): nothing to rebind
        return self._matches(_bare(host))

    def _matches(self, name: str, patterns: list[str] | None = None) -> bool:
        return any(name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
                   for pattern in (self.hosts if patterns is None else patterns)
                   if pattern != "*")

    def _trusted_origin(self, headers: dict[str, str]) -> bool:
        """No ``Origin`` (not a browser), the server's own origin (scheme, name and port:
        another app on localhost is another site), or a name listed in
        ``BYLINE_ALLOWED_HOSTS`` (the public name behind a reverse proxy that rewrites
        ``Host``)."""
        origin = headers.get("origin")
        if origin is None:
            return True
        try:
            parts = urlsplit(origin)
            if not parts.hostname:
                return False  # "null": a sandboxed or file:// page
            if _origin_netloc(parts) == _host_netloc(headers.get("host", ""), parts.scheme):
                return True
        except ValueError:  # a port past 65535, a broken IPv6 literal
            return False
        return self._matches(parts.hostname.lower(), self.origins)


def _too_large_message(limit: int) -> str:
    return f"the request body is larger than this route's limit of {limit / (1 << 20):g} MB"


def _too_large(limit: int):
    return error_response(413, _too_large_message(limit))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_netloc(parts) -> tuple[str, int | None]:
    return parts.hostname.lower(), parts.port or _DEFAULT_PORTS.get(parts.scheme)


def _host_netloc(host: str, scheme: str) -> tuple[str, int | None]:
    parts = urlsplit(f"{scheme}://{host}")
    try:
        port = parts.port
    except ValueError:
        return ("", None)
    return (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)
