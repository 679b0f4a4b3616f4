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
from types import SimpleNamespace

CHAT_HEIGHT = 640


ANSWERERS = {
    "extractive": "Quotes from the sources",
    "reader": "Language model reads for the short answer",
    "llm": "Language model writes the answer",
}


def build_ui(assistant, settings=None):
    """The chat and corpus tabs over ``assistant``. ``settings`` gives the upload limit."""
    import gradio as gr

    from assistant.settings import Settings
    from assistant.ui import corpus, style

    max_mb = (settings or Settings.model_construct()).max_upload_mb
    # Gradio keeps every uploaded file in its cache; once ingested, an hour is plenty.
    with gr.Blocks(title="Byline · ask the news archive", delete_cache=(3600, 3600)) as demo:
        summary = corpus.header_summary(assistant.stats().to_dict())
        header = gr.HTML(style.header_html(summary), head=style.HEAD, js_on_load=style.MARKER_JS)
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                ask_tab = _ask_tab(assistant)
            with gr.Tab("Corpus", id="corpus"):
                corpus_tab = _corpus_tab(max_mb)
        _wire_chat(assistant, ask_tab)
        _wire_corpus(assistant, demo, header, ask_tab, corpus_tab, max_mb)
    return demo


def _ask_tab(assistant) -> SimpleNamespace:
    """The chat, its input row, the conversation's filters, the reader switch and the
    sources panel."""
    import gradio as gr

    from assistant.ui import cards, chat, style

    tab = SimpleNamespace(sections=gr.State([]))
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=380):
            tab.chatbot = gr.Chatbot(
                elem_id="bl-chat", show_label=False, height=CHAT_HEIGHT,
                layout="panel", latex_delimiters=[], buttons=[],
                feedback_options=None, examples=[{"text": q} for q in chat.EXAMPLES],
                placeholder=style.WELCOME,
            )
            with gr.Row(equal_height=True):
                tab.box = gr.Textbox(
                    placeholder="Ask about the news…", show_label=False, scale=8,
                    autofocus=True, max_lines=4, container=False, elem_id="bl-box",
                )
                tab.send = gr.Button("Ask", variant="primary", scale=1, min_width=80)
        with gr.Column(scale=2, min_width=320):
            with gr.Accordion("Filters for this conversation", open=False, elem_id="bl-filters"):
                tab.outlets = gr.Dropdown(
                    [], multiselect=True, label="Outlets",
                    info="Leave empty to search every outlet.",
                )
                with gr.Row():
                    tab.since = gr.DateTime(
                        label="Published from", include_time=False, type="string",
                        elem_id="bl-since",
                    )
                    tab.until = gr.DateTime(
                        label="Published until", include_time=False, type="string",
                        elem_id="bl-until",
                    )
                tab.as_of = gr.DateTime(
                    label="As of", include_time=False, type="string",
                    info="What “last week” or “yesterday” mean; default: the "
                    "newest article's date.",
                    elem_id="bl-as-of",
                )
            tab.read = gr.Radio(
                choices=[(label, mode) for mode, label in ANSWERERS.items() if mode in assistant.modes],
                value=assistant.default_answerer, elem_id="bl-reader", label="Answer with",
                info="The language model takes seconds more; what it says is checked against "
                "the sources (sentences they do not support are marked). Needs byline[llm] "
                "or BYLINE_LLM_URL.",
            )
            tab.panel = gr.HTML(cards.sources_panel([]), elem_id="bl-sources")
    return tab


def _corpus_tab(max_mb: int) -> SimpleNamespace:
    """What the corpus holds, its newest articles, and the upload form."""
    import gradio as gr

    from assistant.ui import corpus

    tab = SimpleNamespace(overview=gr.HTML())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            tab.recent = gr.HTML(elem_classes="bl-recent-wrap")
        with gr.Column(scale=2):
            tab.files = gr.File(
                label="Add articles", file_count="multiple",
                file_types=corpus.UPLOAD_SUFFIXES, height=160,
            )
            gr.Markdown(
                "JSONL, JSON, CSV, TSV, text, Markdown, HTML, RSS/Atom, or `.gz` of "
                f"them · up to {max_mb} MB a file. Articles already in the corpus "
                "are skipped; changed ones are updated.",
                elem_classes="bl-note",
            )
            tab.add = gr.Button("Add to corpus", variant="primary")
            tab.upload_result = gr.HTML()
    return tab


def _wire_chat(assistant, tab: SimpleNamespace) -> None:
    """A question from the box, the button or an example runs through ``chat.respond``."""
    import gradio as gr

    from assistant.ui import chat

    def ask(message, history, outlets, since, until, as_of, read, sections):
        yield from chat.respond(assistant, message, history, outlets, since, until, as_of,
                                sections, read or None)

    def pick_example(event: gr.SelectData):
        return event.value["text"] if isinstance(event.value, dict) else str(event.value)

    inputs = [tab.box, tab.chatbot, tab.outlets, tab.since, tab.until, tab.as_of, tab.read, tab.sections]
    outputs = [tab.box, tab.chatbot, tab.sections, tab.panel]
    tab.box.submit(ask, inputs, outputs, api_name="ask")
    tab.send.click(ask, inputs, outputs, api_visibility="private")
    tab.chatbot.example_select(pick_example, None, tab.box, api_visibility="private").then(
        ask, inputs, outputs, api_visibility="private"
    )
    tab.chatbot.clear(chat.clear, None, outputs, api_visibility="private")


def _wire_corpus(assistant, demo, header, ask_tab: SimpleNamespace, tab: SimpleNamespace,
                 max_mb: int) -> None:
    """Uploads go through ``corpus.ingest_uploads``; the header, the corpus tab and the
    outlet filter refresh on every page load (another tab may have added articles) and
    after an upload."""
    import gradio as gr

    from assistant.ui import corpus, style

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

    outputs = [header, tab.overview, tab.recent, ask_tab.outlets]
    demo.load(refresh, None, outputs, api_visibility="private", show_progress="hidden")
    tab.add.click(upload, tab.files, tab.upload_result, api_name="upload").then(
        refresh, None, outputs, api_visibility="private"
    ).then(lambda: None, None, tab.files, api_visibility="private")


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
    from assistant.factory import open_assistant
    from assistant.errors import ConfigError
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    print(f"Byline: loading models and the index in {settings.data_path} …", flush=True)
    assistant = open_assistant(settings=settings)
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
