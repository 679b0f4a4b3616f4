"""``byline serve``: one process, models loaded once, serving

* the REST API under ``/v1`` (``ask``, ``search``, ``articles``, ``stats``),
* the OpenAI-compatible ``/v1/chat/completions`` and ``/v1/models``,
* the Gradio chat at ``/chat``, ``/healthz``, and the OpenAPI docs at ``/docs`` (Swagger
  assets served from the ``fastapi-offline`` package, never from a CDN).

Example::

    app = create_app(open_assistant(), Settings())   # an ASGI app, e.g. for tests
    serve(Settings())                                # what `byline serve` runs
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI

from assistant.server.auth import chat_login, require_api_key

if TYPE_CHECKING:
    from assistant.engine import Assistant
    from assistant.settings import Settings

log = logging.getLogger("byline.server")

DESCRIPTION = """Ask questions of a news corpus; get short answers with quoted, cited evidence.

Three ways in: the REST routes below, the OpenAI-compatible `/v1/chat/completions` (point
any OpenAI client's `base_url` at `/v1`), and the chat in the browser at `/chat`.
When the server has an API key (`BYLINE_API_KEY`), send `Authorization: Bearer <key>`.
"""


def create_app(assistant: "Assistant", settings: "Settings", *, chat: bool = True) -> FastAPI:
    """The whole HTTP app around one ``Assistant``. ``chat=False`` leaves out the Gradio
    chat (it costs a Gradio import, ~6 s)."""
    from fastapi_offline import FastAPIOffline

    from assistant.server import ingest_routes, openai_api, rest
    from assistant.server.errors import install_error_handlers
    from assistant.server.guards import RequestGuard, allowed_hosts, listed_hosts

    app = FastAPIOffline(title="Byline", version=_version(), description=DESCRIPTION)
    app.state.assistant = assistant
    app.state.settings = settings
    # Uploads take turns: an item's reported status (added, replaced) is decided before
    # its ingest, and must not be overtaken by another request's.
    app.state.ingest_lock = threading.Lock()
    # Innermost of the middleware (added first), so a "body too large" it raises while a
    # route reads the body reaches the JSON error handlers.
    app.add_middleware(RequestGuard, hosts=allowed_hosts(settings.host, settings.allowed_hosts),
                      origins=listed_hosts(settings.allowed_hosts))
    install_error_handlers(app)
    guarded = [Depends(require_api_key)]
    app.include_router(rest.router, dependencies=guarded)
    app.include_router(ingest_routes.ingest_router(settings.max_upload_mb), dependencies=guarded)
    app.include_router(openai_api.router, dependencies=guarded)

    @app.get("/healthz", tags=["service"], summary="Liveness: always open, never blocks")
    async def healthz() -> dict[str, str]:
        # async and touching nothing shared: it answers even while every worker thread
        # waits for the models.
        return {"status": "ok"}

    if chat:
        mount_chat(app, assistant, settings)
    return app


def mount_chat(app: FastAPI, assistant: "Assistant", settings: "Settings") -> None:
    """The Gradio chat from ``assistant.ui.gradio_app.build_ui`` at ``/chat``, behind a
    login when the server has an API key or ``BYLINE_AUTH`` (see
    :mod:`assistant.server.auth`)."""
    import gradio as gr

    from assistant.ui.gradio_app import build_ui
    from assistant.ui import style

    login = chat_login(settings)
    gr.mount_gradio_app(
        app,
        build_ui(assistant, settings),
        path="/chat",
        auth=login,
        auth_message="Sign in with any user name and the server's API key as the password."
        if settings.api_key
        else None,
        max_file_size=f"{settings.max_upload_mb}mb",
        footer_links=[],
        theme=style.theme(),  # the same look as `byline chat`
    )


def serve(settings: "Settings") -> None:
    """Open the index, load the models, and serve until interrupted (``byline serve``)."""
    import uvicorn

    from assistant.factory import open_assistant
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    assistant = open_assistant(settings=settings)
    print("Loading models...", flush=True)
    assistant.warm_up()
    app = create_app(assistant, settings)
    base = f"http://{settings.host}:{settings.port}"
    key_note = " (API key required)" if settings.api_key else ""
    print(f"Byline API{key_note} at {base}/v1, chat at {base}/chat/, docs at {base}/docs",
          flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("byline")
    except PackageNotFoundError:
        return "0"
