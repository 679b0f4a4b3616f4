"""Shared fixtures: the real packaged models, loaded once per test session, and real
indexes (Chroma + SQLite + BM25) in temporary folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.offline import enable_offline_mode

enable_offline_mode()

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo"
DEMO_ARTICLES = DEMO / "articles"
WIKINEWS = DEMO_ARTICLES / "wikinews.jsonl"
SEED = DEMO_ARTICLES / "seed-article.jsonl"
SEED_ID = "seed-7c370389b76b"
SEED_QUESTION = "Who claimed the casualty figures?"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def embedder():
    from assistant.models.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(threads=2)


@pytest.fixture(scope="session")
def reranker():
    from assistant.models.reranker import load_reranker

    return load_reranker(threads=2)


@pytest.fixture(scope="session")
def nlp():
    from assistant.models.ner import SpacyLoader

    return SpacyLoader()


@pytest.fixture(scope="session")
def make_assistant(embedder, reranker, nlp):
    """Build an Assistant over a data folder the way the product does (the factory, default
    settings), sharing the session's models."""
    from assistant.factory import build_assistant
    from assistant.settings import Settings

    def build(data_dir: Path, **ingestor_options):
        return build_assistant(Settings(data_dir=data_dir), embedder=embedder, cross_encoder=reranker,
                               nlp=nlp, ingest_options=ingestor_options)

    return build


@pytest.fixture
def make_assistant_with(embedder, reranker, nlp):
    """``make_assistant`` with settings of its own (a Chroma server, ...)."""
    from assistant.factory import build_assistant
    from assistant.settings import Settings

    return lambda data_dir, **settings: build_assistant(
        Settings(data_dir=data_dir, **settings), embedder=embedder, cross_encoder=reranker, nlp=nlp)


@pytest.fixture(scope="session")
def demo_assistant(tmp_path_factory, make_assistant):
    """The whole bundled demo corpus (261 Wikinews articles + the AFP seed), ingested once."""
    bot = make_assistant(tmp_path_factory.mktemp("demo-index"))
    report = bot.ingest([DEMO_ARTICLES])
    assert report.ok and report.added == 262
    return bot


@pytest.fixture
def slice_corpus(tmp_path) -> Path:
    """A folder with the first 40 demo articles and the seed article."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "wikinews.jsonl", read_jsonl(WIKINEWS)[:40])
    (folder / "seed.jsonl").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """Environment for running ``byline`` in a subprocess against a temporary index."""
    env = dict(os.environ)
    env["BYLINE_DATA_DIR"] = str(tmp_path / "cli-index")
    return env
