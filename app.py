"""Byline's chat (Gradio). ``python app.py [--port N]`` or ``byline chat``.

Minimal first version: a streaming chat over ``Assistant.ask_stream``. The full product UI
(citation cards, filters, corpus tab, uploads) is built on the same two entry points:

* ``build_ui(assistant, settings) -> gr.Blocks`` (the HTTP server mounts this at /chat)
* ``launch(settings)`` (starts it on ``settings.host``/``settings.port``)
"""

from __future__ import annotations

import argparse


def build_ui(assistant, settings=None):
    import gradio as gr

    def respond(message, history):
        turns = [m["content"] for m in history if m.get("role") == "user"]
        text = ""
        for piece in assistant.ask_stream(message, history=turns):
            if isinstance(piece, str):
                text += piece
                yield text

    return gr.ChatInterface(respond, title="Byline")


def launch(settings) -> None:
    from assistant.engine import Assistant
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    assistant = Assistant.open(settings=settings)
    assistant.warm_up()
    build_ui(assistant, settings).launch(server_name=settings.host, server_port=settings.port)


def main() -> None:
    from assistant.offline import enable_offline_mode
    from assistant.settings import Settings

    enable_offline_mode()
    parser = argparse.ArgumentParser(description="Byline chat")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    settings = Settings()
    if args.port is not None:
        settings = settings.model_copy(update={"port": args.port})
    launch(settings)


if __name__ == "__main__":
    main()
