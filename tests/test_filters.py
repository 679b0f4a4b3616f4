"""Outlet and date filters mean the same thing in all three stores: the catalog (listing
articles), the keyword index and the vector index. One translation (``Filters.day_range``)
feeds them; this checks that the three return the same articles for every filter,
undated articles included (a date bound leaves them out)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.types import Filters
from tests.conftest import write_jsonl

WORDS = "harbour ferry storm council budget"
ARTICLES = [  # (id, outlet, publication date or None); every body holds WORDS
    ("a-2019", "Wire", "2019-12-31"),
    ("b-2020-jan", "Wire", "2020-01-01"),
    ("c-2020-jun", "Herald", "2020-06-15"),
    ("d-2021", "Herald", "2021-03-02"),
    ("e-undated", "Wire", None),
    ("f-undated", "Herald", None),
    ("g-1965", "Herald", "1965-07-01"),  # before 1970: a negative day number
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, make_assistant):
    folder = tmp_path_factory.mktemp("filters")
    records = [{"id": i, "title": f"Story {i}", "source": outlet, "published_at": day,
                "body": f"The {WORDS} story number {n} was reported here. It had details."}
               for n, (i, outlet, day) in enumerate(ARTICLES)]
    bot = make_assistant(folder / "index")
    assert bot.ingest([write_jsonl(folder / "articles.jsonl", records)]).added == len(ARTICLES)
    return bot


FILTERS = [
    Filters(),
    Filters(sources=("Herald",)),
    Filters(since=date(2020, 1, 1)),
    Filters(until=date(2020, 1, 1)),
    Filters(since=date(2020, 1, 1), until=date(2020, 12, 31)),
    Filters(sources=("Wire",), until=date(2030, 1, 1)),
    Filters(since=date(2022, 1, 1)),
    Filters(until=date(1969, 1, 1)),
    Filters(since=date(1960, 1, 1), until=date(2019, 12, 31)),
]
EXPECTED = [
    {i for i, _, _ in ARTICLES},
    {"c-2020-jun", "d-2021", "f-undated", "g-1965"},
    {"b-2020-jan", "c-2020-jun", "d-2021"},
    {"a-2019", "b-2020-jan", "g-1965"},  # "until" alone: undated articles are not "before" it
    {"b-2020-jan", "c-2020-jun"},
    {"a-2019", "b-2020-jan"},
    set(),
    {"g-1965"},
    {"g-1965", "a-2019"},
]


@pytest.mark.parametrize("filters, expected", zip(FILTERS, EXPECTED), ids=[str(f) for f in FILTERS])
def test_catalog_keyword_and_vector_search_agree(store, filters, expected):
    index = store.index
    chunk_article = {row.chunk.id: row.chunk.article_id for row in index.catalog.iter_chunk_rows()}
    listed = {a.id for a in index.articles(filters, offset=0, limit=100)[0]}
    keyword = {chunk_article[cid] for cid, _ in index.keyword(WORDS, 100, filters)}
    embedding = store.retriever.embedder.embed_query(WORDS)
    dense = {chunk_article[cid] for cid, _ in index.dense(embedding, 100, filters)}
    assert listed == keyword == dense == expected
