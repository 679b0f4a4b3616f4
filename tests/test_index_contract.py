"""One contract for the index, run against embedded Chroma and against a real Chroma server
(``chroma run`` on a free loopback port, started by the test): adding, replacing and
deleting articles, counts, and filters, with the dense, keyword and catalog views of the
index agreeing on every step, undated articles included."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from assistant.types import Article, Filters
from tests.test_server import free_port

ARTICLES = [
    Article("c-1", "Harbour reopens after storm", "The harbour master said the quay of Lindqvist "
            "reopened on Monday after the storm.", source="Coast Wire", published_at="2024-03-04"),
    Article("c-2", "Orchard harvest doubles", "Growers in the valley picked twice as many "
            "quinces as last year, the cooperative said.", source="Farm Daily", published_at="2024-06-10"),
    Article("c-3", "Observatory names comet", "Astronomers named the comet Verhoeven after the "
            "amateur who first saw it.", source="Coast Wire", published_at="2024-09-15"),
    Article("c-4", "Undated notice about the ferry", "The ferry timetable changes for the "
            "winter; the Skarholmen crossing runs twice a day.", source="Farm Daily"),
]
WORDS = {"c-1": "Lindqvist quay", "c-2": "quinces cooperative", "c-3": "comet Verhoeven",
         "c-4": "Skarholmen ferry"}  # what keyword search finds each by
MEANING = {"c-1": "the port opened again once the storm passed", "c-2": "fruit growers had a bigger harvest",
           "c-3": "astronomers chose a name for a comet", "c-4": "the boat crossing schedule in winter"}


def start_chroma(path: Path, request) -> int:
    """``chroma run`` on a free loopback port, stopped when the test ends; its port."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("the chroma command is not installed beside this Python")
    port = free_port()
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    request.addfinalizer(server.terminate)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as r:
                json.load(r)
            return port
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.2)


@pytest.fixture(params=["embedded", "server"])
def open_index(request, tmp_path, make_assistant_with):
    """A function opening an Assistant over a fresh data folder, its vectors in embedded
    Chroma or in a ``chroma run`` server of its own."""
    options = {}
    if request.param == "server":
        port = start_chroma(tmp_path / "chroma-server", request)
        options = {"chroma_host": "127.0.0.1", "chroma_port": port}
    return lambda: make_assistant_with(tmp_path / "data", **options)


def views(bot, embedder, filters: Filters = Filters()) -> tuple[set, set, set]:
    """The articles each part of the index holds under ``filters``: the catalog's list,
    and every chunk dense and keyword search return."""
    index = bot.index
    catalog = {a.id for a in index.articles(filters, limit=100)[0]}
    dense = set(index.articles_of_chunks(
        [cid for cid, _ in index.dense(embedder.embed_query("news"), 50, filters)]))
    keyword = set(index.articles_of_chunks(
        [cid for cid, _ in index.keyword(" ".join(WORDS.values()), 50, filters)]))
    return catalog, dense, keyword


def found_by(bot, embedder, article_id: str, mode: str) -> str | None:
    """The article of the best chunk for what identifies ``article_id`` (its meaning for
    dense search, its rare words for keyword search)."""
    if mode == "dense":
        hits = bot.index.dense(embedder.embed_query(MEANING[article_id]), 1)
    else:
        hits = bot.index.keyword(WORDS[article_id], 1)
    return bot.index.articles_of_chunks([hits[0][0]])[0] if hits else None


def test_added_articles_are_counted_and_found_alike(open_index, embedder):
    bot = open_index()
    assert bot.ingest_articles(ARTICLES).ok
    stats = bot.index.stats()
    assert stats.articles == 4 and stats.chunks == bot.index.vectors.count() >= 4
    assert views(bot, embedder) == ({"c-1", "c-2", "c-3", "c-4"},) * 3
    for article in ARTICLES:
        assert found_by(bot, embedder, article.id, "dense") == found_by(bot, embedder, article.id, "keyword") == article.id
    assert bot.index.check().ok
    again = open_index()  # a second process on the same folder (and server) sees the same
    assert views(again, embedder) == views(bot, embedder) and again.index.stats().chunks == stats.chunks


def test_a_changed_article_replaces_its_old_chunks_everywhere(open_index, embedder):
    bot = open_index()
    bot.ingest_articles(ARTICLES)
    changed = Article("c-3", "Observatory names comet", "Astronomers renamed the comet Okonkwo "
                      "after a vote.", source="Coast Wire", published_at="2024-09-15")
    assert bot.ingest_articles([changed]).ok
    assert bot.index.keyword("Verhoeven", 5) == []
    assert bot.index.articles_of_chunks([bot.index.keyword("Okonkwo", 1)[0][0]]) == ["c-3"]
    best = bot.index.dense(embedder.embed_query("the comet was renamed after a vote"), 1)[0][0]
    assert "Okonkwo" in bot.index.passages([best])[best].text
    assert bot.index.stats().articles == 4 and bot.index.check().ok


def test_a_deleted_article_is_gone_from_every_view(open_index, embedder):
    bot = open_index()
    bot.ingest_articles(ARTICLES)
    chunks = set(bot.index.catalog.chunk_ids(["c-2"]))
    assert bot.delete(["c-2", "no-such-id"]) == ["c-2"]
    assert views(bot, embedder) == ({"c-1", "c-3", "c-4"},) * 3
    assert not chunks & set(bot.index.vectors.ids())
    assert bot.index.keyword("quinces", 5) == []
    assert bot.index.stats().articles == 3 and bot.index.check().ok
    assert bot.delete(["c-2"]) == []


@pytest.mark.parametrize("filters, expected", [
    (Filters(sources=("Coast Wire",)), {"c-1", "c-3"}),
    (Filters(sources=("Farm Daily",)), {"c-2", "c-4"}),  # the undated one too: no date bound
    (Filters(since=date(2024, 5, 1)), {"c-2", "c-3"}),  # a date bound leaves undated out
    (Filters(since=date(2024, 3, 4), until=date(2024, 6, 10)), {"c-1", "c-2"}),  # inclusive
    (Filters(sources=("Farm Daily",), until=date(2024, 12, 31)), {"c-2"}),
    (Filters(sources=("Nobody",)), set()),
])
def test_filters_mean_the_same_in_every_view(open_index, embedder, filters, expected):
    bot = open_index()
    bot.ingest_articles(ARTICLES)
    assert views(bot, embedder, filters) == (expected,) * 3


def test_byline_delete_removes_articles_and_names_unknown_ids(tmp_path, make_assistant_with):
    bot = make_assistant_with(tmp_path / "data")
    bot.ingest_articles(ARTICLES)
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "delete", "c-1", "c-9", "--data-dir", str(tmp_path / "data"),
         "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1  # one id was not stored
    assert json.loads(done.stdout) == {"deleted": ["c-1"], "not_found": ["c-9"]}
    reopened = make_assistant_with(tmp_path / "data")
    assert reopened.index.stats().articles == 3 and reopened.index.keyword("Lindqvist", 5) == []
