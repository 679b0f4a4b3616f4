"""The chat: the functions the UI wires up, called directly over the real demo index, and the
real app on a free port driven with ``gradio_client``."""

from __future__ import annotations

import json
import logging
import re
import socket
from datetime import date
from html import unescape

import pytest

from assistant import Answer, Citation, Filters, InvalidRequest, Passage
from assistant.types import Copy
from assistant.ui import cards, chat, corpus
from tests.conftest import SEED_ID, SEED_QUESTION

QUOTE = "lawmaker Lee Seong-kweun told reporters"


def final(states):
    """The last state a streaming handler yields (box, messages, sections, panel)."""
    *_, last = states
    return last


def ask(bot, question, history=None, sections=None, **filters):
    states = list(chat.respond(bot, question, history, sections=sections, **filters))
    return states, final(states)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


# -- rendering (no models) ------------------------------------------------------------------
def _passage(text: str, char_start: int = 100, **extra) -> Passage:
    fields = dict(chunk_id="c1", article_id="a1", text=text, char_start=char_start,
                  char_end=char_start + len(text), title="Dam <opens>", source="AFP",
                  url="https://www.example.com/dam", published_at="2025-01-13")
    fields.update(extra)
    return Passage(**fields)


def test_card_highlights_exactly_the_quoted_span_using_body_offsets():
    text = "The river rose overnight. Officials said 40 homes flooded. Roads stayed closed."
    quote = "Officials said 40 homes flooded."
    start = 100 + text.index(quote)  # body offsets: the passage starts at body offset 100
    card = cards.citation_card(Citation(2, _passage(text), quote, start, start + len(quote)), turn=3)

    assert re.search(r"<mark>(.*?)</mark>", card).group(1) == quote
    assert 'id="bl-cite-3-2"' in card
    assert "Dam &lt;opens&gt;" in card and "<opens>" not in card  # corpus text is escaped
    assert "13 Jan 2025" in card and "AFP" in card and 'href="https://www.example.com/dam"' in card
    assert "example.com ↗" in card


def test_only_web_urls_become_links():
    quote = "Roads stayed closed."
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "example.com/dam"):
        card = cards.citation_card(Citation(1, _passage(quote, url=url), quote, 100, 120), turn=1)
        assert "href" not in card and "Dam &lt;opens&gt;" in card, url


def test_a_card_names_the_other_outlets_that_ran_the_story():
    quote = "Roads stayed closed."
    copies = [Copy("Daily <Wire>", "2025-01-14", "https://wire.example/dam", "a2", "Dam opens"),
              Copy("Valley Post", None, "javascript:alert(1)", "a3", "Dam opens", same_text=False)]
    card = cards.citation_card(Citation(1, _passage(quote, also_reported_by=copies), quote, 100, 120), turn=1)
    # a copy of the same text says so; another outlet's own report on the story does not
    assert "Also reported by: Daily <Wire> (same text), Valley Post" in text_of(card)
    assert "Daily &lt;Wire&gt;" in card  # outlet names are corpus text: escaped
    assert 'href="https://wire.example/dam"' in card and "javascript:" not in card
    # a story run by many outlets names five and counts the rest
    many = [Copy(f"Outlet {i}", None, None, f"b{i}", "Dam opens", same_text=False) for i in range(7)]
    card = cards.citation_card(Citation(1, _passage(quote, also_reported_by=many), quote, 100, 120), turn=1)
    assert "Also reported by: Outlet 0, Outlet 1, Outlet 2, Outlet 3, Outlet 4 and 2 more" in text_of(card)


