"""Replicas over one shared Chroma server (``chroma run`` on a free loopback port, started
by the test): a replica starting from an empty data folder answers what the writer
answers, and catches up with articles stored, replaced and deleted by another process
without a restart."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.types import Article
from tests.conftest import write_jsonl
from tests.test_index_contract import ARTICLES, start_chroma

QUESTIONS = ["What did the astronomers name the comet?", "When does the Skarholmen crossing run?",
             "What did the harbour master say about the quay?"]


@pytest.fixture
def shared(tmp_path, request, make_assistant_with):
    """A function opening an Assistant on its own data folder (``name``) over one shared
    Chroma server, reading the server's write log before every search."""
    port = start_chroma(tmp_path / "chroma-server", request)
    return port, lambda name: make_assistant_with(
        tmp_path / name, chroma_host="127.0.0.1", chroma_port=port, replica_sync_seconds=0)


def test_a_replica_from_an_empty_folder_answers_what_the_writer_answers(shared):
    _, open_folder = shared
    writer = open_folder("writer")
    assert writer.ingest_articles(ARTICLES).ok
    replica = open_folder("replica")  # nothing on its disk: all from the server
    assert replica.index.stats().to_dict() | {"data_dir": ""} == writer.index.stats().to_dict() | {"data_dir": ""}
    assert replica.index.check().ok
    for question in QUESTIONS:
        mine, theirs = writer.ask(question), replica.ask(question)
        assert (theirs.text, theirs.short_answer, theirs.citations) == (mine.text, mine.short_answer, mine.citations)
    assert replica.index.article("c-3") == writer.index.article("c-3")  # body, author and all


def test_a_replica_catches_up_with_another_process_without_a_restart(shared, tmp_path):
    port, open_folder = shared
    replica = open_folder("replica")
    assert replica.index.stats().articles == 0
    corpus = write_jsonl(tmp_path / "more.jsonl", [a.to_dict() for a in ARTICLES[:2]])
    worker = subprocess.run(  # an ingest worker: another process, another folder
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--data-dir", str(tmp_path / "worker")],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "BYLINE_CHROMA_HOST": "127.0.0.1", "BYLINE_CHROMA_PORT": str(port)})
    assert worker.returncode == 0, worker.stderr
    assert {p.article_id for p in replica.search("quinces harbour", k=5, rerank=False, mode="keyword")} \
        == {"c-1", "c-2"}

    writer = open_folder("writer")
    changed = Article("c-2", "Orchard harvest doubles", "Growers in the valley picked twice as many "
                      "medlars as last year.", source="Farm Daily", published_at="2024-06-10")
    writer.ingest_articles([changed])
    writer.delete(["c-1"])
    assert replica.search("quinces", k=5, rerank=False, mode="keyword") == []
    assert [p.article_id for p in replica.search("medlars", k=5, rerank=False, mode="keyword")] == ["c-2"]
    assert replica.index.stats().articles == 1 and replica.index.check().ok
    fetched = []  # what is applied is not fetched again at the next sync
    original = replica.index.vectors.records
    replica.index.vectors.records = lambda *a, **k: fetched.append(a) or original(*a, **k)
    assert replica.index.catch_up(force=True) == 0 and fetched == []

