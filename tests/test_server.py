"""The HTTP API end to end: a real uvicorn server on a free port around a real Assistant
over the demo corpus, called with httpx and with the official ``openai`` client."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import openai
import pytest

from tests.conftest import REPO, SEED, SEED_ID, SEED_QUESTION

KEY = "test-key-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running(app):
    """Serve ``app`` with uvicorn in a background thread; yield its base URL."""
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def ask_streaming(url: str, question: str, answerer: str, timeout: float = 300) -> tuple[list[str], list[dict]]:
    """One question asked with ``stream`` on both APIs: the REST stream's lines (after
    checking its 200) and the OpenAI endpoint's SSE chunks."""
    with httpx.stream("POST", f"{url}/v1/ask", timeout=timeout, json={
            "question": question, "answerer": answerer, "stream": True}) as response:
        assert response.status_code == 200
        lines = list(response.iter_lines())
    with httpx.stream("POST", f"{url}/v1/chat/completions", timeout=timeout, json={
            "messages": [{"role": "user", "content": question}], "stream": True,
            "answerer": answerer}) as response:
        chunks = [json.loads(line.removeprefix("data: ")) for line in response.iter_lines()
                  if line.startswith("data: {")]
    return lines, chunks


def make_settings(tmp_path: Path, **values):
    from assistant.settings import Settings

    return Settings(data_dir=tmp_path, **values)


@pytest.fixture(scope="module")
def base_url(demo_assistant, tmp_path_factory):
    """The open server (no API key), chat mounted."""
    from assistant.server.http import create_app

    settings = make_settings(tmp_path_factory.mktemp("open"))
    with running(create_app(demo_assistant, settings)) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(demo_assistant, tmp_path_factory):
    """The same assistant behind an API key, chat mounted behind a login."""
    from assistant.server.http import create_app

    settings = make_settings(tmp_path_factory.mktemp("keyed"), api_key=KEY)
    with running(create_app(demo_assistant, settings)) as url:
        yield url


@pytest.fixture
def client(base_url):
    with httpx.Client(base_url=base_url, timeout=120) as http:
        yield http


def assert_citation_intact(citation: dict) -> None:
    """The quote is verbatim passage text at the offsets the citation gives."""
    start = citation["quote_start"] - citation["passage_start"]
    end = citation["quote_end"] - citation["passage_start"]
    assert citation["passage"][start:end] == citation["quote"]


def assert_seed_answer(citations: list[dict], text: str) -> None:
    assert "Lee Seong-kweun" in text
    assert citations and citations[0]["article_id"] == SEED_ID
    assert "Lee Seong-kweun" in citations[0]["quote"]
    for citation in citations:
        assert_citation_intact(citation)
        assert f"[{citation['number']}]" in text


# -- REST ---------------------------------------------------------------------------------