def test_a_reply_crediting_a_speaker_gets_a_speaker_card_first():
    quote = "Roads stayed closed."
    answer = Answer(question="Who said so?", text=f"Ana <b>Ruiz</b>. {quote} [1]", short_answer="Ana <b>Ruiz</b>",
                    abstained=False, citations=[Citation(1, _passage(quote), quote, 100, 120)], passages=[],
                    speaker={"name": "Ana <b>Ruiz</b>", "role": "a city <i>engineer</i>",
                             "cites": "the council", "statements": 2})
    section = cards.sources_section(answer, turn=1)
    assert section.index("bl-speaker") < section.index("bl-cite-1-1")
    card = section[section.index('<article class="bl-card bl-speaker">'):section.index("</article>")]
    assert "Ana &lt;b&gt;Ruiz&lt;/b&gt;" in card and "<b>" not in card  # corpus text is escaped
    assert "a city &lt;i&gt;engineer&lt;/i&gt;" in card and "citing the council" in card
    assert "2 statements read" in card
    plain = Answer(question="q", text=f"{quote} [1]", short_answer=None, abstained=False,
                   citations=[Citation(1, _passage(quote), quote, 100, 120)], passages=[])
    assert "bl-speaker" not in cards.sources_section(plain, turn=2)


def test_markers_link_to_their_cards_and_the_short_answer_leads():
    answer = Answer(
        question="Who?", text="Lee.\n\nLee said so [1]. Also [7].", short_answer="Lee",
        abstained=False, passages=[], query="Who? North Korea",
        citations=[Citation(1, _passage("Lee said so."), "Lee said so.", 100, 112)],
        timings={"total": 0.42},
    )
    html = cards.answer_html(answer, turn=4)

    assert '<p class="bl-short">Lee.</p>' in html
    assert 'href="#bl-cite-4-1"' in html
    assert "[7]" in html  # not a citation of this answer: left as text, not a dead link
    assert "Searched for “Who? North Korea”" in html and "1 source" in html
    assert "\n" not in html  # one line, so the chatbot's Markdown never reinterprets it


def test_parse_filters_reads_dates_and_names_the_bad_field():
    filters, as_of = chat.parse_filters(["AFP"], "2025-01-01", "13 Jan 2025", "2025-01-20")
    assert filters == Filters(("AFP",), date(2025, 1, 1), date(2025, 1, 13))
    assert as_of == date(2025, 1, 20)
    assert chat.parse_filters(None, None, "", None) == (Filters(), None)
    with pytest.raises(InvalidRequest, match="Published until|To"):
        chat.parse_filters([], None, "the day after never", None)
    with pytest.raises(InvalidRequest, match="reversed"):
        chat.parse_filters([], "2025-02-01", "2025-01-01", None)


def test_message_text_accepts_every_shape_gradio_sends():
    assert chat.message_text("hi") == "hi"
    assert chat.message_text([{"type": "text", "text": "hi"}]) == "hi"
    assert chat.conversation(chat.plain_history([
        {"role": "user", "content": [{"type": "text", "text": "first"}]},
        {"role": "assistant", "content": "<div><p>Lee Seong-kweun.</p> <p>quote</p></div>"},
        {"role": "user", "content": "second"},
    ])) == [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "Lee Seong-kweun. quote"},
        {"role": "user", "content": "second"},
    ]


def test_basic_auth_setting_is_user_colon_password(monkeypatch):
    from assistant import ConfigError
    from assistant.settings import load_settings

    monkeypatch.setenv("BYLINE_AUTH", "editor:s3cret:x")
    assert load_settings().basic_auth == ("editor", "s3cret:x")
    monkeypatch.delenv("BYLINE_AUTH")
    assert load_settings().basic_auth is None
    monkeypatch.setenv("BYLINE_AUTH", "editor")  # the same check for `byline chat` and `serve`
    with pytest.raises(ConfigError, match="BYLINE_AUTH: .*user:password"):
        load_settings()


