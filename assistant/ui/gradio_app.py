"""Byline's chat (Gradio): the layout and wiring of one ``Assistant``'s chat.

* ``build_ui(assistant, settings) -> gr.Blocks``: the whole UI over one ``Assistant``; the
  HTTP server mounts it at /chat.
* ``start(demo, settings)`` serves a built UI; ``launch(settings)`` loads the models once,
  serves the UI on ``settings.host``/``port`` (127.0.0.1:7860 unless set; never a public
  share link), says where it listens and blocks (``byline chat``, ``python app.py``).

What each control does is in the sibling modules (plain functions over the
``Assistant``, tested without a browser). Gradio is imported where the UI is built.
"""

import logging
import time

CHAT_HEIGHT = 640


def build_ui(assistant, settings=None):
    """The chat and corpus tabs over ``assistant``. ``settings`` gives the upload limit."""
    import gradio as gr

    from assistant.settings import Settings
    from assistant.ui import cards, chat, corpus, style

    max_mb = (settings or Settings.model_construct()).max_upload_mb

    def ask(message, history, outlets, since, until, as_of, read, sections):
        yield from chat.respond(assistant, message, history, outlets, since, until, as_of,
                                sections, "reader" if read else "extractive")

    def pick_example(event: gr.SelectData):
        return event.value["text"] if isinstance(event.value, dict) else str(event.value)

    def upload(files):
        yield from corpus.ingest_uploads(assistant, [getattr(f, "name", f) for f in files or []], max_mb)

    def refresh():
        stats = assistant.stats().to_dict()
        articles, total = assistant.articles(limit=corpus.RECENT_SHOWN)
        return (
            style.header_html(corpus.header_summary(stats)),
            corpus.overview_html(stats),
            corpus.recent_html(articles, total),
            gr.Dropdown(choices=corpus.outlet_choices(stats)),
        )

    # Gradio keeps every uploaded file in its cache; once ingested, an hour is plenty.
    with gr.Blocks(title="Byline · ask the news archive", delete_cache=(3600, 3600)) as demo:
        summary = corpus.header_summary(assistant.stats().to_dict())
        header = gr.HTML(style.header_html(summary), head=style.HEAD, js_on_load=style.MARKER_JS)
        sections = gr.State([])
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=380):
                        chatbot = gr.Chatbot(
                            elem_id="bl-chat", show_label=False, height=CHAT_HEIGHT,
                            layout="panel", latex_delimiters=[], buttons=[],
                            feedback_options=None, examples=[{"text": q} for q in chat.EXAMPLES],
                            placeholder=style.WELCOME,
                        )
                        with gr.Row(equal_height=True):
                            box = gr.Textbox(
                                placeholder="Ask about the news…", show_label=False, scale=8,
                                autofocus=True, max_lines=4, container=False, elem_id="bl-box",
                            )
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=80)
                    with gr.Column(scale=2, min_width=320):
                        with gr.Accordion("Filters for this conversation", open=False, elem_id="bl-filters"):
                            outlets = gr.Dropdown(
                                [], multiselect=True, label="Outlets",
                                info="Leave empty to search every outlet.",
                            )
                            with gr.Row():
                                since = gr.DateTime(
                                    label="Published from", include_time=False, type="string",
                                    elem_id="bl-since",
                                )
                                until = gr.DateTime(
                                    label="Published until", include_time=False, type="string",
                                    elem_id="bl-until",
                                )
                            as_of = gr.DateTime(
                                label="As of", include_time=False, type="string",
                                info="What “last week” or “yesterday” mean; default: the "
                                "newest article's date.",
                                elem_id="bl-as-of",
                            )
                        read = gr.Checkbox(
                            value=assistant.default_answerer == "reader", elem_id="bl-reader",
                            label="Let the language model read the sources",
                            info="A few seconds more; its answer is checked against the quotes. "
                            "Needs byline[llm] or BYLINE_LLM_URL.",
                        )
                        panel = gr.HTML(cards.sources_panel([]), elem_id="bl-sources")
            with gr.Tab("Corpus", id="corpus"):
                overview = gr.HTML()
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        recent = gr.HTML(elem_classes="bl-recent-wrap")
                    with gr.Column(scale=2):
                        files = gr.File(
                            label="Add articles", file_count="multiple",
                            file_types=corpus.UPLOAD_SUFFIXES, height=160,
                        )
                        gr.Markdown(
                            "JSONL, JSON, CSV, TSV, text, Markdown, HTML, RSS/Atom, or `.gz` of "
                            f"them · up to {max_mb} MB a file. Articles already in the corpus "
                            "are skipped; changed ones are updated.",
                            elem_classes="bl-note",
                        )
                        add = gr.Button("Add to corpus", variant="primary")
                        upload_result = gr.HTML()

        chat_inputs = [box, chatbot, outlets, since, until, as_of, read, sections]
        chat_outputs = [box, chatbot, sections, panel]
        box.submit(ask, chat_inputs, chat_outputs, api_name="ask")
        send.click(ask, chat_inputs, chat_outputs, api_visibility="private")
        chatbot.example_select(pick_example, None, box, api_visibility="private").then(
            ask, chat_inputs, chat_outputs, api_visibility="private"
        )
        chatbot.clear(chat.clear, None, chat_outputs, api_visibility="private")
        corpus_outputs = [header, overview, recent, outlets]
        # Refreshed on every page load: another tab may have added articles.
        demo.load(refresh, None, corpus_outputs, api_visibility="private", show_progress="hidden")
        add.click(upload, files, upload_result, api_name="upload").then(
            refresh, None, corpus_outputs, api_visibility="private"
        ).then(lambda: None, None, files, api_visibility="private")
    return demo