def test_ask_answers_the_seed_question_with_intact_citations(client, demo_assistant):
    response = client.post("/v1/ask", json={"question": SEED_QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body["short_answer"] == "Lee Seong-kweun" and not body["abstained"]
    assert_seed_answer(body["citations"], body["text"])
    # Same fields as `byline ask --json` (Answer.to_dict()).
    assert body.keys() == demo_assistant.ask(SEED_QUESTION).to_dict().keys()


def test_quotes_lists_what_a_speaker_said_with_role_source_and_offsets(client):
    response = client.get("/v1/quotes", params={"speaker": "Lee Seong-kweun"})
    assert response.status_code == 200, response.text
    quotes = response.json()["quotes"]
    assert len(quotes) >= 5
    assert {q["speaker"] for q in quotes} == {"Lee Seong-kweun"}
    assert {q["role"] for q in quotes} == {"a South Korean lawmaker"}
    assert "he" in {q["mention"] for q in quotes}  # "he said", resolved to Lee
    assert any(q["cites"] == "information from Seoul's spy agency" for q in quotes)
    body = client.get(f"/v1/articles/{SEED_ID}").json()["body"]
    assert all(body[q["quote_start"]:q["quote_end"]] == q["quote"] for q in quotes)
    assert any(q["direct"] and "approximately 300 deaths" in q["quote"] for q in quotes)


def test_ask_honours_filters_history_choices_and_k(client):
    other = client.post(
        "/v1/ask",
        json={"question": SEED_QUESTION, "filters": {"sources": ["Wikinews"]}, "k": 2},
    ).json()
    assert other["passages"] and all(p["source"] == "Wikinews" for p in other["passages"])
    assert len(other["passages"]) <= 2
    assert all(c["article_id"] != SEED_ID for c in other["citations"])

    follow_up = client.post(
        "/v1/ask",
        json={"question": "How many were wounded?", "history": [SEED_QUESTION]},
    ).json()
    # The follow-up is searched in the context of the earlier question.
    assert "casualty figures" in follow_up["query"]

    options = ["Volodymyr Zelensky", "Lee Seong-kweun", "Kim Jong Un"]
    picked = client.post("/v1/ask", json={"question": SEED_QUESTION, "choices": options}).json()
    assert picked["choice"] == 1


def test_search_stats_and_articles(client):
    hits = client.post("/v1/search", json={"query": "casualty figures North Korea", "k": 3}).json()
    assert len(hits["passages"]) == 3 and hits["passages"][0]["article_id"] == SEED_ID

    stats = client.get("/v1/stats").json()
    assert "data_dir" not in stats and "/tmp" not in json.dumps(stats)
    assert stats["articles"] == 262 and {"source": "AFP", "articles": 1} in stats["sources"]

    seed = client.get(f"/v1/articles/{SEED_ID}").json()
    assert seed["source"] == "AFP" and "Lee Seong-kweun" in seed["body"]

    only_afp = client.get("/v1/articles", params={"source": "AFP"}).json()
    assert only_afp["total"] == 1 and only_afp["items"][0]["id"] == SEED_ID
    assert only_afp["next_offset"] is None

    first = client.get("/v1/articles", params={"limit": 100}).json()
    assert first["total"] == 262 and len(first["items"]) == 100 and first["next_offset"] == 100
    last = client.get("/v1/articles", params={"offset": 200, "limit": 100}).json()
    assert len(last["items"]) == 62 and last["next_offset"] is None
    seen = {i["id"] for i in first["items"]} | {i["id"] for i in last["items"]}
    assert len(seen) == 162  # pages do not overlap

    dated = client.get("/v1/articles", params={"since": "2025-01-01"}).json()
    assert [i["id"] for i in dated["items"]] == [SEED_ID]


BAD_REQUESTS = [
    ("post", "/v1/ask", {"json": {"question": "   "}}, 400, "empty"),
    ("post", "/v1/ask", {"json": {}}, 422, "body.question"),
    ("post", "/v1/ask", {"json": {"question": "x" * 2001}}, 400, "limit is 2000"),
    ("post", "/v1/ask", {"json": {"question": "q", "k": 0}}, 422, "body.k"),
    ("post", "/v1/ask", {"json": {"question": "q", "filter": {}}}, 422, "body.filter"),
    ("post", "/v1/ask", {"json": {"question": "q", "filters": {"since": "someday"}}}, 422,
     "body.filters.since"),
    ("post", "/v1/ask", {"json": {"question": "q", "filters": {"since": "2020-02-01",
                                                               "until": "2020-01-01"}}}, 422,
     "is after"),
    ("post", "/v1/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}},
     422, "JSON"),
    ("post", "/v1/search", {"json": {"query": "q", "mode": "psychic"}}, 422, "body.mode"),
    ("get", "/v1/articles/no-such-article", {}, 404, "no-such-article"),
    ("get", "/v1/articles", {"params": {"limit": 0}}, 422, "query.limit"),
    ("get", "/v1/articles", {"params": {"since": "2020-02-01", "until": "2020-01-01"}}, 400,
     "is after"),
    ("get", "/v1/nothing-here", {}, 404, "/v1/nothing-here"),
    ("get", "/v1/quotes", {}, 422, "query.speaker"),
    ("get", "/v1/quotes", {"params": {"speaker": "x" * 201}}, 422, "query.speaker"),
    ("delete", "/v1/ask", {}, 405, "Method Not Allowed"),
    ("post", "/v1/chat/completions", {"json": {"messages": []}}, 422, "body.messages"),
    ("post", "/v1/chat/completions",
     {"json": {"messages": [{"role": "system", "content": "be brief"}]}}, 400, "empty"),
    ("post", "/v1/articles", {"content": b"[]", "headers": {"content-type": "application/json"}},
     400, "non-empty JSON list"),
    ("post", "/v1/articles", {"content": b"x", "headers": {"content-type": "text/plain"}}, 415,
     "multipart/form-data"),
]


@pytest.mark.parametrize(("method", "path", "options", "status", "needle"), BAD_REQUESTS)
def test_bad_requests_get_a_4xx_json_message(client, method, path, options, status, needle):
    response = client.request(method.upper(), path, **options)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert needle.lower() in error["message"].lower()
    assert error["status"] == status and "Traceback" not in response.text


def test_empty_index_is_409_with_how_to_ingest(make_assistant, tmp_path):
    from assistant.server.http import create_app

    bot = make_assistant(tmp_path / "empty")
    with running(create_app(bot, make_settings(tmp_path), chat=False)) as url:
        response = httpx.post(f"{url}/v1/ask", json={"question": SEED_QUESTION}, timeout=60)
    assert response.status_code == 409
    assert "byline ingest" in response.json()["error"]["message"]
    assert str(tmp_path) not in response.text  # the server's folders stay private


def test_unexpected_failure_is_logged_and_answered_500_without_trace(
    client, demo_assistant, monkeypatch, caplog
):
    def broken():
        raise RuntimeError("disk on fire at /secret/path")

    monkeypatch.setattr(demo_assistant, "stats", broken)
    with caplog.at_level("ERROR", logger="byline.server"):
        response = client.get("/v1/stats")
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "byline.server" and r.exc_info]
    assert logged and "disk on fire" in str(logged[0].exc_info[1])


def test_healthz_answers_while_the_engine_is_busy(client, base_url, demo_assistant):
    """Liveness must not queue behind questions: with the engine held (as a long question
    holds it) and a question waiting for it, /healthz still answers, and the waiting
    question is answered once the engine is free. No timing threshold: the order is what
    a load balancer notices."""
    answered: dict = {}
    with httpx.Client(base_url=base_url, timeout=300) as other:
        waiting = threading.Thread(target=lambda: answered.update(
            response=other.post("/v1/ask", json={"question": SEED_QUESTION})))
        with demo_assistant._lock:  # what a question does while it runs
            waiting.start()
            for _ in range(5):
                assert client.get("/healthz").json() == {"status": "ok"}
                time.sleep(0.1)
            assert waiting.is_alive() and not answered  # the question still waits
        waiting.join()
    assert answered["response"].status_code == 200


# -- OpenAI-compatible ----------------------------------------------------------------------


def test_openai_client_gets_the_answer_with_citations(base_url):
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused")
    assert [m.id for m in client.models.list()] == ["byline"]
    completion = client.chat.completions.create(
        model="byline", messages=[{"role": "user", "content": SEED_QUESTION}]
    )
    message = completion.choices[0].message
    assert message.role == "assistant" and completion.choices[0].finish_reason == "stop"
    assert_seed_answer(completion.citations, message.content)
    assert completion.byline["short_answer"] == "Lee Seong-kweun"


def test_openai_client_streams_the_same_answer(base_url):
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused")
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o",  # any model name is answered by Byline
            messages=[{"role": "user", "content": SEED_QUESTION}],
            stream=True,
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len(chunks) > 3  # really streamed in pieces
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert_seed_answer(chunks[-1].citations, text)
    assert text == httpx.post(
        f"{base_url}/v1/ask", json={"question": SEED_QUESTION}, timeout=120
    ).json()["text"]


def test_stream_is_openai_sse_ending_with_done(client):
    body = {"messages": [{"role": "user", "content": SEED_QUESTION}], "stream": True}
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    first = json.loads(lines[0].removeprefix("data: "))
    assert first["object"] == "chat.completion.chunk"
    assert first["choices"][0]["delta"]["role"] == "assistant"


def test_openai_history_and_byline_options(base_url):
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused")
    completion = client.chat.completions.create(
        model="byline",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": SEED_QUESTION},
            {"role": "assistant", "content": "Lee Seong-kweun. [1]"},
            {"role": "user", "content": [{"type": "text", "text": "Which region did they expand to?"}]},
        ],
        extra_body={"filters": {"sources": ["AFP"]}},
    )
    # The earlier turns became the history: the question's subject and the names in the
    # reply join the follow-up's query; the system prompt does not.
    assert completion.byline["query"] == (
        "Which region did they expand to? casualty figures Lee Seong-kweun"
    )
    assert completion.citations and {c["source"] for c in completion.citations} == {"AFP"}