# -- the chat over the real demo index ------------------------------------------------------
def test_seed_question_streams_then_shows_the_answer_with_a_highlighted_card(demo_assistant):
    states, (box, messages, sections, panel) = ask(demo_assistant, SEED_QUESTION)

    first = states[0][1]
    assert first[0] == {"role": "user", "content": SEED_QUESTION}
    assert "Searching the corpus" in first[1]["content"]  # the question shows at once
    assert len(states) >= 3  # question, streamed pieces, final answer
    assert box == ""
    reply = messages[-1]["content"]
    assert text_of(reply).startswith("Lee Seong-kweun")
    assert 'href="#bl-cite-1-1"' in reply
    marked = re.findall(r"<mark>(.*?)</mark>", panel, re.S)
    assert any(QUOTE in unescape(m) for m in marked)
    assert 'id="bl-cite-1-1"' in panel and "AFP" in panel and "13 Jan 2025" in panel
    assert len(sections) == 1


def test_follow_up_is_searched_in_context_and_the_query_is_shown(demo_assistant):
    _, (_, history, sections, _) = ask(demo_assistant, "How many North Korean soldiers were killed?")
    _, (_, messages, sections, panel) = ask(
        demo_assistant, "And how many were wounded?", history, sections
    )

    reply = text_of(messages[-1]["content"])
    assert "2,700" in reply
    searched = re.search(r"Searched for “(.*?)”", reply).group(1)
    assert "North Korea" in searched  # the engine's rewrite, shown to the reader
    assert 'id="bl-turn-2"' in panel and 'id="bl-turn-1"' in panel
    assert panel.index('id="bl-turn-2"') < panel.index('id="bl-turn-1"')  # newest first


def test_outlet_and_date_filters_restrict_the_sources(demo_assistant):
    _, (_, messages, _, panel) = ask(demo_assistant, SEED_QUESTION, outlets=["Wikinews"])
    assert "Lee Seong-kweun" not in text_of(messages[-1]["content"]).split(".")[0]
    assert "AFP" not in panel and "Wikinews" in panel
    assert "Filtered: Wikinews" in text_of(messages[-1]["content"])

    _, (_, messages, _, panel) = ask(demo_assistant, SEED_QUESTION, until="2024-12-31")
    assert "13 Jan 2025" not in panel  # the seed article is from 2025-01-13


def test_refusal_says_so_and_lists_related_reading(demo_assistant):
    _, (_, messages, _, panel) = ask(demo_assistant, "Who won the 2031 Cricket World Cup?")
    reply = messages[-1]["content"]
    assert "Not in the corpus" in reply and "bl-refusal" in reply
    assert "Related reading" in panel and "bl-related" in panel
    assert "<mark>" not in panel  # nothing is presented as the answer


def test_errors_are_messages_in_the_chat_not_tracebacks(demo_assistant, caplog):
    _, (_, messages, _, _) = ask(demo_assistant, "   ")
    assert [m["role"] for m in messages] == ["assistant"]
    assert "question is empty" in text_of(messages[-1]["content"])

    _, (_, messages, _, _) = ask(demo_assistant, SEED_QUESTION, since="not a date")
    assert "is not a date" in text_of(messages[-1]["content"])
    assert messages[0]["content"] == SEED_QUESTION  # the question stays in the chat

    class Broken:
        def ask_stream(self, *args, **kwargs):
            raise RuntimeError("index exploded")
            yield  # a generator, like the real one

    with caplog.at_level(logging.ERROR, logger="byline.chat"):
        _, (_, messages, _, _) = ask(Broken(), SEED_QUESTION)
    reply = text_of(messages[-1]["content"])
    assert "went wrong on our side" in reply
    assert "Traceback" not in reply and "exploded" not in reply
    assert "index exploded" in caplog.text  # the details go to the server log


def test_corpus_tab_shows_counts_outlets_span_and_newest_article(demo_assistant):
    stats = demo_assistant.stats().to_dict()
    articles, total = demo_assistant.articles(limit=corpus.RECENT_SHOWN)

    overview = text_of(corpus.overview_html(stats))
    assert "262" in overview and "Wikinews" in overview and "AFP" in overview
    assert "4 Jan 2019 – 13 Jan 2025" in overview
    recent = text_of(corpus.recent_html(articles, total))
    assert articles[0].id == SEED_ID
    assert recent.index("Seoul says 300 North Korean soldiers") < recent.index("Wikinews")
    assert corpus.header_summary(stats).startswith("262 articles from 2 outlets")