def start(demo, settings) -> None:
    """Serve a built chat on ``settings.host``/``port`` without blocking. It asks for the
    same login as the chat that ``byline serve`` mounts: the API key as the password when
    ``BYLINE_API_KEY`` is set, or the ``BYLINE_AUTH`` pair."""
    from starlette.middleware import Middleware

    from assistant.server.auth import chat_login
    from assistant.server.guards import RequestGuard, allowed_hosts, listed_hosts
    from assistant.ui import style

    # The guard `byline serve` has: no DNS-rebinding Host, no cross-site write (Gradio's
    # CORS alone lets a foreign page's upload run and only hides the reply from it).
    guard = Middleware(RequestGuard, hosts=allowed_hosts(settings.host, settings.allowed_hosts),
                      origins=listed_hosts(settings.allowed_hosts))
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        app_kwargs={"middleware": [guard]},
        server_name=settings.host, server_port=settings.port, share=False, auth=chat_login(settings),
        auth_message="Sign in with any user name and the API key as the password."
        if settings.api_key else None,
        max_file_size=f"{settings.max_upload_mb}mb", theme=style.theme(),
        footer_links=["api", "settings"], quiet=True, prevent_thread_lock=True, show_error=False,
    )


def launch(settings) -> None:
    """Load the models, serve the chat, and block until Ctrl-C."""
    from assistant.engine import Assistant
    from assistant.errors import ConfigError
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    print(f"Byline: loading models and the index in {settings.data_path} …", flush=True)
    assistant = Assistant.open(settings=settings)
    assistant.warm_up()  # models and indexes, so the first question is as quick as the rest
    demo = build_ui(assistant, settings)
    try:
        start(demo, settings)
    except OSError as exc:  # most often: the port is taken
        raise ConfigError(f"cannot serve on {settings.host}:{settings.port}: {exc}") from None
    seconds = time.perf_counter() - started
    print(f"Byline chat ready on http://{settings.host}:{settings.port} "
          f"(started in {seconds:.1f} s; Ctrl-C stops it)", flush=True)
    demo.block_thread()