def test_openai_client_sees_errors_as_exceptions(base_url):
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="question is empty"):
        client.chat.completions.create(model="byline", messages=[{"role": "user", "content": " "}])


# -- API key, docs, chat -------------------------------------------------------------------


def test_api_key_guards_every_route_but_healthz(keyed_url):
    with httpx.Client(base_url=keyed_url, timeout=120) as http:
        assert http.get("/healthz").status_code == 200
        for path in ("/v1/stats", "/v1/models", f"/v1/articles/{SEED_ID}"):
            denied = http.get(path)
            assert denied.status_code == 401 and "Authorization: Bearer" in denied.json()["error"]["message"]
        wrong = http.post("/v1/ask", json={"question": SEED_QUESTION},
                          headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "wrong" in wrong.json()["error"]["message"]
        upload = http.post("/v1/articles", json=[{"title": "t", "body": "b"}])
        assert upload.status_code == 401
        allowed = http.post("/v1/ask", json={"question": SEED_QUESTION},
                            headers={"Authorization": f"Bearer {KEY}"})
        assert allowed.status_code == 200 and allowed.json()["short_answer"] == "Lee Seong-kweun"


def test_openai_client_with_and_without_the_key(keyed_url):
    messages = [{"role": "user", "content": SEED_QUESTION}]
    stranger = openai.OpenAI(base_url=f"{keyed_url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="API key is wrong"):
        stranger.chat.completions.create(model="byline", messages=messages)
    with pytest.raises(openai.AuthenticationError):
        stranger.chat.completions.create(model="byline", messages=messages, stream=True)

    client = openai.OpenAI(base_url=f"{keyed_url}/v1", api_key=KEY)
    chunks = list(client.chat.completions.create(model="byline", messages=messages, stream=True))
    assert_seed_answer(chunks[-1].citations, "".join(c.choices[0].delta.content or "" for c in chunks))


def test_chat_is_mounted_and_behind_a_login_when_keyed(base_url, keyed_url):
    page = httpx.get(f"{base_url}/chat/", timeout=30)
    assert page.status_code == 200 and "gradio" in page.text.lower()
    assert httpx.get(f"{base_url}/chat/config", timeout=30).status_code == 200
    # The mounted chat's upload route has the same cross-site guard as the API's.
    note = {"files": ("note.txt", b"A headline\nA body of text.", "text/plain")}
    forged = httpx.post(f"{base_url}/chat/gradio_api/upload", files=note, timeout=30,
                        headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403

    with httpx.Client(base_url=keyed_url, timeout=30) as browser:
        assert browser.get("/chat/config").status_code == 401
        bad = browser.post("/chat/login", data={"username": "me", "password": "nope"})
        assert bad.status_code == 400
        good = browser.post("/chat/login", data={"username": "me", "password": KEY})
        assert good.status_code == 200
        assert browser.get("/chat/config").status_code == 200  # the login cookie works


def test_docs_load_without_a_cdn(keyed_url):
    with httpx.Client(base_url=keyed_url, timeout=30) as http:
        page = http.get("/docs")
        assert page.status_code == 200
        assert "cdn" not in page.text.lower() and "https://" not in page.text
        assert http.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
        schema = http.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/chat/completions", "/v1/articles", "/healthz"} <= schema["paths"].keys()


# -- ingesting through the API (own index: the demo index is shared by the session) --------


@pytest.fixture
def ingest_url(make_assistant, tmp_path):
    from assistant.server.http import create_app

    bot = make_assistant(tmp_path / "index")
    with running(create_app(bot, make_settings(tmp_path, max_upload_mb=1), chat=False)) as url:
        yield url


ZEPPELIN = {
    "title": "Zeppelin fleet returns to Friedrichshafen",
    "body": "The airship maker said on Monday that 7,777 zeppelins had returned to the "
    "hangar at Friedrichshafen. Engineer Greta Lindqvist confirmed the count to reporters.",
    "source": "Test Wire",
    "published_at": "2025-02-03",
    "url": "https://example.test/zeppelins",
}


def test_post_articles_as_json_reports_each_item(ingest_url):
    with httpx.Client(base_url=ingest_url, timeout=120) as http:
        first = http.post("/v1/articles", json=[ZEPPELIN, {"title": "no body"}])
        assert first.status_code == 200, first.text
        items = first.json()["items"]
        assert items[0]["status"] == "added" and items[0]["title"] == ZEPPELIN["title"]
        assert items[1]["status"] == "failed" and "missing body" in items[1]["error"]

        again = http.post("/v1/articles", json=[ZEPPELIN]).json()["items"]
        assert again[0]["status"] == "unchanged"
        edited = {**ZEPPELIN, "body": ZEPPELIN["body"] + " More airships are expected."}
        assert http.post("/v1/articles", json=[edited]).json()["items"][0]["status"] == "replaced"

        answer = http.post("/v1/ask", json={"question": "Who confirmed the zeppelin count?"}).json()
        assert answer["short_answer"] == "Greta Lindqvist"
        assert answer["citations"][0]["url"] == ZEPPELIN["url"]

        rejected = http.post("/v1/articles", json=[{"body": ""}, 42])
        assert rejected.status_code == 422
        reasons = [i["error"] for i in rejected.json()["error"]["details"]["items"]]
        assert "missing body" in reasons[0] and "expected an object" in reasons[1]


def test_an_api_item_under_another_storys_id_is_refused_unless_replace(ingest_url):
    with httpx.Client(base_url=ingest_url, timeout=120) as http:
        mine = {"id": "7", "title": "Dam opens", "body": "The new dam opened on Friday.",
                "source": "AFP"}
        theirs = {"id": "7", "title": "Port reopens", "body": "The port reopened.",
                  "source": "Local Post"}
        assert http.post("/v1/articles", json=[mine]).json()["items"][0]["status"] == "added"
        refused = http.post("/v1/articles", json=[theirs])
        assert refused.status_code == 422  # nothing was ingested
        item = refused.json()["error"]["details"]["items"][0]
        assert item["status"] == "failed" and "already holds another article" in item["error"]
        assert http.get("/v1/articles/7").json()["title"] == "Dam opens"
        forced = http.post("/v1/articles", params={"replace": "true"}, json=[theirs])
        assert forced.json()["items"][0]["status"] == "replaced"
        assert http.get("/v1/articles/7").json()["title"] == "Port reopens"


def test_upload_files_reports_each_file_and_limits_size(ingest_url):
    notes = "Harbour notes\n\nThe harbour master Ines Okafor counted 41 ferries on Sunday.\n"
    bad_lines = SEED.read_text(encoding="utf-8") + "{not json}\n"
    files = [
        ("files", ("notes.txt", notes.encode(), "text/plain")),
        ("files", ("wire.jsonl", bad_lines.encode(), "application/json")),
        ("files", ("tool.exe", b"MZ...", "application/octet-stream")),
    ]
    with httpx.Client(base_url=ingest_url, timeout=120) as http:
        response = http.post("/v1/articles", files=files)
        assert response.status_code == 200, response.text
        result = {f["file"]: f for f in response.json()["files"]}
        assert result["notes.txt"]["ok"]
        assert result["wire.jsonl"]["errors"][0]["location"] == "wire.jsonl:2"
        assert not result["tool.exe"]["ok"]
        assert response.json()["report"]["added"] == 2
        assert "/tmp" not in response.text  # callers see their own file names only

        again = http.post("/v1/articles", files=files[:1]).json()
        assert again["report"]["unchanged"] == 1  # same file name: same article

        answer = http.post("/v1/ask", json={"question": "Who counted the ferries?"}).json()
        assert answer["short_answer"] == "Ines Okafor"

        too_big = http.post(
            "/v1/articles", files=[("files", ("big.txt", b"x" * (1024 * 1024 + 1), "text/plain"))]
        )
        assert too_big.status_code == 413
        assert "1 MB" in too_big.json()["error"]["message"]
        no_files = http.post("/v1/articles", files={"note": (None, "just a text field")})
        assert no_files.status_code == 400 and "no files" in no_files.json()["error"]["message"]
        dot_dot = http.post("/v1/articles", files=[("files", ("..", b"x", "text/plain"))])
        assert dot_dot.status_code == 400 and "file name" in dot_dot.json()["error"]["message"]


def test_an_uploaded_file_is_known_by_name_and_headline_not_by_where_it_was_staged(
    ingest_url, tmp_path
):
    """Two different notes.txt must not replace each other (before, the second replaced
    the first); an edited one replaces its own article; staging leaves nothing behind."""
    ferries = b"Harbour notes\n\nThe harbour master counted 41 ferries on Sunday.\n"
    budget = b"Council notes\n\nThe council approved the budget on Monday.\n"
    with httpx.Client(base_url=ingest_url, timeout=120) as http:
        for content in (ferries, budget):
            sent = http.post("/v1/articles", files=[("files", ("notes.txt", content, "text/plain"))])
            assert sent.json()["report"]["added"] == 1, sent.text
        assert http.get("/v1/stats").json()["articles"] == 2
        edited = ferries.replace(b"41", b"42")
        again = http.post("/v1/articles", files=[("files", ("notes.txt", edited, "text/plain"))])
        assert again.json()["report"]["replaced"] == 1
        assert http.get("/v1/stats").json()["articles"] == 2
        uploads = list((tmp_path / "index" / "uploads").iterdir())
        assert uploads == []  # each request's staging folder is gone


# -- hostile requests (issue 11) -------------------------------------------------------------


def test_a_cross_site_page_cannot_write_articles(ingest_url):
    """A page on another site can POST a form to 127.0.0.1 without a CORS preflight; the
    browser names that site in Origin. The article must not be stored."""
    forged = [("files", ("breaking.txt", b"Fake headline\n\nThe minister resigned today.", "text/plain"))]
    with httpx.Client(base_url=ingest_url, timeout=60) as http:
        cross = http.post("/v1/articles", files=forged, headers={"Origin": "https://evil.example"})
        assert cross.status_code == 403 and "Origin" in cross.json()["error"]["message"]
        typeless = http.post("/v1/articles", content=json.dumps([ZEPPELIN]),
                             headers={"content-type": ""})
        assert typeless.status_code == 415
        for origin in ("http://localhost:3000", "http://127.0.0.1:99999", "null"):
            other = http.post("/v1/articles", json=[ZEPPELIN], headers={"Origin": origin})
            assert other.status_code == 403, origin  # another local app is another site
        rebound = http.get("/v1/stats", headers={"Host": "attacker.example:7860"})
        assert rebound.status_code == 400 and "Host" in rebound.json()["error"]["message"]
        assert http.get("/v1/stats").json()["articles"] == 0  # nothing got in
        own = http.post("/v1/articles", json=[ZEPPELIN], headers={"Origin": ingest_url})
        assert own.status_code == 200  # the server's own pages (the chat) may write
        assert http.get("/healthz", headers={"Host": "probe.internal"}).status_code == 200


def test_oversized_and_absurd_bodies_get_a_4xx_and_the_server_stays_up(client):
    huge = client.post("/v1/ask", content=b'{"question": "' + b"x" * (2 << 20) + b'"}',
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413 and huge.json()["error"]["type"] == "too_large"
    chunked = client.post("/v1/ask", content=(b"x" * 65536 for _ in range(40)),  # no length
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and "1 MB" in chunked.json()["error"]["message"]
    for body in ({"question": "q", "history": ["x" * 20_001]},
                 {"question": "q", "choices": [str(n) for n in range(21)]},
                 {"question": "q", "filters": {"sources": ["AFP"] * 101}},
                 {"question": "q", "as_of": 1e300}):
        response = client.post("/v1/ask", json=body)
        assert response.status_code == 422, (body.keys(), response.text)
    assert client.get("/v1/articles", params={"offset": 10**19}).status_code == 422
    assert client.get("/v1/articles", params=[("source", "AFP")] * 101).status_code == 422
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_long_history_is_cut_to_what_a_follow_up_can_use(client):
    """100 turns of 15,000 characters fit the body limit, but the engine reads only the
    end of the conversation: the searched query stays question-sized."""
    names = " ".join(f"Harbour{n} council" for n in range(900))  # 17,500 characters
    history = [f"What did {names} say about casualties?"] * 50
    response = client.post("/v1/ask", json={"question": "And how many were wounded?",
                                            "history": history})
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["query"]) < 5000  # unbounded, it repeats 17,000 characters


def test_a_question_that_cannot_get_the_models_in_time_gets_503(client, demo_assistant,
                                                                   monkeypatch):
    monkeypatch.setattr(demo_assistant, "queue_timeout", 0.2)
    demo_assistant._lock.acquire()  # another question holds the models
    try:
        busy = client.post("/v1/ask", json={"question": SEED_QUESTION})
    finally:
        demo_assistant._lock.release()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1" and "busy" in busy.json()["error"]["message"]
    assert client.post("/v1/ask", json={"question": SEED_QUESTION}).status_code == 200


# -- the real entry point ------------------------------------------------------------------


def test_byline_serve_reads_port_and_key_from_the_environment(tmp_path, slice_corpus):
    env = dict(os.environ, BYLINE_DATA_DIR=str(tmp_path / "index"), BYLINE_API_KEY=KEY,
               BYLINE_PORT=str(free_port()))
    cli = [sys.executable, "-m", "assistant.cli"]
    # 41 articles, not the seed alone: over a tiny index the answerer abstains.
    subprocess.run([*cli, "ingest", str(slice_corpus)], env=env, cwd=REPO, check=True,
                   capture_output=True, timeout=600)
    server = subprocess.Popen([*cli, "serve"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{env['BYLINE_PORT']}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "byline serve did not come up"
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.5)
        headers = {"Authorization": f"Bearer {KEY}"}
        answer = httpx.post(f"{url}/v1/ask", json={"question": SEED_QUESTION}, headers=headers,
                            timeout=120).json()
        assert answer["short_answer"] == "Lee Seong-kweun"
        assert httpx.get(f"{url}/v1/stats", timeout=30).status_code == 401
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"{url}/v1" in output and "API key required" in output
