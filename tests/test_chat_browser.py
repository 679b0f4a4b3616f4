"""The chat in a real browser: ``python app.py --port N`` over the demo index, driven by
headless Chromium (Debian's ``chromium``, never a Playwright browser download).

Measures time-to-ready (process start -> "ready" line, models warm, server listening) and
first-answer latency (page load -> first answer visible), prints them and writes them to
``test-artifacts/chat-timings.json`` beside the screenshots.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_QUESTION

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
QUOTE = "lawmaker Lee Seong-kweun told reporters"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium is not installed at /usr/bin/chromium (CI installs it: apt-get install -y chromium)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def timings():
    measured: dict[str, float] = {}
    yield measured
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chat-timings.json").write_text(json.dumps(measured, indent=2) + "\n")
    print(f"\nchat timings: {measured}")


@pytest.fixture(scope="module")
def app_url(demo_assistant, timings):
    """``python app.py --port N`` over the demo index, as a user starts it."""
    port = free_port()
    env = dict(os.environ, BYLINE_DATA_DIR=str(demo_assistant.index.data_dir))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        while not any(f"ready on {url}" in line for line in lines):
            assert proc.poll() is None, "app.py exited:\n" + "".join(lines)
            time.sleep(0.2)
        timings["time_to_ready_s"] = round(time.perf_counter() - started, 2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "Traceback" not in "".join(lines), "".join(lines)


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.outside_requests = []  # anything not served by the app (a CDN, fonts, telemetry)
        tab.on("request", lambda r: None if r.url.startswith((app_url, "data:", "blob:"))
               else tab.outside_requests.append(r.url))
        tab.page_errors = []
        tab.on("pageerror", lambda e: tab.page_errors.append(str(e)))
        yield tab
        browser.close()


def ask(page, question: str) -> None:
    page.get_by_placeholder("Ask about the news…").fill(question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.bl-answer:not(.bl-pending)').length >= n",
        arg=page.locator(".bl-answer:not(.bl-pending)").count() + 1, timeout=60_000,
    )


def test_seed_question_shows_the_answer_and_a_highlighted_citation(page, app_url, timings):
    started = time.perf_counter()
    page.goto(app_url)
    example = page.get_by_role("button", name=re.compile(re.escape(SEED_QUESTION)))
    example.click()  # the example question on the empty chat
    page.locator("#bl-cite-1-1 mark").wait_for(timeout=60_000)
    timings["first_answer_latency_s"] = round(time.perf_counter() - started, 2)

    assert page.locator(".bl-short").first.inner_text().startswith("Lee Seong-kweun")
    assert QUOTE in page.locator("#bl-cite-1-1 mark").inner_text()
    card = page.locator("#bl-cite-1-1")
    assert "AFP" in card.inner_text() and "13 Jan 2025" in card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))

    page.locator('a[href="#bl-cite-1-1"]').click()  # the marker brings its card into view
    page.wait_for_function("document.getElementById('bl-cite-1-1').classList.contains('bl-flash')")
    box = card.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + 40 <= 1000
    assert page.outside_requests == [] and page.page_errors == []


def test_follow_up_refusal_and_filters_in_the_browser(page, app_url):
    page.goto(app_url)
    ask(page, "How many North Korean soldiers were killed?")
    ask(page, "And how many were wounded?")
    answers = page.locator(".bl-answer")
    assert "2,700" in answers.nth(1).inner_text()
    assert "Searched for" in answers.nth(1).inner_text()

    ask(page, "Who won the 2031 Cricket World Cup?")
    assert "Not in the corpus" in answers.nth(2).inner_text()
    assert "related reading" in page.locator("#bl-turn-3").inner_text().lower()

    page.get_by_text("Filters for this conversation").click()
    page.locator("#bl-until input").fill("2020-12-31")
    ask(page, SEED_QUESTION)
    assert "13 Jan 2025" not in page.locator("#bl-turn-4").inner_text()  # the 2025 seed is out
    assert "to 31 Dec 2020" in answers.nth(3).inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-conversation.png"))
    assert page.outside_requests == [] and page.page_errors == []


def test_corpus_tab_reports_a_bad_upload_and_the_app_keeps_working(page, app_url, tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text("{not json\n")
    page.goto(app_url)
    page.get_by_role("tab", name="Corpus").click()
    assert "262" in page.locator(".bl-tiles").inner_text()
    assert "Seoul says 300 North Korean soldiers" in page.locator(".bl-recent").inner_text()

    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Add to corpus").click()
    page.locator(".bl-results").wait_for(timeout=60_000)
    assert "broken.jsonl:1: malformed JSON" in page.locator(".bl-results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "corpus.png"))

    page.get_by_role("tab", name="Ask").click()
    ask(page, SEED_QUESTION)
    assert "Lee Seong-kweun" in page.locator(".bl-short").first.inner_text()
