"""API-key checks for the HTTP API and the chat mounted beside it.

* API routes (everything under ``/v1``) need ``Authorization: Bearer <BYLINE_API_KEY>``
  when a key is configured; ``/healthz`` never does (load balancers probe it), and the
  OpenAPI page and schema stay readable so a person can find out how to call the API
  (its "Authorize" button takes the key).
* The chat is a browser page, which cannot send a bearer header, so it gets Gradio's
  login form instead: any user name with the API key as the password, or the
  ``BYLINE_AUTH`` ``user:password`` pair when that is set.

Keys are compared in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.errors import BylineError
from assistant.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The server's BYLINE_API_KEY.")


class Unauthorized(BylineError):
    status_code = 401


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def require_api_key(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> None:
    """Route dependency: passes when no key is configured or the bearer token matches."""
    settings: Settings = request.app.state.settings
    if settings.api_key is None:
        return
    if credentials is None:
        raise Unauthorized(
            "This server needs an API key: send the header 'Authorization: Bearer <key>'."
        )
    if not _same(credentials.credentials, settings.api_key.get_secret_value()):
        raise Unauthorized("The API key is wrong.")


def chat_login(settings: Settings) -> Callable[[str, str], bool] | None:
    """Gradio's ``auth=`` callback for the mounted chat, or None when the chat is open."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    pair = settings.basic_auth
    if key is None and pair is None:
        return None

    def check(username: str, password: str) -> bool:
        if key is not None and _same(password or "", key):
            return True
        if pair is not None:
            return _same(username or "", pair[0]) and _same(password or "", pair[1])
        return False

    return check