def test_uploads_report_each_file_and_bad_files_do_not_stop_the_rest(make_assistant, tmp_path):
    bot = make_assistant(tmp_path / "index")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "up-1", "title": "Dam opens", "date": "2024-05-03",
                                "body": "The new dam on the Tern river opened on Friday."}) + "\n"
                    + "{not json\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    big = tmp_path / "big.jsonl"
    big.write_bytes(b" " * (2**20 + 10))

    states = list(corpus.ingest_uploads(bot, [str(good), str(empty), str(big)], max_mb=1))

    result = text_of(states[-1])
    assert "1 article added or updated from 3 files · 3 with problems" in result
    assert "good.jsonl:2: malformed JSON" in result  # location and reason, by file name
    assert "1 added" in result
    assert "empty.csv: empty file" in result
    assert "over the 1 MB upload limit" in result
    assert bot.index.article("up-1").title == "Dam opens"  # the good article went in
    assert "bl-progress" in states[0] or len(states) == 1


# -- the real app, driven over HTTP ---------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_url(demo_assistant):
    from assistant.ui.gradio_app import build_ui

    port = free_port()
    demo = build_ui(demo_assistant)
    demo.queue()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_gradio_client_asks_the_seed_question(served_url):
    from gradio_client import Client

    client = Client(served_url, verbose=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert "/ask" in endpoints and "/upload" in endpoints

    box, messages, panel = client.predict(SEED_QUESTION, [], [], None, None, None, "extractive", api_name="/ask")

    reply = chat.message_text(messages[-1]["content"])
    assert text_of(reply).startswith("Lee Seong-kweun")
    assert 'id="bl-cite-1-1"' in panel and "<mark>" in panel
    assert box == ""


def test_standalone_chat_asks_for_the_api_key_when_one_is_set(demo_assistant, tmp_path):
    """`byline chat` with BYLINE_API_KEY set asks for the same login as the chat that
    `byline serve` mounts (before, it let anyone in)."""
    import httpx

    from assistant.ui.gradio_app import build_ui, start
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path, api_key="chat-key-99", host="127.0.0.1", port=free_port())
    demo = build_ui(demo_assistant, settings)
    start(demo, settings)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{settings.port}", timeout=30) as http:
            assert http.get("/config").status_code == 401
            wrong = http.post("/login", data={"username": "editor", "password": "guess"})
            assert wrong.status_code == 400
            right = http.post("/login", data={"username": "editor", "password": "chat-key-99"})
            assert right.status_code == 200
            assert http.get("/config").status_code == 200
    finally:
        demo.close()



def test_standalone_chat_refuses_rebinding_hosts_and_cross_site_uploads(demo_assistant, tmp_path):
    """`byline chat` (what `make run` serves) has the API server's guard: a page reaching
    it under a foreign name (DNS rebinding) is refused, and a foreign page's upload never
    reaches Gradio's upload route; the chat's own page still uploads."""
    import httpx

    from assistant.ui.gradio_app import build_ui, start
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path, host="127.0.0.1", port=free_port())
    demo = build_ui(demo_assistant, settings)
    start(demo, settings)
    own = f"http://127.0.0.1:{settings.port}"
    note = {"files": ("note.txt", b"A headline\nA body of text.", "text/plain")}
    try:
        with httpx.Client(base_url=own, timeout=30) as http:
            assert http.get("/config").status_code == 200
            rebound = http.get("/config", headers={"Host": "attacker.example:7860"})
            assert rebound.status_code == 400 and "Host" in rebound.json()["error"]["message"]
            forged = http.post("/gradio_api/upload", files=note,
                               headers={"Origin": "https://evil.example"})
            assert forged.status_code == 403
            mine = http.post("/gradio_api/upload", files=note, headers={"Origin": own})
            assert mine.status_code == 200 and mine.json()[0].endswith("note.txt")
    finally:
        demo.close()
